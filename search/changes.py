"""What a later sentence changes in an earlier one it restates: its numbers, names or dates.

"Death toll rises to 1,400" after "700 people were killed" restates the figure with another
value. Two sentences that say the same thing (close vectors) but carry different figures are an
update; the figures are read from the words, nothing is embedded.

>>> changed("At least 700 people were killed in May.", "The death toll rose to 1,400 in June.")
('700 → 1,400', 'May → June')
>>> changed("About 2,000 residents were moved.", "Claims could exceed 40 million euros.")
()
>>> changed("Smith won the vote 216-210.", "Speaker Jane Smith won the vote 216-210, officials said.")
()

Restatements in other words: search/tallies.py.
"""
from __future__ import annotations

import re

# Clock times ("9 p.m.", "10.30 p.m.", "10:30") are no figures either. The digits are one atomic group,
# so a number that fails a test is skipped whole, never matched again from its first digits.
_NUMBER = re.compile(r"(?<![\w.])(?<!\d:)(?>\d+(?:[.,]\d+)*)(?!\w|:\d)(?!\s*[ap]\.?m\b)"
                     r"(?:\s*(?:%|percent|million|billion))?")
# Not figures: years, and days of a month ("Aug. 10", "October 3"): those are dates, compared as months.
_YEARS = re.compile(r"\b(?:1[89]|20)\d\d\b")
_GROUPS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_NAME = re.compile(r"(?<=[\w,;:)] )[A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*)*")
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")
# A month as news writes it: "October", "Oct.", "Sept." (not "Maynard"; search/tallies.py and whose.py read it too).
MONTH = r"(?:" + "|".join(_MONTHS) + r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\b\.?"
_MONTH_DAY = re.compile(r"\b" + MONTH + r"\s+(\d{1,2})\b")
_UNITS = ("", "%", "percent", "million", "billion")
# "95 to 97 million", "10-12%": a range. Not a dash between clauses ("killed 12 — 1.5 million homeless").
_SPAN_UNIT = re.compile(r"(?:\s+(?:to|or)\s+|[-–])[$£€]?(\d[\d.,]*)\s*(%|(?:percent|million|billion)\b)")
# Capitalised words that are no name (mid-sentence capitals after a colon, titles, pronouns).
_NOT_NAMES = frozenset("I The A An And But Or It He She They We This That These Those Mr Mrs Ms Dr".split())


def numbers(sentence: str) -> list[str]:
    """Numbers as written ("1,400", "4.5 percent"), in order, without repeats. The first figure of a
    range takes the unit written after the second: "$95 to $97 million" is 95 million, not 95.

    >>> numbers("Up from 36 to 1,400 (4.5 percent) and 1,400 again")
    ['36', '1,400', '4.5 percent']
    >>> numbers("On Aug. 10, 2023, a town of the 1700s lost 911 service")   # dates and years are no figures
    ['911']
    >>> numbers("At 9 p.m. (10:30 in Maui, 10.30 p.m. here) the toll was 67: 1,400 in all")
    ['67', '1,400']
    >>> numbers("It made $95 to $97 million, or 10-12%, from 3 to 4 shows.")
    ['95 million', '97 million', '10%', '12%', '3', '4']
    """
    return list(dict.fromkeys(range_end(sentence, start, text)[0] for start, text in figures(sentence)))


def figures(sentence: str) -> list[tuple[int, str]]:
    """(offset, number as written) of each figure of the sentence, repeats included: `offset + len(number)`
    is where the words after it begin (search/tallies.py reads them)."""
    days = {m.start(1) for m in _MONTH_DAY.finditer(sentence)}
    return [(m.start(), m.group().strip()) for m in _NUMBER.finditer(sentence)
            if m.start() not in days and not _YEARS.fullmatch(m.group().strip())]


def range_end(sentence: str, start: int, number: str) -> tuple[str, int]:
    """(the number with its range's unit, where the words after the range begin); for a number that opens
    no range, (number, start + len(number)).

    >>> range_end("40 to 50 million Ardanese", 0, "40"), range_end("40 Ardanese", 0, "40")
    (('40 million', 16), ('40', 2))
    >>> range_end("900 to 1.2 million", 0, "900")[0], range_end("12 — 2%", 0, "12")[0]   # a range goes up
    ('900', '12')
    """
    span = _SPAN_UNIT.match(sentence, start + len(number)) if _unit(number) == "" else None
    try:
        ranged = span is not None and float(same_figure(number)) <= float(same_figure(span[1]).rstrip("."))
    except ValueError:
        ranged = False
    if not ranged:
        return number, start + len(number)
    return f"{number}{'' if span[2] == '%' else ' '}{span[2]}", span.end()


