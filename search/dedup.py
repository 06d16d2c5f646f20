"""Near-duplicate passages collapse into one hit, shown by its earliest copy; at most N hits per outlet.

The same wire story runs in several outlets, and an outlet repeats its boilerplate under every
article. Two passages are near-duplicates when their vectors are almost the same (cosine
>= 0.97) or most of the shorter one's word 5-grams occur in the other (the copies may be cut
into passages at different places, so whole-passage similarity alone misses them).

>>> import numpy as np
>>> v = np.array([[1.0, 0.0], [0.999, 0.045], [0.0, 1.0]], dtype="float32")
>>> collapse([10, 11, 12], v, ["wire story", "wire story copy", "other news"])
[(10, [11]), (12, [])]
>>> collapse([10, 11, 12], v, ["wire story", "wire story copy", "other news"], ["a", "a", "b"])
[(10, []), (11, []), (12, [])]

Passages of one article are never near-duplicates of each other: chunking repeats a sentence
between neighbours, so a short last passage is mostly that sentence, yet the rest of it is
found nowhere else (and `also` lists other articles only, so a folded one would vanish).
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


def collapse(rows, vectors: np.ndarray, texts, articles=None) -> list[tuple[int, list[int]]]:
    """Group best-first rows: [(kept row, [its near-duplicate rows, best first]), ...] in rank order.

    vectors[i], texts[i] and articles[i] (article ids; None: every row its own article) belong to
    rows[i]; a row joins the first kept row it duplicates whose group holds no passage of its article.
    """
    rows = list(rows)
    return group(rows, duplicates(vectors, texts), articles) if rows else []


def group(rows: list, dup: np.ndarray, articles=None) -> list[tuple[int, list[int]]]:
    """collapse, given the near-duplicate matrix of `rows` (in their order).

    >>> dup = np.array([[1, 0, 1], [0, 1, 0], [1, 0, 1]], dtype=bool)
    >>> group([5, 6, 7], dup), group([5, 6, 7], dup, ["a", "b", "a"])
    ([(5, [7]), (6, [])], [(5, []), (6, []), (7, [])])
    """
    if not np.tril(dup, -1).any():   # most rankings hold no near-duplicates at all
        return [(r, []) for r in rows]
    articles = list(rows) if articles is None else list(articles)
    kept = np.zeros(len(rows), dtype=bool)
    groups: dict[int, list[int]] = {}
    held: dict[int, set] = {}   # kept index -> the articles its group holds
    for i in range(len(rows)):
        homes = [int(j) for j in np.flatnonzero(dup[i, :i] & kept[:i]) if articles[i] not in held[j]]
        if homes:
            groups[homes[0]].append(rows[i])
            held[homes[0]].add(articles[i])
        else:
            kept[i] = True
            groups[i], held[i] = [], {articles[i]}
    return [(rows[j], groups[j]) for j in np.flatnonzero(kept)]


def earliest_first(rows: list, dates) -> list:
    """The rows by publication day, undated last; rows of one day keep their order (rank order).

    >>> earliest_first([7, 8, 9, 10], {7: 30, 8: -1, 9: 10, 10: 30})
    [9, 7, 10, 8]
    """
    return sorted(rows, key=lambda r: (dates[r] < 0, dates[r]))


def shown(groups, dates, outlets, limit: int | None = None, k: int | None = None) -> list:
    """The first k groups [(best row, [its near-duplicates]), ...] as [(shown row, [the others], best row), ...].

    A group is shown through its earliest-published copy, where it keeps the best copy's score and
    rank: the recency prior ranks a later re-run of wire text first, and dated by the re-run the hit
    would put a figure later than it was first reported. `limit`: at most that many hits per outlet;
    a group whose copy's outlet is full is shown through the earliest copy from an outlet with room
    (an outlet within its limit keeps its copy), and left out only when every copy's outlet is full.
    dates[row]: day ordinal, -1 undated; outlets[row]: outlet name ("" or None: unknown).

    >>> dates, outlets = {1: 20, 2: 10, 3: -1, 4: 5}, {1: "A", 2: "B", 3: "A", 4: "b"}
    >>> shown([(1, [2, 3]), (4, [])], dates, outlets)
    [(2, [1, 3], 1), (4, [], 4)]
    >>> shown([(4, []), (1, [2, 3])], dates, outlets, limit=1), shown([(4, []), (2, [])], dates, outlets, 1)
    ([(4, [], 4), (1, [2, 3], 1)], [(4, [], 4)])
    """
    seen: dict = {}
    out = []
    for best, dups in groups:
        if k is not None and len(out) >= k:
            break
        copies = earliest_first([best, *dups], dates)
        room = [r for r in copies if not limit or seen.get((outlets[r] or "").lower(), 0) < limit]
        if not room:
            continue
        key = (outlets[room[0]] or "").lower()
        seen[key] = seen.get(key, 0) + 1
        out.append((room[0], [r for r in (best, *dups) if r != room[0]], best))
    return out
