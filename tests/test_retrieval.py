"""Retrieval modes, as-of dates, near-duplicate collapse, outlet limits and answer sentences, on invented news."""
import datetime as dt
import json

import numpy as np
import pytest

from index.build import build
from index.chunking import split_sentences
from index.lexical import Lexical, passage_texts, tokenize
from search import BadRequest, Searcher
from search.ranking import DEFAULT_MODE, MODES
from tests.news_texts import ARTICLES, built_searcher, write_corpus

WIRE = ("Engineers reopened the Halvard river bridge on Monday after an eighteen-month repair. The city council "
        "said the bridge carries twelve thousand cars a day. Cyclists will get a separate lane from April.")
MORE = {
    "wire-a.txt": f"Title: Halvard bridge reopens\nDate: 2024-02-05\nSource: Valley Courier\n\n{WIRE}\n",
    "wire-b.txt": f"Title: River bridge open again\nDate: 2024-02-06\nSource: Coast Gazette\n\n{WIRE}\n",
    "later.txt": "Title: Bridge tolls announced\nDate: 2024-03-01\nSource: Valley Courier\n\n"
                 "The council announced tolls for the Halvard river bridge, starting in May.\n",
    "undated.txt": "Title: Bridge history\nSource: Coast Gazette\n\nThe Halvard river bridge was first built in "
                   "1911 of timber and rebuilt in steel in 1958.\n",
}


@pytest.fixture(scope="module")
def searcher(tmp_path_factory, embedder):
    return built_searcher(tmp_path_factory, embedder, {**ARTICLES, **MORE})


@pytest.mark.parametrize("mode", MODES)
def test_every_mode_is_selectable_and_finds_the_article(searcher, mode):
    hits = searcher.search("Who won the rapid chess championship in Samarkand?", k=3, mode=mode)
    assert hits and hits[0].article_id == "chess.txt"
    assert [h.rank for h in hits] == list(range(1, len(hits) + 1))
    assert all(a.score >= b.score for a, b in zip(hits, hits[1:]))


def test_default_mode_and_unknown_modes(searcher):
    assert DEFAULT_MODE in MODES
    assert [h.article_id for h in searcher.search("lava Grindavik", k=2)] == \
        [h.article_id for h in searcher.search("lava Grindavik", k=2, mode=DEFAULT_MODE)]
    with pytest.raises(BadRequest, match="hybrid"):
        searcher.search("lava", mode="magic")
    with pytest.raises(BadRequest, match="per_source"):
        searcher.search("lava", per_source=0)


def test_bm25_mode_ranks_by_shared_words(searcher):
    # Only the bank story says "mortgage"; BM25 must put it first whatever the vectors say.
    assert searcher.search("mortgage lenders", k=1, mode="bm25")[0].article_id == "bank.json"


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("as_of", [dt.date(2023, 8, 14), dt.date(2023, 11, 2), dt.date(2024, 2, 5),
                                   dt.date(2024, 2, 29), dt.date(2030, 1, 1)])
def test_as_of_never_admits_a_later_or_undated_article(searcher, mode, as_of):
    hits = searcher.search("Halvard river bridge", k=20, mode=mode, as_of=as_of)
    assert all(h.date is not None and h.date <= as_of for h in hits)
    assert all(d is not None and d <= as_of for h in hits for _, d, _ in h.also)
    everything = {a.id for a in searcher.data.articles.values() if a.date and a.date <= as_of}
    assert {h.article_id for h in hits} | {a for h in hits for _, _, a in h.also} <= everything


def test_as_of_before_everything_gives_nothing(searcher):
    assert searcher.search("bridge", k=5, as_of=dt.date(2000, 1, 1)) == []


