"""Read the publication dates news files carry, with python-dateutil, and refuse what would be a guess.

dateutil reads the forms (ISO 8601, RFC 2822, "June 1, 2023", "1st June 2023", ...); on top of it
this module keeps the project's rules: "06/01/2023" could be June 1 or January 6, so it is refused
rather than read one way; a date missing its day or year is refused (dateutil would fill it in
from today); the day is the one written, in the page's own time zone, not the UTC day. A two-digit year
follows the day and month name, as RFC 2822 writes it, and a number is a date only as YYYYMMDD or Unix seconds.
A date read fine but more than ``FUTURE_DAYS`` after ``today()`` is not trusted (``too_late``): make_article,
through which every format passes, leaves that article undated and says why.

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
import math
import re
import warnings

from dateutil import parser as _parser

MIN_YEAR, MAX_YEAR = 1800, 2200
FIX = "write YYYY-MM-DD"
# A stated date may be this many days after the day the file is read: time zones (a +13:00 page is a
# day ahead of UTC) and a page fetched the evening before its dateline. Later is a typo, not news.
FUTURE_DAYS = 2

_YEAR_FIRST = re.compile(r"\d{4}(?:[-/.]?\d{1,2}){2}(?:\D.*)?")  # 2023-06-01, 2023/6/1, 20230601T…
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})([./-])(\d{1,2})\2\d{2,4}(?:\D.*)?")  # 01.06.2023, 06/01/2023
_TIMESTAMP = re.compile(r"\d{9,11}(?:\.\d+)?")
_WORD = re.compile(r"[^\W\d_]+")
_LEADING_YEAR = re.compile(r"\D*\d{4}(?!\d)")  # "Thu 2023-06-01": the year comes first
# Two defaults that differ in every field: a part missing from the text shows up as a difference.
_DEFAULTS = (dt.datetime(2000, 1, 1), dt.datetime(2004, 2, 2))


class _Info(_parser.parserinfo):
    """Two-digit years as RFC 2822 reads them ("01 Jun 23": 00-49 are 20xx, 50-99 19xx): the same
    year every day, where dateutil's own window (within 50 years of today) moves with the clock."""

    def convertyear(self, year, century_specified=False):
        if year < 100 and not century_specified:
            return year + (2000 if year < 50 else 1900)
        return year


_INFO = _Info()
_PARSER = _parser.parser(_INFO)


def parse_date(value) -> dt.date | None:
    """Return the calendar date in ``value``; None when it is empty.

    >>> parse_date("June 1, 2023") == parse_date("1 June 2023") == parse_date("20230601")
    True
    >>> parse_date(1685613600), parse_date(20230601), parse_date(""), parse_date(None)
    (datetime.date(2023, 6, 1), datetime.date(2023, 6, 1), None, None)
    >>> parse_date("Thu, 01 Jun 23 10:00:00 GMT")   # RFC 822's day-month-yy, never 2001-06-23
    datetime.date(2023, 6, 1)

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
        return _from_number(value)
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
            return _read(text, original, dayfirst=False, yearfirst=True)
    if m := _DAY_MONTH_YEAR.fullmatch(text):
        if m[2] == ".":  # dotted dates are day-first wherever they are written
            return _read(text, original, dayfirst=True, yearfirst=False)
        return _one_reading(text, original)
    if any(_INFO.month(word) is not None for word in _WORD.findall(text)):
        # A month name leaves day and year: the day comes before a two-digit year ("01 Jun 23",
        # "Jun 1, 23", RFC 822); read year first, they came out as 2001-06-23.
        return _read(text, original, dayfirst=False, yearfirst=False)
    if _LEADING_YEAR.match(text):
        return _read(text, original, dayfirst=False, yearfirst=True)
    return _one_reading(text, original)  # only numbers ("1 2 2023"): nothing says which is the month


def _one_reading(text: str, original: str) -> dt.date:
    """The date if month-first (or year-first) and day-first readings agree; else refused as ambiguous."""
    month_first = _read(text, original, dayfirst=False, yearfirst=True)
    if month_first != _read(text, original, dayfirst=True, yearfirst=False):
        raise ValueError(f"ambiguous day/month in {original!r}; {FIX}")
    return month_first


def _read(text: str, original: str, dayfirst: bool, yearfirst: bool) -> dt.date:
    """The date dateutil reads, in the text's own time zone; refused if any part came from the defaults."""
    days = set()
    for default in _DEFAULTS:
        try:
            with warnings.catch_warnings():  # "EDT identified but not understood": the day is still right
                warnings.simplefilter("ignore")
                days.add(_PARSER.parse(text, default=default, dayfirst=dayfirst, yearfirst=yearfirst).date())
        except _parser.ParserError as e:
            if "out of range" in str(e) or "must be in" in str(e):
                raise ValueError(f"no such date {original!r} ({e}); {FIX}") from None
            raise ValueError(f"unreadable date {original!r}; {FIX} (or e.g. 'June 1, 2023')") from None
        except (OverflowError, ValueError) as e:
            raise ValueError(f"no such date {original!r} ({e}); {FIX}") from None
    if len(days) > 1:
        raise ValueError(f"incomplete date {original!r} (no day, month or year); {FIX}")
    return days.pop()


