"""`python -m index adapt`: a real (few-step) fine-tune of the packaged model on a tiny corpus, built with and
searched through the torch-free export that follows it."""
import json

import pytest

from index.__main__ import main as index_main
from index.adapt import NothingToAdaptOn, pairs_from
from index.config import resolve_cache_dir
from index.embed import Embedder, ModelUnavailable, model_path
from index.onnx_query import OnnxQueryEncoder, model_key, onnx_paths
from index.storage import read_manifest
from search import Searcher
from tests.news_texts import ARTICLES, write_corpus

pytest.importorskip("datasets", reason="needs the optional packages: pip install -r requirements-adapt.txt")


def test_pairs_are_titles_with_their_own_passage_and_another_article_as_hard_negative(tmp_path):
    folder = write_corpus(tmp_path / "news")
    titles, positives, negatives = pairs_from(folder)
    assert "Volcano erupts near Grindavik fishing town" in titles
    assert len(titles) == len(positives) == len(negatives) == len(ARTICLES)
    for title, pos, neg in zip(titles, positives, negatives):
        assert pos != neg
    volcano = titles.index("Volcano erupts near Grindavik fishing town")
    assert "Grindavik" in positives[volcano] and "Grindavik" not in negatives[volcano]


def test_too_few_titled_articles_is_a_clear_error(tmp_path):
    folder = write_corpus(tmp_path / "news", {"a.txt": "Title: Only one\nDate: 2024-01-01\n\nJust one article.\n"})
    with pytest.raises(NothingToAdaptOn, match="at least 2"):
        pairs_from(folder)


def test_adapt_writes_a_model_that_a_build_names_and_the_query_export_follows(tmp_path, capsys):
    folder = write_corpus(tmp_path / "news")
    out = tmp_path / "model"
    assert index_main(["adapt", str(folder), "--out", str(out), "--max-steps", "3"]) == 0
    summary = json.loads((out / "adapt.json").read_text())
    assert summary["steps"] == 3 and summary["pairs"] == len(ARTICLES)
    assert 0.5 < summary["drift_cosine_mean"] < 1.0           # it moved, and did not forget everything
    assert "python -m index build FOLDER --model" in capsys.readouterr().out

    idx = tmp_path / "idx"
    models = onnx_paths(resolve_cache_dir(), str(out))[0].parent
    models.mkdir(parents=True, exist_ok=True)
    for key, name in (("model-0000000000000000", str(out)), ("model-1111111111111111", "/elsewhere/model")):
        (models / f"{key}.json").write_text(json.dumps({"model": name}))   # exports of earlier weights
        (models / f"{key}.onnx").write_bytes(b"old")
    assert index_main(["build", str(folder), "--index", str(idx), "--quiet", "--model", str(out)]) == 0
    # The new export replaced the export of this folder's earlier weights, not another folder's.
    assert not (models / "model-0000000000000000.onnx").exists() and (models / "model-1111111111111111.onnx").exists()
    manifest = read_manifest(idx)
    assert manifest["config"]["model_name"] == str(out) == manifest["model"]["name"]
    # The build exported the adapted model (not the packaged one) for questions, keyed by its weights.
    onnx = OnnxQueryEncoder.open(resolve_cache_dir(), str(out))
    assert onnx is not None and model_key(str(out)) != model_key("all-MiniLM-L6-v2")
    assert onnx_paths(resolve_cache_dir(), str(out))[0].exists()
    adapted, base = Embedder(str(out)), Embedder("all-MiniLM-L6-v2")
    question = "Which town did the lava reach?"
    assert float(onnx.encode_query(question) @ adapted.encode_query(question)) > 0.999
    assert float(adapted.encode_query(question) @ base.encode_query(question)) < 0.9999
    searcher = Searcher.open(idx)
    assert type(searcher.embedder).__name__ == "OnnxQueryEncoder"
    assert searcher.search(question, k=1)[0].article_id == "volcano.md"


