"""Stories and timelines on small invented corpora (tests/story_texts.py), with the real model."""
import datetime as dt
import io
import json
import shutil

import pytest

from index.build import build
from index.storage import IndexDamaged, current_generation, load_generation
from search import Searcher
from search.__main__ import main as search_main
from tests.story_texts import FILLER, FIRE, FLOOD, FLOOD_LATER, NAMESAKES, QUAKE, TRUCE, WAR, _doc, write_stories

QUESTION = "How many people died in the Marrowby floods?"


@pytest.fixture(scope="module")
def searcher(story_corpus, embedder):
    return Searcher.open(story_corpus[1], embedder=embedder)


def test_one_event_covered_by_two_outlets_over_three_days_is_one_story(searcher):
    story = searcher.story("flood-2.md")
    assert story.article_ids == ("flood-1.md", "flood-2.md", "flood-3.md", "flood-explainer.md")  # undated last
    assert (story.first_date, story.last_date) == (dt.date(2024, 3, 4), dt.date(2024, 3, 6))
    assert story.sources == ("Valley Post", "Northern Ledger")
    assert "Marrowby" in story.label and searcher.story("flood-3.md") == story
    assert searcher.story("no-such-article") is None


def test_two_events_sharing_a_name_stay_apart(searcher):
    chess, fraud = searcher.story("chess-ferrow.md"), searcher.story("fraud-ferrow.md")
    assert chess.id != fraud.id
    assert chess.article_ids == ("chess-ferrow.md",) and fraud.article_ids == ("fraud-ferrow.md",)
    assert searcher.story("bakery.md").article_ids == ("bakery.md",)


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


def test_stories_of_a_period_newest_first_each_as_it_stood_within_it(searcher):
    later = searcher.stories(since=dt.date(2024, 3, 6))
    assert {s.article_ids for s in later} == {("flood-3.md",), ("fraud-ferrow.md",)}
    listed = searcher.stories(until=dt.date(2024, 3, 5))
    assert [s.last_date for s in listed] == sorted((s.last_date for s in listed), reverse=True)
    assert {s.article_ids for s in listed} == {("flood-1.md", "flood-2.md"), ("chess-ferrow.md",), ("bakery.md",)}
    flood = next(s for s in listed if "flood-1.md" in s.article_ids)
    assert flood.last_date == dt.date(2024, 3, 5)   # nothing of the 6 March report
    assert FLOOD_STORY in [s.article_ids for s in searcher.stories()]
    assert ("chess-ferrow.md",) in [s.article_ids for s in searcher.stories(sources=["Board Games Weekly"])]


def test_filters_choose_the_entries_shown_not_what_counts_as_said_before(searcher):
    full = {e.article_id: e for e in searcher.timeline(QUESTION)}
    for entry in (searcher.timeline(QUESTION, sources=["Northern Ledger"])[0],
                  searcher.timeline(QUESTION, since=dt.date(2024, 3, 5))[0]):
        assert entry.article_id == "flood-2.md" and not entry.first_report   # Valley Post reported it first
        assert entry.new == full["flood-2.md"].new and entry.updates == full["flood-2.md"].updates
        assert any("12 → 31" in c for u in entry.updates for c in u.changed)


FLOOD_STORY = ("flood-1.md", "flood-2.md", "flood-3.md", "flood-explainer.md")


def test_as_of_the_story_line_tells_nothing_of_later_coverage(searcher):
    from search.stories import story_caption, visible_story
    stories = searcher.story_index()
    flood = stories.table.story_of["flood-1.md"]
    assert story_caption(stories, flood) == searcher.story("flood-1.md").caption   # no filters: the whole story
    assert story_caption(stories, flood, as_of=dt.date(2024, 3, 5)).endswith(
        ", 2 articles, 2024-03-04 → 2024-03-05")                                   # undated explainer left out too
    assert story_caption(stories, flood, until=dt.date(2024, 3, 6), as_of=dt.date(2024, 3, 4)).endswith(
        ", 1 article, 2024-03-04")
    later = visible_story(stories, flood, since=dt.date(2024, 3, 5))
    assert later.article_ids == ("flood-2.md", "flood-3.md") and later.sources == ("Northern Ledger", "Valley Post")
    assert later.label in {searcher.data.articles[a].title for a in later.article_ids}
    assert visible_story(stories, flood, until=dt.date(2024, 3, 1)) is None
    assert story_caption(stories, None, as_of=dt.date(2024, 3, 5)) is None


