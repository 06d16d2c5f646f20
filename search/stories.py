"""Stories as typed records: which story an article belongs to, and the stories of a period.

The grouping itself happens at build time (index/stories.py); an index built before stories
existed is grouped here, in memory, on first use (the next build stores it).

>>> import datetime as dt
>>> s = Story(3, "Lava reaches Grindavik", ("a", "b"), dt.date(2024, 1, 14), dt.date(2024, 1, 16), ("Herald",))
>>> s.caption
'part of: Lava reaches Grindavik, 2 articles, 2024-01-14 → 2024-01-16'

What a page shows of a story "as of" a day (or within dates) is `visible_story`/`story_caption`:
the story as the news stood then, its count, dates and label from the allowed articles only.
"""
from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from dataclasses import asdict, dataclass

import numpy as np

from index.where import Where
from search.request import last_day


@dataclass(frozen=True)
class Story:
    id: int
    label: str                       # a short human title: the title of its most central article
    article_ids: tuple[str, ...]     # date order, undated last
    first_date: dt.date | None
    last_date: dt.date | None
    sources: tuple[str, ...]         # outlets, in order of their first article

    @property
    def caption(self) -> str:
        return f"part of: {self.label}, {self.extent}"

    @property
    def extent(self) -> str:
        """"N articles, first → last date" (the caption without the label, which may hold commas)."""
        n = len(self.article_ids)
        span = _span(self.first_date, self.last_date)
        return f"{n} article{'s' * (n != 1)}" + (f", {span}" if span else "")

    def shown(self, n: int) -> str:
        """" (N shown)" when filters show n of its articles, not all; "" when they show all."""
        return f" ({n} shown)" if n != len(self.article_ids) else ""

    def to_json(self) -> dict:
        row = asdict(self)
        row.update(article_ids=list(self.article_ids), sources=list(self.sources),
                   first_date=_iso(self.first_date), last_date=_iso(self.last_date))
        return row


def _iso(day):
    return day.isoformat() if day else None


def _span(first, last) -> str:
    if first is None:
        return "undated"
    return first.isoformat() if first == last else f"{first.isoformat()} → {last.isoformat()}"


class StoryIndex:
    """The stories of one loaded index: lookups by article and by period, and each article's passage rows."""

    def __init__(self, data):
        self.data = data
        # Stored stories grouped by an earlier rule (an index built before an upgrade) are regrouped
        # in memory, as an index built before stories is: the page shows today's grouping at once.
        stored = data.stories
        self.table = stored if stored is not None and stored.current else _group_now(data)
        self.rows_of = {}
        for row, p in enumerate(data.passages):
            self.rows_of.setdefault(p.article_id, []).append(row)
        self._records = {}
        self._within = {}  # (story id, since, until) -> Story | None
        self.cache = OrderedDict()   # article id -> its sentences, least recently used first (search/said.py)

    def story(self, story_id: int) -> Story:
        if story_id not in self._records:
            arts = [self.data.articles[a] for a in self.table.members(story_id)]
            dates = [a.date for a in arts if a.date]
            self._records[story_id] = Story(story_id, self.table.labels[story_id], tuple(a.id for a in arts),
                                            min(dates, default=None), max(dates, default=None),
                                            tuple(dict.fromkeys(a.source for a in arts if a.source)))
        return self._records[story_id]

    def within(self, story_id: int, since=None, until=None) -> Story | None:
        """The story restricted to its articles dated within since..until (None: none is); when that
        leaves some out, the label is the title of the kept article nearest their centre."""
        full = self.story(story_id)
        if since is None and until is None:
            return full
        key = (story_id, since, until)
        if key not in self._within:
            if len(self._within) > 4096:   # a long session moving the dates about
                self._within.clear()
            self._within[key] = self._restricted(full, since, until)
        return self._within[key]

    def _restricted(self, full: Story, since, until) -> Story | None:
        story_id = full.id
        arts = [self.data.articles[a] for a in full.article_ids]
        arts = admitted(arts, since, until)
        if not arts:
            return None
        if len(arts) == len(full.article_ids):
            return full
        dates = [a.date for a in arts]   # all dated: a date bound leaves the undated out
        return Story(story_id, self._label(arts), tuple(a.id for a in arts), min(dates), max(dates),
                     tuple(dict.fromkeys(a.source for a in arts if a.source)))

    def _label(self, arts: list) -> str:
        """As index/stories.py labels a story (central_title), from these articles only."""
        from index.story_labels import central_title
        rows = [self.rows_of.get(a.id, []) for a in arts]
        if len(arts) == 1 or not all(rows):
            return central_title([arts[0].title], None)
        flat = self.data.store.vectors([r for rs in rows for r in rs])
        bounds = np.cumsum([0] + [len(rs) for rs in rows])
        vecs = np.asarray([flat[a:b].mean(axis=0) for a, b in zip(bounds[:-1], bounds[1:])], dtype=np.float32)
        vecs /= np.maximum(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-12)
        return central_title([a.title for a in arts], vecs)

    def of_article(self, article_id: str) -> Story | None:
        story_id = self.table.story_of.get(article_id)
        return None if story_id is None else self.story(story_id)

    def stories(self, since=None, until=None, sources=None) -> list[Story]:
        """Stories with an article in the period (and from one of `sources`), each as it stood within
        the period (within(): its count, dates and label from those articles only), newest first (by
        last article; on the same day the larger story first)."""
        passing = {a.id for a in admitted(self.data.articles.values(), since, until, sources)}
        out = [self.within(story_id, since, until) for story_id, ids in self.table.groups.items()
               if any(a in passing for a in ids)]
        undated_last = dt.date.min
        return sorted(out, key=lambda s: (s.last_date or undated_last, len(s.article_ids), -s.id), reverse=True)


def visible_story(stories: StoryIndex, story_id, since=None, until=None, as_of=None) -> Story | None:
    """The story as the page may show it under the search filters: as of a day (or until it) only what
    was published by then counts, so neither the count, the last date nor the label tells of later
    coverage; `since` bounds it the same way. None for no story, or none of its articles allowed."""
    if story_id is None:
        return None
    return stories.within(story_id, since, last_day(until, as_of))


def story_caption(stories: StoryIndex, story_id, since=None, until=None, as_of=None) -> str | None:
    """The story line ("part of: <label>, N articles, first → last") under the filters (visible_story)."""
    story = visible_story(stories, story_id, since, until, as_of)
    return story.caption if story else None


def admitted(articles, since=None, until=None, sources=None) -> list:
    """The articles the search filters let through (index/where.py's rule, as for passage rows)."""
    articles = list(articles)
    ok = Where.of(since, until, sources).admits(np.array([a.date.toordinal() if a.date else -1 for a in articles]),
                                               [(a.source or "").lower() for a in articles])
    return [a for a, keep in zip(articles, ok) if keep]


def _group_now(data):
    from index.stories import group
    from index.story_features import ArticleFeatures
    return group(ArticleFeatures.of_index(data), data.articles)
