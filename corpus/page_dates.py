"""A saved page's publication date: the one htmldate finds, kept only where the page states it.

htmldate (trafilatura's date finder) falls back on two things that are no publication date the page
states: its address (the URL, a canonical link or ``og:url``, relative or not) and its last update
(``article:modified_time``, ``og:updated_time``, JSON-LD ``dateModified``, ``http-equiv`` last-modified).
A day the markup gives as the publication (``article:published_time``, ``datePublished``) is kept; else,
when the day found is in one of those two, the page is asked again with them blanked (``_markers``):
an update time is never the publication date (alone, it leaves the page undated, and the problem names
it), and a day only an address gives is marked derived. htmldate rewrites what it reads (a month-only
"2023-06" gets today's day, "06/01/2023" is read day-first), so its date is kept only when the page, or
the address it came from, writes that day in full and unambiguously (``_stated``).

>>> page = '<html><head><meta property="og:updated_time" content="2023-06-09T10:00:00Z"></head><body><p>Rain.</p>'
>>> print(page_date(page, "2023-06-09", None)[2])   # doctest: +ELLIPSIS
no publication date; the page's 'og:updated_time' (2023-06-09) is when it was last updated, not published, ...
"""
from __future__ import annotations

import datetime as dt
import functools
import html
import re

from .dates import FIX, MAX_YEAR, parse_date

# htmldate's own upper bound defaults to today: a page dated tomorrow (a +13:00 zone, a page saved the evening
# before its dateline) lost its date, and a far-future one silently. It is lifted to the last year we read,
# so the page's date reaches make_article, where the one rule for every format (``dates.too_late``) keeps
# it or reports it. No free-text date search (EXTENSIVE_DATE_SEARCH off in corpus/web.py); the original date.
DATE_PARAMS = {"original_date": True, "extensive_search": False, "max_date": f"{MAX_YEAR}-12-31"}
# Where _markers looks: each pattern begins with a literal character, so a page's 500 KB are scanned in
# about a millisecond (an alternation of words ignoring case, tried at every character, took ~20 ms).
_TAG = re.compile(r"<(?i:meta|link|time)\b[^<>]*>")  # <time itemprop="dateModified" datetime=…> too
_ATTR = re.compile(r"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""")
# The lookahead first checks that a key follows the quote (most quotes start no key), which halves the time.
_JSON_PAIR = re.compile(r'"(?=[\w@:.-]{0,40}"\s*:\s*")([\w@:.-]*(?i:modif|updat|publish)[\w@:.-]*)"'
                        r'\s*:\s*"([^"<>\\]{0,80})"')
_UPDATE_WORD = re.compile(r"modif|updat", re.I)
_ADDRESS_NAMES = {"og:url", "twitter:url"}


