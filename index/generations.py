"""Which generation of an index is live, and tidying the others away.

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
import shutil
from pathlib import Path

from index.faults import checkpoint

CURRENT = "CURRENT"


def current_generation(index_dir: Path) -> Path | None:
    try:
        name = (index_dir / CURRENT).read_text(errors="replace").strip()  # garbage: damaged, not a crash
    except (FileNotFoundError, NotADirectoryError):
        return None
    return index_dir / name


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
    # switch): drop it first, so the spare kept is the real previous one.
    newer = [p for p in gens if live is not None and p.name > live.name]
    older = [p for p in gens if p not in newer]
    dropped = newer + older[:max(0, len(older) - (keep - 1))]
    for p in dropped:
        checkpoint("cleanup")
        shutil.rmtree(p, ignore_errors=True)
    _tidy_engine(live, [p for p in gens if p not in dropped])


def _tidy_engine(live: Path | None, kept: list) -> None:
    """A Milvus-backed live index: its alias put right, collections of dropped generations dropped."""
    spec = engine_spec(live)
    if spec is not None:
        from index.milvus_client import tidy
        tidy(spec, [s for s in map(engine_spec, kept) if s is not None])


def engine_spec(gen: Path | None) -> dict | None:
    try:
        manifest = json.loads((gen / "manifest.json").read_text(encoding="utf-8"))
        return manifest["milvus"] if manifest.get("store") == "milvus" else None
    except (OSError, ValueError, TypeError, KeyError):
        return None


def milvus_target(given, collection, index_dir: Path):
    """Where a build stores its vectors: Milvus if asked (argument, $NEWS_MILVUS_URI) or if the live
    index is in Milvus (connected now, before any embedding); else None (FAISS)."""
    import os
    spec = engine_spec(current_generation(index_dir))
    if not (given or os.environ.get("NEWS_MILVUS_URI") or spec):
        return None
    from index.milvus_client import connect, resolve
    target = resolve(given, collection, spec)
    connect(target.uri)
    return target
