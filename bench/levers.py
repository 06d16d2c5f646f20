"""python -m bench.levers: what each ranking lever of issue 14 is worth, in-sample and cross-validated by week.

Each lever's values join the default mode's grid (bench/crossval.py), off included, so a fold can
always turn it off; a lever is worth keeping only when the cross-validated figure gains. "in-sample"
is the best grid point scored on all dev weeks, the figure one would report after tuning on them.

    python -m bench.levers --index /tmp/bench-idx            # a few minutes on 2 cores
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bench.crossval import RERANK_GRID, SMALL_GRID, choose, cross_validate, grid_points, prepare, rank_table
from bench.data import BENCH_ENV, load_questions, resolve_bench_dir
from bench.metrics import metrics
from search.params import RankParams

MODE = "hybrid+rerank"
LEVERS = {
    "answer type": {"answer_type_weight": (0.0, 0.05, 0.1, 0.2, 0.3)},
    "title overlap": {"title_weight": (0.0, 0.05, 0.1, 0.2, 0.4)},
    "BM25 feedback from top titles": {"prf_titles": (0, 1, 3, 5), "prf_weight": (0.1, 0.3, 0.5)},
    "per-article cap in the top 10": {"per_article": (0, 1, 2, 3, 4)},
}
# The levers join the small base grid by default (the full one overfits, and times each lever is
# slow); the base row ("none") is scored on the same grid, so the comparison is like for like.


def study(cases, base_grid: dict, levers: dict, base: RankParams = RankParams(), progress=None) -> list[dict]:
    """A row per lever (and "none"): grid size, in-sample best and cross-validated R@5 / MRR@10."""
    weeks = [c.week for c in cases]
    rows = []
    for name, values in {"none": {}, **levers}.items():
        points = grid_points({**base_grid, **values}, base)
        table = rank_table(cases, MODE, points, progress)
        best = choose(table, [True] * len(cases))
        out, chosen = cross_validate(table, weeks)
        inside, cv = metrics(table[best]), metrics(out)
        rows.append({"lever": name, "grid": len(points), "in-sample R@5": inside["R@5"],
                     "in-sample MRR@10": inside["MRR@10"], "cv R@5": cv["R@5"], "cv MRR@10": cv["MRR@10"],
                     "best on all weeks": points[best].changed(),
                     "folds chose": [{k: getattr(points[i], k) for k in values} for i in chosen]})
    return rows


def format_rows(rows) -> str:
    lines = ["| lever | grid | in-sample R@5 | in-sample MRR@10 | CV R@5 | CV MRR@10 | best on all weeks |",
             "|---|---|---|---|---|---|---|"]
    for r in rows:
        best = ", ".join(f"{k}={v:g}" for k, v in r["best on all weeks"].items()) or "defaults"
        lines.append(f"| {r['lever']} | {r['grid']} | {r['in-sample R@5']:.3f} | {r['in-sample MRR@10']:.3f} | "
                     f"{r['cv R@5']:.3f} | {r['cv MRR@10']:.3f} | {best} |")
    return "\n".join(lines)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.levers", description=__doc__.splitlines()[0])
    p.add_argument("--index", metavar="DIR", help="index of the bench articles")
    p.add_argument("--bench", metavar="DIR", help=f"bench folder (default: ${BENCH_ENV})")
    p.add_argument("--questions", metavar="FILE", help="questions file (default: BENCH/questions-dev.jsonl)")
    p.add_argument("--as-of", action="store_true", help="only articles up to each question's date")
    p.add_argument("--grid", choices=("small", "full"), default="small", help="base grid the levers join")
    p.add_argument("--lever", action="append", choices=list(LEVERS), help="only these levers (repeatable)")
    p.add_argument("--base", action="append", default=[], metavar="FIELD=VALUE",
                   help="start from other constants than the defaults, e.g. --base per_article=2")
    args = p.parse_args(argv)
    from search.searcher import Searcher
    questions = load_questions(Path(args.questions) if args.questions
                               else resolve_bench_dir(args.bench) / "questions-dev.jsonl")
    base = RankParams().replace(**{k: type(getattr(RankParams(), k))(v) for k, v in
                                   (b.split("=", 1) for b in args.base)})
    cases = prepare(Searcher.open(args.index), questions, args.as_of)
    levers = {k: v for k, v in LEVERS.items() if not args.lever or k in args.lever}
    rows = study(cases, SMALL_GRID if args.grid == "small" else RERANK_GRID, levers, base,
                 lambda d, t: print(f"\r{d}/{t}", end="", file=sys.stderr, flush=True))
    print(file=sys.stderr)
    print(format_rows(rows))
    for r in rows:
        print(f"{r['lever']}: folds chose {r['folds chose']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
