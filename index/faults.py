"""Named crash points for the reliability tests: kill -9 this process at a chosen point.

`checkpoint(name)` costs one string comparison unless the environment variable
NEWS_FAULT_AT names that point when the process starts; then the process kills
itself with SIGKILL there, exactly as a power cut or the OOM killer would
(no cleanup, no `finally`, no flush). tests/crash_build.py runs a build that
way, and tests/test_reliability_crash.py checks what the crash left behind.

    $ NEWS_FAULT_AT=renamed python -m tests.crash_build CORPUS INDEX   # dies after the rename
    >>> checkpoint("no-such-point")                                    # nothing happens
"""
from __future__ import annotations

import os
import signal

FAULT_ENV = "NEWS_FAULT_AT"
_AT = os.environ.get(FAULT_ENV) or None  # read once: a build never changes it
POINTS = (  # in the order a build passes them
    "locked", "reading", "embedding", "embedded", "tmp-created", "vectors-written", "passages-written",
    "articles-written", "manifest-written", "renamed", "alias-switched", "current-tmp-written", "switched", "cleanup")


def checkpoint(name: str) -> None:
    """Die here, by SIGKILL, if NEWS_FAULT_AT == name."""
    if _AT is not None and _AT == name:
        os.kill(os.getpid(), signal.SIGKILL)


ONCE_ENV = "NEWS_FAULT_ONCE"  # a file path: the first process to reach `die_once()` creates it and dies


def die_once() -> None:
    """SIGKILL this process the first time any process gets here with NEWS_FAULT_ONCE set (a worker
    that dies once, for the retry tests: tests/test_scale_ray.py)."""
    path = os.environ.get(ONCE_ENV)
    if not path:
        return
    try:
        os.close(os.open(path, os.O_CREAT | os.O_EXCL))
    except FileExistsError:
        return
    os.kill(os.getpid(), signal.SIGKILL)
