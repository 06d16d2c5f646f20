"""More ways an index on disk goes wrong; each is refused with 'rebuild', never served.

Extends tests/test_index_storage.py (truncated/missing FAISS file, a passage row less,
checksum, unreadable manifest, other format version, other dimension) without repeating it.
"""
import hashlib
import json
import shutil

import faiss
import numpy as np
import pytest

from index.build import build
from index.storage import IndexDamaged, current_generation, load_generation
from search import Searcher
from search.__main__ import main as search_main
from tests.news_texts import ARTICLES, write_corpus


@pytest.fixture()
def index_dir(tmp_path, news_dir, fake_embedder):
    build(news_dir, tmp_path / "idx", embedder=fake_embedder)
    return tmp_path / "idx"


def refused(index_dir, match):
    with pytest.raises(IndexDamaged, match=match) as err:
        load_generation(index_dir)
    assert "rebuild it with: python -m index build" in str(err.value)


def edit_manifest(index_dir, change, fix_data=()):
    """Apply change(manifest); re-record size and sha256 of the files in fix_data, as a careless restore would."""
    gen = current_generation(index_dir)
    manifest = json.loads((gen / "manifest.json").read_text())
    change(manifest)
    for name in fix_data:
        data = (gen / name).read_bytes()
        manifest["data"][name] = {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    (gen / "manifest.json").write_text(json.dumps(manifest))


def test_truncated_article_table_is_refused(index_dir):
    path = current_generation(index_dir) / "articles.jsonl"
    path.write_bytes(path.read_bytes()[:-40])
    refused(index_dir, "articles.jsonl")


@pytest.mark.parametrize("content", [b"gen-20990101T000000000000-1", b"", b"\xff\xfe\x00\x81garbage", b"../../etc"])
def test_bad_current_pointer_is_refused_and_the_next_build_recovers(index_dir, news_dir, fake_embedder, content):
    (index_dir / "CURRENT").write_bytes(content)
    refused(index_dir, "manifest unreadable")
    summary = build(news_dir, index_dir, embedder=fake_embedder)
    assert summary.mode == "full" and "unusable" in summary.note
    assert len(load_generation(index_dir).passages) == summary.passages


@pytest.mark.parametrize("change, match", [
    (lambda m: m["data"].pop("passages.jsonl"), "KeyError"),
    (lambda m: m.pop("data"), "KeyError"),
    (lambda m: m.pop("counts"), "manifest says None"),
    (lambda m: m.update(config="not a dict"), "Error"),
])
def test_manifest_with_a_missing_or_wrong_entry_is_refused(index_dir, change, match):
    edit_manifest(index_dir, change)
    refused(index_dir, match)


def test_manifest_that_is_a_list_is_refused(index_dir):
    (current_generation(index_dir) / "manifest.json").write_text("[1, 2]")
    refused(index_dir, "not a news index manifest")


def test_a_data_file_swapped_in_from_another_generation_is_refused(index_dir, news_dir, fake_embedder):
    old_gen = current_generation(index_dir)
    write_corpus(news_dir, {"extra.txt": "Title: Ferry\nDate: 2024-02-02\n\nThe ferry ran late."})
    build(news_dir, index_dir, embedder=fake_embedder)
    for name in ("passages.jsonl", "vectors.faiss", "articles.jsonl"):
        new_gen = current_generation(index_dir)
        keep = (new_gen / name).read_bytes()
        shutil.copy(old_gen / name, new_gen / name)
        refused(index_dir, name)
        (new_gen / name).write_bytes(keep)
    assert load_generation(index_dir).path == current_generation(index_dir)


def test_shifted_ids_are_caught_even_when_the_manifest_agrees_with_the_file(index_dir):
    # The mis-aligned-ids failure at its worst: a sidecar lost its first row and its checksum was re-recorded.
    path = current_generation(index_dir) / "passages.jsonl"
    path.write_text("".join(path.read_text().splitlines(keepends=True)[1:]))
    edit_manifest(index_dir, lambda m: None, fix_data=["passages.jsonl"])
    refused(index_dir, "vectors, 3 passages")


def test_another_models_vectors_are_refused_even_with_matching_checksums(index_dir):
    gen = current_generation(index_dir)
    other = faiss.IndexFlatIP(768)
    other.add(np.eye(4, 768, dtype=np.float32))
    faiss.write_index(other, str(gen / "vectors.faiss"))
    edit_manifest(index_dir, lambda m: None, fix_data=["vectors.faiss"])
    refused(index_dir, "dimension 768")


def test_an_index_naming_an_unknown_model_is_a_clear_error_not_a_crash(index_dir):
    edit_manifest(index_dir, lambda m: m["config"].update(model_name="some-other-model"))
    from corpus.errors import NewsError
    with pytest.raises(NewsError, match="unknown model 'some-other-model'"):
        Searcher.open(index_dir).search("volcano")


def test_the_search_command_says_to_rebuild_a_damaged_index(index_dir, capsys):
    (current_generation(index_dir) / "passages.jsonl").write_text("")
    assert search_main(["volcano", "--index", str(index_dir)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: index at") and "--full" in err and "Traceback" not in err


def test_a_half_deleted_old_generation_is_never_loaded_and_is_cleaned(index_dir, news_dir, fake_embedder):
    old_gen = current_generation(index_dir)
    write_corpus(news_dir, dict(ARTICLES, **{"extra.txt": "Title: Ferry\n\nThe ferry ran late."}))
    build(news_dir, index_dir, embedder=fake_embedder)
    (old_gen / "vectors.faiss").unlink()  # a cleanup killed half-way
    assert load_generation(index_dir).path != old_gen
    write_corpus(news_dir, {"more.txt": "Title: Bridge\n\nThe bridge reopened."})
    build(news_dir, index_dir, embedder=fake_embedder)
    assert not old_gen.exists()
