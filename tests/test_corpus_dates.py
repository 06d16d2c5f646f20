import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from corpus import parse_date

D = dt.date(2023, 6, 1)

GOOD = [
    (D, D),
    (dt.datetime(2023, 6, 1, 23, 59), D),
    (dt.datetime(2023, 6, 1, 23, 0, tzinfo=dt.timezone(dt.timedelta(hours=-5))), D),
    ("2023-06-01", D),
    ("2023/06/01", D),
    ("2023-6-1", D),
    ("  2023-06-01 ", D),
    ("2023-06-01T10:00:00Z", D),
    ("2023-06-01T10:00:00+02:00", D),
    ("2023-06-01T23:30:00-05:00", D),  # as written, not converted to UTC (would be June 2)
    ("2023-06-02T00:30:00+09:00", dt.date(2023, 6, 2)),  # as written (June 1 in UTC)
    ("June 1, 2023 at 10:00 EDT", D),
    ("2023-06-01T10:00:00.123456+02:00", D),
    ("2023-06-01 10:00", D),
    ("Thu, 01 Jun 2023 10:00:00 GMT", D),
    ("Thu, 1 Jun 2023 10:00:00 +0000", D),
    ("June 1, 2023", D),
    ("Jun 1, 2023", D),
    ("june 1 2023", D),
    ("1 June 2023", D),
    ("1st June 2023", D),
    ("Sept. 5, 2023", dt.date(2023, 9, 5)),
    ("01.06.2023", D),
    ("20230601", D),
    (1685613600, D),
    (1685613600.5, D),
    ("1685613600", D),
    ("13/06/2023", dt.date(2023, 6, 13)),
    ("06/13/2023", dt.date(2023, 6, 13)),
    ("06/06/2023", dt.date(2023, 6, 6)),  # same either way: not ambiguous
    ("2024-02-29", dt.date(2024, 2, 29)),
    ("1800-01-01", dt.date(1800, 1, 1)),
]

BAD = [
    ("2023-13-45", "no such date"),
    ("2023-02-30", "no such date"),
    ("yesterday", "unreadable"),
    ("06/01/2023", "ambiguous day/month"),
    ("01-06-2023", "ambiguous day/month"),
    ("13/13/2023", "no such date"),
    ("1799-12-31", "out of range"),
    ("2201-01-01", "out of range"),
    ("Foo 1, 2023", "unreadable"),
    ("2023-06-01Tnoon", "unreadable"),
    ("June 2023", "incomplete date"),  # dateutil alone would fill in today's day
    ("5 PM", "incomplete date"),
    ("2023", "incomplete date"),
    (1685613600000, "milliseconds"),
    (True, "not a date"),
    ([2023, 6, 1], "not a date"),
]


@pytest.mark.parametrize("value,expected", GOOD)
def test_parse_date_reads(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize("value,message", BAD)
def test_parse_date_refuses_with_help(value, message):
    with pytest.raises(ValueError) as info:
        parse_date(value)
    assert message in str(info.value)
    assert "YYYY-MM-DD" in str(info.value)


@pytest.mark.parametrize("value", [None, "", "   "])
def test_parse_date_empty_is_none(value):
    assert parse_date(value) is None


@given(st.dates(min_value=dt.date(1800, 1, 1), max_value=dt.date(2200, 12, 31)))
def test_parse_date_round_trips_written_forms(day):
    forms = [day.isoformat(), day.strftime("%Y/%m/%d"), day.strftime("%Y%m%d"), day.strftime("%d.%m.%Y"),
             f"{day:%B} {day.day}, {day.year}", f"{day.day} {day:%b} {day.year}",
             f"{day.isoformat()}T12:34:56.789+05:30"]
    assert {parse_date(f) for f in forms} == {day}
