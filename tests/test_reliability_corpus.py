"""Hostile corpus files, through the whole build: it completes, every problem file is reported
with its reason, and every good file is indexed. Reader-level cases are in tests/test_corpus_*.py."""
import json
import os
import tempfile
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corpus import read_file
from index.build import build
from index.storage import load_generation
from tests.conftest import FakeEmbedder

GOOD = "Title: Ferry news {n}\nDate: 2024-02-0{d}\nSource: Test Wire\n\nThe ferry number {n} ran on time today.\n"
LONG_LINE = "The council debated the harbour budget again " * 25_000  # ~1.1 MB on one line, no full stop

# name -> bytes, and what the build must say: "ok", ("degraded", reason part) or ("skipped", reason part)
HOSTILE = {
    "random.txt": (bytes(range(256)) * 40, "reported"),  # few NULs: read as text, bad bytes replaced
    "binary.txt": (bytes(range(256)) * 4 + b"\x00" * 2000, ("skipped", "binary")),
    "empty-list.json": (b"[]", ("skipped", "no articles found")),
    "zero.txt": (b"", ("skipped", "empty file")),
    "nul.txt": (b"Title: Nul\n\nA text with a\x00 NUL byte inside it.", "ok"),
    "bom-crlf.txt": ("\ufeffTitle: Bom\r\nDate: 2024-01-02\r\n\r\nWindows line ends.\r\n".encode(), "ok"),
    "utf16.txt": ("Title: Wide\n\nUTF-16 with a BOM.".encode("utf-16"), "ok"),
    "bad-utf8.txt": (b"Title: Mixed\n\nGood text \xff\xfe then more good text.", ("degraded", "not valid UTF-8")),
    "long-line.txt": (LONG_LINE.encode(), "ok"),
    "nested.json": (b"[" * 100_000, ("skipped", "RecursionError")),
    "nested.jsonl": (b'{"text": "A good line."}\n' + b"[" * 100_000 + b"\n", ("degraded", "1 line not valid JSON")),
    "surrogate.json": (b'{"title": "Lone \\ud800", "text": "A lone \\udc00 surrogate escape."}', "ok"),
    "escapes.txt": (b"Title: \x1b[31mRed\x1b[0m\n\nTerminal \x1b]0;owned\x07 escapes.", "ok"),
    "broken.json": (b'{"text": "unterminated', ("skipped", "invalid JSON")),
    "scalar.json": (b"42", ("skipped", "expected an object")),
    "notext.json": (b'{"title": "Only a title"}', ("skipped", "no text")),
    "huge-field.json": (json.dumps({"title": "Big", "text": "Word. " * 200_000}).encode(), "ok"),
    "bad.csv": (b'title,text\n"x,"unterminated\n', "any"),
    "fake.pdf": (b"%PDF-1.4", ("skipped", "not a readable PDF")),
    "fake.rss": (b"<html><p>not a feed</p></html>", ("skipped", "not an RSS or Atom feed")),
    "photo.jpg": (b"\xff\xd8\xff\xe0", ("skipped", "unsupported file type")),
    "tag.html": (b"<html><body><article><p>A <b>bold</b> & <script>x()</script> claim about the river bridge.</p>"
                 b"</article></body></html>",
                 "ok"),
}
DATES = {  # value -> the date read, or None (unknown: reported unless empty)
    "2023-06-01": "2023-06-01", "2023/06/01": "2023-06-01", "2023-06-01T12:00:00Z": "2023-06-01",
    "Thu, 01 Jun 2023 12:00:00 +0000": "2023-06-01", "June 1, 2023": "2023-06-01", "1 June 2023": "2023-06-01",
    "2023-02-30": None, "yesterday": None, "0000-00-00": None, "99999-01-01": None, "06/01/2023": None,
    "2023-13-45": None, "\x00": None, "1" * 400: None,
}


def run_build(folder, index_dir):
    summary = build(folder, index_dir, embedder=FakeEmbedder())
    return summary, load_generation(index_dir), {p.file: p for p in summary.problems}


def _hostile_folder(tmp_path):
    """Three good texts beside every hostile file, odd dates, a pipe, an endless device, a link loop."""
    folder = tmp_path / "news"
    folder.mkdir()
    for n in range(1, 4):
        (folder / f"good-{n}.txt").write_text(GOOD.format(n=n, d=n))
    for name, (data, _) in HOSTILE.items():
        (folder / name).write_bytes(data)
    lines = [json.dumps({"text": f"Dated story {i}.", "date": v}) for i, v in enumerate(DATES)]
    lines += [json.dumps({"text": "Odd date type.", "date": v}) for v in (12345, [], {"a": 1}, True)]
    (folder / "dates.jsonl").write_text("\n".join(lines))
    os.mkfifo(folder / "pipe.txt")                           # would block a plain open() forever
    os.symlink("/dev/zero", folder / "endless.txt")          # a device that never ends
    os.symlink(folder / "loop.txt", folder / "loop.txt")     # a link to itself
    (folder / "folder.txt").mkdir()                          # a folder named like a file: walked into
    (folder / "folder.txt" / "inner.md").write_text("# Inner\n\nA note inside.")
    return folder


