"""A question's story as a timeline: its articles in date order, what each added, what it changed.

The story (or stories) a question is about are those of its best passages; every article of
them becomes an entry (within the date and outlet filters; `as_of` ends the timeline there).
An entry's `new` sentences are those not already said by the story's coverage of earlier days.
Sentence vectors (stored at build time, index/sentences.py) are read in their passage's context,
so sentences of one story are all fairly close (cosine 0.7-0.85); said before therefore takes
both a close earlier sentence and most of the same content words. A sentence that restates an
earlier one holding figures (the closest such, cosine >= `RESTATES`) with another number or date
(or name, when nearly the same sentence) is an `Update` pointing at it (search/changes.py).

    >>> entries = searcher.timeline("How bad was the Lahaina fire?")           # doctest: +SKIP
    >>> entries[0].first_report, entries[-1].updates[0].changed                # doctest: +SKIP
    (True, ('55 → 96',))
"""
from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

import numpy as np

from search.changes import _when, changed, numbers
from search.stories import _passes

NEW_BELOW = 0.80   # said before: an earlier sentence at least this close (cosine) ...
SAID_SHARE = 0.6   # ... holding this share of the sentence's content words (stems; stopwords out)
RESTATES = 0.80    # an earlier sentence with figures this close (cosine) ...
RESTATE_WORDS = 0.4  # ... sharing this share of content words, whose figures this one changes: an update
SAME_SENTENCE = 0.90  # ... and from this close on, one naming someone else is an update too
MIN_WORDS = 5      # shorter sentences (datelines, captions, "Read more") are never listed
MAX_SENTENCES = 60  # an article's first sentences compared (news leads with what happened; live blogs run
                    # to hundreds of sentences, and comparing them all cost ~0.2 s a timeline on the bench)
STORY_SHARE = 0.6  # a story of the hits is in the timeline with this share of the best story's weight
MAX_STORIES = 3


@dataclass(frozen=True)
class Update:
    sentence: str                  # the later sentence
    date: dt.date | None
    source: str | None
    earlier: str                   # the earlier sentence it restates
    earlier_date: dt.date | None
    earlier_source: str | None
    earlier_article_id: str
    changed: tuple[str, ...]       # "old → new" per kind of fact, e.g. ("700 → 1,400",)


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
    first_report: bool = False     # the story's first dated entry (in this timeline)

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
             sources=None) -> list[TimelineEntry]:
    """The timeline of the stories of the question's k best passages (see the module doc)."""
    from threadpoolctl import threadpool_limits
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
    """Entries of the given stories in date order (undated last), within the filters."""
    if as_of is not None:
        until = as_of if until is None else min(until, as_of)
    wanted = {s.lower() for s in sources} if sources else None
    entries = []
    for story_id in story_ids:
        arts = [stories.data.articles[a] for a in stories.table.members(story_id)]
        arts = [a for a in arts if _passes(a, since, until, wanted)]
        entries += _story_entries(stories, story_id, arts)
    return sorted(entries, key=lambda e: (e.date is None, e.date or dt.date.min, e.story_id, e.source or ""))


def _story_entries(stories, story_id: int, arts: list) -> list[TimelineEntry]:
    arts = sorted(arts, key=lambda a: (a.date is None, a.date or dt.date.min, a.source or "", a.id))
    said = _Said(stories, arts)
    out, day_start = [], 0
    for n, article in enumerate(arts):
        if n == 0 or article.date != arts[n - 1].date or article.date is None:
            day_start = said.offsets[n]   # sentences before this day's first article count as said
        new, updates = said.compare(n, day_start)
        out.append(TimelineEntry(article.date, article.source, article.title, article.url, article.id, story_id,
                                 tuple(new), tuple(updates), first_report=not out and article.date is not None))
    return out


