"""The fast paths give the same answers: ONNX query encoder = torch vectors; HNSW ≈ exact."""
import json

import numpy as np
import pytest

from index.onnx_query import OnnxQueryEncoder, export, onnx_paths, query_encoder
from index.store import FlatStore, HnswStore, new_store

TEXTS = ["What clause did the Pentagon want removed?", "Lava reached the harbour of Grindavik.",
         "word " * 400, "بركان 🌋 emoji and RTL", "x"]


@pytest.fixture(scope="module")
def exported(tmp_path_factory, embedder):
    cache = tmp_path_factory.mktemp("cache")
    assert export(embedder, cache)
    return cache


def test_onnx_vectors_match_the_torch_model(exported, embedder):
    onnx = OnnxQueryEncoder.open(exported, embedder.name)
    assert onnx is not None and onnx.dim == embedder.dim
    cos = np.sum(onnx.encode(TEXTS) * embedder.encode(TEXTS), axis=1)
    assert cos.min() > 0.999  # long text: both sides read the same first 256 word pieces
    assert np.allclose(onnx.encode_query(TEXTS[0]), onnx.encode([TEXTS[0]])[0], atol=1e-6)


def test_a_damaged_onnx_model_is_never_used(exported, embedder, tmp_path):
    import shutil
    model, meta = onnx_paths(exported, embedder.name)
    copy = tmp_path / "c"
    (copy / "models").mkdir(parents=True)
    shutil.copy(meta, copy / "models" / meta.name)
    (copy / "models" / model.name).write_bytes(model.read_bytes()[:1000])
    assert OnnxQueryEncoder.open(copy, embedder.name) is None
    # A file that loads but gives other vectors fails its probe check.
    shutil.copy(model, copy / "models" / model.name)
    data = json.loads(meta.read_text())
    data["vector"] = [-x for x in data["vector"]]
    (copy / "models" / meta.name).write_text(json.dumps(data))
    assert OnnxQueryEncoder.open(copy, embedder.name) is None


def test_query_encoder_prefers_onnx_and_falls_back_to_torch(exported, embedder, monkeypatch, tmp_path):
    from index.config import IndexConfig
    from index.embed import Embedder
    monkeypatch.setenv("NEWS_CACHE_DIR", str(exported))
    assert isinstance(query_encoder(IndexConfig()), OnnxQueryEncoder)
    monkeypatch.setenv("NEWS_CACHE_DIR", str(tmp_path / "empty"))
    assert isinstance(query_encoder(IndexConfig()), Embedder)


def clustered(n, dim=64, seed=0):
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((50, dim))
    v = centres[rng.integers(0, 50, n)] + 0.4 * rng.standard_normal((n, dim))
    return (v / np.linalg.norm(v, axis=1, keepdims=True)).astype(np.float32)


def test_hnsw_finds_what_exact_search_finds(tmp_path):
    vectors, queries = clustered(3000), clustered(50, seed=1)
    flat, hnsw = FlatStore(64), HnswStore(64)
    flat.add(vectors)
    hnsw.add(vectors)
    recall = np.mean([len(set(flat.search(q, 10)[1]) & set(hnsw.search(q, 10)[1])) / 10 for q in queries])
    assert recall >= 0.95
    hnsw.save(tmp_path / "v.faiss")
    loaded = FlatStore.load(tmp_path / "v.faiss")
    assert isinstance(loaded, HnswStore) and loaded.search(queries[0], 5) == hnsw.search(queries[0], 5)


def test_hnsw_filtered_search_is_exact_over_the_allowed_rows():
    vectors = clustered(2000)
    flat, hnsw = FlatStore(64), HnswStore(64)
    flat.add(vectors)
    hnsw.add(vectors)
    allowed = np.arange(0, 2000, 7)
    ids_f, ids_h = flat.search(vectors[3], 10, allowed)[1], hnsw.search(vectors[3], 10, allowed)[1]
    assert ids_f == ids_h and set(ids_h) <= set(allowed.tolist())
    hnsw.remove([0, 1, 2])
    assert len(hnsw) == 1997


def test_the_store_is_chosen_by_size(monkeypatch, tmp_path, news_dir, fake_embedder):
    import index.store as store
    from index.build import build
    from search import Searcher
    assert type(new_store(8, 10)) is FlatStore and type(new_store(8, store.HNSW_FROM)) is HnswStore
    monkeypatch.setattr(store, "HNSW_FROM", 1)
    build(news_dir, tmp_path / "idx", embedder=fake_embedder)
    s = Searcher.open(tmp_path / "idx", embedder=fake_embedder)
    assert isinstance(s.data.store, HnswStore) and s.data.manifest["store"] == HnswStore.kind
    assert s.search("volcano", k=3)


def test_building_a_graph_uses_every_core_and_leaves_the_query_setting(monkeypatch):
    import os

    import faiss
    seen = []
    real_add = FlatStore.add
    monkeypatch.setattr(FlatStore, "add", lambda self, v: (seen.append(faiss.omp_get_max_threads()), real_add(self, v)))
    faiss.omp_set_num_threads(1)  # as a Searcher in the same process (the page) sets for its questions
    HnswStore(8).add(np.random.default_rng(0).standard_normal((50, 8)).astype("float32"))
    assert seen == [os.cpu_count()] and faiss.omp_get_max_threads() == 1
