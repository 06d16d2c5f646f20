"""Ask an index questions and get typed hits.

    >>> from search import Searcher                      # doctest: +SKIP
    >>> s = Searcher.open()                              # doctest: +SKIP
    >>> hit = s.search("What clause did the Pentagon want removed?", k=3)[0]  # doctest: +SKIP
    >>> hit.source, hit.date_label                       # doctest: +SKIP
    ('Cointelegraph', '2026-03-05')

The query is embedded with the model named in the index manifest.
"""
from __future__ import annotations

import datetime as dt
import re

import numpy as np

from corpus.errors import NewsError
from index.config import resolve_index_dir
from index.storage import IndexData, current_generation, load_generation
from search.hits import Hit

MAX_QUESTION_CHARS = 4000  # the encoder reads ~256 word pieces; more is cut, never an error
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


class EmptyQuestion(NewsError):
    def __init__(self):
        super().__init__("the question is empty; type a question, e.g. \"What did the Pentagon ask for?\"")


class BadRequest(NewsError):
    pass


def clean_question(question: str) -> str:
    """Control characters out, whitespace folded, length capped; empty is an error."""
    text = " ".join(_CONTROL.sub(" ", str(question or "")).split())
    if not text:
        raise EmptyQuestion()
    return text[:MAX_QUESTION_CHARS]


class Searcher:
    def __init__(self, data: IndexData, index_dir, embedder=None):
        self.data, self.index_dir, self._embedder = data, index_dir, embedder
        arts = [data.articles[p.article_id] for p in data.passages]
        # Per-passage columns for filtering without touching the articles again.
        self._dates = np.array([a.date.toordinal() if a.date else -1 for a in arts], dtype=np.int64)
        self._sources = np.array([(a.source or "").lower() for a in arts], dtype=object)

    @classmethod
    def open(cls, index_dir=None, verify: bool = True, embedder=None) -> "Searcher":
        """Load the live index; `embedder` lets a caller share one loaded model."""
        index_dir = resolve_index_dir(index_dir)
        return cls(load_generation(index_dir, verify), index_dir, embedder)

    @property
    def embedder(self):
        if self._embedder is None:  # loaded on the first question, once
            from index.embed import Embedder
            cfg = self.data.config
            self._embedder = Embedder(cfg.model_name, cfg.precision)
        return self._embedder

    def is_stale(self) -> bool:
        """True when a newer index generation has landed on disk since this one was loaded."""
        return current_generation(self.index_dir) != self.data.path

    def search(self, question: str, k: int = 10, since: dt.date | None = None,
               until: dt.date | None = None, sources=None) -> list[Hit]:
        """The k passages closest to the question, best first, within the filters.

        since/until are inclusive publication dates (undated articles are left out
        when either is set); sources is a list of outlet names (case-insensitive).
        """
        if not isinstance(k, int) or k < 1:
            raise BadRequest(f"k must be a whole number of at least 1, not {k!r}")
        text = clean_question(question)
        allowed = self._allowed(since, until, sources)
        vector = self.embedder.encode_query(text)
        scores, ids = self.data.store.search(vector, k, allowed)
        return [self._hit(rank, score, row) for rank, (score, row) in enumerate(zip(scores, ids), 1)]

    def _allowed(self, since, until, sources):
        if since is None and until is None and not sources:
            return None
        mask = np.ones(len(self._dates), dtype=bool)
        if since is not None or until is not None:
            mask &= self._dates >= 0
        if since is not None:
            mask &= self._dates >= since.toordinal()
        if until is not None:
            mask &= self._dates <= until.toordinal()
        if sources:
            mask &= np.isin(self._sources, [s.lower() for s in sources])
        return np.nonzero(mask)[0]

    def _hit(self, rank: int, score: float, row: int) -> Hit:
        p = self.data.passages[row]
        a = self.data.articles[p.article_id]
        return Hit(rank=rank, score=float(score), text=a.text[p.start:p.end], title=a.title, date=a.date,
                   source=a.source, url=a.url, article_id=a.id, start=p.start, end=p.end,
                   author=a.author, file=a.file, derived=a.derived)

    def outlets(self) -> list[str]:
        return sorted({a.source for a in self.data.articles.values() if a.source}, key=str.lower)

    def stats(self) -> dict:
        dates = [a.date for a in self.data.articles.values() if a.date]
        m = self.data.manifest
        return {"articles": len(self.data.articles), "passages": len(self.data.passages),
                "outlets": len(self.outlets()), "first_date": min(dates, default=None),
                "last_date": max(dates, default=None), "undated": len(self.data.articles) - len(dates),
                "model": m["model"]["name"], "built_at": m["built_at"], "problems": m["report"]["problems"]}