def test_a_folder_of_hostile_files_builds_and_reports_each(tmp_path):
    summary, data, problems = run_build(_hostile_folder(tmp_path), tmp_path / "idx")

    indexed = {a.file for a in data.articles.values()}
    expect_ok = {f"good-{n}.txt" for n in (1, 2, 3)} | {"dates.jsonl", "folder.txt/inner.md"} | {
        name for name, (_, want) in HOSTILE.items() if want == "ok" or want[0] == "degraded"}
    assert expect_ok <= indexed
    for name, (_, want) in HOSTILE.items():
        if want == "reported":
            assert name in problems, name
        elif want not in ("ok", "any"):
            assert name in problems and problems[name].kind == want[0] and want[1] in problems[name].reason, name
        if want == "ok":
            assert name not in problems or problems[name].kind == "degraded", problems.get(name)
    for name in ("pipe.txt", "endless.txt"):
        assert "not a regular file" in problems[name].reason
    assert "symlink loop" in problems["loop.txt"].reason
    assert summary.files == len(indexed) and len(data.passages) == len(data.store) == summary.passages

    # What came in is clean text: no control characters, no lone surrogates, markup kept as text.
    texts = [a.text + a.title for a in data.articles.values()]
    assert not any(c in t for t in texts for c in "\x00\x1b\x07") and all(t.encode("utf-8") for t in texts)
    assert "Red" in data.articles["escapes.txt"].title and "\ufffd" in data.articles["surrogate.json"].text
    by_line = {a.text: a for a in data.articles.values() if a.file == "dates.jsonl"}
    for i, (value, want) in enumerate(DATES.items()):
        got = by_line[f"Dated story {i}."].date
        assert (got.isoformat() if got else None) == want, value
    assert "date left unknown" in problems["dates.jsonl"].reason


def test_a_100_mb_file_is_skipped_without_being_read(tmp_path, monkeypatch):
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD.format(n=1, d=1))
    block = (b"A very long wire feed line about the harbour. " * 23_000)[:2**20]
    with open(folder / "big.txt", "wb") as f:
        for _ in range(100):
            f.write(block)
    peaks = {}

    def measured(source, *args):  # the memory each file's read takes, as the build calls it
        tracemalloc.reset_peak()
        result = read_file(source, *args)
        peaks[source.key] = tracemalloc.get_traced_memory()[1]
        return result
    monkeypatch.setattr("index.plan.read_file", measured)
    tracemalloc.start()
    try:
        summary, data, problems = run_build(folder, tmp_path / "idx")
    finally:
        tracemalloc.stop()
    assert "too large" in problems["big.txt"].reason and "104,857,600 bytes" in problems["big.txt"].reason
    assert {a.file for a in data.articles.values()} == {"good.txt"}
    assert peaks["big.txt"] - peaks["good.txt"] < 2**20, f"{peaks}: the big file was read"


def test_an_unreadable_file_is_reported_and_the_rest_indexed(tmp_path, monkeypatch):
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD.format(n=1, d=1))
    (folder / "secret.txt").write_text(GOOD.format(n=2, d=2))
    real_open = open

    def deny(path, *args, **kwargs):  # tests run as root, where chmod 000 does not stop a read
        if str(path).endswith("secret.txt"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)
    monkeypatch.setattr("builtins.open", deny)
    summary, data, problems = run_build(folder, tmp_path / "idx")
    assert "Permission denied" in problems["secret.txt"].reason and summary.articles == 1


EXTENSIONS = [".txt", ".md", ".html", ".json", ".jsonl", ".csv", ".xml", ".pdf"]
CONTENT = st.one_of(
    st.binary(max_size=3000),
    st.text(max_size=2000).map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=50),
                 lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
                     st.sampled_from(["title", "text", "date", "source", "url", "author", "x"]), inner, max_size=5),
                 max_leaves=20).map(lambda doc: json.dumps(doc).encode()),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(files=st.lists(st.tuples(st.sampled_from(EXTENSIONS), CONTENT), min_size=1, max_size=4))
def test_random_files_never_break_a_build(files):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "news"
        folder.mkdir()
        (folder / "good.txt").write_text(GOOD.format(n=1, d=1))
        for i, (ext, data) in enumerate(files):
            (folder / f"f{i}{ext}").write_bytes(data)
        summary, data, problems = run_build(folder, Path(tmp) / "idx")
        files_indexed = {a.file for a in data.articles.values()}
        assert "good.txt" in files_indexed
        for i, (ext, _) in enumerate(files):  # each file is indexed or reported, never silently lost
            key = f"f{i}{ext}"
            assert key in files_indexed or key in problems, key
        assert len(data.passages) == len(data.store) == summary.passages
