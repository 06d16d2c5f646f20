"""Metadata that used to be lost or mistrusted: header blocks with keys we do not read, other names for the
date and URL, dates in the future, HTML inside a JSON text, the invalid-JSON message.
Every text here is invented for the tests."""
import datetime as dt
import json

import pytest

import corpus.dates
from corpus import DEGRADED, read_path
from corpus.readers import read_csv, read_json, read_jsonl, read_md, read_txt
from corpus.web import read_html
from tests.test_corpus_feeds_pdf import make_pdf
from tests.test_corpus_readers import one, src

BODY = "The Brellin ferry resumed its crossings on Monday after two weeks of repairs.\n\nA second paragraph."
TODAY = dt.date(2024, 3, 10)  # pinned: the rule is "more than 2 days after today"


def reasons(problems):
    return " | ".join(p.reason for p in problems)


@pytest.fixture
def pinned_today(monkeypatch):
    monkeypatch.setattr(corpus.dates, "today", lambda: TODAY)
    return TODAY


# --- 1. header block: page-metadata keys inside it are skipped, not the end of it -------------

@pytest.mark.parametrize("unknown", ["Category: Politics", "Tags: ferry, river", "Updated: 2024-03-02",
                                     "Section: Local", "Language: en"])
def test_header_block_skips_an_unknown_key_and_reads_the_lines_after_it(unknown):
    text = f"Title: Ferry back\n{unknown}\nDate: 2024-03-01\nSource: Brellin Post\n\n{BODY}"
    art, problems = one(read_txt(text, src("h.txt")))
    assert (art.title, art.date, art.source) == ("Ferry back", dt.date(2024, 3, 1), "Brellin Post")
    assert art.text == BODY
    assert problems == []  # page metadata carries nothing of the article: not reported, as in YAML front matter


def test_header_block_in_markdown_too():
    art, problems = one(read_md(f"Title: Ferry back\nCategory: Local\nDate: 2024-03-01\n\n{BODY}", src("h.md")))
    assert art.date == dt.date(2024, 3, 1) and art.text == BODY and problems == []


def test_an_unknown_first_line_keeps_the_file_as_text_and_says_so():
    # A first line we do not read is prose ("Note: ..."), so the file stays text; the field lines after it
    # are named, not silently left in the text.
    text = f"Category: Politics\nTitle: Ferry back\nDate: 2024-03-01\n\n{BODY}"
    art, problems = one(read_txt(text, src("u.txt")))
    assert art.text == text and art.date is None
    assert "'Title', 'Date'" in reasons(problems) and "put them first" in reasons(problems)


@pytest.mark.parametrize("text", [
    "WASHINGTON: The president said on Monday that the ferry would run.\nOfficials agreed.",
    "Update: The ferry runs again.\nIt was repaired over two weeks.",
])
def test_an_ordinary_first_line_with_a_colon_is_no_header(text):
    art, problems = one(read_txt(text, src("p.txt")))
    assert art.text == text and problems == []


def test_a_dateline_right_after_the_header_stays_text():
    text = "Title: Ferry back\nWASHINGTON: The president said on Monday that the ferry would run.\nMore."
    art, problems = one(read_txt(text, src("d.txt")))
    assert art.title == "Ferry back" and art.text.startswith("WASHINGTON: The president said") and problems == []


# --- 2. other names for the publication date and URL; dates that are not it -------------------

@pytest.mark.parametrize("key", ["published_date", "pub_date", "publish_date", "webPublicationDate",
                                 "Published At", "date_published"])
def test_publication_date_names(key):
    art, problems = one(read_json(json.dumps({key: "2024-03-01T09:00:00Z", "text": BODY}), src("a.json")))
    assert art.date == dt.date(2024, 3, 1) and problems == []


def test_csv_published_at_column_and_guardian_style_json():
    art, _ = one(read_csv(f'Title,Body,Published At,Outlet\n"Ferry","{BODY}","2024-03-01","Post"\n', src("c.csv")))
    assert art.date == dt.date(2024, 3, 1)
    record = {"webTitle": "Ferry back", "webUrl": "https://post.example/ferry",
              "webPublicationDate": "2024-03-01T09:00:00Z", "body_text": BODY}
    art, problems = one(read_json(json.dumps(record), src("g.json")))
    assert (art.title, art.url, art.date, problems) == ("Ferry back", "https://post.example/ferry",
                                                         dt.date(2024, 3, 1), [])


@pytest.mark.parametrize("key", ["created_at", "updated_at", "modified", "dateModified"])
def test_a_creation_or_update_time_is_not_the_date_and_is_named(key):
    (art,), problems = read_jsonl(json.dumps({key: "2024-03-06T10:00:00Z", "text": BODY}), src("a.jsonl"))
    assert art.date is None
    (p,) = problems
    assert p.kind == DEGRADED and p.reason.startswith("line 1: ") and f"'{key}'" in p.reason
    assert "left undated" in p.reason and "rename it to 'date'" in p.reason


