"""An index generation's manifest: its format, the data files it lists (checked by size and sha256),
and the settings it was built with. index/storage.py writes and loads generations; this reads what
a build, `python -m index info` and the page need before (or instead of) loading one.
"""
from __future__ import annotations

import json
from pathlib import Path

from index.atomic import sha256_file
from index.config import IndexConfig
from index.generations import IndexDamaged, IndexMissing, current_generation
from index.store import vector_files

FORMAT = "news-index"
FORMAT_VERSION = 3  # 2: BM25 side in lexical/ (index/lexical.py); 3: sentence vectors in sentences/
MISSING = object()  # an entry absent from the manifest (None is a JSON null)


def data_files(kind: str | None) -> tuple:
    """The files every generation of a `kind` of store holds (the vectors' own, if any, and the tables)."""
    return vector_files(kind) + ("passages.jsonl", "articles.jsonl")


def read_manifest(index_dir: Path, gen: Path | None = None) -> dict:
    """The live (or the given) generation's manifest, checked for format and version."""
    gen = gen or current_generation(index_dir)
    if gen is None:
        raise IndexMissing(index_dir)
    try:
        manifest = json.loads((gen / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise IndexDamaged(index_dir, f"manifest unreadable: {e}") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise IndexDamaged(index_dir, "not a news index manifest")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise IndexDamaged(index_dir, f"format version {manifest.get('format_version')}, "
                                      f"this tool reads {FORMAT_VERSION}")
    return manifest


def live_config(index_dir: Path, default: IndexConfig | None = IndexConfig()) -> IndexConfig | None:
    """The live index's settings (its model too: an adapted one) from the manifest alone; `default` when
    there is no index or its manifest cannot be read (loading it says what is wrong)."""
    if current_generation(index_dir) is None:   # a first build: no IndexMissing (its hint lists the folder)
        return default
    try:
        return IndexConfig.from_dict(read_manifest(index_dir)["config"])
    except (IndexMissing, IndexDamaged, KeyError, TypeError, ValueError, AttributeError):
        return default


def checked_manifest(index_dir: Path) -> dict:
    """The live generation's manifest once every data file it lists has its size and sha256 (and the
    counts are whole numbers): damage is said without loading the vectors and tables or opening Milvus
    (`python -m index info`)."""
    gen = current_generation(index_dir)
    manifest = read_manifest(index_dir, gen)
    try:
        check_files(gen, manifest, verify=True)
        if not all(isinstance(manifest["counts"][n], int) for n in ("files", "articles", "passages")):
            raise TypeError("counts are not whole numbers")
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as e:
        raise IndexDamaged(index_dir, f"{type(e).__name__}: {e}") from None
    check_fields(index_dir, manifest)
    return manifest


def check_fields(index_dir: Path, manifest: dict) -> None:
    """Refuse (IndexDamaged, naming the entry) a manifest lacking what is shown of an index, or holding it
    in another shape: the page's Index panel (Searcher.stats) and `python -m index info` read these without
    looking, and the panel that would crash is the one holding the Rebuild button. Checked on load, so
    such an index is refused like any other damage (and the next build rebuilds it in full)."""
    # The first failure raises: the generator is not resumed, so later checks may assume earlier ones held.
    for entry, value, want, ok in _shown(manifest):
        if not ok:
            raise IndexDamaged(index_dir, f"manifest.json: {entry} is {_described(value)}, not {want}")


def _shown(manifest: dict):
    """(entry, its value, what it must be, whether it is) for each manifest entry shown, outer ones first."""
    model, report = manifest.get("model", MISSING), manifest.get("report", MISSING)
    yield "model", model, "a table", isinstance(model, dict)
    yield "model.name", model.get("name", MISSING), "text", isinstance(model.get("name"), str)
    for key in ("built_at", "mode"):
        yield key, manifest.get(key, MISSING), "text", isinstance(manifest.get(key), str)
    # Absent in an index an earlier version built (info says "not recorded"); present, it is a path.
    yield "source", manifest.get("source"), "text", isinstance(manifest.get("source", ""), str)
    yield "report", report, "a table", isinstance(report, dict)
    problems = report.get("problems", MISSING)
    yield "report.problems", problems, "a list", isinstance(problems, list)
    bad = next((i for i, p in enumerate(problems) if not isinstance(p, dict) or not all(
        isinstance(p.get(k), str) for k in ("file", "kind", "reason"))), None)
    if bad is not None:
        yield f"report.problems[{bad}]", problems[bad], "a table of file, kind and reason texts", False
    if manifest.get("store") == "milvus":
        milvus = manifest.get("milvus", MISSING)
        yield "milvus", milvus, "a table of uri, collection and alias texts", isinstance(milvus, dict) and all(
            isinstance(milvus.get(k), str) for k in ("uri", "collection", "alias"))


def _described(value) -> str:
    """A manifest value as its JSON kind, briefly: the message names the entry, not its (maybe long) content."""
    if value is MISSING:
        return "missing"
    return {type(None): "null", bool: "true/false", int: "a number", float: "a number", str: "text",
            list: "a list", dict: "a table"}.get(type(value), type(value).__name__)


def check_files(gen: Path, manifest: dict, verify: bool) -> None:
    required = data_files(manifest.get("store"))
    for name in required + tuple(n for n in manifest["data"] if n not in required):
        _check_file(gen / name, manifest["data"][name], verify)


def _check_file(path: Path, expected: dict, verify: bool) -> None:
    size = path.stat().st_size
    if size != expected["bytes"]:
        raise ValueError(f"{path.name} is {size} bytes, manifest says {expected['bytes']}")
    if verify and sha256_file(path) != expected["sha256"]:
        raise ValueError(f"{path.name} does not match its checksum")
