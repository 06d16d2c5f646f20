"""URLs as the corpus reads them: parsed without raising, the outlet a URL names, and the key by
which two links count as one page (a feed's entry and the saved page it links to).

>>> outlet_from_url("https://www.usatoday.com/story/x/"), url_key("https://www.usatoday.com/story/x/?utm_source=rss")
('usatoday.com', 'usatoday.com/story/x')
"""
from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

_DEFAULT_PORTS = {"http": 80, "https": 443}  # written or not, the same server
_TRACKING = re.compile(r"(?:utm_[a-z]+|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|ocid|cmpid)(?:=|$)", re.I)


def split_url(url: str | None):
    """urllib's SplitResult of the (stripped) URL, or None for none or one urllib refuses ("http://[x")."""
    if not url:
        return None
    try:
        return urlsplit(url.strip())
    except ValueError:
        return None


def outlet_from_url(url: str) -> str | None:
    """The outlet a URL names: its host without "www.".

    >>> outlet_from_url("https://www.usatoday.com/story/x/"), outlet_from_url("not a url")
    ('usatoday.com', None)
    """
    parts = split_url(url)
    host = parts.hostname if parts else None
    if not host or "." not in host:
        return None
    return host[4:] if host.startswith("www.") else host


def url_key(url: str | None) -> str | None:
    """A URL as compared between feeds and pages: no scheme, "www.", fragment, trailing slash, nor the
    tracking parameters feeds add to their links (utm_*, fbclid, gclid ...: they name no other page).

    A port other than the scheme's default stays: another port is another server (two local test
    servers, h:8001 and h:8002), so neither fetch nor the feed/page matching may take one for the other.

    >>> url_key("https://www.G.example/a/?x=1#top") == url_key("http://g.example/a?utm_source=rss&x=1")
    True
    >>> url_key("http://h.example:8001/a"), url_key("http://h.example:80/a"), url_key("https://h.example:443/a")
    ('h.example:8001/a', 'h.example/a', 'h.example/a')

    A path percent-encoded (as fetch sends and saves a non-ASCII address) is the path written plainly, and an
    IDNA host its Unicode name: a feed's link to "/café" and the page saved from "/caf%C3%A9" are one page.

    >>> url_key("https://xn--bcher-kva.example/caf%C3%A9") == url_key("https://bücher.example/café")
    True
    """
    parts = split_url(url)
    if parts is None:
        return None
    host = _unicode_host((parts.hostname or "").removeprefix("www."))
    try:
        port = parts.port
    except ValueError:  # "h:abc" or out of range: no server to tell apart; the host alone, as before
        port = None
    if host and port is not None and port != _DEFAULT_PORTS.get(parts.scheme.lower()):
        host = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"  # an IPv6 host keeps its brackets
    kept = [p for p in parts.query.split("&") if p and not _TRACKING.match(p)]
    query = f"?{'&'.join(kept)}" if kept else ""
    return f"{host}{unquote(parts.path).rstrip('/')}{query}" if host else None


def _unicode_host(host: str) -> str:
    try:
        return host.encode("ascii").decode("idna") if "xn--" in host else host
    except UnicodeError:   # not valid IDNA: compared as written
        return host
