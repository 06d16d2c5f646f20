"""HTML fragments inside records (a feed's description, WordPress's ``rendered``, a JSON ``content``
string holding ``<p>…</p>``) turned into plain text, one paragraph per block element.

A record's text field is stripped only when it is clearly HTML (``looks_like_html``): plain text that
mentions "<b>" or "x < y" stays as written, and so do its entities ("AT&amp;T" in plain text is what
the writer typed).

>>> looks_like_html("<p>Rain <b>fell</b> &amp; stopped.</p>"), looks_like_html("Press <b> for bold; x < y")
(True, False)
>>> strip_markup("<p>Rain <b>fell</b> &amp; stopped.</p><p>Then sun.</p>")
'Rain fell & stopped.\\n\\nThen sun.'
"""
from __future__ import annotations

import html
import re

_BLOCKS = ("p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "pre", "figure")
_ELEMENTS = (r"p|div|span|a|b|i|u|em|strong|li|ul|ol|h[1-6]|blockquote|figure|figcaption|table|tr|td|th|pre"
             r"|section|article|header|footer|sup|sub|small|cite|q|code")
# A closing tag of a common element ("</p>", "</b>"): text does not write these by chance. An opening tag
# alone is not enough: "press <b> for bold", or security news quoting "<img src=x onerror=alert(1)>" (one
# tag, stripped, lost the very thing the story is about). Paragraph, break, rule and image tags have no
# closing tag, so two or more of them count ("One<br>two<br>three").
_CLOSING = re.compile(rf"</(?:{_ELEMENTS})\s*>", re.I)
_VOID = re.compile(r"<(?:p|br|hr|img)\b[^<>]*>", re.I)


def looks_like_html(text: str) -> bool:
    """Whether a plain string value is HTML markup rather than text.

    >>> looks_like_html("A comment holding <img src=x onerror=alert(1)> ran code."), looks_like_html("a<br>b<br>c")
    (False, True)
    >>> looks_like_html('<img src="https://x.example/a.jpg">Storm hits the coast.')   # a CMS's lead image
    True
    """
    if "<" not in text:
        return False
    starts = _VOID.match(text.lstrip()) is not None   # markup opening the value: an export, not a quotation
    return starts or _CLOSING.search(text) is not None or len(_VOID.findall(text)) >= 2


def strip_markup(fragment: str) -> str:
    """The text of an HTML fragment, one paragraph per block element, entities decoded.

    >>> strip_markup("<p>One <b>bold</b>&amp;more.</p><p>Two<br>three</p>x")
    'One bold&more.\\n\\nTwo\\n\\nthree\\n\\nx'
    >>> strip_markup("AT&amp;T&#8217;s 5&#8211;2") == "AT&T\u2019s 5\u20132"  # no tag: entities still decoded
    True
    """
    if "<" not in fragment:
        return html.unescape(fragment).strip()
    import lxml.html
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except Exception:  # lxml refuses some fragments (only comments, control bytes): keep them as text
        return html.unescape(fragment).strip()
    for el in root.iter(*_BLOCKS):
        el.tail = "\n\n" + (el.tail or "")
    paras = (" ".join(p.split()) for p in root.text_content().split("\n\n"))
    return "\n\n".join(p for p in paras if p)
