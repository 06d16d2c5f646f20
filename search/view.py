"""Passage cards as HTML: every piece of article text escaped, the answer marked.

Article text is data. Each field is passed through `html.escape` before it
is put into markup, so tags, scripts, markdown and `$...$` show as the
literal characters they are; the only tags in a card are the ones written
here. A link is made only from an http(s) URL.

>>> import datetime as dt
>>> from search.hits import Hit
>>> hit = Hit(rank=1, score=0.5, text="Intro. <b>Rates</b> held.", title="Rates",
...           date=dt.date(2023, 11, 2), source="Money Daily", url="javascript:alert(1)",
...           article_id="a", start=0, end=25)
>>> html = card_html(hit, highlight=(7, 25))
>>> "<mark>&lt;b&gt;Rates&lt;/b&gt; held.</mark>" in html, "javascript" in html and "href" not in html
(True, True)
"""
from __future__ import annotations

import re
from html import escape

from corpus.urls import split_url

# One style block for the page; cards use these classes and nothing else.
CARD_CSS = """<style>
.news-card {border: 1px solid rgba(128,128,128,.35); border-radius: .5rem; padding: .75rem 1rem;
  margin-bottom: .75rem;}
.news-card .head {display: flex; gap: .6rem; align-items: baseline; flex-wrap: wrap;}
.news-card .rank {font-weight: 700; opacity: .7;}
.news-card .title {font-weight: 600; font-size: 1.05rem;}
.news-card .meta {font-size: .85rem; opacity: .8; margin: .15rem 0 .45rem 0;}
.news-card .meta a {word-break: break-all;}
.news-card .derived {font-style: italic; opacity: .7;}
.news-card .also {font-size: .85rem; opacity: .8; margin-top: .45rem;}
.news-card .passage {line-height: 1.5; overflow-wrap: anywhere;}
.news-card .story {font-size: .85rem; opacity: .8; margin-top: .35rem;}
.news-card mark {background: #ffe08a; color: #1a1a1a; padding: 0 .1rem; border-radius: .15rem;}
.news-status {font-size: .85rem; border-collapse: collapse; width: 100%;}
.news-status th {text-align: left; font-weight: 400; opacity: .7; padding: .1rem .6rem .1rem 0; vertical-align: top;
  white-space: nowrap;}
.news-status td {padding: .1rem 0; overflow-wrap: anywhere;}
</style>"""

_PARAGRAPH = re.compile(r"\n[ \t]*\n\s*")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~<>$:&=])")
_LINE = re.compile(r"[ \t]*\n[ \t]*")


def safe_url(url: str | None) -> str | None:
    """The URL if it is a plain http(s) link with a host, else None (shown as text, not linked).

    >>> safe_url("https://money.example/rates"), safe_url("javascript:alert(1)"), safe_url("//x")
    ('https://money.example/rates', None, None)
    """
    parts = split_url(url)
    if parts is None:
        return None
    return url.strip() if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def markdown_literal(text: str) -> str:
    r"""Text for a markdown-rendering message (st.error, st.info, captions): every markdown sign backslashed.

    Messages carry folder and file names, which are data too.

    >>> print(markdown_literal("no index at /tmp/[a](x) $y$"))
    no index at /tmp/\[a\]\(x\) \$y\$
    """
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def text_html(text: str) -> str:
    """Escaped text; a blank line becomes a paragraph break, a single line break a space.

    >>> text_html("a <i>\\n b\\n\\n$x$")
    'a &lt;i&gt; b<br><br>$x$'
    """
    escaped = escape(text, quote=True)
    return _LINE.sub(" ", _PARAGRAPH.sub("<br><br>", escaped))


def highlighted_html(text: str, start: int, end: int) -> str:
    """The text escaped, with text[start:end] wrapped in <mark> (no mark for an empty span).

    >>> highlighted_html("One. <Two>. Three.", 5, 11)
    'One. <mark>&lt;Two&gt;.</mark> Three.'
    """
    start, end = max(0, min(start, len(text))), max(0, min(end, len(text)))
    if start >= end:
        return text_html(text)
    return (text_html(text[:start]) + "<mark>" + text_html(text[start:end]) + "</mark>"
            + text_html(text[end:]))


_TAIL = re.compile(r"\s+(?:\||-|–|—)\s+([^|–—]{2,40})$")   # "Title | CNN Business", "Title - Coast Courier"
_SUFFIXES = frozenset("com org net co uk us au ca ie nz in de fr gov edu news io info www example".split())


# A field the reader did not write but the corpus reader derived (corpus/records.py Article.derived).
DERIVED = {"title": "title from first sentence", "date": "date from the address or file properties",
           "source": "outlet from the web address"}


def derived_note(field: str, derived) -> str:
    """" (how it was derived)" when `field` is among the `derived` fields, else "".

    >>> derived_note("date", ("title", "date")), derived_note("source", ("title",))
    (' (date from the address or file properties)', '')
    """
    return f" ({DERIVED[field]})" if field in derived else ""


