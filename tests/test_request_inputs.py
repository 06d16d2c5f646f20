"""Inputs to the Python API that are not what README documents are a BadRequest naming the argument, not
read loosely (a question str()-ed, an ISO week as its Monday) nor a TypeError."""
import datetime as dt

import pytest

from search import BadRequest, EmptyQuestion, Searcher
from search.request import check_filters, clean_question


@pytest.mark.parametrize("question", [b"earthquake", ["earthquake"], 123, ("a", "b")])
def test_a_question_that_is_not_a_str_is_refused_by_name(question):
    with pytest.raises(BadRequest, match=f"^question must be a str .*not {type(question).__name__}$"):
        clean_question(question)


def test_an_empty_or_missing_question_is_still_empty():
    for question in (None, "", "  \u200b "):
        with pytest.raises(EmptyQuestion):
            clean_question(question)


@pytest.mark.parametrize("sources, given", [(5, "5 (int)"), (b"Herald", "b'Herald' (bytes)"),
                                            (["Herald", None], "None (NoneType)")])
def test_sources_must_be_a_name_or_names(sources, given):
    with pytest.raises(BadRequest, match=r"^sources must be an outlet's name \(a str\) or a list of names") as refused:
        check_filters(None, None, None, sources, ["Herald"])
    assert str(refused.value).endswith(f"not {given}")


def test_sources_as_one_name_or_any_iterable_of_names_still_read():
    assert check_filters(None, None, None, "herald", ["Herald"])[3] == ["herald"]
    for sources in (["Herald"], ("Herald",), (s for s in ["Herald"]), {"Herald"}):
        assert check_filters(None, None, None, sources, ["Herald"])[3] == ["Herald"]


@pytest.mark.parametrize("day", ["20260213", "2026W07", "2026-W07", "2026-W07-1", "2026-02-13T00:00", " 2026-02-13",
                                 "2026-2-13", "2026-02-30", "\u0662\u0660\u0662\u0666-02-13", 20260213])
def test_a_day_is_written_yyyy_mm_dd_and_no_other_way(day):
    from search.request import iso_day
    with pytest.raises(ValueError):
        iso_day(day)
    for name in ("since", "until", "as_of"):
        with pytest.raises(BadRequest, match=rf"^{name} must be a date \(YYYY-MM-DD\), not "):
            check_filters(*[day if n == name else None for n in ("since", "until", "as_of")], None, [])


def test_days_given_as_documented_still_read():
    from search.request import iso_day
    want = dt.date(2026, 2, 13)
    assert iso_day("2026-02-13") == want
    assert check_filters("2026-02-13", want, dt.datetime(2026, 2, 13, 9), None, [])[:3] == (want, want, want)


@pytest.mark.parametrize("article_id", [[], 123, None, b"flood-1.md"])
def test_an_article_id_must_be_a_str(article_id):
    from search.request import check_article_id
    with pytest.raises(BadRequest, match=f"^article_id must be a str.*not {type(article_id).__name__}$"):
        check_article_id(article_id)


def test_the_searcher_refuses_loose_inputs_by_name(story_corpus, embedder):
    s = Searcher.open(story_corpus[1], embedder=embedder)
    calls = {"question": [lambda: s.search(b"flood"), lambda: s.search(["flood"]), lambda: s.timeline(123)],
             "sources": [lambda: s.search("flood", sources=5), lambda: s.stories(sources=5),
                         lambda: s.timeline("flood", sources=5)],
             "article_id": [lambda: s.story([]), lambda: s.story(1)],
             "since": [lambda: s.stories(since="2024W10"), lambda: s.search("flood", since="20240304")],
             "as_of": [lambda: s.timeline("flood", as_of="2024-W10-2")]}
    for name, tries in calls.items():
        for call in tries:
            with pytest.raises(BadRequest, match=f"^{name} must be"):
                call()
    assert s.story("flood-1.md") is not None and s.story("no-such-article") is None
