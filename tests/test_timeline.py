"""Timelines of the small invented stories (tests/story_texts.py), with the real model: what each day added,
which later sentence updates an earlier figure, and which close restatements revise nothing."""
import datetime as dt

import pytest

from index.build import build
from search import Searcher
from tests.story_texts import FILLER, FIRE, FLOOD, QUAKE, QUESTION, TRUCE, WAR, _doc, write_stories


@pytest.fixture(scope="module")
def searcher(story_corpus, embedder):
    return Searcher.open(story_corpus[1], embedder=embedder)


def test_the_timeline_lists_what_each_day_added_and_flags_the_changed_toll(searcher):
    entries = searcher.timeline(QUESTION)
    assert [e.article_id for e in entries] == ["flood-1.md", "flood-2.md", "flood-3.md", "flood-explainer.md"]
    assert [e.first_report for e in entries] == [True, False, False, False]
    repeated = "Rescue teams in boats pulled residents from rooftops in the lower town."
    assert repeated in entries[0].new and repeated not in entries[1].new   # said the day before: not new
    assert any("army engineers" in s for s in entries[1].new)
    update = next(u for u in entries[1].updates if any("12 → 31" in c for c in u.changed))
    assert "rose to 31" in update.sentence and "stood at 12" in update.earlier
    assert (update.date, update.source) == (dt.date(2024, 3, 5), "Northern Ledger")
    assert (update.earlier_date, update.earlier_source, update.earlier_article_id) == (
        dt.date(2024, 3, 4), "Valley Post", "flood-1.md")
    assert not any("31" in c for u in entries[2].updates for c in u.changed)  # day 3 repeats 31: no change


def test_a_toll_restated_in_other_words_is_an_update_but_another_place_or_year_is_not(tmp_path, embedder):
    build(write_stories(tmp_path / "texts", QUAKE, FILLER), tmp_path / "index", embedder=embedder)
    entries = Searcher.open(tmp_path / "index", embedder=embedder).timeline("How many died in the Veldra earthquake?")
    assert [e.article_id for e in entries] == ["quake-1.md", "quake-2.md", "quake-3.md"]
    (update,) = entries[1].updates
    assert update.changed == ("dead: 700 → 1,400",)
    assert "risen to 1,400" in update.sentence and "700 people were killed" in update.earlier
    assert (update.earlier_date, update.earlier_source) == (dt.date(2024, 5, 2), "Coast Courier")
    (update,) = entries[2].updates   # its toll is the latest one's; its injured count is day one's changed
    assert update.changed == ("injured: 900 → 3,500",) and "900 people were injured" in update.earlier


def test_each_days_release_of_hostages_is_its_own_count_not_an_update(tmp_path, embedder):
    build(write_stories(tmp_path / "texts", TRUCE, FILLER), tmp_path / "index", embedder=embedder)
    entries = Searcher.open(tmp_path / "index", embedder=embedder).timeline("How many hostages did Ardan free?")
    assert [e.article_id for e in entries] == ["truce-1.md", "truce-2.md"]
    assert entries[1].updates == () and any("11 hostages" in s for s in entries[1].new)


def test_two_sides_tolls_are_each_revised_never_one_by_the_other(tmp_path, embedder):
    build(write_stories(tmp_path / "texts", WAR, FILLER), tmp_path / "index", embedder=embedder)
    entries = Searcher.open(tmp_path / "index", embedder=embedder).timeline(
        "How many people have been killed in the fighting on the Selk border?")
    assert [e.article_id for e in entries] == ["war-1.md", "war-2.md"]
    pairs = sorted((u.sentence.split()[1], u.earlier) for u in entries[1].updates)
    assert [side for side, _ in pairs] == ["Ardanese", "Morrowan"], pairs   # each side's toll once ...
    assert "300 Ardanese" in pairs[0][1] and "40 Morrowans" in pairs[1][1]    # ... revising its own
    repeated = "The Morrow government said 40 Morrowans were killed in the Selk border war, most in a rocket strike on Pell."
    assert repeated in entries[0].new and repeated not in entries[1].new   # word for word: said before
    said = entries[0].new + entries[1].new
    assert not any(s.startswith(("Editor's note", "Sign up")) for s in said), said   # page furniture: no news


def test_a_toll_revised_by_another_source_is_an_update_and_stays_in_the_timeline(tmp_path, embedder):
    build(write_stories(tmp_path / "texts", FIRE, FILLER), tmp_path / "index", embedder=embedder)
    entries = Searcher.open(tmp_path / "index", embedder=embedder).timeline("How many people died in the wildfire?")
    assert [e.article_id for e in entries] == ["fire-1.md", "fire-2.md"]
    (update,) = entries[1].updates
    assert "55 people" in update.sentence and "34 people" in update.earlier and "34 → 55" in update.changed[0]
    assert update.sentence in entries[1].new


