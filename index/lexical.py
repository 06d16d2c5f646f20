"""The lexical (BM25) side of an index, built with `bm25s` over "title + passage" texts.

It is rebuilt from the passage table on every build (a few seconds for 25k
passages), so an incremental build gives exactly what a full one does. It is
saved in the generation folder under `lexical/`; every file there is listed
in the manifest with its size and sha256 like the other data files.

>>> lex = Lexical.build(["Lava reached Grindavik", "The central bank raised rates", "Chess final"])
>>> int(lex.scores(tokenize("Which town did the lava reach?")).argmax())
0
>>> tokenize("The banks are raising their rates")
['bank', 'rais', 'rate']
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

import numpy as np

LEXICAL_DIR = "lexical"
SETTINGS_FILE = "tokenizer.json"
VOCAB_FILE = "vocab.json"
ARRAYS = ("data", "indices", "indptr")  # the term x row score matrix, compressed by term
# Settings chosen on the bench dev questions (see README "Retrieval quality").
SETTINGS = {"pattern": r"(?u)\b\w\w+\b", "stopwords": "en", "stemmer": "english", "k1": 1.2, "b": 0.75}
_WORD = re.compile(SETTINGS["pattern"])


@lru_cache(maxsize=1)
def _stopwords() -> frozenset:
    from bm25s.stopwords import STOPWORDS_EN
    return frozenset(STOPWORDS_EN)


@lru_cache(maxsize=1)
def _stem_word():
    import Stemmer  # PyStemmer (Snowball)
    return lru_cache(maxsize=1 << 18)(Stemmer.Stemmer(SETTINGS["stemmer"]).stemWord)


def tokenize(text: str, stopwords: frozenset | None = None) -> list[str]:
    """Lower-cased words of 2+ characters, English stopwords out, Snowball-stemmed."""
    stop, stem = (_stopwords() if stopwords is None else stopwords), _stem_word()
    return [stem(w) for w in _WORD.findall(text.lower()) if w not in stop]


def words(text: str, stopwords: frozenset | None = None) -> list[tuple[str, str]]:
    """`tokenize`, each term beside the word it was stemmed from (lower-cased).

    >>> words("Storms flooded the valley")
    [('storms', 'storm'), ('flooded', 'flood'), ('valley', 'valley')]
    """
    stop, stem = (_stopwords() if stopwords is None else stopwords), _stem_word()
    return [(w, stem(w)) for w in _WORD.findall(text.lower()) if w not in stop]


def passage_texts(articles: dict, passages: list) -> list[str]:
    """What BM25 reads for each passage row: the article title, a blank line, the passage."""
    out = []
    for p in passages:
        a = articles[p.article_id]
        out.append(f"{a.title}\n\n{a.text[p.start:p.end]}")
    return out


def titles_not_in_bodies(articles: dict, passages: list, stopwords: frozenset | None = None) -> dict[str, set[str]]:
    """For each article with passages, the terms of its own title that none of its passages holds after
    the title (BM25 reads "title, blank line, passage": `passage_texts`). A build that has just made the
    BM25 side finds the passages' tokens in its cache; any other caller tokenizes them and keeps nothing.

    >>> from collections import namedtuple
    >>> A, P = namedtuple("A", "title text"), namedtuple("P", "article_id start end")
    >>> titles_not_in_bodies({"a": A("Floods in the valley", "Rain floods the town")}, [P("a", 0, 20)])
    {'a': {'valley'}}
    """
    stopwords = _stopwords() if stopwords is None else stopwords
    cache = _last_tokens if stopwords == _stopwords() else {}   # the cache holds default-stopword tokens
    heads, found = {}, {}
    for p, text in zip(passages, passage_texts(articles, passages)):
        if p.article_id not in heads:
            title = tokenize(f"{articles[p.article_id].title}", stopwords)
            heads[p.article_id], found[p.article_id] = (len(title), set(title)), set()
        skip, terms = heads[p.article_id]
        if missing := terms - found[p.article_id]:
            tokens = cache.get(text) or tokenize(text, stopwords)
            found[p.article_id] |= missing.intersection(tokens[skip:])
    return {aid: terms - found[aid] for aid, (_, terms) in heads.items()}


_last_tokens: dict[str, list[str]] = {}  # the previous build's passages, in a long-lived process


def _tokens_of(texts: list[str]) -> list[list[str]]:
    """Each text's tokens (a token per document at least). A process that builds again and again
    (`python -m index watch`, the page's rebuilds) re-tokenizes only the passages that are new: about
    half the time of an incremental build at bench size. Only the last build's texts are kept."""
    global _last_tokens
    last = _last_tokens
    tokens = {t: last.get(t) or tokenize(t) or ["\x00empty"] for t in texts}
    _last_tokens = tokens
    return [tokens[t] for t in texts]


class Lexical:
    """The BM25 matrix (term -> rows and their scores) plus the one call the searcher needs.

    bm25s computes the matrix at build time; the index keeps it as plain .npy files and the
    stopword list it was built with, so answering a question imports neither bm25s nor scipy.
    """

    def __init__(self, vocab: dict, data: np.ndarray, indices: np.ndarray, indptr: np.ndarray, rows: int,
                 stopwords: frozenset | None = None):
        self.vocab, self.data, self.indices, self.indptr, self.rows = vocab, data, indices, indptr, rows
        self.stopwords = stopwords if stopwords is not None else _stopwords()

    @classmethod
    def build(cls, texts: list[str]) -> "Lexical":
        import bm25s

        if not texts:
            return cls({}, np.zeros(0, np.float32), np.zeros(0, np.int32), np.zeros(1, np.int32), 0)
        model = bm25s.BM25(k1=SETTINGS["k1"], b=SETTINGS["b"])
        model.index(_tokens_of(texts), show_progress=False)
        m = model.scores
        terms = len(m["indptr"]) - 1  # bm25s also lists "" in its vocabulary, with no column
        vocab = {t: int(i) for t, i in model.vocab_dict.items() if i < terms}
        return cls(vocab, m["data"], m["indices"], m["indptr"], len(texts))

    def by_row(self):
        """The BM25 matrix as scipy csr (passage rows x terms), from its by-term layout (story grouping)."""
        from scipy import sparse
        shape = (self.rows, len(self.indptr) - 1)
        return sparse.csc_matrix((self.data, self.indices, self.indptr), shape=shape).tocsr()

    def tokenize(self, text: str) -> list[str]:
        """As `tokenize`, with the stopwords this index was built with."""
        return tokenize(text, self.stopwords)

    def save(self, folder: Path) -> list[str]:
        """Write into `folder`; returns the written file names relative to folder's parent."""
        folder.mkdir(parents=True, exist_ok=True)
        for name in ARRAYS:
            with open(folder / f"{name}.npy", "wb") as f:
                np.save(f, getattr(self, name), allow_pickle=False)
        (folder / VOCAB_FILE).write_text(json.dumps(self.vocab, ensure_ascii=False), encoding="utf-8")
        (folder / SETTINGS_FILE).write_text(json.dumps(
            {**SETTINGS, "rows": self.rows, "stopword_list": sorted(self.stopwords)}), encoding="utf-8")
        return sorted(f"{folder.name}/{p.name}" for p in folder.iterdir() if p.is_file())

    @classmethod
    def load(cls, folder: Path) -> "Lexical":
        saved = json.loads((folder / SETTINGS_FILE).read_text(encoding="utf-8"))
        if {k: saved.get(k) for k in SETTINGS} != SETTINGS:
            raise ValueError(f"lexical index built with other settings ({saved}); this tool uses {SETTINGS}")
        arrays = {name: np.load(folder / f"{name}.npy", allow_pickle=False) for name in ARRAYS}
        vocab = json.loads((folder / VOCAB_FILE).read_text(encoding="utf-8"))
        terms, ptr = len(arrays["indptr"]) - 1, arrays["indptr"]
        if max(vocab.values(), default=-1) >= terms or not len(arrays["data"]) == len(arrays["indices"]) == ptr[-1] or \
                (len(arrays["indices"]) and int(arrays["indices"].max()) >= saved["rows"]):
            raise ValueError("lexical index files do not fit together")
        return cls(vocab, **arrays, rows=saved["rows"], stopwords=frozenset(saved["stopword_list"]))

    def scores(self, terms, weights=None) -> np.ndarray:
        """BM25 score of every row for query `terms` (tokens); `weights` scales each term's part."""
        out = np.zeros(self.rows, dtype=np.float32)
        for i, term in enumerate(terms):
            t = self.vocab.get(term)
            if t is None:
                continue
            lo, hi = self.indptr[t], self.indptr[t + 1]
            w = 1.0 if weights is None else weights[i]
            out[self.indices[lo:hi]] += w * self.data[lo:hi]
        return out
