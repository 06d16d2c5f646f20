"""The page's Timeline tab: the question's story as a dated timeline (search/timeline.py).

Only layout here; the entries' HTML and the chart's counts come from search/timeline_view.py.
"""
from __future__ import annotations

import streamlit as st

from search.stories import visible_story
from search.timeline import by_story
from search.timeline_view import TIMELINE_CSS, entry_html, story_html, timeline_frame


def timeline_tab(searcher, question: str, f: dict, hits: list) -> None:
    """The stories of `hits` (the page's search, best first); the sidebar's dates, "as of" and outlets
    apply: as of a date, the timeline ends there."""
    entries = searcher.timeline(question, since=f["since"], until=f["until"], as_of=f["as_of"], sources=f["sources"],
                                hits=hits)
    if not entries:
        st.info("No story matches this question within these filters.")
        return
    st.html(TIMELINE_CSS)
    stories = searcher.story_index()
    # Each story once, its own header, chart and entries together: entries of two stories merged by date
    # would put one story's first report in the middle of the other's timeline.
    for story_id, own in by_story(entries).items():
        # As of a day, the header tells only of what was published by then (search/stories.py visible_story).
        story_section(visible_story(stories, story_id, f["since"], f["until"], f["as_of"]), own)


def story_section(story, entries: list) -> None:
    """One story: its header, its articles per day and outlet, and its entries in date order."""
    with st.container(border=True):
        st.html(story_html(story, len(entries)))
        frame = timeline_frame(entries)
        if not frame.empty:
            st.caption("Articles per day, by outlet")
            st.bar_chart(frame, x="day", y="articles", color="outlet", stack=True, height=180, x_label="",
                         y_label="articles")
        undated = sum(e.undated for e in entries)
        if undated:
            st.caption(f"{undated} undated article{'s' * (undated != 1)} at the end")
        for entry in entries:
            st.html(entry_html(entry))
