"""Sentence-aware passages sized in the model's own word pieces.

A passage is a span [start, end) of the article text, so the text shown is
always the article's own. Sentences are packed until the token budget is
full; the next passage repeats the last sentence (overlap). A sentence longer
than the budget is cut at word boundaries, so the encoder never truncates.

>>> from index.chunking import split_sentences
>>> text = "Mr. Smith met U.S. officials. They agreed!\\n\\nA new paragraph"
>>> [text[s:e] for s, e in split_sentences(text)]
['Mr. Smith met U.S. officials.', 'They agreed!', 'A new paragraph']
"""
from __future__ import annotations

import re
from dataclasses import dataclass

# Words after which a full stop does not end a sentence (lower-cased, no dot).
_ABBREV = set("""mr mrs ms dr prof sr jr st mt gen sen rep gov lt col capt sgt cmdr adm pres
vs etc inc corp co ltd fig approx dept univ est jan feb mar apr jun jul aug sep sept oct nov dec
u.s u.k u.n e.g i.e a.m p.m""".split())
_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s)|\n\s*\n|\n")
_INITIALS = re.compile(r"(?:[^\W\d_]\.)+[^\W\d_]")
_WORD_BEFORE = re.compile(r"([\w.]+)[.!?…]*[\"'”’)\]]*$")


@dataclass(frozen=True)
class Span:
    start: int
    end: int


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Character spans of sentences; line and paragraph breaks always end one."""
    spans, start = [], 0
    for m in _END.finditer(text):
        if m.group().strip() and _is_abbreviation(text, m.start()):
            continue
        _add_span(text, start, m.end(), spans)
        start = m.end()
    _add_span(text, start, len(text), spans)
    return spans


def _is_abbreviation(text: str, dot_at: int) -> bool:
    if text[dot_at] != ".":
        return False
    m = _WORD_BEFORE.search(text[max(0, dot_at - 20):dot_at + 1])
    word = m.group(1).lower().rstrip(".") if m else ""
    if word in ("no", "nos"):  # "No. 5" is an abbreviation, "he said no." is not
        return text[dot_at + 1:dot_at + 3].strip()[:1].isdigit()
    # A single letter is an initial ("J. Smith"), and so are dotted letters ("L.J. Owens", "D.C."):
    # read as sentence ends, they split a name across two sentences.
    return word in _ABBREV or (len(word) == 1 and word.isalpha()) or bool(_INITIALS.fullmatch(word))


def _add_span(text: str, start: int, end: int, spans: list) -> None:
    piece = text[start:end]
    stripped = piece.strip()
    if stripped:
        lead = len(piece) - len(piece.lstrip())
        spans.append((start + lead, start + lead + len(stripped)))


class Chunker:
    """Packs sentences into passages of at most `budget` word pieces."""

    def __init__(self, tokenizer, max_tokens: int, overlap_sentences: int = 1):
        self.tok = tokenizer          # a `tokenizers.Tokenizer` with no truncation or padding
        self.max_tokens = max_tokens
        self.overlap = overlap_sentences

    def count(self, texts: list[str]) -> list[int]:
        return [len(e.ids) for e in self.tok.encode_batch(texts, add_special_tokens=False)]

    def chunk(self, text: str, budget: int | None = None) -> list[Span]:
        budget = min(budget or self.max_tokens, self.max_tokens)
        units = self._units(text, budget)
        passages, i = [], 0
        while i < len(units):
            j, used = i, 0
            while j < len(units) and used + units[j][2] <= budget:
                used += units[j][2]
                j += 1
            j = max(j, i + 1)  # a unit never exceeds the budget, but be safe against a stall
            passages.append(Span(units[i][0], units[j - 1][1]))
            if j >= len(units):
                break
            # Step back `overlap` sentences, but always move forward.
            i = max(j - self.overlap, i + 1)
        return passages

    def _units(self, text: str, budget: int) -> list[tuple[int, int, int]]:
        """Sentences as (start, end, tokens); over-long ones cut into word-bounded pieces."""
        spans = split_sentences(text)
        counts = self.count([text[s:e] for s, e in spans]) if spans else []
        units = []
        for (s, e), n in zip(spans, counts):
            units.extend([(s, e, n)] if n <= budget else self._cut(text, s, e, budget))
        return units

    def _cut(self, text: str, start: int, end: int, budget: int) -> list[tuple[int, int, int]]:
        enc = self.tok.encode(text[start:end], add_special_tokens=False)
        offsets, pieces, first = enc.offsets, [], 0
        while first < len(offsets):
            last = min(first + budget, len(offsets))
            if last < len(offsets):
                # Back off to the first token of a word so no word is split.
                cut = last
                while cut > first + 1 and offsets[cut][0] == offsets[cut - 1][1]:
                    cut -= 1
                last = cut if cut > first + 1 else last
            s, e = start + offsets[first][0], start + offsets[last - 1][1]
            pieces.append((s, e, last - first))
            first = last
        return pieces


# A heading names a topic but answers nothing: the answer sentence and the second stage pass over it.
_SENTENCE_END = re.compile(r"[.!?…:;][\"'”’)\]]*$")
_PARAGRAPH_BEFORE = re.compile(r"(?:\A|\n[ \t]*\n)[ \t]*\Z")
_PARAGRAPH_AFTER = re.compile(r"[ \t]*(?:\Z|\n[ \t]*\n)")


def is_heading(text: str, start: int, end: int) -> bool:
    """A span standing as a paragraph of its own, without closing punctuation.

    >>> text = "Intro ends here.\\n\\nTalks stall over data clause\\n\\nThe memo said\\nso."
    >>> [is_heading(text, s, e) for s, e in split_sentences(text)]
    [False, True, False, False]
    """
    if _SENTENCE_END.search(text[start:end]):
        return False
    return _PARAGRAPH_BEFORE.search(text[:start]) is not None and _PARAGRAPH_AFTER.match(text, end) is not None
