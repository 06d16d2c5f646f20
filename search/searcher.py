"""Ask an index questions and get typed hits.

    >>> from search import Searcher                      # doctest: +SKIP
    >>> s = Searcher.open()                              # doctest: +SKIP
    >>> hit = s.search("What clause did the Pentagon want removed?", k=3)[0]  # doctest: +SKIP
    >>> hit.source, hit.date_label                       # doctest: +SKIP
    ('Cointelegraph', '2026-03-05')

The query is embedded with the model named in the index manifest. Modes (`mode=`): see
search/ranking.py; the default is the best on the bench dev questions (README "Retrieval quality").
`as_of=date` answers only from articles published on or before it; near-duplicates of other articles fold into
one hit, their earliest-published copy, whose `also` lists the others (search/dedup.py); `per_source=N` keeps
at most N hits per outlet; each hit marks its best-answering sentence (`answer_start`, `answer_end`).
"""
from __future__ import annotations

import datetime as dt

import numpy as np

from corpus.dates import latest_date
from corpus.errors import NewsError
from index.config import resolve_index_dir
from index.storage import IndexData, current_generation, load_generation
from index.where import Where
from search import ranking
from search.dedup import collapse, shown
from search.hits import Hit
from search.request import (MAX_K, STORY_PASSAGES, Query, check_article_id, check_filters, check_request,
                            clean_question, last_day)

COLLAPSE_POOL = 50         # near-duplicates are looked for among this many top rows (or 3k) ...
MAX_COLLAPSE_POOL = 300    # ... but no more: the check is quadratic (3,000 rows took 56 s and 5.8 GB)


def collapse_depth(k: int) -> int:
    return min(max(COLLAPSE_POOL, 3 * k), MAX_COLLAPSE_POOL)


