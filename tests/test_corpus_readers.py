"""Each format with each way of giving metadata. Texts are invented for the tests."""
import datetime as dt
import json

import pytest

from corpus import DEGRADED, SKIPPED, SourceFile
from corpus.fields import title_from_text
from corpus.readers import read_csv, read_json, read_jsonl, read_md, read_txt

BODY = "Farmers in Eastvale reported record turnip yields. The mayor praised them.\n\nA second paragraph."


def src(key):
    return SourceFile(key, "/corpus/" + key)


def one(result):
    articles, problems = result
    assert len(articles) == 1, problems
    return articles[0], problems


# --- .txt / .md ---------------------------------------------------------------

def test_txt_front_matter_with_comments_quotes_and_lists():
    text = ("---\n# a comment line\nTitle: \"Turnips: a record\"\nPUBLISHED: 2023-06-01\n"
            "outlet: 'Eastvale Gazette'  # trailing comment\nlink: https://gazette.example/t#x\n"
            "authors:\n  - Ann Lee\n  - Bo Chan\n---\n" + BODY)
    art, problems = one(read_txt(text, src("t.txt")))
    assert problems == []
    assert (art.title, art.date, art.source) == ("Turnips: a record", dt.date(2023, 6, 1), "Eastvale Gazette")
    assert art.url == "https://gazette.example/t#x"
    assert art.author == "Ann Lee, Bo Chan"
    assert art.text == BODY and art.derived == () and art.id == "t.txt"


def test_txt_front_matter_inline_list_and_empty_list():
    art, _ = one(read_txt("---\nauthors: [Ann Lee, \"Bo Chan\"]\n---\nText.", src("a.txt")))
    assert art.author == "Ann Lee, Bo Chan"
    art, _ = one(read_txt("---\nauthors: []\n---\nText.", src("b.txt")))
    assert art.author is None


def test_txt_header_block():
    text = "Title: Turnips\nDate: June 1, 2023\nSource: Gazette\nURL: https://g.example/t\nAuthor: Ann\n\n" + BODY
    art, problems = one(read_txt(text, src("h.txt")))
    assert problems == []
    assert (art.title, art.date, art.source, art.url, art.author) == (
        "Turnips", dt.date(2023, 6, 1), "Gazette", "https://g.example/t", "Ann")
    assert art.text == BODY


def test_txt_header_needs_known_first_key():
    text = "Note: this is prose.\nTitle: not a header\n\nMore."
    art, _ = one(read_txt(text, src("n.txt")))
    assert art.text == text and art.title == "Note: this is prose."
    assert art.derived == ("title",)


def test_txt_plain_derives_title_only():
    art, problems = one(read_txt(BODY, src("p.txt")))
    assert art.title == "Farmers in Eastvale reported record turnip yields."
    assert art.derived == ("title",)
    assert (art.date, art.source, art.url, art.author) == (None, None, None, None)
    assert problems == []


@pytest.mark.parametrize("prefix", [" date 2026-03-05 ", "date 2026-03-05 "])
def test_txt_first_line_date_prefix(prefix):
    text = "---\n# comment\nsource: Gazette\n---\n" + prefix + BODY
    art, problems = one(read_txt(text, src("d.txt")))
    assert art.date == dt.date(2026, 3, 5)
    assert art.text == BODY  # the prefix is not part of the body
    assert art.source == "Gazette" and problems == []


def test_txt_date_prefix_conflicting_with_field_is_reported():
    art, problems = one(read_txt("---\ndate: 2026-03-06\n---\n date 2026-03-05 Body.", src("c.txt")))
    assert art.date == dt.date(2026, 3, 6) and art.text == "Body."
    assert [p.kind for p in problems] == [DEGRADED] and "2026-03-05" in problems[0].reason


def test_txt_crlf_bom_nul_normalised():
    art, _ = one(read_txt("\ufeffTitle: T\r\n\r\nOne\x00 line.\r\n\r\nTwo.\r\n", src("w.txt")))
    assert art.text == "One line.\n\nTwo."


@pytest.mark.parametrize("block,why", [("title: [unclosed", "not valid YAML"),
                                       ("- just\n- a list", "holds a YAML list")])
