"""Durable, all-or-nothing writes: a file's bytes and a folder's entries on disk before the next step relies on
them, and a file written whole or not at all (write_atomic: fetched pages, uploads).

A generation is written under a temporary name, every file and folder fsynced, then renamed and
pointed at (index/storage.py): after a crash the old generation or the complete new one is live.

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> fsync_write(folder / "a.txt", b"abc"); fsync_dir(folder)
>>> sha256_file(folder / "a.txt")[:12]
'ba7816bf8f01'
"""
from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path


def fsync_write(path: Path, data: bytes) -> None:
    with open(path, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())


def fsync_dir(path: Path) -> None:
    """A read-only open + fsync: makes a folder's entries (or a file's data) durable."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def write_atomic(path: Path, data: bytes, prefix: str = ".fetch-") -> None:
    """Write ``data`` to ``path`` whole or not at all; no temporary file is left if the write fails.

    >>> import tempfile; p = Path(tempfile.mkdtemp()) / "a" / "x.txt"; write_atomic(p, b"hi"); p.read_bytes()
    b'hi'
    """
    # A watcher or a build must never read half a file: write beside it (hidden, .part), then rename.
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=prefix, suffix=".part")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