def test_a_story_of_live_blogs_is_labelled_by_one_of_them_not_by_an_off_topic_member():
    import numpy as np

    from index.story_labels import central_title
    titles = ["Selk flood live updates: toll rises to 12", "Selk flood updates: rescuers reach the delta",
              "Harbour fire stays at 70 acres"]
    vectors = np.array([[1.0, 0.0], [0.96, 0.28], [0.0, 1.0]])   # the fire piece far from the blogs' centre
    assert central_title(titles, vectors).startswith("Selk flood")
    assert central_title(titles + ["Selk delta flooded as river bursts"],
                         np.vstack([vectors, [[0.9, 0.44]]])) == "Selk delta flooded as river bursts"


def test_as_of_the_story_label_comes_from_an_article_published_by_then():
    """Hand-made vectors: the whole story's most central article is the latest one."""
    import numpy as np
    from types import SimpleNamespace

    from corpus.records import Article
    from index.stories import StoryTable
    from index.storage import Passage
    from search.stories import StoryIndex, story_caption
    arts = {a.id: a for a in (Article("a", "a", "x", "Volcano erupts", dt.date(2024, 1, 1)),
                              Article("b", "b", "x", "Town evacuated", dt.date(2024, 1, 2)),
                              Article("c", "c", "x", "Eruption and evacuation reviewed", dt.date(2024, 1, 3)))}
    vectors = np.array([[1, 0, 0], [0, 1, 0], [0.7, 0.7, 0.1]], np.float32)
    table = StoryTable.from_groups({0: ["a", "b", "c"]}, {0: "Eruption and evacuation reviewed"})
    data = SimpleNamespace(articles=arts, passages=[Passage(a, 0, 1) for a in arts], stories=table,
                           store=SimpleNamespace(vectors=lambda ids: vectors[np.asarray(ids, dtype=np.int64)]))
    stories = StoryIndex(data)
    assert story_caption(stories, 0) == "part of: Eruption and evacuation reviewed, 3 articles, 2024-01-01 → 2024-01-03"
    assert story_caption(stories, 0, as_of=dt.date(2024, 1, 2)) in {
        f"part of: {t}, 2 articles, 2024-01-01 → 2024-01-02" for t in ("Volcano erupts", "Town evacuated")}
    assert story_caption(stories, 0, as_of=dt.date(2024, 1, 2), since=dt.date(2024, 1, 2)) == \
        "part of: Town evacuated, 1 article, 2024-01-02"


def test_an_added_article_joins_its_story_without_regrouping(tmp_path, embedder):
    folder = write_stories(tmp_path / "news", FLOOD, NAMESAKES, FILLER)
    build(folder, tmp_path / "idx", embedder=embedder)
    before = load_generation(tmp_path / "idx").stories
    write_stories(folder, FLOOD_LATER)
    summary = build(folder, tmp_path / "idx", embedder=embedder)
    assert summary.mode == "incremental" and summary.embedded == 1
    after = load_generation(tmp_path / "idx").stories
    assert after.story_of["flood-4.md"] == after.story_of["flood-1.md"] == before.story_of["flood-1.md"]
    assert {a: s for a, s in after.story_of.items() if a != "flood-4.md"} == before.story_of
    manifest = load_generation(tmp_path / "idx").manifest
    assert set(manifest["data"]["stories/stories.json"]) == {"bytes", "sha256"}


def test_an_edited_article_is_placed_afresh_and_unchanged_ones_keep_their_story(tmp_path, embedder):
    """Same id, other text (an edited file; a re-fetched feed's `key#n`): the old story is not kept."""
    folder = write_stories(tmp_path / "news", FLOOD, NAMESAKES, FILLER)
    build(folder, tmp_path / "idx", embedder=embedder)
    before = load_generation(tmp_path / "idx").stories
    assert before.story_of["flood-3.md"] == before.story_of["flood-1.md"] != before.story_of["bakery.md"]
    write_stories(folder, {"flood-3.md": NAMESAKES["fraud-ferrow.md"], "bakery.md": FLOOD_LATER["flood-4.md"]})
    summary = build(folder, tmp_path / "idx", embedder=embedder)
    assert summary.mode == "incremental" and summary.embedded == 2
    after = load_generation(tmp_path / "idx").stories
    assert after.story_of["flood-3.md"] == after.story_of["fraud-ferrow.md"] == before.story_of["fraud-ferrow.md"]
    assert after.story_of["bakery.md"] == after.story_of["flood-1.md"] == before.story_of["flood-1.md"]
    unchanged = ("flood-1.md", "flood-2.md", "chess-ferrow.md", "fraud-ferrow.md")
    assert {a: after.story_of[a] for a in unchanged} == {a: before.story_of[a] for a in unchanged}


