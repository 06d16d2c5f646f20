"""Shared test settings: where the repository, the seed article and the bench data are."""
import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO_ROOT


@pytest.fixture(scope="session")
def seed_dir() -> Path:
    """The shared seed folder (env NEWS_SEED_DIR); it may be absent."""
    return Path(os.environ.get("NEWS_SEED_DIR", REPO_ROOT.parent / "shared" / "seed"))


@pytest.fixture(scope="session")
def bench_dir() -> Path:
    """The benchmark data folder (env NEWS_BENCH_DIR); it may be absent."""
    return Path(os.environ.get("NEWS_BENCH_DIR", REPO_ROOT.parent / "shared" / "bench" / "news-2023q4"))


# --- index and search fixtures -------------------------------------------------------------

@pytest.fixture(scope="session", autouse=True)
def model_cache(tmp_path_factory):
    """Exported query models go to a session folder, not the project's .news-cache."""
    folder = tmp_path_factory.mktemp("model-cache")
    old = os.environ.get("NEWS_CACHE_DIR")
    os.environ["NEWS_CACHE_DIR"] = str(folder)
    yield folder
    if old is None:
        os.environ.pop("NEWS_CACHE_DIR", None)
    else:
        os.environ["NEWS_CACHE_DIR"] = old


@pytest.fixture(scope="session")
def embedder():
    """The real packaged model, loaded once per test session."""
    from index.embed import Embedder
    return Embedder("all-MiniLM-L6-v2")


class FakeEmbedder:
    """Deterministic hash vectors, for plumbing tests where the model is beside the point."""

    dim = 384

    def encode(self, texts, batch_size=32, progress=None):
        import hashlib

        import numpy as np
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, t in enumerate(texts):
            seed = int.from_bytes(hashlib.sha256(t.encode()).digest()[:8], "little")
            v = np.random.default_rng(seed).standard_normal(self.dim)
            out[i] = v / np.linalg.norm(v)
        if progress:
            progress(len(texts))
        return out

    def encode_query(self, text):
        return self.encode([text])[0]


@pytest.fixture(scope="session")
def ray_local():
    """A local Ray with 2 CPUs, started once per session (index/ray_embed.py joins it), shut down after."""
    pytest.importorskip("ray", reason="needs requirements-scale.txt")
    import ray

    from index.ray_embed import start
    start("local", num_cpus=2)
    yield ray
    ray.shutdown()


@pytest.fixture()
def fake_embedder():
    return FakeEmbedder()


@pytest.fixture()
def news_dir(tmp_path):
    from tests.news_texts import write_corpus
    return write_corpus(tmp_path / "news")


@pytest.fixture(scope="session")
def story_corpus(tmp_path_factory, embedder):
    """(folder, index dir) of the invented story corpus (tests/story_texts.py), built once for the session:
    the stories tests and the page's Timeline tests read the same index."""
    from index.build import build
    from tests.story_texts import FILLER, FLOOD, FLOOD_UNDATED, NAMESAKES, write_stories
    folder = write_stories(tmp_path_factory.mktemp("stories"), FLOOD, FLOOD_UNDATED, NAMESAKES, FILLER)
    index_dir = tmp_path_factory.mktemp("stories-index")
    build(folder, index_dir, embedder=embedder)
    return folder, index_dir
