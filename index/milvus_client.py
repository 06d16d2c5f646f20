"""Reaching Milvus, and the collections of an index's generations behind one alias.

A URI is a Milvus Lite path (``*.db``, embedded; one process at a time) or ``http(s)://host:port`` (a
server or cluster), through pymilvus in both cases; an unreachable one is a one-line error naming it.
pymilvus is imported only when a Milvus-backed index is built or opened.

>>> target("http://milvus.example:19530", "archive")
Target(uri='http://milvus.example:19530', alias='archive')
"""
from __future__ import annotations

import os
import socket
from dataclasses import dataclass, field
from pathlib import Path

from corpus.errors import NewsError

URI_ENV, TOKEN_ENV = "NEWS_MILVUS_URI", "NEWS_MILVUS_TOKEN"
SCALE_REQUIREMENTS = "requirements-scale.txt"
CONNECT_TIMEOUT = 10.0   # seconds before an unreachable URI is reported
OWNER = "news.index"     # collection property: "host:/index/folder" of the index whose generation it holds


class MilvusMissing(NewsError):
    def __init__(self, what="pymilvus"):
        super().__init__(f"{what} is not installed; the Milvus store needs: pip install -r {SCALE_REQUIREMENTS}")


class MilvusUnreachable(NewsError):
    def __init__(self, uri, why):
        why = " ".join(str(getattr(why, "message", None) or why).split())[:200]
        super().__init__(f"cannot reach Milvus at {uri} ({why}); start it, or fix --milvus / ${URI_ENV}")


class CollectionTaken(NewsError):
    def __init__(self, tgt, held, who):
        host, _, folder = (who or "").partition(":")
        whose = (f"the index at {folder}" + ("" if host == socket.gethostname() else f" on {host}")) if who \
            else "another index or program (no index recorded)"
        super().__init__(f"Milvus collection name {tgt.alias!r} at {tgt.uri} is in use by {whose} (collection "
                         f"{held}); give this index another name with --collection NAME")


class CollectionGone(NewsError, RuntimeError):  # RuntimeError: loading reports it as a damaged index
    def __init__(self, uri, name):
        super().__init__(f"Milvus collection {name} is gone from {uri} (dropped outside this index)")


@dataclass(frozen=True)
class Target:
    uri: str       # http(s)://host:port, or an absolute path to a Milvus Lite *.db folder
    alias: str = "news"
    owner: str = field(default="", repr=False)  # owner_of(the index folder), recorded on its collections


def owner_of(index_dir) -> str:
    """Who a collection belongs to: the host too, as one Milvus server may serve index folders on many hosts."""
    return f"{socket.gethostname()}:{Path(index_dir).resolve()}"


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


def held_by(client, alias: str) -> str | None:
    """The collection an alias names, None if there is no such alias."""
    return client.describe_alias(alias)["collection_name"] if alias in client.list_aliases()["aliases"] else None


def owner(client, collection: str) -> tuple[str | None, list]:
    """(its index, aliases naming it); no index recorded: made by an earlier version or another program."""
    info = client.describe_collection(collection)
    return (info.get("properties") or {}).get(OWNER), list(info.get("aliases") or [])


def claim(client, tgt: Target, ours: set, claimed) -> None:
    """Refuse (CollectionTaken) an alias that names another index's collection: one this index's manifests do
    not name, recorded as another folder's that still uses it (claimed(owner, name)), or recorded as nobody's."""
    held = held_by(client, tgt.alias)
    if held is None or held in ours:
        return
    who = owner(client, held)[0]
    if who != tgt.owner and (who is None or claimed(who, held)):
        raise CollectionTaken(tgt, held, who)


def tidy(live: dict | None, keep: list[dict], me: str, dropped: list[dict] = ()) -> None:
    """After a build (or a killed one): the alias on the live collection, this index's other collections dropped.

    live/keep/dropped: the Milvus specs of the live, the kept and the just deleted generations; me: owner_of
    this index. Only this index's collections are touched, never another index's on the same server: the
    alias is put back only where it names nothing or one of ours (not where another index took the name), and
    a collection is dropped only if recorded as ours or named by a deleted generation, and no other alias
    names it.
    """
    if live is None:
        return
    client = connect(live["uri"])
    kept = {s["collection"] for s in keep} | {live["collection"]}
    gone = {s["collection"] for s in dropped if s.get("uri") == live["uri"]}
    held = held_by(client, live["alias"])
    if client.has_collection(live["collection"]) and (held is None or held in kept | gone or
                                                     owner(client, held)[0] == me):
        point_alias(client, live["alias"], live["collection"])  # (a vanished live one: loading says so)
    ours = {s["alias"] for s in (*keep, *dropped, live)}  # an alias this index used (--collection changed)
    for name in client.list_collections():
        if name in kept or "_g" not in name:
            continue
        who, aliases = owner(client, name)
        if (who == me or name in gone) and set(aliases) <= ours - {live["alias"]}:  # else some index's live one
            for alias in aliases:
                client.drop_alias(alias)
            client.drop_collection(name)
