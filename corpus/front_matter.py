"""YAML front matter: the ``---`` block at the top of a .txt or .md file, read with PyYAML.

A block that is not valid YAML, or not a mapping, is reported and the whole file kept as text.
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

import yaml

from .records import DEGRADED, Problem


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
        meta = yaml.load(block, Loader=yaml.BaseLoader)  # no implicit types (see above); safe: no tags
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark else ""
        why = getattr(e, "problem", None) or type(e).__name__
        return None, text, [Problem(key, DEGRADED, f"front matter is not valid YAML ({where}{why}); read the whole "
                                    "file as text (fix the block between the --- lines)")]
    if meta is None:
        return {}, body, []
    if not isinstance(meta, dict):
        return None, text, [Problem(key, DEGRADED, f"front matter holds a YAML {type(meta).__name__}, not "
                                    "'key: value' lines; read the whole file as text")]
    return {str(k): v for k, v in meta.items()}, body, []
