"""Review 3 of saved pages and folders: update times are not publication dates, a day only the page's
address gives is derived, oversized inlined photos, "Save as… complete" folders, and JSON shapes the
readers do not take. Every page and record here is invented for the tests."""
import datetime as dt
import json

import pytest

from corpus import DEGRADED, SKIPPED, SourceFile, list_files, read_path
from corpus.fields import ALIASES
from corpus.readers import read_json, read_jsonl
from corpus.web import read_html

BODY = ("<p>The Eastvale council voted on Monday to approve the new bridge across the river, ending a debate "
        "that has lasted for more than a decade among residents and officials.</p>"
        "<p>Mayor Jane Doe said the bridge would open in the spring and cost about forty million dollars.</p>")
UPDATED = "2023-06-09T10:00:00+00:00"


def page(head="", body_top=""):
    return (f"<html><head><title>Bridge approved</title>{head}</head><body><article><h1>Bridge approved</h1>"
            f"{body_top}{BODY}</article></body></html>")


def read(html, key="p.html"):
    articles, problems = read_html(html.encode(), SourceFile(key, "/c/" + key))
    assert len(articles) == 1, problems
    return articles[0], problems


# --- 1. an update time is never the publication date --------------------------------------------

@pytest.mark.parametrize("head, body_top, marker", [
    (f'<meta property="article:modified_time" content="{UPDATED}">', "", "article:modified_time"),
    (f'<meta property="og:updated_time" content="{UPDATED}">', "", "og:updated_time"),
    ('<script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle", '
     f'"headline": "Bridge approved", "dateModified": "{UPDATED}"}}</script>', "", "dateModified"),
    ('<meta http-equiv="last-modified" content="2023-06-09">', "", "last-modified"),
    ("", f'<time itemprop="dateModified" datetime="{UPDATED}">Updated</time>', "dateModified"),
])
def test_a_page_with_only_its_update_time_is_undated_and_the_marker_named(head, body_top, marker):
    art, problems = read(page(head, body_top))
    assert art.date is None and "date" not in art.derived
    (problem,) = problems
    assert problem.kind == DEGRADED and problem.file == "p.html"
    assert f"'{marker}' (2023-06-09)" in problem.reason and "last updated" in problem.reason
    assert "article:published_time" in problem.reason   # the fix


def test_a_page_with_published_and_modified_markers_keeps_the_published_day():
    published = '<meta property="article:published_time" content="2023-06-05T08:00:00+00:00">'
    modified = f'<meta property="article:modified_time" content="{UPDATED}">'
    # htmldate takes a header's update time before it looks at JSON-LD: the JSON-LD publication must win
    json_ld = ('<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": '
               f'"2023-06-05T08:00:00Z", "dateModified": "{UPDATED}"}}</script>')
    both_names = '<time itemprop="datePublished dateModified" datetime="2023-06-05T08:00:00Z">5 June</time>'
    for head, body_top in ((published + modified, ""), (modified + published, ""),
                           (modified + json_ld, ""), (modified, both_names)):
        art, problems = read(page(head, body_top))
        assert (art.date, art.derived, problems) == (dt.date(2023, 6, 5), (), []), head + body_top


# --- 2. a day only the page's address gives is derived ---------------------------------------------

def test_a_date_only_in_a_relative_canonical_link_is_derived_and_no_url_is_made_up():
    art, problems = read(page('<link rel="canonical" href="/news/2023/06/05/bridge-approved">'))
    assert art.date == dt.date(2023, 6, 5) and "date" in art.derived
    assert art.url is None and art.source is None and problems == []


def test_an_update_time_on_the_day_of_the_address_gives_a_derived_date():
    art, _ = read(page('<link rel="canonical" href="https://gazette.example/news/2023/06/09/bridge">'
                       f'<meta property="article:modified_time" content="{UPDATED}">'))
    assert art.date == dt.date(2023, 6, 9) and "date" in art.derived   # from the address, not the update time


# --- 3. a page over 20 MB -----------------------------------------------------------------------------

def test_a_page_with_a_large_inlined_photo_is_read():
    photo = "QUJD" * 5_300_000   # 21 MB of base64, as a "single file" save inlines a photo
    html = page('<meta property="article:published_time" content="2023-06-05">',
                f'<img src="data:image/jpeg;base64,{photo}">')
    assert len(html) > 21_000_000
    art, problems = read(html)
    assert art.title == "Bridge approved" and "forty million dollars" in art.text
    assert art.date == dt.date(2023, 6, 5) and problems == []


def test_a_page_cut_by_the_parsers_limit_says_so_not_no_body():
    html = page(body_top="<script>var state = '" + "x" * 10_500_000 + "';</script>")
    articles, problems = read_html(html, SourceFile("big.html", "/c/big.html"))
    assert articles == [] and problems[0].kind == SKIPPED
    assert "10 MB" in problems[0].reason and "only navigation" not in problems[0].reason


