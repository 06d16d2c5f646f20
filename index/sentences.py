"""Sentence vectors of every passage, stored beside the passage vectors.

The second stage (search/rerank.py) and the answer highlight need the cosine of
each sentence of a candidate passage with the question. Embedding those
sentences at question time cost ~0.8 s a question on two cores; here they are
computed once, at build time, for free: while the encoder reads a passage it
produces a vector per word piece, and the mean of the pieces inside a sentence
is that sentence's vector, seen in the context of its passage ("late
chunking"). On the bench dev questions this ranks as well as embedding every
sentence on its own (R@5 0.518 vs 0.509).

Stored as int8 with one scale per vector (a quarter of float32; no change in
the dev numbers), in a folder of plain .npy files:

    sentences/spans.npy    int32 (n, 3): passage row, start, end (offsets in the passage text)
    sentences/vectors.npy  int8  (n, dim)
    sentences/scales.npy   float32 (n,): vector = int8 row * scale

>>> import numpy as np
>>> t = SentenceTable.build([[(0, 5), (6, 9)], [], [(0, 4)]], [np.eye(3)[:2], np.zeros((0, 3)), np.eye(3)[2:]])
>>> len(t), t.span_rows(0).tolist(), t.span_rows(1).tolist()
(3, [[0, 5], [6, 9]], [])
>>> [round(float(c), 2) for c in t.cosines([0, 2], np.array([0.0, 0.6, 0.8], dtype=np.float32))]
[0.0, 0.6, 0.8]
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

SENTENCE_DIR = "sentences"
FILES = ("spans.npy", "vectors.npy", "scales.npy")


def _int8(floats: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Symmetric int8 with one scale per vector: (int8 rows, float32 scales)."""
    scales = (np.maximum(np.abs(floats).max(axis=1), 1e-12) / 127).astype(np.float32)
    return np.round(floats / scales[:, None]).astype(np.int8), scales


class SentenceTable:
    def __init__(self, spans: np.ndarray, vectors: np.ndarray, scales: np.ndarray, rows: int):
        self.spans, self.vectors, self.scales, self.rows = spans, vectors, scales, rows
        # first[r]:first[r+1] are passage r's sentences (spans are sorted by row).
        self.first = np.searchsorted(spans[:, 0], np.arange(rows + 1)) if len(spans) else np.zeros(rows + 1, int)

    def __len__(self) -> int:
        return len(self.spans)

    @classmethod
    def build(cls, spans_per_row: list, vectors_per_row: list) -> "SentenceTable":
        """From each passage row's sentence spans and their float vectors (same order)."""
        dim = next((v.shape[1] for v in vectors_per_row if len(v)), 0)
        rows = [np.full(len(s), r, dtype=np.int32) for r, s in enumerate(spans_per_row)]
        spans = np.column_stack([np.concatenate(rows or [np.zeros(0, np.int32)]),
                                 np.asarray([p for s in spans_per_row for p in s], dtype=np.int32).reshape(-1, 2)])
        # Quantised row by row: the float32 vectors of a whole corpus are never all copied at once.
        parts = [_int8(np.asarray(v, dtype=np.float32).reshape(-1, dim)) for v in vectors_per_row if len(v)]
        q = np.concatenate([p[0] for p in parts]) if parts else np.zeros((0, dim), np.int8)
        scales = np.concatenate([p[1] for p in parts]) if parts else np.zeros(0, np.float32)
        return cls(spans.astype(np.int32), q, scales, len(spans_per_row))

    @classmethod
    def concat(cls, parts: list) -> "SentenceTable":
        """Tables of consecutive row ranges, in row order, as one table (for incremental builds)."""
        parts = [p for p in parts if p.rows]
        if not parts:
            return cls(np.zeros((0, 3), np.int32), np.zeros((0, 0), np.int8), np.zeros(0, np.float32), 0)
        offsets = np.cumsum([0] + [p.rows for p in parts[:-1]])
        spans = np.concatenate([p.spans + np.array([o, 0, 0], dtype=np.int32) for p, o in zip(parts, offsets)])
        dim = max(p.vectors.shape[1] for p in parts)
        vectors = np.concatenate([p.vectors for p in parts if len(p.vectors)]) if dim else np.zeros((0, 0), np.int8)
        return cls(spans, vectors, np.concatenate([p.scales for p in parts]), int(sum(p.rows for p in parts)))

    def take(self, rows) -> "SentenceTable":
        """The sentences of passage `rows` (in that order), renumbered 0..len(rows)-1."""
        pick = [np.arange(self.first[r], self.first[r + 1]) for r in rows]
        idx = np.concatenate(pick) if pick else np.zeros(0, np.int64)
        spans = np.array(self.spans[idx], dtype=np.int32).reshape(-1, 3)
        spans[:, 0] = np.repeat(np.arange(len(rows), dtype=np.int32), [len(p) for p in pick])
        return SentenceTable(spans, np.asarray(self.vectors[idx]), np.asarray(self.scales[idx]), len(rows))

    def span_rows(self, row: int) -> np.ndarray:
        """(start, end) of passage `row`'s sentences, in text order."""
        return np.asarray(self.spans[self.first[row]:self.first[row + 1], 1:])

    def cosines(self, rows, query: np.ndarray) -> np.ndarray:
        """Cosine with `query` of every sentence of `rows`, concatenated in row order."""
        idx = np.concatenate([np.arange(self.first[r], self.first[r + 1]) for r in rows]) if len(rows) else []
        idx = np.asarray(idx, dtype=np.int64)
        return (np.asarray(self.vectors[idx], dtype=np.float32) @ np.asarray(query, dtype=np.float32)) \
            * np.asarray(self.scales[idx])

    def floats(self, idx=slice(None)) -> np.ndarray:
        """Sentence vectors `idx` (all by default) back as float32: each int8 row times its scale."""
        return np.asarray(self.vectors[idx], dtype=np.float32) * np.asarray(self.scales[idx])[:, None]

    def save(self, folder: Path) -> list[str]:
        """Write the three files; returns their names relative to folder's parent."""
        folder.mkdir(parents=True, exist_ok=True)
        for name, array in zip(FILES, (self.spans, self.vectors, self.scales)):
            with open(folder / name, "wb") as f:
                np.save(f, np.ascontiguousarray(array), allow_pickle=False)
        return [f"{folder.name}/{name}" for name in FILES]

    @classmethod
    def load(cls, folder: Path, rows: int) -> "SentenceTable":
        """Memory-mapped: only the pages a question touches are read."""
        spans, vectors, scales = (np.load(folder / name, mmap_mode="r", allow_pickle=False) for name in FILES)
        spans = np.asarray(spans)  # small, and searched on every load
        if not (len(spans) == len(vectors) == len(scales)) or spans.ndim != 2 or spans.shape[1] != 3:
            raise ValueError(f"sentence table files disagree: {len(spans)} spans, {len(vectors)} vectors, "
                             f"{len(scales)} scales")
        if len(spans) and (np.any(np.diff(spans[:, 0]) < 0) or spans[-1, 0] >= rows or spans[0, 0] < 0):
            raise ValueError(f"sentence table does not fit {rows} passages")
        return cls(spans, vectors, scales, rows)
