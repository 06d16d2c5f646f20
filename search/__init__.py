"""Retrieval and answers over a built index: `Searcher`, `Hit`, `hits_to_frame`.

    >>> from search import Searcher, hits_to_frame          # doctest: +SKIP
    >>> hits = Searcher.open().search("Who warned Anthropic?", k=5)  # doctest: +SKIP
    >>> hits_to_frame(hits)[["rank", "score", "date", "source", "title"]]  # doctest: +SKIP
"""
from search.hits import Hit, hits_to_frame
from search.request import BadRequest, EmptyQuestion, clean_question
from search.searcher import Searcher
from search.stories import Story
from search.timeline import TimelineEntry, Update

__all__ = ["Searcher", "Hit", "hits_to_frame", "EmptyQuestion", "BadRequest", "clean_question", "Story",
           "TimelineEntry", "Update"]
