"""Find the news files under a path and read each into a FileResult.

One bad file never costs the others: every failure becomes a Problem on
that file's result, and the walk goes on.

>>> import pathlib, tempfile
>>> root = pathlib.Path(tempfile.mkdtemp())
>>> _ = (root / "a.txt").write_text("Date: 2023-06-01\\n\\nIt rained.")
>>> _ = (root / "photo.jpg").write_bytes(b"JFIF")
>>> files, problems = list_files(root)
>>> [f.key for f in files], [str(p) for p in problems]  # doctest: +ELLIPSIS
(['a.txt'], ["photo.jpg: skipped: unsupported file type '.jpg'; supported: ..."])
>>> read_file(files[0]).articles[0].title
'It rained.'
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path, PurePath
from typing import Iterator

from .charset import ESCAPED as _ESCAPED, decode_file
from .errors import CorpusNotFound
from .readers import BYTES_READERS, READERS
from .records import DEGRADED, SKIPPED, FileResult, Problem, SourceFile

SUPPORTED = tuple(sorted(READERS))
MAX_BYTES = 64 * 2**20
_BAD_NAME = "the name (of the file or a folder in its path) is not valid UTF-8: shown with each bad byte as \\xNN"
_IGNORED_DIRS = {"__pycache__"}
# The corpus folder doubles as the reader's Python package; writers and editors leave temporary files.
_IGNORED_SUFFIXES = {".py", ".pyc", ".part", ".tmp", ".swp", ".swo", ".crdownload"}


def ignored(parts) -> bool:
    """Whether list_files leaves out a path with these parts below the corpus folder (index/watch.py asks
    too): hidden names, __pycache__, Python files, temporary and backup files ("a.txt~", "#a.txt#").

    >>> ignored(("2024", "a.txt")), ignored((".git", "x.txt")), ignored(("__pycache__", "m.pyc")), ignored(("r.py",))
    (False, True, True, True)
    >>> ignored(("a.txt~",)), ignored(("#a.txt#",)), ignored(("b.html.part",))
    (True, True, True)
    """
    name = parts[-1] if parts else ""
    return any(p.startswith(".") or p in _IGNORED_DIRS for p in parts) or \
        Path(name).suffix.lower() in _IGNORED_SUFFIXES or name.endswith("~") or name.startswith("#")


def saved_pages(names) -> set[str]:
    """The resource folders of the pages among ``names``: a browser's "Save as… Web Page, complete" writes
    ``<name>.html`` and ``<name>_files/`` (its styles, scripts, images, and its ads' and comment widgets'
    frames as .html). That folder is part of the page, not coverage: list_files neither reads nor reports it.

    >>> sorted(saved_pages(["Rain - Daily.html", "b.HTM", "c.txt"]))
    ['Rain - Daily_files', 'b_files']
    """
    return {name[:-len(suffix)] + "_files" for name in names
            if (suffix := Path(name).suffix) and suffix.lower() in (".html", ".htm")}


def list_files(path, skip=None) -> tuple[list[SourceFile], list[Problem]]:
    """The readable files under ``path`` (sorted by key) and the ones that were skipped; the folder
    ``skip`` (an index kept inside its corpus folder) is left out unsaid."""
    root = Path(path)
    skip = os.path.realpath(skip) if skip is not None else None
    if not root.exists():
        raise CorpusNotFound(path)
    if not root.is_dir():
        return _classify(safe_name(root.name), root.absolute())
    files: list[SourceFile] = []
    problems: list[Problem] = []
    seen = {os.path.realpath(root)}
    for folder, dirs, names in os.walk(root, followlinks=True,
                                       onerror=lambda e: problems.append(_walk_error(root, e))):
        kept, pages = [], saved_pages(names)
        # Real folders claim their place before links to them, so keys follow the real layout.
        for d in sorted(dirs, key=lambda d: (os.path.islink(os.path.join(folder, d)), d)):
            full = os.path.join(folder, d)
            real = os.path.realpath(full)
            if ignored((d,)) or real == skip or d in pages:
                continue
            if real in seen:  # a link back up (a loop) or a second link to one folder
                problems.append(Problem(_key(root, full), SKIPPED, "symlink to a folder already read "
                                        f"({real}); skipped to avoid a loop or reading it twice"))
                continue
            seen.add(real)
            kept.append(d)
        dirs[:] = sorted(kept)  # os.walk descends only into what is left here, in this order
        for name in sorted(names):
            if not ignored((name,)):  # Python and temporary files: left out in _classify for a single file too
                more_files, more_problems = _classify(_key(root, os.path.join(folder, name)),
                                                      Path(folder, name).absolute())
                files += more_files
                problems += more_problems
    files, clashes = _one_per_key(files)
    return files, sorted(problems + clashes, key=lambda p: p.file)


def _one_per_key(files: list[SourceFile]) -> tuple[list[SourceFile], list[Problem]]:
    """Sorted by key, one file per key: a name that is not UTF-8, escaped by safe_name, may spell
    another file's real name ("a\\xff.txt"); the real name keeps its key, the other file is skipped."""
    kept: dict[str, SourceFile] = {}
    for f in sorted(files, key=lambda f: (f.key, _bad_name(f))):  # real names first
        kept.setdefault(f.key, f)
    return list(kept.values()), [Problem(f.key, SKIPPED, f"{_BAD_NAME}, which makes it another file's name; "
                                         "rename it with UTF-8 characters") for f in files if kept[f.key] is not f]


