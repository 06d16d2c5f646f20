"""Every tuned ranking constant in one frozen record, so a caller (or the evaluation's grid) can pass
its own instead of changing module globals.

The defaults are the constants the product ranks with; they were chosen by the cross-validated
grid of bench/crossval.py on the bench dev questions (README "Retrieval quality"). Levers at 0 are off.

>>> p = RankParams()
>>> p.rrf_k, p.rerank_depth
(30, 100)
>>> p.replace(sentence_weight=0.7).sentence_weight, p.sentence_weight
(0.7, 0.6)
>>> RankParams(rerank_depth=0)
Traceback (most recent call last):
ValueError: rerank_depth must be at least 1, not 0
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace


@dataclass(frozen=True)
class RankParams:
    candidates: int = 100          # rows per side (dense, BM25) before fusion
    fusion: str = "rrf"            # "rrf" or "blend" (search/fusion.py)
    rrf_k: int = 30
    lexical_weight: float = 0.5    # for fusion = "blend"
    rerank_depth: int = 100        # fused rows that get the second stage
    sentence_weight: float = 0.6   # best sentence cosine against the normalised first-stage score
    recency_weight: float = 0.45   # the recency prior exp(-age / recency_days)
    recency_days: float = 365.0
    # Levers of issue 14 (search/signals.py); each kept on only where the cross-validated figure gained.
    answer_type_weight: float = 0.0  # sentences holding what the question asks for (who/when/how many)
    title_weight: float = 0.0        # share of the question's BM25 terms found in the passage's title
    prf_titles: int = 0              # BM25 query expanded with the terms of this many top titles
    prf_weight: float = 0.3          # weight of each expansion term (the question's own count 1)
    per_article: int = 0             # at most this many passages of one article in the top 10 (0 = no cap)

    def __post_init__(self):
        for name in ("candidates", "rerank_depth", "rrf_k"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1, not {getattr(self, name)}")
        if self.fusion not in ("rrf", "blend"):
            raise ValueError(f"fusion must be rrf or blend, not {self.fusion!r}")
        if self.recency_days <= 0:
            raise ValueError(f"recency_days must be positive, not {self.recency_days}")

    def replace(self, **changes) -> "RankParams":
        return replace(self, **changes)

    def changed(self) -> dict:
        """The fields that differ from the defaults (for reports)."""
        base = asdict(RankParams())
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name) != base[f.name]}


DEFAULT_PARAMS = RankParams()
