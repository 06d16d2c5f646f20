"""RSS and Atom feeds with feedparser: each entry one article, the feed's title its outlet.

The text is the entry's full content when the feed carries it, else its summary. Text, titles and the
outlet are read by the type the feed declares for them (``as_text``): HTML has its markup stripped
(paragraphs kept) and entities decoded, plain text is kept as written. The date is the entry's own
published value (``<pubDate>``, ``<published>``, ``<dc:date>``), read by ``parse_date`` as written, so the
day is the feed's own, not the UTC day feedparser would give; without one, the time the entry was last
updated (or created) stands in, marked derived and reported: a story corrected today may be years old.
An emoji written as references to its two UTF-16 halves (``&#55357;&#56832;``, which some CMSs emit)
is joined into one character; a half alone becomes U+FFFD (``corpus.surrogates``).
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
import re
from dataclasses import replace
from urllib.parse import urljoin, urlsplit

from .fields import make_article
from .markup import strip_markup
from .records import DEGRADED, SKIPPED, Article, Problem, SourceFile
from .surrogates import mend_refs


SUFFIXES = (".xml", ".rss", ".atom")
# Dates that stand in for an entry's missing publication date: read, but marked derived and said.
_STAND_INS = {"updated": "the time the entry was last changed: Atom's <updated>, <dcterms:modified>",
              "created": "the time the entry was made: <dcterms:created>"}
_DC_PREFIX = re.compile(rb"""xmlns:([\w.-]+)\s*=\s*["']http://purl\.org/dc/elements/1\.1/?["']""")


def read_feed(data: str | bytes, source: SourceFile) -> tuple[list[Article], list[Problem]]:
    """Every entry of an RSS/Atom feed as an article ``<key>#<n>`` (see the module example)."""
    parsed, dc_dates, mended = parse(data, source.key)
    if parsed is None:
        return [], mended
    broken = parsed.get("bozo_exception") if parsed.get("bozo") else None
    if not parsed.entries:
        if parsed.get("version") or parsed.feed.get("title"):  # a real feed, just empty
            return [], [Problem(source.key, SKIPPED, "the feed has no entries; fetch it again when it lists "
                                "stories, or remove it")]
        why = f": {broken}" if broken else ""
        return [], [Problem(source.key, SKIPPED, f"not an RSS or Atom feed{why}; save the feed itself "
                            "(its root must be <rss>, <feed> or <rdf:RDF>)")]
    articles, problems = _entries(parsed, source, dc_dates)
    if broken is not None:
        problems.insert(0, Problem(source.key, DEGRADED, f"malformed feed ({broken}); kept the {len(articles)} "
                                   "entries read before the error, the rest is lost: fix or re-download the feed"))
    return articles, mended + problems


def parse(data: str | bytes, key: str) -> tuple[object | None, set[str], list[Problem]]:
    """(feedparser's reading of the feed, or None; its <dc:date> values; problems)."""
    import feedparser  # only when a feed is read
    # A str comes from a caller, not a file; its halves of UTF-16 pairs, if any, are mended as references are.
    raw, lone = mend_refs(data if isinstance(data, bytes) else data.encode("utf-8", "xmlcharrefreplace"))
    lines = ", ".join(map(str, list(dict.fromkeys(lone))[:10]))
    problems = [Problem(key, DEGRADED, f"{len(lone)} character reference(s) to half of a UTF-16 pair (&#55357; "
                        f"without its other half) replaced with U+FFFD, on line(s) {lines}; write the character "
                        "itself, or one reference to it (&#128512;)")] if lone else []
    try:
        # A stream, never bare bytes: feedparser opens bytes that spell a path as that local file.
        parsed = feedparser.parse(io.BytesIO(raw))
    except Exception as e:  # its fallback parser raises on some input: this feed is lost, never the build
        return None, set(), problems + [Problem(key, SKIPPED, f"feedparser could not read the feed "
                                                f"({type(e).__name__}: {e}); fix or re-download it")]
    return parsed, _dc_dates(raw), problems


def _entries(parsed, source: SourceFile, dc_dates: set[str]) -> tuple[list[Article], list[Problem]]:
    """The feed's entries as articles, with the problems of those kept, one for those without text and one
    for those dated by an update time."""
    outlet = as_text(parsed.feed.get("title_detail") or {"value": parsed.feed.get("title") or ""})
    site = feed_site(parsed)
    articles, problems, empty, stand_ins = [], [], [], {}
    for n, entry in enumerate(parsed.entries, 1):
        fields = _fields(entry, outlet, site, dc_dates)
        art, more = make_article(fields, id=f"{source.key}#{n}", file=source.key, where=f"entry {n}: ")
        if art is None:
            empty.append(str(n))
            continue
        if art.date is not None and fields["date"][0] in _STAND_INS:  # no publication date: a later one stands in
            art = replace(art, derived=art.derived + ("date",))
            stand_ins.setdefault(fields["date"][0], []).append(n)
        articles.append(art)
        problems.extend(more)
    if empty:
        problems.append(Problem(source.key, DEGRADED,
                                f"{len(empty)} entries without text skipped: {', '.join(empty[:10])}"))
    return articles, problems + [Problem(source.key, DEGRADED, _stand_in(key, numbers))
                                 for key, numbers in stand_ins.items()]


def _stand_in(key: str, numbers: list[int]) -> str:
    """Why entries are dated by an update (or creation) time, and marked derived.

    >>> _stand_in("updated", [1, 2])  # doctest: +ELLIPSIS
    "entries 1, 2: no publication date (...); dated by field 'updated' (...), marked derived: ..."
    """
    named = f"entr{'y' if len(numbers) == 1 else 'ies'} {', '.join(map(str, numbers[:10]))}"
    more = f" and {len(numbers) - 10} more" if len(numbers) > 10 else ""
    return (f"{named}{more}: no publication date (<pubDate>, <published>, <dc:date>); dated by field '{key}' "
            f"({_STAND_INS[key]}), marked derived: the story may be older (give the entry its publication date)")


def _fields(entry, outlet, site: str | None = None, dc_dates: frozenset | set = frozenset()) -> dict:
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
    if fields.get("date", ("",))[0] == "updated" and str(fields["date"][1]).strip() in dc_dates:
        fields["date"] = ("dc:date", fields["date"][1])  # feedparser files it under "updated": it is no edit time
    if site and "url" in fields and _site_relative(fields["url"][1]):
        fields["url"] = ("link", urljoin(site, fields["url"][1]))
    if outlet:
        fields["source"] = ("feed title", outlet)
    return fields


def feed_site(parsed) -> str | None:
    """The site the feed belongs to (RSS <channel><link>): a "/page.html" entry link is a page of it."""
    link = parsed.feed.get("link") or ""
    return link if urlsplit(link).scheme.lower() in ("http", "https") else None


def _dc_dates(raw: bytes) -> set[str]:
    """The values of the feed's Dublin Core <dc:date> elements: an item's own date (RSS 1.0 has no other),
    which feedparser files under "updated" with Atom's <updated> and <dcterms:modified>, edit times.

    >>> sorted(_dc_dates(b'<rdf:RDF xmlns:d="http://purl.org/dc/elements/1.1/"><d:date> 2023-06-01 </d:date>'))
    ['2023-06-01']
    """
    found = set()
    for prefix in set(_DC_PREFIX.findall(raw)):
        p = re.escape(prefix)
        found |= {v.decode("utf-8", "replace").strip()
                  for v in re.findall(rb"<" + p + rb":date\b[^>]*>([^<]*)</" + p + rb":date\s*>", raw)}
    return found


def _site_relative(link: str) -> bool:
    """Whether a link is relative, so a page of the channel's site: "/news/a.html", "//host/a", "storm.html".
    ``python -m index fetch`` resolves it against the same channel link (``corpus.feed_links.page_links``), so
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
