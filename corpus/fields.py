"""Turn one record's raw fields into an ``Article``, the same way for every format.

Every reader finds raw values (a JSON object, front matter, HTML meta tags)
and hands them here, so aliases, date reading, derivation and the problems
they raise are decided in one place.

>>> fields = pick({"Headline": "Rain", "publish_date": "2023/09/25",
...                "url": "https://www.example.com/a", "body": "It rained."})
>>> art, problems = make_article(fields, id="f.json", file="f.json")
>>> art.title, art.date, art.source, art.derived, problems
('Rain', datetime.date(2023, 9, 25), 'example.com', ('source',), [])
"""
from __future__ import annotations

import re

from .dates import parse_date, too_late
from .markup import looks_like_html, strip_markup
from .records import DEGRADED, SKIPPED, Article, Problem
from .surrogates import mend_fields
from .titles import title_from_text
from .urls import outlet_from_url

# Matched ignoring case, spaces, "_" and "-": "published_at", "publishedAt" and a CSV's "Published At"
# are one name. Only names that mean the publication date are dates: a creation or update time is not.
ALIASES = {
    "title": ("title", "headline", "webTitle"),
    "text": ("text", "body", "content", "article", "maintext", "body_text"),
    "date": ("date", "published", "publish_date", "published_at", "published_date", "pub_date",
             "publication_date", "date_published", "webPublicationDate"),
    "source": ("source", "outlet", "publisher", "site_name", "site"),
    "url": ("url", "link", "canonical_url", "webUrl", "article_url", "permalink"),
    "author": ("author", "authors", "byline"),
}
_SEPARATORS = re.compile(r"[\s_-]+")
_CANONICAL = {_SEPARATORS.sub("", alias.lower()): name for name, aliases in ALIASES.items() for alias in aliases}
# Keys naming some other time of the record (created_at, dateModified, updated): never read as its date,
# but named when the record has no publication date, so an undated article says why.
_OTHER_DATE = re.compile(r"(?i:date|time|created|updated|modified|lastmod|edited|crawled|scraped|fetched|indexed)"
                         r"|(?i:[\s_-]at)$|[a-z]At$")
OTHER_DATES = "other dates"  # where pick() lists them: no field name has a space
# Control characters other than tab and newline: terminal escapes (ESC, CSI) must not reach a screen.
_CONTROL = re.compile("[\x01-\x08\x0b-\x1f\x7f-\x9f]")
_CUT = re.compile(r"\s*(?:…|\.\.\.)?\s*\[\+\d+ chars\]\s*$")


def canonical(key: str) -> str | None:
    """The field a raw key stands for, ignoring case and separators: ``canonical("Published At") == "date"``."""
    return _CANONICAL.get(key_name(key))


def key_name(key) -> str:
    """A key as compared: "Published At", "published_at" and "publishedAt" are "publishedat"."""
    return _SEPARATORS.sub("", str(key).lower())


def pick(record: dict, html: bool = False) -> dict[str, tuple[str, object]]:
    """Map each field to (the key it was found under, its value); the first non-empty alias wins. With
    ``html`` (JSON and CSV exports) a text that is HTML markup becomes its text; a .txt header's "<b>" is
    the writer's own. Without a date, other date-like keys are listed for make_article to name.

    >>> pick({"Body": "x", "link": "", "url": "u"})
    {'text': ('Body', 'x'), 'url': ('url', 'u')}
    >>> pick({"content": "<p>A &amp; B</p>", "created_at": "2023-06-01"}, html=True)
    {'text': ('content', 'A & B'), 'other dates': ('', [('created_at', '2023-06-01')])}
    """
    found: dict[str, tuple[str, object]] = {}
    others = []
    for key, value in record.items():
        name = canonical(key) if key is not None else None
        if not name and key is not None and _OTHER_DATE.search(str(key)):
            others.append((str(key), value))
        if not name or name in found:   # unwrapped (an HTML parse for WordPress) only when it is wanted
            continue
        value = _unwrap(value)
        if html and name == "text" and isinstance(value, str) and looks_like_html(value):
            value = strip_markup(value)  # a JSON/CSV "content": "<p>…</p>" is read as WordPress's rendered is
        if not _is_empty(value):
            found[name] = (str(key), value)
    if others and "date" not in found:
        found[OTHER_DATES] = ("", others)
    return found


def _unwrap(value):
    """The value a JSON object stands for: WordPress REST's ``{"rendered": html}`` is that HTML's text,
    NewsAPI's ``{"id": .., "name": "CNN"}`` its name (also in lists: authors). Other objects stay as
    they are, for make_article to report.

    >>> _unwrap({"rendered": "<p>A&amp;B</p>"}), _unwrap([{"name": "Ann"}, "Bo"]), _unwrap({"id": 1})
    ('A&B', ['Ann', 'Bo'], {'id': 1})
    """
    if isinstance(value, dict):
        if isinstance(value.get("rendered"), str):
            return strip_markup(value["rendered"])
        return value["name"] if isinstance(value.get("name"), str) else value
    if isinstance(value, list) and any(isinstance(v, dict) for v in value):
        return [_unwrap(v) for v in value]
    return value


