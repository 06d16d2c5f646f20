"""Reading a folder of news texts into Articles, with a Problem for everything lost.

>>> import corpus
>>> for result in corpus.read_path("corpus/texts"):          # doctest: +SKIP
...     print(result.source.key, len(result.articles), result.problems)
2026-03-05-anthropic-pentagon-talks.txt 1 ()
"""
from .dates import parse_date
from .errors import CorpusNotFound, NewsError
from .folder import SUPPORTED, file_digest, list_files, read_file, read_path
from .records import DEGRADED, SKIPPED, Article, FileResult, Problem, SourceFile

__all__ = [
    "Article", "CorpusNotFound", "DEGRADED", "FileResult", "NewsError", "Problem", "SKIPPED",
    "SUPPORTED", "SourceFile", "file_digest", "list_files", "parse_date", "read_file", "read_path",
]
