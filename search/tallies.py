"""What a sentence's figures count, so that a restatement in other words is still seen as an update.

"At least 700 people were killed" and "the death toll has risen to 1,400" share no content word a
restatement test could see (search/changes.py), but both count the dead. A figure's kind is read
from the words of its own clause, the nearest kind word winning; a figure next to none counts
nothing. The kinds are the running tallies of a disaster or an attack, which later reports revise.

>>> tallies("At least 700 people were killed and 2,000 injured, officials said.", 2024)
{'dead': ('700',), 'injured': ('2,000',)}
>>> recount(tallies("At least 700 people were killed.", 2024), tallies("The death toll rose to 1,400.", 2024))
('dead: 700 → 1,400',)
"""
from __future__ import annotations

import re
from types import MappingProxyType

from search.changes import _missing, _who
from search.figures import FROM, MONTH, figures, range_end, same_figure, unit, years
from search.whose import group

# Not hostages, arrests or cases: their figures in one story count different things (taken, freed,
# still held) and read as false updates. Not "bodies" (so many recovered today, not the toll) or "hurt".
_BATCH = re.compile(r"\b(?:hostages?|prisoners?|prisons?|detainees|captives|arrests?|arrested)\b", re.I)


def batches(earlier: str, later: str) -> bool:
    """Whether both sentences count hostages, prisoners or arrests: in one story each day's figure is its
    own batch (14 freed on Saturday, 11 on Monday), so another figure is no revision of the earlier.

    >>> batches("Hamas freed 14 hostages for 42 prisoners.", "11 hostages were released on Monday.")
    True
    >>> batches("The toll rose to 31.", "11 hostages were released.")
    False
    """
    return bool(_BATCH.search(earlier) and _BATCH.search(later))


KINDS = MappingProxyType({
    "dead": r"kill(?:ed|ing)|dead|deaths?|died|fatalities|lives",
    "injured": r"injur(?:ed|ies|ing)|wounded",
    "missing": r"missing|unaccounted",
    "displaced": r"evacuat(?:ed|ions?)|evacuees|displaced|homeless|fled|fleeing",
    "buildings": r"homes|houses|buildings|structures",
    "area": r"acres|hectares|square (?:miles|kilometers|kilometres)",
})
_KIND = re.compile(r"\b(?:" + "|".join(f"(?P<{k}>{v})" for k, v in KINDS.items()) + r")\b", re.I)
# "210 villagers − 40 of them children": a part of the count before it, no count of its own.
_PART = re.compile(r"\s+of\s+(?:them|whom|those|which)\b", re.I)
# A figure of time is no count ("displaced ... over the past 24 hours", "killed since 7 October").
_DURATION = re.compile(r"\s*(?:-\s*)?(?:(?i:hours?|days?|weeks?|months?|years?|minutes?|decades?)\b|"
                       + MONTH + r"(?!\w))")   # months capitalised: "may have died" is no date
SMALLEST_REVISION = 0.75   # a toll revised down keeps at least this share (1,400 -> 1,200 is 0.86)
_FALLS = ("missing", "displaced")  # counts that fall as people are found or go home; the others only grow,
                                   # or are revised by a little (1,400 -> 1,200), never to a fraction
_CLAUSE = re.compile(r",\s|[;:()]|\s(?:and|but|while|as|after|before|including|with)\s")
# A negated clause counts nothing ("none of the 300 residents were injured", "homes without power").
_NEGATION = re.compile(r"\b(?:no|none|not|never|nobody|without)\b", re.I)
# "the deadliest quake since 1987 has killed 1,400": a year a superlative reaches back to is a
# comparison, not history; a plain "since 2015" often opens a cumulative total, so it still counts.
_SINCE = re.compile(r"\b(?:\w+iest|worst|largest|biggest|strongest|highest|greatest|most \w+|first)\b"
                    r"(?:\s+[\w-]+){0,6}?\s+since\s+(?:the\s+)?((?:1[89]|20)\d\d)\b", re.I)


def tallies(sentence: str, year: int | None) -> dict[str, tuple[str, ...]]:
    """The figures of each kind the sentence counts, clause by clause. A sentence naming a year
    before `year` (its article's; None: undated, any year) compares with the past: it counts nothing.
    Shares and sums of money count nothing either; millions count apart from plain figures.

    >>> tallies("The 1960 tsunami killed 61 people.", 2023), tallies("Fires killed 96 by Aug. 13, 2023.", 2023)
    ({}, {'dead': ('96',)})
    >>> tallies("$5 million to rebuild 300 homes; 70% of homes lost, 1.2 million displaced", 2024)
    {'buildings': ('300',), 'displaced (million)': ('1.2 million',)}
    >>> tallies("None of the 300 residents were injured.", 2024)
    {}
    >>> tallies("The deadliest quake since 1987 has killed 1,400.", 2024), tallies("Since 2015 fires killed 90.", 2024)
    ({'dead': ('1,400',)}, {})
    """
    if any(year is None or int(y) < year for y in years(_SINCE.sub("", sentence))):
        return {}
    out: dict[str, list] = {}
    for clause in _CLAUSE.split(sentence):
        kinds = [(m.start(), m.lastgroup) for m in _KIND.finditer(clause)]
        if not kinds or _NEGATION.search(clause):
            continue
        for start, written in figures(clause):
            # "40" of "40 to 50 million Ardanese" counts millions of Ardanese: read after the whole range.
            figure, after = range_end(clause, start, written)
            told_in = unit(figure)
            money = start > 0 and clause[start - 1] in "$£€"
            # "risen from 12 to 31": 12 is where the count started, not what it is now.
            if money or told_in in ("%", "percent") or FROM.search(clause[:start]):
                continue
            if _DURATION.match(clause, after) or _PART.match(clause, after):
                continue
            kind = min(kinds, key=lambda k: abs(k[0] - start))
            qualifiers = [q for q in (group(clause, after, kind[0]), told_in) if q]
            out.setdefault(f"{kind[1]} ({', '.join(qualifiers)})" if qualifiers else kind[1], []).append(figure)
    return {k: tuple(dict.fromkeys(v)) for k, v in out.items()}


