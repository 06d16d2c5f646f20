"""Read the publication dates news files carry, in the forms they come in.

A date is either read exactly or refused with a message that says how to
write it; it is never guessed. "06/01/2023" could be June 1 or January 6,
so it is refused rather than read one way.

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

MIN_YEAR, MAX_YEAR = 1800, 2200
FIX = "write YYYY-MM-DD"

_MONTHS = {name: n for n, names in enumerate((
    ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
    ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
    ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
    ("dec", "december")), start=1) for name in names}

# A time of day (and zone) may follow any date form; the date is taken as
# written because the article's own calendar day is what a reader expects.
_TIME = r"(?:(?:[T ]|,? +(?:at +)?)\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?" \
        r" *(?:[AaPp]\.?[Mm]\.?)? *(?:Z|[A-Z]{2,5}|[+-]\d{2}(?::?\d{2})?)?)?"
_ISO = re.compile(r"(\d{4})([-/])(\d{1,2})\2(\d{1,2})" + _TIME)
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
_NUMERIC = re.compile(r"(\d{1,2})([./-])(\d{1,2})\2(\d{4})" + _TIME)
_WEEKDAY = re.compile(r"(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,? +", re.I)
_DAY_MONTH = re.compile(r"(\d{1,2})(?:st|nd|rd|th)? +([A-Za-z]+)\.?,? +(\d{4})" + _TIME)
_MONTH_DAY = re.compile(r"([A-Za-z]+)\.? +(\d{1,2})(?:st|nd|rd|th)?,? +(\d{4})" + _TIME)
_TIMESTAMP = re.compile(r"\d{9,11}(?:\.\d+)?")


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
    return _parse_text(text, value)


def _parse_text(text: str, original: str) -> dt.date:
    if m := _ISO.fullmatch(text):
        return _make(m[1], m[3], m[4], original)
    if m := _COMPACT.fullmatch(text):
        return _make(m[1], m[2], m[3], original)
    if _TIMESTAMP.fullmatch(text):
        return _from_timestamp(float(text), original)
    if m := _NUMERIC.fullmatch(text):
        return _day_month(m, original)
    text = _WEEKDAY.sub("", text, count=1) if _WEEKDAY.match(text) else text
    if (m := _DAY_MONTH.fullmatch(text)) and m[2].lower() in _MONTHS:
        return _make(m[3], _MONTHS[m[2].lower()], m[1], original)
    if (m := _MONTH_DAY.fullmatch(text)) and m[1].lower() in _MONTHS:
        return _make(m[3], _MONTHS[m[1].lower()], m[2], original)
    raise ValueError(f"unreadable date {original!r}; {FIX} (or e.g. 'June 1, 2023')")


def _day_month(m: re.Match, original: str) -> dt.date:
    """Order the two small numbers of D.M.Y / M/D/Y only when that is certain.

    >>> _day_month(_NUMERIC.fullmatch("13/06/2023"), "13/06/2023")
    datetime.date(2023, 6, 13)
    """
    a, sep, b, year = int(m[1]), m[2], int(m[3]), m[4]
    if sep == ".":  # dotted dates are day-first wherever they are written
        return _make(year, b, a, original)
    if a > 12 >= b:
        return _make(year, b, a, original)
    if b > 12 >= a or a == b:
        return _make(year, a, b, original)
    if a > 12 and b > 12:
        raise ValueError(f"no such date {original!r}; {FIX}")
    raise ValueError(f"ambiguous day/month in {original!r}; {FIX}")


def _make(year, month, day, original) -> dt.date:
    try:
        date = dt.date(int(year), int(month), int(day))
    except ValueError as e:
        raise ValueError(f"no such date {original!r} ({e}); {FIX}") from None
    return _check_year(date, original)


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
