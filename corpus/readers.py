"""One reader per file format: ``reader(text, source) -> (articles, problems)``.

Readers never raise for bad content: what they cannot use becomes a Problem.

>>> from corpus.records import SourceFile
>>> arts, probs = read_txt("Title: Rain\\nDate: 2023-06-01\\n\\nIt rained.", SourceFile("a.txt", "/c/a.txt"))
>>> arts[0].title, str(arts[0].date), arts[0].text, probs
('Rain', '2023-06-01', 'It rained.', [])
"""
from __future__ import annotations

import csv
import dataclasses
import io
import json

from .fields import ALIASES, canonical, make_article, pick
from .feeds import SUFFIXES as FEED_SUFFIXES, read_feed
from .front_matter import read_md, read_txt
from .json_records import collection, has_text_field, loads, no_text_field
from .pdf import read_pdf
from .web import read_html
from .records import DEGRADED, SKIPPED, Article, Problem, SourceFile

Result = tuple[list[Article], list[Problem]]
SHOW_MAX = 10  # record numbers listed in one problem before "… and N more"
_SEPARATORS = (",", ";", "\t")


def _as_str(data: str | bytes) -> str:
    return data.decode("utf-8-sig", errors="replace") if isinstance(data, bytes) else data


def read_json(data: str | bytes, source: SourceFile) -> Result:
    """One object, a list of objects, or an object holding its list under articles/items/data/results."""
    try:
        doc = loads(_as_str(data))
    except json.JSONDecodeError as e:
        # Some of json's messages end in "at" ("Unterminated string starting at"): said once, not "at at".
        return [], [Problem(source.key, SKIPPED, f"invalid JSON: {e.msg.removesuffix(' at')} at line {e.lineno} "
                            f"column {e.colno}; fix it there (a missing comma, quote or bracket) or export it again")]
    if isinstance(doc, dict):
        if (found := collection(doc)) is None:
            return _single(doc, source)
        doc = found
    if not isinstance(doc, list):
        return [], [Problem(source.key, SKIPPED, f"JSON holds a {type(doc).__name__}; "
                            "expected an object or a list of objects")]
    return _skipped_if_none(*_records(enumerate(doc, 1), source, "item"))


def read_jsonl(data: str | bytes, source: SourceFile) -> Result:
    """One JSON object per line; bad lines are skipped and listed in one problem."""
    rows, bad = [], []
    for n, line in enumerate(_as_str(data).split("\n"), 1):
        if not line.strip():
            continue
        try:
            rows.append((n, loads(line)))
        # ValueError: also a number of over 4300 digits; one line nested too deeply costs only that line
        except (ValueError, RecursionError):
            bad.append(n)
    articles, problems = _records(rows, source, "line")
    if bad:
        problems.insert(0, _listed(source, "line", bad, "not valid JSON; skipped"))
    return _skipped_if_none(articles, problems)


def read_csv(data: str | bytes, source: SourceFile) -> Result:
    """A header row naming the fields, then one article per row. The separator is a comma, else a
    semicolon or tab when only that one finds a text column in the header (spreadsheets in many locales)."""
    # Article bodies easily pass the csv module's default 128 KiB field limit.
    csv.field_size_limit(max(csv.field_size_limit(), 2**30))
    text = _as_str(data)
    sep = next((s for s in _SEPARATORS if any(canonical(h) == "text" for h in _csv_header(text, s))), None)
    if sep is None:
        found = ", ".join(repr(h) for h in _csv_header(text, ",")[:SHOW_MAX]) or "none"
        return [], [Problem(source.key, SKIPPED, f"no text column (the header names {found}); call the column "
                            f"holding the article body {' or '.join(ALIASES['text'])}, and separate the columns "
                            "with commas, semicolons or tabs")]
    header, rows, broken, wide = None, [], [], []
    for first, last, fields in _csv_rows(text, sep):
        if header is None or not fields:  # the header; blank lines are no rows (as csv.DictReader)
            header = fields if header is None else header
            continue
        rows.append((len(rows) + 1, dict(zip(header, fields))))
        if last:
            broken.append(f"{len(rows)} (line {first})" if last == first else f"{len(rows)} (lines {first}-{last})")
        if any(f.strip() for f in fields[len(header):]):
            wide.append(len(rows))
    articles, problems = _records(rows, source, "row")
    if wide:
        problems.insert(0, _listed(source, "row", wide, "with more fields than the header, the extra ones "
                                   "dropped (quote fields holding the separator)"))
    if broken:
        problems.insert(0, _listed(source, "row", broken, "with unbalanced quotes, read up to the next quote "
                                   "(rows in between are in its text; fix the quotes)"))
    return _skipped_if_none(articles, problems)


