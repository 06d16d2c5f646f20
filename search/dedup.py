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


def shingles(text: str, n: int = SHINGLE) -> frozenset:
    words = _WORD.findall(text.lower())
    if len(words) < n:
        return frozenset([" ".join(words)]) if words else frozenset()
    return frozenset(hash(" ".join(words[i:i + n])) for i in range(len(words) - n + 1))


def _contained(a: frozenset, b: frozenset) -> bool:
    small = min(len(a), len(b))
    return small > 0 and len(a & b) >= CONTAINMENT * small


def collapse(rows, vectors: np.ndarray, texts) -> list[tuple[int, list[int]]]:
    """Group best-first rows: [(kept row, [its near-duplicate rows, best first]), ...] in rank order.

    vectors[i] and texts[i] belong to rows[i]; a row joins the first kept row it duplicates.
    """
    rows = list(rows)
    if not rows:
        return []
    sims = np.asarray(vectors, dtype=np.float32) @ np.asarray(vectors, dtype=np.float32).T
    grams = [shingles(t) for t in texts]
    kept: list[int] = []          # positions in rows
    groups: dict[int, list[int]] = {}
    for i in range(len(rows)):
        home = next((j for j in kept if sims[i, j] >= COSINE or _contained(grams[i], grams[j])), None)
        if home is None:
            kept.append(i)
            groups[i] = []
        else:
            groups[home].append(rows[i])
    return [(rows[j], groups[j]) for j in kept]


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
