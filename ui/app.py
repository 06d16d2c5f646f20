"""The page: ask the news index a question, get ranked passages with dates and sources.

    streamlit run ui/app.py        (from the project folder, so .streamlit/config.toml applies)

Everything worth testing lives in `search/` (cards, highlighting, sorting, coverage);
this script only lays out widgets (the sidebar: ui/sidebar.py). The model and the index load once per process
and the index reloads when a new generation lands on disk.
"""
from __future__ import annotations

import sys
from pathlib import Path

# `streamlit run` puts ui/ on the import path, not the project folder the packages live in.
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402

from corpus.errors import NewsError  # noqa: E402
from index.config import IndexConfig, resolve_corpus_dir, resolve_index_dir  # noqa: E402
from index.outcome import count  # noqa: E402
from index.manifest import live_config  # noqa: E402
from index.storage import IndexDamaged, current_generation  # noqa: E402
from search import EmptyQuestion, Searcher, clean_question, hits_to_frame  # noqa: E402
from search.answer import hit_spans  # noqa: E402
from search.arrange import coverage_frame, hits_csv, one_per_article, sort_hits, table_frame, to_fetch  # noqa: E402
from search.request import STORY_PASSAGES, BadRequest  # noqa: E402
from search.stories import story_caption  # noqa: E402
from search.view import CARD_CSS, card_html, markdown_literal  # noqa: E402
from ui.sidebar import PAGE_NAMES, build_with_progress, filters, index_panel  # noqa: E402
from ui.timeline_tab import timeline_tab  # noqa: E402

EXAMPLE = "What clause did the Pentagon want removed?"


@st.cache_resource(show_spinner="Loading the language model…")
def load_encoder(model_name: str, precision: str, weights: str):   # weights: a model folder adapted again
    # The torch-free ONNX copy when a build has exported it (a fraction of a second instead of
    # several to import torch); builds load the torch model themselves when they need it.
    from index.onnx_query import query_encoder
    return query_encoder(IndexConfig(model_name=model_name, precision=precision))


@st.cache_resource(max_entries=2, show_spinner="Opening the index…")
def load_searcher(index_dir: str, generation: str, _embedder) -> Searcher:
    # Keyed on the live generation: a build that lands makes the next run load the new one.
    return Searcher.open(index_dir, embedder=_embedder)


def model_for(index_dir: Path):
    """The model the index was built with (the default one before the first build)."""
    config = live_config(index_dir)  # defaults when unreadable: opening the index below says what is wrong
    from index.onnx_query import model_key
    return load_encoder(config.model_name, config.precision, model_key(config.model_name))


def open_searcher() -> Searcher:
    index_dir = resolve_index_dir()
    if current_generation(index_dir) is None:
        note = st.info(markdown_literal(f"No index yet at {index_dir}: building one from {resolve_corpus_dir()} "
                                        "(first run only)."))
        try:
            build_with_progress(st, lock_timeout=600)  # a second page opened meanwhile waits
        finally:
            note.empty()  # "building one" is no longer true, whatever happened
    # The encoder is chosen after a first build, which exports the torch-free copy it prefers.
    return load_searcher(str(index_dir), current_generation(index_dir).name, model_for(index_dir))


def question_box() -> str:
    if "question" not in st.session_state:  # a shared link reopens its question
        st.session_state["question"] = st.query_params.get("q", "")
    question = st.text_input("Ask a question about the news", key="question", placeholder=EXAMPLE)
    if question.strip() and st.query_params.get("q") != question:
        st.query_params["q"] = question
    elif not question.strip() and "q" in st.query_params:
        del st.query_params["q"]
    return question


def find(searcher: Searcher, question: str, f: dict) -> tuple[list, list]:
    """(the search's hits, best first; the hits to show: one per article if asked, sorted as asked)."""
    # as_of (not just until): recency then counts back from that day, as the news stood then.
    # At least the passages a timeline's stories are voted by (the Timeline tab reads them, not searching again).
    fetch = max(to_fetch(f["k"], f["one"], len(searcher.data.passages)), STORY_PASSAGES)
    hits = searcher.search(question, k=fetch, since=f["since"], until=f["until"], as_of=f["as_of"],
                           sources=f["sources"])
    shown = one_per_article(hits, f["k"]) if f["one"] else hits[:f["k"]]
    return hits, sort_hits(shown, f["sort"])


