"""Adding coverage to the corpus folder from the page: pasted links are fetched, uploaded files saved.

Plain functions, so the page's "Add coverage" box only lays out widgets. Uploaded files land in
``<corpus>/added/`` under their own (cleaned) name; a file of a type the readers do not know is refused
with the list of those they do. Links go through ``index.fetch`` (pages, and feeds with their entries'
pages). The caller then runs the usual incremental build.

>>> links_in("see https://g.example/a, and\\nhttps://g.example/b https://g.example/a ftp://x")
['https://g.example/a', 'https://g.example/b']
>>> safe_name("../../etc/Passwörd report (final).HTML")
'Passw-rd-report-final.html'
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from corpus import SUPPORTED
from index.atomic import write_atomic
from index.fetch import fetch

UPLOADS = "added"
_LINK = re.compile(r"https?://[^\s<>\"']+")


@dataclass(frozen=True)
class Added:
    saved: list[str] = field(default_factory=list)    # what landed in the folder (paths relative to it)
    failed: list[str] = field(default_factory=list)   # one line each: what and why

    def lines(self) -> list[str]:
        return [f"added {s}" for s in self.saved] + [f"not added: {f}" for f in self.failed]


def links_in(text: str) -> list[str]:
    """The http(s) links in pasted text, in order, each once (trailing punctuation dropped, but not a
    bracket the link opened itself).

    >>> links_in("See https://en.wikipedia.org/wiki/Lahaina_(town). And (https://a.example/x), too.")
    ['https://en.wikipedia.org/wiki/Lahaina_(town)', 'https://a.example/x']
    """
    return list(dict.fromkeys(_trim(m) for m in _LINK.findall(text or "")))


def _trim(link: str) -> str:
    while link and link[-1] in ".,;:)]}":
        closing = link[-1]
        opening = {")": "(", "]": "[", "}": "{"}.get(closing)
        if opening and link.count(opening) >= link.count(closing):
            break
        link = link[:-1]
    return link


def safe_name(name: str) -> str:
    """A file name that stays inside the folder: no path, no hidden dot, plain characters."""
    stem, dot, suffix = Path(name.replace("\\", "/")).name.rpartition(".")
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", stem if dot else suffix).strip("-") or "upload"
    return f"{stem}.{suffix.lower()}" if dot else stem


def save_upload(name: str, data: bytes, folder) -> str:
    """Save one uploaded file under ``folder/added/``; returns its path relative to ``folder``.
    Raises ValueError (the message says why) for a type the readers do not know or an empty file."""
    clean = safe_name(name)
    suffix = Path(clean).suffix
    if suffix not in SUPPORTED:
        raise ValueError(f"{name}: not a type this tool reads; give one of {', '.join(SUPPORTED)}")
    if not data:
        raise ValueError(f"{name}: the file is empty")
    target = Path(folder) / UPLOADS / clean
    n = 1
    while target.exists() and target.read_bytes() != data:  # never overwrite a different file of that name
        n += 1
        target = target.with_name(f"{Path(clean).stem}-{n}{suffix}")
    write_atomic(target, data, prefix=".upload-")  # a watcher or build never sees half a file
    return target.relative_to(folder).as_posix()


def add_coverage(text: str, uploads, folder, fetcher=fetch) -> Added:
    """Fetch the links in ``text`` and save ``uploads`` ((name, bytes) pairs) into ``folder``."""
    folder, added = Path(folder), Added()
    for name, data in uploads:
        try:
            added.saved.append(save_upload(name, data, folder))
        except (ValueError, OSError) as e:
            added.failed.append(str(e))
    links = links_in(text)
    if links:
        for result in fetcher(links, folder):
            if result.error:
                added.failed.append(str(result))
            else:
                added.saved.append(result.path.relative_to(folder).as_posix())
    if not links and (text or "").strip():
        added.failed.append("no http(s) links in the text; paste addresses starting with https://")
    return added
