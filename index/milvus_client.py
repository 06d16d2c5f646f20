"""Reaching Milvus, and the collections of an index's generations behind one alias.

A URI is a Milvus Lite path (``*.db``, embedded; one process at a time) or ``http(s)://host:port`` (a
server or cluster), through pymilvus in both cases; an unreachable one is a one-line error naming it.
pymilvus is imported only when a Milvus-backed index is built or opened.

>>> target("http://milvus.example:19530", "archive")
Target(uri='http://milvus.example:19530', alias='archive')
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from corpus.errors import NewsError

URI_ENV, TOKEN_ENV = "NEWS_MILVUS_URI", "NEWS_MILVUS_TOKEN"
SCALE_REQUIREMENTS = "requirements-scale.txt"
CONNECT_TIMEOUT = 10.0   # seconds before an unreachable URI is reported


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


def forget(uri: str) -> None:
    """Drop the client of a server that went away: the next `connect` connects afresh."""
    _CLIENTS.pop(uri, None)


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
