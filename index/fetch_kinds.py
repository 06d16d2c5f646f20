"""What a server sent, and the form ``index.fetch`` saves it in: a suffix the corpus readers know, text as UTF-8.

The suffix picks the reader, so it comes from the bytes first (a PDF labelled application/octet-stream
is still a PDF, a page or feed labelled text/plain still a page or feed; a PNG or a gzip file labelled
text/html is not a page) and from the Content-Type after.
Text in another character set is saved transcoded to UTF-8: the reader (corpus/charset.py) honours a
page's ``<meta charset>`` but never sees the HTTP header, so a page whose only declaration was the
header would otherwise be read as Windows-1252, garbled.

>>> saved_form("<html><title>Мост</title>".encode("cp1251"), "text/html", "windows-1251")
(b'<html><title>\\xd0\\x9c\\xd0\\xbe\\xd1\\x81\\xd1\\x82</title>', '.html', False)
>>> saved_form(b"%PDF-1.4 ...", "application/octet-stream", None)[1:]
('.pdf', False)
>>> saved_form(b"\\x89PNG\\r\\n\\x1a\\n...", "text/html", None)
Traceback (most recent call last):
index.fetch_http.FetchError: the server sent a PNG image (as text/html), not a page, feed or document; not saved
"""
from __future__ import annotations

import codecs
import re

from corpus.charset import BINARY, binary, bom_codec, codec_name
from index.fetch_http import FetchError

_FEED_TYPES = ("rss", "atom", "xml")
# What may come before a document's first element, any number in any order: the XML declaration and other
# processing instructions (<?xml-stylesheet?>, which BBC and WordPress feeds carry), comments, a DOCTYPE
# (with its [internal subset]). Matched one at a time from where the last ended, the DOCTYPE's runs
# possessive (*+): a server's bytes never make it backtrack, however they are built.
_PROLOG_PART = re.compile(rb"\s*(?:<\?.*?\?>|<!--.*?-->|<!doctype\s++([^\s\[>]*+)[^\[>]*+(?:\[[^\]]*+\][^>]*+)?>)",
                          re.S | re.I)
_FEED_ROOT = re.compile(rb"\s*<(?:rss|feed|rdf:RDF)\b")
_HTML_ROOT = re.compile(rb"\s*<(?:html|head|body)\b", re.I)
_XML_ENCODING = re.compile(rb"""^(\s*<\?xml[^>]*?\bencoding\s*=\s*["'])[^"']*""")
_HTML_TYPES = ("text/html", "application/xhtml+xml")
# Only suffixes corpus/readers.py READERS reads.
_SUFFIX = {"application/pdf": ".pdf", "application/x-pdf": ".pdf", "text/plain": ".txt", "text/markdown": ".md",
           "text/x-markdown": ".md", "application/json": ".json", "text/csv": ".csv",
           **dict.fromkeys(("application/x-ndjson", "application/ndjson", "application/jsonl",
                            "application/x-jsonlines", "application/jsonlines"), ".jsonl")}


def saved_form(data: bytes, kind: str, charset: str | None) -> tuple[bytes, str, bool]:
    """(the bytes to save, their suffix, whether it is a feed); FetchError when the readers could not use it."""
    head = data[:4096]
    if head.startswith(b"%PDF"):
        return data, ".pdf", False
    label = f"as {kind}" if kind else "with no content type"
    for magic, what in BINARY:
        if head.startswith(magic):
            raise FetchError(f"the server sent {what} ({label}), not a page, feed or document; not saved")
    if _SUFFIX.get(kind) == ".pdf":  # labelled PDF without its mark: left to the PDF reader to judge
        return data, ".pdf", False
    if binary(data):
        raise FetchError(f"the server sent binary data ({label}), not a page, feed or document; not saved")
    text, transcoded = to_utf8(data, charset)
    head = text[:4096]
    # The bytes say feed or page whatever the label (text/plain, text/html, octet-stream, none); the
    # label decides only what they do not.
    sniffed = sniff(head)
    if not sniffed and kind not in _HTML_TYPES and any(t in kind for t in _FEED_TYPES) \
            and b"<html" not in head.lower():
        sniffed = "feed"  # labelled a feed (or XML): the feed reader judges it, and says so when it is not one
    if sniffed == "feed":
        # Its declaration would still name the old character set, which the feed reader would believe.
        return (_XML_ENCODING.sub(rb"\1utf-8", text, count=1) if transcoded else text), ".xml", True
    if sniffed == "page" or kind in _HTML_TYPES:
        return text, ".html", False
    if kind in _SUFFIX:
        return text, _SUFFIX[kind], False
    raise FetchError(f"the server sent {kind or 'no content type'}, not a page, feed or document the "
                     "readers know; not saved")


def sniff(head: bytes) -> str:
    """"feed" or "page" by the document's first element (an HTML DOCTYPE is a page), past what may precede it;
    "" when the bytes do not say.

    >>> sniff(b'<?xml version="1.0"?>\\n<?xml-stylesheet href="/rss.xsl"?><!-- hi --><!DOCTYPE rss><rss>')
    'feed'
    >>> sniff(b'<?xml version="1.0"?><!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0//EN" "x.dtd"><HTML>'), sniff(b"a <b>")
    ('page', '')
    """
    at, doctype = 0, b""
    while part := _PROLOG_PART.match(head, at):
        at, doctype = part.end(), part[1] or doctype
    if _FEED_ROOT.match(head, at):
        return "feed"
    return "page" if doctype.lower() == b"html" or _HTML_ROOT.match(head, at) else ""


def to_utf8(data: bytes, charset: str | None) -> tuple[bytes, bool]:
    """(the text as UTF-8, whether it was transcoded): by its byte-order mark, else by the ``charset`` the
    server named when the bytes are not UTF-8 already. Bytes that are not valid become U+FFFD.

    >>> to_utf8("café".encode("utf-16"), None)
    (b'caf\\xc3\\xa9', True)
    >>> to_utf8("café".encode("utf-8"), "windows-1251")  # already UTF-8, whatever the header says
    (b'caf\\xc3\\xa9', False)
    """
    if codec := bom_codec(data):
        return data.decode(codec, errors="replace").encode("utf-8"), True
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8):], True  # bytes left as they are: the reader reports bad ones
    codec = codec_name(charset)
    # Not for UTF-8 itself: its bad bytes are left for the reader to count and report.
    if codec is None or codec == "utf-8" or _is_utf8(data):
        return data, False
    return data.decode(codec, errors="replace").encode("utf-8"), True


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True