def coverage(searcher: Searcher, hits: list, as_of) -> None:
    """Articles per day around the hits' dates; as of a day only those published by then (the chart tells
    nothing of later news)."""
    articles = {aid: a.date for aid, a in searcher.data.articles.items()
                if as_of is None or (a.date and a.date <= as_of)}
    frame, unit = coverage_frame(articles, [h.article_id for h in hits])
    if frame.empty:
        return
    known = f" as of {as_of.isoformat()}" if as_of else ""
    st.caption(f"Coverage around the passages' dates: articles per {unit} in the index{known}; in orange, "
               "those the passages come from")
    st.bar_chart(frame, x="period", y=["articles with a hit", "other articles"], color=["#e4572e", "#9bb7d4"],
                 height=170, stack=True, x_label="", y_label="articles")


def answer(searcher: Searcher, question: str, f: dict) -> None:
    try:
        question = clean_question(question)
    except EmptyQuestion:
        st.info(f'Type a question above and press Enter, for example: "{EXAMPLE}". '
                "The filters in the sidebar narrow the articles searched.")
        return
    found, hits = find(searcher, question, f)
    if not hits:
        st.warning("No passages match these filters: widen the dates, clear the \"as of\" date or choose more outlets.")
        return
    spans = hit_spans(question, hits, searcher.embedder)
    st.caption(f"{count(len(hits), 'passage')} from {count(len({h.article_id for h in hits}), 'article')}; "
               "the sentence that best answers the question is marked")
    coverage(searcher, hits, f["as_of"])
    cards, timeline, table = st.tabs(["Passages", "Timeline", "Table"])
    with cards:
        stories = searcher.story_index()  # as of a day: each caption tells of the story as it stood then
        for hit, span in zip(hits, spans):
            story_id = stories.table.story_of.get(hit.article_id)
            st.html(card_html(hit, span, story_caption(stories, story_id, f["since"], f["until"], f["as_of"])))
    with timeline:
        timeline_tab(searcher, question, f, found[:STORY_PASSAGES])  # not searched again
    with table:   # the table says folded copies as the cards do; the CSV keeps their article ids too
        frame = hits_to_frame(hits)
        st.dataframe(table_frame(frame), hide_index=True, key="hits_table")
        st.download_button("Download CSV", hits_csv(frame), file_name="answers.csv", mime="text/csv",
                           key="download_csv", on_click="ignore")


def message(e: Exception) -> str:
    """What the reader sees instead of a traceback (paths in it are data: no markdown)."""
    if isinstance(e, BadRequest):   # named as the widgets are labelled, not as the Python arguments
        return markdown_literal(e.told(PAGE_NAMES))
    if isinstance(e, IndexDamaged):   # the page has its own way to rebuild
        return markdown_literal(f'{e} — or press "Rebuild index" in the sidebar')
    if isinstance(e, NewsError):
        return markdown_literal(str(e))
    return markdown_literal(f"cannot use {e.filename or resolve_index_dir()}: {e.strerror or e}; make sure the "
                            "folder exists and is writable, or point NEWS_INDEX_DIR at one that is")


def main() -> None:
    st.set_page_config(page_title="News search", page_icon="📰", layout="wide")
    st.html(CARD_CSS)
    st.title("News search")
    if st.get_option("browser.gatherUsageStats"):  # .streamlit/config.toml is read from the working folder only
        st.warning(markdown_literal(f"Started outside the project folder, so its settings were not read and "
                                    f"Streamlit may send usage statistics. Stop it and run: cd {ROOT} && "
                                    "streamlit run ui/app.py"))
    question = question_box()
    searcher = None
    try:
        searcher = open_searcher()
    except (NewsError, OSError) as e:
        st.error(message(e))
    f = filters(searcher)
    for step in (lambda: searcher is not None and answer(searcher, question, f),
                 lambda: index_panel(searcher, message)):  # also when the index failed or the question did: Rebuild
        try:
            step()
        except (NewsError, OSError) as e:
            st.error(message(e))


main()
