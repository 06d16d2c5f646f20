"""Halves of UTF-16 pairs (lone surrogates) out of every field, for every reader.

An escape can name half of a character: YAML's and JSON's ``"\\ud83d"``, a feed's ``&#55357;``. Python
keeps such a half as a lone surrogate, which no UTF-8 file can hold and no tokenizer takes: one in a
front matter title stopped the whole build (a TypeError in chunking, or a UnicodeEncodeError writing
the index). The two halves of one character (an emoji written as two escapes) are joined into it;
a half alone becomes U+FFFD and is reported, since a character was lost.

>>> mend("Party \\ud83d\\ude00, lone \\ud800 x") == ("Party \\U0001f600, lone \\ufffd x", 1)
True
>>> mend_refs(b"<t>A &#55357;&#56832; &#xD83D; &amp;#55357;&amp;#56832;</t>")
(b'<t>A &#128512; &#65533; &amp;#128512;</t>', [1])
"""
from __future__ import annotations

import re

from .records import DEGRADED, Problem

_SURROGATE = re.compile("[\ud800-\udfff]")
# A numeric character reference, also escaped once more inside an HTML description (&amp;#55357;).
_REF = re.compile(rb"(&(?:amp;)?)#(?:[xX]([0-9a-fA-F]{1,6})|([0-9]{1,7}));")


def mend(text: str) -> tuple[str, int]:
    """(The text with pairs of halves joined and lone halves made U+FFFD, how many were lone)."""
    if not _SURROGATE.search(text):
        return text, 0
    joined = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")
    return _SURROGATE.subn("\ufffd", joined)


def mended(value) -> tuple[object, int]:
    """A raw value (text, or lists and tuples of them: authors) mended; other values as they are."""
    if isinstance(value, str):
        return mend(value)
    if isinstance(value, (list, tuple)):
        parts = [mended(v) for v in value]
        return type(value)(v for v, _ in parts), sum(n for _, n in parts)
    return value, 0


def mend_fields(fields: dict, file: str, where: str = "") -> tuple[dict, list[Problem]]:
    """make_article's fields ``{name: (key, value)}`` mended, with a problem for each that held a lone half."""
    out, problems = {}, []
    for name, found in fields.items():
        (key, value), lone = mended(found)
        out[name] = (key, value)
        if lone and key:  # pick()'s list of other date fields has no key: it is never stored
            problems.append(Problem(file, DEGRADED, f"{where}field '{key}': {lone} lone surrogate escape(s) "
                                    "(half of a UTF-16 pair, such as \\ud800) replaced with U+FFFD; write the "
                                    "character itself, or both halves of its pair"))
    return out, problems


def mend_refs(raw: bytes) -> tuple[bytes, list[int]]:
    """(The feed with each pair of references to the halves of one character joined, ``&#55357;&#56832;``
    → ``&#128512;``, and each lone half made U+FFFD's reference; the lines of the lone ones). The XML
    parser refuses such a reference and feedparser's fallback crashes on it, losing every entry."""
    refs = [(m, int(m[2], 16) if m[2] else int(m[3])) for m in _REF.finditer(raw)]
    refs = [(m, code) for m, code in refs if 0xD800 <= code <= 0xDFFF]
    out, last, lone, i = [], 0, [], 0
    while i < len(refs):
        (m, code), after = refs[i], refs[i + 1] if i + 1 < len(refs) else None
        if code < 0xDC00 and after and after[0].start() == m.end() and after[1] >= 0xDC00:
            code, end, i = 0x10000 + ((code - 0xD800) << 10) + after[1] - 0xDC00, after[0].end(), i + 2
        else:
            code, end, i = 0xFFFD, m.end(), i + 1
            lone.append(raw.count(b"\n", 0, m.start()) + 1)
        out += [raw[last:m.start()], m[1] + b"#%d;" % code]
        last = end
    return b"".join(out + [raw[last:]]) if refs else raw, lone
