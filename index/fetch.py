"""Fetch the pages and feeds a user names into the corpus folder, as files the readers know.

Nothing leaves the machine unless the user asks: this runs only for ``python -m index fetch URL...``
and the page's "Add coverage" box. Each request has a timeout, a size cap and a User-Agent that names
the tool; every URL that fails is reported with the reason and the others go on. A feed URL saves the
feed and then the pages its entries link to (up to ``limit``), so the full pages win over the feed's
summaries when the folder is indexed. A page is saved as the site sent it, with the browsers' own
``<!-- saved from url=(NNNN)URL -->`` line on top so the reader knows its address.

>>> name_for("https://www.gazette.example/news/bridge-vote?id=7", ".html")  # doctest: +ELLIPSIS
'gazette.example/news-bridge-vote-....html'
"""
from __future__ import annotations

import hashlib
import io
import re
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from corpus.fields import split_url
from index.atomic import write_atomic

USER_AGENT = "news-search-fetch/1.0 (local news search tool; fetches only the URLs its user gives)"
TIMEOUT = 20.0             # seconds, per request (connect and each read)
MAX_BYTES = 10 * 2**20     # a news page or feed is far smaller; anything larger is not one
FEED_LIMIT = 20            # pages fetched per feed unless --limit says otherwise
_FEED_TYPES = ("rss", "atom", "xml")
_FEED_ROOT = re.compile(rb"^\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--.*?-->\s*)*<(?:rss|feed|rdf:RDF)\b", re.S)
_SUFFIX = {"application/pdf": ".pdf", "text/plain": ".txt", "text/markdown": ".md", "application/json": ".json"}


@dataclass(frozen=True)
class Fetched:
    url: str
    path: Path | None = None   # the saved file; None when the fetch failed
    error: str = ""            # why it failed, one line
    feed: bool = False

    def __str__(self) -> str:
        return f"{self.url}: {self.error}" if self.error else f"{self.url} -> {self.path}"


def fetch(urls, into, limit: int = FEED_LIMIT, timeout: float = TIMEOUT, max_bytes: int = MAX_BYTES,
          report=lambda fetched: None) -> list[Fetched]:
    """Fetch each URL into the folder ``into``; feeds bring up to ``limit`` of their entries' pages.
    ``report(fetched)`` is called as each one ends (for a progress line)."""
    into, done = Path(into), []
    seen: set[str] = set()

    def one(url: str) -> Fetched:
        seen.add(url)
        result = fetch_one(url, into, timeout, max_bytes)
        done.append(result)
        report(result)
        return result

    for url in urls:
        result = one(url)
        if result.feed:
            for link in entry_links(result.path)[:limit]:
                if link not in seen:
                    one(link)
    return done


def fetch_one(url: str, into: Path, timeout: float = TIMEOUT, max_bytes: int = MAX_BYTES) -> Fetched:
    """One URL saved under ``into``, or the reason it was not."""
    parts = split_url(url)
    if parts is None or parts.scheme not in ("http", "https"):
        return Fetched(url, error="not an http(s) address; give a link starting with https://")
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "*/*"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            data = response.read(max_bytes + 1)
            kind = response.headers.get_content_type()
    except urllib.error.HTTPError as e:
        return Fetched(url, error=f"HTTP {e.code} {e.reason}")
    except urllib.error.URLError as e:
        return Fetched(url, error=f"cannot reach it: {e.reason}")
    except (TimeoutError, OSError, ValueError) as e:  # a read that timed out, a reset, a malformed URL
        return Fetched(url, error=f"failed: {type(e).__name__}: {e}")
    if len(data) > max_bytes:
        return Fetched(url, error=f"larger than {max_bytes:,} bytes; not saved")
    if not data.strip():
        return Fetched(url, error="the server sent nothing")
    feed = bool(_FEED_ROOT.match(data[:4096])) or any(t in kind for t in _FEED_TYPES) and b"<html" not in data[:4096]
    suffix = ".xml" if feed else _SUFFIX.get(kind, ".html")
    if suffix == ".html":
        data = f"<!-- saved from url=({len(url):04d}){url} -->\n".encode() + data
    path = into / name_for(url, suffix)
    write_atomic(path, data)
    return Fetched(url, path, feed=feed)


def entry_links(feed_path: Path) -> list[str]:
    """The page links of a saved feed's entries, in feed order."""
    import feedparser
    # A stream, never bare bytes: the server wrote them, and feedparser opens bytes that spell a path.
    parsed = feedparser.parse(io.BytesIO(feed_path.read_bytes()))
    return [e.link for e in parsed.entries if e.get("link", "").startswith(("http://", "https://"))]


def name_for(url: str, suffix: str) -> str:
    """``<host>/<path slug>-<hash>.<suffix>``: readable, stable (the same URL overwrites its file)."""
    parts = urlsplit(url)
    host = (parts.hostname or "unknown").removeprefix("www.")
    slug = re.sub(r"[^A-Za-z0-9]+", "-", parts.path).strip("-")[:80] or "index"
    digest = hashlib.sha256(url.encode()).hexdigest()[:8]
    return f"{host}/{slug}-{digest}{suffix}"
