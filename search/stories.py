"""Stories as typed records: which story an article belongs to, and the stories of a period.

The grouping itself happens at build time (index/stories.py); an index built before stories
existed is grouped here, in memory, on first use (the next build stores it).

>>> import datetime as dt
>>> s = Story(3, "Lava reaches Grindavik", ("a", "b"), dt.date(2024, 1, 14), dt.date(2024, 1, 16), ("Herald",))
>>> s.caption
'part of: Lava reaches Grindavik, 2 articles, 2024-01-14 → 2024-01-16'
"""
from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass


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
        n = len(self.article_ids)
        span = _span(self.first_date, self.last_date)
        return f"part of: {self.label}, {n} article{'s' * (n != 1)}" + (f", {span}" if span else "")

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
        self.table = data.stories if data.stories is not None else _group_now(data)
        self.rows_of = {}
        for row, p in enumerate(data.passages):
            self.rows_of.setdefault(p.article_id, []).append(row)
        self._records = {}
        self.cache = {}   # article id -> its sentences for timelines (search/timeline.py)

    def story(self, story_id: int) -> Story:
        if story_id not in self._records:
            arts = [self.data.articles[a] for a in self.table.members(story_id)]
            dates = [a.date for a in arts if a.date]
            self._records[story_id] = Story(story_id, self.table.labels[story_id], tuple(a.id for a in arts),
                                            min(dates, default=None), max(dates, default=None),
                                            tuple(dict.fromkeys(a.source for a in arts if a.source)))
        return self._records[story_id]

    def of_article(self, article_id: str) -> Story | None:
        story_id = self.table.story_of.get(article_id)
        return None if story_id is None else self.story(story_id)

    def stories(self, since=None, until=None, sources=None) -> list[Story]:
        """Stories with an article in the period (and from one of `sources`), newest first (by last
        article; on the same day the larger story first)."""
        wanted = {s.lower() for s in sources} if sources else None
        out = []
        for story_id, ids in self.table.groups.items():
            if any(_passes(self.data.articles[a], since, until, wanted) for a in ids):
                out.append(self.story(story_id))
        undated_last = dt.date.min
        return sorted(out, key=lambda s: (s.last_date or undated_last, len(s.article_ids), -s.id), reverse=True)


def _passes(article, since, until, wanted) -> bool:
    """The search filters' rules: a date bound leaves undated articles out; outlets case-insensitive."""
    if wanted is not None and (article.source or "").lower() not in wanted:
        return False
    if since is None and until is None:
        return True
    return article.date is not None and (since is None or article.date >= since) and \
        (until is None or article.date <= until)


def _group_now(data):
    from index.stories import group
    from index.story_features import ArticleFeatures
    articles = [data.articles[a] for a in data.articles]
    features = ArticleFeatures.build(articles, data.passages, data.store.vectors(), data.lexical)
    return group(features, data.articles)
