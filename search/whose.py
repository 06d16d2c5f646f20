"""Whose count a figure is: "27 Americans", "16 UNRWA workers", "1,500 people in Gaza", "the Palestinian
death toll". search/tallies.py keys each count by its group, so that counts of two groups (or of a group
and of everyone) are two tallies: in a war's coverage the Israeli, the Palestinian and the American
tolls, and the UN's staff, run side by side and never revise each other.
"""
from __future__ import annotations

import re

from search.changes import _DAYS, _NOT_NAMES
from search.figures import MONTH

_GROUP_WORDS = ("children|journalists|reporters|workers|staff|colleagues|employees|soldiers|troops|civilians|"
                "militants|fighters|officers|police|firefighters|students|women|patients|doctors|nurses|"
                "migrants|refugees|tourists|foreigners|citizens|nationals|hostages")
_GROUP_AFTER = re.compile(r"\s+(?:(?:of|more|other|additional|its|their|our)\s+)*(?:(?P<name>(?:[A-Z][\w.’'-]*\s+)*?"
                          r"[A-Z][\w.’'-]*)(?:\s+(?P<also>children|women)\b)?|(?P<noun>" + _GROUP_WORDS + r")\b"
                          r"|(?:people\s+|persons\s+)?(?:in|on)\s+(?:the\s+)?(?P<place>both sides|[A-Z][\w.’'-]*))")
_GROUP_BEFORE = re.compile(r"(?P<name>[A-Z][\w.’'-]*)\s+(?:death toll|toll|fatalities|deaths|casualties|dead)\b")
_WHEN = re.compile(r"(?:(?:" + "|".join(_DAYS) + r")\.?|" + MONTH + ")$")
# A group named by its people ("Americans", "Israelis", "Texans") is one with its adjective; other names keep
# their s ("Hamas", "Paris", "Jones"). Opening a sentence only such a word is a group ("Official death toll").
_DEMONYM = re.compile(r"[a-z](?:an|ese|ish|eli|ani|qi|ali|eni|udi)s?$")


def group(clause: str, end: int, kind_at: int) -> str:
    """Whose count the figure ending at `end` is: a name, group noun or place right after it ("27 Americans",
    "16 UNRWA workers", "1,500 people in Gaza"), else a name just before its kind word ("Israeli
    fatalities"); "" for a count of people at large.

    >>> [group(c, c.index(n) + len(n), 0) for c, n in [("27 Americans died", "27"), ("1,500 Hamas fighters", "1,500"),
    ...  ("96 on Oct. 7", "96"), ("22 U.S. citizens", "22"), ("the 5 US citizens", "5")]]
    ['American', 'Hamas', '', 'US', 'US']
    >>> group("Official death toll rises to 96", 31, 9), group("Palestinian death toll tops 9,000", 33, 12)
    ('', 'Palestinian')
    """
    m = _GROUP_AFTER.match(clause, end)
    found = m.groupdict() if m else {}
    if _WHEN.match(_bare((found.get("name") or found.get("place") or "x").split()[0])):
        m = found = None   # "rose to 96 Sunday", "killed on Oct. 7": when, not whose
    if m is None:
        m = next((g for g in _GROUP_BEFORE.finditer(clause) if g.end() >= kind_at and g.start() <= kind_at + 1), None)
        if m is not None and m.start() == 0 and not _DEMONYM.search(m.group("name")):
            m = None   # a sentence's capitalised first word: "Official", "Confirmed"
        found = m.groupdict() if m else {}
    if not found:
        return ""
    if found.get("noun") or found.get("place"):
        return _bare(found.get("noun") or found["place"])
    word = _bare(found["name"].split()[0])
    if word in _NOT_NAMES or _WHEN.match(word):
        return ""
    word = word.replace(".", "") if word.replace(".", "").isupper() else word   # "U.S." and "US"
    word = word[:-1] if _DEMONYM.search(word) and word.endswith("s") else word   # "Americans": "American"
    return f"{word} {found['also']}" if found.get("also") else word   # "Palestinian children": a part apart


def _bare(word: str) -> str:
    """A word without the full stop ending its sentence ("in Gaza."); an abbreviation keeps its own ("U.S.")."""
    return word[:-1] if word.endswith(".") and "." not in word[:-1] else word
