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

from search.figures import MONTHS, now, rounds, same_figure, unit, years

# A capitalised run after a word, a comma or the like, or after an initial ("L.J. Owens" opening a sentence).
_NAME = re.compile(r"(?:(?<=[\w,;:)] )|(?<=\b[A-Z]\. ))[A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*)*")
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_UNITS = ("", "%", "percent", "million", "billion")
# A poll's sides: (negation, stem) of "unfavorable", "favourably", "disapprove", "approval", "disagree" ...
_POLL_SIDE = re.compile(r"\b(un|dis|)(favou?rab|approv|agree|satisf|popular)\w*")
# Capitalised words that are no name (mid-sentence capitals after a colon, titles, pronouns).
_NOT_NAMES = frozenset("I The A An And But Or It He She They We This That These Those Mr Mrs Ms Dr".split())


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


def changed(earlier: str, later: str, with_names: bool = True, ignore=frozenset()) -> tuple[str, ...]:
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
    >>> changed("7% view him unfavorably.", "80% view him favorably.")    # two measures, not one revised
    ()
    """
    if years(earlier) and years(later) and not years(earlier) & years(later) or _opposite(earlier, later):
        return ()
    out = []
    current = {earlier: now(earlier), later: now(later)}   # read once, not once a unit
    counted = [_counted(u, ignore, current) for u in _UNITS]
    kinds = counted + [_when] + ([_who] if with_names else [])
    for kind in kinds:
        old, new = kind(earlier), kind(later)
        gone, came = _missing(old, new, later), _missing(new, old, earlier)
        if kind in counted:   # "72.4%" then "more than 72%": one figure, told less precisely
            gone, came = [g for g in gone if not rounds(g, new)], [c for c in came if not rounds(c, old)]
        if gone and came and not (kind is _when and set(old) & set(new)):   # months of a schedule
            out.append(f"{', '.join(gone)} → {', '.join(came)}")
    return tuple(out)


def _opposite(earlier: str, later: str) -> bool:
    """Whether one sentence gives a poll's other side: "unfavorably" / "favorably", "disapprove" / "approve"
    (two figures, not one revised). Poll words only: "unchanged" / "change", "unemployment" / "employers"
    are no sides of one measure.

    >>> _opposite("7% view him unfavorably.", "80% view him favorably."), _opposite("Rates unchanged.", "A change.")
    (True, False)
    """
    a, b = (set(_POLL_SIDE.findall(s.lower())) for s in (earlier, later))
    return any((neg, stem) in a and (neg, stem) not in b and ("", stem) in b and ("", stem) not in a or
               (neg, stem) in b and (neg, stem) not in a and ("", stem) in a and ("", stem) not in b
               for neg, stem in a | b if neg)


def _counted(wanted: str, ignore, current: dict):
    """Numbers in one unit: "2,000" residents and "40 million" euros are not one figure changing; not those
    of `ignore`, which the caller compares otherwise (search/said.py: by what each counts). current:
    sentence -> its now() figures."""
    return lambda sentence: [n for n in current[sentence] if unit(n) == wanted and same_figure(n) not in ignore]


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
    return [n for n in names(sentence) if n.split()[0] in MONTHS]


def _who(sentence: str) -> list[str]:
    return [n for n in names(sentence) if n.split()[0] not in _DAYS + MONTHS]

