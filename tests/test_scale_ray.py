"""Embedding on a local Ray (2 CPUs, one session fixture): same vectors, same order, a dead worker retried.

The Milvus + Ray build must answer with the same top-5 passages, in the same order, as the
default FAISS build with the local model.
"""
import numpy as np
import pytest

pytest.importorskip("ray", reason="needs requirements-scale.txt")
pytest.importorskip("pymilvus", reason="needs requirements-scale.txt")

from index.build import build  # noqa: E402
from index.config import IndexConfig  # noqa: E402
from index.faults import ONCE_ENV  # noqa: E402
from index.ray_embed import RayEmbedder  # noqa: E402
from search.searcher import Searcher  # noqa: E402
from tests.crash_sweep import extra_articles  # noqa: E402
from tests.news_texts import write_corpus  # noqa: E402

QUESTIONS = ("volcano lava town", "chess championship", "interest rate", "harbour ferry", "transfer fee",
             "Who won the rapid title?")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("ray")
    return write_corpus(write_corpus(root / "news"), extra_articles(6, words=120))


def test_milvus_and_ray_build_answers_as_the_faiss_build(tmp_path, corpus, embedder, ray_local):
    steps = []
    small = IndexConfig(batch_size=4)  # several batches from a small corpus, for the progress check
    build(corpus, tmp_path / "local", embedder=embedder, config=small)
    build(corpus, tmp_path / "scaled", embedder=RayEmbedder("local", workers=2), milvus=str(tmp_path / "v.db"),
          config=small, progress=lambda stage, done, total: steps.append((stage, done, total)))
    local, scaled = (Searcher.open(tmp_path / p, embedder=embedder) for p in ("local", "scaled"))
    n = len(local.data.passages)
    assert n >= 10 and scaled.data.passages == local.data.passages  # same rows, same order
    cos = (local.data.store.vectors() * scaled.data.store.vectors()).sum(1)
    assert cos.min() >= 0.999, cos.min()  # in fact identical: the same batches as the local path
    a, b = local.data.sentences, scaled.data.sentences
    unit = [v.vectors.astype(np.float32) / np.linalg.norm(v.vectors.astype(np.float32), axis=1, keepdims=True)
            for v in (a, b)]  # int8 sentence vectors, compared as directions
    assert np.array_equal(a.spans, b.spans) and (unit[0] * unit[1]).sum(1).min() >= 0.999
    embedding = [s for s in steps if s[0] == "embedding"]
    assert embedding[-1] == ("embedding", n, n) and len(embedding) > 2  # progress as batches come back
    for q in QUESTIONS:
        top = [(h.article_id, h.start) for h in local.search(q, k=5)]
        assert [(h.article_id, h.start) for h in scaled.search(q, k=5)] == top, q


def test_a_worker_killed_mid_build_is_retried(tmp_path, corpus, embedder, ray_local, monkeypatch):
    marker = tmp_path / "killed-once"
    monkeypatch.setenv(ONCE_ENV, str(marker))
    build(corpus, tmp_path / "idx", embedder=RayEmbedder("local", workers=2))
    assert marker.exists()  # an actor did die (SIGKILL) on its first batch
    monkeypatch.delenv(ONCE_ENV)
    build(corpus, tmp_path / "ref", embedder=embedder)
    got, ref = (Searcher.open(tmp_path / p).data for p in ("idx", "ref"))
    assert got.passages == ref.passages
    assert (got.store.vectors() * ref.store.vectors()).sum(1).min() >= 0.999


@pytest.fixture(scope="module")
def other_model(tmp_path_factory):
    """A model folder (as `adapt` writes one) whose vectors clearly differ from the packaged model's."""
    import torch
    from sentence_transformers import SentenceTransformer

    from index.embed import model_path
    model = SentenceTransformer(str(model_path("all-MiniLM-L6-v2")), device="cpu")
    weights = model[0].auto_model.embeddings.word_embeddings.weight
    with torch.no_grad():
        weights.add_(torch.randn(weights.shape, generator=torch.Generator().manual_seed(0)) * 0.05)
    folder = tmp_path_factory.mktemp("other-model") / "model"
    model.save(str(folder))
    return str(folder)


def test_an_incremental_ray_build_embeds_with_the_live_index_model(tmp_path, corpus, embedder, other_model, ray_local):
    import shutil

    from index.embed import Embedder
    from tests.news_texts import write_corpus as add
    config, own = IndexConfig(model_name=other_model), Embedder(other_model)
    news = shutil.copytree(corpus, tmp_path / "news")
    build(news, tmp_path / "idx", embedder=own, config=config)  # the live index names the other model
    add(news, {"late.txt": "Title: Ferry strike ends\nDate: 2024-03-01\n\nThe harbour ferry crews went back "
                           "to work after the union accepted the new rota and the town's pay offer."})
    summary = build(news, tmp_path / "idx", embedder=RayEmbedder("local", workers=2))  # no config: the index's
    assert summary.mode == "incremental" and summary.embedded > 0
    build(news, tmp_path / "ref", full=True, embedder=own, config=config)
    build(news, tmp_path / "packaged", full=True, embedder=embedder)
    got, ref, packaged = (Searcher.open(tmp_path / p, embedder=own).data for p in ("idx", "ref", "packaged"))
    assert got.config.model_name == other_model and got.passages == ref.passages == packaged.passages
    assert (got.store.vectors() * ref.store.vectors()).sum(1).min() >= 0.999
    late = [i for i, p in enumerate(got.passages) if p.article_id.startswith("late")]
    assert late and (got.store.vectors()[late] * packaged.store.vectors()[late]).sum(1).max() < 0.99  # not MiniLM's
