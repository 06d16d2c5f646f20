"""python -m bench.scale_out: Milvus Lite beside FAISS, and Ray embedding beside the local path, in one run.

    python -m bench.scale_out --index /tmp/bench-idx --work /tmp/scale-bench [--part milvus] [--part ray]

milvus: the bench index's own vectors are loaded into a Milvus Lite collection (no re-embedding;
the source index is only read), and the same dev questions are scored through both stores
(bench/quality.py `evaluate`) and timed (query p50); the dense search call alone is timed too.
Vector bytes per passage are measured for float32 (the FAISS file), 8-bit scalar quantisation, and
HNSW graphs over either (FAISS indexes of the same vectors: the engine Milvus's own indexes build
on), each with its recall@10 against exact search and its one-thread query rate.
ray: the first articles of the bench corpus (about --sample passages) are built three times: local
model into FAISS, Ray with 1 worker, Ray with 2 workers into Milvus Lite. Passages/s of each, their
ratio, Ray's overhead over the local path, and whether the FAISS build and the Milvus + Ray build
give the same top-5 for every dev question, in the same order.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

from bench.data import load_questions, resolve_bench_dir
from bench.quality import evaluate
from bench.timing import latencies, percentiles


def milvus_copy(src: Path, work: Path):
    """A Milvus Lite-backed copy of the index at `src`: same rows, vectors read from its FAISS file."""
    from index.milvus_client import target
    from index.milvus_store import MilvusStore
    from index.storage import load_generation, write_generation
    data = load_generation(src)
    t = time.perf_counter()
    store = MilvusStore.create(target(str(work / "vectors.db"), "bench"), data.store.vectors(), data.articles,
                               data.passages)
    loaded = time.perf_counter() - t
    manifest = {k: v for k, v in data.manifest.items() if k != "data"}
    write_generation(work / "milvus-idx", store, list(data.articles.values()), data.passages,
                     dict(manifest, store="milvus", milvus=store.spec), data.lexical, data.sentences)
    return work / "milvus-idx", loaded


def part_milvus(args) -> dict:
    from search.searcher import Searcher
    from search.ranking import DEFAULT_MODE
    dst, loaded = milvus_copy(Path(args.index), Path(args.work))
    questions = load_questions(resolve_bench_dir(args.bench) / "questions-dev.jsonl")
    out = {"load_into_milvus_s": round(loaded, 1)}
    faiss_s = Searcher.open(args.index)
    milvus_s = Searcher.open(dst, embedder=faiss_s.embedder)
    out["passages"] = len(faiss_s.data.passages)
    for name, s in (("faiss", faiss_s), ("milvus_lite", milvus_s)):
        s.search("warm up", k=10)
        for as_of in (False, True):
            row = evaluate(s, questions, [DEFAULT_MODE], as_of=as_of)[0]
            out[f"{name}_{'as_of' if as_of else 'whole'}"] = {k: row[k] for k in ("questions", "R@5", "MRR@10")}
        out[f"{name}_query"] = _latency(s, [q.question for q in questions])
        out[f"{name}_dense_search"] = _store_latency(s, [q.question for q in questions])
    for reading in ("whole", "as_of"):
        f, m = out[f"faiss_{reading}"], out[f"milvus_lite_{reading}"]
        out[f"R@5_diff_questions_{reading}"] = round(abs(f["R@5"] - m["R@5"]) * f["questions"], 2)
    out["bytes_per_passage"] = _vector_bytes(faiss_s, Path(args.index), [q.question for q in questions])
    out["bytes_per_passage"]["milvus_lite_on_disk"] = round(_du(Path(args.work) / "vectors.db") / out["passages"])
    return out


def _latency(searcher, questions) -> dict:
    return {k: round(v, 2) for k, v in percentiles(latencies(searcher, questions, 1)).items()}


def _store_latency(searcher, questions) -> dict:
    """The store call alone (top 100, no filter), as the dense side of each question makes it."""
    times = []
    for q in questions:
        v = searcher.embedder.encode_query(q)
        t = time.perf_counter()
        searcher.data.store.search(v, 100)
        times.append((time.perf_counter() - t) * 1000)
    s = percentiles(times)
    return {k: round(v, 2) for k, v in s.items()} | {"queries_per_s_sequential": round(1000 / s["p50_ms"])}


def _vector_bytes(searcher, index_dir: Path, questions) -> dict:
    """Bytes per passage of the same vectors in the layouts a Milvus query node can hold, with recall@10
    against exact search and the one-thread search rate (queries/s) of each, on the dev question vectors."""
    import faiss

    from index.storage import current_generation
    from index.store import HnswStore
    vecs = searcher.data.store.vectors()
    qv = np.stack([searcher.embedder.encode_query(q) for q in questions]).astype(np.float32)
    exact = searcher.data.store.index.search(qv, 10)[1]
    d, ip, n = vecs.shape[1], faiss.METRIC_INNER_PRODUCT, len(vecs)
    out = {"float32_faiss_file": round((current_generation(index_dir) / "vectors.faiss").stat().st_size / n)}
    layouts = {"sq8_flat": faiss.IndexScalarQuantizer(d, faiss.ScalarQuantizer.QT_8bit, ip),
               "hnsw_float32": faiss.IndexHNSWFlat(d, HnswStore.M, ip),
               "hnsw_sq8": faiss.IndexHNSWSQ(d, faiss.ScalarQuantizer.QT_8bit, HnswStore.M, ip)}
    faiss.omp_set_num_threads(1)
    for name, index in layouts.items():
        if hasattr(index, "hnsw"):
            index.hnsw.efConstruction, index.hnsw.efSearch = HnswStore.EF_CONSTRUCTION, HnswStore.EF_SEARCH
        index.train(vecs)
        index.add(vecs)
        t = time.perf_counter()
        got = index.search(qv, 10)[1]
        rate = len(qv) / (time.perf_counter() - t)
        out[name] = {"bytes": round(len(faiss.serialize_index(index)) / n), "queries_per_s_one_thread": round(rate),
                     "recall_at_10": round(float(np.mean([len(set(a) & set(b)) / 10 for a, b in zip(exact, got)])), 3)}
    return out


def _du(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def sample_corpus(bench_dir: Path, passages: int, out: Path) -> Path:
    """The first articles of the bench corpus, about `passages` passages (12.5 a bench article on average)."""
    out.mkdir(parents=True, exist_ok=True)
    lines = (bench_dir / "articles.jsonl").read_text(encoding="utf-8").splitlines()[:max(1, int(passages / 12.5))]
    (out / "sample.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return out


def timed_build(corpus, index_dir, **kw) -> dict:
    """One build; seconds of its embedding stage (first to last progress report) and in all."""
    from index.build import build
    marks = []

    def progress(stage, done, total):
        if stage == "embedding":
            marks.append((time.perf_counter(), done))
    t = time.perf_counter()
    s = build(corpus, index_dir, full=True, progress=progress, **kw)
    total = time.perf_counter() - t
    first = next((m for m in marks if m[1] > 0), marks[0])  # first batch back: models loaded by then
    return {"passages": s.passages, "build_s": round(total, 1), "embed_s": round(marks[-1][0] - marks[0][0], 1),
            "passages_per_s": round(s.passages / (marks[-1][0] - marks[0][0]), 1),
            "after_first_batch_per_s": round((s.passages - first[1]) / max(marks[-1][0] - first[0], 1e-9), 1)}


def part_ray(args) -> dict:
    from index.embed import Embedder
    from index.ray_embed import RayEmbedder, start
    from search.searcher import Searcher
    work = Path(args.work)
    corpus = sample_corpus(resolve_bench_dir(args.bench), args.sample, work / "sample")
    out = {}
    t = time.perf_counter()
    model = Embedder("all-MiniLM-L6-v2")
    out["local_model_load_s"] = round(time.perf_counter() - t, 1)
    out["local"] = timed_build(corpus, work / "local", embedder=model)
    t = time.perf_counter()
    start("local")
    out["ray_init_s"] = round(time.perf_counter() - t, 1)
    out["ray_1_worker"] = timed_build(corpus, work / "ray1", embedder=RayEmbedder("local", 1))
    out["ray_2_workers_milvus"] = timed_build(corpus, work / "ray2", embedder=RayEmbedder("local", 2),
                                              milvus=str(work / "small.db"))
    local_total = out["local_model_load_s"] + out["local"]["embed_s"]
    for name in ("ray_1_worker", "ray_2_workers_milvus"):  # Ray's figure includes its actors' model loads
        out[f"{name}_overhead_vs_local"] = round(out[name]["embed_s"] / local_total - 1, 3)
    out["ray_2_vs_1_workers"] = round(out["ray_2_workers_milvus"]["passages_per_s"] /
                                      out["ray_1_worker"]["passages_per_s"], 2)
    a, b = Searcher.open(work / "local", embedder=model), Searcher.open(work / "ray2", embedder=model)
    qs = load_questions(resolve_bench_dir(args.bench) / "questions-dev.jsonl")
    same = sum([(h.article_id, h.start) for h in a.search(q.question, k=5)] ==
               [(h.article_id, h.start) for h in b.search(q.question, k=5)] for q in qs)
    out["same_top5_in_order"] = f"{same}/{len(qs)}"
    out["min_vector_cosine"] = round(float((a.data.store.vectors() * b.data.store.vectors()).sum(1).min()), 5)
    return out


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.scale_out", description=__doc__.split("\n")[0])
    p.add_argument("--index", required=True, help="a built index of the bench articles (only read)")
    p.add_argument("--work", required=True, help="scratch folder (Milvus Lite files, sample builds)")
    p.add_argument("--bench", help="bench folder (default: $NEWS_BENCH_DIR or ../shared/bench/news-2023q4)")
    p.add_argument("--part", action="append", choices=("milvus", "ray"), help="default: both")
    p.add_argument("--sample", type=int, default=2400, help="passages for the Ray part (about; default 2400)")
    p.add_argument("--json", help="also write the figures to this file")
    args = p.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    Path(args.work).mkdir(parents=True, exist_ok=True)
    out = {}
    for part in args.part or ("milvus", "ray"):
        out[part] = {"milvus": part_milvus, "ray": part_ray}[part](args)
        print(json.dumps({part: out[part]}, indent=1), flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
