"""Review fixes: manifest entries the page and `index info` show are checked on load; the ONNX export's
metadata is written whole and a half one is made again; the build bar shows the corpus folder literally."""
import errno
import io
import json
import os

import pytest

from index.build import build
from index.onnx_query import OnnxQueryEncoder, export, onnx_paths
from index.storage import IndexDamaged, current_generation, load_generation
from search import Searcher
from search.view import markdown_literal
from tests.conftest import REPO_ROOT
from tests.news_texts import write_corpus


@pytest.fixture()
def index_dir(tmp_path, news_dir, fake_embedder):
    write_corpus(news_dir, {"scan.pdf": "%PDF-1.4 not a text format this tool reads"})  # a reported problem
    build(news_dir, tmp_path / "idx", embedder=fake_embedder)
    return tmp_path / "idx"


def edit_manifest(index_dir, change):
    path = current_generation(index_dir) / "manifest.json"
    manifest = json.loads(path.read_text())
    change(manifest)
    path.write_text(json.dumps(manifest))


def info(index_dir, capsys) -> tuple:
    from index.__main__ import main
    code = main(["info", "--index", str(index_dir)])
    return (code, *capsys.readouterr())


DAMAGE = [   # (change, the entry the message names)
    (lambda m: m.pop("report"), "report is missing"),
    (lambda m: m.update(report="none"), "report is text"),
    (lambda m: m["report"].update(problems=None), "report.problems is null"),
    (lambda m: m["report"].pop("problems"), "report.problems is missing"),
    (lambda m: m["report"]["problems"][0].pop("reason"), "report.problems[0] is a table"),
    (lambda m: m["report"]["problems"].append("scan.pdf"), "report.problems[1] is text"),
    (lambda m: m.pop("built_at"), "built_at is missing"),
    (lambda m: m.update(built_at=20260101), "built_at is a number"),
    (lambda m: m.pop("mode"), "mode is missing"),
    (lambda m: m["model"].pop("name"), "model.name is missing"),
    (lambda m: m.update(source=["corpus"]), "source is a list"),
]


@pytest.mark.parametrize("change, named", DAMAGE)
def test_a_manifest_lacking_what_is_shown_is_refused_naming_the_entry(index_dir, change, named):
    edit_manifest(index_dir, change)
    with pytest.raises(IndexDamaged) as err:
        Searcher.open(index_dir)
    message = str(err.value)
    assert f"manifest.json: {named}" in message
    assert f"rebuild it with: python -m index build FOLDER --full --index {index_dir}" in message


@pytest.mark.parametrize("change, named", DAMAGE)
def test_info_says_the_entry_in_one_line(index_dir, change, named, capsys):
    edit_manifest(index_dir, change)
    code, out, err = info(index_dir, capsys)
    assert (code, out) == (1, "") and err.count("\n") == 1
    assert err.startswith("error: ") and f"manifest.json: {named}" in err and "--full" in err


def test_the_next_build_rebuilds_an_index_refused_for_its_manifest(index_dir, news_dir, fake_embedder):
    edit_manifest(index_dir, lambda m: m["report"].update(problems=None))
    summary = build(news_dir, index_dir, embedder=fake_embedder)
    assert summary.mode == "full" and "report.problems is null" in summary.note
    assert Searcher.open(index_dir).stats()["problems"][0]["file"] == "scan.pdf"


def test_indexes_this_version_and_earlier_ones_wrote_still_load_and_show(index_dir, capsys):
    stats = Searcher.open(index_dir).stats()
    assert stats["problems"] and stats["model"] == "all-MiniLM-L6-v2" and stats["built_at"]
    # As an earlier version of format 3 wrote it: no folder recorded, no stories stored.
    edit_manifest(index_dir, lambda m: (m.pop("source"), m["data"].pop("stories/stories.json")))
    data = load_generation(index_dir)
    assert data.stories is None and Searcher(data, index_dir).stats()["problems"] == stats["problems"]
    code, out, _ = info(index_dir, capsys)
    assert code == 0 and "built from: not recorded" in out and "scan.pdf" in out


