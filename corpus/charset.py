"""A file's bytes as text: plain files as UTF-8 (or UTF-16 with its mark), saved pages by the character
set they declare.

`decode_file`: UTF-8, or UTF-16 after a byte-order mark; bad bytes become U+FFFD and are counted in
a problem; binary files (by their leading bytes, or many NULs) are None.

`decode_page`: trafilatura decodes UTF-8 itself; other bytes it hands to a detector that guesses, and a guess can
garble a whole page ("café" as "cafķ") without a word. Here the page's own declaration decides
(`<meta charset>`, the http-equiv form, an XHTML `<?xml encoding>`); an undeclared page that is
UTF-8 but for a few bytes stays UTF-8, a Latin-script one is Windows-1252 (what browsers assume), any
other is what the detector finds (Cyrillic, CJK ...). Anything replaced, assumed or detected is said.

>>> decode_page("<p>café</p>".encode("utf-8"))                      # UTF-8: left to trafilatura
(b'<p>caf\\xc3\\xa9</p>', None)
>>> decode_page('<meta charset="iso-8859-1"><p>café</p>'.encode("latin-1"))
('<meta charset="iso-8859-1"><p>café</p>', None)
>>> decode_page("<p>café “quoted”</p>".encode("cp1252"))[0]
'<p>café “quoted”</p>'
"""
from __future__ import annotations

import codecs
import re

from .records import DEGRADED, Problem, SourceFile

SNIFF = 8192
# Leading bytes of common non-text files that end up in news folders.
MAGIC = (b"%PDF", b"PK\x03\x04", b"\x89PNG", b"\x1f\x8b", b"GIF8", b"\xff\xd8\xff",
         b"7z\xbc\xaf", b"Rar!", b"\xd0\xcf\x11\xe0", b"BZh", b"\xfd7zXZ")
ESCAPED = re.compile("[\udc80-\udcff]")   # what surrogateescape makes of each byte that is not UTF-8

HEAD = 4096   # the declaration must come early in the page (HTML says within the first 1024 bytes)
_DECLARED = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)"""
                       rb"""|<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.I)   # or an XHTML prolog
DEFAULT = "windows-1252"


def decode_file(source: SourceFile, data: bytes, keep_bytes: bool = False) -> tuple[str | bytes | None, list]:
    """(text, problems), text None for a binary file.
    keep_bytes: the bytes themselves once they are known not to be binary (the reader decodes)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16", errors="replace")
        bad = text.count("\ufffd") - data.decode("utf-16", errors="ignore").count("\ufffd")
        return text, [Problem(source.key, DEGRADED, f"{bad} UTF-16 code unit(s) were not valid and were replaced "
                              "with '\ufffd'; save the file again")] if bad else []
    head = data[:SNIFF]
    if head.startswith(MAGIC) or head.count(0) > len(head) // 10:
        return None, []
    if keep_bytes:
        return data, []
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        pass
    # surrogateescape maps each bad byte to one lone surrogate, so they can be counted.
    text, bad = ESCAPED.subn("\ufffd", data.decode("utf-8-sig", errors="surrogateescape"))
    return text, [Problem(source.key, DEGRADED, f"{bad} byte(s) were not valid UTF-8 and were replaced "
                          "with '\ufffd'; save the file as UTF-8")]


def decode_page(data: bytes) -> tuple[str | bytes, str | None]:
    """(the page, None) when it is UTF-8 (trafilatura reads those bytes itself), else (its text, what
    was replaced or guessed: a reason for a DEGRADED problem, or None when it decoded as declared)."""
    try:
        data.decode("utf-8")
        return data, None
    except UnicodeDecodeError:
        pass
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), None
    declared = _declared(data[:HEAD])
    if declared is None:
        return _undeclared(data)
    text = data.decode(declared, errors="replace")
    bad = text.count("\ufffd") - data.decode(declared, errors="ignore").count("\ufffd")  # the page's own kept
    return text, (f"{bad} byte(s) were not valid {declared}, as the page declares, and were replaced with "
                  "'\ufffd'; save the page again" if bad > 0 else None)


def _undeclared(data: bytes) -> tuple[str, str]:
    """A page naming no character set: UTF-8 with a few stray bytes stays UTF-8; otherwise the detector
    trafilatura uses (charset_normalizer) names it, except that a Latin-script page is read as
    Windows-1252, the web's default, where the detector would pick a cousin (cp1250: "à" as "ŕ")."""
    text, bad = ESCAPED.subn("\ufffd", data.decode("utf-8", errors="surrogateescape"))
    if bad <= max(2, sum(b > 127 for b in data) // 20):   # most non-ASCII bytes made sense as UTF-8
        return text, f"{bad} byte(s) were not valid UTF-8 and were replaced with '\ufffd'; save the page again"
    from charset_normalizer import from_bytes
    best = from_bytes(data).best()
    latin = best is None or all("Latin" in a or "Punctuation" in a or "Symbols" in a for a in best.alphabets)
    codec = DEFAULT if latin else best.encoding
    return data.decode(codec, errors="replace"), (
        f"the page declares no character set and is not UTF-8: read as {codec}"
        f"{', the web default for Latin script' if latin else ' (detected)'}; if letters look wrong, save the "
        "page again as UTF-8 or with a <meta charset>")


def _declared(head: bytes) -> str | None:
    """The codec the page names, if Python knows it (an unknown name counts as none)."""
    m = _DECLARED.search(head)
    if not m:
        return None
    try:
        name = codecs.lookup((m[1] or m[2]).decode("ascii")).name
    except (LookupError, UnicodeDecodeError):
        return None
    # Browsers read pages labelled Latin-1 or ASCII as Windows-1252 (curly quotes, dashes, €), and so do we.
    return DEFAULT if name in ("iso8859-1", "ascii") else name
