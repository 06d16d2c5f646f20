"""A saved page's bytes as text, by the character set the page declares.

trafilatura decodes UTF-8 itself; other bytes it hands to a detector that guesses, and a guess can
garble a whole page ("café" as "cafķ") without a word. Here the page's own declaration decides
(`<meta charset>`, or the http-equiv form), else Windows-1252, which browsers take for an
undeclared page that is not UTF-8. Anything replaced, or read by that default, is said.

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

HEAD = 4096   # the declaration must come early in the page (HTML says within the first 1024 bytes)
_DECLARED = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
DEFAULT = "windows-1252"


def decode_page(data: bytes) -> tuple[str | bytes, str | None]:
    """(the page, None) when it is UTF-8 (trafilatura reads those bytes itself), else (its text, what
    was replaced or assumed: a reason for a DEGRADED problem, or None when it decoded cleanly)."""
    try:
        data.decode("utf-8")
        return data, None
    except UnicodeDecodeError:
        pass
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), None
    declared = _declared(data[:HEAD])
    if declared is None:
        text = data.decode(DEFAULT, errors="replace")
        return text, ("the page declares no character set and is not UTF-8: read as Windows-1252, the web's "
                      "default; if letters look wrong, save the page again as UTF-8")
    text = data.decode(declared, errors="replace")
    bad = text.count("\ufffd") - data.decode(declared, errors="ignore").count("\ufffd")  # the page's own kept
    return text, (f"{bad} byte(s) were not valid {declared}, as the page declares, and were replaced with "
                  "'\ufffd'; save the page again" if bad > 0 else None)


def _declared(head: bytes) -> str | None:
    """The codec the page names, if Python knows it (an unknown name counts as none)."""
    m = _DECLARED.search(head)
    if not m:
        return None
    try:
        name = codecs.lookup(m[1].decode("ascii")).name
    except (LookupError, UnicodeDecodeError):
        return None
    # Browsers read pages labelled Latin-1 or ASCII as Windows-1252 (curly quotes, dashes, €), and so do we.
    return DEFAULT if name in ("iso8859-1", "ascii") else name
