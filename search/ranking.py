"""The retrieval modes: which passages, in which order, before hits are made of them.

    dense          cosine of the question vector with each passage vector (FAISS)
    bm25           BM25 over "title + passage" (index/lexical.py), quiz scaffolding stripped
    hybrid         both, fused (search/fusion.py)
    hybrid+rerank  hybrid, then the top candidates re-ordered by their best sentence and a recency
                   prior (search/rerank.py)

Each returns [(row, score), ...] best first, within `allowed` (row ids, or None for all), plus the
best sentence of each reranked row. Defaults were chosen on the bench dev questions (README
"Retrieval quality").

>>> MODES
('dense', 'bm25', 'hybrid', 'hybrid+rerank')
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from corpus.errors import NewsError
from search.fusion import blend, rrf, top_rows
from search.query import lexical_query
from search.rerank import RERANK_DEPTH, recency, rerank, stored_scores

MODES = ("dense", "bm25", "hybrid", "hybrid+rerank")
DEFAULT_MODE = "hybrid+rerank"
CANDIDATES = 100       # per side before fusion
FUSION = "rrf"         # "rrf" or "blend"
RRF_K = 30
LEXICAL_WEIGHT = 0.5   # for FUSION = "blend"


class NoLexicalIndex(NewsError):
    pass


@dataclass(frozen=True)
class Ranking:
    ranked: list                       # [(row, score), ...] best first
    best: dict = field(default_factory=dict)   # row -> rerank.Best for reranked rows


def rank(searcher, question: str, qvec: np.ndarray, mode: str, allowed, depth: int, today: int) -> Ranking:
    """The first `depth` (or more) rows for `question` in `mode`; see the module docstring.

    today: the ordinal day recency counts back from (as_of, or the newest article in the index).
    """
    n = max(CANDIDATES, depth)
    if mode == "dense":
        scores, ids = searcher.data.store.search(qvec, n, allowed)
        return Ranking(list(zip(ids, scores)))
    lexical = _lexical_scores(searcher, question)
    mask = _mask(len(lexical), allowed)
    bm25 = _top_lexical(lexical, n, mask)
    if mode == "bm25":
        return Ranking([(r, float(lexical[r])) for r in bm25 if lexical[r] > 0] or
                       [(r, 0.0) for r in bm25])
    _, dense = searcher.data.store.search(qvec, n, allowed)
    if FUSION == "rrf":
        fused = rrf([dense, bm25], RRF_K)
    else:
        rows = list(dict.fromkeys(dense + bm25))
        cos = searcher.data.store.vectors(rows) @ qvec
        fused = blend(dict(zip(rows, cos.tolist())), {r: float(lexical[r]) for r in rows}, LEXICAL_WEIGHT)
    if mode == "hybrid":
        return Ranking(fused)
    head = [r for r, _ in fused[:RERANK_DEPTH]]
    best = dict(zip(head, stored_scores(searcher, head, qvec)))
    days = searcher.row_dates[head]
    prior = recency(np.where(days >= 0, today - days, np.nan))
    return Ranking(rerank(fused, best, dict(zip(head, prior.tolist()))), best)


def _lexical_scores(searcher, question: str) -> np.ndarray:
    if searcher.data.lexical is None:
        raise NoLexicalIndex("this index has no BM25 side; rebuild it with: python -m index build FOLDER --full")
    q = lexical_query(question, searcher.data.lexical.tokenize)
    return searcher.data.lexical.scores(q.terms, q.weights)


def _top_lexical(scores: np.ndarray, n: int, mask) -> list[int]:
    """top_rows over the rows that share a term with the question (at 1M rows: ~3 ms instead of ~9)."""
    hit = scores > 0 if mask is None else (scores > 0) & mask
    rows = np.flatnonzero(hit)
    if len(rows) < n:  # too few matches: the full ranking, zero-score rows after them
        return top_rows(scores, n, mask)
    return rows[top_rows(scores[rows], n)].tolist()


def _mask(n: int, allowed):
    if allowed is None:
        return None
    mask = np.zeros(n, dtype=bool)
    mask[np.asarray(allowed, dtype=np.int64)] = True
    return mask
