"""Two builds at once, and a build while a Searcher keeps answering: real processes."""
import os
import subprocess
import sys
import time

import pytest
from filelock import FileLock, Timeout

from index.build import build
from index.storage import current_generation
from search import Searcher
from tests.conftest import FakeEmbedder
from tests.crash_sweep import REPO_ROOT, answers, extra_articles, leftovers, run_build
from tests.news_texts import write_corpus


@pytest.fixture()
def changed(tmp_path, news_dir, fake_embedder):
    """An index of news_dir, then 30 files added (a build of ~2 s holds the lock), and a clean reference."""
    index_dir = tmp_path / "idx"
    build(news_dir, index_dir, embedder=fake_embedder)
    old = answers(index_dir)
    write_corpus(news_dir, extra_articles(30))
    build(news_dir, tmp_path / "reference", embedder=fake_embedder)
    return news_dir, index_dir, old, answers(tmp_path / "reference")


def start_holding_lock(corpus, index_dir, delay=0.15):
    """Start a slow build and return once it holds the build lock."""
    proc = run_build(corpus, index_dir, delay=delay, wait=30, start_only=True)
    lock = FileLock(str(index_dir / ".build.lock"))
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            lock.acquire(timeout=0)
            lock.release()  # not taken yet; the build waits up to 30 s for us, so no harm
            time.sleep(0.02)
        except Timeout:
            return proc
    proc.kill()
    raise AssertionError("the build never took the lock")


def cli_build(corpus, index_dir, *extra):
    env = dict(os.environ, HF_HUB_OFFLINE="1")
    return subprocess.run([sys.executable, "-m", "index", "build", str(corpus), "--index", str(index_dir),
                           "--quiet", *extra], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_a_second_build_is_refused_at_once_and_the_first_finishes_cleanly(changed):
    corpus, index_dir, _, reference = changed
    first = start_holding_lock(corpus, index_dir)
    second = cli_build(corpus, index_dir)
    assert second.returncode == 1 and first.poll() is None
    assert "another build is running" in second.stderr and "--wait SECONDS" in second.stderr
    assert "Traceback" not in second.stderr
    assert first.wait(timeout=60) == 0
    assert answers(index_dir) == reference and leftovers(index_dir) == []


def test_a_second_build_with_wait_runs_after_the_first(changed):
    corpus, index_dir, _, reference = changed
    first = start_holding_lock(corpus, index_dir)
    second = cli_build(corpus, index_dir, "--wait", "60")
    assert first.poll() == 0, "the second build returned before the first finished"
    # Everything was embedded by the first build: the second found it unchanged.
    assert second.returncode == 0 and "(0 embedded" in second.stdout, second.stderr
    assert answers(index_dir) == reference and leftovers(index_dir) == []


def test_wait_gives_up_with_a_clear_message(changed):
    corpus, index_dir, _, _ = changed
    first = start_holding_lock(corpus, index_dir, delay=0.3)
    started = time.monotonic()
    second = cli_build(corpus, index_dir, "--wait", "0.5")
    assert second.returncode == 1 and "waited 0.5s" in second.stderr and time.monotonic() - started >= 0.5
    assert first.wait(timeout=60) == 0


def test_a_searcher_answers_through_a_rebuild_and_then_switches(changed):
    corpus, index_dir, old, reference = changed
    searcher = Searcher.open(index_dir, embedder=FakeEmbedder())
    embedder = searcher._embedder
    builder = run_build(corpus, index_dir, delay=0.05, start_only=True)
    during, switches = 0, 0
    while builder.poll() is None or searcher.is_stale():
        switches += searcher.refresh()
        for hit in searcher.search("harbour ferry", k=5):  # every hit must be the article's own text
            assert hit.text == searcher.data.articles[hit.article_id].text[hit.start:hit.end]
        during += builder.poll() is None
    assert builder.returncode == 0, builder.stderr.read()
    assert during > 10 and switches == 1
    assert searcher.data.path == current_generation(index_dir) and searcher._embedder is embedder
    assert answers(searcher=searcher) == reference != old


def test_refresh_keeps_the_old_index_when_the_new_one_is_damaged(changed, fake_embedder):
    corpus, index_dir, old, reference = changed
    searcher = Searcher.open(index_dir, embedder=fake_embedder)
    before = searcher.data.path
    build(corpus, index_dir, embedder=fake_embedder)
    (current_generation(index_dir) / "vectors.faiss").write_bytes(b"broken")
    assert searcher.refresh() is False and searcher.data.path == before
    assert answers(searcher=searcher) == old
    build(corpus, index_dir, embedder=fake_embedder)  # the damaged one is rebuilt in full
    assert searcher.refresh() is True and searcher.data.path == current_generation(index_dir)
    assert answers(searcher=searcher) == reference
    assert searcher.refresh() is False  # nothing newer


def test_a_build_that_waited_reads_the_folder_as_it_is_when_it_gets_the_lock(tmp_path, news_dir, fake_embedder,
                                                                               monkeypatch):
    import threading

    import index.build as build_module
    index_dir = tmp_path / "idx"
    build(news_dir, index_dir, embedder=fake_embedder)
    holder = FileLock(str(index_dir / ".build.lock"), thread_local=False)
    holder.acquire()
    waiting = threading.Event()

    class Watched(FileLock):
        def acquire(self, *args, **kwargs):
            waiting.set()
            return super().acquire(*args, **kwargs)
    monkeypatch.setattr(build_module, "FileLock", Watched)
    done = {}
    worker = threading.Thread(target=lambda: done.update(summary=build(news_dir, index_dir, lock_timeout=30,
                                                                         embedder=fake_embedder)))
    worker.start()
    assert waiting.wait(10)
    write_corpus(news_dir, extra_articles(1))   # saved while the build waits for the other one
    holder.release()
    worker.join(60)
    assert done["summary"].embedded > 0, "the file saved during the wait was not read"
    assert any(a.title == "Harbour report 1" for a in Searcher.open(index_dir).data.articles.values())


def test_refresh_drops_the_question_encoder_when_the_models_weights_changed(tmp_path, news_dir, fake_embedder,
                                                                          monkeypatch):
    """`index adapt` into the same folder again: same model name, new weights (their key is in the manifest)."""
    from index.build import build
    build(news_dir, tmp_path / "idx", embedder=fake_embedder)
    searcher = Searcher.open(tmp_path / "idx", embedder=fake_embedder)
    monkeypatch.setattr("index.build._weights", lambda name: "the same folder, adapted again")
    build(news_dir, tmp_path / "idx", embedder=fake_embedder)
    assert searcher.refresh() is True
    assert searcher._embedder is not fake_embedder   # the next question loads the new weights' encoder