def test_txt_broken_front_matter_is_reported_and_text_kept(block, why):
    art, problems = one(read_txt(f"---\n{block}\n---\nBody text.", src("y.txt")))
    assert art.text.endswith("Body text.") and art.text.startswith("---")
    assert [p.kind for p in problems] == [DEGRADED] and why in problems[0].reason


def test_txt_front_matter_yaml_dates_keep_their_own_day():
    art, _ = one(read_txt("---\ndate: 2023-06-01T23:30:00-05:00\n---\nBody.", src("z.txt")))
    assert art.date == dt.date(2023, 6, 1)  # in UTC it is already June 2


def test_txt_unclosed_front_matter_is_reported_and_text_kept():
    art, problems = one(read_txt("---\ntitle: T\nBody text.", src("u.txt")))
    assert "Body text." in art.text
    assert problems[0].kind == DEGRADED and "never closed" in problems[0].reason


def test_txt_without_text_is_skipped():
    articles, problems = read_txt("---\ntitle: Only a title\n---\n", src("e.txt"))
    assert articles == [] and problems[0].kind == SKIPPED and "no text" in problems[0].reason


def test_md_heading_is_given_title():
    art, _ = one(read_md("# Turnip Triumph\n\n" + BODY, src("m.md")))
    assert art.title == "Turnip Triumph" and "title" not in art.derived


def test_md_title_field_wins_over_heading():
    art, _ = one(read_md("---\ntitle: Field\n---\n# Heading\n\nText.", src("m.md")))
    assert art.title == "Field"


# --- JSON / JSONL / CSV -----------------------------------------------------------

def test_json_single_object_uses_aliases():
    doc = {"Headline": "H", "maintext": "Body.", "datePublished": "2023-06-01T10:00:00Z",
           "publisher": "Gazette", "canonical_url": "https://g.example/h", "byline": "Ann"}
    art, problems = one(read_json(json.dumps(doc), src("one.json")))
    assert (art.id, art.title, art.text, art.date, art.source, art.url, art.author) == (
        "one.json", "H", "Body.", dt.date(2023, 6, 1), "Gazette", "https://g.example/h", "Ann")
    assert problems == []


@pytest.mark.parametrize("wrap", [lambda xs: xs, lambda xs: {"articles": xs},
                                  lambda xs: {"Items": xs}, lambda xs: {"data": xs, "meta": 1}])
def test_json_lists(wrap):
    records = [{"title": "A", "text": "Alpha."}, "not an object", {"title": "C", "body": "  "},
               {"title": "D", "content": "Delta."}]
    articles, problems = read_json(json.dumps(wrap(records)), src("many.json"))
    assert [(a.id, a.title) for a in articles] == [("many.json#1", "A"), ("many.json#4", "D")]
    assert [(p.kind, p.reason) for p in problems] == [
        (DEGRADED, "1 item not a JSON object; skipped: 2"), (DEGRADED, "1 item no text; skipped: 3")]


def test_json_invalid_is_skipped():
    articles, problems = read_json('{"title": "x", ', src("bad.json"))
    assert articles == [] and problems[0].kind == SKIPPED and "invalid JSON" in problems[0].reason


def test_json_scalar_is_skipped():
    articles, problems = read_json('"just a string"', src("s.json"))
    assert articles == [] and problems[0].kind == SKIPPED and "expected an object" in problems[0].reason


def bench_line(n, **over):
    record = {"url": f"https://www.usatoday.com/story/news/2023/09/25/fake-{n}/", "title": f"Fake story {n}",
              "publish_date": "2023/09/25", "authors": [], "text": f"Invented paragraph {n}.\n\nSecond para."}
    return json.dumps({**record, **over})


