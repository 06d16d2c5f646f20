"""Stories on small invented corpora (tests/story_texts.py), with the real model: which articles are one
story, how an incremental build keeps or regroups them, and the similarity they are grouped by."""
import datetime as dt
import json
import shutil

import pytest

from index.build import build
from index.storage import IndexDamaged, current_generation, load_generation
from search import Searcher
from tests.story_texts import FILLER, FLOOD, FLOOD_LATER, NAMESAKES, write_stories


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
