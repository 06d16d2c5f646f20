"""Build -> search with the real model, incremental = full, filters, and the typed API."""
import datetime as dt

import pytest

from index.build import build
from search import BadRequest, EmptyQuestion, Searcher, hits_to_frame
from tests.news_texts import write_corpus


@pytest.fixture(scope="module")
def built(tmp_path_factory, embedder):
    folder = write_corpus(tmp_path_factory.mktemp("corpus"))
    index_dir = tmp_path_factory.mktemp("index")
    summary = build(folder, index_dir, embedder=embedder)
    return folder, index_dir, summary, Searcher.open(index_dir, embedder=embedder)


@pytest.mark.parametrize("question, article", [
    ("Where did lava flow after the eruption?", "volcano.md"),
    ("Who won the rapid chess championship?", "chess.txt"),
    ("What did the central bank do with interest rates?", "bank.json"),
    ("How much was the striker's transfer fee?", "football.jsonl#1"),
])
def test_questions_find_the_right_article(built, question, article):
    hit = built[3].search(question, k=3)[0]
    assert hit.article_id == article


def test_hits_carry_metadata_and_exact_offsets(built):
    folder, _, summary, searcher = built
    assert (summary.articles, summary.files) == (4, 4)
    hit = searcher.search("Grindavik lava", k=1)[0]
    assert (hit.title, hit.date, hit.source, hit.url) == (
        "Volcano erupts near Grindavik fishing town", dt.date(2024, 1, 14), "Nordic Herald",
        "https://nordic-herald.example/volcano")
    article_text = searcher.data.articles[hit.article_id].text
    assert article_text[hit.start:hit.end] == hit.text and "Grindavik" in hit.text
    bench_style = searcher.search("record transfer striker", k=1)[0]
    assert bench_style.source == "sportsdesk.example" and "source" in bench_style.derived


def test_ranks_and_scores_are_ordered(built):
    hits = built[3].search("interest rate inflation", k=10)
    assert [h.rank for h in hits] == list(range(1, len(hits) + 1))
    assert all(a.score >= b.score for a, b in zip(hits, hits[1:]))
    assert len(hits) == built[2].passages  # k larger than the index gives every passage once


def test_date_and_source_filters(built):
    s = built[3]
    hits = s.search("news", k=10, since=dt.date(2023, 12, 1))
    assert {h.article_id for h in hits} == {"volcano.md", "chess.txt"}
    hits = s.search("news", k=10, until=dt.date(2023, 11, 2))
    assert {h.article_id for h in hits} == {"bank.json", "football.jsonl#1"}
    hits = s.search("news", k=10, sources=["money daily"])
    assert {h.source for h in hits} == {"Money Daily"}
    with pytest.raises(BadRequest, match="no articles from 'No Such Outlet' in this index; its outlets: .*Money Daily"):
        s.search("news", k=10, sources=["No Such Outlet"])


def test_dataframe_has_one_row_per_hit(built):
    hits = built[3].search("chess", k=3)
    frame = hits_to_frame(hits)
    assert list(frame["rank"]) == [1, 2, 3] and {"score", "date", "source", "url", "start", "end"} <= set(frame)


def test_bad_questions_are_clear_errors_or_normal_results(built):
    s = built[3]
    for q in ["", "   \n\t", "\x00\x01"]:
        with pytest.raises(EmptyQuestion):
            s.search(q)
    long = "What about the volcano eruption near the town? " * 3000  # ~140k characters
    assert s.search(long, k=1)[0].article_id == "volcano.md"
    assert s.search("بركان 🌋 <script>alert(1)</script> ' OR 1=1 --", k=2)


def test_incremental_build_answers_exactly_as_a_full_build(tmp_path, embedder):
    folder = write_corpus(tmp_path / "news")
    inc_dir, full_dir = tmp_path / "inc", tmp_path / "full"
    build(folder, inc_dir, embedder=embedder)
    # Change one file, add one, remove one.
    (folder / "chess.txt").write_text((folder / "chess.txt").read_text() + "\nThe final was streamed live.\n")
    (folder / "new.txt").write_text("Title: Bridge reopens\nDate: 2024-02-01\n\nThe old river bridge reopened.")
    (folder / "bank.json").unlink()
    inc = build(folder, inc_dir, embedder=embedder)
    full = build(folder, full_dir, full=True, embedder=embedder)
    assert inc.mode == "incremental" and inc.removed_files == 1
    assert inc.embedded < full.embedded == full.passages == inc.passages
    a, b = Searcher.open(inc_dir, embedder=embedder), Searcher.open(full_dir, embedder=embedder)
    assert a.data.passages == b.data.passages and a.data.articles == b.data.articles
    for q in ["volcano lava", "chess final streamed", "bridge reopened", "interest rates", "transfer fee"]:
        ha, hb = a.search(q, k=20), b.search(q, k=20)
        assert [(h.article_id, h.start, h.end) for h in ha] == [(h.article_id, h.start, h.end) for h in hb]
        assert [h.score for h in ha] == pytest.approx([h.score for h in hb], abs=2e-3)


def test_unchanged_rebuild_embeds_nothing(tmp_path, fake_embedder):
    folder = write_corpus(tmp_path / "news")
    build(folder, tmp_path / "idx", embedder=fake_embedder)
    again = build(folder, tmp_path / "idx", embedder=fake_embedder)
    assert again.embedded == 0 and again.passages > 0
