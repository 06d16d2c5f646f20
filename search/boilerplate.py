"""Sentences that are the page around the news, not news: left out of what a timeline entry added.

Saved pages and feeds bring their outlet's furniture along with the article: editor's notes and
corrections, copyright lines, newsletter and follow prompts, "More: <another headline>" links,
photo credits and datelines standing alone ("New York CNN Business —"). In a timeline each would be
listed as what that article "added". The passages keep them (a reader may search for a correction);
only the timeline's sentences skip them.

>>> boilerplate("Sign up for The Week's free newsletters."), boilerplate("Editor's note: This story was updated.")
(True, True)
>>> boilerplate("New York CNN Business —"), boilerplate("More:How many people died in Maui fires?")
(True, True)
>>> boilerplate("The death toll rose to 96 on Sunday, officials said."), boilerplate("Corrections officers said no.")
(False, False)
"""
from __future__ import annotations

import re

_STARTS = (
    r"editor[’']?s note", r"(?:corrections?|clarifications?)(?:\s*(?:&|and)\s*clarifications?)?\s*:", r"©", r"\(c\)\s", r"copyright\b",
    r"sign up\b", r"subscribe\b", r"follow (?:him|her|them|us|me|@)", r"bookmark\b", r"download the\b",
    r"(?:read|see|watch|listen|more|related|also read|what[’']?s next)\s*:", r"read more\b",
    r"a version of this (?:story|article)", r"this (?:story|article) (?:has been|was|is being) (?:updated|corrected)",
    r"from .{0,40}wire reports", r"(?:photo|image)s? (?:by|credit|courtesy)\b", r"advertisement\b",
)
_START = re.compile(r"[\s∎•*\"“(\[]*(?:" + "|".join(_STARTS) + ")", re.I)
_ANYWHERE = re.compile(r"contributed (?:to )?(?:this|the) report|\bgetty images\b|\bap photo\b"
                       r"|\ball rights reserved\b", re.I)
# A dateline alone: a few capitalised words, maybe an outlet in brackets, then a dash and nothing more.
_DATELINE = re.compile(r"[A-Z][\w.,' ]{0,40}(?:\((?:CNN|AP|Reuters|AFP)\)|CNN(?: Business)?)?\s*[—–-]+\s*")


def boilerplate(sentence: str) -> bool:
    """Whether the sentence is page furniture (see above), by its opening words or a credit line in it."""
    return bool(_START.match(sentence) or _ANYWHERE.search(sentence) or _DATELINE.fullmatch(sentence))