def test_syndicated_copies_collapse_into_one_hit_listing_the_others(searcher):
    hits = searcher.search("When did the Halvard bridge reopen?", k=5)
    wire = [h for h in hits if h.article_id in ("wire-a.txt", "wire-b.txt")]
    assert len(wire) == 1
    other = {"wire-a.txt": ("Coast Gazette", dt.date(2024, 2, 6), "wire-b.txt"),
             "wire-b.txt": ("Valley Courier", dt.date(2024, 2, 5), "wire-a.txt")}[wire[0].article_id]
    assert other in wire[0].also
    assert json.dumps(wire[0].to_json())   # dates in `also` serialise
    apart = searcher.search("When did the Halvard bridge reopen?", k=5, collapse=False)
    assert {"wire-a.txt", "wire-b.txt"} <= {h.article_id for h in apart}


def test_per_source_limits_hits_per_outlet(searcher):
    hits = searcher.search("Halvard river bridge", k=10, per_source=1, collapse=False)
    outlets = [(h.source or "").lower() for h in hits]
    assert len(outlets) == len(set(outlets)) >= 2


@pytest.mark.parametrize("mode", MODES)
def test_answer_sentence_offsets_slice_the_passage(searcher, mode):
    for q in ["How many cars cross the bridge a day?", "What was the prize fund?", "Where did lava flow?"]:
        for h in searcher.search(q, k=4, mode=mode):
            assert 0 <= h.answer_start < h.answer_end <= len(h.text)
            assert (h.answer_start, h.answer_end) in split_sentences(h.text)
            assert h.answer == h.text[h.answer_start:h.answer_end]
    top = searcher.search("How many cars cross the bridge a day?", k=1, mode=mode)[0]
    assert "twelve thousand cars" in top.answer


def test_lexical_index_scores_every_row_and_skips_unknown_words():
    texts = ["Central bank raises rates", "Volcano erupts", ""]
    lex = Lexical.build(texts)
    scores = lex.scores(tokenize("bank rates zyzzyva"))
    assert scores.shape == (3,) and scores[0] > 0 and scores[1] == scores[2] == 0
    assert not Lexical.build([]).scores(["bank"]).any()


def test_incremental_build_keeps_the_bm25_side_equal_to_a_full_build(tmp_path, fake_embedder):
    folder = write_corpus(tmp_path / "news", {**ARTICLES, **MORE})
    build(folder, tmp_path / "inc", embedder=fake_embedder)
    (folder / "later.txt").write_text(MORE["later.txt"] + "\nDrivers with a resident card ride free.\n")
    (folder / "chess.txt").unlink()
    (folder / "ferry.txt").write_text("Title: Ferry returns\nDate: 2024-03-03\n\nThe ferry to Orkney sails again.")
    inc = build(folder, tmp_path / "inc", embedder=fake_embedder)
    build(folder, tmp_path / "full", full=True, embedder=fake_embedder)
    a, b = (Searcher.open(tmp_path / d, embedder=fake_embedder) for d in ("inc", "full"))
    assert inc.mode == "incremental" and a.data.passages == b.data.passages
    for q in ["resident card", "ferry Orkney", "chess", "bridge tolls", "interest rate"]:
        terms = tokenize(q)
        assert np.array_equal(a.data.lexical.scores(terms), b.data.lexical.scores(terms))
        for mode in ("bm25", "hybrid"):
            assert [(h.article_id, h.start, h.score) for h in a.search(q, k=8, mode=mode)] == \
                   [(h.article_id, h.start, h.score) for h in b.search(q, k=8, mode=mode)]
    # The BM25 side reads exactly the current passages (the removed article is gone).
    texts = passage_texts(a.data.articles, a.data.passages)
    assert a.data.lexical.rows == len(texts) and not any("Samarkand" in t for t in texts)


def test_a_damaged_bm25_file_is_refused(tmp_path, fake_embedder, news_dir):
    from index.storage import IndexDamaged, current_generation, load_generation
    build(news_dir, tmp_path / "idx", embedder=fake_embedder)
    gen = current_generation(tmp_path / "idx")
    manifest = json.loads((gen / "manifest.json").read_text())
    lexical_files = [n for n in manifest["data"] if n.startswith("lexical/")]
    assert lexical_files and all((gen / n).exists() for n in lexical_files)
    path = gen / next(n for n in lexical_files if n.endswith(".npy"))
    raw = bytearray(path.read_bytes())
    raw[-1] ^= 0xFF
    path.write_bytes(bytes(raw))
    with pytest.raises(IndexDamaged, match="checksum"):
        load_generation(tmp_path / "idx")


