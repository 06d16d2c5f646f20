"""Chunking, embedding and storing: turns a folder of news texts into an index on disk.

Entry points: `build(path, index_dir)` and `load(index_dir)`; `python -m index --help`.
Heavy modules (torch, faiss) load only when these are called.
"""
from index.config import IndexConfig, resolve_corpus_dir, resolve_index_dir


def build(*args, **kwargs):
    from index.build import build as _build
    return _build(*args, **kwargs)


def load(index_dir=None, verify: bool = True):
    from index.storage import load_generation
    return load_generation(resolve_index_dir(index_dir), verify)


__all__ = ["IndexConfig", "build", "load", "resolve_index_dir", "resolve_corpus_dir"]
