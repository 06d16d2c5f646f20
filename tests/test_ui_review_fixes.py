"""Review fixes on the page: the timeline grouped by story, the table's and the CSV's folded copies, and a
Rebuild refused by another build's lock (AppTest with the real model, invented texts only)."""
import datetime as dt
import html
import io
import re

import pandas as pd
import pytest
from filelock import FileLock
from streamlit.testing.v1 import AppTest

from index.build import build
from search.arrange import hits_csv
from search.hits import Hit, hits_to_frame
from tests.news_texts import ARTICLES, write_corpus
from tests.story_texts import QUESTION
from tests.test_ui_app import APP, ask, assert_clean, plain
from tests.test_view import Tree

# The volcano report again, word for word, from a wire service two days later: the search folds it into one hit.
WIRE_COPY = {"volcano-wire.md": ARTICLES["volcano.md"].replace("date: 2024-01-14", "date: 2024-01-16")
             .replace("source: Nordic Herald", "source: Coast Courier")
             .replace("url: https://nordic-herald.example/volcano\n", "")}


@pytest.fixture(scope="module")
def folders(tmp_path_factory, embedder):
    corpus = write_corpus(tmp_path_factory.mktemp("review-corpus"), {**ARTICLES, **WIRE_COPY})
    index_dir = tmp_path_factory.mktemp("review-index")
    build(corpus, index_dir, embedder=embedder)
    return corpus, index_dir


def open_page(monkeypatch, embedder, corpus, index_dir) -> AppTest:
    monkeypatch.setattr("index.embed.Embedder", lambda *args, **kwargs: embedder)
    monkeypatch.setenv("NEWS_CORPUS_DIR", str(corpus))
    monkeypatch.setenv("NEWS_INDEX_DIR", str(index_dir))
    return AppTest.from_file(APP, default_timeout=120).run()


def chart_rows(chart) -> pd.DataFrame:
    """A chart's own data, as the page handed it to Vega-Lite."""
    import pyarrow as pa
    proto = chart.proto
    return pa.ipc.open_stream((proto.datasets[0].data if proto.datasets else proto.data).data).read_all().to_pandas()


def test_the_timeline_shows_each_story_with_its_own_entries_and_chart(monkeypatch, embedder, story_corpus):
    """Two stories in one question's timeline (the flood, 4-6 March and undated; the chess title, 5 March): each
    header is followed by its own entries and chart, not all headers and then one merged list."""
    from search import Searcher
    from search.timeline import build_timeline

    def two_stories(self, question, **kw):   # what timeline() gives when two stories share the best passages
        table = self.story_index().table
        ids = [table.story_of[a] for a in ("flood-1.md", "chess-ferrow.md")]
        return build_timeline(self.story_index(), ids, kw["since"], kw["until"], kw["as_of"], kw["sources"])

    monkeypatch.setattr(Searcher, "timeline", two_stories)
    at = ask(open_page(monkeypatch, embedder, *story_corpus), QUESTION)
    assert_clean(at)
    tab = at.tabs[1]
    shown = []   # the tab's headers and entries, in the order the reader sees them
    for h in tab.get("html"):
        if 'class="news-story"' in h.value:
            shown.append(("story", html.unescape(re.sub(r"<[^>]+>", "", h.value))))
        elif 'class="news-entry' in h.value:
            shown.append(("entry", re.search(r'data-article="([^"]*)"', h.value).group(1)))
    heads = [n for n, (kind, _) in enumerate(shown) if kind == "story"]
    assert len(heads) == 2 and "Marrowby" in shown[heads[0]][1] and "chess" in shown[heads[1]][1]
    flood, chess = [a for _, a in shown[heads[0] + 1:heads[1]]], [a for _, a in shown[heads[1] + 1:]]
    assert flood == ["flood-1.md", "flood-2.md", "flood-3.md", "flood-explainer.md"] and chess == ["chess-ferrow.md"]
    charts = [chart_rows(c) for c in tab.get("vega_lite_chart")]   # one per story, each counting its own
    assert [round(c.select_dtypes("number").to_numpy().sum()) for c in charts] == [3, 1]
    assert [c.value for c in tab.get("caption") if "undated" in c.value] == ["1 undated article at the end"]


def test_the_table_says_folded_copies_as_the_cards_do(monkeypatch, embedder, folders):
    """The `also` column holds (outlet, date, id) tuples, which Arrow cannot carry: the cell showed a Python
    repr. It reads as the card's "Also in: ..." now."""
    at = ask(open_page(monkeypatch, embedder, *folders), "Where did the lava flow?")
    assert_clean(at)
    cards = {Tree(h.value).tags[0][1]["data-rank"]: Tree(h.value).text.get("also", "")
             for h in at.html if 'class="news-card"' in h.value}
    table = next(d.value for d in at.dataframe if "also" in d.value.columns)
    cells = dict(zip(table["rank"].astype(str), table["also"]))
    assert any(cards.values()), cards   # the wire copy was folded into a hit
    assert {rank: "Also in: " + cells[rank] if cells[rank] else "" for rank in cards} == cards
    assert set(cards.values()) & {"Also in: Coast Courier (2024-01-16)", "Also in: Nordic Herald (2024-01-14)"}


def test_csv_says_missing_outlets_and_dates_as_the_cards_do_and_keeps_copies_apart():
    copies = (("Valley Times, Evening", None, "u9.txt"), (None, dt.date(2025, 4, 3), "x.txt"),
              ("=Sum Gazette", dt.date(2025, 4, 4), "y.txt"))
    hit = Hit(1, 0.5, "Wire text.", "T", dt.date(2025, 4, 2), "Nordic Herald", None, "a2.txt", 0, 10, also=copies)
    back = pd.read_csv(io.BytesIO(hits_csv(hits_to_frame([hit]))))
    cell = back.loc[0, "also"]
    assert cell == ("Valley Times, Evening (undated, u9.txt); unknown outlet (2025-04-03, x.txt); "
                    "=Sum Gazette (2025-04-04, y.txt)")
    assert re.findall(r"(.+?) \(([^,]+), ([^)]+)\)(?:; |$)", cell)[0] == ("Valley Times, Evening", "undated", "u9.txt")
    first = Hit(**{**hit.__dict__, "also": copies[2:]})   # a cell a spreadsheet would run is still defused
    assert pd.read_csv(io.BytesIO(hits_csv(hits_to_frame([first])))).loc[0, "also"].startswith("'=Sum Gazette (")


def test_rebuild_while_another_build_runs_says_so_and_the_rest_of_the_panel_shows(monkeypatch, embedder, folders):
    at = open_page(monkeypatch, embedder, *folders)
    with FileLock(str(folders[1] / ".build.lock")):   # e.g. a build from the command line, still running
        at.button(key="rebuild").click().run()
    assert not at.exception
    assert [plain(e.value) for e in at.error] == [
        f"another build is running on {folders[1]}; wait for it to finish and try again"]
    assert any(b.key == "coverage_add" for b in at.button)   # "Add coverage", after the refused rebuild
    assert any("Files land in" in plain(c.value) for c in at.sidebar.caption)
