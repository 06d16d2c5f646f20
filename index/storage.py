"""The index on disk: versioned generations switched by an atomic pointer.

    INDEX_DIR/CURRENT              name of the live generation (replaced atomically)
    INDEX_DIR/gen-<time>-<pid>/    manifest.json, vectors.faiss, passages.jsonl, articles.jsonl, lexical/,
                                   sentences/ (index/sentences.py), stories/ (index/stories.py)
    INDEX_DIR/.tmp-*               a build in progress (never loaded; removed by the next build)

A build writes a whole generation under .tmp-*, fsyncs it, renames it to
gen-*, then replaces CURRENT. A crash at any point leaves the previous
generation live; readers never see half an index. Loading checks the
format version, each data file's size and sha256 (index/manifest.py), and the row counts.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path

from corpus.records import Article
from index.atomic import fsync_dir, fsync_write, sha256_file
from index.config import IndexConfig
from index.faults import checkpoint
# Re-exported: callers import these from index.storage.
from index.generations import CURRENT, IndexDamaged, IndexMissing, current_generation  # noqa: F401
from index.manifest import (FORMAT, FORMAT_VERSION, check_fields, check_files, data_files,  # noqa: F401
                            live_config, read_manifest)
from index.lexical import LEXICAL_DIR
from index.sentences import SENTENCE_DIR, SentenceTable
from index.stories import STORY_DIR, STORY_FILE, StoryTable
from index.store import FlatStore, vector_files
from index.stores import open_store



@dataclass(frozen=True)
class Passage:
    article_id: str
    start: int   # character offsets into the article's text
    end: int


@dataclass(frozen=True)
class IndexData:
    path: Path               # the generation folder
    manifest: dict
    config: IndexConfig
    store: FlatStore
    articles: dict           # article id -> Article
    passages: list           # row i of the store <-> passages[i]
    lexical: object = None   # index.lexical.Lexical (BM25 over the same rows), None if not built
    sentences: SentenceTable | None = None  # sentence vectors of every row (always there once loaded)
    stories: StoryTable | None = None  # article -> story; None in an index built before stories (grouped on use)


def _article_row(a: Article) -> dict:
    # vars(), not asdict(): the fields are flat, and asdict's deep copy was ~1 s of a watch build.
    row = dict(vars(a), derived=list(a.derived))
    row["date"] = a.date.isoformat() if a.date else None
    return row


def _article_from_row(row: dict) -> Article:
    row = dict(row, derived=tuple(row.get("derived") or ()))
    row["date"] = dt.date.fromisoformat(row["date"]) if row.get("date") else None
    return Article(**row)


def _jsonl(rows) -> bytes:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode("utf-8")


def write_generation(index_dir: Path, store: FlatStore, articles: list, passages: list, manifest: dict,
                     lexical=None, sentences: SentenceTable | None = None, stories: StoryTable | None = None) -> Path:
    """Write a complete generation and make it live. Returns its folder."""
    index_dir.mkdir(parents=True, exist_ok=True)
    tmp = index_dir / f".tmp-{os.getpid()}-{time.time_ns()}"
    tmp.mkdir()
    checkpoint("tmp-created")
    if vector_files(store.kind):  # an engine's store (Milvus) holds its own vectors, filled before
        store.save(tmp / "vectors.faiss")
    checkpoint("vectors-written")
    fsync_write(tmp / "passages.jsonl", _jsonl(vars(p) for p in passages))
    checkpoint("passages-written")
    fsync_write(tmp / "articles.jsonl", _jsonl(_article_row(a) for a in articles))
    checkpoint("articles-written")
    extra = _write_sides(tmp, lexical, sentences, stories)
    names = data_files(store.kind) + extra
    manifest = dict(manifest, format=FORMAT, format_version=FORMAT_VERSION,
                    data={n: {"bytes": (tmp / n).stat().st_size, "sha256": sha256_file(tmp / n)} for n in names})
    fsync_write(tmp / "manifest.json", json.dumps(manifest, indent=1, ensure_ascii=False).encode("utf-8"))
    checkpoint("manifest-written")
    fsync_dir(tmp)
    gen = index_dir / f"gen-{dt.datetime.now(dt.timezone.utc):%Y%m%dT%H%M%S%f}-{os.getpid()}"
    os.rename(tmp, gen)
    checkpoint("renamed")
    fsync_dir(index_dir)
    if hasattr(store, "publish"):  # the engine's alias first, so it never names an unfinished collection
        store.publish()
    checkpoint("alias-switched")
    fsync_write(index_dir / f"{CURRENT}.tmp", gen.name.encode())
    checkpoint("current-tmp-written")
    os.replace(index_dir / f"{CURRENT}.tmp", index_dir / CURRENT)  # the one atomic switch
    checkpoint("switched")
    fsync_dir(index_dir)
    return gen


def _write_sides(tmp: Path, lexical, sentences, stories) -> tuple:
    """The lexical, sentence and story sides (index/lexical.py, sentences.py, stories.py), synced;
    their files, listed in the manifest and checked on load like the others."""
    parts = ((LEXICAL_DIR, lexical), (SENTENCE_DIR, sentences), (STORY_DIR, stories))
    extra = tuple(name for folder, part in parts if part is not None for name in part.save(tmp / folder))
    for name in extra + tuple(folder for folder, part in parts if part is not None):
        fsync_dir(tmp / name)
    return extra


def load_generation(index_dir: Path, verify: bool = True) -> IndexData:
    """Load the live generation; refuse anything damaged or inconsistent (a missing file, a manifest
    entry of the wrong type: IndexDamaged, never a traceback)."""
    gen = current_generation(index_dir)  # read CURRENT once: a switch meanwhile must not mix generations
    manifest = read_manifest(index_dir, gen)
    try:
        return _load(index_dir, gen, manifest, verify)
    except (OSError, ValueError, KeyError, TypeError, RuntimeError, AttributeError) as e:
        raise IndexDamaged(index_dir, f"{type(e).__name__}: {e}") from None


def _load(index_dir: Path, gen: Path, manifest: dict, verify: bool) -> IndexData:
    check_files(gen, manifest, verify)
    check_fields(index_dir, manifest)   # what the page and `info` show: refused here, not a crash there
    config = IndexConfig.from_dict(manifest["config"])
    store = open_store(gen, manifest)
    passages = [Passage(**json.loads(line)) for line in (gen / "passages.jsonl").open(encoding="utf-8")]
    articles = {}
    for line in (gen / "articles.jsonl").open(encoding="utf-8"):
        a = _article_from_row(json.loads(line))
        articles[a.id] = a
    lexical = _load_lexical(gen, manifest)
    _check_counts(index_dir, manifest, store, passages, articles)
    if lexical is not None and lexical.rows != len(passages):
        raise IndexDamaged(index_dir, f"lexical index has {lexical.rows} rows for {len(passages)} passages")
    if f"{SENTENCE_DIR}/vectors.npy" not in manifest["data"]:
        raise IndexDamaged(index_dir, "no sentence vectors")
    # After the counts, so a short passage table is reported as such.
    sentences = SentenceTable.load(gen / SENTENCE_DIR, len(passages))
    grouped = f"{STORY_DIR}/{STORY_FILE}" in manifest["data"]  # absent in an index built before stories
    stories = StoryTable.load(gen / STORY_DIR, articles) if grouped else None
    return IndexData(gen, manifest, config, store, articles, passages, lexical, sentences, stories)


def _load_lexical(gen: Path, manifest: dict):
    if not any(n.startswith(LEXICAL_DIR + "/") for n in manifest["data"]):
        return None
    from index.lexical import Lexical
    return Lexical.load(gen / LEXICAL_DIR)


def _check_counts(index_dir, manifest, store, passages, articles) -> None:
    counts = manifest.get("counts", {})
    if not (len(store) == len(passages) == counts.get("passages")):
        raise IndexDamaged(index_dir, f"{len(store)} vectors, {len(passages)} passages, "
                                      f"manifest says {counts.get('passages')}")
    if len(articles) != counts.get("articles"):
        raise IndexDamaged(index_dir, f"{len(articles)} articles, manifest says {counts.get('articles')}")
    if store.dim != manifest.get("model", {}).get("dim"):
        raise IndexDamaged(index_dir, f"vectors of dimension {store.dim}, model has {manifest['model'].get('dim')}")
    missing = next((p.article_id for p in passages if p.article_id not in articles), None)
    if missing is not None:
        raise IndexDamaged(index_dir, f"passage refers to unknown article {missing!r}")
