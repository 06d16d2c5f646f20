"""The page's Timeline tab and the story line of each passage card (AppTest, real model, invented texts)."""
import datetime as dt
import html
import re

import pytest
from streamlit.testing.v1 import AppTest

from tests.story_texts import QUESTION
from tests.test_ui_app import APP, ask, assert_clean
from tests.test_view import Tree


@pytest.fixture(scope="module")
def story_index(story_corpus):
    return story_corpus


@pytest.fixture()
def page(monkeypatch, embedder, story_index):
    monkeypatch.setattr("index.embed.Embedder", lambda *args, **kwargs: embedder)
    monkeypatch.setenv("NEWS_CORPUS_DIR", str(story_index[0]))
    monkeypatch.setenv("NEWS_INDEX_DIR", str(story_index[1]))
    return AppTest.from_file(APP, default_timeout=120).run()


def entries(at: AppTest) -> list[str]:
    """Each timeline entry as the reader sees it (tags out, entities read)."""
    return [html.unescape(re.sub(r"<[^>]+>", "", h.value)) for h in at.html if 'class="news-entry' in h.value]


def test_the_timeline_tab_shows_the_story_by_date_with_what_changed(page):
    at = ask(page, QUESTION)
    assert_clean(at)
    assert [t.label for t in at.tabs] == ["Passages", "Timeline", "Table"]
    shown = entries(at)
    assert [s.split(" · ")[0] for s in shown] == ["2024-03-04", "2024-03-05", "2024-03-06", "undated"]
    assert "first report" in shown[0] and "first report" not in shown[1]
    assert "12 → 31" in shown[1] and "Valley Post" in shown[1]
    assert any("undated article" in c.value for c in at.caption)


def test_each_passage_card_names_its_story(page):
    at = ask(page, QUESTION)
    story_lines = [Tree(h.value).text.get("story") for h in at.html if 'class="news-card"' in h.value]
    assert "part of: " in story_lines[0] and "4 articles, 2024-03-04 → 2024-03-06" in story_lines[0]


def test_as_of_ends_the_timeline(page):
    at = ask(page, QUESTION)
    at.date_input(key="as_of").set_value(dt.date(2024, 3, 5)).run()
    assert_clean(at)
    assert [s.split(" · ")[0] for s in entries(at)] == ["2024-03-04", "2024-03-05"]


def test_as_of_the_story_lines_tell_nothing_of_later_coverage(page):
    """The card's story line and the timeline's header count, date and label only what was out by then."""
    at = ask(page, QUESTION)
    at.date_input(key="as_of").set_value(dt.date(2024, 3, 5)).run()
    assert_clean(at)
    titles = {"Floods sweep through Marrowby after river bursts its banks",
              "Marrowby flood death toll rises as search for missing continues"}
    story_lines = [Tree(h.value).text.get("story") for h in at.html if 'class="news-card"' in h.value]
    flood_lines = [s for s in story_lines if s and "Marrowby" in s]
    assert flood_lines and all(s.endswith(", 2 articles, 2024-03-04 → 2024-03-05") for s in flood_lines)
    assert all(s.removeprefix("part of: ").rsplit(", 2 articles", 1)[0] in titles for s in flood_lines)
    headers = [html.unescape(re.sub(r"<[^>]+>", "", h.value)) for h in at.html if 'class="news-story"' in h.value]
    assert len(headers) == 1 and headers[0].split(" · ")[0] in titles
    assert headers[0].endswith(" · 2 articles, 2024-03-04 → 2024-03-05")   # all shown: no "(N shown)"


def coverage_days(at: AppTest) -> set:
    """The days of the page's coverage chart (its first chart), read from the chart's own data."""
    import pyarrow as pa
    chart = at.get("vega_lite_chart")[0].proto
    table = pa.ipc.open_stream((chart.datasets[0].data if chart.datasets else chart.data).data).read_all()
    return {dt.date.fromisoformat(str(p)[:10]) for p in table.column("period").to_pylist()}


def test_as_of_the_coverage_chart_ends_that_day(page):
    at = ask(page, QUESTION)
    assert max(coverage_days(at)) > dt.date(2024, 3, 5)
    at.date_input(key="as_of").set_value(dt.date(2024, 3, 5)).run()
    assert_clean(at)
    assert max(coverage_days(at)) == dt.date(2024, 3, 5)
    assert any("in the index as of 2024-03-05" in c.value for c in at.caption)


def test_the_tab_votes_its_stories_with_more_passages_than_the_page_shows(page, story_index, monkeypatch):
    """The timeline's stories come from the search's STORY_PASSAGES best, however few cards are asked for."""
    from index.storage import load_generation
    from search import Searcher
    from search.request import STORY_PASSAGES
    given = []
    real = Searcher.timeline
    monkeypatch.setattr(Searcher, "timeline", lambda self, q, **kw: given.append(len(kw["hits"])) or real(self, q, **kw))
    page.slider(key="k").set_value(2).run()
    at = ask(page, QUESTION)
    assert_clean(at)
    passages = len(load_generation(story_index[1]).passages)   # fewer than 30 in this small corpus
    assert len([h for h in at.html if 'class="news-card"' in h.value]) == 2
    assert given[-1] == min(STORY_PASSAGES, passages) > 2