def test_the_page_says_what_is_wrong_and_keeps_its_rebuild_button(tmp_path, news_dir, embedder, monkeypatch):
    from streamlit.testing.v1 import AppTest
    build(news_dir, tmp_path / "idx", embedder=embedder)
    edit_manifest(tmp_path / "idx", lambda m: m.pop("report"))
    monkeypatch.setattr("index.embed.Embedder", lambda *args, **kwargs: embedder)
    monkeypatch.setenv("NEWS_INDEX_DIR", str(tmp_path / "idx"))
    monkeypatch.setenv("NEWS_CORPUS_DIR", str(news_dir))
    at = AppTest.from_file(str(REPO_ROOT / "ui" / "app.py"), default_timeout=120)
    at.query_params["q"] = "volcano"
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert any("report is missing" in e.value and "Rebuild index" in e.value for e in at.error)
    assert any(b.key == "rebuild" for b in at.button)


# --- the ONNX export's metadata -------------------------------------------------------------

def test_an_export_whose_metadata_does_not_read_is_made_again(embedder, tmp_path):
    assert export(embedder, tmp_path)
    model, meta = onnx_paths(tmp_path, embedder.name)
    meta.write_bytes(meta.read_bytes()[:100])   # as a build killed mid-write left it
    assert OnnxQueryEncoder.open(tmp_path, embedder.name) is None
    assert export(embedder, tmp_path)
    assert OnnxQueryEncoder.open(tmp_path, embedder.name) is not None


class CutShort:
    """A file whose first write stops halfway with a full disk: a crash mid-write, as the disk sees it."""

    def __init__(self, f):
        self.f = f

    def write(self, data):
        self.f.write(data[:len(data) // 2])
        self.f.flush()
        raise OSError(errno.ENOSPC, "No space left on device")

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.f.close()

    def __getattr__(self, name):
        return getattr(self.f, name)


def test_a_metadata_write_cut_short_leaves_no_half_file(embedder, tmp_path, monkeypatch):
    real_open = io.open

    def metadata_cut_short(file, mode="r", *args, **kwargs):
        f = real_open(file, mode, *args, **kwargs)
        name = os.readlink(f"/proc/self/fd/{file}") if isinstance(file, int) else os.fspath(file)
        if "w" in mode and name.startswith(str(tmp_path)) and ".json" in name:
            return CutShort(f)
        return f
    # Path.write_text and os.fdopen both open through io.open; the model file is written by torch.
    monkeypatch.setattr(io, "open", metadata_cut_short)
    with pytest.raises(OSError, match="No space left"):
        export(embedder, tmp_path)
    monkeypatch.undo()
    model, meta = onnx_paths(tmp_path, embedder.name)
    assert not meta.exists() and list(model.parent.iterdir()) == []   # no half file, no temporary one


# --- the build bar ----------------------------------------------------------------------------

def test_the_build_bar_shows_the_corpus_folder_literally(tmp_path, monkeypatch):
    from ui.sidebar import build_with_progress
    folder = tmp_path / "news_*draft*_[a](b)_$x$"
    monkeypatch.setenv("NEWS_CORPUS_DIR", str(folder))
    monkeypatch.setenv("NEWS_INDEX_DIR", str(tmp_path / "idx"))
    shown = []

    class Bar:
        def progress(self, value, text):
            shown.append(text)
            return self

        def empty(self):
            pass

    class Stop(Exception):
        pass

    def stopped(*args, **kwargs):
        raise Stop
    monkeypatch.setattr("index.build.build", stopped)
    with pytest.raises(Stop):
        build_with_progress(Bar(), lock_timeout=0)
    assert shown == [f"Building the index from {markdown_literal(str(folder))} …"]