VALLEY = {   # one sentence told twice with figures that count different things: the fled, then the dead
    "valley-1.md": _doc("Wildfire forces residents from the Marrow valley", "2024-07-01", "Coast Courier", """
The wildfire in the Marrow valley kept burning on Monday as crews fought it from the air.

About 4,000 residents of the Marrow valley have fled their homes as the wildfire spread, county officials said.
"""),
    "valley-2.md": _doc("Marrow valley wildfire turns deadly", "2024-07-02", "Daily Meridian", """
The wildfire in the Marrow valley kept burning on Tuesday as crews fought it from the air.

About 90 residents of the Marrow valley have been killed as the wildfire spread, county officials said.
"""),
}


def test_a_restatement_counting_something_else_is_news_not_an_update(tmp_path, embedder):
    build(write_stories(tmp_path / "texts", VALLEY, FILLER), tmp_path / "index", embedder=embedder)
    entries = Searcher.open(tmp_path / "index", embedder=embedder).timeline("What happened in the Marrow valley fire?")
    assert [e.article_id for e in entries] == ["valley-1.md", "valley-2.md"]
    assert not entries[1].updates, entries[1].updates          # the dead are no revision of the fled
    assert any("90 residents" in s for s in entries[1].new)


DELTA = {   # one sentence told twice: the dead then the displaced, and the flooded homes revised
    "delta-1.md": _doc("Floods swamp the Kessin delta", "2024-05-01", "Coast Courier", """
Floodwater covered the Kessin delta on Wednesday after the river burst its banks.

At least 12 people were killed and 300 homes were flooded in the Kessin delta, officials said.
"""),
    "delta-2.md": _doc("Kessin delta floods spread", "2024-05-02", "Daily Meridian", """
Floodwater covered the Kessin delta on Thursday after the river burst its banks again.

More than 2,000 people have been displaced and 800 homes were flooded in the Kessin delta, officials said.
"""),
}


SELK = {   # the toll restated without a kind word: "has claimed" counts nothing, and is still a revision
    "selk-1.md": _doc("Fire sweeps the Selk hills", "2024-05-01", "Coast Courier", """
A wildfire swept through the Selk hills on Wednesday, driven by strong winds.

The Selk hills fire has killed at least 55 people so far, county officials said.
"""),
    "selk-2.md": _doc("Selk hills fire toll rises", "2024-05-02", "Daily Meridian", """
Crews were still fighting the wildfire in the Selk hills on Thursday as winds eased.

The Selk hills fire has claimed at least 93 people so far, county officials said.
"""),
}


def test_figures_of_two_sentences_that_both_count_are_compared_by_what_they_count(tmp_path, embedder):
    build(write_stories(tmp_path / "texts", DELTA, SELK, FILLER), tmp_path / "index", embedder=embedder)
    searcher = Searcher.open(tmp_path / "index", embedder=embedder)
    entries = searcher.timeline("How bad were the Kessin delta floods?")
    assert [e.article_id for e in entries] == ["delta-1.md", "delta-2.md"]
    (update,) = entries[1].updates
    assert "800 homes" in update.sentence and update.changed == ("buildings: 300 → 800",)   # not "12, 300 → 2,000, 800"
    entries = searcher.timeline("How many died in the Selk hills fire?")   # only the earlier sentence counts
    assert [e.article_id for e in entries] == ["selk-1.md", "selk-2.md"]
    assert [u.changed for u in entries[1].updates] == [("55 → 93",)]


@pytest.mark.parametrize("earlier, later", [
    ("At least 27 Ardanese were killed in the attack on Pell.",             # two peoples' tolls
     "The attack on Pell killed more than 1,400 Morrowan civilians and soldiers."),
    ("The Ardan death toll rose to 22 and Morrowan fatalities passed 1,200.",  # another toll in the same sentence
     "Shelling has killed more than 1,450 people in Pell."),
    ("Fighting has killed 2,800 people since the war began.",              # one strike's dead, not the toll
     "A strike on a clinic killed 15 people and wounded 50 others on Friday."),
    ("The conflict has killed more than 4,000 people.",                    # one side's dead, not the toll
     "Airstrikes on the coast have killed 2,800 people, the health ministry says."),
    ("Troops have killed 123 Ardanese, 33 of them children, in the hills.",  # a part of a count
     "At least 13 people were killed in a raid, raising the toll in the hills to 170."),
    ("About 118,000 people have been displaced in the valley.",             # hours are no count
     "The number displaced rose by 25% over the past 24 hours."),
])
def test_counts_of_different_groups_parts_or_times_are_no_revision(earlier, later):
    from search.tallies import recount, tallies
    assert recount(tallies(earlier, 2024), tallies(later, 2024)) == ()