class _Said:
    """Every sentence of a story's articles, in timeline order: text, vector, content words, article."""

    def __init__(self, stories, arts: list):
        self.texts, vecs, self.words, facts, self.articles, self.offsets = [], [], [], [], [], [0]
        for article in arts:
            texts, v, words, f = _sentences(stories, article)
            self.texts += texts
            vecs.append(v)
            self.words += words
            facts.append(f)
            self.articles += [article] * len(texts)
            self.offsets.append(len(self.texts))
        self.vecs = np.concatenate(vecs) if vecs else np.zeros((0, 0), np.float32)
        self.facts = np.concatenate(facts) if facts else np.zeros(0, bool)

    def compare(self, n: int, before: int) -> tuple[list, list]:
        """(new sentences, updates) of article n against the sentences before index `before`."""
        lo, hi = self.offsets[n], self.offsets[n + 1]
        if not before:
            return self.texts[lo:hi], []
        sims = self.vecs[lo:hi] @ self.vecs[:before].T
        said = np.zeros(hi - lo, dtype=bool)
        for r, j in zip(*np.nonzero(sims >= NEW_BELOW)):  # close pairs are few: check their words
            said[r] = said[r] or len(self.words[lo + r] & self.words[j]) >= SAID_SHARE * max(len(self.words[lo + r]), 1)
        # An update restates a sentence with figures (or nearly repeats one naming someone else).
        figures = (sims >= RESTATES) & ((self.facts[lo:hi, None] & self.facts[None, :before]) | (sims >= SAME_SENTENCE))
        updates = {}
        for r in np.unique(np.nonzero(figures)[0]):
            update = self._update(lo + int(r), sims[r], np.nonzero(figures[r])[0])
            if update is not None:
                updates[int(r)] = update
        new = [self.texts[lo + r] for r in range(hi - lo) if r in updates or not said[r]]
        return new, list(updates.values())

    def _update(self, i: int, sims, close) -> Update | None:
        """The earlier sentence (of `close`) that sentence i restates with other figures, if any: the
        closest one that shares RESTATE_WORDS of the shorter one's content words."""
        words = self.words[i]
        shared = [j for j in close[np.argsort(-sims[close])]
                  if len(words & self.words[j]) >= RESTATE_WORDS * max(min(len(words), len(self.words[j])), 1)]
        if not shared:
            return None
        j = int(shared[0])
        diff = changed(self.texts[j], self.texts[i], with_names=sims[j] >= SAME_SENTENCE)
        new, old = self.articles[i], self.articles[j]
        return Update(self.texts[i], new.date, new.source, self.texts[j], old.date, old.source, old.id, diff) \
            if diff else None


def _sentences(stories, article):
    """An article's sentences, unit vectors, content words (no numbers) and whether each holds figures;
    kept per loaded index, so a warm timeline reads and tokenizes nothing again."""
    cached = stories.cache.get(article.id)
    if cached is None:
        texts, vecs = article_sentences(stories, article)
        tokenize = stories.data.lexical.tokenize
        words = [{w for w in tokenize(t) if not w[0].isdigit()} for t in texts]
        facts = np.array([bool(numbers(t) or _when(t)) for t in texts], dtype=bool)
        cached = stories.cache[article.id] = (texts, vecs, words, facts)
    return cached


def article_sentences(stories, article) -> tuple[list[str], np.ndarray]:
    """The article's sentences in text order (each once: passages overlap) and their unit vectors."""
    data, seen, texts, idx = stories.data, set(), [], []
    table = data.sentences
    for row in stories.rows_of.get(article.id, []):
        base = data.passages[row].start
        for k, (a, b) in enumerate(table.span_rows(row)):
            start, end = base + int(a), base + int(b)
            text = " ".join(article.text[start:end].split())
            if start in seen or len(text.split()) < MIN_WORDS or len(texts) >= MAX_SENTENCES:
                continue
            seen.add(start)
            texts.append(text)
            idx.append(table.first[row] + k)
    idx = np.asarray(idx, dtype=np.int64)
    return texts, np.asarray(table.vectors[idx], dtype=np.float32) * np.asarray(table.scales[idx])[:, None]