def test_stories_grouped_by_an_earlier_rule_are_grouped_afresh_by_the_next_build(tmp_path, embedder, monkeypatch,
                                                                                 capsys):
    """An upgrade that changes the grouping rule must not leave every kept article in its old story."""
    import index.stories as stories
    folder = write_stories(tmp_path / "news", FLOOD, NAMESAKES)
    real_settings, real_group, kept = stories.settings, stories.group, []
    monkeypatch.setattr(stories, "settings", lambda *a: {**real_settings(*a), "join": 0.1})   # "an earlier version"
    build(folder, tmp_path / "idx", embedder=embedder)
    monkeypatch.setattr(stories, "settings", real_settings)
    assert not load_generation(tmp_path / "idx").stories.current
    from index.__main__ import main as index_main
    assert index_main(["info", "--index", str(tmp_path / "idx")]) == 0
    assert "stories, grouped by an earlier rule: the next build groups them afresh" in capsys.readouterr().out
    searcher = Searcher.open(tmp_path / "idx", embedder=embedder)      # before the next build: grouped on use
    assert searcher.story_index().table.current and searcher.story_index().table is not searcher.data.stories
    monkeypatch.setattr(stories, "group", lambda *a, **k: kept.append(a[2]) or real_group(*a, **k))
    write_stories(folder, FLOOD_LATER)
    build(folder, tmp_path / "idx", embedder=embedder)      # incremental: one file embedded
    assert load_generation(tmp_path / "idx").stories.current
    write_stories(folder, FILLER)
    build(folder, tmp_path / "idx", embedder=embedder)
    assert kept[0] is None and kept[1] is not None          # regrouped after the upgrade, then kept as usual
    assert index_main(["info", "--index", str(tmp_path / "idx")]) == 0
    assert "stories, grouped by this version's rule" in capsys.readouterr().out


def test_a_tampered_story_file_is_refused(tmp_path, embedder):
    folder = write_stories(tmp_path / "news", FILLER, NAMESAKES)
    build(folder, tmp_path / "idx", embedder=embedder)
    path = current_generation(tmp_path / "idx") / "stories" / "stories.json"
    path.write_text(path.read_text().replace("Banker", "Baker"))
    with pytest.raises(IndexDamaged, match="stories.json"):
        load_generation(tmp_path / "idx")


def test_cli_timeline_and_stories(searcher, capsys):
    out = io.StringIO()
    index = str(searcher.index_dir)
    assert search_main(["timeline", QUESTION, "--json", "--as-of", "2024-03-05", "--index", index], out) == 0
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [r["article_id"] for r in rows] == ["flood-1.md", "flood-2.md"] and rows[0]["first_report"]
    out = io.StringIO()
    assert search_main(["timeline", QUESTION, "--as-of", "2024-03-05", "--index", index], out) == 0
    assert ", 2 articles, 2024-03-04 → 2024-03-05 ==" in out.getvalue()   # the header tells nothing of later days
    out = io.StringIO()
    assert search_main(["timeline", QUESTION, "--index", index], out) == 0
    assert "[first report]" in out.getvalue() and "12 → 31" in out.getvalue()
    out = io.StringIO()
    assert search_main(["stories", "--since", "2024-03-06", "--index", index], out) == 0
    assert "Marrowby" in out.getvalue().splitlines()[0] and len(out.getvalue().splitlines()) == 2


def test_cli_prints_each_story_once_with_its_entries_under_it(searcher, capsys):
    from search.stories_cli import _print_timeline
    from search.timeline import build_timeline
    stories = searcher.story_index()
    ids = [stories.table.story_of[a] for a in ("flood-1.md", "chess-ferrow.md")]
    entries = build_timeline(stories, ids)   # flood 4-6 March, chess 5 March: interleaved by date
    assert [e.article_id for e in entries][:4] == ["flood-1.md", "flood-2.md", "chess-ferrow.md", "flood-3.md"]
    out = io.StringIO()
    _print_timeline(searcher, entries, False, out, (None, None, None))
    lines = out.getvalue().splitlines()
    headers = [n for n, line in enumerate(lines) if line.startswith("== ")]
    assert len(headers) == 2 and "Marrowby" in lines[headers[0]] and "chess" in lines[headers[1]]
    assert "chess-ferrow" not in "".join(lines[:headers[1]]) and "Tomas Ferrow" in lines[headers[1] + 1]
    with pytest.raises(SystemExit):
        search_main(["stories", "--limit", "0", "--index", str(searcher.index_dir)], io.StringIO())
    assert "--limit: must be a whole number of at least 1" in capsys.readouterr().err


