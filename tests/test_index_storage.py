"""A damaged or mismatched index is refused with a message that says to rebuild; never served."""
import json
import os
import re

import pytest

from index.build import BuildBusy, NothingIndexed, build
from index.storage import IndexDamaged, IndexMissing, current_generation, load_generation


@pytest.fixture()
def index_dir(tmp_path, news_dir, fake_embedder):
    build(news_dir, tmp_path / "idx", embedder=fake_embedder)
    return tmp_path / "idx"


def live(index_dir):
    return current_generation(index_dir)


def refused(index_dir, match):
    with pytest.raises(IndexDamaged, match=match) as err:
        load_generation(index_dir)
    assert "python -m index build" in str(err.value) and "--full" in str(err.value)


def test_a_good_index_loads(index_dir):
    data = load_generation(index_dir)
    assert len(data.store) == len(data.passages) == data.manifest["counts"]["passages"] > 0


def test_missing_index_says_how_to_build(tmp_path):
    with pytest.raises(IndexMissing, match="python -m index build"):
        load_generation(tmp_path / "nothing-here")


def test_truncated_faiss_file_is_refused(index_dir):
    path = live(index_dir) / "vectors.faiss"
    path.write_bytes(path.read_bytes()[:-100])
    refused(index_dir, "vectors.faiss")


def test_missing_faiss_file_is_refused(index_dir):
    (live(index_dir) / "vectors.faiss").unlink()
    refused(index_dir, "vectors.faiss")


def test_passage_table_with_a_row_less_is_refused(index_dir):
    # The mis-aligned ids failure: one row gone would shift every later passage.
    path = live(index_dir) / "passages.jsonl"
    path.write_text("".join(path.read_text().splitlines(keepends=True)[1:]))
    refused(index_dir, "passages.jsonl")


def test_same_size_tampering_is_caught_by_checksum(index_dir):
    path = live(index_dir) / "passages.jsonl"
    text = path.read_text()
    path.write_text(text.replace('"start": 0', '"start": 1', 1))
    refused(index_dir, "checksum")


def test_unreadable_manifest_is_refused(index_dir):
    (live(index_dir) / "manifest.json").write_text("{not json")
    refused(index_dir, "manifest unreadable")


def test_other_format_version_is_refused(index_dir):
    path = live(index_dir) / "manifest.json"
    manifest = json.loads(path.read_text())
    path.write_text(json.dumps(dict(manifest, format_version=99)))
    refused(index_dir, "format version 99")


def test_vectors_of_another_model_dimension_are_refused(index_dir):
    path = live(index_dir) / "manifest.json"
    manifest = json.loads(path.read_text())
    manifest["model"]["dim"] = 768
    manifest["counts"]["passages"] = manifest["counts"]["passages"]
    path.write_text(json.dumps(manifest))
    refused(index_dir, "dimension")


def test_a_damaged_index_is_rebuilt_in_full_by_the_next_build(index_dir, news_dir, fake_embedder):
    (live(index_dir) / "vectors.faiss").write_bytes(b"garbage")
    summary = build(news_dir, index_dir, embedder=fake_embedder)
    assert summary.mode == "full" and "unusable" in summary.note
    assert len(load_generation(index_dir).passages) == summary.passages


def test_leftovers_of_a_killed_build_are_cleaned_and_never_loaded(index_dir, news_dir, fake_embedder):
    before = load_generation(index_dir)
    half = index_dir / ".tmp-999-1"
    half.mkdir()
    (half / "manifest.json").write_text("{}")
    assert load_generation(index_dir).path == before.path
    build(news_dir, index_dir, embedder=fake_embedder)
    assert not half.exists()
    assert len([p for p in os.listdir(index_dir) if p.startswith("gen-")]) <= 2


def test_a_first_build_killed_before_the_switch_leaves_nothing_the_next_build_keeps(tmp_path, news_dir,
                                                                                   fake_embedder):
    """No CURRENT: the generation a killed first build renamed into place never went live, so the next build
    removes it at once instead of keeping it as the spare previous generation."""
    index_dir = tmp_path / "fresh"
    dead = index_dir / "gen-20000101T000000-1"
    dead.mkdir(parents=True)
    (dead / "manifest.json").write_text("{}")
    build(news_dir, index_dir, embedder=fake_embedder)
    assert not dead.exists() and [p.name for p in index_dir.glob("gen-*")] == [live(index_dir).name]


