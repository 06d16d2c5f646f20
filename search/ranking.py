"""The retrieval modes: which passages, in which order, before hits are made of them.

    dense          cosine of the question vector with each passage vector (FAISS)
    bm25           BM25 over "title + passage" (index/lexical.py), quiz scaffolding stripped
    hybrid         both, fused (search/fusion.py)
    hybrid+rerank  hybrid, then the top candidates re-ordered by their best sentence and a recency
                   prior (search/rerank.py)

Each returns [(row, score), ...] best first, within `allowed` (row ids, or None for all), plus the
best sentence of each reranked row. Every tuned constant is a field of `RankParams`
(search/params.py), passed in; its defaults were chosen by a grid cross-validated by week on the
bench dev questions (README "Retrieval quality"). What a question reads from the index (its dense
and BM25 candidates, their sentence cosines) is kept in a `Sources` object, so the evaluation can
re-order the same candidates under other constants without searching again.

>>> MODES
('dense', 'bm25', 'hybrid', 'hybrid+rerank')
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import lru_cache

import numpy as np

from corpus.errors import NewsError
from search import signals
from search.fusion import blend, rrf, top_rows
from search.params import DEFAULT_PARAMS, RankParams
from search.query import lexical_query
from search.rerank import best_of, recency, rerank

MODES = ("dense", "bm25", "hybrid", "hybrid+rerank")
DEFAULT_MODE = "hybrid+rerank"


class NoLexicalIndex(NewsError):
    pass


@dataclass(frozen=True)
class Ranking:
    ranked: list                       # [(row, score), ...] best first
    best: dict = field(default_factory=dict)   # row -> rerank.Best for reranked rows
    sources: "Sources | None" = None   # what was read for it: the best sentence of other rows comes from here


def rank(searcher, question: str, qvec: np.ndarray, mode: str, allowed, depth: int, today: int,
         params: RankParams = DEFAULT_PARAMS) -> Ranking:
    """The first `depth` (or more) rows for `question` in `mode`; see the module docstring.

    today: the ordinal day recency counts back from (as_of, or the newest article in the index).
    """
    src = Sources(searcher, question, qvec, allowed)
    return replace(order(src, mode, depth, today, params), sources=src)


def order(src: "Sources", mode: str, depth: int, today: int, p: RankParams = DEFAULT_PARAMS) -> Ranking:
    """The ranking of `mode` under constants `p`, from what `src` reads (or has read) from the index."""
    n = max(p.candidates, depth)
    if mode == "dense":
        return Ranking(src.dense(n))
    lexical, bm25 = src.lexical(n)
    if p.prf_titles:
        first = bm25 if mode == "bm25" else [r for r, _ in _fuse(src, src.dense(n), bm25, lexical, p)]
        lexical, bm25 = src.lexical(n, src.expansion(first, p.prf_titles), p.prf_weight)
    if mode == "bm25":
        return Ranking([(r, float(lexical[r])) for r in bm25 if lexical[r] > 0] or [(r, 0.0) for r in bm25])
    fused = _fuse(src, src.dense(n), bm25, lexical, p)
    if mode == "hybrid":
        return Ranking(fused)
    head = [r for r, _ in fused[:p.rerank_depth]]
    best = src.best(head, p.answer_type_weight)
    days = src.searcher.row_dates[head]
    prior = recency(np.where(days >= 0, today - days, np.nan), p.recency_days)
    extra = {r: p.title_weight * src.title_overlap(r) for r in head} if p.title_weight else None
    ranked = rerank(fused, best, dict(zip(head, prior.tolist())), p.sentence_weight, p.recency_weight, extra)
    if p.per_article:
        ranked = signals.cap_per_article([(rs, src.article(rs[0])) for rs in ranked], p.per_article)
    return Ranking(ranked, best)


def _fuse(src, dense, bm25, lexical, p: RankParams) -> list:
    dense_rows = [r for r, _ in dense]
    if p.fusion == "rrf":
        return rrf([dense_rows, bm25], p.rrf_k)
    rows = list(dict.fromkeys(dense_rows + bm25))
    cos = src.searcher.data.store.vectors(rows) @ src.qvec
    return blend(dict(zip(rows, cos.tolist())), {r: float(lexical[r]) for r in rows}, p.lexical_weight)


class Sources:
    """What one question's ranking reads from the index, read on first use and kept.

    The product makes one per question; the evaluation keeps one per question and calls `order`
    under many RankParams, so only what a new constant needs (a deeper list, an expanded BM25
    query) is read again.
    """

    def __init__(self, searcher, question: str, qvec: np.ndarray, allowed):
        self.searcher, self.question, self.qvec, self.allowed = searcher, question, qvec, allowed
        self.kind = signals.answer_type(question)
        self._dense, self._dense_n, self._lexical, self._terms = [], 0, {}, None
        self._sentences, self._best = {}, {}

    def dense(self, n: int) -> list:
        """[(row, cosine), ...] best first, the top n."""
        if self._dense_n < n:
            scores, ids = self.searcher.data.store.search(self.qvec, n, self.allowed)
            self._dense, self._dense_n = list(zip(ids, scores)), n
        return self._dense[:n]

    @property
    def terms(self) -> tuple:
        if self._terms is None:
            if self.searcher.data.lexical is None:
                raise NoLexicalIndex("this index has no BM25 side; rebuild it with: "
                                     "python -m index build FOLDER --full")
            self._terms = lexical_query(self.question, self.searcher.data.lexical.tokenize).terms
        return self._terms

    def lexical(self, n: int, extra: tuple = (), weight: float = 0.0):
        """(BM25 score of every row, the top n rows) for the question plus `extra` terms at `weight`."""
        key = (extra, weight if extra else 0.0)
        scores, top, depth = self._lexical.get(key, (None, [], 0))
        if scores is None:
            lex = self.searcher.data.lexical
            scores = lex.scores(self.terms + extra, (1.0,) * len(self.terms) + (weight,) * len(extra)) \
                if extra else lex.scores(self.terms)
        if depth < n:
            top = _top_lexical(scores, n, _mask(len(scores), self.allowed))
            self._lexical[key] = (scores, top, n)
        return scores, top[:n]

    def expansion(self, rows, titles: int) -> tuple:
        """BM25 terms of the first `titles` distinct articles' titles among `rows`, not in the question."""
        seen = list(dict.fromkeys(self.article(r) for r in rows[:10 * titles]))[:titles]
        return signals.expansion_terms(self.terms, [_title_terms(self.searcher.data.lexical, self._title(a))
                                                    for a in seen])

    def article(self, row: int) -> str:
        return self.searcher.data.passages[row].article_id

    def _title(self, article_id: str) -> str:
        return self.searcher.data.articles[article_id].title or ""

    def title_overlap(self, row: int) -> float:
        return signals.title_overlap(self.terms, _title_terms(self.searcher.data.lexical, self._title(
            self.article(row))))

    def best(self, rows: list, answer_weight: float = 0.0) -> dict:
        """row -> its best sentence (rerank.Best), with `answer_weight` for sentences of the asked type."""
        missing = [r for r in rows if r not in self._sentences]
        if missing:
            table = self.searcher.data.sentences
            cos, first = table.cosines(missing, self.qvec), 0
            for r in missing:
                spans = [(int(a), int(b)) for a, b in table.span_rows(r)]
                self._sentences[r] = (self.searcher.passage_text(r), spans, cos[first:first + len(spans)])
                first += len(spans)
        weight = answer_weight if self.kind else 0.0
        out = {}
        for r in rows:
            if (r, weight) not in self._best:
                text, spans, cos = self._sentences[r]
                bonus = weight * signals.typed_sentences(text, spans, self.kind) if weight else None
                self._best[r, weight] = best_of([text], [spans], cos, bonus)[0]
            out[r] = self._best[r, weight]
        return out


@lru_cache(maxsize=1 << 16)
def _title_terms(lexical, title: str) -> frozenset:
    return frozenset(lexical.tokenize(title))


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
