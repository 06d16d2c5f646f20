"""Question handling for the lexical (BM25) side: quiz question words out.

News questions are often quiz-style ("Which team ...", "How many days ..."). bm25s's English
stopwords are only Lucene's 33 words, so "which", "how", "many", "did" ... would count as terms
a passage should share; they name nothing a passage says, so they are dropped from the query.

Measured on the bench dev questions and left out because they did not help there (README
"Retrieval quality"): stripping time and hedging scaffolding ("this week", "according to",
"recently") and weighting capitalised names, quoted phrases and numbers up (x1.5 to x3).

>>> lexical_query("Which city hosted the Eras Tour premiere this week?").terms
('citi', 'host', 'era', 'tour', 'premier', 'week')
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from index.lexical import tokenize

# Question words and auxiliaries of quiz questions.
QUIZ_WORDS = frozenset("""which what who whom whose where when why how many much does did do has have had
were been being can could would should will may might""".split())
_WORD = re.compile(r"[\w'’.-]+")


@dataclass(frozen=True)
class LexicalQuery:
    terms: tuple[str, ...]


def lexical_query(question: str, tokenizer=tokenize) -> LexicalQuery:
    """The question's BM25 terms without quiz question words (`tokenizer`: the index's own)."""
    words = " ".join(w for w in _WORD.findall(question) if w.lower() not in QUIZ_WORDS)
    return LexicalQuery(tuple(tokenizer(words)))
