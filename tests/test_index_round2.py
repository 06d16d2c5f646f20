"""Review fixes: two indexes sharing one Milvus, a vanished collection, a Milvus Lite path in a new folder,
`fetch` of redirects (saved once, a loop in one line), and `adapt`'s numeric options.

Milvus is Milvus Lite on a temporary path; the fetch server listens on 127.0.0.1: nothing leaves the machine.
"""
import math
import shutil
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from index.build import build
from index.fetch import fetch, name_for
from tests.news_texts import write_corpus

milvus = pytest.mark.skipif(__import__("importlib").util.find_spec("pymilvus") is None,
                            reason="needs requirements-scale.txt")


def _live(index_dir) -> str:
    from index.storage import read_manifest
    return read_manifest(index_dir)["milvus"]["collection"]


def _answers(index_dir, embedder) -> bool:
    from search.searcher import Searcher
    return bool(Searcher.open(index_dir, embedder=embedder).search("volcano", k=2))


@milvus
def test_a_second_index_never_takes_the_collection_name_of_the_first(tmp_path, fake_embedder):
    from index.milvus_client import CollectionTaken, connect
    corpus, uri, a, b = write_corpus(tmp_path / "news"), str(tmp_path / "v.db"), tmp_path / "a", tmp_path / "b"
    build(corpus, a, embedder=fake_embedder, milvus=uri)
    with pytest.raises(CollectionTaken) as refused:  # the same default name "news": refused, nothing dropped
        build(corpus, b, embedder=fake_embedder, milvus=uri)
    message = str(refused.value)
    assert f"in use by the index at {a}" in message and "--collection NAME" in message and "\n" not in message
    assert _answers(a, fake_embedder)
    build(corpus, b, embedder=fake_embedder, milvus=uri, collection="news_b")  # its own name: fine
    for _ in range(3):  # A's builds drop its own old generations, never B's collections or alias
        build(corpus, a, embedder=fake_embedder, full=True)
    client = connect(uri)
    assert client.describe_alias("news")["collection_name"] == _live(a)
    assert client.describe_alias("news_b")["collection_name"] == _live(b)
    assert _answers(a, fake_embedder) and _answers(b, fake_embedder)
    assert len([c for c in client.list_collections() if c.startswith("news_g")]) == 2  # live + kept


@milvus
def test_a_deleted_index_frees_its_collection_name(tmp_path, fake_embedder):
    corpus, uri = write_corpus(tmp_path / "news"), str(tmp_path / "v.db")
    build(corpus, tmp_path / "a", embedder=fake_embedder, milvus=uri)
    shutil.rmtree(tmp_path / "a")  # its collection no longer used by any index folder on this host
    build(corpus, tmp_path / "b", embedder=fake_embedder, milvus=uri)
    assert _answers(tmp_path / "b", fake_embedder)


@milvus
def test_an_index_whose_collection_vanished_says_so_and_the_next_build_makes_a_new_one(tmp_path, fake_embedder):
    from index.milvus_client import connect
    from index.storage import IndexDamaged
    corpus, uri, a = write_corpus(tmp_path / "news"), str(tmp_path / "v.db"), tmp_path / "a"
    build(corpus, a, embedder=fake_embedder, milvus=uri)
    client = connect(uri)
    client.drop_alias("news")
    client.drop_collection(_live(a))  # dropped by hand (or by an earlier version's build of another index)
    with pytest.raises(IndexDamaged, match=r"collection news_g\S+ is gone from .* rebuild it with: .*--full"):
        _answers(a, fake_embedder)
    build(corpus, a, embedder=fake_embedder)  # not even --full: the previous index is unusable, so built in full
    assert _answers(a, fake_embedder) and client.describe_alias("news")["collection_name"] == _live(a)


@milvus
def test_an_index_whose_name_another_index_took_is_told_to_pick_another(tmp_path, fake_embedder):
    """The state an earlier version left: B's build moved the alias "news" to B's collection and dropped A's."""
    from index.milvus_client import CollectionTaken, connect
    corpus, uri, a, b = write_corpus(tmp_path / "news"), str(tmp_path / "v.db"), tmp_path / "a", tmp_path / "b"
    build(corpus, a, embedder=fake_embedder, milvus=uri)
    build(corpus, b, embedder=fake_embedder, milvus=uri, collection="other")
    client, gone = connect(uri), _live(a)
    client.alter_alias(_live(b), "news")
    client.drop_collection(gone)
    for full in (False, True):
        with pytest.raises(CollectionTaken, match=f"in use by the index at {b} .*--collection NAME"):
            build(corpus, a, embedder=fake_embedder, full=full)
    build(corpus, a, embedder=fake_embedder, full=True, collection="news_a")
    assert _answers(a, fake_embedder) and _answers(b, fake_embedder)
    assert client.describe_alias("news")["collection_name"] == _live(b)  # B's alias left where it was


