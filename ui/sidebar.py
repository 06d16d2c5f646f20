"""The page's sidebar: answer filters, the index's status with its Rebuild button, and the build bar.

Layout only, like the rest of ui/: the status rows, date filter and messages come from `search/`.
The build with its progress bar is also what the page runs when no index exists yet (ui/app.py).
"""
from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import streamlit as st

from corpus.errors import CorpusNotFound, NewsError
from index.config import CORPUS_DIR_ENV, resolve_corpus_dir, resolve_index_dir
from index.outcome import OtherSource, count
from search.arrange import SORTS, date_filter, problem_files, status_rows
from search.view import markdown_literal, status_html
from ui.coverage import coverage_box

if TYPE_CHECKING:
    from search import Searcher

# How a search.request.BadRequest names the filters, as labelled below (the page sets no k or per_source).
PAGE_NAMES = {"since": 'the start of "Published between"', "until": 'the end of "Published between"',
              "as_of": '"As of"'}
# Fixed picker bounds: bounds taken from the index would clash with a chosen date after a rebuild.
ANY_DATE = {"min_value": dt.date(1900, 1, 1), "max_value": dt.date(2100, 12, 31)}


def build_with_progress(where, lock_timeout: float) -> None:
    from index.build import build
    corpus_dir, index_dir = resolve_corpus_dir(), resolve_index_dir()
    # The progress text is markdown, and a folder name is data: `_`, `*`, `[..](..)` or `$` in it stay literal.
    bar = where.progress(0.0, text=f"Building the index from {markdown_literal(str(corpus_dir))} …")
    shown = [-1]

    def progress(stage: str, done: int, total: int) -> None:
        step = int(100 * done / max(total, 1))
        if step != shown[0]:  # about a hundred updates, not one per file
            shown[0] = step
            bar.progress(step / 100, text=f"{stage.capitalize()}: {done} of {total}")
    try:
        summary = build(corpus_dir, index_dir, progress=progress, lock_timeout=lock_timeout)
    except CorpusNotFound as e:   # the first run, Rebuild and Add coverage all build from this setting
        raise NewsError(f"no folder of news texts at {e.path}: the page builds its index from "
                        f"${CORPUS_DIR_ENV} (else corpus/); set it to your folder and restart the page") from None
    except OtherSource as e:   # the page cannot pass --full: say which folder it should build
        raise NewsError(f"the index was built from {e.built_from}, and the page builds from {e.path}, which would "
                        f"drop {e.dropped} of its files: set ${CORPUS_DIR_ENV} to {e.built_from} and restart "
                        f"the page, or rebuild from {e.path} with: python -m index build {e.path} --full") from None
    finally:
        bar.empty()
    st.session_state["build_note"] = summary.line()


def filters(searcher: Searcher | None) -> dict:
    sb = st.sidebar
    sb.header("Answers")
    k = sb.slider("Passages", 1, 30, 10, key="k")
    dates = sb.date_input("Published between", value=(), key="dates", format="YYYY-MM-DD", **ANY_DATE,
                          help="Leave empty for all articles, undated ones included.")
    as_of = sb.date_input("As of", value=None, key="as_of", format="YYYY-MM-DD", **ANY_DATE,
                          help="Answer only from articles published on or before this date.")
    options = searcher.outlets() if searcher else []
    if "outlets" in st.session_state:  # a rebuilt index may have lost an outlet that was chosen
        st.session_state["outlets"] = [o for o in st.session_state["outlets"] if o in options]
    outlets = sb.multiselect("Outlets", options, key="outlets", placeholder="All outlets")
    sort = sb.radio("Sort by", SORTS, key="sort", horizontal=True,
                    format_func=lambda s: "date, newest first" if s == "date" else s)
    one = sb.toggle("One passage per article", key="one_per_article")
    since, until = date_filter(dates)
    return {"k": k, "since": since, "until": until, "as_of": as_of, "sources": outlets or None, "sort": sort,
            "one": one}


def index_panel(searcher: Searcher | None, told) -> None:
    """The index's status, Rebuild and Add coverage; told(exception): the message a failed rebuild shows."""
    sb = st.sidebar
    sb.header("Index")
    if searcher is not None:
        stats = searcher.stats()
        sb.html(status_html(status_rows(stats, resolve_index_dir())))
        if stats["problems"]:
            with sb.expander(f"{count(sum(problem_files(stats['problems'])), 'file')} skipped or read in part"):
                st.dataframe(stats["problems"], hide_index=True, key="index_problems")
    if note := st.session_state.get("build_note"):
        sb.caption(markdown_literal(note))
    if sb.button("Rebuild index", key="rebuild", help=markdown_literal(
            f"Re-reads {resolve_corpus_dir()}; new and changed files are embedded. "
            "The current index answers until the new one is complete.")):
        try:
            build_with_progress(sb, lock_timeout=0)
        except (NewsError, OSError) as e:   # another build running, a wrong folder: said, and the panel goes on
            sb.error(told(e))
        else:
            st.rerun()
    if searcher is not None and searcher.is_stale():
        sb.caption("A newer index is on disk; it answers from the next question on.")
    coverage_box(build_with_progress)
