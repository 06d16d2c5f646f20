"""Milvus as the passage vector store: Milvus Lite (a local ``*.db`` path) or a server/cluster (http[s]://).

One collection per index generation, named ``<alias>_g<stamp>``; the alias (``--collection``, default
``news``) is switched to a generation's collection just before ``CURRENT`` (index/storage.py), so any
client reading the alias sees a complete collection. This tool itself reads the collection its
manifest names: a generation's rows always come from its own collection. Each entity holds the
passage vector and the scalar fields the filters use (row, article id, publication day, outlet), so
since/until/as_of/sources are Milvus expressions evaluated in the engine (index/where.py).

pymilvus is imported only here, and only when a Milvus-backed index is built or opened.

>>> target("http://milvus.example:19530").uri, target("idx.db", "archive").alias  # doctest: +SKIP
('http://milvus.example:19530', 'archive')
"""
from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from corpus.errors import NewsError
from index.store import HNSW_FROM, HnswStore
from index.where import Where, milvus_expr

URI_ENV, TOKEN_ENV = "NEWS_MILVUS_URI", "NEWS_MILVUS_TOKEN"
SCALE_REQUIREMENTS = "requirements-scale.txt"
CONNECT_TIMEOUT = 10.0   # seconds before an unreachable URI is reported
BATCH = 2_000            # rows per insert / query call (well under gRPC's 64 MB message limit)
FIELDS = ("row", "article", "day", "source", "vec")


class MilvusMissing(NewsError):
    def __init__(self, what="pymilvus"):
        super().__init__(f"{what} is not installed; the Milvus store needs: pip install -r {SCALE_REQUIREMENTS}")


class MilvusUnreachable(NewsError):
    def __init__(self, uri, why):
        why = " ".join(str(getattr(why, "message", None) or why).split())[:200]
        super().__init__(f"cannot reach Milvus at {uri} ({why}); start it, or fix --milvus / ${URI_ENV}")


@dataclass(frozen=True)
class Target:
    uri: str       # http(s)://host:port, or an absolute path to a Milvus Lite *.db folder
    alias: str = "news"


def target(uri: str, alias: str | None = None) -> Target:
    """Check and normalise what the user gave: a server URL, or a local Milvus Lite path."""
    if not uri.startswith(("http://", "https://", "tcp://")):
        if not uri.endswith(".db"):
            raise NewsError(f"Milvus URI {uri!r}: give http(s)://host:port, or a Milvus Lite path ending in .db")
        uri = str(Path(uri).expanduser().resolve())
    alias = alias or "news"
    if not alias.replace("_", "a").isalnum() or not alias[0].isalpha() or len(alias) > 200:
        raise NewsError(f"collection name {alias!r}: use letters, digits and _, starting with a letter")
    return Target(uri, alias)


def resolve(given: str | None, alias: str | None, live: dict | None) -> Target:
    """--milvus, then $NEWS_MILVUS_URI, then the live generation's Milvus (spec from its manifest)."""
    uri = given or os.environ.get(URI_ENV) or live["uri"]
    return target(uri, alias or (live["alias"] if live else None))


_CLIENTS: dict = {}  # one client per URI and process: Milvus Lite serves each path from one in-process server


def connect(uri: str):
    """A MilvusClient (token from $NEWS_MILVUS_TOKEN); an unreachable URI is a one-line error."""
    if uri in _CLIENTS:
        return _CLIENTS[uri]
    try:
        from pymilvus import MilvusClient
    except ImportError:
        raise MilvusMissing() from None
    import logging
    for name in ("pymilvus", "milvus_lite"):  # they log each failure with a traceback; it is raised and
        logging.getLogger(name).setLevel(logging.CRITICAL)  # reported as one line instead
    if not uri.startswith(("http://", "https://", "tcp://")):
        try:
            import milvus_lite  # noqa: F401  (pymilvus starts it for *.db paths)
        except ImportError:
            raise MilvusMissing("milvus-lite") from None
    try:
        _CLIENTS[uri] = MilvusClient(uri=uri, token=os.environ.get(TOKEN_ENV, ""), timeout=CONNECT_TIMEOUT)
        return _CLIENTS[uri]
    except Exception as e:  # grpc, pymilvus and milvus-lite errors alike: the user's fix is the same
        if _lite_in_use(uri):
            raise MilvusLiteBusy(uri) from None
        raise MilvusUnreachable(uri, e) from None


class MilvusLiteBusy(NewsError):
    def __init__(self, uri):
        super().__init__(f"Milvus Lite at {uri} is open in another process (a page or a build); Milvus Lite serves "
                         f"one process: stop that one, or serve it with: milvus-lite server --data-dir {uri} "
                         f"--host 127.0.0.1 --port 19530, and use --milvus http://127.0.0.1:19530")


def _lite_in_use(uri: str) -> bool:
    """True when another process holds Milvus Lite's lock on that folder."""
    import fcntl

    from milvus_lite.server_manager import server_manager_instance
    if os.path.abspath(uri) in server_manager_instance._servers:  # this process holds it
        return False
    try:
        fd = os.open(os.path.join(uri, "LOCK"), os.O_RDWR)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        fcntl.flock(fd, fcntl.LOCK_UN)
        return False
    except OSError:
        return True
    finally:
        os.close(fd)


class MilvusStore:
    """The store interface of index/store.py (search, vectors, len, dim, kind) over one collection."""

    kind = "milvus"
    external = True   # its vectors live in the engine, not in the generation folder

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
            _CLIENTS.pop(spec["uri"], None)
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
        client.create_collection(name, schema=schema, index_params=params, consistency_level="Strong")
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
            _CLIENTS.pop(self.spec["uri"], None)  # a server that went away: the next open connects afresh
            raise MilvusUnreachable(self.spec["uri"], f"collection {self.collection}: {e}") from None


def point_alias(client, alias: str, collection: str) -> None:
    if alias in client.list_aliases(collection).get("aliases", []):
        return
    if alias in client.list_aliases().get("aliases", []):
        client.alter_alias(collection, alias)
    else:
        client.create_alias(collection, alias)


def tidy(live: dict | None, keep: list[dict]) -> None:
    """After a build (or a killed one): the alias on the live collection, other generations' dropped.

    live/keep: the Milvus specs of the live and the kept generations. Collections named after the
    alias that no kept generation names (older generations, a killed build's) are dropped.
    """
    if live is None:
        return
    client = connect(live["uri"])
    point_alias(client, live["alias"], live["collection"])
    kept = {s["collection"] for s in keep} | {live["collection"]}
    for name in client.list_collections():
        if name.startswith(live["alias"] + "_g") and name not in kept:
            client.drop_collection(name)
