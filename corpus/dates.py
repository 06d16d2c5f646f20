"""Read the publication dates news files carry, with python-dateutil, and refuse what would be a guess.

dateutil reads the forms (ISO 8601, RFC 2822, "June 1, 2023", "1st June 2023", ...); on top of it
this module keeps the project's rules: "06/01/2023" could be June 1 or January 6, so it is refused
rather than read one way; a date missing its day or year is refused (dateutil would fill it in
from today); the day is the one written, in the page's own time zone, not the UTC day.

>>> parse_date("2023/09/25"), parse_date("Thu, 01 Jun 2023 10:00:00 GMT")
(datetime.date(2023, 9, 25), datetime.date(2023, 6, 1))
>>> parse_date("2023-06-01T23:30:00-05:00")   # the date as written, not UTC
datetime.date(2023, 6, 1)
>>> parse_date("06/01/2023")
Traceback (most recent call last):
...
ValueError: ambiguous day/month in '06/01/2023'; write YYYY-MM-DD
"""
from __future__ import annotations

import datetime as dt
import re
import warnings

from dateutil import parser as _parser

MIN_YEAR, MAX_YEAR = 1800, 2200
FIX = "write YYYY-MM-DD"

_YEAR_FIRST = re.compile(r"\d{4}(?:[-/.]?\d{1,2}){2}(?:\D.*)?")  # 2023-06-01, 2023/6/1, 20230601T…
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})([./-])(\d{1,2})\2\d{2,4}(?:\D.*)?")  # 01.06.2023, 06/01/2023
_TIMESTAMP = re.compile(r"\d{9,11}(?:\.\d+)?")
# Two defaults that differ in every field: a part missing from the text shows up as a difference.
_DEFAULTS = (dt.datetime(2000, 1, 1), dt.datetime(2004, 2, 2))


def parse_date(value) -> dt.date | None:
    """Return the calendar date in ``value``; None when it is empty.

    >>> parse_date("June 1, 2023") == parse_date("1 June 2023") == parse_date("20230601")
    True
    >>> parse_date(1685613600), parse_date(""), parse_date(None)
    (datetime.date(2023, 6, 1), None, None)

    Raises ValueError, with the fix in the message, for anything else.
    """
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):  # bool is an int subclass, but True is no date
        raise ValueError(f"not a date: {value!r}; {FIX}")
    if isinstance(value, (int, float)):
        return _from_timestamp(value, value)
    if not isinstance(value, str):
        raise ValueError(f"not a date: {value!r} ({type(value).__name__}); {FIX}")
    text = " ".join(value.split())
    if not text:
        return None
    if _TIMESTAMP.fullmatch(text):
        return _from_timestamp(float(text), value)
    return _check_year(_parse_text(text, value), value)


def _parse_text(text: str, original: str) -> dt.date:
    if _YEAR_FIRST.fullmatch(text):  # year first is always year-month-day; nobody writes Y-D-M
        try:  # most dates are ISO 8601: exact, whole, and ~25x faster than two dateutil passes
            return dt.datetime.fromisoformat(text).date()
        except ValueError:
            return _read(text, original, dayfirst=False)
    if m := _DAY_MONTH_YEAR.fullmatch(text):
        if m[2] == ".":  # dotted dates are day-first wherever they are written
            return _read(text, original, dayfirst=True)
        month_first, day_first = _read(text, original, dayfirst=False), _read(text, original, dayfirst=True)
        if month_first != day_first:
            raise ValueError(f"ambiguous day/month in {original!r}; {FIX}")
        return month_first
    return _read(text, original, dayfirst=False)


def _read(text: str, original: str, dayfirst: bool) -> dt.date:
    """The date dateutil reads, in the text's own time zone; refused if any part came from the defaults."""
    days = set()
    for default in _DEFAULTS:
        try:
            with warnings.catch_warnings():  # "EDT identified but not understood": the day is still right
                warnings.simplefilter("ignore")
                days.add(_parser.parse(text, default=default, dayfirst=dayfirst, yearfirst=not dayfirst).date())
        except _parser.ParserError as e:
            if "out of range" in str(e) or "must be in" in str(e):
                raise ValueError(f"no such date {original!r} ({e}); {FIX}") from None
            raise ValueError(f"unreadable date {original!r}; {FIX} (or e.g. 'June 1, 2023')") from None
        except (OverflowError, ValueError) as e:
            raise ValueError(f"no such date {original!r} ({e}); {FIX}") from None
    if len(days) > 1:
        raise ValueError(f"incomplete date {original!r} (no day, month or year); {FIX}")
    return days.pop()


def _from_timestamp(seconds: float, original) -> dt.date:
    """Unix seconds, read in UTC (a timestamp has no local calendar of its own)."""
    try:
        date = dt.datetime.fromtimestamp(seconds, tz=dt.timezone.utc).date()
    except (OverflowError, OSError, ValueError):
        raise ValueError(f"timestamp out of range {original!r} (seconds, not milliseconds?); {FIX}") from None
    return _check_year(date, original)


def _check_year(date: dt.date, original) -> dt.date:
    # Years outside this span in news metadata are typos or wrong units.
    if not MIN_YEAR <= date.year <= MAX_YEAR:
        raise ValueError(f"year {date.year} out of range {MIN_YEAR}-{MAX_YEAR} in {original!r}; {FIX}")
    return date