def test_no_note_when_the_record_has_its_date_or_the_key_holds_no_date():
    art, problems = one(read_json(json.dumps({"date": "2024-03-01", "updated_at": "2024-03-06", "text": BODY}),
                                  src("a.json")))
    assert art.date == dt.date(2024, 3, 1) and problems == []
    art, problems = one(read_json(json.dumps({"reading_time": "5 min", "text": BODY}), src("b.json")))
    assert art.date is None and problems == []


# --- 3a. a date more than 2 days after today is not trusted, in every format -------------------

def test_two_days_ahead_is_kept_three_are_not(pinned_today):
    art, problems = one(read_json(json.dumps({"date": "2024-03-12", "text": BODY}), src("a.json")))
    assert art.date == dt.date(2024, 3, 12) and problems == []
    (art,), (p,) = read_csv(f'text,date\n"{BODY}",2099-01-01\n', src("c.csv"))
    assert art.date is None and art.text == BODY
    assert p.file == "c.csv" and p.reason.startswith("row 1: field 'date': date 2099-01-01")
    assert "correct the date field" in p.reason


def _html(date):
    return ("<html><head><title>Ferry back</title>"
            f"<meta property='article:published_time' content='{date}'></head><body><article>"
            + "".join(f"<p>{p}</p>" for p in BODY.split("\n\n")) + "</article></body></html>")


def _rss(date):
    return ("<rss version='2.0'><channel><title>Brellin Post</title><item><title>Ferry back</title>"
            f"<link>https://post.example/f</link><pubDate>{date}</pubDate><description>{BODY}</description>"
            "</item></channel></rss>")


@pytest.mark.parametrize("name, make", [
    ("front.md", lambda d: f"---\ndate: {d}\n---\n{BODY}"),
    ("header.txt", lambda d: f"Title: Ferry back\nDate: {d}\n\n{BODY}"),
    ("firstline.txt", lambda d: f" date {d} {BODY}"),
    ("a.json", lambda d: json.dumps({"published": d, "text": BODY})),
    ("a.jsonl", lambda d: json.dumps({"published": d, "text": BODY})),
    ("a.csv", lambda d: f'text,date\n"{BODY}",{d}\n'),
    ("page.html", _html),
    ("feed.rss", lambda d: _rss(dt.date.fromisoformat(d).strftime("%a, %d %b %Y 10:00:00 +0000"))),
    ("release.pdf", lambda d: make_pdf("The Brellin ferry resumed its crossings.",
                                       created="D:" + d.replace("-", "") + "100000Z")),
])
def test_the_future_rule_in_every_format(tmp_path, pinned_today, name, make):
    for day, trusted in (("2024-03-12", True), ("2024-03-13", False)):
        data = make(day)
        (tmp_path / name).write_bytes(data if isinstance(data, bytes) else data.encode())
        (result,) = read_path(tmp_path)
        (art,) = result.articles
        if trusted:
            assert art.date == dt.date(2024, 3, 12), result.problems
        else:
            assert art.date is None
            assert any(p.file == name and "2024-03-13" in p.reason and "correct the date field" in p.reason
                       for p in result.problems), result.problems


# --- 3b. a page dated tomorrow (its own time zone) keeps its date; a far one is named -----------

@pytest.mark.parametrize("days, zone", [(1, ""), (1, "T01:00:00+13:00"), (2, "")])
def test_a_page_dated_tomorrow_keeps_its_date(days, zone):
    # The real clock, not the pinned one: htmldate's own upper bound was the machine's today.
    day = dt.date.today() + dt.timedelta(days=days)
    art, problems = one(read_html(_html(f"{day}{zone}"), src("t.html")))
    assert art.date == day and problems == []


def test_a_page_dated_years_ahead_is_undated_and_named():
    day = dt.date.today() + dt.timedelta(days=400)
    art, problems = one(read_html(_html(day.isoformat()), src("f.html")))
    assert art.date is None
    (p,) = problems
    assert f"date {day}" in p.reason and "correct the date field" in p.reason and "not written in full" not in p.reason


# --- 4. HTML in a plain JSON/CSV text becomes text, paragraphs kept ----------------------------

def test_html_in_a_json_content_string_is_stripped():
    content = "<p>The ferry reached <b>Port Anselm</b> &amp; waited.</p><p>It left at noon.</p>"
    art, _ = one(read_json(json.dumps({"title": "Ferry <i>back</i>", "content": content}), src("h.json")))
    assert art.text == "The ferry reached Port Anselm & waited.\n\nIt left at noon."
    assert art.title == "Ferry <i>back</i>"  # only the text: a title is kept as written, as in a .txt header
    (art,), _ = read_csv(f'body\n"{content}"\n', src("h.csv"))
    assert art.text == "The ferry reached Port Anselm & waited.\n\nIt left at noon."


def test_plain_text_with_angle_brackets_is_kept_as_written():
    text = "Press <b> to bold; a < b & c > d, as the AT&amp;T manual says."
    art, _ = one(read_json(json.dumps({"text": text}), src("p.json")))
    assert art.text == text


# --- 5. invalid JSON says "at" once -------------------------------------------------------------

def test_invalid_json_message_says_at_once():
    _, (p,) = read_json('{"text": "unterminated', src("bad.json"))
    assert "starting at line 1 column 10" in p.reason and "at at" not in p.reason
