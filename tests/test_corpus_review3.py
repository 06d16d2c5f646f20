"""Third review of the corpus readers: halves of UTF-16 pairs in any field (front matter, feeds), a feed
entry dated by its update time, PDF metadata an authoring tool left, AES-encrypted PDFs.
Every text here is invented."""
import datetime as dt
import io
from pathlib import Path

import pytest

from corpus import DEGRADED, SKIPPED, SourceFile, read_path
from corpus.feeds import read_feed
from corpus.fields import make_article
from corpus.front_matter import read_md
from tests.pdf_texts import one_page_writer

ROOT = Path(__file__).resolve().parents[1]
BODY = "The Kessin ferry crossed the river twice on Sunday while the new bridge stayed closed."


def src(key):
    return SourceFile(key, "/c/" + key)


def no_surrogates(art):
    for value in (art.id, art.title, art.text, art.source, art.url, art.author):
        (value or "").encode("utf-8")   # raised UnicodeEncodeError: surrogates not allowed


def reasons(problems):
    return " | ".join(p.reason for p in problems)


# --- 1. lone surrogates, in every reader's fields -------------------------------------------------

def test_front_matter_surrogate_escapes_are_joined_or_replaced_and_reported():
    md = ('---\ntitle: "Ferry party \\ud83d\\ude00 on deck"\nsource: "Kessin Courier \\udc80"\n'
          'author: ["Ola Brandt", "Ines \\ud800"]\ndate: 2023-06-05\n---\n' + BODY)
    (art,), problems = read_md(md, src("party.md"))
    no_surrogates(art)
    assert art.title == "Ferry party \U0001f600 on deck"   # two escapes of one emoji: the emoji
    assert (art.source, art.author) == ("Kessin Courier \ufffd", "Ola Brandt, Ines \ufffd")
    assert [p.kind for p in problems] == [DEGRADED, DEGRADED]
    assert "field 'source'" in problems[0].reason and "field 'author'" in problems[1].reason
    assert "U+FFFD" in problems[0].reason and "both halves" in problems[0].reason


def test_make_article_mends_every_text_field_for_every_reader():
    fields = {"text": ("body", "A lone \udc00 half.\n\nMore text."), "title": ("headline", "Vote \ud800"),
              "url": ("link", "https://k.example/\ud83d\ude00"), "date": ("date", "2023-06-05\udfff")}
    art, problems = make_article(fields, id="k.json#1", file="k.json", where="item 1: ")
    no_surrogates(art)
    assert art.url == "https://k.example/\U0001f600" and art.title == "Vote \ufffd"
    assert all(p.file == "k.json" and p.reason.startswith("item 1: field '") for p in problems)
    assert {"'body'", "'headline'", "'date'"} <= {p.reason.split()[3].rstrip(":") for p in problems}


def test_a_front_matter_surrogate_no_longer_stops_the_build(tmp_path, fake_embedder):
    from index.build import build
    from index.storage import load_generation
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "ok.txt").write_text("Title: Bridge vote\nDate: 2023-06-05\n\nThe council voted for the bridge.\n")
    (folder / "title.md").write_text('---\ntitle: "Lone \\ud800 half"\ndate: 2023-06-05\n---\n' + BODY + "\n")
    (folder / "source.md").write_text('---\ntitle: Ferry\nsource: "Courier \\udc80"\n---\n' + BODY + " Again.\n")
    summary = build(folder, tmp_path / "idx", embedder=fake_embedder)
    articles = load_generation(tmp_path / "idx").articles
    assert sorted(articles) == ["ok.txt", "source.md", "title.md"]
    assert articles["title.md"].title == "Lone \ufffd half" and articles["source.md"].source == "Courier \ufffd"
    assert sum(p.kind == DEGRADED for p in summary.problems) == 2


# --- 2. a feed writing an emoji as references to its two halves -------------------------------------

