"""One reader per file format: ``reader(text, source) -> (articles, problems)``.

Readers never raise for bad content: what they cannot use becomes a Problem.

>>> from corpus.records import SourceFile
>>> arts, probs = read_txt("Title: Rain\\nDate: 2023-06-01\\n\\nIt rained.", SourceFile("a.txt", "/c/a.txt"))
>>> arts[0].title, str(arts[0].date), arts[0].text, probs
('Rain', '2023-06-01', 'It rained.', [])
"""
from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import replace

from .dates import parse_date
from .fields import canonical, make_article, normalize_text, pick
from .feeds import SUFFIXES as FEED_SUFFIXES, read_feed
from .front_matter import parse_front_matter
from .pdf import read_pdf
from .web import read_html
from .records import DEGRADED, SKIPPED, Article, Problem, SourceFile

Result = tuple[list[Article], list[Problem]]
SHOW_MAX = 10  # record numbers listed in one problem before "… and N more"
# The founding article's own first line: " date 2026-03-05 <body…>".
_DATE_PREFIX = re.compile(r"[ \t]*date[ \t]+(\d{4}-\d{2}-\d{2})(?:[ \t]+|(?=\n)|$)", re.I)
_HEADER_LINE = re.compile(r"([A-Za-z_][\w-]*)[ \t]*:[ \t]*(.*)")
_COLLECTIONS = ("articles", "items", "data")  # keys under which a JSON object holds its list
_SURROGATE = re.compile("[\ud800-\udfff]")  # after json.loads, any left is a lone one


def _as_str(data: str | bytes) -> str:
    return data.decode("utf-8-sig", errors="replace") if isinstance(data, bytes) else data


def _loads(text: str):
    """json.loads, with lone surrogate escapes turned into U+FFFD: they can be neither encoded nor tokenized.

    >>> _loads('["\\\\ud800 x", "\\\\ud83d\\\\ude00"]') == ["\\ufffd x", "\\U0001f600"]
    True
    """
    doc = json.loads(text)
    if "\\ud" in text or "\\uD" in text:  # a rare escape: only then pay for a second pass
        doc = json.loads(_SURROGATE.sub("\ufffd", json.dumps(doc, ensure_ascii=False)))
    return doc


def read_txt(data: str | bytes, source: SourceFile) -> Result:
    """Plain text with optional front matter or a ``Title: …`` header block."""
    text = normalize_text(_as_str(data))
    meta, body, problems = parse_front_matter(text, source.key)
    if meta is None:
        meta, body = _header_block(text)
    fields = pick(meta)
    if m := _DATE_PREFIX.match(body):
        body = body[m.end():]
        if "date" not in fields:
            fields["date"] = ("first line 'date'", m[1])
        elif not _same_date(fields["date"][1], m[1]):
            problems.append(Problem(source.key, DEGRADED, f"first line says date {m[1]} but field "
                                    f"'{fields['date'][0]}' says {fields['date'][1]}; kept the field"))
    fields["text"] = ("text", body)
    return _single(fields, source, problems)


def _same_date(a, b) -> bool:
    try:
        return parse_date(a) == parse_date(b)
    except ValueError:
        return True  # the unreadable field is reported by make_article already


def read_md(data: str | bytes, source: SourceFile) -> Result:
    """Like .txt; a leading ``# Heading`` is the title when no title field is given."""
    articles, problems = read_txt(data, source)
    if articles and articles[0].is_derived("title"):
        art = articles[0]
        if m := re.match(r"#[ \t]+(.+)", art.text):
            derived = tuple(f for f in art.derived if f != "title")
            articles = [replace(art, title=m[1].strip(" #"), derived=derived)]
    return articles, problems


def _header_block(text: str) -> tuple[dict, str]:
    """``Key: value`` lines at the very top, up to the first blank line, if the first is a known key."""
    lines = text.split("\n")
    meta: dict[str, str] = {}
    for i, line in enumerate(lines):
        m = _HEADER_LINE.fullmatch(line.strip())
        if not m or not canonical(m[1]) or canonical(m[1]) == "text":
            # A blank line ends the block; any other line ends it and starts the body.
            end = i + 1 if not line.strip() else i
            return (meta, "\n".join(lines[end:]).strip()) if meta else ({}, text)
        meta[m[1]] = m[2].strip()
    return meta, ""


def read_json(data: str | bytes, source: SourceFile) -> Result:
    """One object, a list of objects, or an object holding its list under articles/items/data."""
    try:
        doc = _loads(_as_str(data))
    except json.JSONDecodeError as e:
        return [], [Problem(source.key, SKIPPED, f"invalid JSON: {e.msg} at line {e.lineno} column {e.colno}")]
    if isinstance(doc, dict):
        inner = {k.lower(): v for k, v in doc.items() if isinstance(k, str)}
        lists = [inner[k] for k in _COLLECTIONS if isinstance(inner.get(k), list)]
        if not lists:
            return _single(pick(doc), source, [])
        doc = lists[0]
    if not isinstance(doc, list):
        return [], [Problem(source.key, SKIPPED, f"JSON holds a {type(doc).__name__}; "
                            "expected an object or a list of objects")]
    return _records(enumerate(doc, 1), source, "item")


def read_jsonl(data: str | bytes, source: SourceFile) -> Result:
    """One JSON object per line; bad lines are skipped and listed in one problem."""
    rows, bad = [], []
    for n, line in enumerate(_as_str(data).split("\n"), 1):
        if not line.strip():
            continue
        try:
            rows.append((n, _loads(line)))
        except (json.JSONDecodeError, RecursionError):  # one line nested too deeply costs only that line
            bad.append(n)
    articles, problems = _records(rows, source, "line")
    if bad:
        problems.insert(0, _listed(source, "line", bad, "not valid JSON; skipped"))
    return articles, problems


def read_csv(data: str | bytes, source: SourceFile) -> Result:
    """A header row naming the fields, then one article per row."""
    # Article bodies easily pass the csv module's default 128 KiB field limit.
    csv.field_size_limit(max(csv.field_size_limit(), 2**30))
    rows = []
    try:
        for n, row in enumerate(csv.DictReader(io.StringIO(_as_str(data), newline="")), 1):
            rows.append((n, {k: v for k, v in row.items() if k is not None}))
    except csv.Error as e:
        articles, problems = _records(rows, source, "row")
        return articles, problems + [Problem(source.key, DEGRADED, f"CSV error after row {len(rows)}: {e}; "
                                              "rest of file skipped")]
    return _records(rows, source, "row")


def _single(fields: dict, source: SourceFile, problems: list[Problem]) -> Result:
    art, more = make_article(fields, id=source.key, file=source.key)
    return ([art] if art else []), problems + more


def _records(rows, source: SourceFile, unit: str) -> Result:
    """Articles ``key#n`` from numbered records; non-objects and empty texts are listed once each."""
    articles, problems, not_objects, empty = [], [], [], []
    for n, record in rows:
        if not isinstance(record, dict):
            not_objects.append(n)
            continue
        art, more = make_article(pick(record), id=f"{source.key}#{n}", file=source.key, where=f"{unit} {n}: ")
        if art is None:
            empty.append(n)
        else:
            articles.append(art)
            problems.extend(more)
    if not_objects:
        problems.insert(0, _listed(source, unit, not_objects, "not a JSON object; skipped"))
    if empty:
        problems.append(_listed(source, unit, empty, "no text; skipped"))
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
