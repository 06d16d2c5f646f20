"""Near-duplicate passages collapse into one hit; at most N hits per outlet.

The same wire story runs in several outlets, and an outlet repeats its boilerplate under every
article. Two passages are near-duplicates when their vectors are almost the same (cosine
>= 0.97) or most of the shorter one's word 5-grams occur in the other (the copies may be cut
into passages at different places, so whole-passage similarity alone misses them).

>>> import numpy as np
>>> v = np.array([[1.0, 0.0], [0.999, 0.045], [0.0, 1.0]], dtype="float32")
>>> collapse([10, 11, 12], v, ["wire story", "wire story copy", "other news"])
[(10, [11]), (12, [])]
>>> per_source([(1, "A"), (2, "A"), (3, "B"), (4, "A")], 2)
[1, 2, 3]
"""
from __future__ import annotations

import re

import numpy as np

COSINE = 0.97          # vector cosine at or above which two passages are the same text
SHINGLE = 5            # words per shingle
CONTAINMENT = 0.6      # share of the shorter passage's shingles found in the other
_WORD = re.compile(r"\w+")


def shingles(text: str, n: int = SHINGLE) -> np.ndarray:
    """Hashes of the text's word n-grams (unique, sorted); one hash for a text of fewer words.

    >>> len(shingles("a b c d e f")), len(shingles("a b")), len(shingles("A b c d e")) == len(shingles("a b c d e"))
    (2, 1, True)
    """
    words = _WORD.findall(text.lower())
    if not words:
        return np.zeros(0, dtype=np.uint64)
    ids = np.array([hash(w) for w in words], dtype=np.int64).view(np.uint64)
    if len(ids) < n:
        n = len(ids)
    # A polynomial rolling hash of n consecutive word hashes (wraps around in uint64, as intended).
    out = np.zeros(len(ids) - n + 1, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for i in range(n):
            out = out * np.uint64(1_000_003) + ids[i:len(ids) - n + 1 + i]
    return np.unique(out)


def _shared(grams: list) -> np.ndarray:
    """n x n counts of shingles shared by each pair of texts (off the diagonal).

    One matrix product over the shingles that occur in two or more texts, instead of n^2 set
    intersections; most shingles occur once, so the matrix stays small.
    """
    n = len(grams)
    lens = np.array([len(g) for g in grams])
    if not lens.sum():
        return np.zeros((n, n), dtype=np.float32)
    owner = np.repeat(np.arange(n), lens)
    _, inverse, counts = np.unique(np.concatenate(grams), return_inverse=True, return_counts=True)
    inverse = inverse.ravel()
    shared = counts[inverse] > 1
    _, cols = np.unique(inverse[shared], return_inverse=True)
    incidence = np.zeros((n, int(cols.max()) + 1 if shared.any() else 0), dtype=np.float32)
    incidence[owner[shared], cols.ravel()] = 1.0
    return incidence @ incidence.T


def duplicates(vectors: np.ndarray, texts) -> np.ndarray:
    """n x n booleans: texts i and j are near-duplicates (vectors[i] belongs to texts[i])."""
    v = np.asarray(vectors, dtype=np.float32)
    grams = [shingles(t) for t in texts]
    lens = np.array([len(g) for g in grams])
    small = np.minimum.outer(lens, lens)
    return (v @ v.T >= COSINE) | ((small > 0) & (_shared(grams) >= CONTAINMENT * small))


def collapse(rows, vectors: np.ndarray, texts) -> list[tuple[int, list[int]]]:
    """Group best-first rows: [(kept row, [its near-duplicate rows, best first]), ...] in rank order.

    vectors[i] and texts[i] belong to rows[i]; a row joins the first kept row it duplicates.
    """
    rows = list(rows)
    return group(rows, duplicates(vectors, texts)) if rows else []


def group(rows: list, dup: np.ndarray) -> list[tuple[int, list[int]]]:
    """collapse, given the near-duplicate matrix of `rows` (in their order).

    >>> group([5, 6, 7], np.array([[1, 0, 1], [0, 1, 0], [1, 0, 1]], dtype=bool))
    [(5, [7]), (6, [])]
    """
    kept = np.zeros(len(rows), dtype=bool)
    groups: dict[int, list[int]] = {}
    for i in range(len(rows)):
        homes = np.flatnonzero(dup[i, :i] & kept[:i])
        if len(homes):
            groups[int(homes[0])].append(rows[i])
        else:
            kept[i] = True
            groups[i] = []
    return [(rows[j], groups[j]) for j in np.flatnonzero(kept)]


def per_source(ranked, limit: int | None) -> list:
    """Keep at most `limit` items per outlet, in order; `ranked` is [(item, outlet), ...]."""
    if not limit:
        return [item for item, _ in ranked]
    seen: dict = {}
    out = []
    for item, source in ranked:
        key = (source or "").lower()
        if seen.get(key, 0) < limit:
            seen[key] = seen.get(key, 0) + 1
            out.append(item)
    return out
