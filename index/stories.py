"""Stories: every article belongs to one, the articles about the same developing event.

Grouped at build time, in one pass over the articles in date order (undated ones last), as
news arrives: an article joins the story it is most similar to among the stories with an
article published within `WINDOW_DAYS` of it, if that similarity reaches `JOIN`; otherwise
it starts a story of its own. A story's similarity is the mean over its articles in the
window (average link: one shared name does not chain two events together the way
connected components do), from index/story_features.py (passage vectors, BM25 terms, titles),
less `GAP_PENALTY` per 30 days since (or until) the story's nearest article: a story may
run for weeks, but the longer it has been quiet the closer a report must be to rejoin it.

An incremental build keeps the story of every article that is unchanged since the previous build,
of a story none of whose articles is gone, and runs the same step for the others only; a full build
groups afresh. "Unchanged" is judged by a digest of the article's title, date and text stored with
its assignment, not by its id: an edited file keeps its id, and a feed's entries are numbered by
position (`key#n`). Stored in the generation as `stories/stories.json`, listed in the manifest
with size and sha256 like every data file.

>>> t = StoryTable.from_groups({1: ["b", "a"], 4: ["c"]}, {1: "Lava", 4: "Rates"})
>>> t.story_of["a"], t.members(1), t.next_id
(1, ('b', 'a'), 5)
>>> digest(_Art("t", "x")) == digest(_Art("t", "x")) != digest(_Art("t", "y"))
True
"""
from __future__ import annotations

import hashlib
import json
from collections import namedtuple
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from index.story_labels import central_title

STORY_DIR = "stories"
STORY_FILE = "stories.json"
# Chosen on the dev stories, cross-validated by story (README "Stories").
WINDOW_DAYS = 60   # an article is compared with a story's articles published within this many days of it
JOIN = 0.48        # mean similarity with those articles (less the gap penalty) needed to join the story
GAP_PENALTY = 0.05  # taken off per 30 days between the article and the story's nearest article

@dataclass(frozen=True)
class Rule:
    """When an article joins a story; the defaults are what builds use (bench/stories.py --sweep varies them)."""
    window_days: int = WINDOW_DAYS
    join: float = JOIN
    gap_penalty: float = GAP_PENALTY


@dataclass(frozen=True)
class StoryTable:
    story_of: dict    # article id -> story id
    labels: dict      # story id -> label
    groups: dict      # story id -> tuple of article ids (date order once built from an index)
    digests: dict = field(default_factory=dict)  # article id -> digest() of the article when it was placed
    settings: dict | None = None   # the rule it was grouped by (None: made from groups, by no rule)

    @classmethod
    def from_groups(cls, groups: dict, labels: dict, digests: dict | None = None) -> "StoryTable":
        groups = {int(s): tuple(ids) for s, ids in groups.items() if ids}
        story_of = {a: s for s, ids in groups.items() for a in ids}
        digests = {a: d for a, d in (digests or {}).items() if a in story_of}
        return cls(story_of, {s: labels[s] for s in groups}, groups, digests)

    @property
    def next_id(self) -> int:
        return max(self.groups, default=-1) + 1

    def members(self, story: int) -> tuple:
        return self.groups.get(story, ())

    def save(self, folder: Path) -> list[str]:
        folder.mkdir(parents=True, exist_ok=True)
        rows = [{"id": s, "label": self.labels[s], "articles": list(ids),
                 "digests": [self.digests.get(a) for a in ids]} for s, ids in sorted(self.groups.items())]
        text = json.dumps({"settings": settings() if self.settings is None else self.settings, "stories": rows},
                          ensure_ascii=False)
        (folder / STORY_FILE).write_text(text, encoding="utf-8")
        return [f"{folder.name}/{STORY_FILE}"]

    @classmethod
    def load(cls, folder: Path, article_ids) -> "StoryTable":
        data = json.loads((folder / STORY_FILE).read_text(encoding="utf-8"))
        digests = {a: d for r in data["stories"] for a, d in zip(r["articles"], r.get("digests") or ()) if d}
        table = cls.from_groups({r["id"]: r["articles"] for r in data["stories"]},
                                {r["id"]: str(r["label"]) for r in data["stories"]}, digests)
        if set(table.story_of) != set(article_ids):
            raise ValueError("the story table does not cover the index's articles")
        return replace(table, settings=data.get("settings") or {})

    @property
    def current(self) -> bool:
        """Grouped by today's rule: a build may keep its stories (after an upgrade it groups afresh)."""
        return self.settings is None or _grouped_now(self.settings)


def described(index_dir: Path, manifest: dict) -> str:
    """What `python -m index info` says of the live generation's stories (manifest: its checked manifest)."""
    from index.generations import current_generation
    if f"{STORY_DIR}/{STORY_FILE}" not in manifest["data"]:
        return "no stories stored: the next build groups the articles (nothing is embedded)"
    data = json.loads((current_generation(index_dir) / STORY_DIR / STORY_FILE).read_text(encoding="utf-8"))
    n = len(data["stories"])
    told = f"{n} {'story' if n == 1 else 'stories'}"
    if _grouped_now(data.get("settings")):
        return f"{told}, grouped by this version's rule"
    return f"{told}, grouped by an earlier rule: the next build groups them afresh (nothing is embedded)"