# --- 4. a browser's "Save as… Web Page, complete" -------------------------------------------------------

def test_the_files_folder_beside_a_saved_page_is_neither_read_nor_reported(tmp_path):
    (tmp_path / "Bridge approved - Gazette.html").write_text(page(), encoding="utf-8")
    resources = tmp_path / "Bridge approved - Gazette_files"
    resources.mkdir()
    (resources / "style.css").write_text("body{}")
    (resources / "app.js").write_text("var x = 1;")
    (resources / "saved_resource.html").write_text(
        "<html><head><title>Advertisement</title></head><body><div><p>Subscribe now to the Gazette and get half "
        "off your first year of unlimited digital access to all our journalism.</p></div></body></html>")
    notes = tmp_path / "notes_files"   # no notes.html beside it: an ordinary folder, read as before
    notes.mkdir()
    (notes / "a.txt").write_text("Date: 2023-06-01\n\nIt rained.")
    files, problems = list_files(tmp_path)
    assert [f.key for f in files] == ["Bridge approved - Gazette.html", "notes_files/a.txt"] and problems == []
    assert [a.title for r in read_path(tmp_path) for a in r.articles] == ["Bridge approved", "It rained."]


# --- 5. JSON shapes the readers do not take -------------------------------------------------------------

def src(key):
    return SourceFile(key, "/c/" + key)


def test_a_guardian_api_response_is_unwrapped_and_its_nested_body_named():
    doc = {"response": {"status": "ok", "total": 1, "results": [
        {"id": "uk-news/2023/jun/05/bridge", "type": "article", "webPublicationDate": "2023-06-05T17:30:00Z",
         "webTitle": "Eastvale bridge approved", "webUrl": "https://www.theguardian.example/uk-news/bridge",
         "fields": {"bodyText": "The Eastvale council voted on Monday to approve the new bridge."}}]}}
    articles, (problem,) = read_json(json.dumps(doc), src("guardian.json"))
    assert articles == [] and problem.kind == SKIPPED and problem.file == "guardian.json"
    assert "'fields.bodyText'" in problem.reason and "'webTitle'" in problem.reason
    assert all(repr(name) in problem.reason for name in ALIASES["text"])


def test_a_list_under_results_is_read_but_an_article_holding_one_stays_an_article():
    articles, problems = read_json(json.dumps({"count": 1, "results": [
        {"title": "Bridge approved", "date": "2023-06-05", "text": "The council approved the bridge."}]}), src("r.json"))
    assert [(a.id, a.title, a.date) for a in articles] == [("r.json#1", "Bridge approved", dt.date(2023, 6, 5))]
    assert problems == []
    one = {"title": "Vote count", "text": "The vote was close.", "results": [{"ward": 1, "yes": 10}]}
    articles, problems = read_json(json.dumps(one), src("one.json"))
    assert [a.id for a in articles] == ["one.json"] and problems == []


def test_a_schema_org_article_names_its_keys_body_first_and_the_text_names_read():
    doc = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Bridge approved",
           "datePublished": "2023-06-05T10:00:00-04:00", "url": "https://gazette.example/news/bridge",
           "publisher": {"@type": "Organization", "name": "Eastvale Gazette"}, "author": [{"name": "Ann"}],
           "inLanguage": "en", "isAccessibleForFree": "True",
           "articleBody": "The Eastvale council voted on Monday to approve the new bridge across the river."}
    articles, (problem,) = read_json(json.dumps(doc), src("schema.json"))
    assert articles == [] and problem.kind == SKIPPED
    assert "keys found: 'articleBody'" in problem.reason   # the longest text first, though 11 keys precede it
    assert all(repr(name) in problem.reason for name in ALIASES["text"])


def test_a_jsonl_file_giving_no_article_is_skipped_and_names_the_keys_it_has():
    lines = [{"title": "Bridge approved", "published": "2023-06-05", "description": "The council approved it."},
             {"title": "Ferry stops", "published": "2023-06-06", "summary": "The ferry will stop."}]
    articles, problems = read_jsonl("\n".join(map(json.dumps, lines)) + "\n{bad", src("feed.jsonl"))
    assert articles == [] and [p.kind for p in problems] == [SKIPPED, SKIPPED]
    assert "'description'" in problems[1].reason and "'summary'" in problems[1].reason
    assert problems[1].reason.endswith("skipped: 1, 2")
    # one line indexed: the file is read in part, degraded as before
    articles, problems = read_jsonl(json.dumps(lines[0]) + "\n" + json.dumps({"text": "Body."}), src("two.jsonl"))
    assert len(articles) == 1 and [p.kind for p in problems] == [DEGRADED]
