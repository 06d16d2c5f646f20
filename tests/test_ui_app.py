"""The page, run in-process with Streamlit's AppTest on small invented texts and the real model."""
import datetime as dt
import html
import re

import pytest
from streamlit.testing.v1 import AppTest

from index.build import build
from index.storage import current_generation
from tests.conftest import REPO_ROOT
from tests.news_texts import ARTICLES, write_corpus
from tests.test_view import Tree

APP = str(REPO_ROOT / "ui" / "app.py")
# Undated, and long enough for several passages that are not near-duplicates of each other.
HARBOUR = (
    "Divers spent the first morning checking the sea wall for cracks below the waterline. "
    "The ferry company said its two older vessels would stay in dry dock until the spring. "
    "Fishermen complained that the ice plant had been without power for nine days. "
    "A crane operator described waves breaking over the lighthouse during the worst night. "
    "The mayor promised a public meeting about flood barriers before the summer season. "
    "Insurance assessors arrived on Wednesday and photographed every damaged warehouse. "
    "Schoolchildren painted a mural thanking the volunteers who filled sandbags. "
    "Two cafes on the promenade reopened, while the fish market remains closed. "
    "Engineers estimated that rebuilding the north pier will cost about twelve million. "
    "The coast guard moved its rescue boat to a neighbouring village for the winter. "
    "Residents of the lower streets were told to keep their pumps ready for high tides. "
    "A retired captain said he had not seen a storm like it in fifty years at sea. "
    "The regional railway added buses for passengers who normally take the ferry. "
    "Tourism officials fear that cancelled cruise visits will cost the town dearly. "
    "Local bakers delivered bread to the crews working through the night on the quay. "
    "Seals were spotted resting on the broken slipway on Sunday afternoon. "
    "The harbour master thanked neighbouring ports for lending tugs and barges. "
    "Council workers cleared seaweed and timber from the car park by the marina. "
    "Oil booms were laid around a sunken trawler to stop fuel reaching the beach. "
    "A fundraising concert in the church collected money for families who lost boats. "
    "Meteorologists warned that another deep low could arrive within two weeks. "
    "The yacht club postponed its spring regatta until the moorings are replaced.")
EXTRA = {"harbour.txt": f"Title: Harbour reopens after storm\nSource: Nordic Herald\n\n"
                        f"The harbour reopened on Monday after the storm damaged two piers. {HARBOUR}\n",
         "scan.pdf": "%PDF-1.4 not a text format this tool reads"}


@pytest.fixture(scope="module")
def corpus_dir(tmp_path_factory):
    return write_corpus(tmp_path_factory.mktemp("ui-corpus"), {**ARTICLES, **EXTRA})


@pytest.fixture(scope="module")
def built_index(tmp_path_factory, corpus_dir, embedder):
    index_dir = tmp_path_factory.mktemp("ui-index")
    build(corpus_dir, index_dir, embedder=embedder)
    return index_dir


@pytest.fixture()
def page(monkeypatch, embedder, corpus_dir, built_index):
    """A function that runs the page with the given index and corpus folders (the real model, loaded once)."""
    monkeypatch.setattr("index.embed.Embedder", lambda *args, **kwargs: embedder)

    def run(index_dir=built_index, corpus=corpus_dir, query_params=None) -> AppTest:
        monkeypatch.setenv("NEWS_INDEX_DIR", str(index_dir))
        monkeypatch.setenv("NEWS_CORPUS_DIR", str(corpus))
        at = AppTest.from_file(APP, default_timeout=120)
        at.query_params.update(query_params or {})
        return at.run()
    return run


def cards(at: AppTest) -> list[dict]:
    out = []
    for element in at.html:
        if 'class="news-card"' in element.value:
            text = Tree(element.value).text
            out.append({k: text.get(k) for k in ("rank", "title", "outlet", "date", "passage")})
    return out


