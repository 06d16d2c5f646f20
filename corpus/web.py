"""Read a saved news web page with trafilatura: the article body and its metadata, without the page around it.

trafilatura (with lxml_html_clean) finds the main text, title, date (htmldate: meta tags, JSON-LD
``datePublished``, ``itemprop`` dates, ``<time>``, …, as written in the page's own time zone), author,
site name and canonical URL. Our rules stay on top: the stored text is what passages index into; an outlet
trafilatura only made up from the URL's host is marked derived, as is a title taken from the first
sentence; the date goes through ``parse_date`` like every other; a page with no article body is reported.
Dates are not guessed: htmldate's extensive search (a date anywhere in the free text, "Posted 3 March
2021") is off, the page's own markup wins over its address, and a day taken only from the address
(``/2020/05/17/``) is marked derived. What remains of htmldate's fast mode may still take a full numeric
date (2021-03-03) written in the page's text when the markup has none.
trafilatura is imported here, when the first page is read, so listing a folder stays quick.

>>> from corpus.records import SourceFile
>>> page = ('<html><head><title>Rain in Eastvale</title><meta property="og:site_name" content="Daily">'
...         '</head><body><nav>Home | Sport</nav><article><h1>Rain in Eastvale</h1>'
...         '<p>It rained and poured in Eastvale on Monday, the town council said after the storm.</p>'
...         '</article></body></html>')
>>> arts, _ = read_html(page, SourceFile("p.html", "/c/p.html"))
>>> arts[0].title, arts[0].source, arts[0].text.splitlines()[::2]
('Rain in Eastvale', 'Daily', ['Rain in Eastvale', 'It rained and poured in Eastvale on Monday, the town council said after the storm.'])
"""
from __future__ import annotations

import dataclasses
import logging
import re

from .fields import make_article, normalize_text, outlet_from_url
from .records import SKIPPED, Article, Problem, SourceFile

# Tuned on the dev pages (bench/pages.py): precision mode drops teasers and link lists that the
# default keeps (F1 0.972 vs 0.963 there); tables stay, comments go.
OPTIONS = dict(with_metadata=True, favor_precision=True, include_comments=False, include_tables=True)
# Less main text than this (characters) is a page of links or an empty shell, not an article:
# trafilatura's own threshold (default 1) makes it return nothing, reported as "no article body".
MIN_BODY_CHARS = 25
# What browsers (and `python -m index fetch`) write atop a saved page: its address, when the page names none.
_SAVED_FROM = re.compile(rb"<!--\s*saved from url=\(\d+\)(https?://[^\s>]+?)\s*-->")
_config = None


def read_html(data: str | bytes, source: SourceFile) -> tuple[list[Article], list[Problem]]:
    """One article from an HTML page (see the module example)."""
    doc = extract(data)
    text = normalize_text(doc.text or "") if doc else ""
    if not text:
        return [], [Problem(source.key, SKIPPED, "no article body found in the page (only navigation, teasers "
                            "or an empty page); save the article's own page, or its text as .txt")]
    fields = {"text": ("text", "\n\n".join(line.strip() for line in text.split("\n") if line.strip()))}
    date, from_address = _page_date(data, doc.date, doc.url)
    for field, value in (("title", doc.title), ("date", date), ("url", doc.url), ("author", doc.author),
                         ("source", _given_site_name(doc.sitename, doc.url))):
        if value and str(value).strip():
            fields[field] = (f"page {field}", value)
    art, problems = make_article(fields, id=source.key, file=source.key)
    if art and from_address and art.date:
        art = dataclasses.replace(art, derived=art.derived + ("date",))
    return ([art] if art else []), problems


def _page_date(data: str | bytes, found: str | None, url: str | None) -> tuple[str | None, bool]:
    """The page's date from its own markup, else the one htmldate took from its address (True: derived).

    htmldate looks at the address first; asked again without it, it answers from the page alone. Only
    an address holding the date's year can have given it, so only then is the page parsed again.

    >>> page, url = "<html><body><p>Rain in Eastvale all day.</p></body></html>", "https://e.example/2020/05/17/rain"
    >>> _page_date(page, "2020-05-17", url)
    ('2020-05-17', True)
    >>> _page_date(page.replace("<body>", "<body><time datetime='2020-05-18'>"), "2020-05-17", url)
    ('2020-05-18', False)
    >>> _page_date(page, "2020-05-17", "https://e.example/rain")   # not from the address: no second parse
    ('2020-05-17', False)
    """
    if not found:
        return None, False
    if not url or found[:4] not in url:
        return found, False
    from trafilatura.metadata import find_date  # htmldate's, as trafilatura calls it (it comes with trafilatura)
    own = find_date(data, url="", extensive_search=False, original_date=True)
    return (own, False) if own else (found, True)


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
    return trafilatura.bare_extraction(data, url=saved_from, config=_config, **OPTIONS)


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
