"""The sidebar's "Add coverage" box (AppTest, real model) and the functions behind it."""
import shutil

import pytest
from streamlit.testing.v1 import AppTest

from index.build import build
from index.fetch import Fetched
from search.coverage import add_coverage, save_upload
from tests.conftest import REPO_ROOT
from tests.news_texts import write_corpus
from tests.test_fetch import PAGES, server  # noqa: F401  (the fixture: a real HTTP server on 127.0.0.1)

APP = str(REPO_ROOT / "ui" / "app.py")


@pytest.fixture()
def folders(tmp_path, embedder):
    corpus, index_dir = write_corpus(tmp_path / "news"), tmp_path / "idx"
    build(corpus, index_dir, embedder=embedder)
    return corpus, index_dir


def test_pasted_links_are_fetched_into_the_corpus_and_indexed(server, folders, embedder, monkeypatch):  # noqa: F811
    corpus, index_dir = folders
    monkeypatch.setattr("index.embed.Embedder", lambda *args, **kwargs: embedder)
    monkeypatch.setenv("NEWS_INDEX_DIR", str(index_dir))
    monkeypatch.setenv("NEWS_CORPUS_DIR", str(corpus))
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not at.exception
    at.text_area(key="coverage_links").input(f"Read {server}/bridge and {server}/missing please")
    at.button(key="coverage_add").click().run()
    assert not at.exception, at.exception
    notes = [n.value.replace("\\", "") for n in [*at.sidebar.caption, *at.sidebar.warning]]  # markdown-escaped
    assert any("added 127.0.0.1/bridge-" in n for n in notes), notes
    assert any("not added" in n and "HTTP 404" in n for n in notes), notes
    assert len(list((corpus / "127.0.0.1").glob("bridge-*.html"))) == 1
    at.text_input(key="question").input("When does work on the river bridge start?").run()
    assert not at.exception
    cards = [h.value for h in at.html if 'class="news-card"' in h.value]
    assert PAGES["/bridge"][0] in cards[0]  # the best passage comes from the fetched page


def test_uploads_land_in_the_added_folder_and_odd_ones_are_refused(tmp_path):
    assert save_upload("Bridge vote.TXT", b"The bridge vote passed.", tmp_path) == "added/Bridge-vote.txt"
    assert save_upload("Bridge vote.txt", b"The bridge vote passed.", tmp_path) == "added/Bridge-vote.txt"  # same
    assert save_upload("Bridge vote.txt", b"A different text.", tmp_path) == "added/Bridge-vote-2.txt"
    assert (tmp_path / "added" / "Bridge-vote-2.txt").read_bytes() == b"A different text."
    # a name in another script keeps its letters: two such uploads must not both become "upload.txt"
    assert save_upload("Пожар в Лахайне.txt", b"One.", tmp_path) == "added/Пожар-в-Лахайне.txt"
    assert save_upload("東京 地震.txt", b"Two.", tmp_path) == "added/東京-地震.txt"
    added = add_coverage("no links here", [("../../evil.exe", b"MZ"), ("notes.md", b""), ("ok.html", b"<p>x")],
                         tmp_path, fetcher=None)
    assert added.saved == ["added/ok.html"]
    assert [f.split(":")[0].split(";")[0] for f in added.failed] == [
        "../../evil.exe", "notes.md", "no links here"]  # the pasted line itself, with why it was not fetched
    assert "not a type this tool reads" in added.failed[0] and ".html" in added.failed[0]
    assert not list(tmp_path.rglob("evil*")) and not (tmp_path.parent / "evil.exe").exists()
    shutil.rmtree(tmp_path / "added")


def test_an_upload_whose_save_fails_leaves_no_partial_file(tmp_path, monkeypatch):
    def refuse(src, dst):
        raise OSError("disk full")
    monkeypatch.setattr("os.replace", refuse)
    with pytest.raises(OSError, match="disk full"):
        save_upload("Bridge vote.txt", b"The bridge vote passed.", tmp_path)
    assert list((tmp_path / "added").iterdir()) == []  # neither the file nor its temporary .part


def test_every_pasted_line_that_is_no_link_is_reported_next_to_the_fetched_ones(tmp_path):
    asked = []

    def fetcher(links, folder):  # stands in for index.fetch: saves each link it is given
        asked.extend(links)
        return [Fetched(link, folder / f"page-{n}.html") for n, link in enumerate(links)]

    text = "https://a.example/x\nnot a link\n\nwww.example.org/story\nsee https://b.example/y and ftp://c.example/z\n"
    added = add_coverage(text, [], tmp_path, fetcher=fetcher)
    assert asked == ["https://a.example/x", "https://b.example/y"]
    assert added.saved == ["page-0.html", "page-1.html"]
    why = "not an http(s) address; give a link starting with https://"  # as `python -m index fetch` says it
    assert added.failed == [f"not a link: {why}", f"www.example.org/story: {why}", f"ftp://c.example/z: {why}"]
    # The page shows each "not added" line as a warning, in the list with the links that failed.
    warned = [line for line in added.lines() if line.startswith("not added: ")]
    assert warned == [f"not added: {f}" for f in added.failed]
