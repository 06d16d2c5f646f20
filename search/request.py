"""What a question and its options must be before any index is read: the checks a caller can fix.

>>> clean_question("  What did\\x00 the  Pentagon ask for?\\n")
'What did the Pentagon ask for?'
>>> check_request(0, None, None)
Traceback (most recent call last):
search.request.BadRequest: k must be a whole number of at least 1, not 0
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from corpus.errors import NewsError
from search.ranking import DEFAULT_MODE, MODES

MAX_QUESTION_CHARS = 4000  # the encoder reads ~256 word pieces; more is cut, never an error
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


class EmptyQuestion(NewsError):
    def __init__(self):
        super().__init__("the question is empty; type a question, e.g. \"What did the Pentagon ask for?\"")


class BadRequest(NewsError):
    pass


@dataclass(frozen=True)
class Query:
    """A question as the ranking reads it (Searcher.query): cleaned text, its vector, the rows the
    filters allow (None: all) and "today" for the recency prior (a day ordinal)."""
    text: str
    vector: object
    allowed: object
    today: int


def clean_question(question: str) -> str:
    """Control characters out, whitespace folded, length capped; empty is an error."""
    # Lone surrogates (undecodable bytes from a command line) would crash the tokenizer.
    text = str(question or "").encode("utf-8", "replace").decode("utf-8")
    text = " ".join(_CONTROL.sub(" ", text).split())
    if not text:
        raise EmptyQuestion()
    return text[:MAX_QUESTION_CHARS]


def last_day(until, as_of):
    """The last publication day a search may read: `as_of` (the news as it stood that day) bounds `until`.

    >>> import datetime as dt
    >>> last_day(None, dt.date(2024, 1, 5)), last_day(dt.date(2024, 1, 3), dt.date(2024, 1, 5)), last_day(None, None)
    (datetime.date(2024, 1, 5), datetime.date(2024, 1, 3), None)
    """
    return until if as_of is None else as_of if until is None else min(until, as_of)


def check_request(k, mode, per_source) -> str:
    """The mode to rank with (None: the default); a k, mode or per_source a search cannot use is an error."""
    if not isinstance(k, int) or isinstance(k, bool) or k < 1:
        raise BadRequest(f"k must be a whole number of at least 1, not {k!r}")
    if per_source is not None and (not isinstance(per_source, int) or per_source < 1):
        raise BadRequest(f"per_source must be a whole number of at least 1, not {per_source!r}")
    mode = DEFAULT_MODE if mode is None else mode
    if mode not in MODES:
        raise BadRequest(f"unknown mode {mode!r}; choose one of: {', '.join(MODES)}")
    return mode
