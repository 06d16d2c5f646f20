"""Records that come out of reading a corpus.

An ``Article`` is one news text with its metadata; a file yields zero or more
of them (a .jsonl file holds many). ``Problem`` says why a file was skipped
or read only in part; nothing is dropped silently.

>>> a = Article(id="a.txt", file="a.txt", text="Body.", title="Body.",
...             derived=("title",))
>>> a.date is None, a.is_derived("title")
(True, True)
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

SKIPPED = "skipped"    # nothing from the file is indexed
DEGRADED = "degraded"  # the file is indexed, but something in it was lost or guessed


@dataclass(frozen=True)
class Article:
    id: str                      # stable: file key, plus "#<n>" for records in multi-article files
    file: str                    # key of the source file: posix path relative to the corpus root
    text: str                    # the article body as stored; passage offsets index into it
    title: str = ""
    date: dt.date | None = None  # None = unknown ("undated"); never guessed
    source: str | None = None    # the outlet, e.g. "CNN"
    url: str | None = None
    author: str | None = None
    derived: tuple[str, ...] = ()  # names of fields derived rather than given (e.g. "title", "source")

    def is_derived(self, field: str) -> bool:
        return field in self.derived


@dataclass(frozen=True)
class Problem:
    file: str    # file key, as in Article.file
    kind: str    # SKIPPED or DEGRADED
    reason: str  # what went wrong and how to fix it, one line

    def __str__(self) -> str:
        return f"{self.file}: {self.kind}: {self.reason}"


@dataclass(frozen=True)
class SourceFile:
    key: str    # posix path relative to the corpus root (the file name for a single file)
    path: str   # absolute path on disk


@dataclass(frozen=True)
class FileResult:
    source: SourceFile
    sha256: str                       # of the raw bytes; "" when the file could not be read
    articles: tuple[Article, ...] = ()
    problems: tuple[Problem, ...] = ()
