"""python -m bench.updates: the update flags of the labelled stories' timelines, for a person to judge.

Update flags have no labels to score against, so this prints them: every update in the timelines
of the dev stories' questions, with both sentences, dates and what changed, and how many each way
of finding them adds. Two ways (search/said.py): a close restatement whose figures differ, and a
sentence counting what an earlier one counted (the dead, the missing ...) with another figure.
`--recount X` moves the second way's cosine threshold (default: the product's).

    python -m bench.updates --index /tmp/bench-idx-12 [--recount 0.65] [--all-questions]

`--all-questions` adds the timelines of every dev quiz question (questions-dev.jsonl): many more
stories than the ten labelled ones (a war's parallel tolls, box scores, "this day in history").
"""
from __future__ import annotations

import argparse
import json
import sys

from bench.data import resolve_bench_dir
from bench.stories import STORIES_FILE
from corpus.errors import NewsError
from index.config import DEFAULT_INDEX_DIR, INDEX_DIR_ENV

OFF = 1.01  # a cosine no pair reaches: the counting way off


def updates(searcher, questions, recount: float) -> dict:
    """(later sentence, earlier sentence) -> Update over the timelines of `questions`."""
    import search.said as said
    said.RECOUNT, was = recount, said.RECOUNT   # read at each comparison; the cached tallies do not depend on it
    try:
        return {(u.sentence, u.earlier): u for q in questions for e in searcher.timeline(q) for u in e.updates}
    finally:
        said.RECOUNT = was


def main(argv=None) -> int:
    import search.said as said
    p = argparse.ArgumentParser(prog="python -m bench.updates", description=__doc__.split("\n\n")[0])
    p.add_argument("--index", metavar="DIR", help=f"index folder (default: ${INDEX_DIR_ENV} or {DEFAULT_INDEX_DIR})")
    p.add_argument("--bench", metavar="DIR", help="bench folder (default: $NEWS_BENCH_DIR or ../shared/bench/...)")
    p.add_argument("--recount", type=float, default=said.RECOUNT, metavar="X",
                   help=f"cosine an earlier count must reach (default {said.RECOUNT})")
    p.add_argument("--all-questions", action="store_true",
                   help="also the timelines of every dev quiz question (BENCH/questions-dev.jsonl)")
    args = p.parse_args(argv)
    from search import Searcher
    try:
        searcher = Searcher.open(args.index)
        stories = json.loads((resolve_bench_dir(args.bench) / STORIES_FILE).read_text(encoding="utf-8"))
    except (NewsError, OSError, ValueError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    questions = [q for s in stories for q in s["questions"]]
    if args.all_questions:
        from bench.data import load_questions
        try:
            questions += [q.question for q in load_questions(resolve_bench_dir(args.bench) / "questions-dev.jsonl")]
        except NewsError as e:
            print(f"error: {e}", file=sys.stderr)
            return 1
    close, both = updates(searcher, questions, OFF), updates(searcher, questions, args.recount)
    print(f"{len(questions)} questions: {len(close)} updates by close restatement, "
          f"{len(both)} with counting at cosine >= {args.recount}")
    for key, u in both.items():
        way = "restated" if key in close else "counted"
        print(f"\n[{way}] {'; '.join(u.changed)}\n  {u.earlier_date} {u.earlier_source}: {u.earlier}\n"
              f"  {u.date} {u.source}: {u.sentence}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
