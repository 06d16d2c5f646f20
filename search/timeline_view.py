"""The timeline for the page: entries and story headers as HTML (every piece of article text escaped) and
a per-day, per-outlet count for a story's chart (search/timeline.py by_story groups the entries). The page
(ui/timeline_tab.py) only lays these out.

>>> import datetime as dt
>>> from search.timeline import TimelineEntry, Update
>>> u = Update("Toll rises to <b>31</b>.", dt.date(2024, 3, 5), "Ledger", "12 were killed.", dt.date(2024, 3, 4),
...            "Post", "a", ("12 → 31",))
>>> e = TimelineEntry(dt.date(2024, 3, 5), "Ledger", "Toll rises", None, "b", 1, ("Toll rises to <b>31</b>.",), (u,))
>>> html = entry_html(e)
>>> "&lt;b&gt;31&lt;/b&gt;" in html and "<b>31" not in html, "2024-03-04, Post" in html
(True, True)
>>> timeline_frame([e]).to_dict("records")
[{'day': '2024-03-05', 'outlet': 'Ledger', 'articles': 1}]
"""
from __future__ import annotations

from html import escape

from search.view import derived_note, safe_url, shown_title

SHOWN_NEW = 5   # new sentences shown per entry; the rest behind "… N more"

TIMELINE_CSS = """<style>
.news-entry {border-left: 3px solid #9bb7d4; padding: .3rem 0 .5rem .9rem; margin-bottom: .6rem;}
.news-entry.first {border-left-color: #e4572e;}
.news-entry .when {font-weight: 600;}
.news-entry .badge {font-size: .75rem; background: #e4572e; color: white; border-radius: .3rem; padding: 0 .35rem;}
.news-entry .new {margin: .25rem 0 0 0; padding-left: 1.1rem; line-height: 1.45;}
.news-entry .more, .news-entry .none {font-size: .85rem; opacity: .7;}
.news-entry .update {margin-top: .3rem; font-size: .9rem; background: rgba(255, 224, 138, .35);
  border-radius: .3rem; padding: .2rem .45rem;}
</style>"""


def _e(text) -> str:
    return escape(str(text), quote=True)


def entry_html(entry) -> str:
    """One timeline entry: date, outlet, title (linked where the URL is http(s)), new sentences, updates."""
    url = safe_url(entry.url)
    shown = (shown_title(entry.title, entry.source) or "(untitled)") + derived_note("title", entry.derived)
    title = f'<a href="{_e(url)}" target="_blank" rel="noopener noreferrer">{_e(shown)}</a>' if url else _e(shown)
    badge = ' <span class="badge">first report</span>' if entry.first_report else ""
    new = "".join(f"<li>{_e(s)}</li>" for s in entry.new[:SHOWN_NEW])
    more = len(entry.new) - SHOWN_NEW
    body = f'<ul class="new">{new}</ul>' if new else \
        '<div class="none">nothing new that earlier coverage had not said</div>'
    if more > 0:
        body += f'<div class="more">… and {more} more new sentence{"s" * (more != 1)}</div>'
    updates = "".join(_update_html(u) for u in entry.updates)
    return (f'<div class="news-entry{" first" if entry.first_report else ""}" data-article="{_e(entry.article_id)}">'
            f'<span class="when">{_e(entry.date_label + derived_note("date", entry.derived))}</span> · '
            f'<span class="outlet">{_e((entry.source or "unknown outlet") + derived_note("source", entry.derived))}'
            f'</span> · <span class="title">{title}</span>{badge}'
            f"{body}{updates}</div>")


def story_html(story, shown: int) -> str:
    """A story's header in the timeline: its label and extent (search/stories.py Story), "(N shown)" when the
    filters leave some of its articles out."""
    return f'<div class="news-story"><b>{_e(story.label)}</b> · {_e(story.extent)}{_e(story.shown(shown))}</div>'


def _update_html(u) -> str:
    return (f'<div class="update">Update ({_e("; ".join(u.changed))}): “{_e(u.sentence)}” '
            f'({_e(u.date or "undated")}, {_e(u.source or "unknown outlet")}) — earlier: “{_e(u.earlier)}” '
            f'({_e(u.earlier_date or "undated")}, {_e(u.earlier_source or "unknown outlet")})</div>')


def timeline_frame(entries):
    """Articles per day and outlet (dated entries), for a stacked bar chart."""
    import pandas as pd

    counts = {}
    for e in entries:
        if e.date is not None:
            key = (e.date.isoformat(), e.source or "unknown outlet")
            counts[key] = counts.get(key, 0) + 1
    rows = [{"day": d, "outlet": o, "articles": n} for (d, o), n in sorted(counts.items())]
    return pd.DataFrame(rows, columns=["day", "outlet", "articles"])
