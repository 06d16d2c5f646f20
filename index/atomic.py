"""Durable writes: a file's bytes and a folder's entries on disk before the next step relies on them.

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
