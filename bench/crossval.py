"""Cross-validation by week: every tuned ranking constant chosen on 7 of the dev weeks, scored on the 8th.

The dev questions come from weekly news quizzes. Constants tuned on all of them score better on
those questions than on later weeks (issue 14: +11 points of R@5 on dev, +3 on unseen weeks), so
the honest figure is out-of-week: for each week, the grid point that scores best on the other
weeks (objective: R@5, then MRR@10) ranks that week's questions; every question is scored once,
by constants chosen without its week (the folds' average weighted by their questions).

Each question's candidates are read from the index once (`search.ranking.Sources` keeps them) and
only re-ordered per grid point, as `Searcher.search` would order them (fusion, second stage,
near-duplicate collapse), so a grid of a few hundred points costs seconds, not a search each.

>>> weeks = [(2023, 39), (2023, 39), (2023, 40), (2023, 41)]
>>> table = [[1, 9, None, 3],      # point 0: ranks of the first relevant hit, per question
...          [2, 2, 1, None]]      # point 1
>>> cross_validate(table, weeks)   # week 39: R@5 ties on weeks 40+41, MRR picks point 1; week 40: point 0
([2, 2, None, None], [1, 0, 1])
"""
from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field

import numpy as np

from bench.metrics import contains_answer, metrics
from search.dedup import duplicates, group, shown
from search.params import RankParams
from search.ranking import Sources, order
from search.searcher import collapse_depth

DEPTH = 20
# The grids of the default mode's constants; the defaults (search/params.py) are a point of each.
# The full grid tunes all five; the small one only three, near the defaults. Both are reported:
# with 114 questions the full grid's choice overfits the 7 training weeks (README).
RERANK_GRID = {"rrf_k": (15, 30, 60), "rerank_depth": (50, 100, 200), "sentence_weight": (0.4, 0.5, 0.6, 0.7, 0.8),
               "recency_weight": (0.3, 0.45, 0.6), "recency_days": (180.0, 365.0, 730.0)}
SMALL_GRID = {"rerank_depth": (50, 100), "sentence_weight": (0.5, 0.6, 0.7), "recency_weight": (0.3, 0.45, 0.6)}
# Per mode, the grids the evaluation cross-validates (label -> grid); no grid: nothing is tuned, CV = in-sample.
GRIDS = {"dense": {"": {}}, "bm25": {"": {}},
         "hybrid": {"": {"rrf_k": (10, 20, 30, 60, 100), "candidates": (50, 100, 200)}},
         "hybrid+rerank": {"full grid": RERANK_GRID, "small grid": SMALL_GRID}}


def week_of(day: dt.date) -> tuple[int, int]:
    """The ISO (year, week) of a question's date: the unit of a fold.

    >>> week_of(dt.date(2023, 9, 28)), week_of(dt.date(2023, 9, 29)), week_of(dt.date(2023, 10, 5))
    ((2023, 39), (2023, 39), (2023, 40))
    """
    return tuple(day.isocalendar())[:2]


def grid_points(grid: dict, base: RankParams = RankParams()) -> list[RankParams]:
    """Every combination of the grid's values, as RankParams on top of `base`."""
    names = list(grid)
    return [base.replace(**dict(zip(names, values))) for values in itertools.product(*(grid[n] for n in names))]


