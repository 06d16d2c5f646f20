"""Keep the index in step with a folder: ``python -m index watch [FOLDER]``, with watchfiles.

One incremental build at the start, then one per burst of changes: watchfiles gathers the files
added, changed or removed until the folder has been quiet for ``QUIET_MS`` (at most ``BURST_MS``), so
fifty files copied at once make one build. Changes made while a build runs are gathered for the next.
A build that fails is reported and watching goes on; Ctrl-C (KeyboardInterrupt) ends it, and the build
lock is released on the way out (``build`` holds it in a ``with``-like try/finally).

    >>> watch("corpus/", ".news-index", report=print)     # doctest: +SKIP
    watching corpus/ (Ctrl-C to stop)
    incremental build: 1 articles, 3 passages ...
"""
from __future__ import annotations

import os

from pathlib import Path

from corpus import NewsError
from corpus.errors import CorpusNotFound
from corpus.folder import ignored, saved_pages
from index.build import BuildBusy, OtherSource, build
from index.config import resolve_index_dir

QUIET_MS = 400    # a burst ends after this long without a new change
BURST_MS = 3000   # ... or after this long in all, so a steady trickle still gets indexed
TICK_MS = 1000    # the watcher wakes this often when nothing changes
RETRY_TICKS = 5   # while another build holds the index, a refused one is retried this many ticks apart


def watch(folder, index_dir=None, report=print, stop_event=None, build_kwargs=None) -> None:
    """Build now, then after every burst of changes under ``folder``, until Ctrl-C or ``stop_event``."""
    from watchfiles import watch as changes_of  # only for this command
    folder, index_dir = Path(folder), resolve_index_dir(index_dir)
    if not folder.is_dir():
        raise CorpusNotFound(folder)   # watchfiles' own error is a traceback
    kwargs = build_kwargs or {}
    batches = changes_of(folder, watch_filter=_Ignore(folder, index_dir), debounce=BURST_MS, step=QUIET_MS,
                         stop_event=stop_event, raise_interrupt=True, yield_on_timeout=True, rust_timeout=TICK_MS)
    next(batches, None)  # the watcher is live from here on: a file written during the first build is not missed
    told = set()   # problems the last build reported: said once, then counted
    pending = not _build_once(folder, index_dir, report, kwargs, told)
    report(f"watching {folder} (Ctrl-C to stop)")
    for tick, batch in enumerate(batches):
        if batch:  # empty: a quiet tick, which lets stop_event and Ctrl-C be seen
            report(f"{len(batch)} change(s): {_names(folder, batch)}")
        # A build refused while another ran is tried again every RETRY_TICKS (each try lists the folder).
        if batch or pending and tick % RETRY_TICKS == 0:
            pending = not _build_once(folder, index_dir, report, kwargs, told, quiet_busy=pending and not batch)


def _build_once(folder: Path, index_dir: Path, report, kwargs, told: set, quiet_busy: bool = False) -> bool:
    """False when another build holds the index (the page's Rebuild, fetch): the changes wait for it."""
    try:
        summary = build(folder, index_dir, **kwargs)
    except BuildBusy as e:
        if not quiet_busy:
            report(f"{e}; these changes are indexed when it ends")
        return False
    except OtherSource:   # every later change would be refused the same way: stop, saying what to do
        raise
    except NewsError as e:
        report(f"build failed: {e}; still watching")
        return True
    except Exception as e:  # a bug or a full disk must not end the watch; the next change retries
        report(f"build failed: {type(e).__name__}: {e}; still watching")
        return True
    for problem in summary.problems:   # each build reports every problem; a watch tells the new ones
        if str(problem) not in told:
            report(f"  {problem}")
    still = sum(str(p) in told for p in summary.problems)
    told.clear()
    told.update(str(p) for p in summary.problems)   # one fixed, then broken again, is told again
    report(summary.line() + (f" ({still} reported above still stand)" if still else ""))
    return True


class _Ignore:
    """Hidden files and folders (editors' swap files, our own partial downloads), Python files,
    and the index itself when it lives inside the watched folder. Only the parts below the watched
    folder count: a corpus under a hidden folder (``~/.news/corpus``) is still watched.

    >>> ignore = _Ignore(Path("/data/.news/corpus"), Path("/data/.news/corpus/idx"))
    >>> [ignore(None, p) for p in ("/data/.news/corpus/a.txt", "/data/.news/corpus/.a.swp",
    ...                             "/data/.news/corpus/idx/m.json", "/data/.news/corpus/idx2/b.txt")]
    [True, False, False, True]
    """

    def __init__(self, folder: Path, index_dir: Path):
        self.folder, self.index_dir = folder.resolve(), index_dir.resolve()

    def __call__(self, change, path: str) -> bool:
        p = Path(path).resolve()
        if p.is_relative_to(self.index_dir):  # by path parts: a sibling idx2/ is not the index idx/
            return False
        parts = p.relative_to(self.folder).parts if p.is_relative_to(self.folder) else p.parts
        return not ignored(parts) and not _page_resource(self.folder, parts)


def _page_resource(folder: Path, parts) -> bool:
    """Inside a browser's "Save as… complete" folder (<page>_files/ beside <page>.html): list_files reads
    none of it, so a change there starts no build."""
    for i, name in enumerate(parts[:-1]):
        try:
            if name.endswith("_files") and name in saved_pages(os.listdir(folder.joinpath(*parts[:i]))):
                return True
        except OSError:   # gone meanwhile: the build it starts will see
            return False
    return False


def _names(folder: Path, batch) -> str:
    names = sorted({Path(path).name for _, path in batch})
    return ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