@milvus
def test_a_milvus_lite_path_in_a_folder_not_made_yet_is_made(tmp_path, fake_embedder):
    uri = tmp_path / "not" / "yet" / "v.db"
    build(write_corpus(tmp_path / "news"), tmp_path / "idx", embedder=fake_embedder, milvus=str(uri))
    assert uri.is_dir() and _answers(tmp_path / "idx", fake_embedder)


# --- fetch: redirects --------------------------------------------------------------------------------

PAGE = (b"<html><head><title>Bridge reopens after repairs</title></head><body><article><h1>Bridge reopens "
        b"after repairs</h1><p>The river bridge reopened on Friday after two days of repairs.</p></article>")


class Redirects(BaseHTTPRequestHandler):
    paths: list = []

    def do_GET(self):
        Redirects.paths.append(self.path)
        if self.path == "/bridge":
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(PAGE)))
            self.end_headers()
            return self.wfile.write(PAGE)
        hop = self.path.removeprefix("/hop/")
        where = {"/moved": "/bridge", "/moved-twice": "/moved", "/loop": "/loop", "/ping": "/pong",
                 "/pong": "/ping"}.get(self.path) or (f"/hop/{int(hop) + 1}" if hop.isdigit() else None)
        self.send_response(302 if where else 404)
        self.send_header("Location", where or "")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def site():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Redirects)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    Redirects.paths = []
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    httpd.server_close()


def _saved(folder):
    return sorted(p for p in folder.rglob("*") if p.is_file())


@pytest.mark.parametrize("order", [("/bridge", "/moved", "/moved-twice"), ("/moved-twice", "/moved", "/bridge")])
def test_a_redirect_to_a_page_fetched_in_the_same_run_saves_it_once(site, tmp_path, order):
    results = fetch([site + p for p in order], tmp_path)
    assert all(not r.error for r in results)
    assert _saved(tmp_path) == [tmp_path / name_for(f"{site}/bridge", ".html")]  # under where redirects led
    assert _saved(tmp_path)[0].read_text().startswith(f"<!-- saved from url=({len(site) + 7:04d}){site}/bridge -->")
    if order[0] == "/bridge":
        assert [r.same_as for r in results] == ["", f"{site}/bridge", f"{site}/bridge"]
        assert "saved already" in str(results[1])


def test_a_redirect_to_a_page_fetched_in_an_earlier_run_overwrites_its_file(site, tmp_path):
    fetch([f"{site}/bridge"], tmp_path)
    fetch([f"{site}/moved"], tmp_path)
    assert _saved(tmp_path) == [tmp_path / name_for(f"{site}/bridge", ".html")]


@pytest.mark.parametrize("where, said", [("/loop", "redirect loop: "), ("/ping", "redirect loop: "),
                                         ("/hop/0", "too many redirects (more than 10)")])
def test_a_redirect_loop_or_chain_fails_in_one_line(site, tmp_path, where, said):
    result, = fetch([site + where], tmp_path)
    assert result.error.startswith(said) and f"{site}/" in result.error and "\n" not in result.error
    assert _saved(tmp_path) == []


# --- adapt: numeric options --------------------------------------------------------------------------

@pytest.mark.parametrize("option, value, named", [
    ("limit", 0, "--pairs must be 2 or more"), ("limit", -3, "--pairs must be 2 or more"),
    ("limit", 1, "--pairs must be 2 or more"), ("epochs", 0, "--epochs must be a number above 0"),
    ("epochs", -1.5, "--epochs must be"), ("epochs", math.nan, "--epochs must be"),
    ("max_steps", 0, "--max-steps must be 1 or more .* or -1 for no limit"), ("max_steps", -2, "--max-steps")])
def test_adapt_refuses_a_number_out_of_range_before_any_work(tmp_path, option, value, named):
    from index import adapt as adapt_module
    with pytest.raises(adapt_module.BadAdaptOption, match=named) as refused:
        adapt_module.adapt(write_corpus(tmp_path / "news"), tmp_path / "model", **{option: value})
    assert isinstance(refused.value, ValueError) and "\n" not in str(refused.value)
    assert not (tmp_path / "model").exists()


def test_adapt_cli_says_a_bad_option_in_one_line(tmp_path, capsys):
    from index.__main__ import main
    assert main(["adapt", str(write_corpus(tmp_path / "news")), "--out", str(tmp_path / "m"), "--pairs", "0"]) == 1
    assert capsys.readouterr().err.strip().splitlines() == [
        "error: --pairs must be 2 or more (articles to train on, one passage each), not 0"]


def test_adapt_takes_minus_one_steps_as_no_limit(tmp_path, monkeypatch):
    """-1 (the CLI's default) passes the check and reaches the trainer as it is."""
    from index import adapt as adapt_module
    seen = {}

    def stop(*args):
        seen["max_steps"] = args[6]
        raise KeyboardInterrupt
    monkeypatch.setattr(adapt_module, "_train", stop)
    pytest.importorskip("datasets")
    with pytest.raises(KeyboardInterrupt):
        adapt_module.adapt(write_corpus(tmp_path / "news"), tmp_path / "model", max_steps=-1)
    assert seen == {"max_steps": -1}
