""".txt and .md files: YAML front matter (the ``---`` block at the top, read with PyYAML), else a
``Title: …`` header block, else a first line `` date YYYY-MM-DD`` as in the founding article.

A block that is not valid YAML, not a mapping, or uses anchors/aliases is reported and the whole file
kept as text. A block naming none of our fields (``Editor's note: ...``, or prose between two ``---``
rules) is no front matter: the whole file is text, nothing dropped.
Every value stays text as written (PyYAML's BaseLoader; lists stay lists): YAML 1.1 would turn
``source: NO`` into False and ``date: 2023-06-01`` into a date, and our own field rules
(corpus/fields.py, corpus/dates.py) read them from the text instead.

>>> meta, body, problems = parse_front_matter("---\\n# note\\nsource: 'CNN'\\nauthors: [A, \\"B\\"]\\n---\\nText.", "a.md")
>>> meta, body, problems
({'source': 'CNN', 'authors': ['A', 'B']}, 'Text.', [])
>>> parse_front_matter("---\\nsource: NO\\ndate: 2023-06-01\\n---\\nText.", "c.md")[0]
{'source': 'NO', 'date': '2023-06-01'}
>>> print(parse_front_matter("---\\ntitle: [unclosed\\n---\\nText.", "b.md")[2][0].reason)  # doctest: +ELLIPSIS
front matter is not valid YAML (line ...); read the whole file as text (fix the block between the --- lines)
"""
from __future__ import annotations

import re
from dataclasses import replace

import yaml

from .dates import parse_date
from .fields import ALIASES, canonical, folded, make_article, normalize_text, pick
from .header_block import header_block
from .records import DEGRADED, Article, Problem, SourceFile

# The founding article's own first line: " date 2026-03-05 <body…>".
_DATE_PREFIX = re.compile(r"[ \t]*date[ \t]+(\d{4}-\d{2}-\d{2})(?:[ \t]+|(?=\n)|$)", re.I)
_NAME = re.compile(r"[A-Za-z_][\w-]*")  # a metadata key's shape; "Editor's note" is prose


def read_txt(data: str | bytes, source: SourceFile) -> tuple[list[Article], list[Problem]]:
    """Plain text with optional front matter or a ``Title: …`` header block."""
    text = normalize_text(data.decode("utf-8-sig", errors="replace") if isinstance(data, bytes) else data)
    meta, body, problems = parse_front_matter(text, source.key)
    if meta is None:
        meta, body, note = header_block(text)
        problems += [Problem(source.key, DEGRADED, note)] if note else []
    fields = pick(meta)
    if m := _DATE_PREFIX.match(body):
        body = body[m.end():]
        if "date" not in fields:
            fields["date"] = ("first line 'date'", m[1])
        elif not _same_date(fields["date"][1], m[1]):
            problems.append(Problem(source.key, DEGRADED, f"first line says date {m[1]} but field "
                                    f"'{fields['date'][0]}' says {fields['date'][1]}; kept the field"))
    fields["text"] = ("text", body)
    art, more = make_article(fields, id=source.key, file=source.key)
    return ([art] if art else []), problems + more


def _same_date(a, b) -> bool:
    try:
        return parse_date(a) == parse_date(b)
    except ValueError:
        return True  # the unreadable field is reported by make_article already


def read_md(data: str | bytes, source: SourceFile) -> tuple[list[Article], list[Problem]]:
    """Like .txt; a leading ``# Heading`` is the title when no title field is given. The heading that is
    the title (or repeats the given one) leaves the text: else passages, vectors and timeline sentences
    start with "# Title". A heading unlike the given title is text, kept as written."""
    articles, problems = read_txt(data, source)
    m = re.match(r"#[ \t]+(.+)", articles[0].text) if articles else None
    heading = m[1].strip(" #") if m else ""
    if not heading:
        return articles, problems
    art = articles[0]
    if art.is_derived("title"):
        art = replace(art, title=heading, derived=tuple(f for f in art.derived if f != "title"))
    elif folded(heading) != folded(art.title):
        return articles, problems
    # A file that is only the heading keeps it as its text too: an article without text is not indexed.
    return [replace(art, text=art.text[m.end():].strip() or art.text)], problems


def parse_front_matter(text: str, key: str) -> tuple[dict | None, str, list[Problem]]:
    """Return (fields or None when there is no usable front matter, the body, problems)."""
    lines = text.split("\n")
    if lines[0].strip() != "---":
        return None, text, []
    for i in range(1, len(lines)):
        if lines[i].strip() in ("---", "..."):
            block, body = "\n".join(lines[1:i]), "\n".join(lines[i + 1:]).strip()
            break
    else:
        return None, text, [Problem(key, DEGRADED, "front matter opened with '---' is never closed; "
                                    "read the whole file as text (add the closing '---' line)")]
    try:
        meta = yaml.load(block, Loader=_Loader)  # no implicit types (see above); safe: no tags
    except _Aliases:
        return None, text, [Problem(key, DEGRADED, "front matter uses YAML anchors/aliases (&name, *name); "
                                    "read the whole file as text (write the values out)")]
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark else ""
        why = getattr(e, "problem", None) or type(e).__name__
        return None, text, [Problem(key, DEGRADED, f"front matter is not valid YAML ({where}{why}); read the whole "
                                    "file as text (fix the block between the --- lines)")]
    if meta is None:
        return {}, body, []
    if isinstance(meta, str):  # prose between two "---" rules, not metadata: the text as written
        return None, text, []
    if not isinstance(meta, dict):
        return None, text, [Problem(key, DEGRADED, f"front matter holds a YAML {type(meta).__name__}, not "
                                    "'key: value' lines; read the whole file as text")]
    if not any(canonical(k) for k in meta):
        return _unknown(meta, key, text, body)
    return {str(k): v for k, v in meta.items()}, body, []


def _unknown(meta: dict, key: str, text: str, body: str) -> tuple[dict | None, str, list[Problem]]:
    """A block naming no field we read: prose (an "Editor's note: ..." line) is text, never dropped; keys
    that look like metadata (``layout: post``, a misspelt "titel") are metadata we do not read: left
    out of the text (a title is not "layout: post"), and said."""
    names = [str(k) for k in meta]
    if not all(_NAME.fullmatch(n) for n in names):
        return None, text, []
    return {}, body, [Problem(key, DEGRADED, f"front matter names no field we read ({', '.join(names[:5])}); "
                              f"they are left out (use {', '.join(ALIASES)})")]


class _Aliases(Exception):
    pass


class _Loader(yaml.BaseLoader):
    """BaseLoader refusing anchors and aliases before anything is built from them: nested aliases
    ("billion laughs") turn a few hundred bytes of front matter into gigabytes."""

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise _Aliases
        return super().compose_node(parent, index)