def _csv_header(text: str, sep: str) -> list[str]:
    try:
        return next(csv.reader(io.StringIO(text, newline=""), delimiter=sep), [])
    except csv.Error:
        return []


def _csv_rows(text: str, sep: str):
    """(first line, last line if its quotes are broken else None, fields) of every row.

    Strict quoting finds a broken quote, which the csv module would otherwise follow silently over the
    rows after it; that row is then read as the lenient csv module reads it (nothing lost, but reported)
    and strict reading goes on after it."""
    lines = list(io.StringIO(text, newline=""))
    start = 0
    while start < len(lines):
        strict = csv.reader((lines[i] for i in range(start, len(lines))), delimiter=sep, strict=True)
        done = 0
        try:
            for fields in strict:
                yield start + done + 1, None, fields
                done = strict.line_num
            return
        except csv.Error:
            start += done
        lenient = csv.reader((lines[i] for i in range(start, len(lines))), delimiter=sep)
        try:
            fields, used = next(lenient), lenient.line_num
        except csv.Error:  # beyond even the lenient reader: the line alone, as one field
            fields, used = [lines[start]], 1
        yield start + 1, start + used, fields
        start += used


def _single(doc: dict, source: SourceFile) -> Result:
    if not has_text_field(doc):
        return [], [Problem(source.key, SKIPPED, no_text_field([doc]))]
    art, problems = make_article(pick(doc, html=True), id=source.key, file=source.key)
    return ([art] if art else []), problems


def _skipped_if_none(articles: list[Article], problems: list[Problem]) -> Result:
    # A file none of whose records gave an article is skipped (nothing of it indexed), not degraded.
    return articles, (problems if articles else [dataclasses.replace(p, kind=SKIPPED) for p in problems])


def _records(rows, source: SourceFile, unit: str) -> Result:
    """Articles ``key#n`` from numbered records; non-objects and empty texts are listed once each."""
    articles, problems, not_objects, empty, unnamed = [], [], [], [], {}
    for n, record in rows:
        if not isinstance(record, dict):
            not_objects.append(n)
            continue
        if not has_text_field(record):  # said apart from an empty text: the user must rename a field
            unnamed[n] = record
            continue
        art, more = make_article(pick(record, html=True), id=f"{source.key}#{n}", file=source.key,
                                 where=f"{unit} {n}: ")
        if art is None:
            empty.append(n)
        else:
            articles.append(art)
            problems.extend(more)
    if not_objects:
        problems.insert(0, _listed(source, unit, not_objects, "not a JSON object; skipped"))
    if empty:
        problems.append(_listed(source, unit, empty, "no text; skipped"))
    if unnamed:
        what = f"with {no_text_field(list(unnamed.values()))}; skipped"
        problems.append(_listed(source, unit, list(unnamed), what))
    return articles, problems


def _listed(source: SourceFile, unit: str, numbers: list[int], what: str) -> Problem:
    """One DEGRADED problem naming up to SHOW_MAX record numbers.

    >>> str(_listed(SourceFile("a.jsonl", ""), "line", list(range(1, 14)), "bad"))
    'a.jsonl: degraded: 13 lines bad: 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 and 3 more'
    """
    shown = ", ".join(map(str, numbers[:SHOW_MAX]))
    more = f" and {len(numbers) - SHOW_MAX} more" if len(numbers) > SHOW_MAX else ""
    label = unit if len(numbers) == 1 else unit + "s"
    return Problem(source.key, DEGRADED, f"{len(numbers)} {label} {what}: {shown}{more}")


READERS = {".txt": read_txt, ".md": read_md, ".html": read_html, ".htm": read_html,
           ".json": read_json, ".jsonl": read_jsonl, ".csv": read_csv, ".pdf": read_pdf,
           **{suffix: read_feed for suffix in FEED_SUFFIXES}}
# These readers get the file's bytes: PDF is binary; pages and feeds declare their own encoding
# (<meta charset>, <?xml encoding?>), which their parsers honour and a UTF-8 decode would not.
BYTES_READERS = {".pdf", ".html", ".htm", *FEED_SUFFIXES}
