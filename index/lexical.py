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


def tokenize(text: str) -> list[str]:
    """Lower-cased words of 2+ characters, English stopwords out, Snowball-stemmed."""
    stop, stem = _stopwords(), _stem_word()
    return [stem(w) for w in _WORD.findall(text.lower()) if w not in stop]


def passage_texts(articles: dict, passages: list) -> list[str]:
    """What BM25 reads for each passage row: the article title, a blank line, the passage."""
    out = []
    for p in passages:
        a = articles[p.article_id]
        out.append(f"{a.title}\n\n{a.text[p.start:p.end]}")
    return out


class Lexical:
    """A bm25s model plus the one call the searcher needs: a score for every row."""

    def __init__(self, model, rows: int):
        self.model, self.rows = model, rows

    @classmethod
    def build(cls, texts: list[str]) -> "Lexical":
        import bm25s

        model = bm25s.BM25(k1=SETTINGS["k1"], b=SETTINGS["b"])
        tokens = [tokenize(t) or ["\x00empty"] for t in texts]  # bm25s needs a token per document
        if texts:
            model.index(tokens, show_progress=False)
        return cls(model, len(texts))

    def save(self, folder: Path) -> list[str]:
        """Write into `folder`; returns the written file names relative to folder's parent."""
        folder.mkdir(parents=True, exist_ok=True)
        if self.rows:
            self.model.save(str(folder), show_progress=False)
        (folder / SETTINGS_FILE).write_text(json.dumps({**SETTINGS, "rows": self.rows}), encoding="utf-8")
        return sorted(f"{folder.name}/{p.name}" for p in folder.iterdir() if p.is_file())

    @classmethod
    def load(cls, folder: Path) -> "Lexical":
        saved = json.loads((folder / SETTINGS_FILE).read_text(encoding="utf-8"))
        if {k: saved.get(k) for k in SETTINGS} != SETTINGS:
            raise ValueError(f"lexical index built with other settings ({saved}); this tool uses {SETTINGS}")
        if not saved["rows"]:
            return cls(None, 0)
        import bm25s
        return cls(bm25s.BM25.load(str(folder), show_progress=False, verbosity=0), saved["rows"])

    def scores(self, terms, weights=None) -> np.ndarray:
        """BM25 score of every row for query `terms` (tokens); `weights` scales each term's part."""
        out = np.zeros(self.rows, dtype=np.float32)
        if not self.rows:
            return out
        vocab, s = self.model.vocab_dict, self.model.scores
        data, indices, indptr = s["data"], s["indices"], s["indptr"]
        for i, term in enumerate(terms):
            t = vocab.get(term)
            if t is None:
                continue
            w = 1.0 if weights is None else weights[i]
            out[indices[indptr[t]:indptr[t + 1]]] += w * data[indptr[t]:indptr[t + 1]]
        return out
