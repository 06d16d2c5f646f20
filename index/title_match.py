"""The title match of two articles: how much of each one's title the other's text holds.

A follow-up names the event its first report's title names ("Queen lies in state at Westminster
Hall" -> a later report of the coffin leaving Westminster Hall, where she lay in state). Each title
word weighs its rarity in English at large (wordfreq's Zipf frequency, log10 per billion words:
`COMMON` less it, so "said" and "people" weigh nothing, "fire" 0.7, "wildfire" 2.6, a name wordfreq
does not know 6). Not the folder's idf: in a folder of a handful of articles every word the others
lack looks rare, and plain follow-ups split apart. The other article is read without its own title,
so two pieces of one column ("Today in History") match on what they say, not on their shared name.
The match is the share of the title's weight found, the mean of both directions.

>>> from corpus.records import Article
>>> from index.lexical import Lexical, passage_texts
>>> from index.storage import Passage
>>> arts = [Article("a", "a", "Mourners queued.", "Lava reaches Grindavik"),
...         Article("b", "b", "Lava from the fissure reached Grindavik at dawn.", "Town evacuated"),
...         Article("c", "c", "The bank raised rates.", "Rates rise")]
>>> ps = [Passage(a.id, 0, len(a.text)) for a in arts]
>>> m = TitleMatch.build(arts, ps, Lexical.build(passage_texts({a.id: a for a in arts}, ps)))
>>> [round(float(x), 2) for x in m.score(0, [1, 2])]   # b holds a's title; a holds nothing of b's
[0.5, 0.0]
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

COMMON = 6.0   # Zipf frequency at which a title word weighs nothing (once in a thousand words)


@dataclass(frozen=True)
class TitleMatch:
    weights: object      # csr (n, vocabulary): each title term's rarity (its rarest word where two stem alike)
    mass: np.ndarray     # (n,) each title's whole weight
    body: object         # csr (n, vocabulary): 1 for each term of the article's text (its title not counted)
    by_term: object      # the same, (vocabulary, n): what one title's terms find across articles, read fast

    @classmethod
    def build(cls, articles: list, passages: list, lexical, rows=None) -> "TitleMatch":
        """articles: in row order; passages: the index's passage table (lexical rows); rows: the BM25
        matrix by passage (`lexical.by_row()`) when the caller has it already."""
        weights = _title_weights(articles, lexical)
        body = _body_terms(articles, passages, lexical, weights.shape, rows)
        return cls(weights, np.asarray(weights.sum(axis=1), np.float64).ravel(), body, body.T.tocsr())

    def score(self, i: int, others) -> np.ndarray:
        """Title match of row i with each row of `others`: the mean of both directions' shares; one
        direction alone where a title has no weighed word; NaN where neither has."""
        others = np.asarray(others, dtype=np.int64)
        found = np.asarray((self.weights[i] @ self.by_term).todense()).ravel()[others]
        theirs = _share(found, np.full(len(others), self.mass[i]))
        mine = _share(np.asarray((self.weights[others] @ self.body[i].T).todense()).ravel(), self.mass[others])
        both = np.stack([theirs, mine])
        counted = (~np.isnan(both)).sum(axis=0)
        return np.where(counted > 0, np.nansum(both, axis=0) / np.maximum(counted, 1), np.nan)


def _share(found: np.ndarray, whole: np.ndarray) -> np.ndarray:
    return np.where(whole > 0, found / np.maximum(whole, 1e-12), np.nan)


def rarity(word: str) -> float:
    """How much a title word counts: COMMON less its Zipf frequency in English, floored at 0.

    >>> rarity("said"), rarity("wildfire") > rarity("fire") > 0, rarity("grindavik")
    (0.0, True, 6.0)
    """
    return max(0.0, COMMON - _zipf(word))


@lru_cache(maxsize=1)
def rarity_source() -> str:
    """Where the rarities come from, stored with the stories: another wordfreq may weigh words anew."""
    from importlib.metadata import PackageNotFoundError, version
    try:
        return f"wordfreq {version('wordfreq')} en"
    except PackageNotFoundError:   # stories are then grouped anew, which says what to install
        return "wordfreq missing"


@lru_cache(maxsize=1 << 16)
def _zipf(word: str) -> float:
    try:
        from wordfreq import zipf_frequency
    except ImportError as e:
        raise ImportError("story grouping needs wordfreq: pip install -r requirements.txt") from e
    return zipf_frequency(word, "en")


def _title_weights(articles: list, lexical):
    from scipy import sparse

    from index.lexical import words
    cells = {}
    for row, article in enumerate(articles):
        for word, term in words(article.title or "", lexical.stopwords):
            col = lexical.vocab.get(term)
            if col is not None:
                cells[row, col] = max(cells.get((row, col), 0.0), rarity(word))
    rows, cols = zip(*cells) if cells else ((), ())
    return sparse.csr_matrix((np.fromiter(cells.values(), np.float64, len(cells)), (rows, cols)),
                             shape=(len(articles), len(lexical.indptr) - 1))


def _body_terms(articles: list, passages: list, lexical, shape: tuple, rows=None):
    """(articles x vocabulary): 1 for each term of the article's passages, its own title's terms only
    where its text holds them too (BM25 reads the title before every passage)."""
    from scipy import sparse

    from index.lexical import titles_not_in_bodies
    if not len(passages):
        return sparse.csr_matrix(shape)
    row_of = {a.id: n for n, a in enumerate(articles)}
    owner = np.fromiter((row_of[p.article_id] for p in passages), np.int64, len(passages))
    per_article = sparse.csr_matrix((np.ones(len(owner)), (owner, np.arange(len(owner)))),
                                    shape=(len(articles), len(passages)))
    rows = lexical.by_row() if rows is None else rows
    body = (per_article @ (rows > 0).astype(np.float64)).tocsr()
    body.data[:] = 1
    missing = titles_not_in_bodies({a.id: a for a in articles}, passages, lexical.stopwords)
    title_only = {(row_of[aid], lexical.vocab[t]) for aid, terms in missing.items() for t in terms
                  if t in lexical.vocab}
    cells = tuple(zip(*title_only)) if title_only else ((), ())
    body = body - sparse.csr_matrix((np.ones(len(title_only)), cells), shape=body.shape)
    body.eliminate_zeros()
    return body