class Searcher:
    def __init__(self, data: IndexData, index_dir, embedder=None):
        self.data, self.index_dir, self._embedder = data, index_dir, embedder
        arts = [data.articles[p.article_id] for p in data.passages]
        # Per-passage columns for filtering without touching the articles again.
        self._dates = np.array([a.date.toordinal() if a.date else -1 for a in arts], dtype=np.int64)
        self._sources = np.array([(a.source or "").lower() for a in arts], dtype=object)
        # "today" for the recency prior: the newest date, not one in the future (an index built before dates
        # more than 2 days ahead were refused may hold a 2099 typo, which would make every article look old).
        trusted = self._dates[self._dates <= latest_date().toordinal()]
        self._newest = int(trusted.max()) if len(trusted) else -1
        self._stories = None
        self._outlets = None
        import faiss
        # One query gains nothing from OpenMP threads and loses to their spin-up and to a build
        # running beside it (measured: 2.0 ms on one thread vs 4.5 ms on two, idle machine).
        faiss.omp_set_num_threads(1)

    @classmethod
    def open(cls, index_dir=None, verify: bool = True, embedder=None) -> "Searcher":
        """Load the live index; `embedder` lets a caller share one loaded model."""
        index_dir = resolve_index_dir(index_dir)
        return cls(load_generation(index_dir, verify), index_dir, embedder)

    @property
    def embedder(self):
        if self._embedder is None:  # loaded on the first question, once
            from index.onnx_query import query_encoder
            self._embedder = query_encoder(self.data.config)
        return self._embedder

    def is_stale(self) -> bool:
        """True when a newer index generation has landed on disk since this one was loaded."""
        return current_generation(self.index_dir) != self.data.path

    @property
    def row_dates(self) -> np.ndarray:
        """Publication day (ordinal) of each passage row; -1 = undated."""
        return self._dates

    def passage_text(self, row: int) -> str:
        p = self.data.passages[row]
        return self.data.articles[p.article_id].text[p.start:p.end]

    def search(self, question: str, k: int = 10, since: dt.date | None = None,
               until: dt.date | None = None, sources=None, mode: str | None = None,
               as_of: dt.date | None = None, per_source: int | None = None, collapse: bool = True,
               spans: bool = True, params=None) -> list[Hit]:
        """The k best passages for the question, best first, within the filters.

        since/until are inclusive publication dates (undated articles are left out
        when either is set); sources is a list of outlet names (case-insensitive);
        as_of: only what was published on or before that day (the news as known then).
        spans=False skips finding the answer sentence where the mode has not already (hits then
        carry answer_start == answer_end == 0); the evaluation uses it to save time.
        params: a search.params.RankParams with other ranking constants (None: the defaults).
        """
        k, mode, per_source = check_request(k, mode, per_source, params)
        q = self.query(question, since, until, sources, as_of)
        # An outlet limit needs a deeper ranking to fill k from other outlets (3 * k gave 2 of 10 at 1 each).
        depth = 3 * k if per_source is None else min(30 * k, 3 * MAX_K)
        found = ranking.rank(self, q.text, q.vector, mode, q.allowed, depth, q.today, params or ranking.DEFAULT_PARAMS)
        groups = self._collapse(found.ranked, k) if collapse else [(r, []) for r, _ in found.ranked]
        groups = shown(groups, self._dates, self._sources, per_source, k)   # earliest copies, outlet limit
        scores, rows = dict(found.ranked), [row for row, _, _ in groups]
        spans = self._answer_spans(found, rows) if spans else \
            [(found.best[r].start, found.best[r].end) if r in found.best else (0, 0) for r in rows]
        return [self._hit(rank, scores[best], row, also, span)
                for rank, ((row, also, best), span) in enumerate(zip(groups, spans), 1)]

    def query(self, question: str, since=None, until=None, sources=None, as_of=None) -> Query:
        """The question as search() ranks it (bench/crossval.py reads questions through this too)."""
        text = clean_question(question)
        since, until, as_of, sources = check_filters(since, until, as_of, sources, self.outlets())
        allowed = self._allowed(since, last_day(until, as_of), sources)
        today = as_of.toordinal() if as_of is not None else self._newest
        return Query(text, self.embedder.encode_query(text), allowed, today)

    def _collapse(self, ranked, k: int) -> list:
        """Near-duplicates among the top rows fold into the best; rows further down stay as they are."""
        pool = [r for r, _ in ranked[:collapse_depth(k)]]
        arts = [self.data.passages[r].article_id for r in pool]   # one article's passages overlap by design
        return collapse(pool, self.data.store.vectors(pool), [self.passage_text(r) for r in pool], arts) + \
            [(r, []) for r, _ in ranked[len(pool):]]

    @staticmethod
    def _answer_spans(found, rows) -> list:
        """Rows the second stage did not score get their best sentence here (stored vectors)."""
        more = found.sources.best([r for r in rows if r not in found.best])
        return [(b.start, b.end) for b in (found.best.get(r) or more[r] for r in rows)]

    def _allowed(self, since, until, sources):
        """The rows the filters allow (None: all); the criteria travel with them (Milvus filters by them itself)."""
        if since is None and until is None and not sources:
            return None
        return Where.of(since, until, sources).select(self._dates, self._sources)

    def _hit(self, rank: int, score: float, row: int, also=(), span=(0, 0)) -> Hit:
        p = self.data.passages[row]
        a = self.data.articles[p.article_id]
        copies = tuple(dict.fromkeys((c.source, c.date, c.id) for c in (
            self.data.articles[self.data.passages[r].article_id] for r in also) if c.id != a.id))
        return Hit(rank=rank, score=float(score), text=a.text[p.start:p.end], title=a.title, date=a.date,
                   source=a.source, url=a.url, article_id=a.id, start=p.start, end=p.end,
                   author=a.author, file=a.file, derived=a.derived, also=copies,
                   answer_start=span[0], answer_end=span[1])

    # --- stories (search/stories.py, search/timeline.py) ---
    def story_index(self):
        """The loaded index's stories (search/stories.py StoryIndex), built on first use."""
        if self._stories is None:
            from search.stories import StoryIndex
            self._stories = StoryIndex(self.data)
        return self._stories

    def story(self, article_id: str):
        """The Story the article belongs to, or None for an unknown article id (one not a str: BadRequest)."""
        return self.story_index().of_article(check_article_id(article_id))

    def stories(self, since: dt.date | None = None, until: dt.date | None = None, sources=None) -> list:
        """Stories with an article in the period and from one of `sources`, newest first."""
        since, until, _, sources = check_filters(since, until, None, sources, self.outlets())
        return self.story_index().stories(since, until, sources)

    def timeline(self, question: str, k: int = STORY_PASSAGES, since: dt.date | None = None,
                 until: dt.date | None = None, as_of: dt.date | None = None, sources=None, hits: list | None = None) -> list:
        """The question's story as TimelineEntry records in date order (search/timeline.py); `hits`: the
        question's hits when the caller has searched already (with the same filters), else k are searched."""
        from search.timeline import timeline
        since, until, as_of, sources = check_filters(since, until, as_of, sources, self.outlets())
        return timeline(self, question, k, since, until, as_of, sources, hits)

    def outlets(self) -> list[str]:
        if self._outlets is None:  # the page asks on every rerun; the articles of a loaded index never change
            self._outlets = sorted({a.source for a in self.data.articles.values() if a.source}, key=str.lower)
        return list(self._outlets)

    def stats(self) -> dict:
        dates = [a.date for a in self.data.articles.values() if a.date]
        m = self.data.manifest
        return {"articles": len(self.data.articles), "passages": len(self.data.passages),
                "outlets": len(self.outlets()), "first_date": min(dates, default=None),
                "last_date": max(dates, default=None), "undated": len(self.data.articles) - len(dates),
                "model": m["model"]["name"], "built_at": m["built_at"], "problems": m["report"]["problems"]}

    def refresh(self) -> bool:
        """Switch to the newer generation if one has landed; True when switched.

        If the new one fails to load, this keeps answering from the one it has (and
        tries again next time); the loaded model is kept unless the new index names
        another. Call it between questions, e.g. before each one:

        >>> searcher.refresh() or searcher.search("What did the Pentagon offer?")  # doctest: +SKIP
        """
        if not self.is_stale():
            return False
        try:
            fresh = type(self).open(self.index_dir, embedder=self._embedder)
        except (NewsError, OSError):
            return False
        old, new = self.data.config, fresh.data.config
        weights = [d.manifest.get("model", {}).get("weights") for d in (self.data, fresh.data)]
        if (old.model_name, old.precision, weights[0]) != (new.model_name, new.precision, weights[1]):
            fresh._embedder = None   # another model, or the same folder adapted again: its own encoder
        self.__dict__ = fresh.__dict__  # one swap: a question sees the old index or the new, never a mix
        return True