def test_the_same_group_counted_again_is_a_revision():
    from search.tallies import recount, tallies
    assert recount(tallies("At least 27 Ardanese were killed.", 2024),
                   tallies("The Ardanese death toll rose to 31 on Friday.", 2024)) == ("dead (Ardanese): 27 → 31",)


def test_the_sentence_cache_keeps_only_the_articles_used_last(searcher, monkeypatch):
    import search.said as said
    monkeypatch.setattr(said, "CACHED_ARTICLES", 2)
    searcher.story_index().cache.clear()
    first = searcher.timeline(QUESTION)
    assert list(searcher.story_index().cache) == ["flood-3.md", "flood-explainer.md"]   # the last two read
    assert searcher.timeline(QUESTION) == first      # read again as needed: the same timeline


def test_every_outlet_of_the_first_day_is_a_first_report_whatever_its_name(tmp_path, embedder):
    """Dates carry no time: a wire piece of the same Monday is as much a first report as the Valley Post's."""
    wire = {"flood-wire.md": _doc("River Tarn bursts its banks at Marrowby", "2024-03-04", "Aardvark Wire", """
The river Tarn burst its banks at Marrowby on Monday after three days of torrential rain, flooding the lower
town. Twelve people were killed, the regional fire service said, and rescue teams in boats reached rooftops.
""")}
    build(write_stories(tmp_path / "texts", FLOOD, wire, FILLER), tmp_path / "index", embedder=embedder)
    entries = Searcher.open(tmp_path / "index", embedder=embedder).timeline(QUESTION)
    first = {e.article_id for e in entries if e.first_report}
    assert {e.article_id for e in entries} >= {"flood-wire.md", "flood-1.md", "flood-2.md"}
    assert first == {"flood-wire.md", "flood-1.md"}, [(e.article_id, e.date, e.first_report) for e in entries]


def test_undated_articles_come_last_marked_undated(searcher):
    last = searcher.timeline(QUESTION)[-1]
    assert last.undated and last.date is None and last.date_label == "undated"
    assert last.to_json()["date"] is None


def test_as_of_ends_the_timeline_that_day(searcher):
    entries = searcher.timeline(QUESTION, as_of=dt.date(2024, 3, 5))
    assert [e.article_id for e in entries] == ["flood-1.md", "flood-2.md"]   # undated ones left out too
    assert searcher.timeline(QUESTION, sources=["Northern Ledger"])[0].article_id == "flood-2.md"


def test_filters_choose_the_entries_shown_not_what_counts_as_said_before(searcher):
    full = {e.article_id: e for e in searcher.timeline(QUESTION)}
    for entry in (searcher.timeline(QUESTION, sources=["Northern Ledger"])[0],
                  searcher.timeline(QUESTION, since=dt.date(2024, 3, 5))[0]):
        assert entry.article_id == "flood-2.md" and not entry.first_report   # Valley Post reported it first
        assert entry.new == full["flood-2.md"].new and entry.updates == full["flood-2.md"].updates
        assert any("12 → 31" in c for u in entry.updates for c in u.changed)


def test_a_place_that_begins_like_a_month_is_a_place_and_a_month_a_date():
    from search.tallies import tallies
    assert tallies("Gunmen killed 5 in Maynard on Friday.", 2024) == {"dead (Maynard)": ("5",)}
    assert tallies("Gunmen killed 5 on Sept. 3.", 2024) == {"dead": ("5",)}


def test_a_timelines_stories_are_voted_by_thirty_passages_so_a_column_cannot_outvote_the_event(searcher, monkeypatch):
    """Ten passages often come from two long articles; the event's own reports rank just below them."""
    from types import SimpleNamespace

    from search.request import STORY_PASSAGES
    from search.timeline import question_stories
    story = {"one-off": 1, "column": 2, **{f"report-{n}": 3 for n in range(6)}}
    ranked = ["one-off", "column", "column", "report-0", "column", "report-1", "column", "report-2", "column",
              "report-3"] + [f"report-{n % 6}" for n in range(20)]
    hits = [SimpleNamespace(article_id=a, rank=r) for r, a in enumerate(ranked, 1)]
    stories = SimpleNamespace(table=SimpleNamespace(story_of=story))
    assert question_stories(stories, hits[:10]) == [2, 1]          # the event's reports: 0.64 of 1.29, below 0.6
    assert 3 in question_stories(stories, hits[:STORY_PASSAGES])
    asked = []
    real = searcher.search
    monkeypatch.setattr(searcher, "search", lambda q, k, **kw: asked.append(k) or real(q, k=k, **kw))
    searcher.timeline(QUESTION)
    assert asked == [STORY_PASSAGES] == [30]