def test_recency_prior_does_not_bury_an_undated_article(searcher):
    hit = searcher.search("When was the Halvard bridge first built of timber?", k=1)[0]
    assert hit.article_id == "undated.txt" and hit.date is None


def test_an_index_holding_a_future_date_still_counts_recency_back_from_the_newest_real_one(
        tmp_path, embedder, monkeypatch):
    import corpus.dates
    folder = write_corpus(tmp_path / "news", {**ARTICLES, **MORE, "typo.txt": (
        "Title: Bridge fair planned\nDate: 2099-02-01\nSource: Coast Gazette\n\n"
        "A fair will be held on the Halvard river bridge next summer, with stalls and a parade.\n")})
    # built before dates more than 2 days ahead were refused: the 2099 typo is in the index
    monkeypatch.setattr(corpus.dates, "today", lambda: dt.date(2100, 1, 1))
    build(folder, tmp_path / "idx", embedder=embedder)
    monkeypatch.undo()
    searcher = Searcher.open(tmp_path / "idx", embedder=embedder)
    assert max(a.date for a in searcher.data.articles.values() if a.date).year == 2099
    hits = searcher.search("When will tolls on the Halvard river bridge start?", k=3)
    assert hits[0].article_id == "later.txt"   # not every real article 75 years "old" beside the typo


def test_an_outlet_limit_still_fills_k_from_the_other_outlets(tmp_path_factory, embedder):
    facts = ["start in May for every car", "cost two crowns for a car and five for a lorry",
             "be collected by cameras, not booths", "pay for the repairs of the piers", "end when the loan is repaid",
             "be waived for cyclists and walkers", "rise each January with prices", "be halved at night",
             "fund a new ferry pier as well", "be cheaper for residents of Eastvale", "apply to buses from June",
             "be reviewed by the council in a year", "bring in a million crowns a year", "be paid by phone or card",
             "not apply to emergency vehicles"]
    tolls = {f"big-{n}.txt": f"Title: Halvard bridge tolls will {fact}\nDate: 2024-03-{n + 1:02d}\nSource: Big Daily\n\n"
             f"Tolls on the Halvard river bridge will {fact}, the council said.\n" for n, fact in enumerate(facts, 1)}
    said = ["Among other business the council discussed tolls on the Halvard river bridge.",
            "Drivers in Eastvale complained that bridge tolls would hurt the market.",
            "A ferry operator welcomed the plan for tolls on the Halvard crossing."]   # unlike each other
    others = {f"small-{n}.txt": f"Title: Council notes {n}\nDate: 2024-02-{n:02d}\nSource: Outlet {n}\n\n{text}\n"
              for n, text in enumerate(said, 1)}
    searcher = built_searcher(tmp_path_factory, embedder, {**tolls, **others})
    from search.params import RankParams
    shallow = RankParams(candidates=10)   # as the defaults' 100 candidates are on a corpus of thousands
    hits = searcher.search("When do tolls on the Halvard bridge start?", k=4, per_source=1, params=shallow)
    assert len(hits) == 4 and len({h.source for h in hits}) == 4   # not 2 from a ranking only 12 deep


def test_api_arguments_as_scripts_give_them(searcher):
    import numpy as np

    from search.params import RankParams
    only = searcher.search("Halvard river bridge", k=np.int64(3), sources=(s for s in ["Coast Gazette"]))
    assert only and {h.source for h in only} == {"Coast Gazette"}   # a generator's outlets still filter
    assert len(searcher.search("bridge", k=np.int32(2), per_source=np.int64(1))) <= 2
    with pytest.raises(BadRequest, match="params must be a search.params.RankParams"):
        searcher.search("bridge", params={"sentence_weight": 0.7})
    assert searcher.search("bridge", k=2, params=RankParams(sentence_weight=0.7))
