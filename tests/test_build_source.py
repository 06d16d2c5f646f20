"""An index mirrors the path it is built from: an incremental build from another path that would drop files
is refused (`build one.txt` after `build news/` would have left one article), with the fix in the message."""
import shutil
import subprocess
import sys

import pytest

import index.__main__ as index_cli
from index.build import OtherSource, build
from tests.conftest import REPO_ROOT

EXTRA = "Title: Ferry service resumes\nDate: 2024-02-01\nSource: Harbour Post\n\nThe ferry sailed again on Thursday.\n"


@pytest.fixture()
def built(tmp_path, news_dir, fake_embedder):
    index_dir = tmp_path / "idx"
    build(news_dir, index_dir, embedder=fake_embedder)
    return index_dir


def _articles(index_dir):
    from index.storage import load_generation
    return len(load_generation(index_dir).articles)


def test_a_build_from_another_path_that_would_drop_files_is_refused_and_changes_nothing(
        tmp_path, news_dir, built, fake_embedder):
    extra = tmp_path / "extra.txt"
    extra.write_text(EXTRA)
    before = _articles(built)
    with pytest.raises(OtherSource) as refused:
        build(extra, built, embedder=fake_embedder)
    message = str(refused.value)
    assert str(news_dir.resolve()) in message and str(extra) in message and "--full" in message
    assert _articles(built) == before
    # the fixes it names both work: the text added to the folder it was built from, or --full from the file
    shutil.copy(extra, news_dir / "extra.txt")
    assert build(news_dir, built, embedder=fake_embedder).articles == before + 1
    assert build(extra, built, full=True, embedder=fake_embedder).articles == 1


def test_the_same_folder_moved_or_with_a_file_deleted_builds_as_before(tmp_path, news_dir, built, fake_embedder):
    moved = tmp_path / "moved"
    shutil.copytree(news_dir, moved)
    assert build(moved, built, embedder=fake_embedder).removed_files == 0
    (moved / "chess.txt").unlink()
    assert build(moved, built, embedder=fake_embedder).removed_files == 1


def test_the_command_line_says_the_fix_in_one_line_and_info_names_the_folder(
        tmp_path, news_dir, built, capsys):
    extra = tmp_path / "extra.txt"
    extra.write_text(EXTRA)
    assert index_cli.main(["build", str(extra), "--index", str(built), "--quiet"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1 and "--full" in err
    assert index_cli.main(["info", "--index", str(built)]) == 0
    assert f"built from {news_dir.resolve()}" in capsys.readouterr().out


def test_info_piped_into_a_closed_pipe_exits_cleanly(built):
    cmd = [sys.executable, "-m", "index", "info", "--index", str(built)]
    proc = subprocess.Popen(cmd, cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()  # before anything is written, as `| head -1` that has read enough does
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 0 and "error" not in err and "Traceback" not in err


def test_a_corpus_link_pointed_at_a_new_folder_is_still_the_corpus_built(tmp_path, news_dir, fake_embedder):
    v2 = tmp_path / "v2"
    shutil.copytree(news_dir, v2)
    (v2 / "chess.txt").unlink()
    link = tmp_path / "corpus"
    link.symlink_to(news_dir)
    build(link, tmp_path / "idx", embedder=fake_embedder)
    link.unlink()
    link.symlink_to(v2)   # the user retired a file by pointing the link at the next version of the folder
    assert build(link, tmp_path / "idx", embedder=fake_embedder).removed_files == 1


def test_watch_of_another_folder_stops_with_the_fix_instead_of_failing_after_every_change(
        tmp_path, built, fake_embedder):
    from index.watch import watch
    other = tmp_path / "other"
    other.mkdir()
    (other / "ferry.txt").write_text(EXTRA)
    import threading
    lines, raised, stop = [], [], threading.Event()

    def run():
        try:
            watch(other, built, report=lines.append, stop_event=stop, build_kwargs={"embedder": fake_embedder})
        except OtherSource as e:
            raised.append(e)
    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(30)
    stop.set()   # a watch that went on (the old way) is stopped here, and the test fails below
    thread.join(10)
    assert raised and "--full" in str(raised[0]), lines
    assert not any("still watching" in line for line in lines)


def test_fetch_into_a_folder_inside_the_corpus_builds_the_corpus(tmp_path, news_dir, built, fake_embedder,
                                                                 monkeypatch, capsys):
    monkeypatch.setattr("index.plan.embedder_for", lambda config, n: fake_embedder)
    page = news_dir / "fetched" / "bridge.html"

    def saved(urls, into, limit, report):   # what fetch would save, without a server
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text("<html><head><title>Bridge reopens</title></head><body><article><p>"
                        + "The Halvard bridge reopened on Monday after repairs. " * 5 + "</p></article></body></html>")
        from index.fetch import Fetched
        return [Fetched(urls[0], page)]
    monkeypatch.setattr("index.fetch.fetch", saved)
    assert index_cli.main(["fetch", "https://example.org/bridge", "--into", str(page.parent), "--index", str(built),
                           "--quiet"]) == 0
    assert "incremental build: 5 articles" in capsys.readouterr().out
