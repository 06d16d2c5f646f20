"""RSS and Atom feeds with feedparser: each entry one article, the feed's title its outlet.

The text is the entry's full content when the feed carries it, else its summary, with the markup
stripped (paragraphs kept). The date is the entry's own published (else updated) value, read by
``parse_date`` as written, so the day is the feed's own, not the UTC day feedparser would give.
A malformed feed keeps the entries that parsed and reports the rest. When the folder also holds a
saved page (or any other article) for an entry's URL, that page wins: the build reads feeds last and
leaves such entries out (``url_key``, ``feeds_last``), so the story is indexed once.

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

from .fields import make_article, split_url
from .records import DEGRADED, SKIPPED, Article, Problem, SourceFile

SUFFIXES = (".xml", ".rss", ".atom")
_BLOCKS = ("p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "pre", "figure")


def read_feed(data: str | bytes, source: SourceFile) -> tuple[list[Article], list[Problem]]:
    """Every entry of an RSS/Atom feed as an article ``<key>#<n>`` (see the module example)."""
    import feedparser  # only when a feed is read
    # A stream, never bare bytes: feedparser opens bytes that spell a path as that local file.
    parsed = feedparser.parse(io.BytesIO(data.encode("utf-8") if isinstance(data, str) else data))
    broken = parsed.get("bozo_exception") if parsed.get("bozo") else None
    if not parsed.entries:
        if parsed.get("version") or parsed.feed.get("title"):  # a real feed, just empty
            return [], [Problem(source.key, SKIPPED, "the feed has no entries")]
        why = f": {broken}" if broken else ""
        return [], [Problem(source.key, SKIPPED, f"not an RSS or Atom feed{why}; save the feed itself "
                            "(its root must be <rss>, <feed> or <rdf:RDF>)")]
    outlet = parsed.feed.get("title")
    articles, problems, empty = [], [], []
    for n, entry in enumerate(parsed.entries, 1):
        art, more = make_article(_fields(entry, outlet), id=f"{source.key}#{n}", file=source.key,
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


def _fields(entry, outlet) -> dict:
    contents = [c.get("value", "") for c in entry.get("content", []) if c.get("value")]
    body = max(contents, key=len) if contents else entry.get("summary", "")
    fields = {"text": ("content" if contents else "summary", strip_markup(body))}
    for field, keys in (("title", ("title",)), ("url", ("link",)), ("author", ("author",)),
                        ("date", ("published", "updated", "created"))):
        for key in keys:
            if entry.get(key):
                fields[field] = (key, entry[key])
                break
    if outlet:
        fields["source"] = ("feed title", outlet)
    return fields


def strip_markup(html: str) -> str:
    """The text of an HTML fragment, one paragraph per block element.

    >>> strip_markup("<p>One <b>bold</b>&amp;more.</p><p>Two<br>three</p>x")
    'One bold&more.\\n\\nTwo\\n\\nthree\\n\\nx'
    """
    if "<" not in html:
        return html.strip()
    import lxml.html
    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except Exception:  # lxml refuses some fragments (only comments, control bytes): keep them as text
        return html.strip()
    for el in root.iter(*_BLOCKS):
        el.tail = "\n\n" + (el.tail or "")
    paras = (" ".join(p.split()) for p in root.text_content().split("\n\n"))
    return "\n\n".join(p for p in paras if p)


def url_key(url: str | None) -> str | None:
    """A URL as compared between feeds and pages: no scheme, "www.", fragment or trailing slash.

    >>> url_key("https://www.G.example/a/?x=1#top") == url_key("http://g.example/a?x=1")
    True
    """
    parts = split_url(url)
    if parts is None:
        return None
    host = (parts.hostname or "").removeprefix("www.")
    query = f"?{parts.query}" if parts.query else ""
    return f"{host}{parts.path.rstrip('/')}{query}" if host else None


def is_feed(key: str) -> bool:
    return key.lower().endswith(SUFFIXES)


def feeds_last(sources: list) -> list:
    """Feeds after everything else (stable), so the pages their entries may duplicate are known first."""
    return sorted(sources, key=lambda s: is_feed(s.key))