def _from_number(value: int | float) -> dt.date:
    """A JSON number read as a string of its digits would be: 8 digits are YYYYMMDD, 9-11 Unix seconds.

    A year alone (2023) or anything else is refused, never read as seconds since 1970."""
    digits = len(str(int(value))) if math.isfinite(value) and value >= 0 else 0
    if digits == 8 and value == int(value):
        return _check_year(_parse_text(str(int(value)), value), value)
    if 9 <= digits <= 11:
        return _from_timestamp(value, value)
    hint = " (milliseconds? give seconds)" if 12 <= digits <= 14 else ""
    raise ValueError(f"not a date: {value!r}{hint}; a number is read only as YYYYMMDD or as Unix seconds "
                     f"(9-11 digits); {FIX}")


def _from_timestamp(seconds: float, original) -> dt.date:
    """Unix seconds, read in UTC (a timestamp has no local calendar of its own)."""
    try:
        date = dt.datetime.fromtimestamp(seconds, tz=dt.timezone.utc).date()
    except (OverflowError, OSError, ValueError):
        raise ValueError(f"timestamp out of range {original!r} (seconds, not milliseconds?); {FIX}") from None
    return _check_year(date, original)


def today() -> dt.date:
    """The day files are read on, in one place so tests can pin it (monkeypatch ``corpus.dates.today``)."""
    return dt.date.today()


def latest_date() -> dt.date:
    """The latest publication date trusted today: ``today() + FUTURE_DAYS``."""
    return today() + dt.timedelta(days=FUTURE_DAYS)


def too_late(date: dt.date | None) -> str | None:
    """Why ``date`` is not trusted as a publication date (it is in the future), else None.

    A date two years ahead would become the newest article and lead every recency-ranked answer.

    >>> too_late(today()), too_late(None), too_late(latest_date())
    (None, None, None)
    >>> too_late(dt.date(2999, 1, 1)) == (f"date 2999-01-01 is more than {FUTURE_DAYS} days after today "
    ...     f"({today()}), not trusted; the article is kept undated (correct the date field)")
    True
    """
    if date is None or date <= latest_date():
        return None
    return (f"date {date} is more than {FUTURE_DAYS} days after today ({today()}), not trusted; "
            "the article is kept undated (correct the date field)")


# too_late's words, by which a build finds a refused date in a file's stored problems (index/plan.py).
FUTURE_REFUSED = "days after today ("
_REFUSED = re.compile(r"date (\d{4}-\d\d-\d\d) is more than \d+ days after today \(")


def refused_date(reason: str) -> dt.date | None:
    """The date a too_late() message refused, read back from it (None for any other problem).

    >>> refused_date(too_late(dt.date(2999, 1, 1))), refused_date("empty file")
    (datetime.date(2999, 1, 1), None)
    """
    m = _REFUSED.search(reason) if FUTURE_REFUSED in reason else None
    return dt.date.fromisoformat(m[1]) if m else None


def _check_year(date: dt.date, original) -> dt.date:
    # Years outside this span in news metadata are typos or wrong units.
    if not MIN_YEAR <= date.year <= MAX_YEAR:
        raise ValueError(f"year {date.year} out of range {MIN_YEAR}-{MAX_YEAR} in {original!r}; {FIX}")
    return date
