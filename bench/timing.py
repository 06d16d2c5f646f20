"""Latency figures and machine facts shared by the speed benchmarks.

>>> percentiles([5.0, 1.0, 3.0, 2.0, 4.0])["p50_ms"]
3.0
"""
from __future__ import annotations

import os
import time
from pathlib import Path


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


def cpu_seconds(pid: int) -> float:
    """CPU seconds (user + system) a live process has used so far, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def machine() -> dict:
    """What the figures depend on: CPU model, cores, and whether bf16 runs in hardware (AMX or AVX-512)."""
    info = Path("/proc/cpuinfo").read_text(errors="replace") if Path("/proc/cpuinfo").exists() else ""
    model = next((line.split(":", 1)[1].strip() for line in info.splitlines() if line.startswith("model name")), "?")
    flags = sorted({f for f in info.split() if f in ("avx512_bf16", "amx_bf16", "amx_tile")})
    return {"cpu": model, "cores": os.cpu_count(), "bf16_flags": flags}