def byline(date_label: str, source: str | None, title: str, derived) -> str:
    """"date · outlet · title" as the command lines print a hit or a timeline entry, derived fields said.

    >>> byline("2024-03-05", "g.example", "Rain", ("source",))
    '2024-03-05 · g.example (outlet from the web address) · Rain'
    """
    return (f"{date_label}{derived_note('date', derived)} · {source or 'unknown outlet'}"
            f"{derived_note('source', derived)} · {shown_title(title, source)}{derived_note('title', derived)}")


def shown_title(title: str | None, source: str | None) -> str:
    """The title without a tail naming its own outlet, which the card and the timeline show beside it:
    "… | CNN Business" from cnn.com, "… | The Week" from theweek.co.uk. Any other tail stays.

    >>> shown_title("Rates held | CNN Business", "cnn.com"), shown_title("Trump trial | Day 3", "cnn.com")
    ('Rates held', 'Trump trial | Day 3')
    >>> shown_title("Should tourists go? | The Week", "theweek.co.uk"), shown_title("Flood - Coast Courier", "Coast Courier")
    ('Should tourists go?', 'Flood')
    >>> shown_title("Film review | The Batman", "theweek.co.uk"), shown_title("Rates | CNN ...", "edition.cnn.com")
    ('Film review | The Batman', 'Rates')
    """
    title = title or ""
    tail = _TAIL.search(title)
    if not tail or not source or not tail.start():
        return title
    said, outlet = _letters(tail.group(1)), _letters(_outlet_name(source))
    same = len(said) >= 2 and len(outlet) >= 2 and (said.startswith(outlet) or outlet.startswith(said))
    return title[:tail.start()].rstrip() if same else title


def _outlet_name(source: str) -> str:
    """An outlet's name from a host ("edition.cnn.com" -> "cnn", "theweek.co.uk" -> "theweek")."""
    if " " in source.strip() or "." not in source:
        return source
    labels = [x for x in source.lower().split(".") if x]
    while len(labels) > 1 and labels[-1] in _SUFFIXES:
        labels.pop()
    return labels[-1]


def _letters(name: str) -> str:
    """Lower-case letters and digits, a leading "the" dropped: "The Week" and "theweek" compare."""
    letters = re.sub(r"[^0-9a-z]", "", name.lower())
    return letters[3:] if letters.startswith("the") and len(letters) > 3 else letters


def card_html(hit, highlight: tuple[int, int] | None = None, story: str | None = None) -> str:
    """One passage card: rank, title, outlet, date (or "undated"), link, passage with the answer marked,
    and the story it is part of (`story`: a Story caption, search/stories.py)."""
    title = escape(shown_title(hit.title, hit.source) or "(untitled)", quote=True)
    derived = {f: f' <span class="derived">{escape(derived_note(f, hit.derived).strip())}</span>'
               if f in hit.derived else "" for f in DERIVED}
    meta = [f'<span class="outlet">{escape(hit.source or "unknown outlet", quote=True)}</span>{derived["source"]}',
            f'<span class="date">{escape(hit.date_label, quote=True)}</span>{derived["date"]}']
    url = safe_url(hit.url)
    if url:
        meta.append(f'<a href="{escape(url, quote=True)}" target="_blank" rel="noopener noreferrer">'
                    f'{escape(url, quote=True)}</a>')
    elif hit.url:
        meta.append(f'<span class="url">{escape(hit.url, quote=True)}</span>')
    passage = highlighted_html(hit.text, *highlight) if highlight else text_html(hit.text)
    return (f'<div class="news-card" data-rank="{int(hit.rank)}">'
            f'<div class="head"><span class="rank">#{int(hit.rank)}</span>'
            f'<span class="title">{title}</span>{derived["title"]}</div>'
            f'<div class="meta">{" · ".join(meta)}</div>'
            f'<div class="passage">{passage}</div>{_also_html(getattr(hit, "also", ()))}'
            + (f'<div class="story">{escape(story, quote=True)}</div>' if story else "") + "</div>")


def also_text(also) -> str:
    """The near-duplicates the Searcher folded into a hit ((outlet, date, article id) each), as the card and the
    page's table say them: "Ledger (2024-03-05), unknown outlet (undated)"; "" for none."""
    return ", ".join(f"{source or 'unknown outlet'} ({date or 'undated'})" for source, date, _ in also)


def _also_html(also) -> str:
    return f'<div class="also">Also in: {escape(also_text(also), quote=True)}</div>' if also else ""


def status_html(rows: list[tuple[str, str]]) -> str:
    """(label, value) rows as a small two-column table, every value escaped.

    >>> status_html([("folder", "/tmp/<idx>")])
    '<table class="news-status"><tr><th>folder</th><td>/tmp/&lt;idx&gt;</td></tr></table>'
    """
    body = "".join(f"<tr><th>{escape(label)}</th><td>{escape(value)}</td></tr>" for label, value in rows)
    return f'<table class="news-status">{body}</table>'
