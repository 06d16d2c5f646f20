"""Cheap question-time signals for the second stage (issue 14's levers), each off at weight 0.

- answer type: a "how many" question wants a sentence with a number, "when" one with a date,
  "who" one with a name; such sentences get `answer_type_weight` on top of their cosine;
- title overlap: the share of the question's BM25 terms that the passage's article title holds;
- expansion terms: BM25 pseudo-relevance feedback from the titles of the top-ranked passages;
- per-article cap: at most N passages of one article in the top 10, the rest moved just below.

>>> answer_type("How many days did the strike last?"), answer_type("Who won the final?"), answer_type("Why?")
('number', 'name', None)
>>> has_type("The strike lasted 46 days.", "number"), has_type("It ended in October.", "date")
(True, True)
>>> cap_per_article([(1, "a"), (2, "a"), (3, "a"), (4, "b")], 2, top=3)
[1, 2, 4, 3]
"""
from __future__ import annotations

import re

NUMBER_WORDS = ("one two three four five six seven eight nine ten eleven twelve twenty thirty forty fifty "
                "hundred thousand million billion trillion dozen half percent")
MONTHS = ("january february march april may june july august september october november december "
          "monday tuesday wednesday thursday friday saturday sunday")
_PATTERNS = {
    "number": re.compile(r"\d|\b(?:" + "|".join(NUMBER_WORDS.split()) + r")s?\b", re.I),
    "date": re.compile(r"\b(?:1[89]|20)\d\d\b|\b(?:" + "|".join(MONTHS.split()) + r")\b", re.I),
    # Two capitalised words in a row, not at the sentence start: a name (person, team, place, firm).
    "name": re.compile(r"(?<=[a-z,;:] )[A-Z][\w'’.-]+(?: [A-Z][\w'’.-]+)+"),
}
_ASKS = (
    ("number", re.compile(r"\bhow (?:many|much|long|old|far|big|large|high)\b|\bwhat (?:percentage|number|"
                          r"amount|share|age)\b|\bby how\b", re.I)),
    ("date", re.compile(r"\bwhen\b|\b(?:what|which) (?:year|month|day|date)\b", re.I)),
    ("name", re.compile(r"\bwho(?:m|se)?\b|\b(?:which|what) (?:person|man|woman|team|company|country|city|"
                        r"club|player|group|firm|nation|party|leader|actor|singer|band|state)\b", re.I)),
)


def answer_type(question: str) -> str | None:
    """What kind of answer the question asks for: "number", "date", "name" or None."""
    return next((kind for kind, asks in _ASKS if asks.search(question)), None)


def has_type(sentence: str, kind: str | None) -> bool:
    return kind is not None and _PATTERNS[kind].search(sentence) is not None


def typed_sentences(text: str, spans, kind: str | None):
    """A boolean per sentence span of `text`: does it hold what the question asks for."""
    import numpy as np
    return np.array([has_type(text[a:b], kind) for a, b in spans], dtype=bool)


def title_overlap(question_terms, title_terms) -> float:
    """Share of the (distinct) question terms found among the title's terms.

    >>> title_overlap(["lava", "grindavik", "reach"], {"lava", "grindavik", "town"})
    0.667
    """
    q = set(question_terms)
    return round(len(q & set(title_terms)) / len(q), 3) if q else 0.0


def expansion_terms(question_terms, titles_terms, limit: int = 12) -> tuple[str, ...]:
    """Terms of the top titles that the question lacks, most frequent first (ties: first seen).

    >>> expansion_terms(["nobel"], [["nobel", "peac", "prize"], ["peac", "prize", "iran"]])
    ('peac', 'prize', 'iran')
    """
    have, counts = set(question_terms), {}
    for terms in titles_terms:
        for t in dict.fromkeys(terms):
            if t not in have:
                counts[t] = counts.get(t, 0) + 1
    return tuple(sorted(counts, key=lambda t: -counts[t])[:limit])


def cap_per_article(ranked, limit: int, top: int = 10) -> list:
    """Items of [(item, article), ...] in order, at most `limit` per article among the first `top`;
    the items held back follow right after the first `top`, in their order."""
    if not limit:
        return [item for item, _ in ranked]
    seen: dict = {}
    head, held = [], []
    for i, (item, article) in enumerate(ranked):
        if len(head) >= top:
            return head + held + [it for it, _ in ranked[i:]]
        if seen.get(article, 0) < limit:
            seen[article] = seen.get(article, 0) + 1
            head.append(item)
        else:
            held.append(item)
    return head + held
