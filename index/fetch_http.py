"""One HTTP(S) download for ``index.fetch``: the bytes, their content type and character set, or why not.

Bounded every way a server can stall or flood us: a timeout on connecting and on each read, an overall
deadline for the whole body (a server dripping a few bytes a second would otherwise keep one URL going
for minutes), a size cap, and redirects followed only to http(s) addresses.

>>> download("ftp://127.0.0.1/x", 1, 1, 10)
Traceback (most recent call last):
index.fetch_http.FetchError: not an http(s) address; give a link starting with https://
"""
from __future__ import annotations

import http.client
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlsplit

from corpus.urls import split_url

USER_AGENT = "news-search-fetch/1.0 (local news search tool; fetches only the URLs its user gives)"
CHUNK = 64 * 1024
_SCHEMES = ("http", "https")
NOT_HTTP = "not an http(s) address; give a link starting with https://"


class FetchError(Exception):
    """Why one URL was not saved: one line, shown to the user as it is."""


@dataclass(frozen=True)
class Response:
    data: bytes
    kind: str            # the media type ("text/html"); "" when the server named none
    charset: str | None  # the Content-Type's charset parameter, lower case
    url: str             # where redirects led: a feed's relative links resolve against it


class _HttpOnlyRedirects(urllib.request.HTTPRedirectHandler):
    # urllib follows redirects to ftp:// too; the user gave an http(s) address and only those are fetched.
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if urlsplit(newurl).scheme not in _SCHEMES:
            fp.close()
            raise FetchError(f"redirected to {newurl}, not an http(s) address; not followed")
        # urllib's own refusal of these is a three-line HTTPError; said here first, in one line.
        visited = getattr(req, "redirect_dict", {})
        if visited.get(newurl, 0) >= self.max_repeats:
            fp.close()
            raise FetchError(f"redirect loop: the redirects keep coming back to {newurl}; not followed")
        if len(visited) >= self.max_redirections:
            fp.close()
            raise FetchError(f"too many redirects (more than {self.max_redirections}), the last to {newurl}; "
                             f"not followed")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


_OPENER = urllib.request.build_opener(_HttpOnlyRedirects)


def download(url: str, timeout: float, deadline: float, max_bytes: int) -> Response:
    """The response to GET ``url``; FetchError(reason) for anything that is not a whole 2xx body."""
    parts = split_url(url)  # None for one urllib refuses, such as "http://[bad"
    if parts is None or parts.scheme not in _SCHEMES:
        raise FetchError(NOT_HTTP)
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "*/*"})
    end = time.monotonic() + deadline
    try:
        with _OPENER.open(request, timeout=min(timeout, deadline)) as response:
            headers = response.headers
            length = headers.get("Content-Length", "")
            if length.isdigit() and int(length) > max_bytes:  # refused before a byte of the body is read
                raise FetchError(f"larger than {max_bytes:,} bytes; not saved")
            data = _read(response, end, deadline, max_bytes)
            kind = headers.get_content_type() if headers.get("Content-Type") else ""
            return Response(data, kind, headers.get_content_charset(), response.geturl())
    except urllib.error.HTTPError as e:  # before URLError: it is one
        e.close()
        raise FetchError(" ".join(f"HTTP {e.code} {e.reason}".split())) from None  # a server's reason: one line
    except urllib.error.URLError as e:
        if isinstance(e.reason, TimeoutError):  # connecting timed out
            raise FetchError(f"timed out: no answer within {min(timeout, deadline):g} s") from None
        raise FetchError(f"cannot reach it: {e.reason}") from None
    except TimeoutError:
        raise FetchError(f"timed out: nothing arrived for {min(timeout, deadline):g} s") from None
    # A reset, a malformed URL, a server that breaks HTTP (bad status line, body cut short).
    except (OSError, ValueError, http.client.HTTPException) as e:
        raise FetchError(f"failed: {type(e).__name__}: {e}") from None


def _read(response, end: float, deadline: float, max_bytes: int) -> bytes:
    """The body, up to one byte past ``max_bytes``, given up on once ``end`` (monotonic) has passed."""
    chunks, size = [], 0
    while size <= max_bytes:
        # The socket timeout bounds each read only; this bounds them all (at most one read timeout late).
        if time.monotonic() > end:
            raise FetchError(f"timed out: the page did not arrive whole within {deadline:g} s")
        chunk = response.read1(min(CHUNK, max_bytes + 1 - size))  # what has arrived, not a full CHUNK
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    if size > max_bytes:
        raise FetchError(f"larger than {max_bytes:,} bytes; not saved")
    return b"".join(chunks)