def page_date(data: str, found: str | None, url: str | None) -> tuple[str | None, bool, str | None]:
    """(The page's date, True when only its address gives it: derived; else None and the problem's reason.)

    >>> page, url = "<html><body><p>Rain in Eastvale all day.</p></body></html>", "https://e.example/2020/05/17/rain"
    >>> page_date(page, "2020-05-17", url)
    ('2020-05-17', True, None)
    >>> page_date(page.replace("<body>", "<body><time datetime='2020-05-18'>"), "2020-05-17", url)
    ('2020-05-18', False, None)
    >>> page_date(page.replace("<body>", "<body><time datetime='2020-05'>"), "2020-05-27", None)[2]
    "field 'page date': incomplete date '2020-05' (no day, month or year); write YYYY-MM-DD; date left unknown"
    """
    if not found:
        return None, False, None
    neutral, markers = _markers(data)
    if any(kind == "published" and _day(value) == found for kind, _, value in markers):
        return found, False, None  # the markup states it as the publication day, whatever else gave it too
    addresses = [a.replace("_", "-") for a in (url, *(v for k, _, v in markers if k == "address"))
                 if a and found[:4] in a]  # htmldate takes 2020_05_17 from an address too
    updated = next((name for kind, name, value in markers if kind == "update" and _day(value) == found), None)
    candidates, own = [(found, None)], found  # (date, the address it came from; None: from the page)
    if addresses or updated:  # htmldate may have taken it from there: the page alone is asked again
        from trafilatura.metadata import find_date  # htmldate's, as trafilatura calls it (it comes with trafilatura)
        own = find_date(neutral, url="", **DATE_PARAMS)
        candidates = ([(own, None)] if own else []) + [(found, address) for address in addresses]
    page, why = html.unescape(neutral), None  # entities read, as htmldate reads them
    for date, address in candidates:
        stated, refused = _stated(page if address is None else address, date)
        if stated:
            return date, address is not None, None
        why = why or refused
    if updated and not own:
        return None, False, (f"no publication date; the page's '{updated}' ({found}) is when it was last updated, "
                             "not published, so the article is left undated (if it was published that day, add "
                             f'<meta property="article:published_time" content="{found}"> to the page)')
    return None, False, "field 'page date': " + (why or (
        f"the page's date ({found}, as htmldate read it) is not written in full on the page (a date without its "
        f"day, or in a form not read as a date); {FIX}")) + "; date left unknown"


def _markers(data: str) -> tuple[str, list[tuple[str, str, str]]]:
    """The page with its address and update markers' values blanked, and (kind, name, value) of each
    address, update and publication marker: <meta>, <link> and <time> tags, and JSON(-LD) pairs.

    >>> _markers('<link rel="canonical" href="/a/2023/06/05/x"><b>{"dateModified": "2023-06-09"}</b>')
    ('<link rel="canonical" href=""><b>{"dateModified": ""}</b>',
     [('address', 'canonical', '/a/2023/06/05/x'), ('update', 'dateModified', '2023-06-09')])
    """
    found = [m for tag in _TAG.finditer(data) if (m := _tag_marker(tag))]
    found += [(kind, pair[1], pair[2], pair.span(2)) for pair in _JSON_PAIR.finditer(data) if (kind := _kind(pair[1]))]
    pieces, at = [], 0
    for start, end in sorted({span for kind, *_, span in found if kind != "published"}):
        pieces.append(data[at:start])
        at = end
    return "".join(pieces + [data[at:]]), [(kind, name, value) for kind, name, value, _ in found]


def _tag_marker(tag: re.Match) -> tuple[str, str, str, tuple[int, int]] | None:
    """(kind, name, value, the value's span) for a <meta>, <link> or <time> tag marking an address, an update
    or the publication, or None. A class ("entry-date published updated") is not read: themes write it on
    the publication date."""
    attrs = {}
    for m in _ATTR.finditer(tag.string, tag.start(), tag.end()):
        group = next(g for g in (2, 3, 4) if m[g] is not None)  # whichever quoting the value used
        attrs.setdefault(m[1].lower(), (m[group], m.span(group)))
    value = next((attrs[key] for key in ("content", "datetime", "href") if key in attrs), None)
    if not value or not value[0].strip():
        return None
    for key in ("itemprop", "property", "name", "http-equiv", "rel"):
        name = attrs.get(key, ("",))[0].strip()
        if "canonical" in name.lower().split() or name.lower() in _ADDRESS_NAMES:
            return "address", name, value[0], value[1]
        if name and key != "rel" and (kind := _kind(name)):  # <link rel="publisher"> is no date
            return kind, name, value[0], value[1]
    return None


def _kind(name: str) -> str | None:
    """"published" or "update" for a marker's name (or space-separated names) that htmldate's lists hold or
    that says so ("dateUpdated", "last_modified"); one naming both ("datePublished dateModified";
    "release_date", in both of htmldate's lists) is the publication.

    >>> _kind("og:updated_time"), _kind("dateModified"), _kind("datePublished dateModified"), _kind("og:title")
    ('update', 'update', 'published', None)
    """
    published, updated = _htmldate_names()
    names = name.lower().split()
    if any(n in published or "publish" in n for n in names):
        return "published"
    return "update" if any(n in updated or _UPDATE_WORD.search(n) for n in names) else None