def feed(second_title, extra=""):
    return (f'<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>Kessin Courier</title>'
            f'<link>https://k.example/</link>\n'
            f'<item><title>Bridge approved</title><link>https://k.example/a</link>'
            f'<pubDate>Mon, 05 Jun 2023 10:00:00 GMT</pubDate><description>{BODY}</description></item>\n'
            f'<item><title>{second_title}</title><link>https://k.example/b</link>{extra}'
            f'<pubDate>Tue, 06 Jun 2023 10:00:00 GMT</pubDate><description>Residents held a street party.'
            f'</description></item>\n</channel></rss>')


@pytest.mark.parametrize("title", ["Party &#55357;&#56832; on the bridge", "Party &#xD83D;&#xde00; on the bridge",
                                   "<![CDATA[Party &#55357;&#56832; on the bridge]]>",
                                   "Party &amp;#55357;&amp;#56832; on the bridge"])
def test_a_pair_of_references_to_utf16_halves_is_the_character(title):
    articles, problems = read_feed(feed(title).encode(), src("k.xml"))
    assert [a.title for a in articles] == ["Bridge approved", "Party \U0001f600 on the bridge"]
    assert problems == []


def test_a_lone_half_reference_costs_that_character_only_and_is_reported_with_its_line():
    articles, problems = read_feed(feed("Party &#55357; on the bridge").encode(), src("k.xml"))
    assert [a.title for a in articles] == ["Bridge approved", "Party \ufffd on the bridge"]
    (p,) = problems
    assert p.kind == DEGRADED and "line(s) 4" in p.reason and "U+FFFD" in p.reason and "&#128512;" in p.reason


def test_a_feed_given_as_text_with_surrogates_is_read():
    articles, problems = read_feed(feed("Party \ud83d\ude00 and \udc00"), src("k.xml"))
    assert articles[1].title == "Party \U0001f600 and \ufffd" and "1 character reference" in reasons(problems)


def test_feedparser_raising_costs_the_feed_with_a_message_not_a_traceback(monkeypatch):
    import feedparser

    def boom(*args, **kwargs):
        raise UnicodeEncodeError("utf-8", "\ud83d", 0, 1, "surrogates not allowed")
    monkeypatch.setattr(feedparser, "parse", boom)
    articles, (p,) = read_feed(feed("Fine").encode(), src("k.xml"))
    assert articles == [] and p.kind == SKIPPED and "feedparser could not read the feed" in p.reason


# --- 3. an update time standing in for the publication date -----------------------------------------

def test_an_atom_entry_with_only_updated_is_dated_derived_and_said():
    atom = ('<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Valley Post</title>'
            '<updated>2023-06-10T12:00:00Z</updated>'
            '<entry><title>Ferry history</title><link href="https://v.example/ferry"/><id>a</id>'
            f'<updated>2023-06-09T23:30:00-05:00</updated><summary>{BODY}</summary></entry>'
            '<entry><title>Bridge opens</title><link href="https://v.example/bridge"/><id>b</id>'
            '<published>2023-06-08T09:00:00Z</published><updated>2023-06-09T10:00:00Z</updated>'
            f'<summary>{BODY} The bridge opened.</summary></entry></feed>')
    (updated, published), (p,) = read_feed(atom.encode(), src("v.atom"))
    assert updated.date == dt.date(2023, 6, 9) and updated.derived == ("date",)   # the day as written
    assert published.date == dt.date(2023, 6, 8) and published.derived == ()
    assert p.kind == DEGRADED and p.reason.startswith("entry 1: no publication date") and "'updated'" in p.reason


def test_dcterms_modified_is_derived_but_dc_date_is_the_items_date():
    rss = ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0" xmlns:dcterms="http://purl.org/dc/terms/" '
           'xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Kessin Courier</title>'
           f'<item><title>Old explainer</title><link>https://k.example/x</link>'
           f'<dcterms:modified>2023-06-09</dcterms:modified><description>{BODY}</description></item>'
           f'<item><title>New story</title><link>https://k.example/y</link>'
           f'<dc:date>2023-06-07</dc:date><description>{BODY} New.</description></item>'
           f'<item><title>Dated story</title><link>https://k.example/z</link>'
           f'<pubDate>Mon, 05 Jun 2023 10:00:00 GMT</pubDate><description>{BODY} Dated.</description></item>'
           '</channel></rss>')
    articles, (p,) = read_feed(rss.encode(), src("k.rss"))
    assert [(a.date, a.derived) for a in articles] == [(dt.date(2023, 6, 9), ("date",)), (dt.date(2023, 6, 7), ()),
                                                       (dt.date(2023, 6, 5), ())]
    assert p.reason.startswith("entry 1: ") and "dcterms:modified" in p.reason and "marked derived" in p.reason


