"""The page part of `python -m bench.speed`: `streamlit run ui/app.py` to the first answer on screen.

Starts the page on a free port against a built index, opens it in headless Chromium (Playwright,
from requirements-dev.txt; Debian's chromium), asks one question and waits until the first answer
card shows its highlighted sentence. The clock runs from just before `streamlit run` starts.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from index.config import PROJECT_ROOT

QUESTION = "What clause did the Pentagon want removed?"
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run", "--disable-quic"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def first_answer_seconds(index_dir: Path, chromium: str = "/usr/bin/chromium") -> dict:
    from playwright.sync_api import sync_playwright

    port = _free_port()
    env = dict(os.environ, NEWS_INDEX_DIR=str(index_dir))
    with tempfile.TemporaryFile("w+") as log, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_FLAGS)
        started = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "ui/app.py", "--server.port", str(port),
                                 "--server.headless", "true"], cwd=PROJECT_ROOT, env=env, stdout=log,
                                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        try:
            healthy = _wait_healthy(port, proc)
            page = browser.new_page()
            page.goto(f"http://localhost:{port}")
            box = page.get_by_label("Ask a question about the news")
            box.fill(QUESTION)
            box.press("Enter")
            page.wait_for_selector(".news-card mark", timeout=300_000)
            answer = time.perf_counter() - started
            source = page.locator(".news-card").first.locator(".outlet").inner_text()
        finally:
            proc.terminate()
            proc.wait(timeout=30)
            browser.close()
    return {"page_server_up_s": healthy, "page_first_answer_s": answer, "page_first_outlet": source}


def _wait_healthy(port: int, proc) -> float:
    started = time.perf_counter()
    while proc.poll() is None:
        try:
            with urllib.request.urlopen(f"http://localhost:{port}/_stcore/health", timeout=1) as r:
                if r.read() == b"ok":
                    return time.perf_counter() - started
        except OSError:
            time.sleep(0.05)
    raise SystemExit(f"streamlit exited with {proc.returncode} before serving the page")


def part_page(work: Path, runs: int = 3) -> dict:
    """Median of `runs` cold starts of the page on the bench index (work/index)."""
    results = [first_answer_seconds(work / "index") for _ in range(runs)]
    times = sorted(r["page_first_answer_s"] for r in results)
    return {"page_first_answer_s": times[len(times) // 2], "runs": times,
            "page_server_up_s": sorted(r["page_server_up_s"] for r in results)[len(results) // 2],
            "first_outlet": results[0]["page_first_outlet"]}