def folded(line: str) -> str:
    """A title or heading as compared: spaces folded, case ignored ("Rain  Falls" is "rain falls")."""
    return " ".join(line.split()).casefold()


def normalize_text(text: str) -> str:
    """BOM, CR line ends and NULs out, other control characters to spaces, outer whitespace trimmed.

    >>> normalize_text("\\ufeff One\\r\\n\\r\\nTwo\\x00 \\x1b[31mred\\n")
    'One\\n\\nTwo [31mred'
    """
    text = text.replace("\ufeff", "").replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    return _CONTROL.sub(" ", text).strip()


def make_article(fields: dict[str, tuple[str, object]], *, id: str, file: str,
                 where: str = "") -> tuple[Article | None, list[Problem]]:
    """Build the article, or None when there is no text. ``where`` names the record in messages."""
    fields, problems = mend_fields(fields, file, where)  # first: one lone surrogate stopped the whole build
    others = fields.get(OTHER_DATES, ("", []))[1]
    fields, dropped = _drop_objects({k: v for k, v in fields.items() if k != OTHER_DATES}, file, where)
    problems += dropped
    text = _as_text(fields.get("text", ("text", ""))[1])
    if not text:
        return None, problems + [Problem(file, SKIPPED, f"{where}no text; add the article body")]
    if cut := _CUT.search(text):   # a news API's excerpt ("… [+2311 chars]"): its mark is no text of the article
        text = text[:cut.start()].rstrip()
        problems.append(Problem(file, DEGRADED, f"{where}text cut off where it came from ('{cut.group().strip()}'):"
                                " only its start is indexed; save the whole article"))
    derived: list[str] = []
    title = _one_line(fields.get("title", ("", ""))[1])
    if not title:
        title, derived = title_from_text(text), derived + ["title"]
    url = _one_line(fields.get("url", ("", ""))[1]) or None
    source = _one_line(fields.get("source", ("", ""))[1]) or None
    if source is None and url and (source := outlet_from_url(url)):
        derived.append("source")
    date, why = _date(fields.get("date"), others)
    if why:
        problems.append(Problem(file, DEGRADED, where + why))
    author = _author(fields.get("author", ("", None))[1])
    return Article(id=id, file=file, text=text, title=title, date=date, source=source,
                   url=url, author=author, derived=tuple(derived)), problems


def _date(found: tuple[str, object] | None, others: list) -> tuple:
    """(The publication date, or None; why it is missing, or None). A date in the future is not trusted."""
    if found is None:
        named = next((key for key, value in others if reads_as_date(value)), None)
        return None, named and (f"no publication date; field '{named}' holds a date but is not read as the "
                                f"publication date, so the article is left undated (rename it to 'date' if "
                                "it is the publication date)")
    key, raw = found
    try:
        date = parse_date(raw)
    except ValueError as e:
        return None, f"field '{key}': {e}; date left unknown"
    late = too_late(date)
    return (None, f"field '{key}': {late}") if late else (date, None)


def reads_as_date(value) -> bool:
    try:
        return parse_date(value) is not None
    except ValueError:
        return False


def _drop_objects(fields: dict, file: str, where: str) -> tuple[dict, list[Problem]]:
    """Fields holding a JSON object that _unwrap could not read: reported and left out, never shown
    as the object's repr ("{'id': 'cnn'}")."""
    kept = {name: found for name, found in fields.items() if not isinstance(found[1], dict)}
    return kept, [Problem(file, DEGRADED, f"{where}field '{key}' holds an object without 'name' or 'rendered'; "
                          "ignored (give the value as text)") for name, (key, _) in fields.items() if name not in kept]


def _is_empty(value) -> bool:
    return value is None or (isinstance(value, (str, list, tuple)) and not any(
        str(v).strip() for v in ([value] if isinstance(value, str) else value)))


def _as_text(value) -> str:
    # Some feeds store the body as a list of paragraphs.
    if isinstance(value, (list, tuple)):
        value = "\n\n".join(str(v) for v in value if v is not None)
    return normalize_text(value) if isinstance(value, str) else ""


def _one_line(value) -> str:
    return " ".join(_CONTROL.sub(" ", str(value)).split()) if value is not None else ""


def _author(value) -> str | None:
    if isinstance(value, (list, tuple)):
        value = ", ".join(name for name in (_one_line(v) for v in value if not isinstance(v, dict)) if name)
    return _one_line(value) or None