def names(sentence: str) -> list[str]:
    """Capitalised word runs after the first word (people, places, days, months), in order.

    >>> names("Officials said Kevin McCarthy met Jim Jordan on Monday.")
    ['Kevin McCarthy', 'Jim Jordan', 'Monday']
    """
    out = []
    for m in _NAME.finditer(sentence):
        words = [w for w in m.group().rstrip(".").split() if w not in _NOT_NAMES]
        if words:
            out.append(" ".join(words))
    return list(dict.fromkeys(out))


def changed(earlier: str, later: str, with_names: bool = True) -> tuple[str, ...]:
    """"old → new" for each kind of fact (numbers, months, other names) the later sentence gives
    another value of; () when nothing of the earlier sentence is contradicted. Weekdays are left out:
    "on Monday" and "on Tuesday" in reports a day apart are the same news told from another day.
    Two sentences naming years, none the same, tell of two times, not one fact revised ("in July 1982" /
    "in August 1995": two photographs; "1998 — the Yankees won 9-5" / "1976 — the Reds won 7-2").

    >>> changed("The trial is set for March.", "The trial is now set for May 2024.")
    ('March → May',)
    >>> changed("1998 — The Yankees won 9-5.", "1976 — The Reds won 7-2."), changed("In 2023 sales rose 5%.",
    ...     "Sales rose 7% in 2023 and 2024.")
    ((), ('5% → 7%',))

    >>> changed("72.4% voted yes, 27.6% no.", "More than 72% voted yes."), changed("72.4% yes", "64% yes")
    ((), ('72.4% → 64%',))
    >>> changed("The quake killed 1,200.", "The quake killed 1200 people."), changed("Kate met Ann Lee-Ross.",
    ...     "Kate met Ann Lee Ross."), changed("Then Musk polled his followers.", "Musk polled Twitter users.")
    ((), (), ())
    """
    if _years(earlier) and _years(later) and not _years(earlier) & _years(later):
        return ()
    out = []
    counted = [_counted(unit) for unit in _UNITS]
    kinds = counted + [_when] + ([_who] if with_names else [])
    for kind in kinds:
        old, new = kind(earlier), kind(later)
        gone, came = _missing(old, new, later), _missing(new, old, earlier)
        if kind in counted:   # "72.4%" then "more than 72%": one figure, told less precisely
            gone, came = [g for g in gone if not _rounds(g, new)], [c for c in came if not _rounds(c, old)]
        if gone and came:
            out.append(f"{', '.join(gone)} → {', '.join(came)}")
    return tuple(out)


def _rounds(figure: str, others: list) -> bool:
    """Whether `figure` and one of `others` (same unit) are one value to different precision: 72.4 / 72."""
    try:
        return any(_one_value(_precise(figure), _precise(other)) for other in others)
    except ValueError:
        return False


def _precise(number: str) -> tuple[float, int]:
    digits = same_figure(number).split()[0].rstrip("%")
    return float(digits), len(digits.partition(".")[2])


def _one_value(a: tuple, b: tuple) -> bool:
    (fine, places), coarse = (a, b) if a[1] > b[1] else (b, a)
    return places != coarse[1] and round(fine, coarse[1]) == coarse[0]


def same_figure(number: str) -> str:
    """A figure as compared: "1,200" and "1200" are one figure. (Decimal commas are not news English.)"""
    return _GROUPS.sub("", number)


def _years(sentence: str) -> set:
    return set(_YEARS.findall(sentence))


def _counted(unit: str):
    """Numbers in one unit: "2,000" residents and "40 million" euros are not one figure changing."""
    return lambda sentence: [n for n in numbers(sentence) if _unit(n) == unit]


def _unit(number: str) -> str:
    return number.split()[-1] if " " in number else ("%" if number.endswith("%") else "")


def _missing(these: list, there: list, text: str = "") -> list:
    """Items of `these` not in `there` nor written in `text` (the other sentence: a name opening it is
    not read as one); a name counts as there when its words are in a name there or the other way round
    ("McCarthy" and "Kevin McCarthy"). Figures compare by same_figure, hyphens as spaces ("Parker-Bowles")."""
    words = [set(_words(x)) for x in there]
    written = f" {' '.join(_words(text))} "
    return [x for x in these if not any(set(_words(x)) <= w or w <= set(_words(x)) for w in words)
            and f" {' '.join(_words(x))} " not in written]


def _words(text: str) -> list:
    return same_figure(text).replace("-", " ").replace(",", " ").replace(".", " ").split()


def _when(sentence: str) -> list[str]:
    return [n for n in names(sentence) if n.split()[0] in _MONTHS]


def _who(sentence: str) -> list[str]:
    return [n for n in names(sentence) if n.split()[0] not in _DAYS + _MONTHS]

