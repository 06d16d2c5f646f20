"""Reader fixes from a review: feeds by declared type, non-UTF-8 file names, YAML aliases, front matter
naming no field, CSV separators and quotes, JSON object values and huge numbers. Inputs are invented here."""
import datetime as dt
import json
import os

import pytest

from corpus import DEGRADED, SKIPPED, SourceFile, read_path
from corpus.feeds import read_feed
from corpus.readers import read_csv, read_json, read_jsonl, read_md, read_txt
from index import storage

RSQUO, NDASH = "\u2019", "\u2013"


def src(key):
    return SourceFile(key, "/c/" + key)


def reasons(problems):
    return " | ".join(str(p) for p in problems)


# --- 1. feeds: text, titles and outlet by the type the feed declares ---------------------------------

def test_rss_cdata_entities_are_decoded_in_text_title_and_outlet():
    rss = ('<rss version="2.0"><channel><title><![CDATA[Barnes &amp; Noble]]></title><item>'
           "<title><![CDATA[Council&#8217;s vote]]></title>"
           "<description><![CDATA[The council&#8217;s vote was 5&#8211;2; AT&amp;T pays.]]></description>"
           "</item></channel></rss>")
    (a,), problems = read_feed(rss.encode(), src("b.rss"))
    assert problems == []
    assert a.title == f"Council{RSQUO}s vote"
    assert a.source == "Barnes & Noble"
    assert a.text == f"The council{RSQUO}s vote was 5{NDASH}2; AT&T pays."


def test_atom_html_titles_lose_their_tags_and_plain_text_keeps_its_angle_brackets():
    atom = ('<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            '<title type="html">Valley &lt;b&gt;Wire&lt;/b&gt;</title>'
            '<entry><id>urn:1</id><title type="html">&lt;em&gt;Rain&lt;/em&gt; &amp;amp; wind</title>'
            '<content type="text">Plain &lt;not a tag&gt; text.</content></entry>'
            '<entry><id>urn:2</id><title type="text">Why 3 &lt; 4 &lt;b&gt; stays</title>'
            '<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>One &amp; <b>two</b>.</p>'
            "<p>Three.</p></div></content></entry></feed>")
    (a, b), problems = read_feed(atom.encode(), src("v.atom"))
    assert problems == []
    assert (a.title, a.source, a.text) == ("Rain & wind", "Valley Wire", "Plain <not a tag> text.")
    assert (b.title, b.text) == ("Why 3 < 4 <b> stays", "One & two.\n\nThree.")


# --- 2. a file name that is not UTF-8 ------------------------------------------------------------

def test_a_file_name_that_is_not_utf8_gets_a_key_the_index_can_write(tmp_path):
    root = os.fsencode(tmp_path)
    with open(root + b"/bad\xffname.txt", "wb") as f:
        f.write(b"The ferry ran late on Monday.")
    os.mkdir(root + b"/dir\xfe")
    with open(root + b"/dir\xfe/in.txt", "wb") as f:
        f.write(b"The bridge opened on Tuesday.")
    results = {r.source.key: r for r in read_path(tmp_path)}
    assert set(results) == {"bad\\xffname.txt", "dir\\xfe/in.txt"}
    for key, result in results.items():
        (art,) = result.articles
        assert art.id == art.file == key
        storage._jsonl([storage._article_row(art)])  # raised UnicodeEncodeError: surrogates not allowed
        (p,) = result.problems
        assert p.file == key and p.kind == DEGRADED and "not valid UTF-8" in p.reason and "rename" in p.reason


def test_an_escaped_name_never_takes_the_key_of_a_file_really_so_named(tmp_path):
    root = os.fsencode(tmp_path)
    with open(root + b"/a\xff.txt", "wb") as f:
        f.write(b"Written under a name that is not UTF-8.")
    (tmp_path / "a\\xff.txt").write_text("Written under a real backslash name.")
    results = list(read_path(tmp_path))
    read = [r for r in results if r.articles]
    assert [(r.source.key, r.articles[0].text) for r in read] == [("a\\xff.txt", "Written under a real "
                                                                   "backslash name.")]
    (skipped,) = [p for r in results for p in r.problems]
    assert skipped.kind == SKIPPED and "another file's name" in skipped.reason and "rename" in skipped.reason


# --- 3. and 4. front matter ----------------------------------------------------------------------

def test_front_matter_with_anchors_or_aliases_is_refused_and_the_file_kept_as_text():
    levels = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    levels += [f"{c}: &{c} [{', '.join([f'*{p}'] * 9)}]" for p, c in zip("abcd", "bcde")]
    text = "---\n" + "\n".join(levels) + "\ntitle: *e\n---\nThe council voted on Monday."
    (art,), problems = read_md(text, src("bomb.md"))
    assert [p.kind for p in problems] == [DEGRADED]
    assert "anchors/aliases" in problems[0].reason and "write the values out" in problems[0].reason
    assert art.text == text and len(art.title) <= 121  # not the expanded lists


