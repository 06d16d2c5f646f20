"""Dates are never guessed: a date a file does not state in full stays unknown, with a problem naming it.

Each case here was read as a made-up date before: htmldate's rewritten page dates (today's day for a
month-only date, day-first for "06/01/2023"), two-digit years read year-first ("01 Jun 23" as 2001-06-23),
JSON numbers read as seconds since 1970, a PDF CreationDate without its day. Every text is invented here.
"""
import datetime as dt
import io
import json

import pytest

from corpus import DEGRADED, SourceFile, parse_date
from corpus.feeds import read_feed
from corpus.pdf import read_pdf
from corpus.readers import read_json
from corpus.web import read_html
from tests.pdf_texts import one_page_writer

JUNE_1 = dt.date(2023, 6, 1)
STORY = ("<p>The Eastvale ferry resumed its crossings on Monday after the river fell back below the flood mark, "
         "the harbour master said, and the first boat left the quay at seven.</p>")


def page(head="", body="", saved_from=None):
    top = f"<!-- saved from url=({len(saved_from):04d}){saved_from} -->\n" if saved_from else ""
    return (f"{top}<html><head><title>Ferry resumes crossings</title>{head}</head><body><article>"
            f"<h1>Ferry resumes crossings</h1>{body}{STORY}</article></body></html>")


def read_page(html):
    (art,), problems = read_html(html, SourceFile("ferry.html", "/c/ferry.html"))
    return art, [p for p in problems if "date" in p.reason]


# --- 1. web pages: htmldate's date only when the page writes that day in full -------------------------

@pytest.mark.parametrize("head,written,why", [
    ('<meta property="article:published_time" content="2023-06">', "2023-06", "incomplete date"),
    ('<meta name="date" content="06/01/2023">', "06/01/2023", "ambiguous day/month"),
    ('<meta name="date" content="05/06/2023">', "05/06/2023", "ambiguous day/month"),
])
def test_page_date_htmldate_would_complete_or_flip_stays_undated(head, written, why):
    art, problems = read_page(page(head))
    assert art.date is None and "date" not in art.derived
    (problem,) = problems
    assert problem.kind == DEGRADED and problem.file == "ferry.html"
    assert "'page date'" in problem.reason and written in problem.reason and why in problem.reason
    assert "YYYY-MM-DD" in problem.reason and "date left unknown" in problem.reason


def test_page_time_element_without_its_day_stays_undated():
    art, problems = read_page(page(body='<time datetime="2023-06">June</time>'))
    assert art.date is None and "incomplete date '2023-06'" in problems[0].reason


def test_month_only_page_date_gives_way_to_the_full_address_date_marked_derived():
    art, problems = read_page(page('<meta property="article:published_time" content="2023-06">',
                                   saved_from="https://gazette.example/2023/06/01/ferry"))
    assert art.date == JUNE_1 and art.is_derived("date") and problems == []


@pytest.mark.parametrize("head,body,day", [  # guards: a date the page does write stays as it was
    ('<meta property="article:published_time" content="2023-06-01T23:30:00-05:00">', "", JUNE_1),
    ('<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2023-06-01"}</script>',
     "", JUNE_1),
    ('<meta name="date" content="13/06/2023">', "", dt.date(2023, 6, 13)),
    ("", '<div class="date">June 1, 2023</div>', JUNE_1),
    ("", '<div class="date">1. Juni 2023</div>', JUNE_1),
])
def test_page_dates_written_in_full_are_kept(head, body, day):
    art, problems = read_page(page(head, body))
    assert art.date == day and not art.is_derived("date") and problems == []


# --- 2. two-digit years: day and month name first, as RFC 822 writes them --------------------------

@pytest.mark.parametrize("value,day", [
    ("Thu, 01 Jun 23 10:00:00 GMT", JUNE_1),
    ("1 Jun 23", JUNE_1),
    ("Friday, 02-Jun-23 10:00:00 UTC", dt.date(2023, 6, 2)),
    ("5 May 24", dt.date(2024, 5, 5)),
    ("Jun 1, 23", JUNE_1),
    ("1 Jun 75", dt.date(1975, 6, 1)),  # RFC 2822's fixed rule (50-99: 19xx), not a window around today
])
def test_two_digit_years_follow_day_and_month(value, day):
    assert parse_date(value) == day


@pytest.mark.parametrize("value", ["1 2 2023", "06 01 2023"])
def test_space_separated_numbers_that_could_swap_are_refused(value):
    with pytest.raises(ValueError, match="ambiguous day/month.*YYYY-MM-DD"):
        parse_date(value)


