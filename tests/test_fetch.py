"""`python -m index fetch` against a real HTTP server started here on 127.0.0.1; nothing reaches the internet."""
import gzip
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

import corpus
import index.__main__ as index_cli
from index.atomic import write_atomic
from index.fetch import USER_AGENT, entry_links, fetch, fetch_one

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


TITLE_RU, TEXT_RU = "Мост открыт в Кессине", "Новый мост через реку открыт во вторник, сообщил городской совет Кессины."
TITLE_JA, TEXT_JA = "橋が開通しました", "川に架かる新しい橋が火曜日に開通したと市議会が発表しました。市長も出席しました。"


def page(title, text, head=""):
    return f"<html><head>{head}<title>{title}</title></head><body><article><h1>{title}</h1><p>{text}</p></article>"


def entries_feed(links, declaration=""):
    items = "".join(f"<item><title>{TITLE_RU} {n}</title><link>{link}</link><description>{TEXT_RU}</description>"
                    "</item>" for n, link in enumerate(links))
    return (f"<?xml version='1.0'{declaration}?><rss version='2.0'><channel><title>Кессина</title>{items}"
            "</channel></rss>")


# path: (Content-Type, body); served as they are, for the character-set and content-type tests.
SENT = {
    "/cp1251": ("text/html; charset=windows-1251", page(TITLE_RU, TEXT_RU).encode("cp1251")),
    "/cp1251-meta": ("text/html; charset=windows-1251",
                     page(TITLE_RU, TEXT_RU, "<meta charset='windows-1251'>").encode("cp1251")),
    "/sjis": ("text/html; charset=Shift_JIS", page(TITLE_JA, TEXT_JA).encode("shift_jis")),
    "/plain-cp1251": ("text/plain; charset=windows-1251", f"{TITLE_RU}\n\n{TEXT_RU}".encode("cp1251")),
    "/utf16-bom": ("text/html", page(TITLE_RU, TEXT_RU).encode("utf-16")),
    "/feed-cp1251": ("application/rss+xml; charset=windows-1251", entries_feed(["/a"]).encode("cp1251")),
    "/feed-cp1251-declared": ("application/rss+xml; charset=windows-1251",
                              entries_feed(["/a"], " encoding='windows-1251'").encode("cp1251")),
    "/pdf-octet": ("application/octet-stream", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"),
    "/pdf-x": ("application/x-pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"),
    "/csv": ("text/csv", b"title,text\nBridge vote,The council voted to rebuild the bridge.\n"),
    "/ndjson": ("application/x-ndjson", b'{"title": "Bridge vote", "text": "The council voted."}\n'),
    "/json": ("application/json", b'[{"title": "Bridge vote", "text": "The council voted."}]'),
    "/page-octet": ("application/octet-stream", html("/fair").encode()),
    "/png": ("image/png", b"\x89PNG\r\n\x1a\n" + bytes(64)),
    "/gzip": ("text/html", gzip.compress(html("/fair").encode())),
    "/css": ("text/css", b"body { color: red }"),
    "/page-rel0": ("text/html", page("Relative link zero", TEXT_RU).encode()),
    "/page-rel1": ("text/html", page("Relative link one", TEXT_RU).encode()),
    "/feed-fragments": ("application/rss+xml", entries_feed(["/bridge#top", "/ferry", "/bridge#comments",
                                                             "/bridge"]).encode()),
    "/feed-relative": ("application/rss+xml", entries_feed(["/page-rel0", "page-rel1"]).encode()),
}


class Handler(BaseHTTPRequestHandler):
    agents: list = []
    paths: list = []

    def do_GET(self):
        Handler.agents.append(self.headers.get("User-Agent"))
        Handler.paths.append(self.path)
        base = f"http://127.0.0.1:{self.server.server_port}"
        if self.path in PAGES:
            return self.send(200, "text/html; charset=utf-8", html(self.path).encode())
        if self.path in SENT:
            return self.send(200, *SENT[self.path])
        if self.path == "/drip":
            return self.drip()
        if self.path == "/to-ftp":
            self.send_response(302)
            self.send_header("Location", "ftp://127.0.0.1:9/story")
            self.send_header("Content-Length", "0")
            return self.end_headers()
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

    def drip(self):
        """8 bytes every 0.1 s for up to 10 s: each read is quick, the whole page is not."""
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        for _ in range(100):
            try:
                self.wfile.write(b"<p>drip ")
                self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):  # the client gave up: the test is over
                return
            time.sleep(0.1)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    Handler.agents, Handler.paths = [], []
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


def read_back(path):
    """The saved file as the corpus reads it: (title, text, problems) of each article."""
    [result] = corpus.read_path(path)
    return [(a.title, a.text) for a in result.articles], [p.reason for p in result.problems]


# Transcoded, /cp1251-meta's own <meta charset=windows-1251> is stale; the reader takes UTF-8 bytes first.
@pytest.mark.parametrize("where", ["/cp1251", "/cp1251-meta", "/sjis", "/utf16-bom", "/plain-cp1251"])
def test_a_page_in_the_character_set_its_header_or_mark_names_is_saved_as_utf8(server, tmp_path, where):
    title, text = (TITLE_JA, TEXT_JA) if where == "/sjis" else (TITLE_RU, TEXT_RU)
    saved = fetch_one(server + where, tmp_path).path
    data = saved.read_bytes()
    data.decode("utf-8")  # UTF-8 throughout: no byte-order mark behind the saved-from line
    if saved.suffix == ".html":
        assert data.startswith(f"<!-- saved from url=({len(server + where):04d}){server + where} -->\n<html>".encode())
    [(got_title, got_text)], problems = read_back(saved)
    assert got_title == title and got_text.endswith(text) and problems == []


