"""Sentences that are the page around the news, not news: left out of what a timeline entry added.

Saved pages and feeds bring their outlet's furniture along with the article: editor's notes and
corrections, copyright lines, newsletter and follow prompts, "More: <another headline>" links,
photo credits and datelines standing alone ("New York CNN Business —"). In a timeline each would be
listed as what that article "added". The passages keep them (a reader may search for a correction);
only the timeline's sentences skip them.

>>> boilerplate("Sign up for the Harbour Ledger's daily newsletters."), boilerplate("Editor's note: This story was updated.")
(True, True)
>>> boilerplate("New York CNN Business —"), boilerplate("More:Which roads did the Kessin flood close?")
(True, True)
>>> boilerplate("The death toll rose to 96 on Sunday, officials said."), boilerplate("Corrections officers said no.")
(False, False)
>>> [boilerplate(s) for s in ("Copyright lawsuits piled up.", "Read more than 200 pages of it.",
...  "Getty Images photographer Ann Lee was injured.", "Ann Lee and Bo Kim contributed to this report.")]
[False, False, False, True]
>>> boilerplate("The week's best reads, straight to you: Sign up for the Morning Ledger newsletter")
True
>>> [boilerplate(s) for s in ("For the latest news and updates on the Kessin flood and the closed roads, check out "
...  "our live blog for Monday, March 4.", "For the latest updates, residents should call the county hotline.",
...  "For more news, officials said, see the council's site.")]
[True, False, False]
"""
from __future__ import annotations

import re

_STARTS = (
    r"editor[’']?s note", r"(?:corrections?|clarifications?)(?:\s*(?:&|and)\s*clarifications?)?\s*:", r"©",
    r"\(c\)\s", r"copyright\s+(?:©\s*)?(?:\d{4}|by\b)",
    r"sign up (?:for|to|here)\b", r"subscribe (?:to|for|now|here)\b", r"follow (?:him|her|them|us|me|@)",
    r"bookmark\b", r"download (?:the|our) (?:\w+ )?app\b",
    r"(?:read|see|watch|listen|more|related|also read|what[’']?s next)\s*:", r"read more(?:\s+(?:about|at|here)\b|\W*$)",
    r"a version of this (?:story|article)", r"this (?:story|article) (?:has been|was|is being) (?:updated|corrected)",
    r"from .{0,40}wire reports", r"(?:photo|image)s? (?:credit|courtesy)\b", r"advertisement\W*$",
    # A pointer to the outlet's other pages: "For the latest news on the fire, check out our live updates".
    r"for (?:the )?(?:latest|more|live|full|continuing) (?:news|updates|coverage)\b.{0,120}?"
    r"\b(?:check out|see|follow|read|visit|go to) our\b", r"(?:check out|follow|read|see) our (?:[\w-]+ ){0,2}"
    r"(?:updates|coverage|live blog|blog)\b",
)
_START = re.compile(r"[\s∎•*\"“(\[]*(?:" + "|".join(_STARTS) + ")", re.I)
# Credit lines end the sentence: "... (Photo by Ann Lee/Getty Images)", "Bo Kim contributed to this report."
_ENDS = re.compile(r"(?:contributed (?:to )?(?:this|the) report|getty images|ap photo(?:/[\w .]+)?|"
                   r"all rights reserved|(?:sign up|subscribe) (?:for|to) .{0,60}newsletters?)\W*$", re.I)
# A dateline alone: a few capitalised words, maybe an outlet in brackets, then a dash and nothing more.
_DATELINE = re.compile(r"[A-Z][\w.,' ]{0,40}(?:\((?:CNN|AP|Reuters|AFP)\)|CNN(?: Business)?)?\s*[—–-]+\s*")


def boilerplate(sentence: str) -> bool:
    """Whether the sentence is page furniture (see above), by its opening words or a credit line in it."""
    return bool(_START.match(sentence) or _ENDS.search(sentence) or _DATELINE.fullmatch(sentence))