def test_an_index_built_before_stories_is_grouped_on_use_and_the_next_build_stores_them(tmp_path, embedder):
    folder = write_stories(tmp_path / "news", FLOOD, FILLER)
    build(folder, tmp_path / "idx", embedder=embedder)
    gen = current_generation(tmp_path / "idx")   # made to look like an index written before stories
    manifest = json.loads((gen / "manifest.json").read_text())
    del manifest["data"]["stories/stories.json"]
    (gen / "manifest.json").write_text(json.dumps(manifest))
    shutil.rmtree(gen / "stories")
    old = Searcher.open(tmp_path / "idx", embedder=embedder)
    assert old.data.stories is None
    assert old.story("flood-2.md").article_ids == ("flood-1.md", "flood-2.md", "flood-3.md")
    summary = build(folder, tmp_path / "idx", embedder=embedder)
    assert summary.embedded == 0
    assert set(load_generation(tmp_path / "idx").stories.groups.values()) == {
        ("flood-1.md", "flood-2.md", "flood-3.md"), ("bakery.md",)}


def test_the_join_rule_can_be_varied_without_touching_the_defaults():
    """Plumbing for bench/stories.py --sweep: two identical reports 100 days apart (hand-made vectors)."""
    import numpy as np
    from dataclasses import replace

    from corpus.records import Article
    from index.lexical import Lexical, passage_texts
    from index.stories import Rule, group
    from index.story_features import ArticleFeatures
    from index.storage import Passage
    arts = [Article("a", "a", "Lava reached Grindavik.", "Lava", dt.date(2024, 1, 1)),
            Article("b", "b", "Lava reached Grindavik.", "Lava", dt.date(2024, 4, 10))]
    ps = [Passage(a.id, 0, len(a.text)) for a in arts]
    features = ArticleFeatures.build(arts, ps, np.ones((2, 4), np.float32),
                                     Lexical.build(passage_texts({a.id: a for a in arts}, ps)))
    by_id = {a.id: a for a in arts}
    assert len(group(features, by_id).groups) == 2                     # outside the 60-day window
    assert len(group(features, by_id, rule=Rule(window_days=120)).groups) == 1
    assert len(group(features, by_id, rule=Rule(window_days=120, join=1.0)).groups) == 2  # 1 - gap penalty < 1
    assert len(group(replace(features, term_weight=0.0), by_id, rule=Rule(window_days=120, gap_penalty=0)).groups) == 1


def test_the_rest_of_a_story_that_lost_an_article_is_placed_afresh():
    """A first report kept apart from its follow-ups only while a third report stood between them joins them once
    that report's file is deleted, as a full build would group it; an edited report keeps the others in place."""
    import numpy as np
    from dataclasses import replace

    from corpus.records import Article
    from index.stories import StoryTable, digest, group
    arts = {i: Article(i, i, f"Report {i}.", f"Report {i}", dt.date(2024, 1, d)) for i, d in (("a", 1), ("b", 2), ("c", 3))}
    previous = StoryTable.from_groups({0: ["a"], 1: ["b", "c"]}, {0: "A", 1: "B"},
                                      {i: digest(a) for i, a in arts.items()})
    vectors = np.array([[1, 0, 0, 0], [0, 1, 0, 0], [0.8, 0, 0.6, 0]], np.float32)   # a·c = 0.8, b apart
    left = [arts["a"], arts["c"]]
    features = replace(_features(left, vectors[[0, 2]]), term_weight=0.0, title_weight=0.0)
    regrouped = group(features, {a.id: a for a in left}, previous)
    assert regrouped.story_of["c"] == regrouped.story_of["a"] == 0
    edited = {**arts, "b": replace(arts["b"], text="Report b, corrected.")}
    features = replace(_features(list(edited.values()), vectors), term_weight=0.0, title_weight=0.0)
    kept = group(features, edited, previous)
    assert kept.story_of["c"] == 1 and kept.story_of["a"] == 0