def recount(earlier: dict, later: dict) -> tuple[str, ...]:
    """"kind: old → new" for each kind both count where the later sentence gives a figure the earlier did
    not and no longer gives one the earlier did: "killed 1200, more than the 900 of the 1953 flood" repeats
    the toll of "1,200 killed" (same_figure) beside another count, it does not revise it.

    >>> recount({"dead": ("1,200",)}, {"dead": ("1200", "900")}), recount({"dead": ("12",)}, {"dead": ("31",)})
    ((), ('dead: 12 → 31',))
    >>> recount(tallies("12 people were killed.", 2024), tallies("The death toll has risen from 12 to 31.", 2024))
    ('dead: 12 → 31',)
    >>> tallies("Recorded deaths went up from the earlier count of 58.", 2024)
    {}
    >>> tallies("Some 40 to 50 million Ardanese were displaced", 2024)   # one range, one key
    {'displaced (Ardanese, million)': ('40 million', '50 million')}
    """
    out = []
    for kind in earlier.keys() & later.keys():
        old, new = {same_figure(n) for n in earlier[kind]}, {same_figure(n) for n in later[kind]}
        came = [n for n in later[kind] if same_figure(n) not in old]
        gone = [n for n in earlier[kind] if same_figure(n) not in new]
        if came and gone and not _to_a_fraction(kind, gone, came):
            out.append(f"{kind}: {', '.join(gone)} → {', '.join(came)}")
    return tuple(sorted(out))


def _to_a_fraction(kind: str, gone: list, came: list) -> bool:
    """Whether a toll would fall by more than a quarter: "8,800 killed" then "a strike killed 15" is one
    attack's dead, and "the war has killed 4,000" then "airstrikes on Gaza have killed 2,800" one side's,
    not the toll revised (a revision moves it by a little: 1,400 -> 1,200).

    >>> _to_a_fraction("dead", ["2,800"], ["15"]), _to_a_fraction("dead", ["1,400"], ["1,200"])
    (True, False)
    >>> _to_a_fraction("dead", ["4,000"], ["2,800"]), _to_a_fraction("dead", ["2,800"], ["1,400"])
    (True, True)
    >>> _to_a_fraction("missing", ["1,000"], ["385"])   # the missing are found
    False
    """
    if kind.split(" (")[0] in _FALLS:
        return False
    try:
        value = [float(same_figure(n).split()[0]) for n in gone + came]
    except ValueError:
        return False
    return max(value[len(gone):]) < SMALLEST_REVISION * max(value[:len(gone)])


def same_subject(earlier_names: list, later_names: list) -> bool:
    """False when both sentences name someone or somewhere (changes._who) and share no name
    ("700 killed in Veldra" / "3 died in Kessin"); a sentence naming no one may be about anything.

    >>> same_subject(["Veldra"], ["Kessin"]), same_subject(["Veldra"], ["Veldra", "Ostrel"])
    (False, True)
    >>> same_subject([], ["Kessin"])
    True
    """
    a, b = earlier_names, later_names
    return not a or not b or _missing(a, b) != a or _missing(b, a) != b


# ", X officials said on Thursday." / ", according to the Health Ministry in Gaza": the source, not the subject.
_ATTRIBUTION = re.compile(r"(?:,|\s[—–-])\s+(?:according to\b[^,;]*|[^,;]{0,80}?\b(?:said|says|told|reported|confirmed|"
                          r"announced|wrote|added|stated)\b[^,;]*)|^according to\b[^,;]*,", re.I)


def two_subjects(earlier: str, later: str) -> bool:
    """Whether each sentence names someone or somewhere the other does not: two box scores ("Delaware State
    got 15 points from Khyrie Staten" / "... 11 points from Aaron Lemon-Warren"), two ministries' tolls. Their
    figures are not one fact told twice. A name written anywhere in the other sentence counts as there.

    >>> two_subjects("Ann Lee got 15 points.", "Bo Kim got 11 points."), two_subjects("Ann Lee got 15.", "Lee got 11.")
    (True, False)

    Who said it is no subject: "36 died, Dorran County officials said" / "55 died, Governor Alma Reyes said".

    >>> two_subjects("36 have died in the fire, Dorran County officials said.", "55 have died, Governor Ann Reyes said.")
    False
    """
    a, b = _who(_ATTRIBUTION.sub("", earlier)), _who(_ATTRIBUTION.sub("", later))
    return bool(_missing(a, b, later)) and bool(_missing(b, a, earlier))


def names_of(sentence: str) -> list[str]:
    """The names same_subject compares (people, places, outlets; not days or months)."""
    return _who(sentence)
