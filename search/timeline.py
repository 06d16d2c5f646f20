"""A question's story as a timeline: its articles in date order, what each added, what it changed.

The story (or stories) a question is about are those of its best passages; every article of
them becomes an entry (within the date and outlet filters; `as_of` ends the timeline there).
An entry's `new` sentences are those not already said by the story's coverage of earlier days,
and its `updates` the sentences that restate an earlier one with other figures (search/said.py).

    >>> entries = searcher.timeline("How bad was the Lahaina fire?")           # doctest: +SKIP
    >>> entries[0].first_report, entries[-1].updates[0].changed                # doctest: +SKIP
    (True, ('55 → 96',))
"""
from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

from search.said import Said, Update  # noqa: F401  (Update: a field of TimelineEntry, exported here)
from search.request import last_day
from search.stories import admitted

STORY_SHARE = 0.6  # a story of the hits is in the timeline with this share of the best story's weight
MAX_STORIES = 3


@dataclass(frozen=True)
class TimelineEntry:
    date: dt.date | None           # None: undated (these come last)
    source: str | None
    title: str
    url: str | None
    article_id: str
    story_id: int
    new: tuple[str, ...]           # sentences not said by the story's coverage before this day
    updates: tuple[Update, ...] = ()
    # Published on the story's first day (of its coverage known by then): dates carry no time of day, so
    # every outlet that reported on that day is a first report, not the one whose name sorts first.
    first_report: bool = False
    derived: tuple[str, ...] = ()  # the article's fields derived, not given ("date", "source", "title")

    @property
    def undated(self) -> bool:
        return self.date is None

    @property
    def date_label(self) -> str:
        return self.date.isoformat() if self.date else "undated"

    def to_json(self) -> dict:
        row = asdict(self)
        row["date"] = self.date.isoformat() if self.date else None
        row["new"] = list(self.new)
        row["updates"] = [dict(asdict(u), date=_iso(u.date), earlier_date=_iso(u.earlier_date),
                               changed=list(u.changed)) for u in self.updates]
        return row


def _iso(day):
    return day.isoformat() if day else None


def timeline(searcher, question: str, k: int = 10, since=None, until=None, as_of=None,
             sources=None, hits: list | None = None) -> list[TimelineEntry]:
    """The timeline of the stories of the question's k best passages (see the module doc), or of `hits`
    (a search the caller has made already; only their article ids and ranks are read)."""
    from threadpoolctl import threadpool_limits
    if hits is None:
        hits = searcher.search(question, k=k, since=since, until=until, as_of=as_of, sources=sources, spans=False)
    stories = searcher.story_index()
    # One thread for the sentence products, as FAISS has for queries: these are small, and on a busy
    # machine BLAS threads spin for their share (bench: 55 vs 20 ms of CPU a timeline).
    with threadpool_limits(limits=1, user_api="blas"):
        return build_timeline(stories, question_stories(stories, hits), since, until, as_of, sources)


def question_stories(stories, hits) -> list[int]:
    """The stories the hits come from, weighted by 1/rank, that are close to the best one."""
    weight = {}
    for hit in hits:
        story = stories.table.story_of.get(hit.article_id)
        weight[story] = weight.get(story, 0.0) + 1.0 / hit.rank
    ranked = sorted(weight.items(), key=lambda kv: -kv[1])
    return [s for s, w in ranked[:MAX_STORIES] if s is not None and w >= STORY_SHARE * ranked[0][1]]


def build_timeline(stories, story_ids, since=None, until=None, as_of=None, sources=None) -> list[TimelineEntry]:
    """Entries of the given stories in date order (undated last), within the filters.

    What an entry added and changed is judged against all of its story's coverage known by then
    (to `until` / `as_of`), whichever outlets and days the filters show: an outlet shown alone does
    not make its articles the first report, nor repeat as new what others said the day before.
    """
    until = last_day(until, as_of)
    entries = []
    for story_id in story_ids:
        known = admitted((stories.data.articles[a] for a in stories.table.members(story_id)), until=until)
        shown = {a.id for a in admitted(known, since, until, sources)}
        entries += [e for e in _story_entries(stories, story_id, known) if e.article_id in shown]
    return sorted(entries, key=lambda e: (e.date is None, e.date or dt.date.min, e.story_id, e.source or ""))


def _first_day(arts: list, article) -> bool:
    return article.date is not None and article.date == arts[0].date


def _story_entries(stories, story_id: int, arts: list) -> list[TimelineEntry]:
    arts = sorted(arts, key=lambda a: (a.date is None, a.date or dt.date.min, a.source or "", a.id))
    said = Said(stories, arts)
    out, day_start = [], 0
    for n, article in enumerate(arts):
        if n == 0 or article.date != arts[n - 1].date or article.date is None:
            day_start = said.offsets[n]   # sentences before this day's first article count as said
        new, updates = said.compare(n, day_start)
        out.append(TimelineEntry(article.date, article.source, article.title, article.url, article.id, story_id,
                                 tuple(new), tuple(updates), first_report=_first_day(arts, article),
                                 derived=article.derived))
    return out


def by_story(entries) -> dict:
    """story id -> its entries, in the order given (date order, undated last); stories in the order they first
    appear: each story is shown once, its own entries under it, on the page and the command line alike.

    >>> e = [TimelineEntry(dt.date(2024, 3, 4), "Post", "Chess", None, "c", 2, ()),
    ...      TimelineEntry(dt.date(2024, 3, 5), "Ledger", "Flood", None, "b", 1, ()),
    ...      TimelineEntry(None, None, "Why", None, "d", 2, ())]
    >>> [[x.article_id for x in own] for own in by_story(e).values()]
    [['c', 'd'], ['b']]
    """
    stories = {}
    for e in entries:
        stories.setdefault(e.story_id, []).append(e)
    return stories
