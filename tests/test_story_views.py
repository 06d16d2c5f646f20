"""How stories are shown (captions, labels, the period listing) and the story command lines, on the invented
story corpus (tests/story_texts.py) with the real model."""
import datetime as dt
import io
import json

import pytest

from search import Searcher
from search.__main__ import main as search_main
from tests.story_texts import QUESTION

FLOOD_STORY = ("flood-1.md", "flood-2.md", "flood-3.md", "flood-explainer.md")


@pytest.fixture(scope="module")
def searcher(story_corpus, embedder):
    return Searcher.open(story_corpus[1], embedder=embedder)


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
