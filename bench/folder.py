"""Listing and reading a large folder: ``python -m bench.folder --files 10000 --work /tmp/news-folder``.

Writes ``--files`` invented articles (plain text, Markdown with front matter, JSON, and ``--pages`` of
them as small HTML pages) into ``--work``, then lists the folder and reads every file the way a build
does (``corpus.list_files`` then ``corpus.read_file``), with a progress bar, and prints the seconds for
each step. Embedding is not part of it (``bench.speed`` measures that).
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from pathlib import Path

TEXT = "The Eastvale council met on day {n} and discussed the river bridge, the ferry and the turnip fair."


def write_folder(root: Path, files: int, pages: int) -> None:
    shutil.rmtree(root, ignore_errors=True)
    for n in range(files):
        folder = root / f"batch-{n // 500:03d}"
        folder.mkdir(parents=True, exist_ok=True)
        body = " ".join([TEXT.format(n=n)] * 5)
        if n < pages:
            (folder / f"{n}.html").write_text(f"<html><head><title>Story {n}</title></head><body><nav>Home</nav>"
                                              f"<article><h1>Story {n}</h1><p>{body}</p></article></body></html>")
        elif n % 3 == 0:
            (folder / f"{n}.md").write_text(f"---\ntitle: Story {n}\ndate: 2023-06-{n % 28 + 1:02d}\n---\n{body}")
        elif n % 3 == 1:
            (folder / f"{n}.json").write_text(json.dumps({"title": f"Story {n}", "text": body}))
        else:
            (folder / f"{n}.txt").write_text(f"Title: Story {n}\nDate: June 1, 2023\n\n{body}")


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.folder", description=__doc__.split("\n\n")[0])
    p.add_argument("--files", type=int, default=10_000)
    p.add_argument("--pages", type=int, default=500, help="how many of the files are HTML pages")
    p.add_argument("--work", type=Path, default=Path("/tmp/news-folder"), help="folder written (replaced)")
    args = p.parse_args(argv)
    from tqdm import tqdm

    from corpus import list_files, read_file
    write_folder(args.work, args.files, args.pages)
    started = time.perf_counter()
    files, problems = list_files(args.work)
    listed = time.perf_counter() - started
    articles = 0
    started = time.perf_counter()
    for source in tqdm(files, desc="reading", unit=" files", file=sys.stderr):
        articles += len(read_file(source).articles)
    read = time.perf_counter() - started
    print(f"{len(files)} files ({args.pages} HTML pages) listed in {listed:.2f}s, read in {read:.1f}s "
          f"({len(files) / read:.0f} files/s): {articles} articles, {len(problems)} problems")
    return 0


if __name__ == "__main__":
    sys.exit(main())
