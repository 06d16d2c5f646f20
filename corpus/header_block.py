"""A plain text's header block: ``Key: value`` lines at its top (``Title:``, ``Date:``, ``Source:`` ...),
the way people save an article by hand. Page-metadata keys inside it are skipped; any other line ends it.
"""
from __future__ import annotations

import re

from .fields import canonical, key_name, reads_as_date

_HEADER_LINE = re.compile(r"([A-Za-z_][\w-]*)[ \t]*:[ \t]*(.*)")
# Keys a header block skips (compared without case or separators): names a CMS or static-site export
# writes for the page, never words of a story. Other unknown keys end the block, since "Deaths: 12",
# "Q: …", "Status: contained" or "Summary: …" under a title are the article's own lines. Skipped keys are
# not reported, as YAML front matter's unknown keys are not: they carry nothing of the article.
_PAGE_METADATA = frozenset(("category", "categories", "tags", "tag", "section", "slug", "keywords", "id",
                            "language", "lang", "updated", "modified", "lastmodified", "layout", "image"))


def header_block(text: str) -> tuple[dict, str, str | None]:
    """(``Key: value`` lines at the very top, the body, a note on lines not read) when the first line names
    a field we read; else ({}, text, a note when known keys follow an unknown first line).

    The block runs up to the first line that is neither a field we read nor page metadata (``Category:``,
    ``Tags:`` ... are skipped: a ``Date:`` after them is still read). Any other line ends it and stays text,
    with all after it: a fact box ("Deaths: 12"), a Q&A ("Q: …") or a dateline under the title. A first
    line we do not read ("Note: …") is prose, so the file is text: said when field lines follow it.

    >>> header_block("Title: Rain\\nCategory: Politics\\nDate: 2023-06-01\\n\\nIt rained.")
    ({'Title': 'Rain', 'Category': 'Politics', 'Date': '2023-06-01'}, 'It rained.', None)
    >>> header_block("Title: Toll\\nDeaths: 12\\nSource: County\\n\\nIt rained.")[:2]
    ({'Title': 'Toll'}, 'Deaths: 12\\nSource: County\\n\\nIt rained.')
    >>> header_block("WASHINGTON: The president said so.\\nThen he left.")
    ({}, 'WASHINGTON: The president said so.\\nThen he left.', None)
    """
    lines = text.split("\n")
    first = _HEADER_LINE.fullmatch(lines[0].strip())
    if not first or canonical(first[1]) in (None, "text"):
        return {}, text, _unread_first(lines)
    meta, body = _block(lines, skip=True)
    if not body:  # a header never empties an article: "Title: …" then only "Tags: …" keeps "Tags: …" as text
        plain = _block(lines, skip=False)
        return (plain if plain[1] else (meta, body)) + (None,)
    return meta, body, _pushed(body)


def _block(lines: list[str], skip: bool) -> tuple[dict, str]:
    """(The header's fields, the body): fields we read, and with ``skip`` page metadata, up to the first
    other line; a blank line ending the block is not part of the body."""
    meta: dict[str, str] = {}
    for i, line in enumerate(lines):
        m = _HEADER_LINE.fullmatch(line.strip())
        read = m and canonical(m[1]) not in (None, "text")  # "Body: ..." is the text itself, not a header
        if not read and not (skip and m and key_name(m[1]) in _PAGE_METADATA):
            return meta, "\n".join(lines[i + 1 if not line.strip() else i:]).strip()
        meta[m[1]] = m[2].strip()  # metadata too: pick() names an "Updated:" date when no date is given
    return meta, ""


def _unread_first(lines: list[str]) -> str | None:
    """A note when field lines follow a first line we do not read (they may be a header put second)."""
    first, known = _read_after(lines)
    return (f"the first line ({first}: …) is not a header line we read, so the whole file is text, its "
            f"{', '.join(repr(key) for key, _ in known)} lines too; if they are its header, put them first "
            f"(or remove the {first!r} line)") if known else None


def _pushed(body: str) -> str | None:
    """A note when the header ended at a line we do not read and a date or address line follows it
    ("Description: …" then "Date: 2024-03-04"): that is text now, never silently. A "Source:" after a fact
    box's "Deaths: 12" or a Q&A's "Q:" may be prose, and says nothing."""
    first, known = _read_after(body.split("\n"))
    plain = [key for key, value in known if _looks_read(canonical(key), value)]
    return (f"the header ends at its line {first!r}, which is not one we read, so its "
            f"{', '.join(map(repr, plain))} line(s) after it are read as text; if they are header lines, move them "
            "above it") if plain else None


def _looks_read(field: str, value: str) -> bool:
    return value.startswith(("http://", "https://")) if field == "url" else field == "date" and reads_as_date(value)


def _read_after(lines: list[str]) -> tuple[str, list]:
    """(The first key of the leading run of ``Key: value`` lines, the (key, value) pairs we read in it)."""
    run = []
    for line in lines:
        m = _HEADER_LINE.fullmatch(line.strip())
        if not m or canonical(m[1]) == "text":
            break
        run.append((m[1], m[2].strip()))
    return (run[0][0] if run else ""), [(key, value) for key, value in run if canonical(key)]