@pytest.mark.parametrize("where", ["/feed-cp1251", "/feed-cp1251-declared"])
def test_a_feed_in_the_character_set_its_header_names_is_saved_as_utf8(server, tmp_path, where):
    [result] = fetch([server + where], tmp_path, limit=0)
    data = result.path.read_bytes()
    assert data.decode("utf-8").startswith("<?xml version='1.0'")
    assert b"windows-1251" not in data  # a declaration naming the old character set would mislead the reader
    articles, problems = read_back(result.path)
    assert articles == [(f"{TITLE_RU} 0", TEXT_RU)] and problems == []


def test_a_server_that_drips_bytes_is_cut_off_at_the_deadline(server, tmp_path):
    start = time.monotonic()
    results = fetch([f"{server}/drip", f"{server}/bridge"], tmp_path, timeout=5, deadline=0.5)
    assert time.monotonic() - start < 3  # each read arrives within the timeout; the deadline ends it
    assert "timed out" in results[0].error and "0.5 s" in results[0].error and results[0].path is None
    assert results[1].path.exists()  # and the next URL goes on
    assert not list(tmp_path.rglob("drip*"))


@pytest.mark.parametrize("where, suffix", [
    ("/pdf-octet", ".pdf"), ("/pdf-x", ".pdf"), ("/csv", ".csv"), ("/ndjson", ".jsonl"), ("/json", ".json"),
    ("/page-octet", ".html")])  # the last: a page, whatever its label, is still a page
def test_what_the_server_sent_is_saved_under_the_suffix_of_its_reader(server, tmp_path, where, suffix):
    saved = fetch_one(server + where, tmp_path).path
    assert saved.suffix == suffix and saved.read_bytes().endswith(SENT[where][1])
    if suffix in (".csv", ".jsonl", ".json"):
        [(title, _)], problems = read_back(saved)
        assert title == "Bridge vote" and problems == []


@pytest.mark.parametrize("where, named", [("/png", ["image/png", "PNG image"]),
                                          ("/gzip", ["text/html", "gzip"]), ("/css", ["text/css"])])
def test_what_no_reader_takes_is_refused_naming_its_content_type(server, tmp_path, where, named):
    [result] = fetch([server + where], tmp_path)
    assert result.path is None and all(n in result.error for n in named) and "not saved" in result.error
    assert "\n" not in result.error and not list(tmp_path.rglob("*"))


def test_a_feed_linking_a_page_and_its_fragments_fetches_it_once(server, tmp_path):
    results = fetch([f"{server}/feed-fragments"], tmp_path, limit=2)
    # page#top, page#comments and page are one page, counted once against the limit: /ferry is the second.
    assert [r.url for r in results] == [f"{server}/feed-fragments", f"{server}/bridge", f"{server}/ferry"]
    assert sorted(Handler.paths) == ["/bridge", "/feed-fragments", "/ferry"]
    saved = results[1].path.read_bytes()  # under the address without its fragment
    assert saved.startswith(f"<!-- saved from url=({len(server) + 7:04d}){server}/bridge -->".encode())


def test_a_url_given_twice_is_fetched_once(server, tmp_path):
    results = fetch([f"{server}/bridge", f"{server}/ferry", f"{server}/bridge", f" {server}/bridge#x"], tmp_path)
    assert [r.url for r in results] == [f"{server}/bridge", f"{server}/ferry"]
    assert sorted(Handler.paths) == ["/bridge", "/ferry"]


def test_a_feeds_relative_links_resolve_against_its_address(server, tmp_path):
    results = fetch([f"{server}/feed-relative"], tmp_path)
    assert [r.url for r in results] == [f"{server}/feed-relative", f"{server}/page-rel0", f"{server}/page-rel1"]
    assert all(r.path and not r.error for r in results)


def test_a_negative_limit_is_refused_before_anything_is_fetched(server, tmp_path):
    with pytest.raises(ValueError, match="limit must be 0 or more"):
        fetch([f"{server}/feed"], tmp_path, limit=-1)
    assert Handler.paths == []


def test_a_redirect_to_an_address_that_is_not_http_is_not_followed(server, tmp_path):
    results = fetch([f"{server}/to-ftp", f"{server}/bridge"], tmp_path)
    assert results[0].error == "redirected to ftp://127.0.0.1:9/story, not an http(s) address; not followed"
    assert results[1].path.exists()


def test_an_xhtml_page_with_an_xml_prolog_is_a_page_whatever_its_type():
    from index.fetch_kinds import saved_form
    page = b'<?xml version="1.0"?>\n<!DOCTYPE html><html><body><p>The bridge opened.</p></body></html>'
    for kind in ("text/xml", "application/xml", ""):
        assert saved_form(page, kind, None)[1:] == (".html", False)


def test_a_page_given_with_tracking_parameters_is_fetched_once(tmp_path, server):
    saved = fetch([f"{server}/bridge", f"{server}/bridge?utm_source=rss", f"{server}/bridge#part"], tmp_path)
    assert len(saved) == 1   # the build reads them as one page (corpus.urls.url_key): fetched once