@functools.cache
def _htmldate_names() -> tuple[frozenset, frozenset]:
    """htmldate's names of publication and of update markers (it comes with trafilatura, imported by then)."""
    from htmldate.core import (DATE_ATTRIBUTES, ITEMPROP_ATTRS_MODIFIED, ITEMPROP_ATTRS_ORIGINAL, NAME_MODIFIED,
                               PROPERTY_MODIFIED)
    return (frozenset(DATE_ATTRIBUTES | ITEMPROP_ATTRS_ORIGINAL),
            frozenset(NAME_MODIFIED | PROPERTY_MODIFIED | ITEMPROP_ATTRS_MODIFIED))


def _day(value: str) -> str | None:
    try:
        day = parse_date(value)
    except ValueError:
        return None
    return day.isoformat() if day else None


def _stated(text: str, date: str) -> tuple[bool, str | None]:
    """Whether ``text`` writes the day ``date`` (YYYY-MM-DD) in full and unambiguously; else why a form of
    it was refused. Numeric forms are judged by ``parse_date``; with the month's name, the day and year must follow.

    >>> _stated('<meta content="01.06.2023">', "2023-06-01"), _stated("Posted 1er juin 2023", "2023-06-01")
    ((True, None), (False, None))
    >>> _stated('<meta content="06/01/2023">', "2023-01-06")
    (False, "ambiguous day/month in '06/01/2023'; write YYYY-MM-DD")
    """
    try:
        day = dt.date.fromisoformat(date)
    except ValueError:  # htmldate writes YYYY-MM-DD; anything else cannot be checked, so it is not kept
        return False, None
    text, (y, m, d, why) = _near_year(text, day), (day.year, f"0?{day.month}", f"0?{day.day}", None)
    numeric = (rf"{y}[-/.]{m}[-/.]{d}", rf"{day:%Y%m%d}", rf"{d}([-/.]){m}\1(?:{y}|{day:%y})",
               rf"{m}([-/.]){d}\1(?:{y}|{day:%y})", rf"{y}[-/.]{m}(?![-/.]?\d)")  # the last: no day, for `why`
    for pattern in numeric:
        for found in re.finditer(rf"(?<![\d.]){pattern}(?!\d)", text):  # not inside a number or "v1.2.3"
            try:  # parse_date's rules decide: "06/01/2023" is refused, "01.06.2023" is June 1
                if parse_date(found[0]) == day:
                    return True, None
            except ValueError as e:
                why = why or str(e)
    from htmldate.extractors import MONTHS  # the month names htmldate reads dates in (it comes with trafilatura)
    word = rf"(?:{'|'.join(sorted(MONTHS[day.month - 1], key=len, reverse=True))})\.?"
    for pattern in (rf"(?<![^\W\d_]){word}\s+{d}(?:st|nd|rd|th)?,?\s+{y}",
                    rf"(?<!\d){d}(?:st|nd|rd|th)?\.?\s+(?:of\s+)?{word},?\s+{y}"):
        if re.search(rf"{pattern}(?!\d)", text, re.I):
            return True, None
    return False, why


def _near_year(text: str, day: dt.date, before: int = 60, after: int = 10) -> str:
    """Only the text around the day's year (its 4 digits, or 2 after "-", "/" or "."), where every form
    _stated looks for has it: a page's hundreds of KB are not scanned once per pattern (~50 ms a page)."""
    spans = []
    for needle in (str(day.year), *(f"{sep}{day:%y}" for sep in "-/.")):
        at = text.find(needle)
        while at >= 0:
            spans.append((max(0, at - before), at + len(needle) + after))
            at = text.find(needle, at + 1)
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:  # overlapping windows are joined, so each part is scanned once
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return "\n".join(text[start:end] for start, end in merged)
