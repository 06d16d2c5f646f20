"""python -m bench.stories_speed: what stories cost, on a built bench index (prints numbers; no test).

- grouping a whole index (what a full build adds), against a reference full build's time
  (the manifest of an index built in full, e.g. the bench index before stories);
- adding one article to a copy of the index (a child `python -m index build`, as bench/speed.py
  does) and, in-process before anything else is warm, the story step of that incremental build;
- `Searcher.timeline` warm latency over the labelled stories' questions.

    python -m bench.stories_speed --index /tmp/bench-idx-18 --reference /tmp/bench-idx \\
        --corpus /tmp/bench-corpus --work /tmp/stories-speed
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from pathlib import Path

from bench.data import resolve_bench_dir
from bench.speed import ADDED, _run
from bench.stories import STORIES_FILE
from bench.timing import percentiles
from search.request import STORY_PASSAGES


def grouping(data) -> dict:
    from index.stories import group
    from index.story_features import ArticleFeatures
    started = time.perf_counter()
    features = ArticleFeatures.of_index(data)
    featured = time.perf_counter()
    table = group(features, data.articles)
    done = time.perf_counter()
    return {"articles": len(data.articles), "stories": len(table.groups), "features_s": featured - started,
            "group_s": done - featured, "stories_full_s": done - started}


def add_one(index_dir: Path, corpus: Path, work: Path) -> dict:
    """Copy the index and corpus, add one article, build incrementally; also time its story step alone."""
    for mine in ("index", "corpus"):
        shutil.rmtree(work / mine, ignore_errors=True)
    shutil.copytree(index_dir, work / "index")
    shutil.copytree(corpus, work / "corpus")
    (work / "corpus" / "added.txt").write_text(ADDED)
    wall, _, _ = _run(["-m", "index", "build", str(work / "corpus"), "--index", str(work / "index"), "--quiet"])
    from index.build import _lexical, _stories
    from index.plan import Plan
    from index.storage import load_generation
    data = load_generation(work / "index")
    (work / "corpus" / "added.txt").write_text(ADDED.replace("twenty", "thirty"))  # a changed file: re-read
    from corpus import list_files
    previous = data
    plan = Plan(data.config, previous)
    for source in list_files(work / "corpus")[0]:
        plan.add_file(source)
    vectors, _ = plan.embed(lambda *a: None)
    lexical = _lexical(plan)
    started = time.perf_counter()
    _stories(plan, vectors, lexical, previous)
    return {"add_one_s": wall, "add_one_story_step_s": time.perf_counter() - started}


def timeline_latency(searcher, questions: list[str], rounds: int = 3) -> dict:
    for q in questions:  # warm: model, index pages, story index
        searcher.timeline(q)
    wall, cpu, search = [], [], []
    for _ in range(rounds):
        for q in questions:
            t, c = time.perf_counter(), time.process_time()
            searcher.timeline(q)
            wall.append((time.perf_counter() - t) * 1000)
            cpu.append((time.process_time() - c) * 1000)   # less swayed by other processes on a busy machine
            t = time.perf_counter()
            searcher.search(q, k=STORY_PASSAGES, spans=False)   # the search inside a timeline, alone
            search.append((time.perf_counter() - t) * 1000)
    return {**{"timeline_" + k: v for k, v in percentiles(wall).items()},
            **{"timeline_cpu_" + k: v for k, v in percentiles(cpu).items() if k != "n"},
            **{"timeline_search_only_" + k: v for k, v in percentiles(search).items() if k != "n"}}


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.stories_speed", description=__doc__.split("\n\n")[0])
    p.add_argument("--index", required=True, help="a built bench index (with or without stories)")
    p.add_argument("--reference", help="an index built in full, whose manifest gives the full build time "
                                       "(default: --index, if it was built in full)")
    p.add_argument("--corpus", help="the corpus folder the index was built from (for the add-one part)")
    p.add_argument("--work", default="/tmp/stories-speed", help="scratch folder for the add-one copy")
    p.add_argument("--bench", help="bench folder (default: $NEWS_BENCH_DIR or ../shared/bench/...)")
    args = p.parse_args(argv)
    from index.storage import read_manifest
    from search import Searcher
    out = {}
    if args.corpus:   # first, while nothing is warm: a real build's story step starts in a fresh process
        Path(args.work).mkdir(parents=True, exist_ok=True)
        out.update(add_one(Path(args.index), Path(args.corpus), Path(args.work)))
    searcher = Searcher.open(args.index)
    out.update(grouping(searcher.data))
    reference = read_manifest(Path(args.reference or args.index))
    if reference.get("mode") == "full":
        out["full_build_s"] = reference["build_seconds"]
        out["stories_share_of_full_build"] = out["stories_full_s"] / reference["build_seconds"]
    stories = json.loads((resolve_bench_dir(args.bench) / STORIES_FILE).read_text(encoding="utf-8"))
    out.update(timeline_latency(searcher, [q for s in stories for q in s["questions"]]))
    for key, value in out.items():
        print(f"{key:<32} {value:.3f}" if isinstance(value, float) else f"{key:<32} {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
