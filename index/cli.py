"""What the command lines share: a progress bar per stage on stderr, and a pipe closed early.

`python -m index info | head -1` or `python -m search Q | head` close stdout before the command ends;
that is the reader's choice, not an error.
"""
from __future__ import annotations

import sys


def tqdm_progress(quiet: bool):
    """progress(stage, done, total) drawing one tqdm bar per stage (tqdm imported at the first call)."""
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


def run_piped(main) -> int:
    """main()'s exit code; 0 when the reader closed the pipe early."""
    try:
        return main()
    except BrokenPipeError:
        import os
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error at exit
        return 0
