"""RSS/Atom feeds and PDFs, as read from a folder. Feeds and PDFs are made here for the tests."""
import datetime as dt
import io

import pytest

from corpus import DEGRADED, SKIPPED, SourceFile, read_path
from corpus.feeds import read_feed

BODY = ("The Eastvale council voted on Tuesday to rebuild the old river bridge, closed since the spring floods. "
        "Mayor Ada Lind said work would start in March.")


def rss(items, title="Eastvale Gazette"):
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
            f'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>{title}</title>'
            f'<link>https://gazette.example/</link>{"".join(items)}</channel></rss>')


def item(n, content=None, summary="Short teaser.", date="Thu, 01 Jun 2023 23:30:00 -0500"):
    full = f"<content:encoded><![CDATA[{content}]]></content:encoded>" if content else ""
    return (f"<item><title>Story {n}</title><link>https://gazette.example/story-{n}</link>"
            f"<pubDate>{date}</pubDate><author>ann@gazette.example (Ann Lee)</author>"
            f"<description><![CDATA[<p>{summary}</p>]]></description>{full}</item>")


def src(key):
    return SourceFile(key, "/c/" + key)


def test_rss_with_full_content():
    content = f"<p>{BODY}</p><p>Second <b>paragraph</b> &amp; more.</p><script>alert(1)</script>"
    articles, problems = read_feed(rss([item(1, content), item(2, content)]).encode(), src("g.rss"))
    assert problems == []
    a = articles[0]
    assert (a.id, a.title, a.url, a.source) == ("g.rss#1", "Story 1", "https://gazette.example/story-1",
                                                "Eastvale Gazette")
    assert a.date == dt.date(2023, 6, 1)  # the feed's own day; in UTC it is already June 2
    assert a.text == BODY + "\n\nSecond paragraph & more."  # the full content, not the teaser; markup gone
    assert "Ann Lee" in a.author and a.derived == ()
    assert [x.id for x in articles] == ["g.rss#1", "g.rss#2"]


def test_a_relative_entry_link_is_a_page_of_the_feeds_site_and_its_saved_page_wins(tmp_path, fake_embedder):
    relative = item(1, BODY).replace("https://gazette.example/story-1", "/news/story-1.html")
    (art,), problems = read_feed(rss([relative]).encode(), src("g.rss"))
    assert art.url == "https://gazette.example/news/story-1.html" and problems == []
    # so the page saved for it is the same story, indexed once (the build reads feeds last)
    from index.build import build
    from index.storage import load_generation
    (tmp_path / "news").mkdir()
    (tmp_path / "news" / "g.rss").write_text(rss([relative]))
    (tmp_path / "news" / "story.html").write_text(
        '<html><head><link rel="canonical" href="https://gazette.example/news/story-1.html"><title>Story 1</title>'
        f'</head><body><article><p>{BODY}</p><p>{BODY}</p></article></body></html>')
    build(tmp_path / "news", tmp_path / "idx", embedder=fake_embedder)
    assert list(load_generation(tmp_path / "idx").articles) == ["story.html"]


def test_atom_with_summaries_only():
    atom = ('<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            "<title>Valley Wire</title><id>urn:v</id><updated>2023-06-02T08:00:00Z</updated>"
            '<entry><title>Ferry keeps running</title><link href="https://wire.example/ferry"/><id>urn:1</id>'
            "<updated>2023-06-02T08:00:00+01:00</updated><summary type='html'>&lt;p&gt;The ferry runs "
            "until the bridge opens.&lt;/p&gt;</summary><author><name>Bo Chan</name></author></entry>"
            "<entry><id>urn:2</id><link href='https://wire.example/no-text'/><title>Empty</title></entry></feed>")
    articles, problems = read_feed(atom.encode(), src("v.atom"))
    (a,) = articles
    assert (a.title, a.source, a.author, a.date) == ("Ferry keeps running", "Valley Wire", "Bo Chan",
                                                     dt.date(2023, 6, 2))
    assert a.text == "The ferry runs until the bridge opens."
    # The entry states only when it was updated: kept as its date, marked derived and said.
    assert "date" in a.derived and [p.kind for p in problems] == [DEGRADED, DEGRADED]
    assert "without text" in problems[0].reason and "'updated'" in problems[1].reason


