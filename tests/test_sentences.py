"""Sentence vectors stored at build time (index/sentences.py): right vectors, right offsets, kept in step."""
import numpy as np
import pytest

from index.build import build
from index.plan import SMALL_JOB, embedder_for
from index.chunking import split_sentences
from index.config import IndexConfig
from index.embed import Embedder
from index.onnx_query import OnnxQueryEncoder, export
from index.sentences import SentenceTable
from index.storage import IndexDamaged, current_generation, load_generation
from search import Searcher
from tests.news_texts import write_corpus

PASSAGE = ("Harbour council meets on Monday\n\nThe harbour council met on Monday evening. "
           "Lava from the volcano reached the fishing town of Grindavik on Sunday. "
           "The chess final was won by a nineteen-year-old from Oslo.")


def spans_of(text):
    return [split_sentences(text)]


def test_late_chunked_passage_vectors_are_the_sentence_transformers_vectors(embedder):
    texts = [PASSAGE, "A short one.", "word " * 400]
    vectors, sentences = embedder.encode_with_sentences(texts, [split_sentences(t) for t in texts])
    reference = embedder.model.encode(texts, normalize_embeddings=True)
    assert np.sum(vectors * reference, axis=1).min() > 0.999
    assert [len(s) for s in sentences] == [len(split_sentences(t)) for t in texts]
    assert np.allclose(np.linalg.norm(sentences[0], axis=1), 1, atol=1e-5)


def test_a_sentence_vector_points_at_the_sentence_that_answers(embedder):
    _, sentences = embedder.encode_with_sentences([PASSAGE], spans_of(PASSAGE))
    spans = split_sentences(PASSAGE)
    for question, expected in [("Which town did the lava reach?", "Lava from the volcano"),
                               ("Who won the chess final?", "The chess final")]:
        best = int(np.argmax(sentences[0] @ embedder.encode_query(question)))
        assert PASSAGE[spans[best][0]:].startswith(expected)


def test_onnx_late_chunking_matches_torch(embedder, tmp_path):
    assert export(embedder, tmp_path)
    onnx = OnnxQueryEncoder.open(tmp_path, embedder.name, threads=2)
    texts = [PASSAGE, "Rates held at 4.5 percent. Markets calm."]
    spans = [split_sentences(t) for t in texts]
    (v1, s1), (v2, s2) = embedder.encode_with_sentences(texts, spans), onnx.encode_with_sentences(texts, spans)
    assert np.sum(v1 * v2, axis=1).min() > 0.999
    assert min(np.sum(a * b, axis=1).min() for a, b in zip(s1, s2)) > 0.995


def test_table_round_trip_take_and_concat(tmp_path):
    rng = np.random.default_rng(3)
    spans = [[(0, 4), (5, 9)], [(0, 3)], [], [(0, 2), (3, 5), (6, 8)]]
    floats = [rng.standard_normal((len(s), 8)).astype(np.float32) for s in spans]
    floats = [f / np.linalg.norm(f, axis=1, keepdims=True) for f in floats]
    table = SentenceTable.build(spans, floats)
    table.save(tmp_path / "sentences")
    loaded = SentenceTable.load(tmp_path / "sentences", rows=4)
    q = rng.standard_normal(8).astype(np.float32)
    exact = np.concatenate([f @ q for f in floats])
    assert np.abs(loaded.cosines([0, 1, 2, 3], q) - exact).max() < 0.02  # int8 storage
    assert loaded.span_rows(3).tolist() == [[0, 2], [3, 5], [6, 8]] and loaded.span_rows(2).tolist() == []
    # Reordering rows through take + concat keeps each row's own sentences.
    moved = SentenceTable.concat([loaded.take([3]), loaded.take([0, 1, 2])])
    assert moved.span_rows(0).tolist() == [[0, 2], [3, 5], [6, 8]] and moved.span_rows(1).tolist() == [[0, 4], [5, 9]]
    assert np.allclose(moved.cosines([0], q), loaded.cosines([3], q))
    with pytest.raises(ValueError, match="does not fit 3 passages"):
        SentenceTable.load(tmp_path / "sentences", rows=3)


def test_built_index_has_every_passage_s_sentences_and_incremental_keeps_them_in_step(tmp_path, fake_embedder):
    folder = write_corpus(tmp_path / "news")
    build(folder, tmp_path / "inc", embedder=fake_embedder)
    (folder / "new.txt").write_text("Title: Bridge reopens\nDate: 2024-02-01\n\nThe old bridge reopened. Cars crossed.")
    (folder / "bank.json").unlink()
    build(folder, tmp_path / "inc", embedder=fake_embedder)
    build(folder, tmp_path / "full", full=True, embedder=fake_embedder)
    inc, full = load_generation(tmp_path / "inc"), load_generation(tmp_path / "full")
    assert inc.passages == full.passages
    assert np.array_equal(inc.sentences.spans, full.sentences.spans)
    assert np.array_equal(inc.sentences.vectors, full.sentences.vectors)
    s = Searcher(inc, tmp_path / "inc")
    for row in range(len(inc.passages)):
        text = s.passage_text(row)
        assert [tuple(x) for x in inc.sentences.span_rows(row).tolist()] == split_sentences(text)


def test_a_damaged_sentence_table_is_refused(tmp_path, news_dir, fake_embedder):
    build(news_dir, tmp_path / "idx", embedder=fake_embedder)
    path = current_generation(tmp_path / "idx") / "sentences" / "vectors.npy"
    path.write_bytes(path.read_bytes()[:-10])
    with pytest.raises(IndexDamaged, match="vectors.npy"):
        load_generation(tmp_path / "idx")


def test_an_index_without_sentence_vectors_is_refused(tmp_path, news_dir, fake_embedder):
    import json
    build(news_dir, tmp_path / "idx", embedder=fake_embedder)
    path = current_generation(tmp_path / "idx") / "manifest.json"
    manifest = json.loads(path.read_text())
    manifest["data"] = {k: v for k, v in manifest["data"].items() if not k.startswith("sentences/")}
    path.write_text(json.dumps(manifest))
    with pytest.raises(IndexDamaged, match="no sentence vectors"):
        load_generation(tmp_path / "idx")


def test_small_incremental_jobs_embed_without_torch_when_an_export_exists(embedder, tmp_path, monkeypatch):
    monkeypatch.setenv("NEWS_CACHE_DIR", str(tmp_path / "cache"))
    assert isinstance(embedder_for(IndexConfig(), 1), Embedder)  # nothing exported yet: torch
    assert export(embedder, tmp_path / "cache")
    assert isinstance(embedder_for(IndexConfig(), SMALL_JOB), OnnxQueryEncoder)
    assert isinstance(embedder_for(IndexConfig(), SMALL_JOB + 1), Embedder)  # a big job: bf16 torch is faster
    folder = write_corpus(tmp_path / "news")
    build(folder, tmp_path / "idx", embedder=embedder)
    (folder / "new.txt").write_text("Title: Bridge reopens\nDate: 2024-02-01\n\nThe old river bridge reopened.")
    summary = build(folder, tmp_path / "idx")  # no embedder given: the ONNX copy does the one passage
    assert summary.embedded == 1
    hit = Searcher.open(tmp_path / "idx", embedder=embedder).search("When did the river bridge reopen?", k=1)[0]
    assert hit.article_id == "new.txt" and hit.text[hit.answer_start:hit.answer_end].startswith("The old")
