"""The row filter a question carries: the allowed rows, and the criteria that chose them.

The FAISS stores and the BM25 side use the rows; an engine that filters by itself (Milvus,
index/milvus_store.py) turns the criteria into its own expression instead, so a filter over
50M rows is never shipped as a list of ids.

>>> rows = allowed_rows([0, 2], Where(since=738000, until=None, sources=("reuters",)))
>>> rows.tolist(), rows.where.since
([0, 2], 738000)
>>> milvus_expr(rows.where)
'day >= 738000 and source in ["reuters"]'
"""
from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Where:
    since: int | None = None     # ordinal days, inclusive; either set leaves undated rows out
    until: int | None = None
    sources: tuple = ()          # outlet names, lower case

    @classmethod
    def of(cls, since=None, until=None, sources=None) -> "Where":
        """From dates and outlet names as a search is given them (case-insensitive outlets)."""
        return cls(since and since.toordinal(), until and until.toordinal(), tuple(s.lower() for s in sources or ()))

    def select(self, days: np.ndarray, outlets: np.ndarray) -> "AllowedRows":
        """The rows whose day (ordinal, -1 undated) and outlet (lower case) pass, remembering this Where.

        >>> Where(since=5, sources=("a",)).select(np.array([4, 5, 6, -1]), np.array(["a", "a", "b", "a"])).tolist()
        [1]
        """
        return allowed_rows(np.nonzero(self.admits(np.asarray(days), np.asarray(outlets, dtype=object)))[0], self)

    def admits(self, day, outlet):
        """Whether a day and outlet (or arrays of them) pass: any date bound leaves the undated (-1) out."""
        ok = np.ones(np.shape(day), dtype=bool)
        if self.since is not None or self.until is not None:
            ok &= np.asarray(day) >= max(self.since or 0, 0)
        if self.until is not None:
            ok &= np.asarray(day) <= self.until
        if self.sources:
            ok &= np.isin(np.asarray(outlet, dtype=object), list(self.sources))
        return ok


class AllowedRows(np.ndarray):
    """Row ids (an int64 array, so the FAISS path is unchanged) that remember their `Where`."""

    where: Where | None = None

    def __array_finalize__(self, obj):
        self.where = getattr(obj, "where", None)


def allowed_rows(rows, where: Where) -> AllowedRows:
    out = np.asarray(rows, dtype=np.int64).view(AllowedRows)
    out.where = where
    return out


def milvus_expr(where: Where) -> str:
    """A Milvus boolean expression over the collection's scalar fields (day, source)."""
    parts = []
    if where.since is not None or where.until is not None:
        parts.append(f"day >= {max(where.since or 0, 0)}")  # undated rows are day -1
    if where.until is not None:
        parts.append(f"day <= {int(where.until)}")
    if where.sources:
        # JSON string literals: quotes and backslashes in an outlet's name stay data.
        parts.append("source in [" + ", ".join(json.dumps(s, ensure_ascii=False) for s in where.sources) + "]")
    return " and ".join(parts)