def _features(arts, vectors=None, sentences_apart=False):
    """Features of hand-made articles: one passage each, or one per sentence (`sentences_apart`)."""
    import numpy as np

    from index.lexical import Lexical, passage_texts
    from index.storage import Passage
    from index.story_features import ArticleFeatures
    ps = [Passage(a.id, start, start + len(piece)) for a in arts
          for start, piece in ([(a.text.index(s), s) for s in a.text.split(" | ")] if sentences_apart
                               else [(0, a.text)])]
    vectors = np.ones((len(ps), 4), np.float32) if vectors is None else vectors
    return ArticleFeatures.build(arts, ps, vectors, Lexical.build(passage_texts({a.id: a for a in arts}, ps)))


def test_the_title_match_finds_a_follow_up_and_does_not_depend_on_the_folder_size():
    """Hand-made vectors (all alike): only the lexical features tell the articles apart."""
    from corpus.records import Article
    first = Article("a", "a", "Mourners queued along the river.", "Queen lies in state at Westminster Hall",
                    dt.date(2024, 1, 1))
    follow = Article("b", "b", "The coffin left Westminster Hall, where the Queen had lain in state.",
                     "Funeral procession leaves London", dt.date(2024, 1, 4))
    other = Article("c", "c", "The King opened a hospital wing in Leeds.", "King visits Leeds", dt.date(2024, 1, 3))
    filler = [Article(f"f{i}", f"f{i}", f"Council meeting number {i} approved the budget for roads.",
                      f"Council meeting {i}", dt.date(2024, 1, 2)) for i in range(8)]
    small = _features([first, follow, other])
    follow_up, unrelated = small.titles.score(0, [1, 2])
    assert follow_up > 0.3 and unrelated == 0.0     # b holds "Queen", "state", "Westminster Hall" of a's title
    assert small.titles.score(1, [0])[0] == pytest.approx(follow_up)   # the mean of both directions: symmetric
    # A folder's idf would make "Queen" rarer among three articles than among eleven; the rarity of
    # English at large does not move, so a follow-up is found alike in a small folder and a large one.
    assert _features([first, follow, other, *filler]).titles.score(0, [1])[0] == pytest.approx(follow_up)


def test_a_columns_daily_pieces_do_not_join_one_story_by_their_shared_title():
    """BM25 reads a title before every passage; the match reads the other article without its title."""
    from dataclasses import replace

    import numpy as np

    from corpus.records import Article
    from index.stories import group
    texts = ("The lighthouse keeper retired after forty years.", "Tram fares will rise in spring.",
             "A rare orchid flowered at the botanical garden.", "The chess club elected a new captain.")
    arts = [Article(f"d{i}", f"d{i}", text, "Glenmoor Diary", dt.date(2024, 1, 1 + 7 * i))
            for i, text in enumerate(texts)]
    f = _features(arts)
    assert list(f.titles.score(0, [1, 2, 3])) == [0.0, 0.0, 0.0]
    diary = [Article("e", "e", "Spring came early. | The Glenmoor Diary turns ten this week.", "Glenmoor Diary",
                     dt.date(2024, 1, 2))]    # its text names it, in its second passage
    assert _features(arts[:1] + diary, sentences_apart=True).titles.score(0, [1])[0] == pytest.approx(0.5)
    orthogonal = replace(f, dense=np.eye(4, 4, dtype=np.float32))   # the texts share nothing else either
    assert len(group(orthogonal, {a.id: a for a in arts}).groups) == 4
    # A long article is many passages, and BM25 puts the title before each one of them.
    long = [replace(a, text=f"{a.text} | A second passage about {word}.") for a, word in zip(arts, ("tides", "buses"))]
    assert list(_features(long, sentences_apart=True).titles.score(0, [1])) == [0.0]


def test_a_title_of_common_words_only_leaves_the_pair_to_the_other_signals():
    import numpy as np
    from dataclasses import replace

    from corpus.records import Article
    arts = [Article("a", "a", "People said the harbour flooded.", "What people said", dt.date(2024, 1, 1)),
            Article("b", "b", "People said the bakery closed.", "What people said", dt.date(2024, 1, 2))]
    f = _features(arts, vectors=np.array([[1, 0, 0, 0], [0.6, 0.8, 0, 0]], np.float32))
    assert np.isnan(f.titles.score(0, [1])[0])        # no word rarer than "said" and "people"
    dense, mixed = 0.6, replace(f, title_weight=0.0, term_weight=0.5).similarity(0, [1])[0]
    assert 0 < mixed < 1 and mixed != pytest.approx(dense)
    assert f.similarity(0, [1])[0] == pytest.approx(mixed)   # half dense, half lead terms: neither 0, 1 nor dense


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
