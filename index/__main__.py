"""python -m index build PATH [--full] [--wait SECONDS] [--model M] [--index DIR] [--milvus URI [--collection NAME]]
   [--ray local|auto|ADDRESS [--ray-workers N]] | info | fetch URL... | watch [FOLDER] | adapt [FOLDER] [--out DIR]

Imports nothing heavy until a command runs, so --help answers at once.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from index.config import DEFAULT_INDEX_DIR, INDEX_DIR_ENV


def _seconds(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1
    if not seconds >= 0:  # also refuses nan; filelock waits forever on a negative timeout
        raise argparse.ArgumentTypeError(f"not a number of seconds: {value!r} (write e.g. 60)")
    return seconds


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m index", description="Build and inspect the news search index.")
    sub = p.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="index a folder or file of news texts (incremental by default)")
    b.add_argument("path", help="folder (read recursively) or single file: "
                                ".txt .md .html .json .jsonl .csv .xml/.rss/.atom .pdf")
    b.add_argument("--full", action="store_true", help="re-embed everything instead of only new or changed files")
    b.add_argument("--quiet", action="store_true", help="no progress bar")
    b.add_argument("--milvus", metavar="URI", help="keep the vectors in Milvus: a Milvus Lite path (*.db) or "
                   "http(s)://host:port (default: $NEWS_MILVUS_URI, else where the live index keeps them, else FAISS "
                   "files; token: $NEWS_MILVUS_TOKEN; needs requirements-scale.txt)")
    b.add_argument("--collection", metavar="NAME", help="Milvus alias of the live collection (default: news)")
    b.add_argument("--ray", metavar="local|auto|ADDRESS", help="embed on Ray: started here (local), or the "
                   "cluster at auto / ADDRESS (needs requirements-scale.txt)")
    b.add_argument("--ray-workers", type=int, metavar="N", help="embedding actors on Ray (default: one per CPU)")
    b.add_argument("--model", metavar="M", help="embed with this model: the packaged all-MiniLM-L6-v2 or the "
                   "absolute path of a folder made by `adapt` (default: the index's model; a change re-embeds all)")
    a = sub.add_parser("adapt", help="fine-tune the encoder on a folder's own titles and passages (no labels)")
    a.add_argument("path", nargs="?", help="folder or file of news texts (default: $NEWS_CORPUS_DIR or corpus/)")
    a.add_argument("--out", metavar="DIR", help="model folder to write (default: NEWS_CACHE_DIR/adapted-model)")
    a.add_argument("--pairs", type=int, default=1000, help="articles to train on, one passage each (default 1000)")
    a.add_argument("--epochs", type=float, default=1.0, help="passes over the pairs (default 1)")
    a.add_argument("--max-steps", type=int, default=-1, help="stop after this many batches (default: no limit)")
    i = sub.add_parser("info", help="show what the index holds and its build report")
    f = sub.add_parser("fetch", help="save pages and feeds from the web into the corpus folder, then build")
    f.add_argument("urls", nargs="+", metavar="URL", help="page or RSS/Atom feed addresses")
    f.add_argument("--into", metavar="FOLDER", help="corpus folder to save into (default: $NEWS_CORPUS_DIR or corpus/)")
    f.add_argument("--limit", type=_not_negative, default=20, metavar="N", help="pages fetched per feed (default 20)")
    w = sub.add_parser("watch", help="index a folder now and again whenever files in it change (Ctrl-C stops)")
    w.add_argument("folder", nargs="?", help="folder to watch (default: $NEWS_CORPUS_DIR or corpus/)")
    f.add_argument("--quiet", action="store_true", help="no progress bar")
    for s in (b, f):   # fetch ends with a build, so it waits (or not) for another one the same way
        s.add_argument("--wait", type=_seconds, default=0, metavar="SECONDS",
                       help="if another build is running on this index, wait up to SECONDS for it (default: refuse "
                            "at once)")
    for s in (b, i, f, w):
        s.add_argument("--index", metavar="DIR",
                       help=f"index folder (default: ${INDEX_DIR_ENV} or {DEFAULT_INDEX_DIR})")
    return p


def _build(args) -> int:
    from index.build import BuildBusy, NothingIndexed, build
    from index.cli import tqdm_progress
    progress = tqdm_progress(args.quiet)
    try:
        embedder, scale = None, {k: getattr(args, k, None) for k in ("ray", "ray_workers", "milvus", "collection")}
        if scale["ray"]:  # `fetch` builds too, without these options
            from index.ray_embed import RayEmbedder
            embedder = RayEmbedder(scale["ray"], scale["ray_workers"])
        model = getattr(args, "model", None)
        config = _config(args.index, model) if model else None
        summary = build(args.path, args.index, full=args.full, progress=progress, lock_timeout=args.wait,
                        embedder=embedder, milvus=scale["milvus"], collection=scale["collection"], config=config)
    except BuildBusy as e:
        waited = f" (waited {args.wait:g}s)" if args.wait else ""
        raise BuildBusy(f"{e}{waited}, or pass --wait SECONDS to wait for it") from None
    except NothingIndexed as e:
        progress.close()
        for problem in e.problems:   # each file's reason once, then the one-line error without them
            print(f"  {problem}", file=sys.stderr)
        raise e.listed() from None
    finally:
        progress.close()
    for problem in summary.problems:
        print(f"  {problem}", file=sys.stderr)
    if summary.note:
        print(f"note: {summary.note}", file=sys.stderr)
    print(summary.line())
    return 0


def _config(index_dir, model: str):
    """The live index's settings (or the defaults) with another model; a packaged name or a folder."""
    import os
    from dataclasses import replace

    from index.manifest import live_config
    from index.config import IndexConfig, resolve_index_dir
    config = live_config(resolve_index_dir(index_dir))
    name = model if model == IndexConfig.model_name else os.path.abspath(os.path.expanduser(model))
    return replace(config, model_name=name)


