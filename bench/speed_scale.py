"""The scale part of `python -m bench.speed`: Searcher.search at 100k and 1M passages.

No corpus of a million news passages is at hand, so the bench index is tiled into one, in
memory. What is synthetic, and said so in the output:
  - vectors: each bench passage vector repeated with fresh Gaussian noise (cosine ~0.95 to its
    origin), renormalised; stored as the build would at that size (HNSW from 150k rows);
  - passages: the bench passage rows repeated (copies point at the same articles);
  - BM25: the bench BM25 matrix tiled, so every term has `copies` times its postings;
  - sentence vectors: each copy reads its origin's (the second stage touches ~100 rows a
    question whatever the size, so its cost does not grow).
Latency is end to end through Searcher.search (embed, retrieve, fuse, rerank, collapse, hits);
recall@10 compares the approximate store with exact search on the same vectors, for the
question vectors.
"""
from __future__ import annotations

import dataclasses
import time

import numpy as np

from bench.timing import latencies, percentiles

NOISE = 0.3  # norm of the noise added to a unit vector: copies stay near (cosine ~0.95) but distinct


class _TiledSentences:
    """Row r reads the sentences of row r % n of the bench table."""

    def __init__(self, table, n: int):
        self.table, self.n = table, n

    def span_rows(self, row: int):
        return self.table.span_rows(row % self.n)

    def cosines(self, rows, query):
        return self.table.cosines([r % self.n for r in rows], query)


def _tiled_lexical(lexical, copies: int, rows: int):
    """BM25 over `copies` repeats of the bench rows (the first `rows` of them)."""
    import scipy.sparse as sp

    n = lexical.rows
    m = sp.csc_matrix((lexical.data, lexical.indices, lexical.indptr), shape=(n, len(lexical.indptr) - 1))
    big = sp.vstack([m] * copies, format="csc")[:rows].tocsc()
    return type(lexical)(lexical.vocab, big.data, big.indices, big.indptr, rows, lexical.stopwords)


def scaled_searcher(searcher, rows: int, seed: int = 0):
    """A Searcher over `rows` passages tiled from `searcher`'s index; (searcher, seconds to build the store)."""
    from index.store import new_store
    from search.searcher import Searcher

    base = searcher.data
    n = len(base.passages)
    copies = -(-rows // n)
    rng = np.random.default_rng(seed)
    vectors = np.tile(base.store.vectors(), (copies, 1))[:rows]
    vectors[n:] += rng.standard_normal((rows - n, vectors.shape[1]), dtype=np.float32) * (NOISE / vectors.shape[1] ** .5)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    store = new_store(vectors.shape[1], rows)
    started = time.perf_counter()
    store.add(vectors)
    built = time.perf_counter() - started
    data = dataclasses.replace(base, store=store, passages=(base.passages * copies)[:rows],
                               lexical=_tiled_lexical(base.lexical, copies, rows),
                               sentences=_TiledSentences(base.sentences, n))
    return Searcher(data, searcher.index_dir, searcher.embedder), built, vectors


def real_recall(searcher, qvecs: np.ndarray) -> dict:
    """HNSW recall@10 against exact search on real MiniLM vectors: the bench index's passage
    vectors plus its stored sentence vectors (~250k), queried with the question vectors."""
    from index.store import FlatStore, HnswStore
    t = searcher.data.sentences
    real = t.floats()
    real = np.ascontiguousarray(np.concatenate([real / np.linalg.norm(real, axis=1, keepdims=True),
                                                searcher.data.store.vectors()]))
    approx, exact = HnswStore(real.shape[1]), FlatStore(real.shape[1])
    approx.add(real)
    exact.add(real)
    hits = [len(set(approx.search(v, 10)[1]) & set(exact.search(v, 10)[1])) / 10 for v in qvecs]
    return {"vectors": len(real), "recall_at_10": float(np.mean(hits)), "ef_search": HnswStore.EF_SEARCH}


def part_scale(searcher, questions: list[str], sizes=(100_000, 1_000_000)) -> dict:
    from index.store import FlatStore

    out = {"synthetic": __doc__.split("What is synthetic, and said so in the output:")[1].split("Latency")[0]}
    qvecs = np.stack([searcher.embedder.encode_query(q) for q in questions])
    out["real_vectors"] = real_recall(searcher, qvecs)
    print(f"real vectors: {out['real_vectors']}", flush=True)
    for rows in sizes:
        big, built, vectors = scaled_searcher(searcher, rows)
        exact = FlatStore(vectors.shape[1])
        exact.add(vectors)
        hits = [len(set(big.data.store.search(v, 10)[1]) & set(exact.search(v, 10)[1])) / 10 for v in qvecs]
        del exact, vectors
        latencies(big, questions[:10], 1)  # warm
        out[str(rows)] = {"store": big.data.store.kind, "store_build_s": built, "recall_at_10": float(np.mean(hits)),
                          **{m: percentiles(latencies(big, questions, 1, m)) for m in ("dense", "hybrid+rerank")}}
        print(f"scale {rows}: {out[str(rows)]}", flush=True)
    return out
