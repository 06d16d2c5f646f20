"""Hostile questions: a clear message or normal results, never a crash, never markup rendered.

Through `Searcher.search` and `python -m search` main([...]), with the real model. The page's
own escaping (HTML/JS inert in a real browser) is tested by the page's tests, not here.
"""
import datetime as dt
import json
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from index.build import build
from search import BadRequest, EmptyQuestion, Searcher
from search.__main__ import main as search_main
from tests.news_texts import ARTICLES, write_corpus

MARKUP = {"markup.txt": "Title: <b>Bold</b> **claims**\nSource: <script>alert(1)</script>\n\n"
                        "The mayor said <img src=x onerror=alert(1)> and [a link](javascript:alert(1)) "
                        "were found in the \x1b[31mred\x1b[0m minutes of the harbour meeting."}
HOSTILE = [
    "What about the volcano? " * 4200,                       # ~100k characters
    "volcano\x00\x07\x1b[2J\x1b]0;owned\x07 eruption",           # control characters and terminal escapes
    "ما الذي حدث في البركان؟ 🌋🔥 \u202eyranac\u202c",         # RTL, emoji, a bidi override
    "'; DROP TABLE passages; -- \" OR 1=1",                   # SQL
    "<script>alert(1)</script><img src=x onerror=alert(1)>",  # HTML
    "# Heading\n\n**bold** [link](javascript:alert(1)) `code` | a | b |",  # markdown
    "???", "\u200b\u200d\ufeffvolcano", "{{7*7}} ${jndi:ldap://x} %s%n",
]


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory, embedder):
    folder = write_corpus(tmp_path_factory.mktemp("news"), dict(ARTICLES, **MARKUP))
    index_dir = tmp_path_factory.mktemp("idx")
    build(folder, index_dir, embedder=embedder)
    return index_dir


@pytest.fixture(scope="module")
def searcher(index_dir, embedder):
    return Searcher.open(index_dir, embedder=embedder)


@pytest.fixture()
def cli(index_dir, embedder, monkeypatch, capsys):
    monkeypatch.setattr("index.embed.Embedder", lambda *a, **k: embedder)  # the session's model, loaded once

    def run(*argv):
        code = search_main([*argv, "--index", str(index_dir)])
        out, err = capsys.readouterr()
        return code, out, err
    return run


def well_formed(searcher, hits, k):
    assert 1 <= len(hits) <= k and [h.rank for h in hits] == list(range(1, len(hits) + 1))
    for h in hits:
        assert h.text == searcher.data.articles[h.article_id].text[h.start:h.end]


@pytest.mark.parametrize("question", HOSTILE)
def test_hostile_questions_get_normal_results(searcher, question):
    well_formed(searcher, searcher.search(question, k=3), 3)


@pytest.mark.parametrize("question", ["", " \t\n", "\x00\x01\x1b", "\u00a0\u2003", "\u200b\u200b", "\u202e\u2066"])
def test_empty_questions_are_a_clear_error(searcher, cli, question):
    with pytest.raises(EmptyQuestion, match="type a question"):
        searcher.search(question)
    code, out, err = cli(question)
    assert code == 1 and out == "" and err.startswith("error: the question is empty")


@pytest.mark.parametrize("question", HOSTILE)
def test_the_command_prints_plain_text_and_never_echoes_the_question(cli, question):
    code, out, err = cli(question, "--k", "3")
    assert code == 0 and err == "" and out.count("\n    ") >= 3
    assert "\x1b" not in out and "\x07" not in out  # nothing can drive the terminal
    if len(question) > 20:
        assert question not in out


def test_markup_in_articles_comes_back_as_literal_text(searcher, cli):
    hit = searcher.search("harbour meeting minutes mayor", k=1)[0]
    assert hit.article_id == "markup.txt" and hit.title == "<b>Bold</b> **claims**"
    assert "<img src=x onerror=alert(1)>" in hit.text and "\x1b" not in hit.text + hit.title
    code, out, _ = cli("harbour meeting minutes mayor", "--k", "1", "--json")
    row = json.loads(out)
    assert row["text"] == hit.text and row["source"] == "<script>alert(1)</script>"


