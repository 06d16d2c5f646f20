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
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
from filelock import FileLock, Timeout

from corpus import NewsError, Problem, file_digest, list_files, read_file
from corpus.records import SKIPPED
from index import storage
from index.chunking import Chunker, split_sentences
from index.config import IndexConfig, resolve_cache_dir, resolve_index_dir
from index.embed import Embedder, encode_passages, load_tokenizer
from index.faults import checkpoint
from index.sentences import SentenceTable
from index.store import new_store


SMALL_JOB = 64  # passages; up to this many are embedded torch-free (see _embedder_for)


class NothingIndexed(NewsError):
    pass


class BuildBusy(NewsError):
    pass


@dataclass(frozen=True)
class BuildSummary:
    index_dir: Path
    mode: str                    # "full" or "incremental"
    files: int                   # files that gave at least one article
    articles: int
    passages: int
    embedded: int                # passages embedded in this build (the rest were reused)
    removed_files: int
    problems: tuple[Problem, ...]
    seconds: float
    note: str = ""               # e.g. why an incremental build fell back to full

    def line(self) -> str:
        skipped = sum(p.kind == SKIPPED for p in self.problems)
        return (f"{self.mode} build: {self.articles} articles, {self.passages} passages from {self.files} files "
                f"({self.embedded} embedded, {self.removed_files} files removed) in {self.seconds:.1f}s; "
                f"{skipped} skipped, {len(self.problems) - skipped} degraded -> {self.index_dir}")


def _no_progress(stage: str, done: int, total: int) -> None:
    pass


def build(path, index_dir=None, full: bool = False, config: IndexConfig | None = None,
          progress=_no_progress, lock_timeout: float = 0, embedder=None) -> BuildSummary:
    """progress(stage, done, total) is called with stage "reading" then "embedding".

    embedder: an already loaded `Embedder` for the config's model (else one is loaded
    only if something needs embedding); lock_timeout: seconds to wait for another build.
    """
    started = time.perf_counter()
    index_dir = resolve_index_dir(index_dir)
    sources, listing_problems = list_files(path)  # raises CorpusNotFound first, before touching the index
    index_dir.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(index_dir / ".build.lock"))
    try:
        lock.acquire(timeout=lock_timeout)
    except Timeout:
        raise BuildBusy(f"another build is running on {index_dir}; wait for it to finish and try again") from None
    try:
        checkpoint("locked")
        storage.clean_up(index_dir)
        previous, note = (None, "") if full else _previous(index_dir, config)
        config = config or (previous.config if previous else IndexConfig())
        plan = _Plan(config, previous, embedder)
        progress("reading", 0, len(sources))  # the bar appears before the first file, not after
        for i, source in enumerate(sources):
            plan.add_file(source)
            progress("reading", i + 1, len(sources))
            checkpoint("reading")
        vectors, sentences = plan.embed(progress)
        checkpoint("embedded")
        if not plan.passages:
            raise NothingIndexed(f"nothing could be indexed from {path}: "
                                 f"{len(listing_problems) + len(plan.problems)} files skipped; run again after "
                                 f"fixing them (see the reasons above) or point to another folder")
        problems = tuple(listing_problems) + tuple(plan.problems)
        removed = len(set(previous.manifest["files"]) - set(plan.files)) if previous else 0
        summary = BuildSummary(index_dir, "incremental" if previous else "full", sum(
            1 for f in plan.files.values() if f["articles"]), len(plan.articles), len(plan.passages),
            plan.embedded, removed, problems, 0.0, note)
        store = new_store(vectors.shape[1], len(vectors))
        store.add(vectors)
        manifest = _manifest(config, store.dim, plan, summary, time.perf_counter() - started, store.kind)
        lexical = _lexical(plan)  # BM25 side, rebuilt from the passage table every time
        storage.write_generation(index_dir, store, plan.articles, plan.passages, manifest, lexical, sentences)
        storage.clean_up(index_dir)
        _export_query_model(plan.loaded_embedder)
        return BuildSummary(**{**summary.__dict__, "seconds": time.perf_counter() - started})
    finally:
        lock.release()


def _previous(index_dir: Path, config: IndexConfig | None):
    """The live index if it can be reused, else (None, why a full build happens)."""
    try:
        prev = storage.load_generation(index_dir)
    except storage.IndexMissing:
        return None, ""
    except storage.IndexDamaged as e:
        return None, f"previous index unusable, built in full: {e}"
    if config is not None and not config.same_passages(prev.config):
        return None, "settings changed since the last build, built in full"
    return prev, ""


