"""RSS and Atom feeds with feedparser: each entry one article, the feed's title its outlet.

The text is the entry's full content when the feed carries it, else its summary. Text, titles and the
outlet are read by the type the feed declares for them (``as_text``): HTML has its markup stripped
(paragraphs kept) and entities decoded, plain text is kept as written. The date is the entry's own
published (else updated) value, read by ``parse_date`` as written, so the day is the feed's own, not
the UTC day feedparser would give.
A malformed feed keeps the entries that parsed and reports the rest. When the folder also holds a
saved page (or any other article) for an entry's URL, that page wins: the build reads feeds last and
leaves such entries out (``feeds_last``; ``corpus.urls.url_key`` says when two links are one page), so the
story is indexed once.

>>> from corpus.records import SourceFile
>>> rss = ('<rss version="2.0"><channel><title>Eastvale Gazette</title><item><title>Rain</title>'
...        '<link>https://g.example/rain</link><pubDate>Thu, 01 Jun 2023 23:30:00 -0500</pubDate>'
...        '<description>&lt;p&gt;It rained.&lt;/p&gt;&lt;p&gt;Then it stopped.&lt;/p&gt;</description>'
...        '</item></channel></rss>')
>>> (art,), problems = read_feed(rss, SourceFile("g.rss", "/c/g.rss"))
>>> art.id, art.title, art.source, str(art.date), art.text, problems
('g.rss#1', 'Rain', 'Eastvale Gazette', '2023-06-01', 'It rained.\\n\\nThen it stopped.', [])
"""
from __future__ import annotations

import io
from urllib.parse import urljoin, urlsplit

from .fields import make_article
from .markup import strip_markup
from .records import DEGRADED, SKIPPED, Article, Problem, SourceFile


SUFFIXES = (".xml", ".rss", ".atom")


def read_feed(data: str | bytes, source: SourceFile) -> tuple[list[Article], list[Problem]]:
    """Every entry of an RSS/Atom feed as an article ``<key>#<n>`` (see the module example)."""
    import feedparser  # only when a feed is read
    # A stream, never bare bytes: feedparser opens bytes that spell a path as that local file.
    parsed = feedparser.parse(io.BytesIO(data.encode("utf-8") if isinstance(data, str) else data))
    broken = parsed.get("bozo_exception") if parsed.get("bozo") else None
    if not parsed.entries:
        if parsed.get("version") or parsed.feed.get("title"):  # a real feed, just empty
            return [], [Problem(source.key, SKIPPED, "the feed has no entries; fetch it again when it lists "
                                "stories, or remove it")]
        why = f": {broken}" if broken else ""
        return [], [Problem(source.key, SKIPPED, f"not an RSS or Atom feed{why}; save the feed itself "
                            "(its root must be <rss>, <feed> or <rdf:RDF>)")]
    outlet = as_text(parsed.feed.get("title_detail") or {"value": parsed.feed.get("title") or ""})
    # The site the feed belongs to (RSS <channel><link>): a "/page.html" entry link is a page of it.
    site = parsed.feed.get("link") if urlsplit(parsed.feed.get("link") or "").scheme in ("http", "https") else None
    articles, problems, empty = [], [], []
    for n, entry in enumerate(parsed.entries, 1):
        art, more = make_article(_fields(entry, outlet, site), id=f"{source.key}#{n}", file=source.key,
                                 where=f"entry {n}: ")
        if art is None:
            empty.append(str(n))
        else:
            articles.append(art)
            problems.extend(more)
    if empty:
        problems.append(Problem(source.key, DEGRADED,
                                f"{len(empty)} entries without text skipped: {', '.join(empty[:10])}"))
    if broken is not None:
        problems.insert(0, Problem(source.key, DEGRADED, f"malformed feed ({broken}); kept the {len(articles)} "
                                   "entries read before the error, the rest is lost: fix or re-download the feed"))
    return articles, problems


def _fields(entry, outlet, site: str | None = None) -> dict:
    contents = [c for c in entry.get("content", []) if c.get("value")]
    body = max(contents, key=lambda c: len(c["value"])) if contents else entry.get("summary_detail")
    fields = {"text": ("content" if contents else "summary", as_text(body or {}))}
    if entry.get("title"):
        fields["title"] = ("title", as_text(entry.get("title_detail") or {"value": entry["title"]}))
    for field, keys in (("url", ("link",)), ("author", ("author",)), ("date", ("published", "updated", "created"))):
        for key in keys:
            if entry.get(key):
                fields[field] = (key, entry[key])
                break
    if site and "url" in fields and _site_relative(fields["url"][1]):
        fields["url"] = ("link", urljoin(site, fields["url"][1]))
    if outlet:
        fields["source"] = ("feed title", outlet)
    return fields


def _site_relative(link: str) -> bool:
    """Whether a link is relative, so a page of the channel's site: "/news/a.html", "//host/a", "storm.html".
    ``python -m index fetch`` resolves it against the same channel link (``index.fetch.entry_links``), so
    the entry and the page fetched for it are one article.

    >>> _site_relative("/news/a.html"), _site_relative("storm.html"), _site_relative("https://g.example/a")
    (True, True, False)
    """
    return isinstance(link, str) and bool(link) and not urlsplit(link).scheme


def as_text(detail: dict) -> str:
    """A feedparser value as text, by the type the feed declares (feedparser's ``*_detail``): HTML
    (also RSS's CDATA) has its tags stripped and entities decoded; plain text is kept as written,
    so Atom's ``<content type="text">a &lt;b&gt; c</content>`` keeps its "<b>".

    >>> as_text({"type": "text/html", "value": "AT&amp;T&#8217;s <b>vote</b>"}) == "AT&T\u2019s vote"
    True
    >>> as_text({"type": "text/plain", "value": "a <b> c &amp; d"}), as_text({"value": "x"})
    ('a <b> c &amp; d', 'x')
    """
    value = detail.get("value") or ""
    if "html" in (detail.get("type") or "").lower():  # text/html, application/xhtml+xml
        return strip_markup(value)
    return value.strip()


def is_feed(key: str) -> bool:
    return key.lower().endswith(SUFFIXES)


def feeds_last(sources: list) -> list:
    """Feeds after everything else (stable), so the pages their entries may duplicate are known first."""
    return sorted(sources, key=lambda s: is_feed(s.key))
