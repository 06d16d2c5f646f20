"""A second review of the corpus changes: a header block keeps the article's own "Key: value" lines, one quoted
tag is no HTML, a feed's path-relative link is left as written, a date refused as in the future is taken
once its day has come, and a port names another server. Every text here is invented for the tests."""
import datetime as dt
import json

import pytest

import corpus.dates
import index.fetch
from corpus.feeds import read_feed
from corpus.readers import read_csv, read_json, read_md, read_txt
from corpus.urls import url_key
from index.build import build
from index.fetch import entry_links
from index.storage import load_generation
from tests.test_corpus_readers import one, src

BODY = "The Quillmoor bridge reopened on Thursday after a month of repairs."


# --- 1. header block: only page metadata is skipped; other keys are the article's text ----------

def test_a_qa_straight_after_the_title_is_the_text():
    qa = ("Q: How many homes did the Quillmoor flood reach?\nA: About 300.\nQ: Who counted them?\n"
          "Source: the county assessor, she said.")
    art, problems = one(read_txt(f"Title: Mayor on the flood\n{qa}\n", src("qa.txt")))
    assert (art.title, art.text, art.source, problems) == ("Mayor on the flood", qa, None, [])


@pytest.mark.parametrize("body", ["", f"\n\n{BODY}"])
def test_a_fact_box_under_the_title_stays_text(body):
    facts = "Deaths: 12\nInjured: 40\nHomes: 300\nSource: Quillmoor county officials"
    art, problems = one(read_txt(f"Title: Storm toll rises\n{facts}{body}", src("f.txt")))
    assert art.text == facts + body and art.source is None and problems == []


def test_page_metadata_keys_are_skipped_without_a_problem_and_the_date_after_them_is_read():
    head = "Title: Bridge back\nSlug: bridge-back\nKeywords: bridge, river\nLast-Modified: 2024-03-04\nLang: en"
    for reader, key in ((read_txt, "m.txt"), (read_md, "m.md")):
        art, problems = one(reader(f"{head}\nDate: 2024-03-01\n\n{BODY}", src(key)))
        assert (art.title, art.date, art.text, problems) == ("Bridge back", dt.date(2024, 3, 1), BODY, [])


def test_a_header_never_leaves_the_article_without_text():
    # Skipping "Tags" would leave nothing: the lines after the title are the text, as before skipping.
    art, problems = one(read_txt("Title: Bridge back\nTags: bridge, river\nDate: 2024-03-01\n", src("t.txt")))
    assert art.text == "Tags: bridge, river\nDate: 2024-03-01" and art.date is None and problems == []


# --- 2. one quoted tag does not make a JSON/CSV text HTML ----------------------------------------

def test_a_text_quoting_one_tag_is_kept_as_written():
    text = ("A comment holding <img src=x onerror=alert(1)> ran code in Quillmoor forum readers' browsers. "
            "The fix escapes the < and > characters.")
    art, _ = one(read_json(json.dumps({"title": "Forum flaw patched", "text": text}), src("x.json")))
    assert art.text == text
    (art,), _ = read_csv('body\n"In the Quillmoor wiki, type <p> to start a paragraph."\n', src("x.csv"))
    assert art.text == "In the Quillmoor wiki, type <p> to start a paragraph."
    # Markup is still read as such: a closing tag, or two paragraph/break tags.
    art, _ = one(read_json(json.dumps({"text": "One<br>two<br>three <img src=a.png>"}), src("b.json")))
    assert art.text == "One\n\ntwo\n\nthree"


# --- 3. a feed entry's link resolved as `python -m index fetch` resolves it ----------------------

RSS = """<?xml version="1.0"?><rss version="2.0"><channel><title>Quillmoor News</title>
<link>https://quillmoor.example/</link><description>x</description>
<item><title>Storm hits</title><link>{link}</link><description>A storm hit Quillmoor on Monday.</description>
</item></channel></rss>"""


def test_a_relative_feed_link_is_a_page_of_the_feeds_site_for_the_reader_and_for_fetch_alike(tmp_path):
    feed = tmp_path / "rss.xml"
    # The feed lives in /news/, its channel link is the site: both sides read "storm.html" as the site's page.
    for link, read in (("storm.html", "https://quillmoor.example/storm.html"),
                       ("/2024/storm.html", "https://quillmoor.example/2024/storm.html"),
                       ("//quillmoor.example/a", "https://quillmoor.example/a")):
        feed.write_text(RSS.format(link=link))
        (art,), _ = read_feed(feed.read_text(), src("rss.xml"))
        fetched = entry_links(feed, "https://quillmoor.example/news/rss.xml")
        assert art.url == read and url_key(art.url) == url_key(fetched[0])