def test_nothing_indexable_fails_and_keeps_the_old_index(index_dir, tmp_path, fake_embedder):
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "empty.txt").write_text("")
    (bad / "binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    gen = live(index_dir)
    with pytest.raises(NothingIndexed, match="nothing could be indexed") as err:   # --full: another folder
        build(bad, index_dir, full=True, embedder=fake_embedder)
    assert live(index_dir) == gen
    assert "empty.txt: skipped: empty file" in str(err.value)       # the reasons are in the one line
    assert {p.file for p in err.value.problems} == {"empty.txt", "binary.txt"}


def test_the_build_command_names_every_file_when_nothing_could_be_indexed(tmp_path, capsys):
    from index.__main__ import main
    bad = tmp_path / "bad"
    bad.mkdir()
    for n in range(5):
        (bad / f"empty-{n}.txt").write_text("")
    assert main(["build", str(bad), "--index", str(tmp_path / "idx"), "--quiet"]) == 1
    err = capsys.readouterr().err
    assert all(err.count(f"empty-{n}.txt: skipped: empty file") == 1 for n in range(5))  # listed once, not again
    assert err.rstrip().splitlines()[-1] == (f"error: nothing could be indexed from {bad}: 5 files skipped "
                                             "(listed above); fix them or point to another folder")


def test_second_build_at_once_is_refused(index_dir, news_dir, fake_embedder):
    from filelock import FileLock
    with FileLock(str(index_dir / ".build.lock")):
        with pytest.raises(BuildBusy, match="another build"):
            build(news_dir, index_dir, embedder=fake_embedder)


def test_a_generation_that_never_went_live_is_dropped_before_the_previous_one(index_dir, news_dir, fake_embedder):
    import shutil
    previous = live(index_dir)
    orphan = index_dir / "gen-99991231T000000000000-1"  # newer by name, as a build killed before the switch
    shutil.copytree(previous, orphan)
    build(news_dir, index_dir, full=True, embedder=fake_embedder)
    assert not orphan.exists() and previous.exists() and live(index_dir) not in (previous, orphan)


def test_a_full_build_keeps_the_live_index_settings(index_dir, news_dir, fake_embedder):
    """--full re-embeds with the settings (and model) the index was built with, not the defaults."""
    from dataclasses import replace

    from index.config import IndexConfig
    custom = replace(IndexConfig(), max_passage_tokens=120, overlap_sentences=0)
    build(news_dir, index_dir, config=custom, embedder=fake_embedder)
    build(news_dir, index_dir, full=True, embedder=fake_embedder)
    assert load_generation(index_dir).config == custom


def test_changed_settings_build_in_full_without_loading_the_old_generation(index_dir, news_dir, fake_embedder,
                                                                           monkeypatch):
    from index import build as build_module
    from index.config import IndexConfig

    def not_loaded(*args, **kwargs):
        raise AssertionError("the previous generation was loaded although nothing of it can be reused")
    monkeypatch.setattr(build_module.storage, "load_generation", not_loaded)
    summary = build(news_dir, index_dir, config=IndexConfig(max_passage_tokens=120), embedder=fake_embedder)
    assert summary.mode == "full" and "settings changed" in summary.note
    monkeypatch.undo()
    assert load_generation(index_dir).config.max_passage_tokens == 120


def test_a_model_adapted_again_in_the_same_folder_rebuilds_in_full(index_dir, news_dir, fake_embedder, monkeypatch):
    from index import build as build_module
    assert load_generation(index_dir).manifest["model"]["weights"] == build_module._weights(
        load_generation(index_dir).config.model_name)
    assert build(news_dir, index_dir, embedder=fake_embedder).mode == "incremental"   # same weights: reused
    monkeypatch.setattr(build_module, "_weights", lambda name: "other-weights")   # as after `adapt` into it again
    summary = build(news_dir, index_dir, embedder=fake_embedder)
    assert summary.mode == "full" and "weights of model" in summary.note and summary.embedded == summary.passages


def test_an_index_inside_its_corpus_folder_is_not_read_as_news(news_dir, fake_embedder):
    inside = news_dir / "idx"
    counts = [build(news_dir, inside, embedder=fake_embedder).articles for _ in range(3)]
    assert counts[0] == counts[1] == counts[2] and counts[0] == len(load_generation(inside).articles)
    assert not any(p.file.startswith("idx/") for p in load_generation(inside).manifest["report"]["problems"])


def test_info_checks_the_index_as_a_search_would(index_dir, capsys):
    from index.__main__ import main
    assert main(["info", "--index", str(index_dir)]) == 0 and "articles" in capsys.readouterr().out
    path = live(index_dir) / "vectors.faiss"
    path.write_bytes(path.read_bytes()[:-100])
    assert main(["info", "--index", str(index_dir)]) == 1
    out, err = capsys.readouterr()
    assert out == "" and err.startswith("error: ") and "vectors.faiss" in err and "--full" in err


@pytest.mark.parametrize("entry, value", [("counts", "x"), ("model", "x"), ("data", [])])
def test_info_says_a_manifest_of_the_wrong_shape_is_damage_without_loading_the_index(index_dir, entry, value, capsys):
    from index.__main__ import main
    path = live(index_dir) / "manifest.json"
    path.write_text(json.dumps(dict(json.loads(path.read_text()), **{entry: value})))
    assert main(["info", "--index", str(index_dir)]) == 1
    out, err = capsys.readouterr()
    assert out == "" and err.startswith("error: ") and "cannot be used" in err and err.count("\n") == 1


@pytest.mark.parametrize("entry, value", [("counts", None), ("counts", "x"), ("model", "x"), ("config", "x"),
                                          ("data", [])])
def test_a_manifest_entry_of_the_wrong_type_is_damage_not_a_crash(index_dir, news_dir, fake_embedder, entry, value):
    path = live(index_dir) / "manifest.json"
    manifest = json.loads(path.read_text())
    manifest.pop(entry) if value is None else manifest.update({entry: value})
    path.write_text(json.dumps(manifest))
    refused(index_dir, "cannot be used")   # what is wrong, with how to rebuild
    summary = build(news_dir, index_dir, embedder=fake_embedder)
    assert summary.mode == "full" and "unusable" in summary.note


def test_a_path_that_cannot_be_used_is_one_line(tmp_path, news_dir, capsys):
    from index.__main__ import main
    (tmp_path / "afile").write_text("x")
    assert main(["build", str(news_dir), "--index", str(tmp_path / "afile"), "--quiet"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: cannot use ") and "afile" in err and err.count("\n") == 1
    assert main(["watch", str(tmp_path / "nope"), "--index", str(tmp_path / "i")]) == 1
    assert "corpus path not found" in capsys.readouterr().err


def test_a_folder_without_news_texts_says_so_and_which_kinds_are_read(tmp_path, fake_embedder):
    from corpus import SUPPORTED
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(NothingIndexed) as err:
        build(empty, tmp_path / "idx", embedder=fake_embedder)
    assert str(err.value) == (f"nothing could be indexed from {empty}: no news texts found there (accepted: "
                              f"{' '.join(SUPPORTED)}); point to a folder of news texts")
    assert ".txt" in SUPPORTED and ".md" in SUPPORTED and ".html" in SUPPORTED
    (empty / "photo.jpg").write_bytes(b"JFIF")
    with pytest.raises(NothingIndexed, match=r"no news texts found there .*; 1 file skipped \(photo.jpg: "):
        build(empty, tmp_path / "idx", embedder=fake_embedder)


def test_counts_say_one_file_not_one_files(tmp_path, fake_embedder):
    one = tmp_path / "one"
    one.mkdir()
    (one / "empty.txt").write_text("")
    with pytest.raises(NothingIndexed, match=r": 1 file skipped \(empty.txt: skipped: empty file.*; fix it or"):
        build(one, tmp_path / "idx", embedder=fake_embedder)
    (one / "empty.txt").write_text("The ferry resumed its winter timetable on Monday.")
    line = build(one, tmp_path / "idx", embedder=fake_embedder).line()
    assert "build: 1 article, 1 passage from 1 file (1 embedded, 0 files removed)" in line, line


def test_an_index_folder_that_holds_news_texts_is_not_offered_as_the_place_to_build(tmp_path, news_dir, monkeypatch):
    with pytest.raises(IndexMissing) as err:
        load_generation(news_dir)     # --index pointed at the texts
    assert str(err.value) == (f"no index at {news_dir}: it looks like a folder of news texts, not an index; "
                              f"build one from it with: python -m index build {news_dir} --index OTHER_FOLDER")
    filed = tmp_path / "filed"
    (filed / "2024").mkdir(parents=True)
    (filed / "2024" / "vote.md").write_text("# Vote\n\nThe council voted.")
    with pytest.raises(IndexMissing, match="looks like a folder of news texts"):
        load_generation(filed)        # texts filed one level down are found too
    project = tmp_path / "project"    # a README among code is no corpus: the usual hint
    (project / "pkg").mkdir(parents=True)
    for name in ("README.md", "requirements.txt", "main.py", "pkg/a.py", "pkg/b.py"):
        (project / name).write_text("x")
    usual = re.escape(f"build one with: python -m index build corpus/ --index {project}")
    with pytest.raises(IndexMissing, match=usual):
        load_generation(project)
    (project / "news.txt").write_text("The corpus folder doubles as a package: its own code outnumbers its texts.")
    monkeypatch.setenv("NEWS_CORPUS_DIR", str(project))
    with pytest.raises(IndexMissing, match="looks like a folder of news texts"):
        load_generation(project)
