"""YAML-style front matter: the ``---`` block at the top of a .txt or .md file.

Only the simple subset news files use is read (``key: value``, ``#`` comments,
quoted values, ``[a, b]`` and ``- item`` lists), so no YAML library is needed.

>>> meta, body, problems = parse_front_matter("---\\n# note\\nsource: 'CNN'\\nauthors: [A, \\"B\\"]\\n---\\nText.", "a.md")
>>> meta, body, problems
({'source': 'CNN', 'authors': ['A', 'B']}, 'Text.', [])
"""
from __future__ import annotations

import re

from .records import DEGRADED, Problem

_KEY_VALUE = re.compile(r"([^:#\s][^:#]*?)[ \t]*:(?:[ \t]+(.*)|$)")
_QUOTED = re.compile(r"""(['"])(.*)\1(?:[ \t]+#.*)?""")
_COMMENT = re.compile(r"[ \t]+#.*$")  # "# …" after a space; a '#' inside a URL stays


def parse_front_matter(text: str, key: str) -> tuple[dict | None, str, list[Problem]]:
    """Return (fields or None when there is no front matter, the body, problems)."""
    lines = text.split("\n")
    if lines[0].strip() != "---":
        return None, text, []
    for i in range(1, len(lines)):
        if lines[i].strip() in ("---", "..."):
            return _fields(lines[1:i]), "\n".join(lines[i + 1:]).strip(), []
    return None, text, [Problem(key, DEGRADED, "front matter opened with '---' is never closed; "
                                "read the whole file as text (add the closing '---' line)")]


def _fields(lines: list[str]) -> dict:
    meta: dict = {}
    last = None
    for line in lines:
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.startswith("- ") and last is not None:
            # A "- item" line continues the list of the key above it.
            items = meta[last] if isinstance(meta[last], list) else []
            meta[last] = items + [_scalar(stripped[2:])]
        elif m := _KEY_VALUE.fullmatch(stripped):
            last = m[1]
            meta[last] = _value(m[2] or "")
    return meta


def _value(raw: str):
    if m := _QUOTED.fullmatch(raw.strip()):
        return m[2]
    raw = _COMMENT.sub("", raw.strip())
    if raw.startswith("[") and raw.endswith("]"):
        return [_scalar(item) for item in raw[1:-1].split(",") if item.strip()]
    return _scalar(raw)


def _scalar(raw: str) -> str:
    raw = raw.strip()
    if len(raw) >= 2 and raw[0] == raw[-1] and raw[0] in ("'", '"'):
        return raw[1:-1]
    return raw
