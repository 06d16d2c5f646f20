"""Read a saved news web page with trafilatura: the article body and its metadata, without the page around it.

trafilatura (with lxml_html_clean) finds the main text, title, date (htmldate: meta tags, JSON-LD
``datePublished``, ``itemprop`` dates, ``<time>``, …, as written in the page's own time zone), author,
site name and canonical URL. Our rules stay on top: the stored text is what passages index into; an outlet
trafilatura only made up from the URL's host is marked derived, as is a title taken from the first
sentence; the date goes through ``parse_date`` like every other; a page with no article body is reported.
Dates are not guessed: htmldate's extensive search (a date anywhere in the free text, "Posted 3 March
2021") is off, the page's own markup wins over its address, and a day taken only from the address
(``/2020/05/17/``) is marked derived. What remains of htmldate's fast mode may still take a full numeric
date (2021-03-03) written in the page's text when the markup has none. htmldate rewrites what it reads
(a month-only "2023-06" gets today's day, "06/01/2023" is read day-first), so its date is kept only when the
page, or the address it came from, writes that day in full and unambiguously (``_stated``). htmldate's own
upper bound (today) is lifted: a date in the future is judged by the rule every format shares (``dates.too_late``).
trafilatura is imported here, when the first page is read, so listing a folder stays quick.

>>> from corpus.records import SourceFile
>>> page = ('<html><head><title>Rain in Eastvale</title><meta property="og:site_name" content="Daily">'
...         '</head><body><nav>Home | Sport</nav><article><h1>Rain in Eastvale</h1>'
...         '<p>It rained and poured in Eastvale on Monday, the town council said after the storm.</p>'
...         '</article></body></html>')
>>> arts, _ = read_html(page, SourceFile("p.html", "/c/p.html"))
>>> arts[0].title, arts[0].source, arts[0].text   # the <h1> is the title, not the text's first line too
('Rain in Eastvale', 'Daily', 'It rained and poured in Eastvale on Monday, the town council said after the storm.')
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import html
import logging
import re

from .charset import decode_page
from .dates import FIX, MAX_YEAR, parse_date
from .fields import folded, make_article, normalize_text
from .urls import outlet_from_url
from .records import DEGRADED, SKIPPED, Article, Problem, SourceFile

# Tuned on the dev pages (bench/pages.py): precision mode drops teasers and link lists that the
# default keeps (F1 0.972 vs 0.963 there); tables stay, comments go.
OPTIONS = dict(with_metadata=True, favor_precision=True, include_comments=False, include_tables=True)
# Less main text than this (characters) is a page of links or an empty shell, not an article:
# trafilatura's own threshold (default 1) makes it return nothing, reported as "no article body".
MIN_BODY_CHARS = 25
# What browsers (and `python -m index fetch`) write atop a saved page: its address, when the page names none.
_SAVED_FROM = re.compile(rb"<!--\s*saved from url=\(\d+\)(https?://[^\s>]+?)\s*-->")
_config = None
# htmldate's own upper bound defaults to today: a page dated tomorrow (a +13:00 zone, a page saved the evening
# before its dateline) lost its date, and a far-future one silently. It is lifted to the last year we read,
# so the page's date reaches make_article, where the one rule for every format (``dates.too_late``) keeps
# it or reports it. No free-text date search (EXTENSIVE_DATE_SEARCH off, as below); the original date.
_DATE_PARAMS = {"original_date": True, "extensive_search": False, "max_date": f"{MAX_YEAR}-12-31"}


def read_html(data: str | bytes, source: SourceFile) -> tuple[list[Article], list[Problem]]:
    """One article from an HTML page (see the module example)."""
    data, charset = decode_page(data) if isinstance(data, bytes) else (data, None)   # text from here on
    decoded = [Problem(source.key, DEGRADED, charset)] if charset else []
    doc = extract(data)
    text = normalize_text(doc.text or "") if doc else ""
    if not text:
        return [], [Problem(source.key, SKIPPED, "no article body found in the page (only navigation, teasers "
                            "or an empty page); save the article's own page, or its text as .txt")]
    paragraphs = [line.strip() for line in text.split("\n") if line.strip()]
    if len(paragraphs) > 1 and doc.title and folded(paragraphs[0]) == folded(doc.title):
        paragraphs = paragraphs[1:]   # the page's <h1> kept in the body: the title once, not atop every passage
    fields = {"text": ("text", "\n\n".join(paragraphs))}
    date, from_address, unstated = _page_date(data, doc.date, doc.url)
    for field, value in (("title", doc.title), ("date", date), ("url", doc.url), ("author", doc.author),
                         ("source", _given_site_name(doc.sitename, doc.url))):
        if value and str(value).strip():
            fields[field] = (f"page {field}", value)
    art, problems = make_article(fields, id=source.key, file=source.key)
    if art and from_address and art.date:
        art = dataclasses.replace(art, derived=art.derived + ("date",))
    if art and unstated:
        problems = problems + [Problem(source.key, DEGRADED, f"field 'page date': {unstated}; date left unknown")]
    return ([art] if art else []), decoded + problems


def _page_date(data: str, found: str | None, url: str | None) -> tuple[str | None, bool, str | None]:
    """The page's date from its own markup, else the one htmldate took from its address (True: derived),
    each only if stated there in full (else None and why).

    htmldate looks at the address first; asked again without it, it answers from the page alone. Only
    an address holding the date's year can have given it, so only then is the page parsed again.

    >>> page, url = "<html><body><p>Rain in Eastvale all day.</p></body></html>", "https://e.example/2020/05/17/rain"
    >>> _page_date(page, "2020-05-17", url)
    ('2020-05-17', True, None)
    >>> _page_date(page.replace("<body>", "<body><time datetime='2020-05-18'>"), "2020-05-17", url)
    ('2020-05-18', False, None)
    >>> _page_date(page.replace("<body>", "<body><time datetime='2020-05'>"), "2020-05-27", None)[2]
    "incomplete date '2020-05' (no day, month or year); write YYYY-MM-DD"
    """
    if not found:
        return None, False, None
    candidates = [(found, None)]  # (date, the address it came from; None: from the page)
    if url and found[:4] in url:
        from trafilatura.metadata import find_date  # htmldate's, as trafilatura calls it (it comes with trafilatura)
        own = find_date(data, url="", **_DATE_PARAMS)
        candidates = ([(own, None)] if own else []) + [(found, url.replace("_", "-"))]  # htmldate takes 2020_05_17
    page, why = _page_text(data), None
    for date, address in candidates:
        stated, refused = _stated(page if address is None else address, date)
        if stated:
            return date, address is not None, None
        why = why or refused
    return None, False, why or (f"the page's date ({found}, as htmldate read it) is not written in full on the "
                                f"page (a date without its day, or in a form not read as a date); {FIX}")


def _page_text(data: str) -> str:
    return html.unescape(data)   # entities read, as htmldate reads them


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


def extract(data: str | bytes):
    """trafilatura's document (text + metadata) for a page, or None when it finds no article.

    >>> extract(b"<!-- saved from url=(0022)https://g.example/x -->\\n<html><body><p>A story long enough to keep.</p>").url
    'https://g.example/x'
    """
    global _config
    head = data[:1024] if isinstance(data, bytes) else data[:1024].encode("utf-8", "replace")
    saved_from = None
    if m := _SAVED_FROM.search(head):  # read, then cut: a comment before <html> makes lxml drop the page
        saved_from = m[1].decode("ascii", "replace")
        data = (data[:m.start()] + data[m.end():]) if isinstance(data, bytes) else data.replace(m[0].decode(), "", 1)
    import trafilatura  # heavy (lxml, htmldate, courlan): only when a page is read
    if _config is None:
        from trafilatura.settings import use_config
        _config = use_config()
        _config.set("DEFAULT", "MIN_OUTPUT_SIZE", str(MIN_BODY_CHARS))
        _config.set("DEFAULT", "EXTENSIVE_DATE_SEARCH", "off")  # no dates picked out of free text
        for name in ("trafilatura", "htmldate", "courlan"):  # its per-page log lines are ours to report
            logging.getLogger(name).addHandler(logging.NullHandler())
            logging.getLogger(name).propagate = False
    return trafilatura.bare_extraction(data, url=saved_from, config=_config, date_extraction_params=_DATE_PARAMS,
                                       **OPTIONS)


def _given_site_name(site: str | None, url: str | None) -> str | None:
    """The site name the page states; None when trafilatura only took it from the URL's host,
    so that make_article derives the outlet from the URL and marks it derived.

    >>> _given_site_name("example.com", "https://www.example.com/a"), _given_site_name("Daily", "https://d.example/")
    (None, 'Daily')
    """
    host = outlet_from_url(url) if url else None
    if site and host and site.strip().lower().removeprefix("www.") == host.lower():
        return None
    return site
