"""Build or update an index from a folder (or one file) of news texts.

Incremental by default: a file whose bytes are unchanged keeps its passages
and vectors from the live index; new or changed files are read, chunked and
embedded; removed files drop out. The result is laid out in the same
canonical order as a full build (`full=True`), so both answer alike.

    >>> summary = build("corpus/")                        # doctest: +SKIP
    >>> summary.articles, summary.passages, summary.embedded  # doctest: +SKIP
    (1, 3, 3)
"""
from __future__ import annotations

import datetime as dt
import time
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path

from filelock import FileLock, Timeout

from corpus import CorpusNotFound, list_files
from corpus.feeds import feeds_last
from index import storage
from index.generations import clean_up, milvus_target
from index.config import IndexConfig, resolve_cache_dir, resolve_index_dir
from index.faults import checkpoint
from index.outcome import BuildBusy, BuildSummary, NothingIndexed, OtherSource  # noqa: F401  (index.build.X)
from index.plan import Plan
from index.stores import build_store


def _no_progress(stage: str, done: int, total: int) -> None:
    pass


def build(path, index_dir=None, full: bool = False, config: IndexConfig | None = None,
          progress=_no_progress, lock_timeout: float = 0, embedder=None,
          milvus: str | None = None, collection: str | None = None) -> BuildSummary:
    """progress(stage, done, total) is called with stage "reading" then "embedding".

    embedder: an already loaded `Embedder` for the config's model (else one is loaded only if something
    needs embedding), or index/ray_embed.py's RayEmbedder; lock_timeout: seconds to wait for another build;
    milvus/collection: store the vectors in Milvus (index/milvus_store.py; also $NEWS_MILVUS_URI, or the
    live index's Milvus), else FAISS."""
    started = time.perf_counter()
    index_dir = resolve_index_dir(index_dir)
    if not Path(path).exists():  # before touching the index
        raise CorpusNotFound(path)
    index_dir.mkdir(parents=True, exist_ok=True)
    with _build_lock(index_dir, lock_timeout):
        checkpoint("locked")
        # Listed under the lock: a build that waited for another reads the folder as it is now, and a
        # refused one (a watch retrying) does not walk it. An index inside the corpus folder is no corpus.
        sources, listing_problems = list_files(path, skip=index_dir)
        clean_up(index_dir)
        target = milvus_target(milvus, collection, index_dir)  # checked now, not after the embedding
        previous, note = (None, "") if full else _previous(index_dir, config)
        _check_source(index_dir, previous, path, sources)
        config = config or (previous.config if previous else storage.live_config(index_dir))
        plan = Plan(config, previous, embedder)
        _read(plan, sources, progress)
        vectors, sentences = plan.embed(progress)
        checkpoint("embedded")
        problems = (*listing_problems, *plan.problems)
        if not plan.passages:
            raise NothingIndexed(path, problems, len(sources))
        summary = _summary(index_dir, plan, previous, problems, note, {s.key for s in sources})
        store = build_store(vectors, plan.articles, plan.passages, target)
        manifest = _manifest(config, store, plan, summary, time.perf_counter() - started, path)
        lexical = _lexical(plan)  # BM25 side, rebuilt from the passage table every time
        stories = _stories(plan, vectors, lexical, previous)
        storage.write_generation(index_dir, store, plan.articles, plan.passages, manifest, lexical, sentences, stories)
        clean_up(index_dir)
        _export_query_model(plan.loaded_embedder)
        return BuildSummary(**{**summary.__dict__, "seconds": time.perf_counter() - started})


@contextmanager
def _build_lock(index_dir: Path, timeout: float):
    """One build at a time per index folder; waits `timeout` seconds for another to finish."""
    lock = FileLock(str(index_dir / ".build.lock"))
    try:
        lock.acquire(timeout=timeout)
    except Timeout:
        raise BuildBusy(f"another build is running on {index_dir}; wait for it to finish and try again") from None
    try:
        yield
    finally:
        lock.release()


def _read(plan: Plan, sources: list, progress) -> None:
    progress("reading", 0, len(sources))  # the bar appears before the first file, not after
    for i, source in enumerate(feeds_last(sources)):  # pages first: they win over feed entries
        plan.add_file(source)
        progress("reading", i + 1, len(sources))
        checkpoint("reading")


