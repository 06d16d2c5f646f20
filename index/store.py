"""The vector store seam: add, remove, search, save, load.

Everything else talks to `FlatStore` through these five calls, so another
engine (HNSW, IVF, another library) can stand in later. Ids are row
positions 0..n-1; `remove` compacts them, as the passage table does.

>>> import numpy as np
>>> s = FlatStore(2)
>>> s.add(np.array([[1, 0], [0, 1]], dtype="float32"))
>>> s.search(np.array([0.6, 0.8], dtype="float32"), k=1)
([0.8...], [1])
"""
from __future__ import annotations

import os
from pathlib import Path

import faiss
import numpy as np


class FlatStore:
    """Exact inner-product search (cosine on normalised vectors) with FAISS."""

    kind = "faiss-flat-ip"

    def __init__(self, dim: int, index=None):
        self.dim = dim
        self.index = index if index is not None else faiss.IndexFlatIP(dim)

    def __len__(self) -> int:
        return self.index.ntotal

    def add(self, vectors: np.ndarray) -> None:
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        if vectors.ndim != 2 or vectors.shape[1] != self.dim:
            raise ValueError(f"expected vectors of dimension {self.dim}, got shape {vectors.shape}")
        self.index.add(vectors)

    def remove(self, ids) -> None:
        """Drop rows; later rows move up, as in the passage table."""
        self.index.remove_ids(np.asarray(sorted(ids), dtype=np.int64))

    def vectors(self, ids=None) -> np.ndarray:
        """The stored vectors (all, or the rows in `ids`), for reuse by an incremental build."""
        if len(self) == 0:
            return np.zeros((0, self.dim), dtype=np.float32)
        if ids is None:
            return self.index.reconstruct_n(0, len(self))
        ids = np.asarray(ids, dtype=np.int64)  # just these rows: a query must not copy a million vectors
        return self.index.reconstruct_batch(ids) if len(ids) else np.zeros((0, self.dim), dtype=np.float32)

    def search(self, query: np.ndarray, k: int, allowed=None) -> tuple[list[float], list[int]]:
        """Top-k (scores, ids); `allowed` (ids) restricts the search to those rows."""
        query = np.ascontiguousarray(query, dtype=np.float32).reshape(1, -1)
        params = None
        if allowed is not None:
            allowed = np.asarray(allowed, dtype=np.int64)
            if len(allowed) == 0:
                return [], []
            params = faiss.SearchParameters(sel=faiss.IDSelectorBatch(allowed))
        k = min(k, len(self) if allowed is None else len(allowed))
        if k <= 0:
            return [], []
        scores, ids = self.index.search(query, k, params=params)
        keep = ids[0] >= 0
        return scores[0][keep].tolist(), ids[0][keep].tolist()

    def save(self, path: Path) -> None:
        faiss.write_index(self.index, str(path))

    @classmethod
    def load(cls, path: Path) -> "FlatStore":
        """Load a saved store; the file itself says which engine it is."""
        index = faiss.read_index(str(path))
        kind = HnswStore if isinstance(index, faiss.IndexHNSWFlat) else FlatStore
        return kind(index.d, index)


class HnswStore(FlatStore):
    """Approximate search (HNSW graph) for sizes where exact search gets slow.

    Filtered searches over a small share of rows are answered exactly, since a
    graph walk with most nodes excluded loses recall.
    """

    kind = "faiss-hnsw-ip"
    # efSearch 512: recall@10 0.999 on 252k real MiniLM vectors, 0.946 on 1M tie-heavy synthetic ones
    # (0.878 at 128), for under 1 ms a query (README "Speed").
    M, EF_CONSTRUCTION, EF_SEARCH = 32, 80, 512
    EXACT_BELOW = 20_000   # allowed rows under this: exact dot products over just those

    def __init__(self, dim: int, index=None):
        if index is None:
            index = faiss.IndexHNSWFlat(dim, self.M, faiss.METRIC_INNER_PRODUCT)
            index.hnsw.efConstruction = self.EF_CONSTRUCTION
        index.hnsw.efSearch = self.EF_SEARCH
        super().__init__(dim, index)

    def add(self, vectors: np.ndarray) -> None:
        # Building the graph uses every core, whatever a Searcher in this process set for its queries.
        before = faiss.omp_get_max_threads()
        faiss.omp_set_num_threads(os.cpu_count() or 1)
        try:
            super().add(vectors)
        finally:
            faiss.omp_set_num_threads(before)

    def remove(self, ids) -> None:
        # HNSW cannot delete; rebuild from the kept rows (builds lay out stores afresh anyway).
        keep = np.setdiff1d(np.arange(len(self)), np.asarray(list(ids), dtype=np.int64))
        kept = self.vectors(keep)
        self.index = HnswStore(self.dim).index
        self.add(kept)

    def search(self, query: np.ndarray, k: int, allowed=None) -> tuple[list[float], list[int]]:
        if allowed is None or len(allowed) >= self.EXACT_BELOW:
            return super().search(query, max(k, 1) if allowed is None else k, allowed)
        allowed = np.asarray(allowed, dtype=np.int64)
        if len(allowed) == 0 or k <= 0:
            return [], []
        scores = self.index.reconstruct_batch(allowed) @ np.asarray(query, dtype=np.float32).ravel()
        top = np.argsort(-scores, kind="stable")[:k]
        return scores[top].tolist(), allowed[top].tolist()


# Exact search is cheap up to about here (~14 ms a query at 100k vectors, measured); above it, HNSW.
HNSW_FROM = 150_000


def new_store(dim: int, rows: int) -> FlatStore:
    """The engine for an index of `rows` passages: exact while cheap, approximate above."""
    return HnswStore(dim) if rows >= HNSW_FROM else FlatStore(dim)


def vector_files(kind: str | None) -> tuple:
    """The generation's own files that hold its vectors: none when an engine (Milvus) holds them."""
    return () if kind == "milvus" else ("vectors.faiss",)
