"""JSON exports as records: parsed (``loads``), their list of articles found (``collection``), and, when a
record has no text field, what to tell the user (``no_text_field``): the keys it has (longest text first,
so a body under another name is named), a text field or list one level down ("fields.bodyText", the
Guardian Content API's), and the names a text field is read under.

>>> print(no_text_field([{"@type": "NewsArticle", "headline": "Rain", "articleBody": "It rained all day."}]))
no text field (keys found: 'articleBody', '@type', 'headline'; name the field holding the article body 'text', ...)
"""
from __future__ import annotations

import json
import re

from .fields import ALIASES, canonical

COLLECTIONS = ("articles", "items", "data", "results")  # keys under which a JSON object holds its list
_SHOW_KEYS = 8  # keys named in one message before "and N more"
_SURROGATE = re.compile("[\ud800-\udfff]")  # after json.loads, any left is a lone one


def loads(text: str):
    """json.loads, with lone surrogate escapes turned into U+FFFD: they can be neither encoded nor tokenized.

    >>> loads('["\\\\ud800 x", "\\\\ud83d\\\\ude00"]') == ["\\ufffd x", "\\U0001f600"]
    True
    """
    doc = json.loads(text, parse_int=_int)
    if "\\ud" in text or "\\uD" in text:  # a rare escape: only then pay for a second pass
        doc = json.loads(_SURROGATE.sub("\ufffd", json.dumps(doc, ensure_ascii=False)))
    return doc


def _int(digits: str) -> int | str:
    # Python refuses to convert more digits than sys.get_int_max_str_digits() (4300, at least 640) with a
    # ValueError that cost the whole file or line; such a number is valid JSON, so it stays as written.
    return int(digits) if len(digits) <= 640 else digits


def has_text_field(record: dict) -> bool:
    """Whether a record has a key read as the article's text (empty or not)."""
    return any(canonical(str(key)) == "text" for key in record)


def collection(doc: dict) -> list | None:
    """The list of articles an object holds under one of COLLECTIONS, or under one of them in its "response"
    (the Guardian Content API's ``response.results``); None for an object with a text field of its own: that
    is one article, whatever lists it holds.

    >>> collection({"response": {"status": "ok", "results": [{"text": "a"}]}}), collection({"text": "a", "items": []})
    ([{'text': 'a'}], None)
    """
    if has_text_field(doc):
        return None
    for holder in (doc, _get(doc, "response")):
        found = next((v for name in COLLECTIONS if isinstance(v := _get(holder, name), list)), None)
        if found is not None:
            return found
    return None


def _get(doc, name: str):
    """The value under ``name``, ignoring case ("Items" holds a list as "items" does); None if none."""
    if not isinstance(doc, dict):
        return None
    return next((value for key, value in doc.items() if isinstance(key, str) and key.lower() == name), None)


def no_text_field(records: list[dict]) -> str:
    """Why records without a text field give no article, and how to fix it, in one parenthesis."""
    sizes: dict[str, int] = {}
    for record in records:
        for key, value in record.items():
            sizes[str(key)] = max(sizes.get(str(key), 0), len(value) if isinstance(value, str) else 0)
    keys = sorted(sizes, key=lambda key: -sizes[key])  # the longest text first: a body under another name shows
    more = f" and {len(keys) - _SHOW_KEYS} more" if len(keys) > _SHOW_KEYS else ""
    shown = ", ".join(map(repr, keys[:_SHOW_KEYS])) + more or "none"
    names = ", ".join(map(repr, ALIASES["text"][:-1])) + f" or {ALIASES['text'][-1]!r}"
    return f"no text field (keys found: {shown}{_inside(records)}; name the field holding the article body {names})"


def _inside(records: list[dict]) -> str:
    """What one level down holds that the readers do not look in: a text field, or a list of articles."""
    for record in records:
        for key, value in record.items():
            for inner, held in (value.items() if isinstance(value, dict) else [("", value)]):
                path = f"{key}.{inner}" if inner else str(key)
                if inner and canonical(str(inner)) == "text":
                    return f"; '{path}' is one, a level down: move it to the top level of the record"
                if isinstance(held, list) and any(isinstance(item, dict) and has_text_field(item) for item in held):
                    return (f"; '{path}' holds a list of articles: a list is read at the top level, or under "
                            f"{', '.join(map(repr, COLLECTIONS[:-1]))} or {COLLECTIONS[-1]!r} (also in 'response')")
    return ""
