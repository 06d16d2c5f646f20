"""Milvus as the passage vector store (index/milvus_client.py reaches it).

One collection per index generation, named ``<alias>_g<stamp>``; the alias (``--collection``, default
``news``) is switched to a generation's collection just before ``CURRENT`` (index/storage.py), so any
client reading the alias sees a complete collection. This tool itself reads the collection its
manifest names: a generation's rows always come from its own collection. Each entity holds the
passage vector and the scalar fields the filters use (row, article id, publication day, outlet), so
since/until/as_of/sources are Milvus expressions evaluated in the engine (index/where.py).

    >>> store = MilvusStore.create(target("vectors.db"), vectors, articles, passages)  # doctest: +SKIP
    >>> store.search(query_vector, k=10, allowed=rows)                                  # doctest: +SKIP
"""
from __future__ import annotations

import os
import time

import numpy as np

from index.milvus_client import OWNER, CollectionGone, MilvusUnreachable, Target, connect, forget, point_alias
from index.store import HNSW_FROM, HnswStore
from index.where import Where, milvus_expr

BATCH = 2_000  # rows per insert / query call (well under gRPC's 64 MB message limit)


class MilvusStore:
    """The store interface of index/store.py (search, vectors, len, dim, kind) over one collection."""

    kind = "milvus"

    def __init__(self, client, spec: dict, dim: int, rows: int):
        self.client, self.spec, self.dim, self.rows = client, spec, dim, rows
        self.collection = spec["collection"]
        hnsw = spec.get("index") == "HNSW"
        self._params = {"metric_type": "IP", "params": {"ef": HnswStore.EF_SEARCH} if hnsw else {}}

    def __len__(self) -> int:
        return self.rows

    @classmethod
    def open(cls, spec: dict, dim: int) -> "MilvusStore":
        """The collection a manifest names; its row count is read from the engine, to be checked."""
        client = connect(spec["uri"])
        try:
            client.load_collection(spec["collection"])  # a no-op where it is loaded already
            rows = int(client.get_collection_stats(spec["collection"])["row_count"])
        except Exception as e:
            gone = _gone(client, spec["collection"])
            forget(spec["uri"])
            if gone:  # reachable, the collection dropped: rebuilding is the fix, not starting Milvus
                raise CollectionGone(spec["uri"], spec["collection"]) from None
            raise MilvusUnreachable(spec["uri"], f"collection {spec['collection']}: {e}") from None
        return cls(client, spec, dim, rows)

    @classmethod
    def create(cls, tgt: Target, vectors: np.ndarray, articles: dict, passages: list) -> "MilvusStore":
        """A new collection holding every row (vector + scalar fields), flushed and loaded."""
        from pymilvus import DataType
        client = connect(tgt.uri)
        name = f"{tgt.alias}_g{time.strftime('%Y%m%dT%H%M%S')}_{time.time_ns() % 10**9}_{os.getpid()}"
        index = "HNSW" if len(vectors) >= HNSW_FROM else "FLAT"  # the same rule as the FAISS stores
        schema = client.create_schema(auto_id=False)
        schema.add_field("row", DataType.INT64, is_primary=True)
        schema.add_field("article", DataType.VARCHAR, max_length=1024)
        schema.add_field("day", DataType.INT64)
        schema.add_field("source", DataType.VARCHAR, max_length=1024)
        schema.add_field("vec", DataType.FLOAT_VECTOR, dim=int(vectors.shape[1]))
        params = client.prepare_index_params()
        params.add_index("vec", index_type=index, metric_type="IP", params={
            "M": HnswStore.M, "efConstruction": HnswStore.EF_CONSTRUCTION} if index == "HNSW" else {})
        client.create_collection(name, schema=schema, index_params=params, consistency_level="Strong",
                                 **({"properties": {OWNER: tgt.owner}} if tgt.owner else {}))  # see tidy, claim
        arts = [articles[p.article_id] for p in passages]
        for a in range(0, len(passages), BATCH):
            client.insert(name, [{"row": i, "article": arts[i].id[:1024], "vec": vectors[i].tolist(),
                                  "day": arts[i].date.toordinal() if arts[i].date else -1,
                                  "source": (arts[i].source or "").lower()[:1024]}
                                 for i in range(a, min(a + BATCH, len(passages)))])
        client.flush(name)
        spec = {"uri": tgt.uri, "alias": tgt.alias, "collection": name, "index": index}
        return cls(client, spec, int(vectors.shape[1]), len(passages))

    def publish(self) -> None:
        """Point the alias at this collection (one call on the engine's side)."""
        point_alias(self.client, self.spec["alias"], self.collection)

    def search(self, query: np.ndarray, k: int, allowed=None) -> tuple[list[float], list[int]]:
        """Top-k (scores, rows); `allowed` rows filtered in the engine by their `Where` expression."""
        expr = ""
        if allowed is not None:
            where = getattr(allowed, "where", None)
            expr = milvus_expr(where) if isinstance(where, Where) else \
                f"row in [{', '.join(str(int(r)) for r in allowed)}]"  # plain rows from a caller
            if len(allowed) == 0:
                return [], []
        k = min(k, self.rows if allowed is None else len(allowed), 16_384)  # Milvus's top-k limit
        if k <= 0:
            return [], []
        found = self._call(self.client.search, self.collection, data=[np.asarray(query, np.float32).tolist()],
                           anns_field="vec", limit=k, filter=expr, search_params=self._params)[0]
        return [float(h["distance"]) for h in found], [int(h["row"]) for h in found]

    def vectors(self, ids=None) -> np.ndarray:
        """Stored vectors of `ids` (all rows if None), in that order."""
        ids = np.arange(self.rows) if ids is None else np.asarray(ids, dtype=np.int64)
        out = np.zeros((len(ids), self.dim), dtype=np.float32)
        where = {int(r): i for i, r in enumerate(ids)}
        for a in range(0, len(ids), BATCH):
            part = [int(r) for r in ids[a:a + BATCH]]
            for e in self._call(self.client.query, self.collection, ids=part, output_fields=["row", "vec"]):
                out[where[int(e["row"])]] = e["vec"]
        return out

    def _call(self, fn, *args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except Exception as e:
            forget(self.spec["uri"])
            raise MilvusUnreachable(self.spec["uri"], f"collection {self.collection}: {e}") from None


def _gone(client, name: str) -> bool:
    try:
        return not client.has_collection(name)
    except Exception:  # unreachable: not known to be gone
        return False
