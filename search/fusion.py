"""Fusing the dense and lexical rankings into one.

Two ways, both measured on the bench (README "Retrieval quality"):
- `rrf`: reciprocal rank fusion, sum of 1 / (k + rank) over the lists a row appears in;
- `blend`: each side's scores min-max normalised over its candidates, then a weighted sum
  (a row missing from one side's candidates gets that side's lowest candidate score).

>>> rrf([[7, 3, 5], [3, 9]], k=60)[:2]
[(3, 0.0325...), (7, 0.0163...)]
>>> [row for row, _ in blend({7: 0.9, 3: 0.5}, {3: 12.0, 9: 2.0}, lexical_weight=0.5)]
[3, 7, 9]
"""
from __future__ import annotations


def top_rows(scores, n: int, allowed=None) -> list[int]:
    """Row ids of the n highest scores (numpy array), best first; `allowed` is a boolean mask or None."""
    import numpy as np

    if allowed is not None:
        scores = np.where(allowed, scores, -np.inf)
        n = min(n, int(allowed.sum()))
    n = min(n, len(scores))
    if n <= 0:
        return []
    part = np.argpartition(-scores, n - 1)[:n]
    return part[np.lexsort((part, -scores[part]))].tolist()  # ties by row, so runs repeat exactly


def rrf(rankings, k: int = 60) -> list[tuple[int, float]]:
    """Reciprocal rank fusion of several best-first row lists; (row, score) best first."""
    fused = {}
    for ranking in rankings:
        for rank, row in enumerate(ranking, 1):
            fused[row] = fused.get(row, 0.0) + 1.0 / (k + rank)
    return sorted(fused.items(), key=lambda rs: (-rs[1], rs[0]))


def _normalised(scores: dict) -> dict:
    if not scores:
        return {}
    lo, hi = min(scores.values()), max(scores.values())
    span = (hi - lo) or 1.0
    return {row: (s - lo) / span for row, s in scores.items()}


def blend(dense: dict, lexical: dict, lexical_weight: float = 0.5) -> list[tuple[int, float]]:
    """Weighted sum of min-max normalised scores ({row: score} per side); (row, score) best first."""
    d, s = _normalised(dense), _normalised(lexical)
    rows = set(d) | set(s)
    fused = {r: (1 - lexical_weight) * d.get(r, 0.0) + lexical_weight * s.get(r, 0.0) for r in rows}
    return sorted(fused.items(), key=lambda rs: (-rs[1], rs[0]))
