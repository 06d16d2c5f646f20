"""What ``python -m index fetch`` fetches for a saved feed: its entries' pages, found as the feed reader finds them.

Resolved by the same rules as corpus/feeds.py (the same parse, the same site), so an entry and the page fetched
for it are one article.
"""
from __future__ import annotations

from urllib.parse import urljoin, urlsplit

from .feeds import feed_site, parse


def page_links(data: bytes, base: str = "") -> tuple[list[str], str | None]:
    """The page links of a feed's entries, in feed order, resolved as read_feed resolves them (a relative one
    against the feed's site, else against ``base``, the feed's own address), for ``python -m index fetch``
    to fetch; and why none could be read (None when the feed was read).

    >>> page_links(b'<rss><channel><link>https://g.example/</link><item><link>/a.html</link></item></channel></rss>')
    (['https://g.example/a.html'], None)
    """
    parsed, _, problems = parse(data, "")
    if parsed is None:
        return [], problems[-1].reason
    base = feed_site(parsed) or base
    links = (urljoin(base, e.link) for e in parsed.entries if e.get("link"))
    return [link for link in links if urlsplit(link).scheme.lower() in ("http", "https")], None
