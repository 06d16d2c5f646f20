"""Read a saved news web page with trafilatura: the article body and its metadata, without the page around it.

trafilatura (with lxml_html_clean) finds the main text, title, date (htmldate: meta tags, JSON-LD
``datePublished``, ``itemprop`` dates, ``<time>``, …, as written in the page's own time zone), author,
site name and canonical URL. Our rules stay on top: the stored text is what passages index into; an outlet
trafilatura only made up from the URL's host is marked derived, as is a title taken from the first
sentence; the date goes through ``parse_date`` like every other; a page with no article body is reported.
Dates are not guessed: htmldate's extensive search (a date anywhere in the free text, "Posted 3 March
2021") is off, the page's own markup wins over its address, a day taken only from the address
(``/2020/05/17/``, a canonical link) is marked derived, and an update time is never the publication date
(``corpus/page_dates.py``). What remains of htmldate's fast mode may still take a full numeric
date (2021-03-03) written in the page's text when the markup has none. htmldate's own
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
import logging
import re

from .charset import decode_page
from .fields import folded, make_article, normalize_text
from .page_dates import DATE_PARAMS, page_date
from .urls import outlet_from_url
from .records import DEGRADED, SKIPPED, Article, Problem, SourceFile

# Tuned on the dev pages (bench/pages.py): precision mode drops teasers and link lists that the
# default keeps (F1 0.972 vs 0.963 there); tables stay, comments go.
OPTIONS = dict(with_metadata=True, favor_precision=True, include_comments=False, include_tables=True)
# Less main text than this (characters) is a page of links or an empty shell, not an article:
# trafilatura's own threshold (default 1) makes it return nothing, reported as "no article body".
MIN_BODY_CHARS = 25
# What browsers (and `python -m index fetch`) write atop a saved page: its address, when the page names none.
_SAVED_FROM = re.compile(r"<!--\s*saved from url=\(\d+\)(https?://[^\s>]+?)\s*-->")
# libxml2 (trafilatura's parser) ends the page at any one node or attribute over 10 MB, so a photo
# inlined as a data: URI (SingleFile saves) lost the article after it. Such a payload is no text: emptied.
_INLINED = re.compile(r"(data:[^,\"'<>()\s]{0,200},)[^\"'<>()\s]{100000,}")  # not re.I: 6x slower
_NODE_LIMIT = 10_000_000
_config = None


def read_html(data: str | bytes, source: SourceFile) -> tuple[list[Article], list[Problem]]:
    """One article from an HTML page (see the module example)."""
    data, charset = decode_page(data) if isinstance(data, bytes) else (data, None)   # text from here on
    decoded = [Problem(source.key, DEGRADED, charset)] if charset else []
    data, saved_from = _cut_saved_from(data)
    data = _INLINED.sub(r"\1", data)
    doc = extract(data, saved_from)
    text = normalize_text(doc.text or "") if doc else ""
    if not text:
        return [], [Problem(source.key, SKIPPED, _no_body(data))]
    paragraphs = [line.strip() for line in text.split("\n") if line.strip()]
    if len(paragraphs) > 1 and doc.title and folded(paragraphs[0]) == folded(doc.title):
        paragraphs = paragraphs[1:]   # the page's <h1> kept in the body: the title once, not atop every passage
    fields = {"text": ("text", "\n\n".join(paragraphs))}
    date, from_address, why = page_date(data, doc.date, doc.url)
    for field, value in (("title", doc.title), ("date", date), ("url", doc.url), ("author", doc.author),
                         ("source", _given_site_name(doc.sitename, doc.url))):
        if value and str(value).strip():
            fields[field] = (f"page {field}", value)
    art, problems = make_article(fields, id=source.key, file=source.key)
    if art and from_address and art.date:
        art = dataclasses.replace(art, derived=art.derived + ("date",))
    if art and why:
        problems = problems + [Problem(source.key, DEGRADED, why)]
    return ([art] if art else []), decoded + problems


def _no_body(data: str) -> str:
    """Why a page gave no body: a page over the parser's limit may have been cut (under 2.5M characters
    it cannot be over 10 MB, so only a large one is encoded to count its bytes)."""
    if len(data) * 4 > _NODE_LIMIT and len(data.encode("utf-8", "replace")) > _NODE_LIMIT:
        return (f"no article body found in the page; at {len(data):,} characters it may hold one element (a "
                "script, style or inlined file) over the HTML parser's 10 MB limit, which ends the page there: "
                "save it without inlined files (\"Web Page, HTML only\"), or its text as .txt")
    return ("no article body found in the page (only navigation, teasers or an empty page); save the article's "
            "own page, or its text as .txt")


def _cut_saved_from(data: str) -> tuple[str, str | None]:
    """The page without its "saved from" line, and the address that line gives (read, then cut: a comment
    before <html> makes lxml drop the page, and the address is no date the page states).

    >>> _cut_saved_from("<!-- saved from url=(0022)https://g.example/x -->\\n<html>")
    ('\\n<html>', 'https://g.example/x')
    """
    m = _SAVED_FROM.search(data[:1024])
    return (data[:m.start()] + data[m.end():], m[1]) if m else (data, None)


def extract(data: str, url: str | None = None):
    """trafilatura's document (text + metadata) for a page, or None when it finds no article.

    >>> extract("<html><body><p>A story long enough to keep.</p>", "https://g.example/x").url
    'https://g.example/x'
    """
    global _config
    import trafilatura  # heavy (lxml, htmldate, courlan): only when a page is read
    if _config is None:
        from trafilatura.settings import use_config
        _config = use_config()
        _config.set("DEFAULT", "MIN_OUTPUT_SIZE", str(MIN_BODY_CHARS))
        _config.set("DEFAULT", "EXTENSIVE_DATE_SEARCH", "off")  # no dates picked out of free text
        # MAX_FILE_SIZE (20 MB) stays: trafilatura checks it only when decoding or unpacking bytes, and it is
        # given text; the product's own limit (64 MiB) is checked before any reader (corpus/folder.py).
        for name in ("trafilatura", "htmldate", "courlan"):  # its per-page log lines are ours to report
            logging.getLogger(name).addHandler(logging.NullHandler())
            logging.getLogger(name).propagate = False
    return trafilatura.bare_extraction(data, url=url, config=_config, date_extraction_params=DATE_PARAMS, **OPTIONS)


def _given_site_name(site: str | None, url: str | None) -> str | None:
    """The site name the page states; None when trafilatura only took it from the URL's host,
    so that make_article derives the outlet from the URL and marks it derived.

    >>> _given_site_name("example.com", "https://www.example.com/a"), _given_site_name("Daily", "https://d.example/")
    (None, 'Daily')
    >>> _given_site_name("g.example:8443", "https://g.example:8443/a")   # the host with its port: still the URL's
    """
    host = outlet_from_url(url) if url else None
    if site and host and re.sub(r":\d+$", "", site.strip().lower().removeprefix("www.")) == host.lower():
        return None
    return site
