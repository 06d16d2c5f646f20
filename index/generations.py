"""Which generation of an index is live, tidying the others away, and the errors of a folder that holds
no usable index (IndexMissing says how to make one; IndexDamaged how to replace it).

    INDEX_DIR/CURRENT    the live generation's folder name, replaced atomically by index/storage.py

`clean_up` runs under the build lock (index/build.py): what a killed build left (.tmp-*, a generation
newer than the live one) goes first, then all but the newest `keep` generations, and for a Milvus-backed
index the collections of the dropped ones.

>>> import tempfile; d = Path(tempfile.mkdtemp()); (d / "gen-1").mkdir(); (d / "CURRENT").write_text("gen-1")
5
>>> current_generation(d).name
'gen-1'
"""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from corpus.errors import NewsError
from index.faults import checkpoint

CURRENT = "CURRENT"


class IndexMissing(NewsError):
    def __init__(self, index_dir):
        if looks_like_texts(index_dir):  # --index given the texts: building into them is no fix
            super().__init__(f"no index at {index_dir}: it looks like a folder of news texts, not an index; "
                             f"build one from it with: python -m index build {index_dir} --index OTHER_FOLDER")
        else:
            super().__init__(f"no index at {index_dir}; build one with: "
                             f"python -m index build corpus/ --index {index_dir}")


class IndexDamaged(NewsError):
    def __init__(self, index_dir, why):
        super().__init__(f"index at {index_dir} cannot be used ({why}); "
                         f"rebuild it with: python -m index build FOLDER --full --index {index_dir}")


def current_generation(index_dir: Path) -> Path | None:
    try:
        name = (index_dir / CURRENT).read_text(errors="replace").strip()  # garbage: damaged, not a crash
    except (FileNotFoundError, NotADirectoryError):
        return None
    return index_dir / name


def looks_like_texts(folder, budget: int = 1000) -> bool:
    """Whether ``folder`` looks like news texts, not an index (an --index pointed at the texts): nothing of an
    index, and mostly files the readers take (a project folder with a README and requirements.txt is mostly
    code) or the corpus folder itself. Names only, two levels, ``budget`` names at most: said at once."""
    from corpus import SUPPORTED
    from index.config import resolve_corpus_dir
    texts = others = 0
    for here, dirs, names in os.walk(folder):  # top down: ``folder`` itself first
        if here == os.fspath(folder) and (CURRENT in names or any(d.startswith(("gen-", ".tmp-")) for d in dirs)):
            return False
        # Two levels: texts filed by year or outlet are found; a deep tree (a home folder) is not walked.
        dirs[:] = [d for d in dirs if not d.startswith(".")] if here == os.fspath(folder) else []
        kinds = [os.path.splitext(n)[1].lower() in SUPPORTED for n in names if not n.startswith(".")]
        texts, others = texts + sum(kinds), others + len(kinds) - sum(kinds)
        if texts + others >= budget:
            break
    return texts > others or texts > 0 and os.path.realpath(folder) == os.path.realpath(resolve_corpus_dir())


def clean_up(index_dir: Path, keep: int = 2) -> None:
    """Remove leftovers of killed builds and all but the newest `keep` generations.

    Call only while holding the build lock: any .tmp-* then belongs to a dead build.
    """
    live = current_generation(index_dir)
    for p in index_dir.glob(".tmp-*"):
        shutil.rmtree(p, ignore_errors=True)
    (index_dir / f"{CURRENT}.tmp").unlink(missing_ok=True)
    gens = sorted((p for p in index_dir.glob("gen-*") if p != live), key=lambda p: p.name)
    # A generation newer than the live one never went live (its build was killed before the
    # switch): drop it first, so the spare kept is the real previous one. With no CURRENT at all,
    # none ever went live (a first build killed before the switch).
    newer = [p for p in gens if live is None or p.name > live.name]
    older = [p for p in gens if p not in newer]
    dropped = newer + older[:max(0, len(older) - (keep - 1))]
    spec = engine_spec(live)
    # Read before the folders go, and only for a Milvus index: a large corpus's manifests run to megabytes.
    specs = [s for s in map(engine_spec, dropped) if s is not None] if spec is not None else []
    for p in dropped:
        checkpoint("cleanup")
        shutil.rmtree(p, ignore_errors=True)
    _tidy_engine(index_dir, spec, [p for p in gens if p not in dropped], specs)


def _tidy_engine(index_dir: Path, spec: dict | None, kept: list, dropped: list) -> None:
    """A Milvus-backed live index (spec: its manifest's "milvus"): its alias put right, its collections of
    dropped generations dropped."""
    if spec is not None:
        from index.milvus_client import owner_of, tidy
        tidy(spec, [s for s in map(engine_spec, kept) if s is not None], owner_of(index_dir), dropped)


def engine_spec(gen: Path | None) -> dict | None:
    try:
        manifest = json.loads((gen / "manifest.json").read_text(encoding="utf-8"))
        return manifest["milvus"] if manifest.get("store") == "milvus" else None
    except (OSError, ValueError, TypeError, KeyError):
        return None


def milvus_target(given, collection, index_dir: Path):
    """Where a build stores its vectors: Milvus if asked (argument, $NEWS_MILVUS_URI) or if the live
    index is in Milvus (connected now, before any embedding); else None (FAISS). An alias that names another
    index's collection is refused (CollectionTaken) rather than taken: that index would lose its vectors."""
    import dataclasses
    spec = engine_spec(current_generation(index_dir))
    if not (given or os.environ.get("NEWS_MILVUS_URI") or spec):
        return None
    from index.milvus_client import claim, connect, owner_of, resolve
    target = dataclasses.replace(resolve(given, collection, spec), owner=owner_of(index_dir))
    if not target.uri.startswith(("http://", "https://", "tcp://")):
        _make_parent(target.uri)
    claim(connect(target.uri), target, _named(index_dir), _still_uses)
    return target


class MilvusFolderUnusable(NewsError):
    def __init__(self, path, why):
        super().__init__(f"cannot make the folder {path} for Milvus Lite ({why}); fix --milvus / $NEWS_MILVUS_URI")


def _make_parent(uri: str) -> None:
    """Milvus Lite makes the *.db folder but not its parent; the path is the user's own, so make that too."""
    try:
        Path(uri).parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise MilvusFolderUnusable(Path(uri).parent, e.strerror or e) from None


def _named(index_dir: Path) -> set:
    """The collections this index's generations name (an index built before owners were recorded, or moved)."""
    return {s["collection"] for s in map(engine_spec, Path(index_dir).glob("gen-*")) if s is not None}


def _still_uses(who: str, collection: str) -> bool:
    """Whether the index recorded as a collection's owner still names it; one on another host cannot be
    looked at, so it is taken to (a deleted or rebuilt-elsewhere folder on this host frees the name)."""
    import socket
    host, _, folder = who.partition(":")
    return host != socket.gethostname() or collection in _named(Path(folder))
