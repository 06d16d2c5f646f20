"""Saved web pages through trafilatura. Every page here is invented for the tests."""
import datetime as dt

import pytest

from corpus import SKIPPED, SourceFile
from corpus.web import read_html

PARAS = ["The Eastvale council voted on Tuesday to rebuild the old river bridge, closed since the spring floods "
         "damaged two of its piers.",
         "Mayor Ada Lind said the work would start in March and take about eighteen months, paid for by a state "
         "grant and a local bond approved by voters last year.",
         "Residents who cross the river each day to reach the market have used a ferry since April; the ferry will "
         "keep running until the new bridge opens."]
ARTICLE = "".join(f"<p>{p}</p>" for p in PARAS)
BOILERPLATE = ["Subscribe to our newsletter", "Most read this week", "Turnip prices soar in the valley",
               "Cookie settings", "All rights reserved"]


def page(head="", body=None, title="Council votes to rebuild river bridge"):
    body = body if body is not None else f"<article><h1>{title}</h1>{ARTICLE}</article>"
    return (f"<!doctype html><html><head><title>{title} | Eastvale Gazette</title>{head}</head><body>"
            f"<header><a href='/'>Eastvale Gazette</a> <a href='/sub'>{BOILERPLATE[0]}</a></header>"
            "<nav><ul><li><a href='/news'>News</a></li><li><a href='/sport'>Sport</a></li></ul></nav>"
            f"{body}"
            f"<aside class='sidebar'><h3>{BOILERPLATE[1]}</h3><ul><li><a href='/t'>{BOILERPLATE[2]}</a></li>"
            "<li><a href='/u'>Fair opens early</a></li></ul></aside>"
            f"<div class='cookie-banner'>{BOILERPLATE[3]}</div><footer>© 2023 Eastvale Gazette. {BOILERPLATE[4]}"
            "</footer></body></html>")


def read(html, key="p.html"):
    articles, problems = read_html(html.encode(), SourceFile(key, "/c/" + key))
    assert len(articles) == 1, problems
    return articles[0], problems


def test_boilerplate_around_a_short_article_is_left_out():
    art, problems = read(page(head='<meta property="og:site_name" content="Eastvale Gazette">'
                                   '<link rel="canonical" href="https://gazette.example/bridge">'
                                   '<meta name="author" content="Ann Lee">'))
    assert problems == []
    for para in PARAS:
        assert para in art.text
    for junk in BOILERPLATE:
        assert junk not in art.text
    assert art.text.count("\n\n") >= 2  # paragraphs stay paragraphs
    assert (art.title, art.source, art.url, art.author) == (
        "Council votes to rebuild river bridge", "Eastvale Gazette", "https://gazette.example/bridge", "Ann Lee")
    assert art.derived == ()


def test_the_headline_kept_in_the_body_is_the_title_once_not_the_texts_first_line():
    art, _ = read(page(head='<meta property="og:title" content="Council votes to rebuild river bridge">'))
    assert art.title == "Council votes to rebuild river bridge"
    assert art.text.startswith(PARAS[0])   # the <h1> is not repeated atop the text (and every passage)


def test_a_page_inside_a_form_is_read():
    # Some sites wrap the whole page in one <form> (ASP.NET); the old reader dropped all of it.
    body = f"<form id='aspnetForm' method='post' action='/x'><div id='content'><h1>Bridge</h1>{ARTICLE}</div></form>"
    art, _ = read(page(body=body))
    assert all(p in art.text for p in PARAS)


@pytest.mark.parametrize("head,body_extra", [
    ('<script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle", '
     '"headline": "Council votes to rebuild river bridge", "datePublished": "2023-06-01T09:15:00+02:00"}</script>', ""),
    ("", '<p class="byline">By Ann Lee, <time itemprop="datePublished" datetime="2023-06-01T09:15:00+02:00">'
         "June 1</time></p>"),
    ('<meta itemprop="datePublished" content="2023-06-01">', ""),
])
def test_json_ld_and_itemprop_dates(head, body_extra):
    body = f"<article>{body_extra}<h1>Council votes</h1>{ARTICLE}</article>"
    art, _ = read(page(head=head, body=body))
    assert art.date == dt.date(2023, 6, 1)
    assert "date" not in art.derived


@pytest.mark.parametrize("stamp,day", [
    ("2023-06-01T23:30:00-05:00", dt.date(2023, 6, 1)),   # 04:30 UTC on June 2: the page's own day is June 1
    ("2023-06-02T00:30:00+09:00", dt.date(2023, 6, 2)),   # 15:30 UTC on June 1: the page's own day is June 2
])
def test_a_late_timestamp_keeps_the_pages_own_day(stamp, day):
    head = f'<meta property="article:published_time" content="{stamp}">'
    art, _ = read(page(head=head))
    assert art.date == day


def test_a_date_only_in_the_body_text_is_not_taken():
    art, _ = read(page(body=f"<article><h1>Bridge</h1><p>Posted 3 March 2021</p>{ARTICLE}</article>"))
    assert art.date is None and "date" not in art.derived


def test_a_date_only_in_the_address_is_marked_derived_and_the_markup_wins_over_it():
    head = '<link rel="canonical" href="https://gazette.example/2020/05/17/bridge">'
    art, _ = read(page(head=head))
    assert art.date == dt.date(2020, 5, 17) and art.is_derived("date")
    art, _ = read(page(head=head + '<meta property="article:published_time" content="2020-05-18T08:00:00+02:00">'))
    assert art.date == dt.date(2020, 5, 18) and "date" not in art.derived


def test_outlet_only_from_the_url_is_marked_derived():
    head = '<link rel="canonical" href="https://www.gazette.example/bridge">'
    art, _ = read(page(head=head).replace(" | Eastvale Gazette", ""))
    assert art.url == "https://www.gazette.example/bridge"
    assert art.source == "gazette.example" and art.is_derived("source")


def test_a_page_without_an_article_body_is_reported():
    articles, problems = read_html(b"<html><head><title>Index</title></head><body><nav><a href='/a'>A</a>"
                                   b"<a href='/b'>B</a></nav></body></html>", SourceFile("i.html", "/c/i.html"))
    assert articles == []
    assert problems[0].kind == SKIPPED and "no article body" in problems[0].reason


def test_page_in_a_declared_legacy_encoding():
    html = page().replace("<head>", "<head><meta charset='windows-1252'>").replace("Ada Lind", "Adé Lind")
    articles, _ = read_html(html.encode("cp1252"), SourceFile("l.html", "/c/l.html"))
    assert "Mayor Adé Lind said" in articles[0].text