def test_malformed_feed_keeps_what_parsed_and_reports_the_rest():
    broken = rss([item(1, summary=BODY), item(2, summary="Second story text.")]).replace("</channel></rss>", "")
    broken += "<item><title>Cut off"
    articles, problems = read_feed(broken.encode(), src("cut.xml"))
    assert [a.title for a in articles][:2] == ["Story 1", "Story 2"]
    assert problems[0].kind == DEGRADED and "malformed feed" in problems[0].reason


def test_a_file_that_is_no_feed_is_skipped_with_the_reason():
    articles, problems = read_feed(b"<notes><note>hello</note></notes>", src("notes.xml"))
    assert articles == [] and problems[0].kind == SKIPPED and "not an RSS or Atom feed" in problems[0].reason


def make_pdf(text=None, title=None, created=None) -> bytes:
    """A one-page PDF written with pypdf: a text layer with ``text``, or none (like a scan)."""
    import pypdf
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject
    writer = pypdf.PdfWriter()
    page = writer.add_blank_page(612, 792)
    if text is not None:
        font = DictionaryObject({NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
                                 NameObject("/BaseFont"): NameObject("/Helvetica")})
        page[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): DictionaryObject(
            {NameObject("/F1"): writer._add_object(font)})})
        lines = " ".join(f"({line}) Tj 0 -16 Td" for line in text.split("\n"))
        stream = DecodedStreamObject()
        stream.set_data(f"BT /F1 12 Tf 72 700 Td {lines} ET".encode("latin-1"))
        page[NameObject("/Contents")] = writer._add_object(stream)
    meta = {k: v for k, v in (("/Title", title), ("/CreationDate", created)) if v}
    if meta:
        writer.add_metadata(meta)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def read_folder(tmp_path, files):
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    return {r.source.key: r for r in read_path(tmp_path)}


def test_pdf_text_layer_and_scanned_pdf(tmp_path):
    results = read_folder(tmp_path, {
        "release.pdf": make_pdf("Eastvale council approves the bridge.\nWork starts in March.",
                                title="Bridge release", created="D:20230601233000-05'00'"),
        "scan.pdf": make_pdf(None),
        "broken.pdf": b"%PDF-1.7\n garbage",
        "bad-date.pdf": make_pdf("The ferry resumes on Monday.", created="garbage"),
    })
    (a,) = results["release.pdf"].articles
    assert "Eastvale council approves the bridge." in a.text and "Work starts in March." in a.text
    assert a.title == "Bridge release" and a.date == dt.date(2023, 6, 1) and a.derived == ("date",)
    assert results["scan.pdf"].articles == ()
    assert "no text layer" in results["scan.pdf"].problems[0].reason
    assert "not a readable PDF" in results["broken.pdf"].problems[0].reason
    (undated,) = results["bad-date.pdf"].articles   # a malformed CreationDate costs the date, not the text
    assert undated.text == "The ferry resumes on Monday." and undated.date is None


@pytest.mark.parametrize("name", ["feed.xml", "feed.rss"])
def test_feeds_are_read_from_a_folder_beside_other_files(tmp_path, name):
    results = read_folder(tmp_path, {name: rss([item(1, BODY)]).encode(), "a.txt": b"Plain text story."})
    assert results[name].articles[0].text == BODY and results["a.txt"].articles


