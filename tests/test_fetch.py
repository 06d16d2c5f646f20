"""`python -m index fetch` against a real HTTP server started here on 127.0.0.1; nothing reaches the internet."""
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

import index.__main__ as index_cli
from index.atomic import write_atomic
from index.fetch import USER_AGENT, entry_links, fetch

PAGES = {
    "/bridge": ("Council votes to rebuild the river bridge",
                "The Eastvale council voted on Tuesday to rebuild the old river bridge, closed since the spring "
                "floods damaged two of its piers. Work starts in March."),
    "/ferry": ("Ferry keeps running until the bridge opens",
               "The Eastvale ferry will keep crossing the river every half hour until the new bridge opens, "
               "the harbour office said on Wednesday."),
    "/fair": ("Turnip fair opens early",
              "The Eastvale turnip fair opens a week early this year because of the record harvest."),
}


def html(path):
    title, text = PAGES[path]
    return (f"<html><head><title>{title}</title><meta property='og:site_name' content='Eastvale Gazette'>"
            f"</head><body><nav>Home | News</nav><article><h1>{title}</h1><p>{text}</p></article></body></html>")


def rss(base):
    titles = {**{p: t for p, (t, _) in PAGES.items()}, "/gone": "Harbour office moves"}
    items = "".join(f"<item><title>{titles[p]}</title><link>{base}{p}</link><description>Teaser of {p[1:]}."
                    "</description></item>" for p in ("/bridge", "/ferry", "/gone", "/fair"))
    return f"<?xml version='1.0'?><rss version='2.0'><channel><title>Eastvale Gazette</title>{items}</channel></rss>"


class Handler(BaseHTTPRequestHandler):
    agents: list = []

    def do_GET(self):
        Handler.agents.append(self.headers.get("User-Agent"))
        base = f"http://127.0.0.1:{self.server.server_port}"
        if self.path in PAGES:
            return self.send(200, "text/html; charset=utf-8", html(self.path).encode())
        if self.path == "/feed":
            return self.send(200, "application/rss+xml", rss(base).encode())
        if self.path == "/huge":
            return self.send(200, "text/html", b"<p>" + b"x" * 50_000)
        if self.path == "/slow":
            time.sleep(2)
            return self.send(200, "text/html", html("/fair").encode())
        self.send(404, "text/plain", b"not here")

    def send(self, code, kind, body):
        self.send_response(code)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up first (the timeout test)
            pass

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    Handler.agents = []
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    httpd.server_close()


def test_pages_feeds_and_failures(server, tmp_path):
    urls = [f"{server}/bridge", f"{server}/feed", f"{server}/missing", f"{server}/huge", f"{server}/slow",
            "ftp://127.0.0.1/x", "http://[bad"]
    results = fetch(urls, tmp_path, limit=3, timeout=0.5, max_bytes=20_000)
    by_url = {r.url: r for r in results}
    # The feed brings its first 3 entries' pages; /bridge was fetched already and is not fetched twice.
    assert [r.url for r in results].count(f"{server}/bridge") == 1
    assert by_url[f"{server}/ferry"].path.read_bytes().endswith(html("/ferry").encode())
    assert f"{server}/fair" not in by_url  # beyond --limit 3 (bridge, ferry, gone)
    assert by_url[f"{server}/feed"].feed and by_url[f"{server}/feed"].path.suffix == ".xml"
    assert "HTTP 404" in by_url[f"{server}/missing"].error and "HTTP 404" in by_url[f"{server}/gone"].error
    assert "larger than 20,000 bytes" in by_url[f"{server}/huge"].error
    assert "timed out" in by_url[f"{server}/slow"].error
    assert "not an http(s) address" in by_url["ftp://127.0.0.1/x"].error
    assert "not an http(s) address" in by_url["http://[bad"].error   # urllib refuses it: reported, the others go on
    assert set(Handler.agents) == {USER_AGENT}
    saved = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file())
    assert len(saved) == 3 and all(s.startswith("127.0.0.1/") for s in saved)  # bridge, feed, ferry


def test_fetch_command_saves_then_builds_and_the_page_wins_over_its_feed_entry(server, tmp_path, embedder,
                                                                             monkeypatch, capsys):
    monkeypatch.setattr("index.plan.embedder_for", lambda config, n: embedder)  # the loaded model, not a new one
    folder, index_dir = tmp_path / "news", tmp_path / "idx"
    code = index_cli.main(["fetch", f"{server}/feed", f"{server}/nowhere", "--into", str(folder),
                           "--index", str(index_dir), "--limit", "4", "--quiet"])
    out, err = capsys.readouterr()
    assert code == 0
    assert "failed: " in err and "/nowhere: HTTP 404" in err and "/gone: HTTP 404" in err
    assert "fetched 4 of 6 URL(s)" in err and "incremental build" not in out and "full build" in out
    from search import Searcher
    searcher = Searcher.open(index_dir, embedder=embedder)
    articles = searcher.data.articles.values()
    # Three pages saved; their feed entries are left out, the one whose page failed (/gone) stays.
    assert sorted((a.title, a.text) for a in articles if a.file.endswith(".xml")) == [
        ("Harbour office moves", "Teaser of gone.")]
    assert sorted(a.title for a in articles) == sorted([t for t, _ in PAGES.values()] + ["Harbour office moves"])
    hit = searcher.search("When does work on the bridge start?", k=1)[0]
    assert hit.title == PAGES["/bridge"][0] and hit.url == f"{server}/bridge" and hit.source == "Eastvale Gazette"


def test_fetch_command_with_every_url_failing_exits_1(server, tmp_path, capsys):
    assert index_cli.main(["fetch", f"{server}/nowhere", "--into", str(tmp_path), "--index",
                           str(tmp_path / "idx")]) == 1
    assert "fetched 0 of 1" in capsys.readouterr().err


def test_entry_links_never_open_a_local_file_named_by_the_saved_bytes(tmp_path):
    # The saved feed's bytes came from a server: bytes that spell a local path stay bytes, not that file.
    local = tmp_path / "local.xml"
    local.write_text(rss("http://127.0.0.1:1"), encoding="utf-8")
    assert len(entry_links(local)) == 4  # the file itself is a readable feed
    saved = tmp_path / "saved.xml"
    saved.write_bytes(str(local).encode())
    assert entry_links(saved) == []


def test_write_atomic_leaves_no_temporary_file_when_the_write_fails(tmp_path):
    target = tmp_path / "sub" / "page.html"
    write_atomic(target, b"first")
    with pytest.raises(TypeError):
        write_atomic(target, "not bytes")  # the write itself fails
    assert target.read_bytes() == b"first"  # the old file stands
    assert sorted(p.name for p in target.parent.iterdir()) == ["page.html"]  # and no .part is left behind
