"""Figures as news writes them: "1,400", "4.5 percent", "$95 to $97 million"; not years, days of a month,
clock times, scores or phone numbers. search/changes.py compares them; search/tallies.py reads what they count.

>>> numbers("On Aug. 10, 2023, the toll rose from 36 to 1,400 (4.5 percent); the Comets won 4-3.")
['36', '1,400', '4.5 percent']
"""
from __future__ import annotations

import re

# Clock times ("9 p.m.", "10.30 p.m.", "10:30") are no figures either. The digits are one atomic group,
# so a number that fails a test is skipped whole, never matched again from its first digits.
_NUMBER = re.compile(r"(?<![\w.])(?<!\d:)(?>\d+(?:[.,]\d+)*)(?!\w|:\d)(?!\s*[ap]\.?m\b)"
                     r"(?:\s*(?:%|(?:percent|million|billion)\b))?")
# Not figures: years, and days of a month ("Aug. 10", "October 3"): those are dates, compared as months.
_YEARS = re.compile(r"\b(?:1[89]|20)\d\d\b")
_GROUPS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
# A month as news writes it: "October", "Oct.", "Sept." (not "Maynard"; search/tallies.py and whose.py read it too).
MONTH = r"(?:" + "|".join(MONTHS) + r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\b\.?"
_MONTH_DAY = re.compile(r"\b" + MONTH + r"\s+(\d{1,2})\b")
# "95 to 97 million", "10-12%": a range. Not a dash between clauses ("killed 12 — 1.5 million homeless").
_SPAN_UNIT = re.compile(r"(?:\s+(?:to|or)\s+|[-–])[$£€]?(\d[\d.,]*)\s*(%|(?:percent|million|billion)\b)")
# "rose to $4.75 from $4.25", "up from the earlier count of 58": where a change started, not what is now.
FROM = re.compile(r"\bfrom(?:\s+(?:the|its|their|an?))?(?:\s+(?:previous|earlier|prior|initial|original))?"
                  r"(?:\s+(?:figure|count|total|toll|tally|estimate|number))?(?:\s+of)?\s*[$£€]?$", re.I)
# Words of a change before its "from": "rose to $4.75 from $4.25", "up from 36", "revised from 1,400".
_CHANGE = re.compile(r"\b(?:r[io]s(?:e[ns]?|ing)|fell|fall(?:en|s|ing)?|up|down|increas\w*|decreas\w*|cut|rais\w*|"
                     r"lower\w*|jump\w*|climb\w*|drop\w*|grew|grow\w*|revis\w*|surg\w*|soar\w*|slid\w*|"
                     r"plung\w*|doubl\w*|tripl\w*|went|go(?:es|ne)?|moved?)\b", re.I)
# A score or vote ("won 4-3", "a 2–1 lead", "216-210": the first side at least the second) and a phone or
# code number ("1-800-273-8255") are pairs and labels, not figures; "10-12%" goes up: a range, kept.
_PAIRED = re.compile(r"(?<![\w.,-])(\d+)[-–](\d+)((?:[-–]\d+)*)(?![\w-])")


def numbers(sentence: str) -> list[str]:
    """Numbers as written ("1,400", "4.5 percent"), in order, without repeats. The first figure of a
    range takes the unit written after the second: "$95 to $97 million" is 95 million, not 95.

    >>> numbers("Up from 36 to 1,400 (4.5 percent) and 1,400 again")
    ['36', '1,400', '4.5 percent']
    >>> numbers("On Aug. 10, 2023, a town of the 1700s lost 911 service")   # dates and years are no figures
    ['911']
    >>> numbers("At 9 p.m. (10:30 in Maui, 10.30 p.m. here) the toll was 67: 1,400 in all")
    ['67', '1,400']
    >>> numbers("It fell 20 percentage points, 4 percent a year, to 1 billionth of the peak.")   # units whole
    ['20', '4 percent', '1']
    >>> numbers("It made $95 to $97 million, or 10-12%, from 3 to 4 shows.")
    ['95 million', '97 million', '10%', '12%', '3', '4']
    """
    return list(dict.fromkeys(range_end(sentence, start, text)[0] for start, text in figures(sentence)))