def table_with(at: AppTest, column: str):
    """The first table that has this column (AppTest keeps no keys on read-only tables)."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def status(at: AppTest) -> dict:
    table = next(h.value for h in at.sidebar.html if 'class="news-status"' in h.value)
    return {k: html.unescape(v) for k, v in re.findall(r"<th>(.*?)</th><td>(.*?)</td>", table)}


def ask(at: AppTest, question: str) -> AppTest:
    return at.text_input(key="question").input(question).run()


def plain(markdown: str) -> str:
    """A message as the reader sees it (the page backslashes markdown signs in messages)."""
    return re.sub(r"\\(.)", r"\1", markdown)


def assert_clean(at: AppTest):
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]


def test_a_question_gives_cards_with_title_date_and_outlet(page):
    at = ask(page(), "Who won the rapid chess championship?")
    assert_clean(at)
    first = cards(at)[0]
    assert (first["rank"], first["title"], first["date"], first["outlet"]) == (
        "#1", "Teenager wins world rapid chess title", "2023-12-28", "Board Games Weekly")
    assert at.query_params["q"] == "Who won the rapid chess championship?"
    table = table_with(at, "score")
    assert list(table["title"])[:1] == ["Teenager wins world rapid chess title"] and len(table) == len(cards(at))
    assert at.get("download_button")


def test_a_link_with_the_question_reopens_it(page):
    at = page(query_params={"q": "How much was the striker's transfer fee?"})
    assert_clean(at)
    assert at.text_input(key="question").value == "How much was the striker's transfer fee?"
    assert cards(at)[0]["title"] == "Striker signs record transfer deal"
    assert "undated" in {c["date"] for c in cards(at)}  # the harbour article has no date and says so


def test_filters_change_the_results(page):
    at = ask(page(), "What happened?")
    assert len(cards(at)) > len({c["title"] for c in cards(at)})   # the long harbour article gives several
    at.multiselect(key="outlets").set_value(["Money Daily"]).run()
    assert {c["outlet"] for c in cards(at)} == {"Money Daily"}
    at.multiselect(key="outlets").set_value([]).run()
    at.date_input(key="dates").set_value((dt.date(2023, 12, 1), dt.date(2024, 12, 31))).run()
    assert {c["date"] for c in cards(at)} == {"2023-12-28", "2024-01-14"}
    at.date_input(key="as_of").set_value(dt.date(2023, 12, 31)).run()
    assert {c["date"] for c in cards(at)} == {"2023-12-28"}
    at.date_input(key="dates").set_value(()).run()
    at.date_input(key="as_of").set_value(None).run()
    at.toggle(key="one_per_article").set_value(True).run()
    titles = [c["title"] for c in cards(at)]
    assert len(titles) == len(set(titles)) == 5
    at.radio(key="sort").set_value("date").run()
    dates = [c["date"] for c in cards(at)]
    assert dates == sorted(dates[:-1], reverse=True) + ["undated"]
    at.slider(key="k").set_value(2).run()
    assert len(cards(at)) == 2
    assert_clean(at)


def test_dates_that_can_match_nothing_say_which_widgets_to_change(page):
    at = ask(page(), "What happened?")
    at.date_input(key="dates").set_value((dt.date(2024, 1, 1), dt.date(2024, 12, 31))).run()
    at.date_input(key="as_of").set_value(dt.date(2023, 12, 1)).run()
    assert not at.exception and not cards(at)
    said = [plain(e.value) for e in at.error]
    assert said == ['the start of "Published between" (2024-01-01) is after "As of" (2023-12-01): nothing can '
                    'match; change one of them'], said   # the labels on the page, not since / as_of
    assert at.sidebar.button(key="rebuild")   # the index panel still shows


def test_a_first_run_without_its_corpus_folder_says_which_setting_to_change(page, tmp_path):
    at = page(index_dir=tmp_path / "index", corpus=tmp_path / "no-corpus")
    assert not at.exception
    assert [plain(e.value) for e in at.error] == [
        f"no folder of news texts at {tmp_path / 'no-corpus'}: the page builds its index from $NEWS_CORPUS_DIR "
        "(else corpus/); set it to your folder and restart the page"]
    assert not any("No index yet" in i.value for i in at.info)   # the build it announced did not happen


def test_an_empty_question_shows_guidance_not_cards(page):
    at = page()
    assert_clean(at)
    assert not cards(at) and any("Type a question" in i.value for i in at.info)
    at = ask(at, "   ")
    assert not cards(at) and any("Type a question" in i.value for i in at.info)


def test_index_status_lists_counts_and_skipped_files(page):
    at = page()
    rows = status(at)
    assert (rows["articles"], rows["outlets"], rows["skipped files"]) == ("5", "4", "1")
    assert rows["dates"] == "2023-08-15 to 2024-01-14 (1 undated)" and rows["model"] == "all-MiniLM-L6-v2"
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC", rows["built"])
    problems = table_with(at, "reason")
    assert list(problems["file"]) == ["scan.pdf"]


def test_a_missing_index_is_built_from_the_corpus_folder(page, tmp_path):
    at = page(index_dir=tmp_path / "fresh")
    assert_clean(at)
    assert current_generation(tmp_path / "fresh") is not None
    assert "full build: 5 articles" in " ".join(plain(c.value) for c in at.caption)
    assert cards(ask(at, "Where did the lava flow?"))[0]["title"] == "Volcano erupts near Grindavik fishing town"


def test_a_broken_index_is_a_message_and_rebuild_repairs_it(page, tmp_path, corpus_dir, embedder):
    index_dir = tmp_path / "idx"
    build(corpus_dir, index_dir, embedder=embedder)
    vectors = current_generation(index_dir) / "vectors.faiss"
    vectors.write_bytes(vectors.read_bytes()[:100])
    at = page(index_dir=index_dir)
    assert not at.exception
    shown = plain(at.error[0].value)
    assert "cannot be used" in shown and "vectors.faiss" in shown and "rebuild it with" in shown
    assert shown.endswith('or press "Rebuild index" in the sidebar')   # the page's own way
    at.button(key="rebuild").click().run()
    assert_clean(at)
    assert cards(ask(at, "interest rate"))[0]["outlet"] == "Money Daily"


def test_rebuild_from_another_folder_than_the_index_was_built_from_says_which_to_set(page, tmp_path, corpus_dir,
                                                                                     embedder):
    index_dir = tmp_path / "idx"
    build(corpus_dir, index_dir, embedder=embedder)
    other = write_corpus(tmp_path / "other", {"harbour.txt": EXTRA["harbour.txt"]})
    at = page(index_dir=index_dir, corpus=other)
    at.button(key="rebuild").click().run()
    assert not at.exception
    shown = plain(at.error[0].value)
    assert f"the index was built from {corpus_dir.resolve()}" in shown and "would drop 4 of its files" in shown
    assert f"set $NEWS_CORPUS_DIR to {corpus_dir.resolve()}" in shown
    assert status(at)["articles"] == "5"   # nothing dropped


def test_a_new_index_generation_is_picked_up(page, tmp_path, corpus_dir, embedder):
    index_dir = tmp_path / "idx"
    build(corpus_dir, index_dir, embedder=embedder)
    at = ask(page(index_dir=index_dir), "bridge reopened over the river")
    assert "Old bridge reopens" not in {c["title"] for c in cards(at)}
    (corpus_dir / "bridge.txt").write_text("Title: Old bridge reopens\nDate: 2024-02-01\nSource: City Post\n\n"
                                           "The old river bridge reopened to traffic on Thursday.\n")
    try:
        build(corpus_dir, index_dir, embedder=embedder)   # e.g. from the command line, while the page is open
        at.run()
        assert cards(at)[0]["title"] == "Old bridge reopens"
        assert "City Post" in at.multiselect(key="outlets").options
    finally:
        (corpus_dir / "bridge.txt").unlink()


def test_a_manifest_with_settings_of_the_wrong_type_is_a_message_not_a_traceback(page, tmp_path, corpus_dir, embedder):
    import json
    index_dir = tmp_path / "idx"
    build(corpus_dir, index_dir, embedder=embedder)
    manifest = current_generation(index_dir) / "manifest.json"
    manifest.write_text(json.dumps(dict(json.loads(manifest.read_text()), config="all-MiniLM-L6-v2")))
    at = page(index_dir=index_dir)
    assert not at.exception and "cannot be used" in plain(at.error[0].value)