class _Plan:
    """Collects articles, passages and vectors in canonical (file, article, passage) order."""

    def __init__(self, config: IndexConfig, previous, embedder=None):
        self.config, self.previous, self._embedder = config, previous, embedder
        self.articles, self.passages, self.problems, self.files = [], [], [], {}
        self._parts = []         # per passage run: ("reuse", row ids) or ("new", start in self._texts)
        self._texts = []
        self._sentences = []     # per new passage: its sentence spans in the passage text
        self._shifts = []        # where the passage text starts in the embedded text (after the title)
        self.embedded = 0
        self.loaded_embedder = None  # the torch model, if this build needed it
        self._rows_by_file = _rows_by_file(previous) if previous else {}
        self._chunker = None

    def add_file(self, source) -> None:
        old = self.previous.manifest["files"].get(source.key) if self.previous else None
        try:
            digest = file_digest(source.path) if old else None
        except OSError:
            digest = None  # read_file reports the reason
        if old and digest == old["sha256"]:
            return self._reuse(source.key, old)
        result = read_file(source)
        self.problems.extend(result.problems)
        if not result.articles:
            return
        first = len(self.passages)
        for article in result.articles:
            self.articles.append(article)
            self._chunk(article)
        self.files[source.key] = {"sha256": result.sha256, "articles": len(result.articles),
                                  "passages": len(self.passages) - first,
                                  "problems": [asdict(p) for p in result.problems]}

    def _reuse(self, key: str, old: dict) -> None:
        rows = self._rows_by_file.get(key, [])
        ids = dict.fromkeys(self.previous.passages[r].article_id for r in rows)
        self.articles.extend(self.previous.articles[a] for a in ids)
        self.passages.extend(self.previous.passages[r] for r in rows)
        self.problems.extend(Problem(**p) for p in old.get("problems", []))
        self._parts.append(("reuse", rows))
        self.files[key] = old

    def _chunk(self, article) -> None:
        if self._chunker is None:
            self._tok = load_tokenizer(self.config.model_name)
            self._chunker = Chunker(self._tok, self.config.max_passage_tokens, self.config.overlap_sentences)
        title = self._title_prefix(article.title) if self.config.prepend_title else ""
        budget = self.config.model_max_tokens - 2 - (self._chunker.count([title])[0] if title else 0)
        spans = self._chunker.chunk(article.text, budget)
        self._parts.append(("new", len(self._texts), len(spans)))
        for span in spans:
            self.passages.append(storage.Passage(article.id, span.start, span.end))
            body = article.text[span.start:span.end]
            self._texts.append(f"{title}\n\n{body}" if title else body)
            self._sentences.append(split_sentences(body))
            self._shifts.append(len(title) + 2 if title else 0)

    def _title_prefix(self, title: str) -> str:
        enc = self._tok.encode(title, add_special_tokens=False)
        if len(enc.ids) <= self.config.max_title_tokens:
            return title
        return title[:enc.offsets[self.config.max_title_tokens - 1][1]]

    def embed(self, progress) -> tuple[np.ndarray, SentenceTable]:
        """All rows' passage vectors and sentence table: new rows embedded, the rest reused."""
        new, new_sentences = np.zeros((0, 0), dtype=np.float32), None
        if self._texts:
            embedder = self._embedder or _embedder_for(self.config, len(self._texts))
            self.loaded_embedder = embedder
            done = [0]

            def step(n):
                done[0] += n
                progress("embedding", done[0], len(self._texts))
                checkpoint("embedding")
            progress("embedding", 0, len(self._texts))
            shifted = [[(a + d, b + d) for a, b in spans] for spans, d in zip(self._sentences, self._shifts)]
            new, vectors = encode_passages(embedder, self._texts, shifted, self.config.batch_size, step)
            new_sentences = SentenceTable.build(self._sentences, vectors)
            self.embedded = len(self._texts)
        reuse = self.previous and any(p[0] == "reuse" for p in self._parts)
        old = self.previous.store.vectors() if reuse else None
        pieces = [old[p[1]] if p[0] == "reuse" else new[p[1]:p[1] + p[2]] for p in self._parts]
        tables = [self._old_sentences(p[1]) if p[0] == "reuse" else new_sentences.take(range(p[1], p[1] + p[2]))
                  for p in self._parts]
        pieces = [p for p in pieces if len(p)]
        vectors = np.concatenate(pieces) if pieces else np.zeros((0, 384), dtype=np.float32)
        return vectors, SentenceTable.concat(tables)

    def _old_sentences(self, rows) -> SentenceTable:
        if self.previous.sentences is None:  # cannot happen for a loaded v3 index; kept explicit
            raise storage.IndexDamaged(self.previous.path.parent, "no sentence vectors")
        return self.previous.sentences.take(rows)


def _embedder_for(config: IndexConfig, passages: int):
    """The torch model; for a small job (e.g. one added article) the exported ONNX copy of it when a
    build has made one: same vectors (cosine > 0.999, checked at export), without the seconds of
    importing torch and loading the model."""
    if passages <= SMALL_JOB:
        from index.onnx_query import OnnxQueryEncoder
        onnx = OnnxQueryEncoder.open(resolve_cache_dir(), config.model_name, threads=2)
        if onnx is not None:
            return onnx
    return Embedder(config.model_name, config.precision)


def _lexical(plan):
    from index.lexical import Lexical, passage_texts
    return Lexical.build(passage_texts({a.id: a for a in plan.articles}, plan.passages))


def _export_query_model(embedder) -> None:
    """While the torch model is loaded anyway, export it once for the torch-free query path."""
    if embedder is None or not hasattr(embedder, "model"):  # nothing loaded, or a test double
        return
    from index.onnx_query import export
    try:
        export(embedder, resolve_cache_dir())
    except Exception:  # an optimisation only: queries fall back to torch
        pass


def _rows_by_file(previous) -> dict:
    rows = {}
    for i, p in enumerate(previous.passages):
        rows.setdefault(previous.articles[p.article_id].file, []).append(i)
    return rows


def _manifest(config, dim, plan, summary, seconds, store_kind) -> dict:
    return {
        "config": config.to_dict(),
        "model": {"name": config.model_name, "dim": dim},
        "store": store_kind,
        "files": plan.files,
        "counts": {"files": summary.files, "articles": summary.articles, "passages": summary.passages},
        "built_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "build_seconds": round(seconds, 3),
        "mode": summary.mode,
        "report": {"problems": [asdict(p) for p in summary.problems], "note": summary.note},
    }