def test_a_saved_page_wins_over_its_feed_entry_and_is_indexed_once(tmp_path, fake_embedder):
    from index.build import build
    from index.storage import load_generation
    folder, index_dir = tmp_path / "news", tmp_path / "idx"
    folder.mkdir()
    page = (f"<html><head><title>Story 1 in full</title><link rel='canonical' href='https://www.gazette.example/story-1/'>"
            f"</head><body><article><p>{BODY}</p><p>The full page has this closing paragraph too.</p></article>"
            "</body></html>")
    (folder / "story-1.html").write_text(page)
    (folder / "gazette.rss").write_text(rss([item(1, BODY), item(2, "Story two is only in the feed.")]))

    def indexed():
        data = load_generation(index_dir)
        return sorted((a.id, a.title) for a in data.articles.values())

    build(folder, index_dir, embedder=fake_embedder)
    assert indexed() == [("gazette.rss#2", "Story 2"), ("story-1.html", "Story 1 in full")]
    (folder / "story-1.html").unlink()  # the page gone, its feed entry comes back on the next incremental build
    summary = build(folder, index_dir, embedder=fake_embedder)
    assert summary.mode == "incremental"
    assert indexed() == [("gazette.rss#1", "Story 1"), ("gazette.rss#2", "Story 2")]
    (folder / "story-1.html").write_text(page)
    build(folder, index_dir, embedder=fake_embedder)
    assert indexed() == [("gazette.rss#2", "Story 2"), ("story-1.html", "Story 1 in full")]


def test_bytes_that_spell_a_local_path_are_not_read_as_that_file(tmp_path):
    # feedparser.parse(bytes) opens a local file when the bytes name one; a feed's bytes are data only.
    elsewhere = tmp_path / "other.rss"
    elsewhere.write_text(rss([item(1, summary=BODY)]), encoding="utf-8")
    articles, problems = read_feed(str(elsewhere).encode(), src("path.xml"))
    assert articles == [] and problems[0].kind == SKIPPED and "not an RSS or Atom feed" in problems[0].reason


def test_a_story_in_two_snapshots_of_a_feed_is_indexed_once(tmp_path, fake_embedder):
    from index.build import build
    from index.storage import load_generation
    folder, index_dir = tmp_path / "news", tmp_path / "idx"
    folder.mkdir()
    (folder / "gazette-monday.rss").write_text(rss([item(1, BODY), item(1, BODY)]))   # listed twice, too
    (folder / "gazette-tuesday.rss").write_text(rss([item(2, "Story two came on Tuesday."), item(1, BODY)]))

    def indexed():
        return sorted(a.id for a in load_generation(index_dir).articles.values())

    build(folder, index_dir, embedder=fake_embedder)
    assert indexed() == ["gazette-monday.rss#1", "gazette-tuesday.rss#1"]
    (folder / "gazette-monday.rss").unlink()   # Tuesday's copy of story 1 comes back, incrementally
    assert build(folder, index_dir, embedder=fake_embedder).mode == "incremental"
    assert indexed() == ["gazette-tuesday.rss#1", "gazette-tuesday.rss#2"]
    (folder / "gazette-monday.rss").write_text(rss([item(1, BODY)]))
    build(folder, index_dir, embedder=fake_embedder)
    assert indexed() == ["gazette-monday.rss#1", "gazette-tuesday.rss#1"]
    full = tmp_path / "full"
    build(folder, full, full=True, embedder=fake_embedder)
    assert sorted(a.id for a in load_generation(full).articles.values()) == indexed()


def test_a_feed_whose_entries_a_page_now_covers_is_not_counted_as_removed(tmp_path, fake_embedder):
    from index.build import build
    folder, index_dir = tmp_path / "news", tmp_path / "idx"
    folder.mkdir()
    (folder / "gazette.rss").write_text(rss([item(1, BODY)]))
    build(folder, index_dir, embedder=fake_embedder)
    (folder / "story-1.html").write_text(f"<html><head><title>Story 1</title><link rel='canonical' "
                                         f"href='https://gazette.example/story-1'></head><body><article><p>{BODY}"
                                         "</p></article></body></html>")
    summary = build(folder, index_dir, embedder=fake_embedder)
    assert summary.articles == 1 and summary.removed_files == 0
    (folder / "gazette.rss").unlink()
    assert build(folder, index_dir, embedder=fake_embedder).removed_files == 0   # it gave nothing last time either