def _adapt(args) -> int:
    from index.adapt import adapt
    from index.config import resolve_cache_dir, resolve_corpus_dir
    out = args.out or resolve_cache_dir() / "adapted-model"
    summary = adapt(resolve_corpus_dir(args.path), out, limit=args.pairs, epochs=args.epochs,
                    max_steps=args.max_steps)
    print(f"adapted model in {out}: {summary['pairs']} pairs, {summary['steps']} steps, {summary['minutes']} min, "
          f"cosine drift on unrelated text {summary['drift_cosine_mean']} (min {summary['drift_cosine_min']}); "
          f"use it with: python -m index build FOLDER --model {Path(out).resolve()}")
    return 0


def _info(args) -> int:
    from index.config import resolve_index_dir
    from index.outcome import count
    from index.manifest import checked_manifest
    from index.stories import described
    # Every file's size and checksum checked (not the tables loaded): a damaged index is said, not summed up.
    index_dir = resolve_index_dir(args.index)
    manifest = checked_manifest(index_dir)
    c = manifest["counts"]
    print(f"{count(c['articles'], 'article')}, {count(c['passages'], 'passage')} from {count(c['files'], 'file')}; "
          f"model {manifest['model']['name']}; built {manifest['built_at']} ({manifest['mode']})")
    print(f"built from {manifest['source']}" if "source" in manifest else "built from: not recorded (an earlier "
          "version built it; the next build records it)")
    print(described(index_dir, manifest))
    if manifest.get("store") == "milvus":
        m = manifest["milvus"]
        print(f"vectors in Milvus at {m['uri']}: collection {m['collection']} (alias {m['alias']})")
    for p in manifest["report"]["problems"]:
        print(f"  {p['file']}: {p['kind']}: {p['reason']}")
    return 0


def _fetch(args) -> int:
    from index.config import resolve_corpus_dir
    from index.fetch import fetch
    into = resolve_corpus_dir(args.into)
    results = fetch(args.urls, into, limit=args.limit,
                    report=lambda r: print(f"  {'failed: ' if r.error else 'saved: '}{r}", file=sys.stderr))
    failed = sum(bool(r.error) for r in results)
    print(f"fetched {len(results) - failed} of {len(results)} URL(s) into {into}", file=sys.stderr)
    if failed == len(results):
        return 1
    from index.build import built_from
    source = built_from(args.index)   # pages saved inside the folder the index mirrors: build that folder
    inside = source is not None and source.is_dir() and Path(into).absolute().is_relative_to(source)
    args.path, args.full = (source if inside else into), False
    return _build(args)


def _not_negative(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 0, not {text!r}")
    return int(text)


def _watch(args) -> int:
    from index.config import resolve_corpus_dir
    from index.watch import watch
    try:
        watch(resolve_corpus_dir(args.folder), args.index, report=lambda line: print(line, flush=True))
    except KeyboardInterrupt:
        print("stopped watching", flush=True)
    return 0


def main(argv=None) -> int:
    args = _parser().parse_args(argv)
    from corpus.errors import NewsError
    try:
        return {"build": _build, "info": _info, "fetch": _fetch, "watch": _watch, "adapt": _adapt}[args.command](args)
    except NewsError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    except OSError as e:   # a path that is a file where a folder is needed, unwritable, ...
        if isinstance(e, BrokenPipeError):   # `info | head`: the reader is done (index/cli.py)
            raise
        print(f"error: cannot use {e.filename or 'a path'}: {e.strerror or e}; check that it is a folder "
              "you can write to, or give another (--index / --into / the corpus folder)", file=sys.stderr)
        return 1


if __name__ == "__main__":
    from index.cli import run_piped
    sys.exit(run_piped(main))