def test_front_matter_naming_no_field_is_text_not_dropped():
    text = "---\nEditor's note: this story was corrected on June 2.\n---\nThe council voted on Monday.\n"
    (art,), problems = read_md(text, src("note.md"))
    assert problems == []
    assert "Editor's note: this story was corrected on June 2." in art.text
    assert art.text.endswith("The council voted on Monday.")
    assert art.title == "Editor's note: this story was corrected on June 2."  # the "---" rule is no word


def test_dashes_used_as_a_separator_are_text_without_a_problem():
    text = "---\nBy the newsroom staff\n---\nThe council voted on Monday."
    (art,), problems = read_txt(text, src("sep.txt"))
    assert problems == [] and art.text == text and art.title == "By the newsroom staff"


def test_front_matter_with_only_unknown_keys_is_left_out_and_named():
    (art,), problems = read_md("---\nlayout: post\ntags: [vote]\n---\nThe council voted.", src("j.md"))
    assert art.text == "The council voted." and art.title == "The council voted."
    assert [p.kind for p in problems] == [DEGRADED]
    assert "layout, tags" in problems[0].reason and "title" in problems[0].reason


# --- 5. CSV ---------------------------------------------------------------------------------------

def test_csv_separated_by_semicolons_or_tabs_is_read():
    for sep in ";\t":
        data = sep.join(["title", "date", "text"]) + "\nRain" + sep + "2023-06-01" + sep + "It rained all day.\n"
        (art,), problems = read_csv(data, src("s.csv"))
        assert problems == [] and (art.title, art.date, art.text) == ("Rain", dt.date(2023, 6, 1),
                                                                     "It rained all day.")


def test_csv_without_a_text_column_says_so_and_lists_the_columns():
    articles, problems = read_csv("headline|when|story\nRain|2023-06-01|It rained.\n", src("p.csv"))
    assert articles == []
    (p,) = problems
    assert p.kind == SKIPPED and "no text column" in p.reason and "'headline|when|story'" in p.reason
    assert "body" in p.reason and "semicolons" in p.reason


def test_csv_row_with_an_unclosed_quote_is_reported_by_row_and_line():
    data = 'title,text\nA,"It rained\nB,"Sunny day."\nC,Cloudy.\n'
    articles, problems = read_csv(data, src("q.csv"))
    assert [(a.id, a.title) for a in articles] == [("q.csv#1", "A"), ("q.csv#2", "C")]
    assert "B,Sunny day" in articles[0].text  # nothing lost: the merged row is in its text
    (p,) = problems
    assert p.kind == DEGRADED and "unbalanced quotes" in p.reason and "1 (lines 2-3)" in p.reason


def test_csv_row_with_more_fields_than_the_header_is_reported():
    articles, problems = read_csv("title,text\nA,It rained, then stopped.\nB,Sunny.,\n", src("w.csv"))
    assert [a.text for a in articles] == ["It rained", "Sunny."]
    (p,) = problems
    assert p.kind == DEGRADED and "more fields than the header" in p.reason and p.reason.endswith(": 1")


# --- 6. JSON object values, huge numbers ------------------------------------------------------------

def test_newsapi_source_and_authors_objects_give_their_names():
    doc = {"status": "ok", "articles": [{
        "source": {"id": "cnn", "name": "CNN"}, "authors": [{"name": "Ann Lee"}, {"name": "Bo Chan"}],
        "title": "Rain", "url": "https://cnn.example/rain", "publishedAt": "2023-06-01T10:00:00Z",
        "content": "It rained."}]}
    (art,), problems = read_json(json.dumps(doc), src("n.json"))
    assert problems == []
    assert (art.source, art.author, art.date) == ("CNN", "Ann Lee, Bo Chan", dt.date(2023, 6, 1))


def test_wordpress_rendered_content_and_title_are_read_as_html():
    doc = [{"date": "2023-06-01T10:00:00", "link": "https://g.example/?p=5",
            "title": {"rendered": "Council&#8217;s vote"},
            "content": {"rendered": "<p>The vote was 5&#8211;2.</p>\n<p>Second.</p>", "protected": False}}]
    (art,), problems = read_json(json.dumps(doc), src("wp.json"))
    assert problems == []
    assert (art.title, art.text) == (f"Council{RSQUO}s vote", f"The vote was 5{NDASH}2.\n\nSecond.")