def _grouped_now(stored) -> bool:
    return stored == settings()


def settings(rule: Rule = Rule(), features=None) -> dict:
    """The rule stories were grouped by, stored with them: the defaults unless a sweep varied them."""
    from index.story_features import TERM_WEIGHT, TITLE_WEIGHT
    from index.title_match import COMMON, rarity_source
    return {"window_days": rule.window_days, "join": rule.join, "gap_penalty": rule.gap_penalty,
            "term_weight": getattr(features, "term_weight", TERM_WEIGHT),
            "title_weight": getattr(features, "title_weight", TITLE_WEIGHT), "common_zipf": COMMON,
            "rarity": rarity_source()}


_Art = namedtuple("_Art", "title text date", defaults=(None,))  # for the doctest


def digest(article) -> str:
    """What decides whether an article is unchanged since it was placed in its story: title, date, text."""
    h = hashlib.sha256()
    for part in (article.title or "", article.date.isoformat() if article.date else "", article.text or ""):
        h.update(part.encode("utf-8", "surrogatepass") + b"\0")
    return h.hexdigest()[:32]


def group(features, articles: dict, previous: StoryTable | None = None, rule: Rule = Rule()) -> StoryTable:
    """Stories for every article of `features`; with `previous`, its unchanged articles keep their story.

    articles: article id -> Article (for dates, titles and the digests). An article whose id is in
    `previous` but whose digest differs from the stored one (or has none stored) is placed afresh, and so
    are the other articles of a story one of whose articles is gone (see _kept).
    """
    story = np.full(len(features.ids), -1, dtype=np.int64)
    digests = {aid: digest(articles[aid]) for aid in features.ids}
    kept = _kept(previous, digests)
    for row, aid in enumerate(features.ids):
        if aid in kept:
            story[row] = kept[aid]
    next_id = previous.next_id if previous else 0
    days = features.days
    new = [r for r in np.argsort(np.where(days < 0, np.iinfo(np.int64).max, days), kind="stable") if story[r] < 0]
    by_day = np.argsort(days, kind="stable")
    sorted_days = days[by_day]
    for row in new:
        best = _best_story(features, row, story, by_day, sorted_days, rule)
        story[row] = best if best >= 0 else next_id
        next_id += best < 0
    groups = {}
    for row in sorted(range(len(story)), key=lambda r: (days[r] < 0, days[r], features.ids[r])):
        groups.setdefault(int(story[row]), []).append(features.ids[row])
    labels = {s: _label(features, ids, articles) for s, ids in groups.items()}
    return replace(StoryTable.from_groups(groups, labels, digests), settings=settings(rule, features))


def _kept(previous: StoryTable | None, digests: dict) -> dict:
    """Article id -> its previous story, for the articles that keep it: unchanged, of a story that lost none.

    The rest of a story one of whose articles is gone from the folder is placed afresh: the article may
    be what split it from a neighbour (a first report kept apart from the follow-ups only while another
    report sat between them), and what a full build of the folder would group should not stay apart.
    """
    if previous is None:
        return {}
    whole = {s for s, ids in previous.groups.items() if all(a in digests for a in ids)}
    return {a: s for a, s in previous.story_of.items() if s in whole and previous.digests.get(a) == digests.get(a)}


def _best_story(features, row: int, story: np.ndarray, by_day: np.ndarray, sorted_days: np.ndarray,
                rule: Rule) -> int:
    """The story `row` joins (-1: none is close enough)."""
    day = features.days[row]
    if day < 0:  # undated: compared with every grouped article, no gap
        cands = np.nonzero(story >= 0)[0]
    else:
        lo, hi = np.searchsorted(sorted_days, [day - rule.window_days, day + rule.window_days + 1])
        lo = max(lo, np.searchsorted(sorted_days, 0))  # the undated (-1) sort first: never in a window
        cands = by_day[lo:hi]
        cands = cands[story[cands] >= 0]
    if not len(cands):
        return -1
    sims = features.similarity(row, cands)
    ids, inverse = np.unique(story[cands], return_inverse=True)
    score = np.bincount(inverse, weights=sims) / np.bincount(inverse)
    if day >= 0:
        gap = np.full(len(ids), np.inf)
        np.minimum.at(gap, inverse, np.abs(features.days[cands] - day).astype(float))
        score -= rule.gap_penalty * gap / 30
    best = int(np.argmax(score))
    return int(ids[best]) if score[best] >= rule.join else -1


def _label(features, ids: list, articles: dict) -> str:
    return central_title([articles[a].title for a in ids], features.dense[[features.row_of[a] for a in ids]])
