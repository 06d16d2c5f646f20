"""What a story's coverage had said before: each article's sentences against those of earlier days.

Sentence vectors (stored at build time, index/sentences.py) are read in their passage's context,
so sentences of one story are all fairly close (cosine 0.7-0.85); "said before" therefore takes
both a close earlier sentence (`NEW_BELOW`) and most of the same content words (`SAID_SHARE`).
A sentence that restates an earlier one holding figures (the closest such, cosine >= `RESTATES`,
sharing `RESTATE_WORDS` of the content words) with another number or date (or name, when nearly
the same sentence) is an `Update` pointing at it; search/changes.py says what changed. A restatement in other words is
found by what its figures count (search/tallies.py, `RECOUNT`). A sentence repeated word for word is
said before whatever its vectors say, and page furniture (search/boilerplate.py) is never listed. Used by
search/timeline.py, which lays the entries out.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import numpy as np

from search.changes import _when, changed
from search.figures import numbers, same_figure
from search.boilerplate import boilerplate
from search.tallies import batches, names_of, recount, same_subject, tallies, two_subjects

NEW_BELOW = 0.80   # said before: an earlier sentence at least this close (cosine) ...
SAID_SHARE = 0.6   # ... holding this share of the sentence's content words (stems; stopwords out)
RESTATES = 0.80    # an earlier sentence with figures this close (cosine) ...
RESTATE_WORDS = 0.4  # ... sharing this share of content words, whose figures this one changes: an update
SAME_SENTENCE = 0.90  # ... and from this close on, one naming someone else is an update too
RECOUNT = 0.70     # a sentence counting what an earlier one this close counted (the dead, the missing ...),
                   # with another figure than the latest such count, is an update whatever its wording
MIN_WORDS = 5      # shorter sentences (datelines, captions, "Read more") are never listed
CACHED_ARTICLES = 1000  # articles whose sentences stay read (a timeline reads a few stories' worth)
MAX_SENTENCES = 60  # an article's first sentences compared (news leads with what happened; live blogs run
                    # to hundreds of sentences, and comparing them all cost ~0.2 s a timeline on the bench)


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


class Said:
    """Every sentence of a story's articles, in timeline order: text, vector, content words, article."""

    def __init__(self, stories, arts: list):
        self.texts, vecs, self.words, facts, self.counts, self.articles, self.offsets = [], [], [], [], [], [], [0]
        self.plain, self.figures = [], []
        for article in arts:
            texts, v, words, f, c, plain, figs = _sentences(stories, article)
            self.texts += texts
            self.plain += plain
            self.figures += figs
            vecs.append(v)
            self.words += words
            facts.append(f)
            self.counts += c
            self.articles += [article] * len(texts)
            self.offsets.append(len(self.texts))
        self.vecs = np.concatenate(vecs) if vecs else np.zeros((0, 0), np.float32)
        self.facts = np.concatenate(facts) if facts else np.zeros(0, bool)
        self.counted = np.array([bool(c) for c in self.counts], dtype=bool)
        self._name_cache: dict = {}
        # The same sentence word for word: its vectors, read in two articles' contexts, can sit below
        # NEW_BELOW (0.67-0.79 measured), so a repeat is found by its text; the first place it appears.
        self.first = {}
        for i, text in enumerate(self.plain):
            self.first.setdefault(text, i)

    def compare(self, n: int, before: int) -> tuple[list, list]:
        """(new sentences, updates) of article n against the sentences before index `before`."""
        lo, hi = self.offsets[n], self.offsets[n + 1]
        if not before:
            return self.texts[lo:hi], []
        sims = self.vecs[lo:hi] @ self.vecs[:before].T
        said = np.array([self.first[t] < before for t in self.plain[lo:hi]], dtype=bool)
        repeated = said.copy()   # said before word for word: neither new nor an update of anything
        for r, j in zip(*np.nonzero(sims >= NEW_BELOW)):  # close pairs are few: check their words and figures
            said[r] = said[r] or (len(self.words[lo + r] & self.words[j]) >= SAID_SHARE * max(len(self.words[lo + r]), 1)
                                  and self.figures[lo + r] <= self.figures[j])   # a new figure is news
        # An update restates a sentence with figures (or nearly repeats one naming someone else).
        figures = (sims >= RESTATES) & ((self.facts[lo:hi, None] & self.facts[None, :before]) | (sims >= SAME_SENTENCE))
        figures[repeated] = False
        updates, batch = {}, set()
        for r in np.unique(np.nonzero(figures)[0]):
            update = self._update(lo + int(r), sims[r], np.nonzero(figures[r])[0])
            if update is not None and batches(update.earlier, update.sentence):
                batch.add(int(r))   # another day's release or arrests: news of its own, no revision (tallies.py)
            elif update is not None:
                updates[int(r)] = update
        for r in range(hi - lo):  # restated in other words: what the figures count, against the latest count
            if r not in updates and self.counts[lo + r] and not repeated[r]:
                update = self._recount(lo + r, sims[r])
                if update is not None:
                    updates[r] = update
        new = [self.texts[lo + r] for r in range(hi - lo) if r in updates or r in batch or not said[r]]
        return new, list(updates.values())

    def _update(self, i: int, sims, close) -> Update | None:
        """The earlier sentence (of `close`) that sentence i restates with other figures, if any: the
        closest one that shares RESTATE_WORDS of the shorter one's content words."""
        words = self.words[i]
        j = next((int(j) for j in close[np.argsort(-sims[close])]   # the closest one, names read only till found
                  if len(words & self.words[j]) >= RESTATE_WORDS * max(min(len(words), len(self.words[j])), 1)
                  and not two_subjects(self.texts[j], self.texts[i]) and not self._count_apart(i, j)), None)
        if j is None:
            return None
        diff = self._by_kind(i, j) + changed(self.texts[j], self.texts[i], with_names=sims[j] >= SAME_SENTENCE,
                                                   ignore=self._counted_figures(i, j))
        new, old = self.articles[i], self.articles[j]
        return Update(self.texts[i], new.date, new.source, self.texts[j], old.date, old.source, old.id, diff) \
            if diff else None

    def _count_apart(self, i: int, j: int) -> bool:
        """Both sentences count (search/tallies.py), and not the same kind of thing: "423,000 have fled" and
        "8,800 were killed" are two figures, not one revised (whose dead they are is left to changed())."""
        def kinds(counts):
            return {key.split(" (")[0] for key in counts}
        return bool(self.counts[i]) and bool(self.counts[j]) and not kinds(self.counts[i]) & kinds(self.counts[j])

    def _by_kind(self, i: int, j: int) -> tuple:
        """What both sentences count, compared kind by kind: "12 killed and 300 homes flooded" then "2,000
        displaced and 800 homes flooded" is "buildings: 300 → 800", not "12, 300 → 2,000, 800"."""
        shared = self.counts[i].keys() & self.counts[j].keys()
        return recount({k: self.counts[j][k] for k in shared}, {k: self.counts[i][k] for k in shared})

    def _counted_figures(self, i: int, j: int) -> set:
        """The figures both sentences count (the dead, homes ...), compared by kind, not as bare figures; none
        when only one counts: "has killed 55" then "has claimed 93" is the toll told without a kind word."""
        if not (self.counts[i] and self.counts[j]):
            return set()
        return {same_figure(n) for c in (self.counts[i], self.counts[j]) for figures in c.values() for n in figures}

    def _recount(self, i: int, sims) -> Update | None:
        """Sentence i's tallies (search/tallies.py) against the latest earlier count of each of its kinds
        about the same subject at cosine >= RECOUNT: an Update pointing at the latest earlier sentence
        whose count differs, or None when every kind agrees (or none was counted before)."""
        wanted, theirs, where = dict(self.counts[i]), {}, {}
        for j in np.nonzero((sims >= RECOUNT) & self.counted[:len(sims)])[0][::-1]:   # latest first
            kinds = wanted.keys() & self.counts[j].keys()
            if kinds and same_subject(self._names(int(j)), self._names(i)):
                for kind in kinds:
                    theirs[kind], where[kind] = self.counts[j][kind], int(j)
                    del wanted[kind]
                if not wanted:
                    break
        differ = [kind for kind in theirs if recount({kind: theirs[kind]}, self.counts[i])]
        if not differ:
            return None
        j = max(where[kind] for kind in differ)
        new, old = self.articles[i], self.articles[j]
        return Update(self.texts[i], new.date, new.source, self.texts[j], old.date, old.source, old.id,
                      recount({kind: theirs[kind] for kind in differ}, self.counts[i]))

    def _names(self, i: int) -> list:
        if i not in self._name_cache:   # only for the few candidates a tally reaches
            self._name_cache[i] = names_of(self.texts[i])
        return self._name_cache[i]


