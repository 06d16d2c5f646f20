"""PDF press releases and filings with pypdf: the text layer, page by page.

A PDF without a text layer (a scan) is reported as such, never indexed empty. The title and author
come from the document's metadata when it has them; its creation date stands in for the publication
date and is marked derived (a release is usually made the day it goes out, but nobody wrote that down).

>>> from corpus.records import SourceFile
>>> read_pdf(b"%PDF-1.4 not really", SourceFile("x.pdf", "/c/x.pdf"))[1][0].reason  # doctest: +ELLIPSIS
'not a readable PDF (...); re-save or re-download it'
"""
from __future__ import annotations

import io
from dataclasses import replace

from .fields import make_article
from .records import SKIPPED, Article, Problem, SourceFile


def read_pdf(data: bytes, source: SourceFile) -> tuple[list[Article], list[Problem]]:
    """One article from a PDF's text layer."""
    import pypdf  # only when a PDF is read
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            return [], [Problem(source.key, SKIPPED, "the PDF is password-protected; save an unprotected copy")]
        pages = [page.extract_text() or "" for page in reader.pages]
        meta = reader.metadata or {}
    except Exception as e:  # pypdf raises many kinds for damaged files; one bad PDF costs only itself
        return [], [Problem(source.key, SKIPPED, f"not a readable PDF ({type(e).__name__}: {e}); "
                            "re-save or re-download it")]
    text = "\n\n".join(p.strip() for p in pages if p.strip())
    if not text:
        return [], [Problem(source.key, SKIPPED, f"no text layer ({len(pages)} page(s), a scan?); run OCR on it "
                            "(e.g. ocrmypdf) or save its text as .txt")]
    fields = {"text": ("text", text)}
    for field, key in (("title", "/Title"), ("author", "/Author")):
        if isinstance(meta.get(key), str) and meta[key].strip():
            fields[field] = (f"PDF {key[1:]}", meta[key])
    created = _creation_date(meta)
    if created is not None:
        fields["date"] = ("PDF CreationDate", created)
    art, problems = make_article(fields, id=source.key, file=source.key)
    if art is None:
        return [], problems
    if art.date is not None:
        art = replace(art, derived=art.derived + ("date",))
    return [art], problems


def _creation_date(meta):
    """The metadata's CreationDate, or None when it is missing or malformed (pypdf raises on a bad one):
    a text read well is not lost to its date field; the article is then undated."""
    try:
        return getattr(meta, "creation_date", None) if meta else None
    except Exception:  # pypdf's ValueError today; whatever it raises, the date is simply unknown
        return None
