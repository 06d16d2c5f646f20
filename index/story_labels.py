"""A story's label: a short human title, taken from its articles' titles.

The title of the article nearest the centre of the story's article vectors, among those that name
the event (not an opinion piece, a live blog or a recap while another title names it), without the
outlet tail a page title carries.
"""
from __future__ import annotations

import re

import numpy as np

_OUTLET_SUFFIX = re.compile(r"\s+\|\s+[^|]{2,40}$")
# What a title naming a kind of piece loses against one naming the event: enough to pass over a live blog
# beside a report, not so much that an off-topic member (far from the centre) labels a story of live blogs.
NOT_A_LABEL_PENALTY = 0.2
_CUT = re.compile(r"\s*(?:\.\.\.|…)$")   # a title cut short says so: "Hurricane Fiona floods Puerto Rico as the …"
# Titles that name a kind of piece rather than the event: a story is not "Opinion: ..." or "... live updates".
_NOT_A_LABEL = re.compile(r"^(?:opinion|analysis|editorial|letters?|podcast|video|watch)\b\s*[:|]|\blive (?:updates?|blog)"
                          r"\b|\bupdates:|\brecap\b|\bwhat (?:we|to) know\b|\bnews from around\b", re.I)


def central_title(titles: list, vectors: np.ndarray) -> str:
    """A story's label: the title of the article nearest the centre of its (unit) article vectors,
    without an outlet suffix (search/stories.py labels a story as of a day the same way).

    >>> central_title(["Opinion: The truce will not hold", "Truce begins in Selk"], np.array([[1.0, 0], [0.6, 0.8]]))
    'Truce begins in Selk'
    """
    if len(titles) == 1:
        return clean_title(titles[0])
    closeness = vectors @ vectors.mean(axis=0)
    # The central one among titles that name the event, when any does (an opinion piece or a live blog
    # may sit nearest the centre, and says least what the story is).
    closeness = closeness - NOT_A_LABEL_PENALTY * np.array([bool(_NOT_A_LABEL.search(str(t or ""))) for t in titles])
    return clean_title(titles[int(np.argmax(closeness))])


def clean_title(title: str) -> str:
    """A title without the outlet tail a page title carries.

    >>> clean_title("How an arcane law stopped the strike | CNN Business"), clean_title("Rail talks ...")
    ('How an arcane law stopped the strike', 'Rail talks …')
    """
    title = " ".join(str(title or "").split())
    title = _CUT.sub(" …", _OUTLET_SUFFIX.sub("", title).strip() or title)
    return title if len(title) <= 120 else title[:119].rstrip() + "…"
