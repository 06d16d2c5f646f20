"""Kill -9 a build at every named point (and at random moments); check what it leaves behind.

    python -m tests.crash_sweep                 # every point in index/faults.py, then 30 random kills
    python -m tests.crash_sweep --random 100    # more random kills

tests/test_reliability_crash.py runs the same checks on every point and a few random
kills in the default test run; this command is the longer sweep. Each case:

1. an index with two generations (so the final cleanup has something to remove);
2. the corpus changes (two files added, one edited), a build starts in its own
   process (tests/crash_build.py) and is killed by SIGKILL;
3. the live index must load and answer exactly as before the build, or, if the
   kill came after the CURRENT switch, exactly as a clean build of the new corpus;
4. the next build must succeed, leave no .tmp-*/CURRENT.tmp, at most two
   generations, and answer exactly as a clean build of the new corpus.
"""
from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from index.faults import FAULT_ENV, POINTS
from tests.news_texts import ARTICLES, write_corpus

REPO_ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = ("volcano lava town", "chess championship", "interest rate", "harbour ferry", "transfer fee")
AFTER_SWITCH = {"switched", "cleanup"}  # kills from here on find the new index live


def extra_articles(n: int, words: int = 60) -> dict:
    """Invented harbour reports, long enough for a few passages each."""
    out = {}
    for i in range(1, n + 1):
        body = " ".join(f"Ferry {i} left harbour {j} on time and the crew logged calm seas." for j in range(words // 10))
        out[f"harbour-{i:03d}.txt"] = f"Title: Harbour report {i}\nDate: 2024-03-{i % 28 + 1:02d}\n\n{body}\n"
    return out


def run_build(corpus, index_dir, fault: str | None = None, delay: float = 0.0, wait: float = 0.0,
              timeout: float = 120, start_only: bool = False, milvus: tuple | None = None):
    """tests/crash_build.py in a child process; a Popen if start_only, else its CompletedProcess."""
    env = dict(os.environ, HF_HUB_OFFLINE="1", PYTHONPATH=str(REPO_ROOT))
    env.pop(FAULT_ENV, None)
    if fault:
        env[FAULT_ENV] = fault
    cmd = [sys.executable, "-m", "tests.crash_build", str(corpus), str(index_dir),
           "--delay", str(delay), "--wait", str(wait)]
    cmd += ["--milvus", milvus[0], "--collection", milvus[1]] if milvus else []
    if start_only:
        return subprocess.Popen(cmd, cwd=REPO_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    return subprocess.run(cmd, cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=timeout)


def answers(index_dir=None, searcher=None) -> tuple:
    """What the live index (or this searcher) answers: ids, offsets, scores, to compare before and after."""
    from search.searcher import Searcher
    from tests.conftest import FakeEmbedder
    s = searcher or Searcher.open(index_dir, embedder=FakeEmbedder())
    return tuple((q, tuple((h.article_id, h.start, h.end, round(h.score, 5)) for h in s.search(q, k=5)))
                 for q in QUESTIONS)


def leftovers(index_dir: Path) -> list[str]:
    return sorted(p.name for p in index_dir.iterdir() if p.name.startswith(".tmp-") or p.name == "CURRENT.tmp")


def generations(index_dir: Path) -> list[str]:
    return sorted(p.name for p in index_dir.glob("gen-*"))


@dataclass(frozen=True)
class Case:
    corpus: Path
    index_dir: Path
    old_gen: Path
    old_answers: tuple
    new_answers: tuple       # a clean build of the changed corpus
    milvus: tuple | None = None   # (URI, alias): vectors in Milvus (tests/test_scale_crash.py)


def prepare(root: Path, milvus: tuple | None = None) -> Case:
    """Two generations on disk, then the corpus changes; the reference is built apart."""
    from index.build import build
    from index.storage import current_generation
    from tests.conftest import FakeEmbedder
    corpus, index_dir = root / "news", root / "idx"
    write_corpus(corpus, dict(list(ARTICLES.items())[:3]))
    where = {"milvus": milvus[0], "collection": milvus[1]} if milvus else {}
    build(corpus, index_dir, embedder=FakeEmbedder(), **where)
    write_corpus(corpus)
    build(corpus, index_dir, embedder=FakeEmbedder())
    old_gen, old = current_generation(index_dir), answers(index_dir)
    write_corpus(corpus, extra_articles(2))
    (corpus / "chess.txt").write_text((corpus / "chess.txt").read_text() + "\nThe final was streamed live.\n")
    build(corpus, root / "reference", embedder=FakeEmbedder(), **(where and dict(where, collection=milvus[1] + "_ref")))
    return Case(corpus, index_dir, old_gen, old, answers(root / "reference"), milvus)


def check_after_kill(case: Case, expect_new: bool | None) -> str:
    """The live index after the kill: 'old' or 'new'; raises AssertionError if anything else."""
    from index.storage import current_generation
    live = current_generation(case.index_dir)
    got = answers(case.index_dir)  # loads with full checksum verification
    kind = "old" if live == case.old_gen else "new"
    assert got == (case.old_answers if kind == "old" else case.new_answers), f"{kind} index answers differently"
    assert expect_new is None or expect_new == (kind == "new"), f"expected the {'new' if expect_new else 'old'} index"
    return kind


def check_next_build(case: Case) -> None:
    proc = run_build(case.corpus, case.index_dir, milvus=case.milvus)
    assert proc.returncode == 0, proc.stderr
    assert leftovers(case.index_dir) == [], leftovers(case.index_dir)
    assert len(generations(case.index_dir)) <= 2, generations(case.index_dir)
    assert answers(case.index_dir) == case.new_answers


def kill_at_point(root: Path, point: str, milvus: tuple | None = None) -> str:
    case = prepare(root, milvus)
    proc = run_build(case.corpus, case.index_dir, fault=point, milvus=milvus)
    assert proc.returncode == -signal.SIGKILL, f"{point}: not reached (rc={proc.returncode}) {proc.stderr[-300:]}"
    kind = check_after_kill(case, expect_new=point in AFTER_SWITCH)
    check_next_build(case)
    return kind


def kill_at_random(root: Path, rng: random.Random, span: float) -> tuple[float, str]:
    """SIGKILL a slowed build after a random delay in [0, span] seconds."""
    case = prepare(root)
    write_corpus(case.corpus, extra_articles(12))  # more to embed, so the kill lands anywhere
    ref = root / "reference"
    shutil.rmtree(ref)
    from index.build import build
    from tests.conftest import FakeEmbedder
    build(case.corpus, ref, embedder=FakeEmbedder())
    case = Case(case.corpus, case.index_dir, case.old_gen, case.old_answers, answers(ref))
    proc = run_build(case.corpus, case.index_dir, delay=0.05, start_only=True)
    delay = rng.uniform(0, span)
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=60)
    kind = check_after_kill(case, expect_new=None) if proc.returncode == -signal.SIGKILL else "finished"
    if kind == "finished":
        assert proc.returncode == 0 and answers(case.index_dir) == case.new_answers
    check_next_build(case)
    return delay, kind


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m tests.crash_sweep", description=__doc__.split("\n")[0])
    p.add_argument("--random", type=int, default=30, help="random-moment kills after the named points")
    p.add_argument("--span", type=float, default=1.5, help="random kills land in [0, SPAN] seconds")
    p.add_argument("--seed", type=int, default=None)
    args = p.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    failed = 0
    for i, point in enumerate(POINTS):
        failed += _report(f"kill -9 at {point:<20}", lambda root, pt=point: kill_at_point(root, pt))
    seed = args.seed if args.seed is not None else random.randrange(10**6)
    rng = random.Random(seed)
    print(f"random kills, seed {seed}:")
    for i in range(args.random):
        failed += _report(f"random kill {i + 1:>3}", lambda root: "%s (killed after %.2fs)" % kill_at_random(root, rng, args.span)[::-1])
    total = len(POINTS) + args.random
    print(f"{total - failed} passed, {failed} failed")
    return 1 if failed else 0


def _report(label: str, run) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        try:
            outcome = run(Path(tmp))
        except AssertionError as e:
            print(f"{label}  FAILED: {e}", flush=True)
            return 1
    print(f"{label}  ok: live index {outcome}, answers exactly as expected; next build clean", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
