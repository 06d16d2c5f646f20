"""Answer matching and the recall / MRR figures every bench command reports.

>>> ranks = [1, 3, None, 12]        # rank of the first relevant hit per question; None = not in the top 20
>>> metrics(ranks)["R@5"], round(metrics(ranks)["MRR@10"], 4)
(0.5, 0.3333)
"""
from __future__ import annotations

KS = (1, 5, 10, 20)


def fold(text: str) -> str:
    """Lower case, whitespace runs folded to one space: the answer-matching form."""
    return " ".join(text.lower().split())


def contains_answer(text: str, answers) -> bool:
    folded = fold(text)
    return any(a and fold(a) in folded for a in answers)


def first_relevant(texts, answers) -> int | None:
    """1-based rank of the first text containing an answer, or None."""
    return next((i for i, t in enumerate(texts, 1) if contains_answer(t, answers)), None)


def metrics(ranks) -> dict:
    """Recall@k for k in KS and MRR@10 from first-relevant ranks (None = missed)."""
    n = max(len(ranks), 1)
    out = {f"R@{k}": sum(r is not None and r <= k for r in ranks) / n for k in KS}
    out["MRR@10"] = sum(1 / r for r in ranks if r is not None and r <= 10) / n
    return out
