"""python -m bench.quality: answer recall@k and MRR@10 of each retrieval mode on a news-quiz bench.

Scoring follows the bench README (dense-retrieval "top-k retrieval accuracy"): for each question
with `answer_in_corpus`, a hit is relevant when some answer string occurs in its passage text
(case-insensitive, whitespace folded). "as of" is the temporal reading: only articles published
on or before the question's date may answer. Beside each in-sample row it prints the
cross-validated one (bench/crossval.py): every tuned constant chosen on 7 of the 8 dev weeks by a
grid, scored on the 8th; decide by that figure (`--no-cv` skips it).

>>> ranks = [1, 3, None, 12]        # rank of the first relevant hit per question; None = not in the top 20
>>> metrics(ranks)["R@1"], metrics(ranks)["R@5"], metrics(ranks)["R@20"], round(metrics(ranks)["MRR@10"], 4)
(0.25, 0.5, 0.75, 0.3333)
"""
from __future__ import annotations

import argparse
import csv
import itertools
import json
import os
import sys
from pathlib import Path

from bench.data import BENCH_ENV, DEFAULT_BENCH_DIR, BadQuestions, Question, load_questions, resolve_bench_dir  # noqa: F401
from bench.metrics import KS, contains_answer, first_relevant, fold, metrics  # noqa: F401
from corpus.errors import NewsError
from index.config import DEFAULT_INDEX_DIR, INDEX_DIR_ENV

DEPTH = max(KS)


def evaluate(searcher, questions, modes, as_of: bool = False, progress=None, with_title: bool = False) -> list[dict]:
    """One row per mode: mode, reading, questions, R@1..R@20, MRR@10.

    with_title: an answer in the hit's title counts too (the title is shown with every hit).
    """
    asked = [q for q in questions if q.answer_in_corpus and (q.date or not as_of)]
    rows = []
    for mode in modes:
        ranks = []
        for q in asked:
            hits = searcher.search(q.question, k=DEPTH, mode=mode, as_of=q.date if as_of else None, spans=False)
            ranks.append(first_relevant([f"{h.title}\n{h.text}" if with_title else h.text for h in hits], q.answers))
            if progress:
                progress(mode, len(ranks), len(asked))
        reading = ("as of question date" if as_of else "whole corpus") + (", title counts" if with_title else "")
        rows.append({"mode": mode, "reading": reading,
                     "questions": len(asked), **metrics(ranks)})
    return rows


def format_table(rows) -> str:
    """A Markdown table, as pasted into the README."""
    cols = ["mode", "reading", "questions", *[f"R@{k}" for k in KS], "MRR@10"]
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for r in rows:
        lines.append("| " + " | ".join(f"{r[c]:.3f}" if isinstance(r[c], float) else str(r[c]) for c in cols) + " |")
    return "\n".join(lines)


def write_rows(rows, path: Path, kind: str) -> None:
    """The table as "csv" or "json", written atomically."""
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8", newline="") as f:
        if kind == "json":
            json.dump(rows, f, indent=1)
        else:
            w = csv.DictWriter(f, fieldnames=list(rows[0]))
            w.writeheader()
            w.writerows(rows)
    os.replace(tmp, path)


def _parser() -> argparse.ArgumentParser:
    from search.ranking import MODES
    p = argparse.ArgumentParser(prog="python -m bench.quality", description=(
        "Score retrieval modes on a bench of news-quiz questions. Needs an index of the bench articles; "
        "build one first with: python -m index build $NEWS_BENCH_DIR/articles.jsonl --index DIR"))
    p.add_argument("--index", metavar="DIR", help=f"index of the bench articles (default: ${INDEX_DIR_ENV} "
                                                  f"or {DEFAULT_INDEX_DIR})")
    p.add_argument("--bench", metavar="DIR", help=f"bench folder (default: ${BENCH_ENV} or {DEFAULT_BENCH_DIR})")
    p.add_argument("--questions", metavar="FILE", help="questions file (default: BENCH/questions-dev.jsonl)")
    p.add_argument("--modes", default=",".join(MODES), help=f"comma-separated modes (default: {','.join(MODES)})")
    p.add_argument("--as-of", choices=("no", "yes", "both"), default="both",
                   help="score the whole corpus, only articles up to each question's date, or both (default)")
    p.add_argument("--with-title", action="store_true",
                   help="an answer in a hit's title counts too (the default matches the passage text only)")
    p.add_argument("--no-cv", action="store_true",
                   help="skip the cross-validated reading (every tuned constant chosen by a grid on 7 of the 8 "
                        "dev weeks, scored on the 8th; bench/crossval.py)")
    p.add_argument("--csv", metavar="FILE", help="also write the table as CSV")
    p.add_argument("--json", metavar="FILE", help="also write the table as JSON")
    return p


def main(argv=None) -> int:
    args = _parser().parse_args(argv)
    from search import BadRequest, Searcher
    try:
        questions = load_questions(Path(args.questions) if args.questions
                                   else resolve_bench_dir(args.bench) / "questions-dev.jsonl")
        searcher = Searcher.open(args.index)
        modes = [m.strip() for m in args.modes.split(",") if m.strip()]
        readings = {"no": [False], "yes": [True], "both": [False, True]}[args.as_of]
        rows, notes = [], []
        for as_of in readings:
            plain = evaluate(searcher, questions, modes, as_of, _progress, args.with_title)
            cv = [] if args.no_cv else cross_validated(searcher, questions, modes, as_of, args.with_title, notes)
            rows += [r for pair in itertools.zip_longest(plain, cv) for r in pair if r]
    except (NewsError, BadRequest) as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    print(format_table(rows))
    print("\n".join(notes))
    for kind, path in (("csv", args.csv), ("json", args.json)):
        if path:
            write_rows(rows, Path(path), kind)
    return 0


def cross_validated(searcher, questions, modes, as_of: bool, with_title: bool, notes: list) -> list[dict]:
    """A cross-validated row per mode (bench/crossval.py); what each week's fold chose goes to `notes`."""
    from bench.crossval import GRIDS, cv_row, prepare
    cases = prepare(searcher, questions, as_of, with_title)
    reading = ("as of question date" if as_of else "whole corpus") + (", title counts" if with_title else "")
    rows = []
    for mode in modes:
        for label, grid in GRIDS.get(mode, {"": {}}).items():
            row = cv_row(cases, mode, grid, progress=lambda d, t: _progress(f"{mode} grid", d, t))
            name = f", {label} of {row['grid']}" if label else ""
            rows.append({"mode": mode, "reading": f"{reading}, cross-validated by week{name}",
                         "questions": row["questions"], **{k: row[k] for k in row if k.startswith(("R@", "MRR"))}})
            if row["grid"] > 1:
                picks = "; ".join(", ".join(f"{k}={v:g}" for k, v in c.items()) for c in row["chosen"])
                notes.append(f"{mode} ({reading}{name}): the {len(row['chosen'])} folds chose: {picks}; best on all weeks: "
                             f"{row['best_in_sample'] or 'the defaults'}")
    return rows


def _progress(mode, done, total) -> None:
    print(f"\r{mode}: {done}/{total}", end="\n" if done == total else "", file=sys.stderr, flush=True)


if __name__ == "__main__":
    sys.exit(main())
