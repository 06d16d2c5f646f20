"""Second stage: sentence-level similarity within the fused top candidates, and a recency prior.

No cross-encoder can be had offline from a registry package (the packaged rerankers fetch their
weights from a model hub at run time), so the second stage uses the index's own MiniLM: each
candidate passage's sentences (as the chunker splits them) have vectors stored at build time
(index/sentences.py), and the passage's best sentence cosine with the question is blended with
its first-stage score. A passage that answers usually has one sentence that says it; the passage
vector averages that sentence with everything around it. The best sentence is also the answer
span shown to the user. News questions are mostly about recent events, so newer coverage gets a
small prior, exp(-age / RECENCY_DAYS), with the age counted back from the newest article in the
index (or from `as_of`).

>>> import numpy as np
>>> text = "Markets were calm.\\n\\nRates held\\n\\nThe bank kept rates at 4.5 percent."
>>> spans = [(0, 18), (20, 30), (32, 67)]
>>> [(b.score, text[b.start:b.end]) for b in best_of([text], [spans], np.array([0.2, 0.9, 0.7]))]
[(0.7, 'The bank kept rates at 4.5 percent.')]
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from index.chunking import is_heading
from search.params import DEFAULT_PARAMS

# The weights are fields of search/params.py RankParams (chosen by a cross-validated grid there).
SENTENCE_WEIGHT = DEFAULT_PARAMS.sentence_weight
RECENCY_WEIGHT = DEFAULT_PARAMS.recency_weight
RECENCY_DAYS = DEFAULT_PARAMS.recency_days


@dataclass(frozen=True)
class Best:
    score: float          # cosine of the best sentence with the question (-1 for an empty passage)
    start: int            # its character offsets in the passage text
    end: int


def best_of(texts: list[str], spans: list, cos: np.ndarray, bonus: np.ndarray | None = None) -> list[Best]:
    """Each text's best sentence, given its sentence spans and their cosines (all texts, in order).

    bonus: added to each sentence's cosine before choosing (the answer-type lever); None adds nothing.
    """
    if bonus is not None:
        cos = cos + bonus
    out, first = [], 0
    for t, sp in zip(texts, spans):
        if not sp:
            out.append(Best(-1.0, 0, 0))
            continue
        own = cos[first:first + len(sp)]
        # A heading names a topic but answers nothing (as in search/answer.py): the best sentence
        # that is not one, else the best heading. Checked best-first, so mostly one check a passage.
        order = np.argsort(-own, kind="stable")
        best = next((int(i) for i in order if not is_heading(t, *sp[i])), int(order[0]))
        out.append(Best(float(own[best]), *sp[best]))
        first += len(sp)
    return out


def recency(ages_days, days: float = RECENCY_DAYS) -> np.ndarray:
    """The prior for articles `ages_days` old (negative ages count as 0).

    An undated article (NaN) gets the mean prior of the dated ones: no date is no evidence
    either way, and must not bury it under everything dated.

    >>> recency([0, 365, float("nan")]).round(3).tolist()
    [1.0, 0.368, 0.684]
    """
    ages = np.maximum(np.asarray(ages_days, dtype=np.float64), 0)
    prior = np.exp(-ages / days)
    dated = prior[~np.isnan(prior)]
    return np.where(np.isnan(prior), dated.mean() if len(dated) else 0.0, prior)


def rerank(fused: list[tuple[int, float]], best: dict, prior: dict | None = None,
           weight: float = SENTENCE_WEIGHT, prior_weight: float = RECENCY_WEIGHT,
           extra: dict | None = None) -> list[tuple[int, float]]:
    """Re-order the first len(best) of `fused` by a blend with their best sentence; the rest follow.

    fused: (row, score) best first; best: row -> Best; prior: row -> recency prior; extra: row ->
    any further weighted signal, added as it is (search/signals.py). First-stage
    scores are min-max normalised over the reranked rows so the weights mean the same for any fusion.

    >>> rerank([(1, 0.9), (2, 0.8), (3, 0.1)], {1: Best(0.2, 0, 0), 2: Best(0.9, 0, 0)}, weight=0.7)[:2]
    [(2, 0.63), (1, 0.44)]
    """
    head = [(r, s) for r, s in fused if r in best]
    tail = [(r, s) for r, s in fused if r not in best]
    if not head:
        return fused
    lo, hi = min(s for _, s in head), max(s for _, s in head)
    span = (hi - lo) or 1.0
    prior, extra = prior or {}, extra or {}
    scored = [(r, round((1 - weight) * (s - lo) / span + weight * best[r].score + prior_weight * prior.get(r, 0.0)
                        + extra.get(r, 0.0), 9)) for r, s in head]
    scored.sort(key=lambda rs: (-rs[1], rs[0]))
    # The tail keeps its order below the head: shift its scores under the head's lowest.
    floor = min(s for _, s in scored)
    return scored + [(r, floor - 1e-6 * (i + 1)) for i, (r, _) in enumerate(tail)]
