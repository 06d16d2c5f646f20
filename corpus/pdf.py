"""PDF press releases and filings with pypdf: the text layer, page by page.

A PDF without a text layer (a scan) is reported as such, never indexed empty. The title and author
come from the document's metadata when it has them, but for what an authoring tool leaves there (a title
"Microsoft Word - PR_final.docx", "Untitled" or a file name; an account name "jdoe" as the author): that
is reported and left out, so the title comes from the text, marked derived. Its creation date stands in
for the publication date and is marked derived (a release is usually made the day it goes out, but nobody
wrote that down).
A creation date without its day (``D:2023``, ``D:202306``) gives no date, where pypdf would fill in the
1st; it is reported, as is one that cannot be read. pypdf's warnings about a damaged file (which it
prints without the file's name) become a problem naming the file.

>>> from corpus.records import SourceFile
>>> read_pdf(b"%PDF-1.4 not really", SourceFile("x.pdf", "/c/x.pdf"))[1][0].reason  # doctest: +ELLIPSIS
'not a readable PDF (...); re-save or re-download it'
"""
from __future__ import annotations

import io
import logging
import re
import threading
from dataclasses import replace

from .dates import parse_date
from .fields import make_article
from .records import DEGRADED, SKIPPED, Article, Problem, SourceFile

# D:YYYYMMDDHHmmSSOHH'mm' (PDF 1.7, 7.9.4): every part after the year is optional; the zone only after a day.
_PDF_DATE = re.compile(r"(?:D:)?(\d{4})(?:(\d{2})(?:(\d{2})(?:\d{2}){0,3}(?:[Zz+-].*)?)?)?")
# Titles an authoring tool writes, not the writer: "Microsoft Word - PR_final.docx", a file name
# ("PR_2023_06_05.indd", "C:\\Releases\\bridge.doc"), "Untitled", "Untitled-1", "Untitled document", "Document1".
_TOOL_TITLE = re.compile(r"(?i)microsoft (?:office )?(?:word|powerpoint|excel|publisher) - .*"
                         r"|.*\.(?:docx?|docm|dotx?|rtf|odt|odp|ods|pptx?|xlsx?|indd|idml|qxp|qxd|pub|wpd|pages|tex"
                         r"|txt|pdf|html?)"
                         r"|untitled(?:[ -]?\d+| document)?|document ?\d+")
# An operating-system account ("jdoe", "j.smith", "admin"), not a byline: one lower-case token.
_LOGIN = re.compile(r"[a-z][a-z0-9._-]*")
_reading = threading.local()  # .warnings: pypdf's warnings for the file this thread reads


class _KeepWarnings(logging.Handler):
    """pypdf's warnings go to the problem of the file being read; outside a read, where they went before."""

    def emit(self, record):
        kept = getattr(_reading, "warnings", None)
        if kept is None:
            logging.getLogger().handle(record)  # the root's handlers, else stderr
        else:
            kept.append(record.getMessage())


def read_pdf(data: bytes, source: SourceFile) -> tuple[list[Article], list[Problem]]:
    """One article from a PDF's text layer."""
    logger = logging.getLogger("pypdf")
    if not any(isinstance(h, _KeepWarnings) for h in logger.handlers):
        logger.addHandler(_KeepWarnings(logging.WARNING))
        logger.setLevel(logging.WARNING)  # kept even when the root logger is quieter: they become problems
        logger.propagate = False
    _reading.warnings = []
    try:
        articles, problems = _read(data, source)
    finally:
        warned, _reading.warnings = list(dict.fromkeys(_reading.warnings)), None
    if warned and articles:  # an unreadable file's own problem already says so
        more = f" and {len(warned) - 3} more" if len(warned) > 3 else ""
        problems.append(Problem(source.key, DEGRADED, f"pypdf repaired damage while reading it "
                                f"({'; '.join(warned[:3])}{more}); the text may be incomplete: "
                                "re-save or re-download the PDF"))
    return articles, problems


