"""Adding coverage to the corpus folder from the page: pasted links are fetched, uploaded files saved.

Plain functions, so the page's "Add coverage" box only lays out widgets. Uploaded files land in
``<corpus>/added/`` under their own (cleaned) name; a file of a type the readers do not know is refused
with the list of those they do. Links go through ``index.fetch`` (pages, and feeds with their entries'
pages); a pasted line that is no http(s) link is reported as the command reports one, never dropped.
The caller then runs the usual incremental build.

>>> links_in("see https://g.example/a, and\\nhttps://g.example/b https://g.example/a ftp://x")
['https://g.example/a', 'https://g.example/b']
>>> safe_name("../../etc/Passwörd report (final).HTML")
'Passwörd-report-final.html'
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from corpus import SUPPORTED
from index.atomic import write_atomic
from index.fetch import Fetched, fetch
from index.fetch_http import NOT_HTTP

UPLOADS = "added"
_LINK = re.compile(r"https?://[^\s<>\"']+")
# What a user meant as an address without an http(s) link: "www.x.org/story", "ftp://x", "x.org/a".
_ADDRESS = re.compile(r"\S+://\S+|www\.\S+|[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}/\S*", re.I)


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


MAX_STEM_BYTES = 150   # a saved name's stem, in UTF-8 bytes: room for "-N" and the suffix within 255


def safe_name(name: str) -> str:
    """A file name that stays inside the folder: no path, no hidden dot, letters (of any script), digits, - and _.

    >>> safe_name("../Пожар в Лахайне.TXT"), safe_name("東京 地震.md"), safe_name("?.txt"), safe_name("हिन्दी समाचार.txt")
    ('Пожар-в-Лахайне.txt', '東京-地震.md', 'upload.txt', 'हिन्दी-समाचार.txt')
    >>> len(safe_name("地" * 90 + ".txt").encode())   # names are at most 255 bytes on most file systems
    154
    """
    stem, dot, suffix = Path(unicodedata.normalize("NFC", name).replace("\\", "/")).name.rpartition(".")
    # Letters, marks (the vowel signs of Hindi, Arabic's), digits: anything else becomes "-".
    kept = "".join(c if unicodedata.category(c)[0] in "LMN" or c in "-_" else " " for c in (stem if dot else suffix))
    stem = "-".join(kept.split()).strip("-_") or "upload"
    while len(stem.encode("utf-8")) > MAX_STEM_BYTES:
        stem = stem[:-1]
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
    # Worded as `python -m index fetch` words them, and listed with the links that failed.
    added.failed.extend(str(Fetched(what, error=NOT_HTTP)) for what in not_links(text))
    links = links_in(text)
    if links:
        for result in fetcher(links, folder):
            if result.error:
                added.failed.append(str(result))
            elif not result.same_as:   # a redirect to a page saved already: listed once
                added.saved.append(result.path.relative_to(folder).as_posix())
    return added


def not_links(text: str) -> list[str]:
    """What pasted ``text`` holds besides http(s) links, so none of it vanishes unsaid: each non-empty line
    without a link, and on a line with links each other address-like word (prose around links is fine).

    >>> not_links("https://a.example/x\\n  not a link \\nsee www.b.example/y and https://c.example/z, ftp://d")
    ['not a link', 'www.b.example/y', 'ftp://d']
    """
    found = []
    for line in (text or "").splitlines():
        rest = _LINK.sub(" ", line)
        if rest == line:
            line = " ".join(line.split())  # a pasted paragraph is named by its start, not echoed whole
            found += [line if len(line) <= 80 else line[:79] + "…"] if line else []
        else:
            found += [_trim(m) for m in _ADDRESS.findall(rest)]
    return list(dict.fromkeys(found))