def _check_source(index_dir: Path, previous, path, sources: list) -> None:
    """Refuses an incremental build from another path that would drop files of the index (OtherSource).
    Another path dropping nothing (the folder moved, or a copy of it) is fine; so is any `--full` build."""
    built_from = previous.manifest.get("source") if previous else None   # None: an earlier version built it
    # The path as the user gives it, not where its links lead: a `corpus` link re-pointed to a new folder is
    # still the corpus the user builds (and the resolved form is accepted, as earlier builds stored it).
    if built_from is None or Path(built_from) in (Path(path).absolute(), Path(path).resolve()):
        return
    dropped = set(previous.manifest["files"]) - {s.key for s in sources}
    if dropped:
        raise OtherSource(index_dir, built_from, path, len(dropped), len(previous.manifest["files"]) - len(dropped))


def built_from(index_dir) -> Path | None:
    """The folder or file the live index was built from (None: none yet, or an earlier version built it)."""
    try:
        source = storage.read_manifest(resolve_index_dir(index_dir)).get("source")
    except Exception:   # no index, or a damaged one: the build says so
        return None
    return Path(source) if source else None


def _summary(index_dir: Path, plan: Plan, previous, problems: tuple, note: str, listed: set) -> BuildSummary:
    # Removed: gone from the folder (a file still there that now gives no article, e.g. a feed whose
    # entries saved pages cover, is not "removed").
    removed = len(set(previous.manifest["files"]) - listed) if previous else 0
    files = sum(1 for f in plan.files.values() if f["articles"])
    return BuildSummary(index_dir, "incremental" if previous else "full", files, len(plan.articles),
                        len(plan.passages), plan.embedded, removed, problems, 0.0, note)


def _previous(index_dir: Path, config: IndexConfig | None):
    """The live index if it can be reused, else (None, why a full build happens)."""
    # Settings first, from the manifest alone: another model or chunking reuses nothing, so the
    # previous generation (vectors, checksums of every file) is not loaded just to be dropped.
    live = storage.live_config(index_dir, default=None)
    model = storage.read_manifest(index_dir).get("model") if live is not None else None
    weights = model.get("weights") if isinstance(model, dict) else None   # a damaged one: loading says so
    if config is not None and live is not None and not config.same_passages(live):
        return None, "settings changed since the last build, built in full"
    if weights and weights != _weights(live.model_name):   # the same folder, adapted again: nothing reusable
        return None, f"the weights of model {live.model_name} changed since the last build, built in full"
    try:
        return storage.load_generation(index_dir), ""
    except storage.IndexMissing:
        return None, ""
    except storage.IndexDamaged as e:
        return None, f"previous index unusable, built in full: {e}"


def _weights(model_name: str) -> str:
    """Which weights a model name stands for now (a model folder: its files' sizes and times)."""
    from index.onnx_query import model_key
    return model_key(model_name)


def _lexical(plan):
    from index.lexical import Lexical, passage_texts
    return Lexical.build(passage_texts({a.id: a for a in plan.articles}, plan.passages))


def _stories(plan, vectors, lexical, previous):
    """Kept articles keep their story; added ones join one or start one (index/stories.py). Stories
    stored under another grouping rule (an index built by an earlier version) are all grouped afresh."""
    from index.stories import group
    from index.story_features import ArticleFeatures
    features = ArticleFeatures.build(plan.articles, plan.passages, vectors, lexical)
    kept = previous.stories if previous and previous.stories and previous.stories.current else None
    return group(features, {a.id: a for a in plan.articles}, kept)


def _export_query_model(embedder) -> None:
    """While the torch model is loaded anyway, export it once for the torch-free query path."""
    if embedder is None or not hasattr(embedder, "model"):  # nothing loaded, or a test double
        return
    from index.onnx_query import export
    try:
        export(embedder, resolve_cache_dir())
    except Exception:  # an optimisation only: queries fall back to torch
        pass


def _manifest(config, store, plan, summary, seconds, path) -> dict:
    return {
        "config": config.to_dict(),
        "model": {"name": config.model_name, "dim": store.dim, "weights": _weights(config.model_name)},
        "store": store.kind,
        **({"milvus": store.spec} if store.kind == "milvus" else {}),
        "source": str(Path(path).absolute()),   # what the other-source guard and `info` read
        "files": plan.files,
        "counts": {"files": summary.files, "articles": summary.articles, "passages": summary.passages},
        "built_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "build_seconds": round(seconds, 3),
        "mode": summary.mode,
        "report": {"problems": [asdict(p) for p in summary.problems], "note": summary.note},
    }