def test_an_object_value_without_a_name_is_reported_not_shown_as_its_repr():
    (art,), problems = read_json(json.dumps({"source": {"id": "cnn"}, "text": "It rained."}), src("o.json"))
    assert art.source is None
    (p,) = problems
    assert p.kind == DEGRADED and "field 'source'" in p.reason and "name" in p.reason


def test_a_5000_digit_number_costs_nothing():
    big = "1" * 5000
    lines = ['{"text": "One."}', '{"text": "Two.", "n": ' + big + "}", '{"text": "Three."}']
    articles, problems = read_jsonl("\n".join(lines), src("b.jsonl"))
    assert [a.text for a in articles] == ["One.", "Two.", "Three."] and problems == []
    (art,), problems = read_json('{"text": "Big.", "n": ' + big + "}", src("b.json"))
    assert art.text == "Big." and problems == []


# --- 7. saved pages in other character sets: by the page's declaration, else Windows-1252 ---------------

PAGE = ("<html><head>{meta}<title>Bridge</title></head><body><article><h1>Bridge vote</h1>"
        + "<p>The caf\u00e9 \u201cquoted\u201d \u2013 the council of Eastvale met on Monday evening and voted to "
          "repair the old bridge over the river before winter arrives.</p>" * 3 + "</article></body></html>")


def read_page(tmp_path, name, data):
    (tmp_path / name).write_bytes(data)
    (result,) = read_path(tmp_path / name)
    return result.articles[0].text, reasons(result.problems)


def test_a_page_in_a_declared_legacy_charset_is_read_as_declared(tmp_path):
    page = PAGE.format(meta='<meta charset="windows-1252">').encode("cp1252")
    text, problems = read_page(tmp_path, "latin.html", page)
    assert "The caf\u00e9 \u201cquoted\u201d \u2013 the council" in text and problems == ""


def test_an_undeclared_page_that_is_not_utf8_is_read_as_windows_1252_and_said(tmp_path):
    text, problems = read_page(tmp_path, "nodecl.html", PAGE.format(meta="").encode("cp1252"))
    assert "The caf\u00e9 \u201cquoted\u201d \u2013 the council" in text
    assert "declares no character set" in problems and "windows-1252" in problems


def test_an_undeclared_page_in_another_script_is_read_in_the_charset_detected(tmp_path):
    body = "<p>" + "Новый мост открыт. " * 8 + "</p>"
    page = f"<html><head><title>Мост</title></head><body><article>{body}</article></body></html>"
    text, problems = read_page(tmp_path, "ru.html", page.encode("cp1251"))
    assert "Новый мост" in text and "cp1251 (detected)" in problems
    prolog = '<?xml version="1.0" encoding="windows-1251"?>' + page   # an XHTML declaration is a declaration
    text, problems = read_page(tmp_path, "ru-x.html", prolog.encode("cp1251"))
    assert "Новый мост" in text and problems == ""


def test_one_bad_byte_in_a_utf8_page_costs_that_byte_only(tmp_path):
    data = PAGE.format(meta='<meta charset="utf-8">').encode("utf-8").replace("caf\u00e9".encode(), b"caf\xe9", 1)
    text, problems = read_page(tmp_path, "mixed.html", data)
    assert "The caf\ufffd \u201cquoted\u201d \u2013 the council" in text and text.count("\ufffd") == 1
    assert "1 byte(s) were not valid utf-8" in problems


def test_a_broken_utf16_file_keeps_its_text_and_says_what_was_replaced(tmp_path):
    data = "Title: Wide\n\nWide text that ends badly.".encode("utf-16") + b"\x00\xd8"   # a lone high surrogate
    (tmp_path / "w.txt").write_bytes(data)
    (result,) = read_path(tmp_path / "w.txt")
    assert result.articles[0].text.startswith("Wide text that ends badly.")
    assert "1 UTF-16 code unit(s) were not valid" in reasons(result.problems)


def test_utf32_text_is_read_and_fetch_refuses_what_the_reader_would_skip(tmp_path):
    from index.fetch import FetchError
    from index.fetch_kinds import saved_form
    (tmp_path / "wide.txt").write_bytes("Title: Ferry resumes\n\nThe ferry to Kessin runs again.\n".encode("utf-32"))
    (wide,) = read_path(tmp_path / "wide.txt")
    assert [a.title for a in wide.articles] == ["Ferry resumes"] and not wide.problems
    page = b"<html><body>" + b"x" * 4000 + b"\0" * 4000   # text at first, then mostly NUL: the reader skips it
    (tmp_path / "nul.html").write_bytes(page)
    (nul,) = read_path(tmp_path / "nul.html")
    assert nul.articles == () and nul.problems[0].kind == SKIPPED
    with pytest.raises(FetchError, match="binary data"):   # one rule: fetch never saves what the reader skips
        saved_form(page, "text/html", None)
