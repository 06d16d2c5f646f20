"""What a build reports: its summary line, and the errors a user fixes (nothing to index, a build busy).

>>> print(NothingIndexed("news/", (), found=0))  # doctest: +ELLIPSIS
nothing could be indexed from news/: no news texts found there (accepted: ...); point to a folder of news texts
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from corpus import SUPPORTED, NewsError, Problem
from corpus.records import SKIPPED


class NothingIndexed(NewsError):
    """No passage from ``path``: the ``found`` files the readers take all skipped, or none found. The message
    gives the first reasons; ``listed()`` is the error for a caller that printed every one (``problems``)."""

    def __init__(self, path, problems: tuple, found: int = 1, listed: bool = False):
        self.path, self.problems, self.found = path, problems, found
        n = len({p.file for p in problems})  # files, not reasons: one file may have two
        some = "" if listed or not problems else \
            f" ({'; '.join(str(p) for p in problems[:3])}{f'; … {len(problems) - 3} more' * (len(problems) > 3)})"
        skipped = f"{count(n, 'file')} skipped{' (listed above)' * listed}{some}"
        if found:
            super().__init__(f"nothing could be indexed from {path}: {skipped}; fix {'them' if n != 1 else 'it'} "
                             "or point to another folder")
        else:  # an empty folder, or the wrong one: "0 files skipped; fix them" would say neither
            super().__init__(f"nothing could be indexed from {path}: no news texts found there (accepted: "
                             f"{' '.join(SUPPORTED)}){f'; {skipped}' * bool(n)}; point to a folder of news texts")

    def listed(self) -> NothingIndexed:
        return NothingIndexed(self.path, self.problems, self.found, listed=True)


def count(n: int, thing: str) -> str:
    return f"{n} {thing}{'s' * (n != 1)}"


class BuildBusy(NewsError):
    pass


class OtherSource(NewsError):
    """An incremental build from another path than the index was built from, which would drop files:
    the index mirrors the path it is built from, so `build one.txt` would leave one article."""

    def __init__(self, index_dir, built_from: str, path, dropped: int, kept: int):
        self.built_from, self.path, self.dropped = built_from, path, dropped
        super().__init__(f"{index_dir} was built from {built_from}; building {path} would drop "
                         f"{count(dropped, 'file')} of {dropped + kept}: put new texts in {built_from} and build "
                         f"that, or rebuild the index from {path} alone: python -m index build {path} --full")


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
        return (f"{self.mode} build: {count(self.articles, 'article')}, {count(self.passages, 'passage')} from "
                f"{count(self.files, 'file')} ({self.embedded} embedded, {count(self.removed_files, 'file')} "
                f"removed) in {self.seconds:.1f}s; "
                f"{skipped} skipped, {len(self.problems) - skipped} degraded -> {self.index_dir}")
