"""One HTTP(S) download for ``index.fetch``: the bytes, their content type and character set, or why not.

Bounded every way a server can stall or flood us: a timeout on connecting and on each read, an overall
deadline for the whole body (a server dripping a few bytes a second would otherwise keep one URL going
for minutes), a size cap (on the bytes sent, and again on them decompressed when the server compressed
them for the transfer: a small gzip body can inflate a thousandfold), and redirects followed only to
http(s) addresses. An address with non-ASCII letters is sent as browsers send it (``request_url``).

>>> download("ftp://127.0.0.1/x", 1, 1, 10)
Traceback (most recent call last):
index.fetch_http.FetchError: not an http(s) address; give a link starting with https://
"""
from __future__ import annotations

import http.client
import re
import string
import time
import urllib.error
import urllib.request
import zlib
from dataclasses import dataclass
from urllib.parse import quote, urlsplit, urlunsplit

from corpus.urls import split_url

USER_AGENT = "news-search-fetch/1.0 (local news search tool; fetches only the URLs its user gives)"
CHUNK = 64 * 1024
_SCHEMES = ("http", "https")
NOT_HTTP = "not an http(s) address; give a link starting with https://"
# What http.client refuses in a request line besides non-ASCII: spaces and control characters.
_UNSENDABLE = re.compile(r"[\x00-\x20\x7f]")
# Content-Encoding -> zlib window bits to try: gzip; deflate is zlib-wrapped as HTTP says, or raw as some
# servers send it.
_WBITS = {"gzip": (31,), "x-gzip": (31,), "deflate": (15, -15)}


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
    request = urllib.request.Request(request_url(url), headers={"User-Agent": USER_AGENT, "Accept": "*/*"})
    end = time.monotonic() + deadline
    try:
        with _OPENER.open(request, timeout=min(timeout, deadline)) as response:
            headers = response.headers
            length = headers.get("Content-Length", "")
            if length.isdigit() and int(length) > max_bytes:  # refused before a byte of the body is read
                raise FetchError(f"larger than {max_bytes:,} bytes; not saved")
            data = _decoded(_read(response, end, deadline, max_bytes), headers.get("Content-Encoding", ""),
                            max_bytes)
            kind = headers.get_content_type() if headers.get("Content-Type") else ""
            # Not redirected: the address as the caller gave it (café, not the caf%C3%A9 sent), so its
            # results name what it asked for.
            final = response.geturl()
            return Response(data, kind, headers.get_content_charset(),
                            url.strip() if final == request.full_url else final)
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


def request_url(url: str) -> str:
    """``url`` as browsers send it: a host with non-ASCII letters in IDNA (``xn--…``), other non-ASCII
    letters, spaces and control characters percent-encoded as UTF-8, the #part (never sent) left off. An
    address without them is sent as written, so nothing that worked before changes.

    >>> request_url("http://Café.example:8080/nachrichten/brücke?q=größe#top")
    'http://xn--caf-dma.example:8080/nachrichten/br%C3%BCcke?q=gr%C3%B6%C3%9Fe'
    >>> request_url("https://g.example/caf%C3%A9?a=1#x")
    'https://g.example/caf%C3%A9?a=1#x'
    """
    url = url.strip()
    parts = split_url(url)  # None for one urllib refuses, such as "http://[bad"
    if parts is None or parts.scheme not in _SCHEMES:
        raise FetchError(NOT_HTTP)
    if url.isascii() and not _UNSENDABLE.search(url):
        return url
    userinfo, at, hostport = parts.netloc.rpartition("@")
    if not hostport.isascii():  # an IPv6 literal is ASCII: the part after the last ':' here is a port
        host, colon, port = hostport.partition(":")
        try:
            hostport = host.encode("idna").decode("ascii") + colon + port  # the standard library's IDNA 2003
        except UnicodeError:
            raise FetchError(f"{host!r} is not a host name that can be looked up; check the address") from None
    keep = string.punctuation  # reserved characters and existing %XX escapes stay as written
    netloc = quote(userinfo, safe=keep) + at + hostport
    return urlunsplit((parts.scheme, netloc, quote(parts.path, safe=keep), quote(parts.query, safe=keep), ""))


def _decoded(data: bytes, encoding: str, max_bytes: int) -> bytes:
    """The body as it was before the server compressed it for the transfer (Content-Encoding), at most
    ``max_bytes`` of it. A compressed *file* sent as itself has no Content-Encoding and is judged by its
    bytes (index/fetch_kinds.py)."""
    encoding = encoding.strip().lower()
    if encoding in ("", "identity"):
        return data
    if encoding not in _WBITS:
        raise FetchError(f"the server compressed it as {encoding!r}, which is not decoded here (only gzip "
                         "and deflate); not saved")
    for wbits in _WBITS[encoding]:
        try:
            return _inflate(data, wbits, max_bytes, encoding)
        except zlib.error as e:
            error = e
    raise FetchError(f"its {encoding} compression is damaged ({error}); not saved")


def _inflate(data: bytes, wbits: int, max_bytes: int, encoding: str) -> bytes:
    # max_length bounds the output of each step, so a zip bomb costs max_bytes of memory, never more.
    out, size, rest = [], 0, data
    while rest:
        stream = zlib.decompressobj(wbits)
        out.append(stream.decompress(rest, max_bytes + 1 - size))
        size += len(out[-1])
        if size > max_bytes:
            raise FetchError(f"larger than {max_bytes:,} bytes once decompressed (sent {encoding}-compressed, "
                             f"{len(data):,} bytes); not saved")
        if not stream.eof:
            raise FetchError(f"its {encoding}-compressed body ends early (cut short or damaged); not saved")
        # gzip allows several members one after another; what follows a deflate stream is padding.
        rest = stream.unused_data.lstrip(b"\0") if wbits == 31 else b""
    return b"".join(out)


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
