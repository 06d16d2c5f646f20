"""What story grouping compares: one dense vector and one term vector per article, and its date.

Both come from what a build already has, nothing is embedded again:

- dense: the mean of the article's passage vectors (MiniLM), normalised;
- terms: the BM25 weights (index/lexical.py) of the article's first passage, which is its title and
  lead, where news says what happened (all passages summed did worse on the dev stories: background
  paragraphs are shared by neighbouring events); square-rooted (one repeated name does not drown
  the rest) and normalised. BM25 already weighs a term by its rarity: names and rare words count.

- title match: how much of each article's title the other article's text holds, each title word
  weighed by its rarity in English at large (wordfreq's Zipf frequency; names and rare words weigh
  most, words as common as "said" nothing), over the weight of the whole title; the mean of both
  directions. A follow-up names the event as the first report's title does ("Queen lies in state at
  Westminster Hall") more than a related event does. The rarity is not the folder's idf: in a folder
  of a handful of articles every word the others lack looks rare, and follow-ups split apart.

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
from functools import lru_cache

import numpy as np

# Chosen on the dev stories, cross-validated by story (README "Stories").
TERM_WEIGHT = 0.25   # share of the lead-term cosine in an article pair's similarity ...
TITLE_WEIGHT = 0.5   # ... and of the title match (the rest: the dense cosine)
COMMON = 6.0         # Zipf frequency (log10 per billion words) at which a title word weighs nothing


@dataclass(frozen=True)
class ArticleFeatures:
    ids: list            # article ids, row order of the arrays below
    dense: np.ndarray    # (n, dim) float32, unit rows
    terms: object        # scipy.sparse csr (n, vocabulary), unit rows
    days: np.ndarray     # (n,) publication day ordinal; -1 = undated
    row_of: dict         # article id -> row
    titles: object = None   # csr (n, vocabulary): each title term's rarity weight
    title_mass: np.ndarray = None   # (n,) each title's whole weight (its row sum)
    present: object = None  # csr (n, vocabulary): 1 for each term anywhere in the article (title included)
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
        terms = _passage_terms(lexical, len(passages))[np.maximum(first, 0)] if len(passages) else None
        terms = terms.multiply((first >= 0)[:, None]).tocsr() if terms is not None else \
            sparse.csr_matrix((len(ids), 1), dtype=np.float32)   # an article without passages has no terms
        present = (per_article @ (_passage_terms(lexical, len(passages)) > 0).astype(np.float32)).tocsr() \
            if len(passages) else sparse.csr_matrix(terms.shape, dtype=np.float32)
        present.data[:] = 1
        terms.data = np.sqrt(terms.data)
        terms = _unit_rows(terms)
        days = np.array([a.date.toordinal() if a.date else -1 for a in articles], dtype=np.int64)
        titles = _title_terms(articles, lexical, present.shape[1])
        return cls(ids, dense, terms, days, row_of, titles, np.asarray(titles.sum(axis=1)).ravel(), present)

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
        mixed = ((1 - self.term_weight - self.title_weight) * dense + self.term_weight * terms) / \
            max(1 - self.title_weight, 1e-9)
        if not self.title_weight:
            return mixed.astype(np.float32)
        titles = self.title_match(i, others)
        titles = np.where(np.isnan(titles), mixed, titles)   # no weighed title word on either side
        return ((1 - self.title_weight) * mixed + self.title_weight * titles).astype(np.float32)

    def title_match(self, i: int, others) -> np.ndarray:
        """Mean over both directions of the share of a title's weight found in the other article;
        one direction alone where a title has no weighed word, NaN where neither has."""
        others = np.asarray(others, dtype=np.int64)
        theirs = _share(self.present[others] @ self.titles[i].T, np.full(len(others), self.title_mass[i]))
        mine = _share(self.titles[others] @ self.present[i].T, self.title_mass[others])
        both = np.stack([theirs, mine])
        counted = (~np.isnan(both)).sum(axis=0)
        return np.where(counted > 0, np.nansum(both, axis=0) / np.maximum(counted, 1), np.nan)


def _passage_terms(lexical, rows: int):
    """The BM25 matrix as (passage rows x terms), from the lexical side's by-term layout."""
    from scipy import sparse
    terms = len(lexical.indptr) - 1
    return sparse.csc_matrix((lexical.data, lexical.indices, lexical.indptr), shape=(rows, terms)).tocsr()


def _share(found, whole: np.ndarray) -> np.ndarray:
    found = np.asarray(found.todense()).ravel()
    return np.where(whole > 0, found / np.maximum(whole, 1e-12), np.nan)


@lru_cache(maxsize=1 << 16)
def rarity(word: str) -> float:
    """How much a title word counts: COMMON less its Zipf frequency in English, floored at 0.

    >>> rarity("said"), rarity("wildfire") > rarity("fire") > 0, rarity("grindavik")
    (0.0, True, 6.0)
    """
    from wordfreq import zipf_frequency
    return max(0.0, COMMON - zipf_frequency(word, "en"))


def _title_terms(articles: list, lexical, vocabulary: int):
    """(articles x terms): each title term's rarity (its rarest word where two words stem alike)."""
    from scipy import sparse

    from index.lexical import words
    cells = {}
    for row, article in enumerate(articles):
        for word, term in words(article.title or "", lexical.stopwords):
            col = lexical.vocab.get(term)
            if col is not None:
                cells[row, col] = max(cells.get((row, col), 0.0), rarity(word))
    rows, cols = zip(*cells) if cells else ((), ())
    return sparse.csr_matrix((np.fromiter(cells.values(), np.float32, len(cells)), (rows, cols)),
                             shape=(len(articles), vocabulary))


def _unit_rows(m):
    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    m = m.multiply(1 / np.maximum(norms, 1e-12)[:, None]).tocsr()
    return m.astype(np.float32)
