"""`python -m index watch` on a real temporary folder: bursts, failures, Ctrl-C."""
import os
import signal
import subprocess
import sys
import threading
import time

from filelock import FileLock

from index.storage import load_generation
from index.watch import watch
from tests.conftest import REPO_ROOT

STORY = ("Title: {title}\n\nThe Eastvale {what} was reported on Monday by the harbour office, "
         "which said more would follow.")


def wait_for(predicate, seconds=60, what="condition"):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def test_a_burst_is_one_build_a_failed_build_is_reported_and_watching_goes_on(tmp_path, embedder):
    folder, index_dir = tmp_path / "news", tmp_path / "idx"
    folder.mkdir()
    lines, stop = [], threading.Event()
    thread = threading.Thread(target=watch, args=(folder, index_dir), daemon=True,
                              kwargs=dict(report=lines.append, stop_event=stop, build_kwargs={"embedder": embedder}))
    thread.start()
    # The first build finds an empty folder: it fails, is reported, and watching goes on.
    wait_for(lambda: any(line.startswith("watching") for line in lines), what="watching")
    assert any(line.startswith("build failed: nothing could be indexed") for line in lines)

    for n, what in enumerate(["ferry", "bridge", "fair"]):  # a burst of three files
        (folder / f"{what}.txt").write_text(STORY.format(title=f"Story {n}", what=what))
    wait_for(lambda: any("3 articles" in line for line in lines), what="the build of the burst")
    assert sum("change(s)" in line for line in lines) == 1, lines
    assert sorted(a.file for a in load_generation(index_dir).articles.values()) == ["bridge.txt", "fair.txt",
                                                                                  "ferry.txt"]
    (folder / "ferry.txt").unlink()
    (folder / "fair.txt").write_text(STORY.format(title="Fair moved", what="fair"))
    wait_for(lambda: any("2 articles" in line and "1 file removed" in line for line in lines), what="removal")
    titles = sorted(a.title for a in load_generation(index_dir).articles.values())
    assert titles == ["Fair moved", "Story 1"]
    stop.set()
    thread.join(10)
    assert not thread.is_alive()


def test_a_problem_is_told_once_while_it_stands_not_after_every_change(tmp_path, fake_embedder):
    folder, index_dir = tmp_path / "news", tmp_path / "idx"
    folder.mkdir()
    (folder / "ferry.txt").write_text(STORY.format(title="Ferry", what="ferry"))
    (folder / "empty.txt").write_text("")
    lines, stop = [], threading.Event()
    thread = threading.Thread(target=watch, args=(folder, index_dir), daemon=True,
                              kwargs=dict(report=lines.append, stop_event=stop, build_kwargs={"embedder": fake_embedder}))
    thread.start()
    wait_for(lambda: any(line.startswith("watching") for line in lines), what="watching")
    (folder / "bridge.txt").write_text(STORY.format(title="Bridge", what="bridge"))
    wait_for(lambda: any("2 articles" in line for line in lines), what="the second build")
    stop.set()
    thread.join(10)
    assert sum("empty.txt" in line for line in lines) == 1, lines
    assert any("2 articles" in line and "(1 reported above still stand)" in line for line in lines), lines


def test_changes_made_while_another_build_holds_the_index_are_indexed_when_it_ends(tmp_path, fake_embedder):
    folder, index_dir = tmp_path / "news", tmp_path / "idx"
    folder.mkdir()
    (folder / "ferry.txt").write_text(STORY.format(title="Ferry", what="ferry"))
    lines, stop = [], threading.Event()
    thread = threading.Thread(target=watch, args=(folder, index_dir), daemon=True, kwargs=dict(
        report=lines.append, stop_event=stop, build_kwargs={"embedder": fake_embedder}))
    thread.start()
    wait_for(lambda: any(line.startswith("watching") for line in lines), what="watching")
    with FileLock(str(index_dir / ".build.lock")):   # the page's Rebuild, or a fetch, is building
        (folder / "bridge.txt").write_text(STORY.format(title="Bridge", what="bridge"))
        wait_for(lambda: any("indexed when it ends" in line for line in lines), what="the refused build")
    wait_for(lambda: len(load_generation(index_dir).articles) == 2, what="the change indexed after the lock")
    stop.set()
    thread.join(10)
    assert sum("indexed when it ends" in line for line in lines) == 1   # said once, retried quietly


def test_ctrl_c_during_a_build_ends_cleanly_and_leaves_no_lock(tmp_path, fake_embedder):
    folder, index_dir = tmp_path / "news", tmp_path / "idx"
    folder.mkdir()
    proc = subprocess.Popen([sys.executable, "-m", "index", "watch", str(folder), "--index", str(index_dir)],
                            cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        out = []
        for line in proc.stdout:
            out.append(line)
            if line.startswith("watching"):
                (folder / "ferry.txt").write_text(STORY.format(title="Ferry", what="ferry"))
            if "change(s)" in line:  # the build has started (it holds the lock while it loads the model)
                proc.send_signal(signal.SIGINT)
                break
        rest, _ = proc.communicate(timeout=120)
    finally:
        proc.kill()
    text = "".join(out) + rest
    assert proc.returncode == 0, text
    assert "stopped watching" in text and "Traceback" not in text
    lock = FileLock(str(index_dir / ".build.lock"))
    lock.acquire(timeout=0)  # not held by anyone
    lock.release()
    from index.build import build
    assert build(folder, index_dir, embedder=fake_embedder).articles == 1


def test_a_corpus_under_a_hidden_folder_is_watched_and_only_the_index_itself_is_ignored(tmp_path):
    from index.watch import _Ignore
    folder = tmp_path / ".news" / "corpus"
    ignore = _Ignore(folder, folder / "idx")
    assert ignore(None, str(folder / "bridge.txt"))  # the hidden parent above the folder does not count
    assert ignore(None, str(folder / "idx2" / "ferry.txt"))  # a sibling whose name starts like the index's
    assert not ignore(None, str(folder / "idx" / "manifest.json"))
    assert not ignore(None, str(folder / "drafts" / ".bridge.txt.swp"))
    assert not ignore(None, str(folder / ".hidden" / "bridge.txt"))


def test_a_saved_pages_resources_and_editor_backups_start_no_build(tmp_path):
    """What list_files leaves out, a change to it starts no build: a browser's <page>_files/ beside <page>.html,
    an editor's backup and a download in progress."""
    from corpus.folder import list_files
    from index.watch import _Ignore
    folder = tmp_path / "corpus"
    (folder / "2024" / "Rain_files").mkdir(parents=True)
    (folder / "2024" / "Rain.html").write_text("<html><body><p>Rain fell on Eastvale all day.</p></body></html>")
    (folder / "2024" / "Rain_files" / "ad.html").write_text("<html><body><p>Buy a boat.</p></body></html>")
    (folder / "Other_files").mkdir()   # no page of that name: a folder like any other
    for name in ("Other_files/note.txt", "note.txt~", "#note.txt#", "page.html.crdownload"):
        (folder / name).write_text("The ferry ran twice on Sunday.")
    ignore = _Ignore(folder, tmp_path / "idx")
    assert not ignore(None, str(folder / "2024" / "Rain_files" / "ad.html"))
    assert not ignore(None, str(folder / "note.txt~")) and not ignore(None, str(folder / "#note.txt#"))
    assert ignore(None, str(folder / "Other_files" / "note.txt")) and ignore(None, str(folder / "2024" / "Rain.html"))
    files, problems = list_files(folder)
    assert sorted(f.key for f in files) == ["2024/Rain.html", "Other_files/note.txt"] and problems == []
