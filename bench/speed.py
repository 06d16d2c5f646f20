"""python -m bench.speed: speed and memory figures for one run on this machine.

Not a test: it prints numbers (and can write them as JSON). Parts:

    build   full build of the bench articles (passages/s) next to a raw fp32
            SentenceTransformer.encode of the same passages in the same process;
            adding one article incrementally vs the full build; build peak RSS; size on disk
    query   warm end-to-end Searcher.search latency (p50/p95) over the bench questions;
            the same while a full build runs in another process; a loaded searcher's RSS
    warm    the warm latency of `query` only (no build beside it; a minute)
    cold    process start -> first answer for `python -m search`
    page    `streamlit run ui/app.py` -> first answer shown in headless Chromium (bench/speed_page.py)
    scale   end-to-end latency and recall@10 at 100k and 1M passages, tiled from the bench index
            (synthetic: bench/speed_scale.py says what, and so does the output)

    python -m bench.speed --work /tmp/news-bench            # all parts
    python -m bench.speed --work /tmp/news-bench --part query --part cold
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from bench.data import load_questions, resolve_bench_dir
from bench.timing import cpu_seconds, latencies, machine, percentiles
from corpus.errors import NewsError

ADDED = """Title: Harbour ferry timetable changes
Date: 2023-12-30
Source: Benchmark Gazette