def test_a_missing_model_folder_says_how_to_make_it(tmp_path):
    with pytest.raises(ModelUnavailable, match="index adapt"):
        model_path(str(tmp_path / "gone"))
    with pytest.raises(ModelUnavailable, match="absolute path"):
        model_path("some-model")


class _OtherModel:
    """A plumbing double that claims another model (hash vectors; the model is beside the point)."""
    name, dim = "/models/some-adapted-model", 384

    def encode(self, texts, batch_size=32, progress=None):
        from tests.conftest import FakeEmbedder
        return FakeEmbedder().encode(texts, batch_size, progress)


def test_an_embedder_for_another_model_than_the_index_names_is_refused_before_writing(tmp_path):
    from index.build import build
    from index.plan import ModelMismatch
    folder, idx = write_corpus(tmp_path / "news"), tmp_path / "idx"
    with pytest.raises(ModelMismatch, match="loads model /models/some-adapted-model but this index is built "
                                            "with all-MiniLM-L6-v2"):
        build(folder, idx, embedder=_OtherModel())
    assert not any(p.name.startswith("gen") for p in idx.iterdir())  # nothing written


def _old_model(out):
    out.mkdir(parents=True)
    (out / "modules.json").write_text("[]")
    (out / "adapt.json").write_text("{}")   # made by an earlier run of adapt
    (out / "old-weights.bin").write_text("the model a build names")
    return out


def test_adapt_replaces_the_old_model_folder_and_leaves_nothing_beside_it(tmp_path, monkeypatch):
    import index.adapt as adapt_module
    monkeypatch.setattr(adapt_module, "_train", lambda *args: 0)  # the swap is the point, not the training
    out = _old_model(tmp_path / "models" / "news")
    adapt_module.adapt(write_corpus(tmp_path / "news"), out, progress=lambda line: None)
    assert (out / "adapt.json").is_file() and (out / "model.safetensors").is_file()
    assert not (out / "old-weights.bin").exists()
    assert [p.name for p in out.parent.iterdir()] == ["news"]  # no temporary or old folder left


@pytest.mark.parametrize("kind", ["a folder of the user's", "a model not made by adapt", "a file"])
def test_adapt_never_replaces_what_it_did_not_make(tmp_path, monkeypatch, kind):
    import index.adapt as adapt_module
    trained = []
    monkeypatch.setattr(adapt_module, "_train", lambda *args: trained.append(1) or 0)
    out = tmp_path / "target"
    if kind == "a file":
        out.write_text("thesis")
    else:
        out.mkdir()
        (out / ("modules.json" if kind == "a model not made by adapt" else "notes.txt")).write_text("precious")
    before = sorted((p.name, p.read_text()) for p in ([out] if out.is_file() else out.iterdir()))
    with pytest.raises(adapt_module.OutInUse, match="not a model made by python -m index adapt"):
        adapt_module.adapt(write_corpus(tmp_path / "news"), out, progress=lambda line: None)
    assert sorted((p.name, p.read_text()) for p in ([out] if out.is_file() else out.iterdir())) == before
    assert not trained   # refused before any training


def test_a_failed_write_or_rename_keeps_the_old_model(tmp_path, monkeypatch):
    import os

    import index.adapt as adapt_module
    monkeypatch.setattr(adapt_module, "_train", lambda *args: 0)
    out = _old_model(tmp_path / "models" / "news")
    real = os.replace

    def refuse_new(src, dst):
        if ".tmp-" in str(src):
            raise OSError("disk full")
        return real(src, dst)
    monkeypatch.setattr(adapt_module.os, "replace", refuse_new)
    with pytest.raises(OSError, match="disk full"):
        adapt_module.adapt(write_corpus(tmp_path / "news"), out, progress=lambda line: None)
    assert (out / "old-weights.bin").read_text() == "the model a build names"
    assert sorted(p.name for p in out.iterdir()) == ["adapt.json", "modules.json", "old-weights.bin"]