def test_rss_pub_date_with_two_digit_year_is_the_day_written():
    rss = ('<rss version="2.0"><channel><title>Eastvale Gazette</title><item><title>Ferry</title>'
           '<link>https://gazette.example/ferry</link><pubDate>Thu, 01 Jun 23 10:00:00 GMT</pubDate>'
           '<description>The ferry resumed its crossings on Monday.</description></item></channel></rss>')
    (art,), problems = read_feed(rss.encode(), SourceFile("g.rss", "/c/g.rss"))
    assert art.date == JUNE_1 and problems == []


# --- 3. JSON numbers: YYYYMMDD or Unix seconds, as strings are read -------------------------------------

def read_one_json(date):
    doc = json.dumps({"title": "Ferry resumes", "text": "The ferry resumed its crossings on Monday.", "date": date})
    (art,), problems = read_json(doc, SourceFile("ferry.json", "/c/ferry.json"))
    return art, problems


@pytest.mark.parametrize("number,day", [(20230601, JUNE_1), (1685613600, JUNE_1)])
def test_json_number_dates_as_yyyymmdd_or_seconds(number, day):
    art, problems = read_one_json(number)
    assert art.date == day and problems == []


@pytest.mark.parametrize("number,why", [(2023, "not a date"), (20231345, "no such date"),
                                        (1685613600000, "milliseconds"), (-20230601, "not a date")])
def test_other_json_numbers_leave_the_article_undated_with_a_problem(number, why):
    art, (problem,) = read_one_json(number)
    assert art.date is None and art.text.startswith("The ferry")
    assert problem.kind == DEGRADED and problem.file == "ferry.json"
    assert "field 'date'" in problem.reason and why in problem.reason and "YYYY-MM-DD" in problem.reason


# --- 4. PDFs: no day, no date; an indirect title; pypdf's warnings named ---------------------------------

def make_pdf(created=None, indirect=None):
    """A one-page PDF with the text "The ferry resumes on Monday."; ``indirect`` metadata as indirect objects."""
    from pypdf.generic import NameObject, TextStringObject
    writer = one_page_writer("The ferry resumes on Monday.")
    if created:
        writer.add_metadata({"/CreationDate": created})
    for key, value in (indirect or {}).items():
        writer._info.get_object()[NameObject(key)] = writer._add_object(TextStringObject(value))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize("created,why", [("D:2023", "no month or day"), ("D:202306", "no day"),
                                         ("D:20231345", "no such date")])
def test_pdf_creation_date_without_a_real_day_gives_no_date(created, why):
    (art,), problems = read_pdf(make_pdf(created), SourceFile("ferry.pdf", "/c/ferry.pdf"))
    assert art.date is None and "date" not in art.derived and art.text == "The ferry resumes on Monday."
    (problem,) = problems
    assert problem.kind == DEGRADED and "'PDF CreationDate'" in problem.reason and created in problem.reason
    assert why in problem.reason and "date left unknown" in problem.reason


def test_pdf_full_creation_date_is_the_day_written_marked_derived():  # guard
    (art,), problems = read_pdf(make_pdf("D:20230601233000-05'00'"), SourceFile("f.pdf", "/c/f.pdf"))
    assert art.date == JUNE_1 and art.is_derived("date") and problems == []


def test_pdf_indirect_title_and_author_are_read():
    data = make_pdf(indirect={"/Title": "Ferry resumes crossings", "/Author": "Eastvale Harbour"})
    (art,), problems = read_pdf(data, SourceFile("ferry.pdf", "/c/ferry.pdf"))
    assert (art.title, art.author, art.is_derived("title")) == ("Ferry resumes crossings", "Eastvale Harbour", False)


def test_pdf_damage_pypdf_repairs_is_a_problem_naming_the_file(capsys):
    data = make_pdf()
    data = data[:data.rindex(b"startxref")] + b"startxref\n99999\n%%EOF\n"  # a wrong pointer pypdf works around
    (art,), problems = read_pdf(data, SourceFile("damaged.pdf", "/c/damaged.pdf"))
    assert art.text == "The ferry resumes on Monday."
    (problem,) = problems
    assert problem.kind == DEGRADED and problem.file == "damaged.pdf" and "startxref" in problem.reason
    assert "re-save or re-download" in problem.reason and "startxref" not in capsys.readouterr().err
