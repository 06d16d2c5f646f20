"""python -m index build PATH [--full] [--wait SECONDS] [--model M] [--index DIR] | python -m index info [--index DIR]
python -m index adapt [FOLDER] [--out DIR] (index/adapt.py)

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
    b.add_argument("path", help="folder (read recursively) or single file: .txt .md .html .json .jsonl .csv")
    b.add_argument("--full", action="store_true", help="re-embed everything instead of only new or changed files")
    b.add_argument("--quiet", action="store_true", help="no progress bar")
    b.add_argument("--wait", type=_seconds, default=0, metavar="SECONDS",
                   help="if another build is running on this index, wait up to SECONDS for it (default: refuse at once)")
    b.add_argument("--model", metavar="M", help="embed with this model: the packaged all-MiniLM-L6-v2 or the "
                   "absolute path of a folder made by `adapt` (default: the index's model; a change re-embeds all)")
    a = sub.add_parser("adapt", help="fine-tune the encoder on a folder's own titles and passages (no labels)")
    a.add_argument("path", nargs="?", help="folder or file of news texts (default: $NEWS_CORPUS_DIR or corpus/)")
    a.add_argument("--out", metavar="DIR", help="model folder to write (default: NEWS_CACHE_DIR/adapted-model)")
    a.add_argument("--pairs", type=int, default=1000, help="articles to train on, one passage each (default 1000)")
    a.add_argument("--epochs", type=float, default=1.0, help="passes over the pairs (default 1)")
    a.add_argument("--max-steps", type=int, default=-1, help="stop after this many batches (default: no limit)")
    i = sub.add_parser("info", help="show what the index holds and its build report")
    for s in (b, i):
        s.add_argument("--index", metavar="DIR",
                       help=f"index folder (default: ${INDEX_DIR_ENV} or {DEFAULT_INDEX_DIR})")
    return p


def _tqdm_progress(quiet: bool):
    bars = {}

    def progress(stage, done, total):
        if quiet:
            return
        if stage not in bars:
            from tqdm import tqdm
            for bar in bars.values():
                bar.close()
            bars[stage] = tqdm(total=total, desc=stage, unit=" passages" if stage == "embedding" else " files",
                               file=sys.stderr, dynamic_ncols=True)
        bars[stage].update(done - bars[stage].n)
        if done >= total:
            bars[stage].close()
    progress.close = lambda: [bar.close() for bar in bars.values()]
    return progress


def _build(args) -> int:
    from index.build import BuildBusy, build
    progress = _tqdm_progress(args.quiet)
    try:
        config = _config(args.index, args.model) if args.model else None
        summary = build(args.path, args.index, full=args.full, progress=progress, lock_timeout=args.wait,
                        config=config)
    except BuildBusy as e:
        waited = f" (waited {args.wait:g}s)" if args.wait else ""
        raise BuildBusy(f"{e}{waited}, or pass --wait SECONDS to wait for it") from None
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

    from index.config import IndexConfig, resolve_index_dir
    from index.storage import IndexDamaged, IndexMissing, read_manifest
    try:
        config = IndexConfig.from_dict(read_manifest(resolve_index_dir(index_dir))["config"])
    except (IndexMissing, IndexDamaged, KeyError):
        config = IndexConfig()
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
    from index.storage import read_manifest
    manifest = read_manifest(resolve_index_dir(args.index))
    c = manifest["counts"]
    print(f"{c['articles']} articles, {c['passages']} passages from {c['files']} files; "
          f"model {manifest['model']['name']}; built {manifest['built_at']} ({manifest['mode']})")
    for p in manifest["report"]["problems"]:
        print(f"  {p['file']}: {p['kind']}: {p['reason']}")
    return 0


def main(argv=None) -> int:
    args = _parser().parse_args(argv)
    from corpus.errors import NewsError
    try:
        return {"build": _build, "info": _info, "adapt": _adapt}[args.command](args)
    except NewsError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
