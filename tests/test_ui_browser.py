"""One real-browser run: `streamlit run ui/app.py`, driven by headless Chromium through Playwright.

Needs Debian's chromium (/usr/bin/chromium) and the playwright Python package (no browser downloads);
.ci/run installs both. The screenshot goes to test-artifacts/ (git-ignored).
"""
import importlib.util
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from index.build import build
from tests.conftest import REPO_ROOT
from tests.news_texts import ARTICLES, write_corpus

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
pytestmark = [
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium: apt-get install -y chromium"),
    pytest.mark.skipif(importlib.util.find_spec("playwright") is None,
                       reason="needs the playwright Python package: pip install playwright (no browser download)"),
]
PAYLOADS = ["<script>window.__pwned=1</script>", '<img src=x onerror="window.__pwned=2">',
            "[a harmless-looking link](https://evil.example/)", "![pic](https://evil.example/p.png)", "$x$"]
HOSTILE = ("Title: Harbour council <script>window.__pwned=1</script> meets\nDate: 2024-02-02\n"
           "Source: Coast <b>Courier</b>\n\n"
           f"The harbour council met on Friday to change the ferry timetable. {PAYLOADS[0]} A councillor posted "
           f"{PAYLOADS[1]} and {PAYLOADS[2]} and {PAYLOADS[3]} with {PAYLOADS[4]} in it. "
           "The new ferry timetable starts in March.\n")
QUESTION = "When does the new ferry timetable start?"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(url: str, proc, log: Path, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"streamlit exited with {proc.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.read().strip() == b"ok":
                    return
        except OSError:
            time.sleep(0.3)
    pytest.fail(f"streamlit did not answer on {url} within {timeout}s:\n{log.read_text()}")


@pytest.fixture()
def server(tmp_path, embedder):
    """`streamlit run ui/app.py` from the project folder, on a free port, over a tmp index of test texts."""
    corpus = write_corpus(tmp_path / "news", {**ARTICLES, "council.txt": HOSTILE})
    build(corpus, tmp_path / "index", embedder=embedder)
    port, log = free_port(), tmp_path / "streamlit.log"
    env = dict(os.environ, NEWS_INDEX_DIR=str(tmp_path / "index"), NEWS_CORPUS_DIR=str(corpus),
               HF_HUB_OFFLINE="1", HOME=str(tmp_path / "home"))   # a bare home: only the project's settings apply
    started = time.monotonic()
    with open(log, "w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "ui/app.py", "--server.port", str(port)],
                                cwd=REPO_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL)
    try:
        url = f"http://localhost:{port}"
        wait_healthy(url, proc, log)
        yield url, started, log
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


def show_the_timeline(page, out: Path) -> None:
    """The Timeline tab: the question's story by date, its text as text too."""
    page.get_by_role("tab", name="Timeline").click()
    entry = page.locator(".news-entry").first
    entry.wait_for(state="visible", timeout=60_000)
    assert entry.locator(".when").inner_text() == "2024-02-02" and "first report" in entry.inner_text()
    assert "Harbour council <script>window.__pwned=1</script> meets" in entry.locator(".title").inner_text()
    assert PAYLOADS[1] in entry.locator(".new").inner_text()
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.locator(".news-entry img, .news-entry script").count() == 0
    page.wait_for_timeout(1000)   # the per-day chart
    page.screenshot(path=str(out / "ui-timeline.png"), full_page=True)


def test_the_page_answers_in_a_real_browser_and_hostile_text_stays_text(server):
    from playwright.sync_api import sync_playwright

    url, started, log = server
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1100})
            page.goto(url)
            box = page.get_by_label("Ask a question about the news")
            box.fill(QUESTION)
            box.press("Enter")
            page.wait_for_selector(".news-card", timeout=180_000)
            first_answer = time.monotonic() - started
            first = page.locator(".news-card").first
            assert "Harbour council <script>window.__pwned=1</script> meets" in first.locator(".title").inner_text()
            assert first.locator(".outlet").inner_text() == "Coast <b>Courier</b>"
            assert first.locator(".date").inner_text() == "2024-02-02"
            passage = first.locator(".passage").inner_text()
            for payload in PAYLOADS:
                assert payload in passage
            assert "March" in first.locator("mark").inner_text()
            assert page.evaluate("typeof window.__pwned") == "undefined"
            assert page.locator(".news-card img, .news-card script, a[href*='evil.example']").count() == 0
            assert page.locator(".news-card").count() == len(ARTICLES) + 1
            assert "q=When+does" in page.url or "q=When%20does" in page.url
            assert first.locator(".story").inner_text().startswith("part of: Harbour council <script>")
            page.wait_for_timeout(1500)   # let the coverage chart draw before the picture
            out = REPO_ROOT / "test-artifacts"
            out.mkdir(exist_ok=True)
            page.screenshot(path=str(out / "ui-answer.png"), full_page=True)
            show_the_timeline(page, out)
        finally:
            browser.close()
    text = log.read_text()
    assert "Email" not in text and "Collecting usage statistics" not in text, text
    print(f"cold start to first answer: {first_answer:.1f}s")