def now(sentence: str) -> list[str]:
    """numbers() less those a change started from: what the sentence says is so now. Only after a word of
    change: "tourists from 12 countries" and "gusts ranging from 60 to 80" keep their figures.

    >>> now("The fare will rise to $4.75 a ride from $4.25, up from 12 routes to 14.")
    ['4.75', '14']
    >>> now("Tourists from 12 countries saw gusts ranging from 60 to 80 mph."), now("Set up in 2019, it drew "
    ...     "tourists from 12 countries.")
    (['12', '60', '80'], ['12'])
    """
    return list(dict.fromkeys(range_end(sentence, start, text)[0] for start, text in figures(sentence)
                              if not (FROM.search(sentence[:start]) and _CHANGE.search(_clause(sentence[:start])))))


def _clause(before: str) -> str:
    """The words before a figure back to the clause's start, at most 60 characters ("Set up in 2019, the
    fund helped tourists from 12 countries": the "up" is another clause's)."""
    return re.split(r",\s|[;:—–()]", before)[-1][-60:]   # "1,200" is no clause break


def figures(sentence: str) -> list[tuple[int, str]]:
    """(offset, number as written) of each figure of the sentence, repeats included: `offset + len(number)`
    is where the words after it begin (search/tallies.py reads them)."""
    skip = {m.start(1) for m in _MONTH_DAY.finditer(sentence)}
    for m in _PAIRED.finditer(sentence):
        if m[3] or int(m[1]) >= int(m[2]):
            skip.update(m.start() + n.start() for n in re.finditer(r"\d+", m.group()))
    return [(m.start(), m.group().strip()) for m in _NUMBER.finditer(sentence)
            if m.start() not in skip and not _YEARS.fullmatch(m.group().strip())]


def range_end(sentence: str, start: int, number: str) -> tuple[str, int]:
    """(the number with its range's unit, where the words after the range begin); for a number that opens
    no range, (number, start + len(number)).

    >>> range_end("40 to 50 million Ardanese", 0, "40"), range_end("40 Ardanese", 0, "40")
    (('40 million', 16), ('40', 2))
    >>> range_end("900 to 1.2 million", 0, "900")[0], range_end("12 — 2%", 0, "12")[0]   # a range goes up
    ('900', '12')
    """
    span = _SPAN_UNIT.match(sentence, start + len(number)) if unit(number) == "" else None
    try:
        ranged = span is not None and float(same_figure(number)) <= float(same_figure(span[1]).rstrip("."))
    except ValueError:
        ranged = False
    if not ranged:
        return number, start + len(number)
    return f"{number}{'' if span[2] == '%' else ' '}{span[2]}", span.end()


def same_figure(number: str) -> str:
    """A figure as compared: "1,200" and "1200" are one figure. (Decimal commas are not news English.)"""
    return _GROUPS.sub("", number)


def rounds(figure: str, others: list) -> bool:
    """Whether `figure` and one of `others` (same unit) are one value to different precision: 72.4 / 72."""
    try:
        return any(_one_value(_precise(figure), _precise(other)) for other in others)
    except ValueError:
        return False


def _precise(number: str) -> tuple[float, int]:
    """(value, decimal places told); a whole number of three significant digits or more that ends in three
    zeros or more is rounded, to minus as many places: "around 2,316,000" is 2,315,742 told to thousands.
    Not "1,400" or "100" (a running toll is told so: "almost 100" after 90 killed is news), nor "1,250"
    (a toll of 1,246 revised to 1,250 is a revision).

    >>> _precise("72.4%"), _precise("2,316,000"), _precise("1,400"), _precise("1,250")
    ((72.4, 1), (2316000.0, -3), (1400.0, 0), (1250.0, 0))
    """
    digits = same_figure(number).split()[0].rstrip("%")
    whole, _, places = digits.partition(".")
    zeros = len(whole) - len(whole.rstrip("0"))
    rounded = not places and len(whole) - zeros >= 3 and zeros >= 3
    return float(digits), -zeros if rounded else len(places)


def _one_value(a: tuple, b: tuple) -> bool:
    (fine, places), coarse = (a, b) if a[1] > b[1] else (b, a)
    return places != coarse[1] and round(fine, coarse[1]) == coarse[0]


def years(sentence: str) -> set:
    return set(_YEARS.findall(sentence))


def unit(number: str) -> str:
    return number.split()[-1] if " " in number else ("%" if number.endswith("%") else "")
