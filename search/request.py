"""What a question and its options must be before any index is read: the checks a caller can fix.

>>> clean_question("  What did\\x00 the  Pentagon ask for?\\n\\u200b")
'What did the Pentagon ask for?'
>>> check_request(0, None, None)
Traceback (most recent call last):
search.request.BadRequest: k must be a whole number from 1 to 1000, not 0
"""
from __future__ import annotations

import datetime as dt
import numbers
import re
import unicodedata
from dataclasses import dataclass

from corpus.errors import NewsError
from search.ranking import DEFAULT_MODE, MODES

MAX_K = 1000               # hits a search returns at most (a ranking deeper than that is no answer)
# A timeline's stories are voted by this many of the question's best passages: ten often come from two
# or three long articles (a column touching the event can outvote it); thirty reach its other reports.
STORY_PASSAGES = 30
MAX_QUESTION_CHARS = 4000  # the encoder reads ~256 word pieces; more is cut, never an error
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class EmptyQuestion(NewsError):
    def __init__(self):
        super().__init__("the question is empty; type a question, e.g. \"What did the Pentagon ask for?\"")


class BadRequest(NewsError):
    """A request a search cannot serve. Its message names each option as the Python API calls it;
    `told(names)` says it with a front end's names: the CLI's flags, the page's widget labels.

    >>> BadRequest("{since} ({day}) is too late", day="2024-01-05").told(CLI_NAMES)
    '--since (2024-01-05) is too late'
    """

    def __init__(self, template: str, **values):
        self.template, self.values = template, values   # {since}, {as_of} ...: option names; the rest values
        super().__init__(self.told(API_NAMES))

    def told(self, names: dict) -> str:
        return self.template.format(**{**API_NAMES, **names, **self.values})


@dataclass(frozen=True)
class Query:
    """A question as the ranking reads it (Searcher.query): cleaned text, its vector, the rows the
    filters allow (None: all) and "today" for the recency prior (a day ordinal)."""
    text: str
    vector: object
    allowed: object
    today: int


def clean_question(question: str) -> str:
    """Control characters out, whitespace folded, length capped; empty (or None) is an error, and so is
    anything but a str: bytes or a list str()-ed would be searched as "b'...'" or "['...']"."""
    if question is not None and not isinstance(question, str):
        raise BadRequest("question must be a str (the question as text, e.g. \"What did the Pentagon ask for?\"), "
                         "not {given}", given=type(question).__name__)
    # Lone surrogates (undecodable bytes from a command line) would crash the tokenizer.
    text = (question or "").encode("utf-8", "replace").decode("utf-8")
    text = " ".join(_visible(text[:4 * MAX_QUESTION_CHARS]).split())
    if not text:
        raise EmptyQuestion()
    return text[:MAX_QUESTION_CHARS]


def _visible(text: str) -> str:
    """Control characters as spaces; invisible format characters (zero-width spaces, bidi marks: Unicode
    Cf) dropped, so that a question of nothing visible is empty, not a search for arbitrary passages."""
    if text.isascii():
        return _CONTROL.sub(" ", text)
    return "".join(" " if cat == "Cc" else "" if cat == "Cf" else c
                   for c, cat in zip(text, map(unicodedata.category, text)))


def last_day(until, as_of):
    """The last publication day a search may read: `as_of` (the news as it stood that day) bounds `until`.

    >>> import datetime as dt
    >>> last_day(None, dt.date(2024, 1, 5)), last_day(dt.date(2024, 1, 3), dt.date(2024, 1, 5)), last_day(None, None)
    (datetime.date(2024, 1, 5), datetime.date(2024, 1, 3), None)
    """
    return until if as_of is None else as_of if until is None else min(until, as_of)


# What each option is called where it was set (BadRequest.told): the Python API, and the command line
# (search/__main__.py, stories_cli.py); the page has its widgets' labels (ui/sidebar.py).
API_NAMES = {"k": "k", "per_source": "per_source", "since": "since", "until": "until", "as_of": "as_of"}
CLI_NAMES = {"k": "--k", "per_source": "--per-source", "since": "--since", "until": "--until", "as_of": "--as-of"}


