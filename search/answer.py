"""The sentence of a passage that best answers a question.

Each sentence of the passage (split as the chunker splits them) is embedded
with the same model as the index; the one closest to the question (cosine)
is the answer span. Offsets index into the passage text, so what is marked
is always the article's own words. A heading (a paragraph of its own without
a full stop) names a topic but answers nothing, so it is chosen only when the
passage has no other sentence.

>>> from tests.conftest import FakeEmbedder
>>> text = "Markets were calm. The bank kept rates at 4.5 percent."
>>> start, end = answer_span("The bank kept rates at 4.5 percent.", text, FakeEmbedder())
>>> text[start:end]
'The bank kept rates at 4.5 percent.'
"""
from __future__ import annotations

from index.chunking import split_sentences
from search.rerank import best_of


def answer_span(question: str, passage_text: str, embedder) -> tuple[int, int]:
    """(start, end) of the best-answering sentence; (0, 0) for a passage with no text."""
    return answer_spans(question, [passage_text], embedder)[0]


def answer_spans(question: str, passages: list[str], embedder) -> list[tuple[int, int]]:
    """answer_span for several passages, with one embedding call for the question and all sentences."""
    sentences = [split_sentences(text) for text in passages]
    flat = [text[s:e] for text, spans in zip(passages, sentences) for s, e in spans]
    if not flat:
        return [(0, 0)] * len(passages)
    vectors = embedder.encode([question] + flat)
    best = best_of(passages, sentences, vectors[1:] @ vectors[0])  # normalised: inner product = cosine
    return [(b.start, b.end) for b in best]


def hit_spans(question: str, hits: list, embedder) -> list[tuple[int, int]]:
    """The answer span of each hit: the one the Searcher put on it, else answer_spans (one call for the rest).

    >>> from tests.conftest import FakeEmbedder
    >>> from search.hits import Hit
    >>> hit = Hit(1, 0.5, "Calm. Rates held.", "T", None, None, None, "a", 0, 17)
    >>> hit_spans("Rates held.", [hit], FakeEmbedder())
    [(6, 17)]
    """
    given = [(getattr(h, "answer_start", 0), getattr(h, "answer_end", 0)) for h in hits]
    missing = [i for i, (start, end) in enumerate(given) if end <= start]
    found = answer_spans(question, [hits[i].text for i in missing], embedder) if missing else []
    for i, span in zip(missing, found):
        given[i] = span
    return given
