"""How soon a file dropped into a watched folder answers questions: ``python -m index watch`` measured.

    python -m bench.watch --corpus /tmp/bench-corpus --index /tmp/bench-idx --work /tmp/news-watch

Copies the corpus folder and its built index into ``--work`` (the originals are not touched), starts
``python -m index watch`` on the copy in a subprocess, and then, ``--runs`` times: writes a new invented
article with a word found nowhere else, and asks the copy's index (``Searcher.refresh`` + ``search``,
as the page does between questions) until that article is the first hit. Prints each time from the
write to the answer, and the median. Ends the watcher with SIGINT (Ctrl-C), as a user would.
"""
from __future__ import annotations

import argparse
import os
import queue
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

from index.config import PROJECT_ROOT

STORY = ("Title: {word} ferry resumes crossings\n\nThe {word} ferry resumed its crossings on Monday after a "
         "week of repairs to its engine, the harbour office said. Passengers queued from dawn at the {word} pier.\n")


def start_watcher(corpus: Path, index_dir: Path) -> tuple[subprocess.Popen, queue.Queue]:
    proc = subprocess.Popen([sys.executable, "-m", "index", "watch", str(corpus), "--index", str(index_dir)],
                            cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line.rstrip()) for line in proc.stdout], daemon=True).start()
    return proc, lines


def wait_line(lines: queue.Queue, starts: str, seconds: float) -> list[str]:
    """Lines up to and including the first that contains ``starts``."""
    seen, end = [], time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            line = lines.get(timeout=0.5)
        except queue.Empty:
            continue
        seen.append(line)
        if starts in line:
            return seen
    raise RuntimeError(f"the watcher printed no {starts!r} within {seconds:.0f}s: {seen[-5:]}")


def time_one(searcher, corpus: Path, n: int, limit: float) -> float:
    word = f"Quorvex{n}Zell"
    key = f"dropped-{n}.txt"
    path = corpus / key
    started = time.perf_counter()
    path.write_text(STORY.format(word=word), encoding="utf-8")
    while time.perf_counter() - started < limit:
        searcher.refresh()
        hits = searcher.search(f"When did the {word} ferry resume crossings?", k=1)
        if hits and searcher.data.articles[hits[0].article_id].file == key:
            return time.perf_counter() - started
        time.sleep(0.05)
    raise RuntimeError(f"{key} not answerable within {limit:.0f}s")


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.watch", description=__doc__.split("\n\n")[0])
    p.add_argument("--corpus", type=Path, default=Path("/tmp/bench-corpus"), help="corpus folder (copied)")
    p.add_argument("--index", type=Path, default=Path("/tmp/bench-idx"), help="its built index (copied)")
    p.add_argument("--work", type=Path, default=Path("/tmp/news-watch"), help="where the copies go (replaced)")
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--limit", type=float, default=120, help="seconds to wait for one file before giving up")
    args = p.parse_args(argv)
    corpus, index_dir = args.work / "corpus", args.work / "index"
    shutil.rmtree(args.work, ignore_errors=True)
    shutil.copytree(args.corpus, corpus)
    shutil.copytree(args.index, index_dir)
    proc, lines = start_watcher(corpus, index_dir)
    try:
        started = time.perf_counter()
        first = wait_line(lines, "watching", 900)
        print(f"watcher ready in {time.perf_counter() - started:.1f}s: {first[-2] if len(first) > 1 else first[-1]}")
        from search import Searcher
        searcher = Searcher.open(index_dir)
        searcher.search("warm up the question encoder", k=1)
        times = []
        for n in range(args.runs):
            seconds = time_one(searcher, corpus, n, args.limit)
            build = wait_line(lines, "build:", 60)[-1]
            times.append(seconds)
            print(f"run {n + 1}: answerable after {seconds:.2f}s  ({build.split(' -> ')[0]})")
        print(f"median of {len(times)}: {statistics.median(times):.2f}s (target <= 10 s)")
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(60)
        except subprocess.TimeoutExpired:
            proc.kill()
    print(f"watcher ended with exit code {proc.returncode} after Ctrl-C")
    return 0


if __name__ == "__main__":
    sys.exit(main())