def check_request(k, mode, per_source, params=None) -> tuple:
    """(k, mode, per_source) to rank with (mode None: the default; numpy's whole numbers, as pandas gives them,
    as ints); a k, mode, per_source or params a search cannot use is an error.

    >>> import numpy as np
    >>> check_request(np.int64(3), None, np.int32(2))
    (3, 'hybrid+rerank', 2)
    """
    if not _whole(k) or not 1 <= k <= MAX_K:
        raise BadRequest("{k} must be a whole number from 1 to {most}, not {given}", most=MAX_K, given=repr(k))
    if per_source is not None and (not _whole(per_source) or per_source < 1):
        raise BadRequest("{per_source} must be a whole number of at least 1, not {given}", given=repr(per_source))
    mode = DEFAULT_MODE if mode is None else mode
    if mode not in MODES:
        raise BadRequest("unknown mode {given}; choose one of: {modes}", given=repr(mode), modes=", ".join(MODES))
    from search.params import RankParams
    if params is not None and not isinstance(params, RankParams):
        raise BadRequest("params must be a search.params.RankParams, e.g. RankParams(sentence_weight=0.7), not "
                         "{given}", given=type(params).__name__)
    return int(k), mode, None if per_source is None else int(per_source)


def _whole(n) -> bool:
    return isinstance(n, numbers.Integral) and not isinstance(n, bool)


def check_filters(since, until, as_of, sources, known: list) -> tuple:
    """(since, until, as_of, sources) as a search reads them: days as dates (a datetime's day, a
    "YYYY-MM-DD" string read), one outlet given as a string as a list of one; impossible ones are errors.

    >>> import datetime as dt
    >>> check_filters("2024-01-02", dt.datetime(2024, 1, 5, 9), None, "Herald", ["Herald"])
    (datetime.date(2024, 1, 2), datetime.date(2024, 1, 5), None, ['Herald'])
    >>> check_filters(dt.date(2024, 2, 1), None, dt.date(2024, 1, 5), None, [])
    Traceback (most recent call last):
    search.request.BadRequest: since (2024-02-01) is after as_of (2024-01-05): nothing can match; change one of them
    """
    days = {n: _day(n, value) for n, value in (("since", since), ("until", until), ("as_of", as_of))}
    for bound in ("until", "as_of"):
        if days["since"] and days[bound] and days["since"] > days[bound]:
            raise BadRequest("{since} ({first}) is after {%s} ({last}): nothing can match; change one of them"
                             % bound, first=days["since"], last=days[bound])
    sources = _outlet_names(sources)
    if sources:
        lower = {k.lower() for k in known}
        unknown = [s for s in sources if s.lower() not in lower]
        if unknown:
            some = ", ".join(sorted(known)[:12]) + (" …" if len(known) > 12 else "")
            raise BadRequest("no articles from {unknown} in this index; its outlets: {some}",
                             unknown=", ".join(map(repr, unknown)), some=some)
    return days["since"], days["until"], days["as_of"], list(sources) if sources else None


def _outlet_names(sources) -> list | None:
    """One outlet as a string as a list of one; any other iterable read once (a generator checked later
    would be spent), and of names only: 5 or b"Herald" is an error."""
    if sources is None or isinstance(sources, str):
        return None if sources is None else [sources]
    try:   # bytes as one wrong name, not as the numbers they iterate as
        names = [sources] if isinstance(sources, (bytes, bytearray)) else list(sources)
    except TypeError:   # not iterable: itself the name that is not a str
        names = [sources]
    wrong = [s for s in names if not isinstance(s, str)]
    if wrong:
        raise BadRequest("sources must be an outlet's name (a str) or a list of names, e.g. [\"Reuters\"], "
                         "not {given} ({kind})", given=repr(wrong[0])[:60], kind=type(wrong[0]).__name__)
    return names


def _day(name: str, value):
    if value is None or type(value) is dt.date:
        return value
    if isinstance(value, dt.datetime):
        return value.date()
    try:
        return iso_day(value)
    except ValueError:
        raise BadRequest("{%s} must be a date (YYYY-MM-DD), not {given}" % name, given=repr(value)) from None


def iso_day(text: str) -> dt.date:
    """A day written YYYY-MM-DD, as the API and the CLI document it, else ValueError: Python 3.11's
    fromisoformat also reads 20260213 and ISO weeks (2026W07 as its Monday), which no user meant.

    >>> iso_day("2026-02-13")
    datetime.date(2026, 2, 13)
    >>> iso_day("2026W07")
    Traceback (most recent call last):
    ValueError: not a day written YYYY-MM-DD: '2026W07'
    """
    if not isinstance(text, str) or not _ISO_DAY.fullmatch(text):
        raise ValueError(f"not a day written YYYY-MM-DD: {text!r}")
    return dt.date.fromisoformat(text)   # a ValueError still for a day that does not exist (2026-02-30)


def check_article_id(article_id) -> str:
    """A str, as Hit.article_id gives it: a list would not hash, a number would read as "no story"."""
    if not isinstance(article_id, str):
        raise BadRequest("article_id must be a str, an article's id as a hit gives it (hit.article_id), "
                         "not {given}", given=type(article_id).__name__)
    return article_id
