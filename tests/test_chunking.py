"""Passage boundaries, overlap, offsets and token budgets, with the model's real tokenizer."""
import pytest

from index.chunking import Chunker, split_sentences
from index.embed import load_tokenizer


@pytest.fixture(scope="module")
def tok():
    return load_tokenizer("all-MiniLM-L6-v2")


def sentences(text):
    return [text[s:e] for s, e in split_sentences(text)]


def test_sentences_respect_abbreviations_initials_and_paragraphs():
    text = "Dr. Jane Q. Public met U.S. officials on Jan. 5. They agreed? Yes!\n\nHeadline without stop\nNext line."
    assert sentences(text) == ["Dr. Jane Q. Public met U.S. officials on Jan. 5.", "They agreed?", "Yes!",
                               "Headline without stop", "Next line."]


def test_dotted_initials_do_not_end_a_sentence():
    # "L.J." read as a sentence end split a player's name in two, and the timeline compared the halves.
    text = "L.J. Owens scored 12 points. Washington, D.C. officials agreed. J.R.R. Tolkien wrote it."
    assert sentences(text) == ["L.J. Owens scored 12 points.", "Washington, D.C. officials agreed.",
                               "J.R.R. Tolkien wrote it."]
    assert sentences("He scored 3.5 points. Then he left.") == ["He scored 3.5 points.", "Then he left."]


def test_quotes_stay_with_their_sentence():
    assert sentences('He said "no." Then he left.') == ['He said "no."', "Then he left."]


def test_passages_overlap_by_one_sentence_and_slice_back(tok):
    text = " ".join(f"Sentence number {i} says something about topic {i}." for i in range(40))
    spans = Chunker(tok, max_tokens=40, overlap_sentences=1).chunk(text)
    assert len(spans) > 3
    sents = sentences(text)
    for a, b in zip(spans, spans[1:]):
        last_of_a = sentences(text[a.start:a.end])[-1]
        assert sentences(text[b.start:b.end])[0] == last_of_a   # one sentence of overlap
        assert b.start > a.start                                # always moving forward
    assert spans[0].start == 0 and spans[-1].end == len(text)  # nothing lost at the ends
    covered = "".join(sentences(text[s.start:s.end])[-1] for s in spans)
    assert sents[-1] in covered


def test_every_passage_fits_the_budget_in_word_pieces(tok):
    text = ("Unbreakable " * 300).strip() + ". Short one. " + "Another normal sentence here. " * 30
    chunker = Chunker(tok, max_tokens=50)
    spans = chunker.chunk(text)
    counts = chunker.count([text[s.start:s.end] for s in spans])
    assert max(counts) <= 50
    # The over-long "sentence" is cut at word boundaries, not inside a word.
    for s in spans:
        piece = text[s.start:s.end]
        assert not piece.startswith("nbreakable") and piece == piece.strip()


def test_no_word_is_lost_between_passages(tok):
    words = [f"w{i}" for i in range(600)]
    text = " ".join(words)  # one giant sentence with no full stop
    spans = Chunker(tok, max_tokens=64, overlap_sentences=0).chunk(text)
    rebuilt = " ".join(text[s.start:s.end] for s in spans).split()
    assert rebuilt == words


def test_empty_text_gives_no_passages(tok):
    assert Chunker(tok, max_tokens=64).chunk("   \n\n ") == []