# --- 4. PDF metadata an authoring tool left there ----------------------------------------------------

def make_pdf(text, meta=None, encrypt=False) -> bytes:
    writer = one_page_writer(text)
    writer.add_metadata({f"/{k}": v for k, v in (meta or {}).items()})
    if encrypt:
        writer.encrypt(user_password="", owner_password="owner-only", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize("title", ["Microsoft Word - PR_ferry_final_v3.docx", "Microsoft PowerPoint - deck.pptx",
                                   "untitled", "Untitled document", "Untitled-1", "PR_2023_06_05.indd",
                                   "C:\\Releases\\ferry.doc"])
def test_a_placeholder_pdf_title_is_no_title(tmp_path, title):
    (tmp_path / "release.pdf").write_bytes(make_pdf("Ferry service resumes on Monday.",
                                                    {"Title": title, "CreationDate": "D:20230605"}))
    (result,) = read_path(tmp_path)
    (art,) = result.articles
    assert art.title == "Ferry service resumes on Monday." and art.derived == ("title", "date")
    (p,) = result.problems
    assert p.kind == DEGRADED and "field 'PDF Title'" in p.reason and "placeholder" in p.reason


def test_a_real_pdf_title_and_byline_are_kept_and_an_account_name_is_no_byline(tmp_path):
    (tmp_path / "a.pdf").write_bytes(make_pdf("Ferry text.", {"Title": "Ferry resumes on Monday",
                                                              "Author": "Ola Brandt"}))
    (tmp_path / "b.pdf").write_bytes(make_pdf("Ferry text.", {"Title": "Ferry resumes", "Author": "jdoe"}))
    a, b = (r.articles[0] for r in read_path(tmp_path))
    assert (a.title, a.author, a.derived) == ("Ferry resumes on Monday", "Ola Brandt", ())
    assert (b.title, b.author) == ("Ferry resumes", None)


# --- 5. AES-encrypted PDFs need cryptography ---------------------------------------------------------

def test_an_aes_pdf_opening_without_a_password_is_read_with_what_requirements_txt_installs(tmp_path):
    from tests.test_requirements import required
    assert "cryptography" in required(ROOT / "requirements.txt")   # pypdf imports it only for AES
    pytest.importorskip("cryptography")
    (tmp_path / "restricted.pdf").write_bytes(make_pdf("Ferry fares fall.", {"Title": "Fares"}, encrypt=True))
    (result,) = read_path(tmp_path)
    assert [a.title for a in result.articles] == ["Fares"] and not result.problems


def test_a_missing_optional_package_is_named_with_its_install(tmp_path, monkeypatch):
    import pypdf
    from pypdf.errors import DependencyError

    def needs(*args, **kwargs):
        raise DependencyError("cryptography>=3.1 is required for AES algorithm")
    monkeypatch.setattr(pypdf, "PdfReader", needs)
    (tmp_path / "restricted.pdf").write_bytes(b"%PDF-1.7 stand-in")
    (result,) = read_path(tmp_path)
    (p,) = result.problems
    assert p.kind == SKIPPED and "pip install cryptography" in p.reason and "re-save" not in p.reason


def test_a_news_apis_cut_text_is_indexed_without_its_mark_and_said():
    text = "The Kessin ferry crossed the river twice on Sunday while the new bridge stayed… [+2311 chars]"
    art, problems = make_article({"text": ("content", text), "title": ("title", "Ferry")}, id="n#1", file="n.json")
    assert art.text == "The Kessin ferry crossed the river twice on Sunday while the new bridge stayed"
    assert [p.kind for p in problems] == [DEGRADED] and "[+2311 chars]" in problems[0].reason
    whole, none = make_article({"text": ("text", BODY)}, id="w", file="w.txt")
    assert whole.text == BODY and none == []