@pytest.mark.parametrize("k", ["0", "-5", "1001"])
def test_a_bad_k_is_a_clear_error(cli, k):
    code, out, err = cli("volcano", "--k", k)
    assert code == 1 and out == "" and err.startswith("error: --k must be a whole number")  # the flag, as typed


def test_a_bad_per_source_names_the_flag(cli, searcher):
    code, out, err = cli("volcano", "--per-source", "0")
    assert code == 1 and out == "" and err.startswith("error: --per-source must be a whole number of at least 1")
    with pytest.raises(BadRequest, match="^per_source must be"):  # from Python, the argument's own name
        searcher.search("volcano", per_source=0)


def test_a_bad_date_is_a_clear_usage_error(cli, capsys):
    with pytest.raises(SystemExit):
        cli("volcano", "--since", "2024-13-01")
    assert "not a date: '2024-13-01' (write YYYY-MM-DD)" in capsys.readouterr().err


@settings(max_examples=60, deadline=None)
@given(question=st.text(max_size=300))
def test_any_text_is_an_answer_or_empty_question(searcher, question):
    try:
        hits = searcher.search(question, k=2)
    except EmptyQuestion:
        # only when nothing visible was asked: spaces, control and invisible format characters
        assert all(c.isspace() or unicodedata.category(c) in ("Cc", "Cf") for c in question)
        return
    well_formed(searcher, hits, 2)


def test_a_question_with_undecodable_bytes_is_not_a_crash(searcher):
    well_formed(searcher, searcher.search("volcano \udcff eruption", k=2), 2)


def test_the_deepest_search_allowed_is_served(searcher):
    hits = searcher.search("volcano eruption", k=1000)   # near-duplicates are looked for in the top 300 only
    well_formed(searcher, hits, 1000)
    assert len({(h.article_id, h.start) for h in hits}) == len(hits)


@pytest.mark.parametrize("argv, says", [
    (["--since", "2024-06-01", "--until", "2024-05-01"], "--since (2024-06-01) is after --until (2024-05-01)"),
    (["--until", "2024-06-01", "--as-of", "2024-05-01", "--since", "2024-05-20"], "is after --as-of (2024-05-01)"),
    (["--source", "No Such Outlet"], "no articles from 'No Such Outlet' in this index; its outlets: "),
])
@pytest.mark.parametrize("command", [[], ["timeline"]])
def test_filters_that_can_match_nothing_are_a_clear_error(cli, argv, says, command):
    code, out, err = cli(*command, "volcano", *argv)
    assert code == 1 and out == "" and err.startswith("error: ") and says in err and err.count("\n") == 1


def test_the_python_api_names_its_own_arguments_in_filter_errors(searcher):
    with pytest.raises(BadRequest, match=r"^since \(2024-06-01\) is after as_of \(2024-05-01\)"):
        searcher.search("volcano", since=dt.date(2024, 6, 1), as_of=dt.date(2024, 5, 1))


def test_filters_given_loosely_are_read_as_meant(searcher):
    day = dt.date(2024, 3, 5)
    strict = searcher.search("volcano", k=3, until=day, sources=["Nordic Herald"])
    assert strict and strict == searcher.search("volcano", k=3, until=dt.datetime(2024, 3, 5, 23, 59),
                                                sources="nordic herald")
    assert strict == searcher.search("volcano", k=3, until="2024-03-05", sources=["Nordic Herald"])
    for bad in ({"since": "last week"}, {"as_of": 20240305}, {"per_source": True}):
        with pytest.raises(BadRequest, match=f"{next(iter(bad))} must be"):
            searcher.search("volcano", **bad)
