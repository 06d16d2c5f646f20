"""What story grouping compares: per article a dense vector, a term vector, a title match, a date.

All but the title's word rarity come from what a build already has, nothing is embedded again:

- dense: the mean of the article's passage vectors (MiniLM), normalised;
- terms: the BM25 weights (index/lexical.py) of the article's first passage, which is its title and
  lead, where news says what happened (all passages summed did worse on the dev stories: background
  paragraphs are shared by neighbouring events); square-rooted (one repeated name does not drown
  the rest) and normalised. BM25 already weighs a term by its rarity: names and rare words count.
- title match (index/title_match.py): how much of each title the other article's text holds, its
  words weighed by their rarity in English.

The similarity of two articles mixes the dense cosine, the lead-term cosine (`TERM_WEIGHT`) and the
title match (`TITLE_WEIGHT`).

>>> import numpy as np
>>> from index.lexical import Lexical, passage_texts
>>> from index.storage import Passage
>>> from corpus.records import Article
>>> arts = [Article("a", "a", "Lava reached Grindavik."), Article("b", "b", "Lava near Grindavik again."),
...         Article("c", "c", "The bank raised rates.")]
>>> ps = [Passage(a.id, 0, len(a.text)) for a in arts]
>>> f = ArticleFeatures.build(arts, ps, np.eye(3, 4, dtype=np.float32),
...                           Lexical.build(passage_texts({a.id: a for a in arts}, ps)))
>>> f.ids, bool(f.similarity(0, [1])[0] > f.similarity(0, [2])[0])
(['a', 'b', 'c'], True)
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from index.title_match import TitleMatch

# Chosen on the dev stories, cross-validated by story (README "Stories").
TERM_WEIGHT = 0.25   # share of the lead-term cosine in an article pair's similarity ...
TITLE_WEIGHT = 0.5   # ... and of the title match (the rest: the dense cosine)


@dataclass(frozen=True)
class ArticleFeatures:
    ids: list            # article ids, row order of the arrays below
    dense: np.ndarray    # (n, dim) float32, unit rows
    terms: object        # scipy.sparse csr (n, vocabulary), unit rows
    days: np.ndarray     # (n,) publication day ordinal; -1 = undated
    row_of: dict         # article id -> row
    titles: TitleMatch
    term_weight: float = TERM_WEIGHT   # bench/stories.py --sweep varies them (dataclasses.replace)
    title_weight: float = TITLE_WEIGHT

    @classmethod
    def build(cls, articles: list, passages: list, vectors: np.ndarray, lexical) -> "ArticleFeatures":
        """articles: the index's articles; passages[i] <-> vectors[i] <-> lexical row i."""
        from scipy import sparse

        ids = [a.id for a in articles]
        row_of = {a: i for i, a in enumerate(ids)}
        owner = np.fromiter((row_of[p.article_id] for p in passages), dtype=np.int64, count=len(passages))
        per_article = sparse.csr_matrix((np.ones(len(owner), np.float32), (owner, np.arange(len(owner)))),
                                        shape=(len(ids), len(passages)))
        dense = np.asarray(per_article @ np.asarray(vectors, dtype=np.float32), dtype=np.float32)
        dense /= np.maximum(np.linalg.norm(dense, axis=1, keepdims=True), 1e-12)
        first = np.full(len(ids), -1, dtype=np.int64)
        for row in range(len(owner) - 1, -1, -1):
            first[owner[row]] = row
        rows = lexical.by_row() if len(passages) else None   # read once: the title match needs it too
        terms = rows[np.maximum(first, 0)] if rows is not None else None
        terms = terms.multiply((first >= 0)[:, None]).tocsr() if terms is not None else \
            sparse.csr_matrix((len(ids), 1), dtype=np.float32)   # an article without passages has no terms
        terms.data = np.sqrt(terms.data)
        terms = _unit_rows(terms)
        days = np.array([a.date.toordinal() if a.date else -1 for a in articles], dtype=np.int64)
        return cls(ids, dense, terms, days, row_of, TitleMatch.build(articles, passages, lexical, rows))

    @classmethod
    def of_index(cls, data) -> "ArticleFeatures":
        """The features of a loaded index (index/storage.py IndexData), its articles in their stored order,
        which is the order a build groups them in."""
        return cls.build(list(data.articles.values()), data.passages, data.store.vectors(), data.lexical)

    def similarity(self, i: int, others) -> np.ndarray:
        """Similarity of article row i with each row in `others` (a list of rows)."""
        others = np.asarray(others, dtype=np.int64)
        if not len(others):
            return np.zeros(0, np.float32)
        dense = self.dense[others] @ self.dense[i]
        terms = np.asarray((self.terms[others] @ self.terms[i].T).todense()).ravel()
        dense_weight = 1 - self.term_weight - self.title_weight
        mixed = (dense_weight * dense + self.term_weight * terms) / max(dense_weight + self.term_weight, 1e-9)
        if not self.title_weight:
            return mixed.astype(np.float32)
        titles = self.titles.score(i, others)
        titles = np.where(np.isnan(titles), mixed, titles)   # no weighed title word on either side
        return ((1 - self.title_weight) * mixed + self.title_weight * titles).astype(np.float32)


def _unit_rows(m):
    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    m = m.multiply(1 / np.maximum(norms, 1e-12)[:, None]).tocsr()
    return m.astype(np.float32)