The harbour ferry will run every twenty minutes from January, the council said on Saturday.
"""


def _run(args: list[str], env=None) -> tuple[float, float, str]:
    """(wall seconds, peak RSS MiB, stdout) of a child python process."""
    import tempfile

    with tempfile.TemporaryFile("w+") as out:
        started = time.perf_counter()
        proc = subprocess.Popen([sys.executable, *args], stdout=out, stderr=subprocess.DEVNULL,
                                env={**os.environ, **(env or {})})
        _, status, usage = os.wait4(proc.pid, 0)  # wait4: this child's own peak RSS
        wall = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read()
    if proc.returncode:
        raise SystemExit(f"benchmark step failed ({proc.returncode}): {' '.join(args)}")
    return wall, usage.ru_maxrss / 1024, text


def _du(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 2**20


def part_build(work: Path, bench: Path, sample: int) -> dict:
    corpus, index_dir = work / "corpus", work / "index"
    for mine in (corpus, index_dir):  # only what this benchmark made: --work may hold other things
        shutil.rmtree(mine, ignore_errors=True)
    corpus.mkdir(parents=True)
    shutil.copy(bench / "articles.jsonl", corpus / "articles.jsonl")
    wall, rss, _ = _run(["-m", "index", "build", str(corpus), "--index", str(index_dir), "--full", "--quiet"])
    from index import load
    from index.config import resolve_cache_dir
    data = load(index_dir)
    n = len(data.passages)
    out = {"passages": n, "build_s": wall, "build_passages_per_s": n / wall, "build_peak_rss_mib": rss,
           "index_disk_mib": _du(data.path), "onnx_model_disk_mib": _du(resolve_cache_dir() / "models")}
    out.update(_fp32_baseline(data, sample))
    out["build_vs_fp32"] = out["build_passages_per_s"] / out["fp32_passages_per_s"]
    (corpus / "added.txt").write_text(ADDED)
    inc, _, _ = _run(["-m", "index", "build", str(corpus), "--index", str(index_dir), "--quiet"])
    out.update(add_one_s=inc, full_vs_add_one=wall / inc)
    return out


def _fp32_baseline(data, sample: int) -> dict:
    """Raw fp32 encode of the same texts the build embedded (title + passage), batch 32."""
    import random

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from sentence_transformers import SentenceTransformer

    from index.embed import model_path
    texts = []
    for p in data.passages:
        a = data.articles[p.article_id]
        texts.append(f"{a.title}\n\n{a.text[p.start:p.end]}")
    texts = random.Random(0).sample(texts, min(sample, len(texts)))
    model = SentenceTransformer(str(model_path(data.config.model_name)), device="cpu")
    model.encode(texts[:32], batch_size=32)  # warm-up
    started = time.perf_counter()
    model.encode(texts, batch_size=32, normalize_embeddings=True)
    return {"fp32_sample": len(texts), "fp32_passages_per_s": len(texts) / (time.perf_counter() - started)}


def part_warm(work: Path, bench: Path) -> tuple[dict, object, list]:
    """(warm p50/p95 per mode, the searcher, the questions)."""
    from search import Searcher
    questions = [q.question for q in load_questions(bench / "questions-dev.jsonl")]
    searcher = Searcher.open(work / "index")
    latencies(searcher, questions[:10], 1)  # warm: model, caches
    # >= 200 questions per mode: the 184 dev questions, twice
    return {f"warm_{m}": percentiles(latencies(searcher, questions, 2, m))
            for m in ("dense", "hybrid", "hybrid+rerank")}, searcher, questions


def part_query(work: Path, bench: Path) -> dict:
    out, searcher, questions = part_warm(work, bench)
    out["during_build_default"] = _during_build(searcher, questions, work)
    # VmHWM, not ru_maxrss: a forked child's ru_maxrss starts from its parent's size.
    code = ("import sys; from search import Searcher; s = Searcher.open(sys.argv[1]); s.search('What happened?', k=10); "
            "print(next(l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM')))")
    _, _, rss = _run(["-c", code, str(work / "index")])
    out["searcher_peak_rss_mib"] = float(rss.strip()) / 1024
    return out


def _during_build(searcher, questions: list[str], work: Path) -> dict:
    """Default-mode latency while a full build embeds in another process (its CPU use is reported,
    so a build that was not yet, or no longer, busy shows)."""
    busy = work / "busy-index"
    build = subprocess.Popen([sys.executable, "-m", "index", "build", str(work / "corpus"), "--index", str(busy),
                              "--full", "--quiet"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(40)  # past reading, chunking and model loading: into embedding
        cpu, wall = cpu_seconds(build.pid), time.perf_counter()
        result = percentiles(latencies(searcher, questions, 2))
        result["build_cores_busy"] = (cpu_seconds(build.pid) - cpu) / (time.perf_counter() - wall)
        result["build_still_running"] = build.poll() is None
    finally:
        build.kill()
        build.wait()
        shutil.rmtree(busy, ignore_errors=True)
    return result


def part_cold(work: Path, runs: int = 3) -> dict:
    walls = [_run(["-m", "search", "What clause did the Pentagon want removed?", "--index",
                   str(work / "index")])[0] for _ in range(runs)]
    return {"cli_first_answer_s": sorted(walls)[len(walls) // 2], "runs": walls}


def _page(work: Path) -> dict:
    from bench.speed_page import part_page
    return part_page(work)


def _scale(args) -> dict:
    from search import Searcher
    from bench.speed_scale import part_scale
    questions = [q.question for q in load_questions(args.bench / "questions-dev.jsonl")]
    return part_scale(Searcher.open(args.work / "index"), questions, args.sizes)


PARTS = {"build": lambda a: part_build(a.work, a.bench, a.sample), "query": lambda a: part_query(a.work, a.bench),
         "warm": lambda a: part_warm(a.work, a.bench)[0],
         "cold": lambda a: part_cold(a.work), "page": lambda a: _page(a.work), "scale": _scale}


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.speed", description=__doc__.split("\n")[0])
    p.add_argument("--work", type=Path, default=Path("/tmp/news-bench"), help="scratch folder (default /tmp/news-bench)")
    p.add_argument("--bench", type=resolve_bench_dir, default=resolve_bench_dir(),
                   help="bench data folder (default: $NEWS_BENCH_DIR or ../shared/bench/news-2023q4)")
    p.add_argument("--part", action="append", choices=list(PARTS), help="run only these parts (repeatable)")
    p.add_argument("--sample", type=int, default=3000, help="passages for the fp32 baseline (default 3000)")
    p.add_argument("--sizes", type=lambda v: [int(x) for x in v.split(",")], default=[100_000, 1_000_000],
                   help="passage counts for the scale part (default 100000,1000000)")
    p.add_argument("--json", type=Path, help="also write the figures here")
    args = p.parse_args(argv)
    results = {"machine": machine()}
    print(json.dumps(results, indent=1), flush=True)
    for name in args.part or list(PARTS):
        try:
            results[name] = PARTS[name](args)
        except NewsError as e:  # e.g. the query parts before a build: one line, not a traceback
            print(f"error in part {name}: {e} (the build part makes {args.work / 'index'})", file=sys.stderr)
            return 1
        print(json.dumps({name: results[name]}, indent=1, default=float), flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1, default=float))
    return 0


if __name__ == "__main__":
    sys.exit(main())