def _bad_name(source: SourceFile) -> bool:  # in the part of the path the key stands for, not the root's
    parts = source.path.replace(os.sep, "/").split("/")
    return bool(_ESCAPED.search("/".join(parts[-(source.key.count("/") + 1):])))


def _classify(key: str, path: Path) -> tuple[list[SourceFile], list[Problem]]:
    suffix = path.suffix.lower()
    if ignored((path.name.lstrip("."),)):   # a hidden name: for the walk to leave out, or to read if given
        return [], []
    if not path.exists():  # os.path.exists follows links: false for broken ones and loops
        return [], [Problem(key, SKIPPED, "broken symlink or symlink loop; fix or remove the link")]
    if not path.is_file():  # a FIFO would block the read forever; a device may never end
        return [], [Problem(key, SKIPPED, "not a regular file (a pipe, socket or device); replace it with a file")]
    if suffix not in READERS:
        kind = f"'{suffix}'" if suffix else "without extension"
        return [], [Problem(key, SKIPPED, f"unsupported file type {kind}; supported: {', '.join(SUPPORTED)}")]
    return [SourceFile(key=key, path=str(path))], []


def _key(root: Path, full: str) -> str:
    return safe_name(PurePath(os.path.relpath(full, root)).as_posix())


def safe_name(name: str) -> str:
    """A name as a key that can be written as UTF-8: os gives each byte of a name that is not UTF-8 as
    a lone surrogate (the index write would fail on it, after all the embedding); it becomes ``\\xNN``.

    >>> print(safe_name("bad\\udcffname.txt"), safe_name("caf\\u00e9.txt"))
    bad\\xffname.txt café.txt
    """
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace") \
        if _ESCAPED.search(name) else name


def _walk_error(root: Path, error: OSError) -> Problem:
    key = _key(root, error.filename) if error.filename else "."
    return Problem(key, SKIPPED, f"cannot read folder: {error.strerror or error}")


def file_digest(path) -> str:
    """sha256 hex of the file's bytes, read in chunks so large files need little memory."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(2**20):
            digest.update(chunk)
    return digest.hexdigest()


def read_file(source: SourceFile, max_bytes: int = MAX_BYTES) -> FileResult:
    """Read one file with its format's reader; never raises for a bad file."""
    try:
        with open(source.path, "rb") as f:
            size = os.fstat(f.fileno()).st_size
            # A file known to be too large is not read at all; one byte more catches one that grew.
            data = f.read(max_bytes + 1) if size <= max_bytes else None
    except OSError as e:
        return _skipped(source, "", f"cannot read file: {e.strerror or e}")
    if data is None or len(data) > max_bytes:
        return _skipped(source, "", f"file too large ({size:,} bytes; limit {max_bytes:,}); "
                        "split it into smaller files")
    sha = hashlib.sha256(data).hexdigest()
    if not data:
        return _skipped(source, sha, "empty file; save the article's text in it, or remove it")
    suffix = Path(source.key).suffix.lower()
    text, decode_problems = (data, []) if suffix == ".pdf" else decode_file(source, data, suffix in BYTES_READERS)
    if text is None:
        return _skipped(source, sha, "binary file, not text; save the article as UTF-8 text (UTF-16 needs its "
                        "byte-order mark)")
    try:
        articles, problems = READERS[suffix](text, source)
    except Exception as e:  # a reader bug must not cost the other files
        return _skipped(source, sha, f"reader failed: {type(e).__name__}: {e}")
    if not articles and not problems:  # e.g. a CSV with only a header, a JSON []: never silently nothing
        problems = [Problem(source.key, SKIPPED, "no articles found in the file; check its format")]
    if _bad_name(source):
        decode_problems.insert(0, Problem(source.key, DEGRADED, f"{_BAD_NAME}; rename it with UTF-8 characters"))
    return FileResult(source, sha, tuple(articles), tuple(decode_problems + problems))


def _skipped(source: SourceFile, sha: str, reason: str) -> FileResult:
    return FileResult(source, sha, (), (Problem(source.key, SKIPPED, reason),))


def read_path(path) -> Iterator[FileResult]:
    """Every file under ``path`` as a FileResult; listing problems come first, without articles."""
    files, problems = list_files(path)
    base = Path(path).absolute()
    for problem in problems:
        where = base / problem.file if base.is_dir() else base
        yield FileResult(SourceFile(problem.file, str(where)), "", (), (problem,))
    for source in files:
        yield read_file(source)