# --- 4. a date refused as in the future is taken once its day has come ---------------------------

def test_a_future_date_is_read_again_once_its_day_comes(tmp_path, monkeypatch, fake_embedder):
    (tmp_path / "news").mkdir()
    (tmp_path / "news" / "embargo.txt").write_text(f"Title: Budget out\nDate: 2030-03-10\n\n{BODY}\n")
    (tmp_path / "news" / "other.txt").write_text(f"Title: Ferry back\nDate: 2030-03-01\n\nThe ferry is back.\n")
    monkeypatch.setattr(corpus.dates, "today", lambda: dt.date(2030, 3, 6))
    first = build(tmp_path / "news", tmp_path / "idx", embedder=fake_embedder)
    dates = {a.file: a.date for a in load_generation(tmp_path / "idx").articles.values()}
    assert dates["embargo.txt"] is None
    assert "date 2030-03-10 is more than" in " ".join(p.reason for p in first.problems)
    monkeypatch.setattr(corpus.dates, "today", lambda: dt.date(2030, 3, 20))
    second = build(tmp_path / "news", tmp_path / "idx", embedder=fake_embedder)
    dates = {a.file: a.date for a in load_generation(tmp_path / "idx").articles.values()}
    assert dates == {"embargo.txt": dt.date(2030, 3, 10), "other.txt": dt.date(2030, 3, 1)}
    assert not second.problems and second.embedded == 1  # other.txt is still reused


def test_too_late_still_says_what_the_build_looks_for():
    from corpus.dates import FUTURE_REFUSED  # index/plan.py finds a refused future date by these words
    assert FUTURE_REFUSED in corpus.dates.too_late(corpus.dates.latest_date() + dt.timedelta(days=1))


# --- 5. a port other than the default is another server ------------------------------------------

def test_url_key_keeps_a_port_other_than_the_default():
    assert url_key("http://h.example:8001/a") != url_key("http://h.example:8002/a")
    assert url_key("http://h.example:80/a") == url_key("https://h.example:443/a/") == url_key("http://h.example/a")


def test_fetch_fetches_the_same_path_on_two_ports(tmp_path, monkeypatch):
    asked = []
    monkeypatch.setattr(index.fetch, "fetch_one", lambda url, *a: asked.append(url) or index.fetch.Fetched(url))
    given = ["http://127.0.0.1:8001/a", "http://127.0.0.1:8002/a", "http://127.0.0.1:8001/a#x"]
    index.fetch.fetch(given, tmp_path)
    assert asked == ["http://127.0.0.1:8001/a", "http://127.0.0.1:8002/a"]


def test_a_feed_entry_on_another_port_is_not_taken_for_a_saved_page(tmp_path, fake_embedder):
    (tmp_path / "news").mkdir()
    page = {"title": "Bridge back", "url": "http://news.example:8001/bridge", "text": BODY}
    (tmp_path / "news" / "page.json").write_text(json.dumps(page))
    (tmp_path / "news" / "feed.xml").write_text(RSS.format(link="http://news.example:8002/bridge"))
    build(tmp_path / "news", tmp_path / "idx", embedder=fake_embedder)
    urls = sorted(a.url for a in load_generation(tmp_path / "idx").articles.values())
    assert urls == ["http://news.example:8001/bridge", "http://news.example:8002/bridge"]


def test_a_date_pushed_out_of_the_header_by_a_line_it_does_not_read_is_said_not_lost_silently():
    from corpus import SourceFile
    from corpus.readers import read_txt
    (art,), problems = read_txt("Title: Rain\nDescription: A wet week.\nDate: 2024-03-04\n\nIt rained on Monday.",
                                SourceFile("d.txt", "/c/d.txt"))
    assert art.date is None and "Date: 2024-03-04" in art.text   # read as text, as the header ended ...
    assert any("'Description'" in p.reason and "'Date'" in p.reason for p in problems)   # ... and said so


def test_a_future_date_not_yet_due_does_not_make_every_build_read_its_file_again(tmp_path, monkeypatch,
                                                                                fake_embedder):
    (tmp_path / "news").mkdir()
    (tmp_path / "news" / "embargo.txt").write_text(f"Title: Budget out\nDate: 2030-03-10\n\n{BODY}\n")
    monkeypatch.setattr(corpus.dates, "today", lambda: dt.date(2030, 3, 6))
    build(tmp_path / "news", tmp_path / "idx", embedder=fake_embedder)
    again = build(tmp_path / "news", tmp_path / "idx", embedder=fake_embedder)   # the same day: nothing changed
    assert again.embedded == 0
