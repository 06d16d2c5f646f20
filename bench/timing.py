"""Latency figures shared by the speed benchmarks.

>>> percentiles([5.0, 1.0, 3.0, 2.0, 4.0])["p50_ms"]
3.0
"""
from __future__ import annotations

import time


def latencies(searcher, questions: list[str], rounds: int, mode=None) -> list[float]:
    times = []
    for _ in range(rounds):
        for q in questions:
            t = time.perf_counter()
            searcher.search(q, k=10, mode=mode)
            times.append((time.perf_counter() - t) * 1000)
    return times


def percentiles(times: list[float]) -> dict:
    s = sorted(times)
    return {"n": len(s), "p50_ms": s[len(s) // 2], "p95_ms": s[int(len(s) * 0.95)]}