@dataclass
class Case:
    """One question under one reading: its candidates, read once, and what is known of its rows."""
    answers: tuple
    week: tuple
    src: Sources
    today: int
    with_title: bool = False   # an answer in the hit's title counts too
    _relevant: dict = field(default_factory=dict)
    _rows: list = field(default_factory=list)
    _seen: set = field(default_factory=set)
    _dup: np.ndarray | None = None   # near-duplicate matrix of _rows
    _at: dict = field(default_factory=dict)   # row -> its place in _rows

    def first_relevant(self, mode: str, params: RankParams, k: int = DEPTH) -> int | None:
        """Rank of the first hit holding an answer, as Searcher.search(k=k, mode, params) ranks them."""
        ranked = order(self.src, mode, 3 * k, self.today, params).ranked
        pool = [r for r, _ in ranked[:collapse_depth(k)]]
        s = self.src.searcher   # each group judged by the copy a hit shows: its earliest (search/dedup.py)
        kept = [row for row, _, _ in shown(self._group(pool), s.row_dates, s._sources)] + \
            [r for r, _ in ranked[len(pool):]]
        for i, row in enumerate(kept[:k], 1):
            if row not in self._relevant:
                text = self.src.searcher.passage_text(row)
                if self.with_title:
                    text = self.src.searcher.data.articles[self.src.article(row)].title + "\n" + text
                self._relevant[row] = contains_answer(text, self.answers)
            if self._relevant[row]:
                return i
        return None

    def _group(self, pool: list) -> list:
        """search.dedup.collapse of `pool`, from the near-duplicate matrix of every row seen so far (computed
        again only when a row is new): dedup.group itself folds, so the folding rules are written once."""
        if not set(pool) <= self._seen:
            rows = list(dict.fromkeys(self._rows + pool))
            s = self.src.searcher
            self._dup = duplicates(s.data.store.vectors(rows), [s.passage_text(r) for r in rows])
            self._rows, self._seen, self._at = rows, set(rows), {r: i for i, r in enumerate(rows)}
        ix = [self._at[r] for r in pool]
        return group(pool, self._dup[np.ix_(ix, ix)], [self.src.article(r) for r in pool])


def prepare(searcher, questions, as_of: bool, with_title: bool = False) -> list[Case]:
    """A Case per answerable question (with a date when `as_of`), as Searcher.search would read them."""
    cases = []
    for q in questions:
        if not q.answer_in_corpus or not q.date:
            continue
        asked = searcher.query(q.question, as_of=q.date if as_of else None)
        cases.append(Case(q.answers, week_of(q.date), Sources(searcher, asked.text, asked.vector, asked.allowed),
                          asked.today, with_title))
    return cases


def rank_table(cases, mode: str, points, progress=None) -> list[list]:
    """ranks[p][c]: first relevant rank of case c under grid point p (None: not in the top 20)."""
    table = []
    for i, p in enumerate(points):
        table.append([c.first_relevant(mode, p) for c in cases])
        if progress:
            progress(i + 1, len(points))
    return table


def objective(ranks) -> float:
    """R@5 first; MRR@10 breaks ties (it moves in steps far smaller than one question of R@5)."""
    m = metrics(ranks)
    return m["R@5"] + 1e-3 * m["MRR@10"]


def choose(table, keep) -> int:
    """The grid point with the best objective over the cases where `keep` is true (first on ties)."""
    scores = [objective([r for r, k in zip(row, keep) if k]) for row in table]
    return int(np.argmax(scores))


def cross_validate(table, weeks) -> tuple[list, list]:
    """(out-of-week rank of every case, the point chosen for each week in sorted week order)."""
    out, chosen = [None] * len(weeks), []
    for week in sorted(set(weeks)):
        point = choose(table, [w != week for w in weeks])
        chosen.append(point)
        for i, w in enumerate(weeks):
            if w == week:
                out[i] = table[point][i]
    return out, chosen


def cv_row(cases, mode: str, grid: dict, base: RankParams = RankParams(), progress=None) -> dict:
    """The cross-validated figures of `mode` over `grid` (on top of `base`), as a quality table row.

    Also: the in-sample figure of `base` through the same cached path (it must equal the plain
    evaluation's), the grid's size, and the constants each week's fold chose.
    """
    points = grid_points(grid, base)
    table = rank_table(cases, mode, points, progress)
    out, chosen = cross_validate(table, [c.week for c in cases])
    names = list(grid)
    picks = [{n: getattr(points[i], n) for n in names} for i in chosen]
    return {"mode": mode, "questions": len(cases), **metrics(out), "grid": len(points),
            "in_sample": metrics(table[points.index(base)])if base in points else metrics(
                [c.first_relevant(mode, base) for c in cases]), "chosen": picks,
            "best_in_sample": points[choose(table, [True] * len(cases))].changed()}