def _sentences(stories, article):
    """An article's sentences, unit vectors, content words (no numbers), whether each holds figures,
    what they count (search/tallies.py), their plain form (word-for-word repeats) and figures; kept per loaded index for the CACHED_ARTICLES used last, so a
    warm timeline reads them once and a long session does not keep every article's (~90 KB each)."""
    cached = stories.cache.get(article.id)
    if cached is not None:
        stories.cache.move_to_end(article.id)
    else:
        texts, vecs = article_sentences(stories, article)
        tokenize = stories.data.lexical.tokenize
        words = [{w for w in tokenize(t) if not w[0].isdigit()} for t in texts]
        figures = [frozenset(same_figure(n) for n in numbers(t)) for t in texts]
        facts = np.array([bool(f or _when(t)) for f, t in zip(figures, texts)], dtype=bool)
        counted = [tallies(t, article.date.year if article.date else None) for t in texts]
        cached = stories.cache[article.id] = (texts, vecs, words, facts, counted, [_plain(t) for t in texts], figures)
        while len(stories.cache) > CACHED_ARTICLES:
            stories.cache.popitem(last=False)
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
            if start in seen or len(text.split()) < MIN_WORDS or len(texts) >= MAX_SENTENCES or boilerplate(text):
                continue
            seen.add(start)
            texts.append(text)
            idx.append(table.first[row] + k)
    idx = np.asarray(idx, dtype=np.int64)
    return texts, table.floats(idx)


def _plain(text: str) -> str:
    """A sentence as compared for a word-for-word repeat: case, punctuation and spacing aside."""
    return " ".join(re.findall(r"[-$£€]?\w+", text.lower()))   # signs and currencies kept: -5 is not 5
