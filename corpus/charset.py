"""A file's bytes as text: plain files as UTF-8 (or UTF-16 with its mark), saved pages by the character
set they declare.

`decode_file`: UTF-8, or UTF-16 after a byte-order mark; bad bytes become U+FFFD and are counted in
a problem; binary files (by their leading bytes, or many NULs) are None.

`decode_page`: trafilatura decodes UTF-8 itself; other bytes it hands to a detector that guesses, and a guess can
garble a whole page ("café" as "cafķ") without a word. Here the page's own declaration decides
(`<meta charset>`, the http-equiv form, an XHTML `<?xml encoding>`); an undeclared page that is
UTF-8 but for a few bytes stays UTF-8, a Latin-script one is Windows-1252 (what browsers assume), any
other is what the detector finds (Cyrillic, CJK ...). Anything replaced, assumed or detected is said.

>>> decode_page("<p>café</p>".encode("utf-8"))
('<p>café</p>', None)
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
# Leading bytes of common non-text files that end up in news folders (index/fetch_kinds.py names them).
BINARY = ((b"PK\x03\x04", "a ZIP archive (or Office document)"), (b"\x89PNG", "a PNG image"),
          (b"\x1f\x8b", "gzip-compressed data"), (b"GIF8", "a GIF image"), (b"\xff\xd8\xff", "a JPEG image"),
          (b"7z\xbc\xaf", "a 7-Zip archive"), (b"Rar!", "a RAR archive"), (b"\xd0\xcf\x11\xe0", "an Office file"),
          (b"BZh", "bzip2-compressed data"), (b"\xfd7zXZ", "xz-compressed data"), (b"RIFF", "a RIFF image or sound"))
MAGIC = (b"%PDF",) + tuple(magic for magic, _ in BINARY)   # a PDF is read, but not as text
ESCAPED = re.compile("[\udc80-\udcff]")   # what surrogateescape makes of each byte that is not UTF-8

# UTF-32 before UTF-16: FF FE 00 00 starts with the UTF-16 mark.
BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def bom_codec(data: bytes) -> str | None:
    """The UTF-16/32 codec the data's byte-order mark names, if any (UTF-8's mark is read by utf-8-sig)."""
    return next((codec for bom, codec in BOMS if data.startswith(bom)), None)


# Control bytes no text file holds (tab, line and page breaks, CR and ESC aside): random or compressed data
# has about 11 % of them, text none. UTF-16/32 without a mark shows as NULs, counted apart.
_CONTROLS = bytes([*range(1, 9), *range(14, 27), *range(28, 32), 127])


def binary(data: bytes) -> bool:
    """Whether the data is no text: a known binary mark, or without a UTF-16/32 mark many NUL bytes or
    over 5 % control bytes (the one rule for the folder reader and for fetch, so fetch never saves what the
    reader will skip).

    >>> binary(bytes(range(256)) * 8), binary("Ça va. Tab\\there.\\r\\n".encode() * 50)
    (True, False)
    """
    head = data[:SNIFF]
    if head.startswith(MAGIC):
        return True
    controls = len(head) - len(head.translate(None, delete=_CONTROLS))
    return bom_codec(head) is None and (head.count(0) > len(head) // 10 or controls > len(head) // 20)


HEAD = 4096   # the declaration must come early in the page (HTML says within the first 1024 bytes)
_DECLARED = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)"""
                       rb"""|<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.I)   # or an XHTML prolog
DEFAULT = "windows-1252"


def decode_file(source: SourceFile, data: bytes, keep_bytes: bool = False) -> tuple[str | bytes | None, list]:
    """(text, problems), text None for a binary file.
    keep_bytes: the bytes themselves once they are known not to be binary (the reader decodes)."""
    if codec := bom_codec(data):
        text, bad = _counted(data, codec)
        return text, [Problem(source.key, DEGRADED, f"{bad} {codec.upper()} code unit(s) were not valid and were "
                              "replaced with '\ufffd'; save the file again")] if bad else []
    if binary(data):
        return None, []
    if keep_bytes:
        return data, []
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        pass
    text, bad = _counted(data, "utf-8-sig")
    return text, [Problem(source.key, DEGRADED, f"{bad} byte(s) were not valid UTF-8 and were replaced "
                          "with '\ufffd'; save the file as UTF-8")]


def decode_page(data: bytes) -> tuple[str, str | None]:
    """(the page's text, what was replaced or guessed: a reason for a DEGRADED problem, or None when it
    was UTF-8 or decoded as declared). Decoded once: trafilatura and htmldate read the text."""
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError:
        pass
    if codec := bom_codec(data):
        return data.decode(codec, errors="replace"), None
    declared = _declared(data[:HEAD])
    if declared is None:
        return _undeclared(data)
    text, bad = _counted(data, declared)
    return text, (f"{bad} byte(s) were not valid {declared}, as the page declares, and were replaced with "
                  "'\ufffd'; save the page again" if bad > 0 else None)


def _undeclared(data: bytes) -> tuple[str, str]:
    """A page naming no character set: UTF-8 with a few stray bytes stays UTF-8; otherwise the detector
    trafilatura uses (charset_normalizer) names it, except that a Latin-script page is read as
    Windows-1252, the web's default, where the detector would pick a cousin (cp1250: "à" as "ŕ")."""
    text, bad = _counted(data, "utf-8")
    high = len(data.translate(None, bytes(range(128))))   # the non-ASCII bytes (ASCII deleted), counted in C
    if bad <= max(2, high // 20):   # most non-ASCII bytes made sense as UTF-8
        return text, f"{bad} byte(s) were not valid UTF-8 and were replaced with '\ufffd'; save the page again"
    from charset_normalizer import from_bytes
    best = from_bytes(data[:5000] + data[-5000:] if len(data) > 10000 else data).best()   # sampled, as trafilatura
    latin = best is None or all("Latin" in a or "Punctuation" in a or "Symbols" in a for a in best.alphabets)
    codec = DEFAULT if latin else best.encoding
    return data.decode(codec, errors="replace"), (
        f"the page declares no character set and is not UTF-8: read as {codec}"
        f"{', the web default for Latin script' if latin else ' (detected)'}; if letters look wrong, save the "
        "page again as UTF-8 or with a <meta charset>")


def _counted(data: bytes, codec: str) -> tuple[str, int]:
    """The text, bad bytes as U+FFFD, and how many were replaced (a U+FFFD the text itself holds is not)."""
    text = data.decode(codec, errors="replace")
    return text, text.count("\ufffd") - data.decode(codec, errors="ignore").count("\ufffd")


def _declared(head: bytes) -> str | None:
    m = _DECLARED.search(head)
    return codec_name((m[1] or m[2]).decode("ascii", "replace")) if m else None


def codec_name(label: str | None) -> str | None:
    """Python's codec for a character set label (a page's or a server's), None if it knows none.
    Browsers read Latin-1 and ASCII labels as Windows-1252 (curly quotes, dashes, €), and so do we.

    >>> codec_name("ISO-8859-1"), codec_name("utf8"), codec_name("klingon")
    ('windows-1252', 'utf-8', None)
    """
    try:
        name = codecs.lookup(label).name if label else None
    except LookupError:
        return None
    return DEFAULT if name in ("iso8859-1", "ascii") else name
