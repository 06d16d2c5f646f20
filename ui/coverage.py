"""The sidebar's "Add coverage" box: paste links or upload files into the corpus folder, then build.

Layout only; the work is in `search.coverage` (fetching, saving) and the page's own build with its
progress bar, handed in as ``build_with_progress`` so this module needs nothing from ui/app.py.
"""
from __future__ import annotations

import streamlit as st

from corpus import SUPPORTED
from index.config import resolve_corpus_dir
from search.coverage import add_coverage
from search.view import markdown_literal

NOTE = "coverage_note"


def coverage_box(build_with_progress) -> None:
    sb = st.sidebar
    with sb.expander("Add coverage", expanded=bool(st.session_state.get(NOTE))):
        folder = resolve_corpus_dir()
        with st.form("add_coverage", clear_on_submit=True, border=False):
            text = st.text_area("Links", key="coverage_links", placeholder="https://… (pages or RSS/Atom feeds)",
                                help="One or more addresses; a feed brings the pages its entries link to.")
            files = st.file_uploader("Files", key="coverage_files", accept_multiple_files=True,
                                     type=[s.lstrip(".") for s in SUPPORTED])
            submitted = st.form_submit_button("Add and index", key="coverage_add")
        if submitted:
            with st.spinner("Fetching…"):
                added = add_coverage(text, [(f.name, f.getvalue()) for f in files or []], folder)
            st.session_state[NOTE] = added.lines() or ["nothing to add: paste links or choose files"]
            if added.saved:
                build_with_progress(st, lock_timeout=0)
                st.rerun()  # the new index answers from here on
        for line in st.session_state.get(NOTE, []):
            (st.warning if line.startswith("not added") else st.caption)(markdown_literal(line))
        st.caption(markdown_literal(f"Files land in {folder}."))