def test_jsonl_bench_shape():
    data = "\n".join([bench_line(1), bench_line(2, authors=["Ann Lee", "Bo Chan"]), bench_line(3)]) + "\n"
    articles, problems = read_jsonl(data, src("articles.jsonl"))
    assert problems == []
    assert [a.id for a in articles] == ["articles.jsonl#1", "articles.jsonl#2", "articles.jsonl#3"]
    a = articles[0]
    assert (a.source, a.derived, a.date, a.author) == ("usatoday.com", ("source",), dt.date(2023, 9, 25), None)
    assert a.text == "Invented paragraph 1.\n\nSecond para." and a.title == "Fake story 1"
    assert articles[1].author == "Ann Lee, Bo Chan"


def test_jsonl_bad_lines_reported_once_good_lines_kept():
    lines = [bench_line(1), "{broken", "[1, 2]", "", bench_line(5)] + ["nope"] * 12
    articles, problems = read_jsonl("\n".join(lines), src("b.jsonl"))
    assert [a.id for a in articles] == ["b.jsonl#1", "b.jsonl#5"]
    bad_json = [p for p in problems if "not valid JSON" in p.reason]
    assert len(bad_json) == 1 and bad_json[0].kind == DEGRADED
    assert bad_json[0].reason.startswith("13 lines") and "2, 6, 7" in bad_json[0].reason
    assert "and 3 more" in bad_json[0].reason
    assert any("not a JSON object" in p.reason and ": 3" in p.reason for p in problems)


@pytest.mark.parametrize("value,word", [("someday", "unreadable"), ("03/04/2023", "ambiguous")])
def test_jsonl_bad_date_kept_as_none_with_problem(value, word):
    articles, problems = read_jsonl(bench_line(1, publish_date=value), src("d.jsonl"))
    assert articles[0].date is None
    (p,) = problems
    assert p.kind == DEGRADED and "line 1" in p.reason and "'publish_date'" in p.reason
    assert value in p.reason and word in p.reason and "YYYY-MM-DD" in p.reason


def test_csv_rows():
    data = ("Headline,Body,Published,Site,Link,Authors\r\n"
            "A,\"Alpha, with comma.\n\nPara two.\",2023-06-01,Gazette,https://g.example/a,Ann\r\n"
            "B,,2023-06-02,Gazette,,\r\n"
            "C,Gamma.,not a date,,https://www.other.example/c,\r\n")
    articles, problems = read_csv(data, src("t.csv"))
    assert [a.id for a in articles] == ["t.csv#1", "t.csv#3"]
    a, c = articles
    assert (a.title, a.text, a.date, a.source, a.author) == (
        "A", "Alpha, with comma.\n\nPara two.", dt.date(2023, 6, 1), "Gazette", "Ann")
    assert (c.date, c.source, c.derived) == (None, "other.example", ("source",))
    reasons = [p.reason for p in problems]
    assert any("row 3" in r and "'Published'" in r for r in reasons)
    assert any("no text" in r and ": 2" in r for r in reasons)


def test_title_from_long_first_sentence_is_cut_at_word():
    text = "Word " * 60 + "end. Next sentence."
    title = title_from_text(text)
    assert len(title) <= 120 and title.endswith("\u2026") and not title.endswith(" \u2026")
    assert title[:-1].split() == ["Word"] * len(title[:-1].split())


def test_md_heading_that_is_the_title_leaves_the_text():
    art, _ = one(read_md("# Harbor bridge to reopen early\n\n" + BODY, src("m.md")))
    assert (art.title, art.text) == ("Harbor bridge to reopen early", BODY)  # no "# Harbor…" in passages


def test_md_heading_repeating_the_given_title_leaves_the_text_and_another_stays():
    same = "---\ntitle: Harbor  Bridge to reopen EARLY\n---\n#  harbor bridge to reopen early ##\n\n" + BODY
    art, _ = one(read_md(same, src("m.md")))
    assert (art.title, art.text) == ("Harbor Bridge to reopen EARLY", BODY)
    art, _ = one(read_md("Title: Harbor bridge\n\n# Harbor bridge:  the vote\n" + BODY, src("h.md")))
    assert (art.title, art.text) == ("Harbor bridge", "# Harbor bridge:  the vote\n" + BODY)  # as written
    art, _ = one(read_md("# Only a heading", src("o.md")))  # nothing else to index: the heading stays the text
    assert (art.title, art.text) == ("Only a heading", "# Only a heading")
