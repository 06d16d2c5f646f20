"""A title for an article that gives none: the first sentence of its text (marked derived by the caller)."""
from __future__ import annotations

import re

TITLE_MAX = 120
# A line of only dashes, stars, underscores or equals signs is a Markdown rule, not words of a title.
_RULE = re.compile(r"^[ \t]*([-*_=])(?:[ \t]*\1){2,}[ \t]*$", re.M)
# Periods after these words end an abbreviation, not a sentence ("U.S. officials").
_ABBREV = re.compile(r"(?:\b[A-Za-z]|Mr|Mrs|Ms|Dr|St|Jr|Sr|Gov|Sen|Rep|Gen|Lt|Col|No|vs|etc|Inc|Corp|Co)\.$")


def title_from_text(text: str) -> str:
    """The first sentence of the text, cut at a word boundary to at most 120 characters.

    >>> title_from_text("The U.S. Senate voted. Then it rained.")
    'The U.S. Senate voted.'
    >>> title_from_text("---\\nEditor's note: corrected\\n---\\nThe vote.")  # a Markdown rule ends a paragraph
    "Editor's note: corrected"
    """
    para = " ".join(_RULE.sub("", text).strip().split("\n\n", 1)[0].split())
    for m in re.finditer(r"[.!?][\"'\u201d\u2019)]*(?= |$)", para):
        if not _ABBREV.search(para[:m.start() + 1]):
            para = para[:m.end()]
            break
    if len(para) <= TITLE_MAX:
        return para
    cut = para[:TITLE_MAX].rsplit(" ", 1)[0] if " " in para[:TITLE_MAX] else para[:TITLE_MAX - 1]
    return cut.rstrip(" ,;:-") + "\u2026"
