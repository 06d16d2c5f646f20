"""The cross-validated evaluation: its cached re-ordering ranks exactly as Searcher.search does under the same
constants, folds never choose with the week they score, and the ranking levers behave as documented."""
import datetime as dt

import numpy as np
import pytest

from bench.crossval import cross_validate, cv_row, grid_points, prepare, week_of
from bench.data import Question
from bench.metrics import first_relevant
from search.params import RankParams
from search.ranking import MODES
from search.rerank import best_of
from search.signals import answer_type, cap_per_article, expansion_terms, typed_sentences
from tests.news_texts import ARTICLES, built_searcher

MORE = {
    "bridge.txt": "Title: Halvard bridge reopens\nDate: 2024-02-05\nSource: Valley Courier\n\nEngineers reopened the "
                  "Halvard river bridge on Monday after an eighteen-month repair. The council said it carries "
                  "12,000 cars a day. Mayor Ingrid Solberg cut the ribbon.\n",
    "tolls.txt": "Title: Bridge tolls announced\nDate: 2024-03-01\nSource: Coast Gazette\n\nThe council announced "
                 "tolls for the Halvard river bridge, starting in May. Drivers will pay 2 euros.\n",
}
QUESTIONS = [
    Question("1", dt.date(2024, 1, 16), "Which town did lava reach this week?", ("Grindavik",)),
    Question("2", dt.date(2024, 1, 17), "How many residents had been evacuated?", ("3,700",)),
    Question("3", dt.date(2023, 12, 29), "Where was the rapid chess championship held?", ("Samarkand",)),
    Question("4", dt.date(2023, 11, 3), "At what level did the central bank hold its rate?", ("4.5 percent",)),
    Question("5", dt.date(2024, 2, 6), "Who cut the ribbon on the reopened bridge?", ("Ingrid Solberg",)),
    Question("6", dt.date(2024, 3, 2), "How much will drivers pay to cross the Halvard bridge?", ("2 euros",)),
]
VARIANTS = [RankParams(), RankParams(rerank_depth=2, sentence_weight=0.9), RankParams(rrf_k=5, recency_days=30),
            RankParams(prf_titles=2, prf_weight=0.5), RankParams(per_article=1), RankParams(fusion="blend"),
            RankParams(answer_type_weight=0.3, title_weight=0.2)]


@pytest.fixture(scope="module")
def searcher(tmp_path_factory, embedder):
    return built_searcher(tmp_path_factory, embedder, {**ARTICLES, **MORE})


@pytest.mark.parametrize("as_of", [False, True])
@pytest.mark.parametrize("mode", MODES)
def test_cached_reordering_ranks_as_the_searcher_does(searcher, mode, as_of):
    cases = prepare(searcher, QUESTIONS, as_of)
    for params in VARIANTS:
        for q, case in zip(QUESTIONS, cases):
            hits = searcher.search(q.question, k=20, mode=mode, as_of=q.date if as_of else None, params=params)
            assert case.first_relevant(mode, params) == first_relevant([h.text for h in hits], q.answers), \
                (q.question, params.changed())


def test_constants_passed_in_change_the_order(searcher):
    question = "Halvard bridge"
    plain = [h.article_id for h in searcher.search(question, k=2)]
    assert plain == [h.article_id for h in searcher.search(question, k=2, params=RankParams())]
    # All weight on recency: the newest article on the bridge comes first.
    newest = searcher.search(question, k=2, params=RankParams(recency_weight=50.0, recency_days=10))
    assert newest[0].article_id == "tolls.txt"
    with pytest.raises(ValueError, match="rerank_depth"):
        RankParams(rerank_depth=0)


def test_each_fold_chooses_without_its_own_week():
    # Point 0 is perfect on week A only, point 1 on week B only: each week is scored by the other's choice.
    weeks = [(2023, 40), (2023, 40), (2023, 41), (2023, 41)]
    table = [[1, 1, None, None], [None, None, 1, 1]]
    out, chosen = cross_validate(table, weeks)
    assert chosen == [1, 0] and out == [None, None, None, None]
    assert cross_validate([[1, 2, 3, 4]], weeks) == ([1, 2, 3, 4], [0, 0])   # one point: CV = in-sample


def test_cv_row_reports_in_sample_and_out_of_week(searcher):
    cases = prepare(searcher, QUESTIONS, False)
    assert len({c.week for c in cases}) == len({week_of(q.date) for q in QUESTIONS}) > 2
    row = cv_row(cases, "hybrid+rerank", {"sentence_weight": (0.3, 0.6, 0.9)})
    assert row["grid"] == 3 and len(row["chosen"]) == len({c.week for c in cases})
    # Out-of-week scoring can never beat the best in-sample point of the same grid.
    best = max(cv_row(cases, "hybrid+rerank", {"sentence_weight": (w,)})["R@5"] for w in (0.3, 0.6, 0.9))
    assert row["R@5"] <= best
    assert len(grid_points({"rrf_k": (10, 20), "rerank_depth": (5, 50, 100)})) == 6


def test_answer_type_of_questions():
    assert answer_type("How many days did the strike last?") == "number"
    assert answer_type("When did the talks collapse?") == "date"
    assert answer_type("Which team won the derby?") == "name"
    assert answer_type("Whose memo leaked?") == "name"
    assert answer_type("Why did the talks collapse?") is None


def test_answer_type_weight_moves_the_answer_to_a_sentence_of_the_asked_kind():
    text = "The strike was long and bitter for everyone. It lasted 46 days."
    spans = [(0, 44), (45, 63)]
    cos = np.array([0.50, 0.45])
    assert best_of([text], [spans], cos)[0].start == 0
    bonus = 0.1 * typed_sentences(text, spans, "number")
    best = best_of([text], [spans], cos, bonus)[0]
    assert (text[best.start:best.end], round(best.score, 2)) == ("It lasted 46 days.", 0.55)


def test_per_article_cap_and_expansion_terms():
    ranked = [((r, 1.0), a) for r, a in enumerate("aaab")]
    assert [r for r, _ in cap_per_article(ranked, 2, top=3)] == [0, 1, 3, 2]
    assert [r for r, _ in cap_per_article(ranked, 0)] == [0, 1, 2, 3]
    assert expansion_terms(["bridg"], [["halvard", "bridg"], ["bridg", "toll", "halvard"]]) == ("halvard", "toll")
