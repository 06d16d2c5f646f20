"""Arranging hits for the page: order, one per article, date filters, coverage over time, table, CSV.

Plain functions on `Hit` lists and dates, so the page script stays thin.

>>> import datetime as dt
>>> date_filter((dt.date(2024, 1, 1), dt.date(2024, 1, 31)), as_of=dt.date(2024, 1, 10))
(datetime.date(2024, 1, 1), datetime.date(2024, 1, 10))
"""
from __future__ import annotations

import dataclasses
import datetime as dt

from search.request import last_day

SORTS = ("relevance", "date")
WEEKLY_AFTER_DAYS = 120      # a longer span is counted per week, so the chart keeps few bars
CONTEXT_DAYS = 30            # the coverage chart shows the hits' dates and at least this much either side
_CSV_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def sort_hits(hits: list, by: str = "relevance") -> list:
    """Best first, or newest first (undated last, ties by relevance); ranks stay relevance ranks."""
    if by == "relevance":
        return sorted(hits, key=lambda h: h.rank)
    if by == "date":
        return sorted(hits, key=lambda h: (h.date is None, -(h.date.toordinal() if h.date else 0), h.rank))
    raise ValueError(f"sort must be one of {', '.join(SORTS)}, not {by!r}")


def to_fetch(k: int, one: bool, passages: int) -> int:
    """How many passages a search fetches to show k: ten times k when only each article's best is shown
    (a long article's passages often fill the top ranks), within what the index holds and a search
    returns; k itself is passed on as given, so a k no search takes is refused for what it is.

    >>> to_fetch(10, False, 500), to_fetch(10, True, 500), to_fetch(10, True, 40), to_fetch(500, True, 9000)
    (10, 100, 40, 1000)
    """
    from search.request import MAX_K
    return max(k, min(k * 10, passages, MAX_K)) if one else k


def one_per_article(hits: list, k: int | None = None) -> list:
    """The best passage of each article, re-ranked 1..n, at most k of them.

    >>> from search.hits import Hit
    >>> hits = [Hit(r, 1 / r, "t", "T", None, None, None, aid, 0, 1) for r, aid in enumerate("aab", 1)]
    >>> [(h.rank, h.article_id) for h in one_per_article(hits)]
    [(1, 'a'), (2, 'b')]
    """
    seen, out = set(), []
    for h in sorted(hits, key=lambda h: h.rank):
        if h.article_id not in seen:
            seen.add(h.article_id)
            out.append(dataclasses.replace(h, rank=len(out) + 1))
    return out[:k] if k else out


def date_filter(date_range=(), as_of: dt.date | None = None) -> tuple[dt.date | None, dt.date | None]:
    """(since, until) from a date-range widget value (0, 1 or 2 dates) and an "as of" date.

    >>> date_filter(()), date_filter((dt.date(2024, 1, 5),))
    ((None, None), (datetime.date(2024, 1, 5), None))
    """
    dates = [d for d in (date_range or ()) if d is not None]
    since = min(dates) if dates else None
    until = max(dates) if len(dates) == 2 else None
    return since, last_day(until, as_of)


def coverage_frame(article_dates: dict, hit_article_ids=()):
    """Articles per day (per week for spans over WEEKLY_AFTER_DAYS), split into those with a hit and the rest,
    over the hits' dates and CONTEXT_DAYS either side (all dates when no hit is dated): an index of
    thirty years would otherwise squeeze a week of hits into one bar's width.

    article_dates: article id -> date or None (undated articles are not counted).
    Columns: period (a Timestamp: the day, or the Monday of the week), "articles with a hit",
    "other articles". Returns (frame, "day" or "week").

    >>> frame, unit = coverage_frame({"a": dt.date(2024, 1, 1), "b": dt.date(2024, 1, 3), "c": None,
    ...                               "old": dt.date(1994, 5, 1)}, ["b"])
    >>> unit, frame["articles with a hit"].tolist(), frame["other articles"].tolist()
    ('day', [0, 0, 1], [1, 0, 0])
    """
    import pandas as pd

    dated = _around_hits({aid: d for aid, d in article_dates.items() if d is not None}, set(hit_article_ids))
    columns = ["period", "articles with a hit", "other articles"]
    if not dated:
        return pd.DataFrame(columns=columns), "day"
    first, last = min(dated.values()), max(dated.values())
    unit = "week" if (last - first).days > WEEKLY_AFTER_DAYS else "day"

    def bucket(d: dt.date) -> dt.date:
        return d - dt.timedelta(days=d.weekday()) if unit == "week" else d

    step = dt.timedelta(days=7 if unit == "week" else 1)
    periods, p = [], bucket(first)
    while p <= last:      # every period in the span, so quiet days show as gaps, not squeezed out
        periods.append(p)
        p += step
    hit_ids = set(hit_article_ids)
    hits = dict.fromkeys(periods, 0)
    others = dict.fromkeys(periods, 0)
    for aid, d in dated.items():
        (hits if aid in hit_ids else others)[bucket(d)] += 1
    frame = pd.DataFrame({"period": pd.to_datetime(periods), "articles with a hit": list(hits.values()),
                          "other articles": list(others.values())}, columns=columns)
    return frame, unit


