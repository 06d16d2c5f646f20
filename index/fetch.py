"""Fetch the pages and feeds a user names into the corpus folder, as files the readers know.

Nothing leaves the machine unless the user asks: this runs only for ``python -m index fetch URL...``
and the page's "Add coverage" box. Each request has a timeout (for the whole download, not per read), a
size cap and a User-Agent that names the tool (index/fetch_http.py); every URL that fails is reported
with the reason and the others go on. A feed URL saves the feed and then the pages its entries link to
(up to ``limit``), so the full pages win over the feed's summaries when the folder is indexed. What was
sent is saved under the suffix of its reader, text as UTF-8 (index/fetch_kinds.py); a page gets the
browsers' own ``<!-- saved from url=(NNNN)URL -->`` line on top so the reader knows its address. A feed
whose entries' links cannot be read stays saved and is listed with the reason; the run goes on.

>>> name_for("https://www.gazette.example/news/bridge-vote?id=7", ".html")  # doctest: +ELLIPSIS
'gazette.example/news-bridge-vote-....html'
>>> name_for("http://g.example/a?utm_source=rss", ".html") == name_for("https://www.g.example/a/", ".html")
True
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlsplit

from corpus.feed_links import page_links
from corpus.urls import url_key
from index.atomic import write_atomic
from index.fetch_http import USER_AGENT, FetchError, download, request_url
from index.fetch_kinds import saved_form

__all__ = ["USER_AGENT", "Fetched", "fetch", "fetch_one", "entry_links", "name_for"]

TIMEOUT = 20.0             # seconds, per request: connecting, each read, and the whole download
MAX_BYTES = 10 * 2**20     # a news page or feed is far smaller; anything larger is not one
FEED_LIMIT = 20            # pages fetched per feed unless --limit says otherwise


@dataclass(frozen=True)
class Fetched:
    url: str
    path: Path | None = None   # the saved file; None when the fetch failed
    error: str = ""            # why it failed, one line
    feed: bool = False
    final_url: str = ""        # where redirects led; a feed's relative links resolve against it
    same_as: str = ""          # the page it redirected to, saved already in this run (``path``): not again

    def __str__(self) -> str:
        if self.same_as:
            return f"{self.url} -> {self.same_as}, saved already ({self.path})"
        return f"{self.url}: {self.error}" if self.error else f"{self.url} -> {self.path}"


def fetch(urls, into, limit: int = FEED_LIMIT, timeout: float = TIMEOUT, max_bytes: int = MAX_BYTES,
          report=lambda fetched: None, deadline: float | None = None) -> list[Fetched]:
    """Fetch each URL into the folder ``into``; feeds bring up to ``limit`` of their entries' pages.
    ``report(fetched)`` is called as each one ends (for a progress line). Each address is fetched once,
    however often it is given or linked (``page`` and ``page#part`` are one address)."""
    if limit < 0:
        raise ValueError(f"limit must be 0 or more (pages fetched per feed), not {limit}")
    into, done = Path(into), []
    # Page key -> its saved file, under the address given and where its redirects led: a redirect to a page
    # fetched already (or the page itself after its redirect) is not saved twice, so not indexed twice.
    seen: dict[str, Path | None] = {}

    def one(url: str) -> Fetched | None:
        key = _key(url)
        if key in seen:
            return None
        seen[key] = None
        result = fetch_one(url, into, timeout, max_bytes, deadline, seen)
        seen[key] = result.path
        if result.final_url:
            seen.setdefault(_key(result.final_url), result.path)
        done.append(result)
        report(result)
        return result

    for url in urls:
        result = one(url)
        if result is not None and result.feed:
            links, unread = _feed_pages(result, limit)
            if unread is not None:
                done.append(unread)
                report(unread)
            for link in links:
                one(link)
    return done


def _feed_pages(feed: Fetched, limit: int) -> tuple[list[str], Fetched | None]:
    """Up to ``limit`` pages a saved feed's entries link to, or none and a failed result saying why."""
    try:
        found, why = page_links(feed.path.read_bytes(), feed.final_url or feed.url)
    except OSError as e:
        found, why = [], str(e)
    if why:   # this feed's pages are lost, never the URLs after it nor the build
        return [], Fetched(feed.url, error=f"saved as {feed.path}, but its entries' links could not be read "
                                           f"({why}), so none of their pages was fetched; give the pages' own "
                                           "addresses to fetch them")
    # One entry per page before the limit is counted: a feed linking page and page#x has one.
    links: dict[str, str] = {}
    for link in found:
        links.setdefault(_key(link), _page(link))
    return list(links.values())[:limit], None


def fetch_one(url: str, into: Path, timeout: float = TIMEOUT, max_bytes: int = MAX_BYTES,
              deadline: float | None = None, seen: dict | None = None) -> Fetched:
    """One URL saved under ``into``, or the reason it was not. ``deadline``: seconds for the whole
    download (default ``timeout``), however steadily the server trickles bytes. Saved under the address
    redirects led to (the page's own: fetched directly, it overwrites the same file), unless that page is
    in ``seen`` (page key -> file) with another address."""
    try:
        response = download(url, timeout, timeout if deadline is None else deadline, max_bytes)
        data, suffix, feed = saved_form(response.data, response.kind, response.charset)
    except FetchError as e:
        return Fetched(url, error=str(e))
    if not data.strip():
        return Fetched(url, error="the server sent nothing")
    page = _page(response.url or url)
    if seen is not None and _key(page) != _key(url) and seen.get(_key(page)) is not None:
        return Fetched(url, seen[_key(page)], final_url=response.url, same_as=page)
    if suffix == ".html":
        # The page reader reads this line as ASCII up to a space (corpus/web.py): an address with other
        # letters or a space goes in percent-encoded, as it was sent; any other as it was given.
        record = _sent(page)
        data = f"<!-- saved from url=({len(record):04d}){record} -->\n".encode("utf-8") + data
    path = Path(into) / name_for(page, suffix)
    try:
        write_atomic(path, data)   # a page fetched again replaces its file whole, never half-written
    except OSError as e:  # a full disk or a folder it may not write: this URL's failure, not the others'
        return Fetched(url, error=f"cannot save it to {path}: {e.strerror or e}")
    _drop_old_copy(Path(into) / _old_name(page, suffix), path)
    return Fetched(url, path, feed=feed, final_url=response.url)


def entry_links(feed_path: Path, base: str = "") -> list[str]:
    """The page links of a saved feed's entries, in feed order (corpus/feed_links.py page_links)."""
    return page_links(feed_path.read_bytes(), base)[0]


def name_for(url: str, suffix: str) -> str:
    """``<host>/<path slug>-<hash>.<suffix>``: readable, and one file per page: the hash is of the page's key
    (corpus.urls.url_key: no scheme, www., #part, trailing slash nor tracking parameters), the build's rule
    for one page, so a page fetched again under any of its spellings (``page?utm_source=rss`` one day,
    ``page`` the next; ``café`` or ``caf%C3%A9``) replaces its file instead of being indexed twice."""
    sent = _sent(url)
    parts = urlsplit(sent)
    host = (parts.hostname or "unknown").removeprefix("www.")
    slug = re.sub(r"[^A-Za-z0-9]+", "-", unquote(parts.path)).strip("-")[:80] or "index"
    digest = hashlib.sha256((url_key(sent) or sent).encode()).hexdigest()[:8]
    return f"{host}/{slug}-{digest}{suffix}"


def _old_name(url: str, suffix: str) -> str:
    """The name versions before ``name_for`` hashed the page's key gave the page: the whole URL's hash."""
    parts = urlsplit(url)
    host = (parts.hostname or "unknown").removeprefix("www.")
    slug = re.sub(r"[^A-Za-z0-9]+", "-", parts.path).strip("-")[:80] or "index"
    return f"{host}/{slug}-{hashlib.sha256(url.encode()).hexdigest()[:8]}{suffix}"


def _drop_old_copy(old: Path, new: Path) -> None:
    # The same URL fetched before the names changed: the fresh copy is saved, so the old one would only be
    # indexed twice. A copy that cannot be removed stays; nothing is lost either way.
    if old != new:
        try:
            old.unlink(missing_ok=True)
        except OSError:
            pass


def _sent(url: str) -> str:
    """The address as it goes on the wire (index/fetch_http.request_url), or as given when it cannot go."""
    try:
        return request_url(url)
    except FetchError:
        return url


def _key(url: str) -> str:
    # The build's rule for one page (no #part, www., utm_* ...), on the address as sent: café is caf%C3%A9.
    return url_key(_sent(url)) or _page(url)


def _page(url: str) -> str:
    """The address without its #fragment: the part a server never sees, so the same page."""
    return urldefrag(url.strip()).url
