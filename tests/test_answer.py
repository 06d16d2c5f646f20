"""The best-answering sentence of a passage, with the real model."""
import pytest

from index.chunking import split_sentences
from search.answer import answer_span, answer_spans
from tests.news_texts import ARTICLES

CHESS = ARTICLES["chess.txt"].split("\n\n", 1)[1]
FOUNDING_MEMO = ("Pentagon negotiations stall over bulk data analysis clause\n\n"
                 "In an internal memo to staff seen by the FT, Amodei reportedly wrote that near the end of "
                 "negotiations, the Pentagon offered to accept Anthropic’s broader terms if the company removed a "
                 "clause restricting the “analysis of bulk acquired data.” He said this phrase was meant to guard "
                 "against potential mass domestic surveillance, a scenario Anthropic treats as a red line.")


@pytest.mark.parametrize("question, expected", [
    ("How big was the prize fund?", "The prize fund was 500,000 dollars."),
    ("Who did she beat in the tie-break?", "She beat the defending champion"),
    ("Were attendance records broken?", "The organisers said attendance broke all records"),
    ("What clause did the Pentagon want removed?", "the company removed a clause"),
])
def test_the_answering_sentence_is_marked(embedder, question, expected):
    text = CHESS if "Pentagon" not in question else FOUNDING_MEMO
    start, end = answer_span(question, text, embedder)
    assert (start, end) in split_sentences(text)      # always a whole sentence of the passage itself
    assert expected in text[start:end]


class Counting:
    """The real model, remembering what each encode call was given."""

    def __init__(self, embedder):
        self.embedder, self.calls = embedder, []

    def encode(self, texts, *args, **kwargs):
        self.calls.append(list(texts))
        return self.embedder.encode(texts, *args, **kwargs)


def test_many_passages_in_one_embedding_call(embedder):
    passages = [CHESS, "", "One lone sentence without a full stop", FOUNDING_MEMO]
    counting = Counting(embedder)
    spans = answer_spans("How big was the prize fund?", passages, counting)
    assert len(counting.calls) == 1
    assert spans[1] == (0, 0) and spans[2] == (0, len(passages[2]))
    assert spans == [answer_span("How big was the prize fund?", p, embedder) for p in passages]


def test_passages_without_sentences_need_no_model():
    assert answer_spans("anything", ["", "  \n "], embedder=None) == [(0, 0), (0, 0)]


def test_a_heading_is_marked_only_when_there_is_nothing_else(embedder):
    heading = "Pentagon negotiations stall over bulk data analysis clause"
    text = ("The talks follow a sharp breakdown in negotiations last week. Discussions collapsed after the two "
            "sides failed to agree on language Anthropic said was necessary to prevent misuse of its technology."
            f"\n\n{heading}")
    start, end = answer_span("What clause did the Pentagon want removed?", text, embedder)
    assert text[start:end].startswith("Discussions collapsed")
    assert answer_span("What clause did the Pentagon want removed?", heading, embedder) == (0, len(heading))


def test_spans_the_searcher_found_are_kept_and_only_the_rest_computed(embedder):
    from search.answer import hit_spans
    from search.hits import Hit

    def hit(text, span=(0, 0)):
        return Hit(1, 0.5, text, "T", None, None, None, "a", 0, len(text), answer_start=span[0], answer_end=span[1])

    hits = [hit(CHESS, (0, 5)), hit(CHESS)]
    counting = Counting(embedder)
    spans = hit_spans("How big was the prize fund?", hits, counting)
    assert spans[0] == (0, 5) and CHESS[slice(*spans[1])] == "The prize fund was 500,000 dollars."
    assert len(counting.calls) == 1 and counting.calls[0][0] == "How big was the prize fund?"