def _read(data: bytes, source: SourceFile) -> tuple[list[Article], list[Problem]]:
    """The article and problems of one PDF, but for pypdf's warnings (read_pdf adds them)."""
    import pypdf  # only when a PDF is read
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            return [], [Problem(source.key, SKIPPED, "the PDF is password-protected; save an unprotected copy")]
        pages = [page.extract_text() or "" for page in reader.pages]
        meta = reader.metadata
        info = {key: _info(meta, key) for key in ("/Title", "/Author", "/CreationDate")}
    except Exception as e:  # pypdf raises many kinds for damaged files; one bad PDF costs only itself
        return [], [Problem(source.key, SKIPPED, _unreadable(e))]
    text = "\n\n".join(p.strip() for p in pages if p.strip())
    if not text:
        return [], [Problem(source.key, SKIPPED, f"no text layer ({len(pages)} page(s), a scan?); run OCR on it "
                            "(e.g. ocrmypdf) or save its text as .txt")]
    fields, problems = {"text": ("text", text)}, []
    for field, key in (("title", "/Title"), ("author", "/Author")):
        if info[key] and (why := _placeholder(field, info[key])):  # a title then comes from the text, derived
            problems.append(Problem(source.key, DEGRADED, f"field 'PDF {key[1:]}' ({info[key]!r}) {why}; left out "
                                    f"(set the document's {field} in its properties)"))
        elif info[key]:
            fields[field] = (f"PDF {key[1:]}", info[key])
    created, why = _creation_date(info["/CreationDate"])
    if created is not None:
        fields["date"] = ("PDF CreationDate", created)
    art, more = make_article(fields, id=source.key, file=source.key)
    if art is None:
        return [], more
    problems += more
    if why:
        problems.append(Problem(source.key, DEGRADED, f"field 'PDF CreationDate' ({info['/CreationDate']!r}): {why}; "
                                "date left unknown (or save the text as .txt with a 'Date:' line)"))
    if art.date is not None:
        art = replace(art, derived=art.derived + ("date",))
    return [art], problems


def _unreadable(e: Exception) -> str:
    """Why pypdf could not open the file, and the fix: an optional package it needs (``cryptography`` for
    AES encryption, even without a password) is installed, not the file re-saved.

    >>> from pypdf.errors import DependencyError
    >>> _unreadable(DependencyError("cryptography>=3.1 is required for AES algorithm"))  # doctest: +ELLIPSIS
    "pypdf needs the package 'cryptography' to read it (...); install it (pip install cryptography; ..."
    """
    from pypdf.errors import DependencyError
    if isinstance(e, DependencyError):
        package = (re.match(r"[A-Za-z][\w.-]*", str(e)) or ["cryptography"])[0]
        return (f"pypdf needs the package '{package}' to read it ({e}); install it (pip install {package}; it is in "
                "requirements.txt), then build with --full: an unchanged file is not read again")
    return f"not a readable PDF ({type(e).__name__}: {e}); re-save or re-download it"


def _placeholder(field: str, value: str) -> str | None:
    """Why a metadata title or author is no title or byline, or None: what the authoring tool left there.

    >>> _placeholder("title", "Microsoft Word - PR_bridge_final_v3.docx")
    'is a placeholder the authoring tool wrote, not a title'
    >>> _placeholder("title", "Bridge approved"), _placeholder("author", "jdoe"), _placeholder("author", "Ann Lee")
    (None, 'looks like an account name, not a byline', None)
    """
    if field == "title":
        return "is a placeholder the authoring tool wrote, not a title" if _TOOL_TITLE.fullmatch(value.strip()) \
            else None
    return "looks like an account name, not a byline" if _LOGIN.fullmatch(value.strip()) else None


def _info(meta, key: str) -> str | None:
    """A metadata string; ``meta[key]`` resolves an indirect reference, where ``meta.get`` (and so
    pypdf's ``author`` and ``creation_date``) would not see it."""
    try:
        value = meta[key] if meta is not None and key in meta else None
    except Exception:  # a broken reference costs the field, not the text
        return None
    return value if isinstance(value, str) and value.strip() else None


def _creation_date(raw: str | None):
    """(The day the CreationDate writes, or None; why it was left out).

    >>> _creation_date("D:20230601233000-05'00'"), _creation_date("D:202306"), _creation_date(None)
    ((datetime.date(2023, 6, 1), None), (None, 'incomplete date (no day); a PDF date is D:YYYYMMDD...'), (None, None))
    """
    if raw is None:
        return None, None
    text = raw.strip()
    if m := _PDF_DATE.fullmatch(text):
        if m[3] is None:  # D:2023, D:202306: pypdf would make it January 1 or the 1st
            return None, f"incomplete date (no {'day' if m[2] else 'month or day'}); a PDF date is D:YYYYMMDD..."
        text = m[1] + m[2] + m[3]  # the day as written, in the PDF's own zone
    try:
        return parse_date(text.removeprefix("D:")), None
    except ValueError as e:
        return None, str(e)
