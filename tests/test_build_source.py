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