def _around_hits(dated: dict, hit_ids: set) -> dict:
    """The dated articles within CONTEXT_DAYS (or a quarter of the hits' span, if longer) of the hits' dates."""
    days = [d for aid, d in dated.items() if aid in hit_ids]
    if not days:
        return dated
    pad = dt.timedelta(days=max(CONTEXT_DAYS, (max(days) - min(days)).days // 4))
    return {aid: d for aid, d in dated.items() if min(days) - pad <= d <= max(days) + pad}


def table_frame(frame):
    """hits_to_frame's table as the page shows it: `also` said as the cards say it ("Ledger (2024-03-05)"):
    a cell of tuples of dates is no type Arrow (st.dataframe) can carry."""
    from search.view import also_text
    return frame.assign(also=frame["also"].map(also_text))


def hits_csv(frame) -> bytes:
    """The hits table as UTF-8 CSV; a text cell that a spreadsheet would run as a formula gets a leading '.

    >>> import pandas as pd
    >>> hits_csv(pd.DataFrame({"text": ["=HYPERLINK(1)", "fine"], "rank": [1, 2]})).decode()
    "text,rank\\n'=HYPERLINK(1),1\\nfine,2\\n"

    A tuple cell (`derived`, `also`) is written as a spreadsheet reads it, not as Python would print it; a folded
    copy as "outlet (date, article id)", missing ones said as the cards say them, copies split by "; ":

    >>> also = (("Ledger", None, "b"), (None, dt.date(2024, 3, 5), "c"))
    >>> hits_csv(pd.DataFrame({"derived": [("date", "source")], "also": [also]})).decode()
    'derived,also\\ndate; source,"Ledger (undated, b); unknown outlet (2024-03-05, c)"\\n'
    """
    def guard(value):
        if isinstance(value, tuple):
            value = "; ".join(_copy(v) if isinstance(v, tuple) else str(v) for v in value)
        return "'" + value if isinstance(value, str) and value.startswith(_CSV_FORMULA_START) else value

    return frame.map(guard).to_csv(index=False).encode("utf-8")


def _copy(also) -> str:
    source, date, article_id = also
    return f"{source or 'unknown outlet'} ({date or 'undated'}, {article_id})"


def status_rows(stats: dict, index_dir) -> list[tuple[str, str]]:
    """Index status as (label, value) rows for display.

    >>> status_rows({"articles": 2, "passages": 5, "outlets": 1, "first_date": dt.date(2024, 1, 1),
    ...              "last_date": dt.date(2024, 1, 3), "undated": 0, "model": "m",
    ...              "built_at": "2024-01-04T10:00:00+01:00", "problems": []}, "/idx")[3:6]
    [('dates', '2024-01-01 to 2024-01-03'), ('model', 'm'), ('built', '2024-01-04 09:00 UTC')]
    """
    first, last, built = stats.get("first_date"), stats.get("last_date"), str(stats["built_at"])
    try:
        built = dt.datetime.fromisoformat(built).astimezone(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    except ValueError:
        pass  # shown as stored
    span = f"{first} to {last}" if first else "no dated articles"
    if stats.get("undated"):
        span += f" ({stats['undated']} undated)"
    skipped, partly = problem_files(stats.get("problems", []))
    # Files read in part are counted too: a "0 skipped" beside a list of problems reads as a contradiction.
    partly = [("files read in part", str(partly))] if partly else []
    return [("articles", str(stats["articles"])), ("passages", str(stats["passages"])),
            ("outlets", str(stats["outlets"])), ("dates", span), ("model", str(stats["model"])),
            ("built", built), ("skipped files", str(skipped)), *partly, ("folder", str(index_dir))]


def problem_files(problems: list) -> tuple[int, int]:
    """(files skipped, files read in part) of a build report's problems: files, not reasons (one file may
    have several), and a file skipped is not also counted as read in part.

    >>> problem_files([{"file": "a", "kind": "degraded"}, {"file": "a", "kind": "degraded"},
    ...                {"file": "b", "kind": "skipped"}, {"file": "b", "kind": "degraded"}])
    (1, 1)
    """
    skipped = {p.get("file") for p in problems if p.get("kind") == "skipped"}
    return len(skipped), len({p.get("file") for p in problems if p.get("kind") == "degraded"} - skipped)
