"""Which store a generation uses: its FAISS file (index/store.py) or its Milvus collection (index/milvus_store.py).

The one place that knows both engines, so each imports only what it needs and the imports run one way
(stores -> milvus_store -> store). pymilvus itself is imported only when a Milvus index is built or opened
(index/milvus_client.py).

>>> import numpy as np
>>> build_store(np.eye(2, dtype="float32"), [], []).kind
'faiss-flat-ip'
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from index.milvus_store import MilvusStore
from index.store import FlatStore, new_store


def open_store(gen: Path, manifest: dict):
    """The store a generation's manifest names: its FAISS file, or its Milvus collection."""
    if manifest.get("store") == "milvus":
        return MilvusStore.open(manifest["milvus"], manifest["model"]["dim"])
    return FlatStore.load(gen / "vectors.faiss")


def build_store(vectors: np.ndarray, articles: list, passages: list, milvus=None):
    """A filled store for a new generation: FAISS, or a new Milvus collection (an index/milvus_client.Target)."""
    if milvus is not None:
        return MilvusStore.create(milvus, vectors, {a.id: a for a in articles}, passages)
    store = new_store(vectors.shape[1], len(vectors))
    store.add(vectors)
    return store
