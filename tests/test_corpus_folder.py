"""Listing and reading folders: the founding article, the bench data, and every kind of bad file."""
import datetime as dt
import hashlib
import os
import subprocess
import sys

import pytest

import corpus
from corpus import DEGRADED, SKIPPED, CorpusNotFound, SourceFile, file_digest, list_files, read_file, read_path

FOUNDING = "2026-03-05-anthropic-pentagon-talks.txt"


def check_founding(result):
    assert result.problems == ()
    (art,) = result.articles
    assert art.date == dt.date(2026, 3, 5)
    assert art.source == "Cointelegraph"
    assert art.text.startswith("Anthropic CEO")
    assert art.title and art.title.startswith("Anthropic CEO") and art.derived == ("title",)
    assert art.url is None and art.author is None


def test_founding_article_in_repo(repo_root):
    results = [r for r in read_path(repo_root / "corpus" / "texts") if r.source.key == FOUNDING]
    assert len(results) == 1
    check_founding(results[0])
    assert results[0].articles[0].id == FOUNDING


def test_founding_article_in_shared_seed(seed_dir):
    path = seed_dir / FOUNDING
    if not path.exists():
        pytest.skip(f"no seed article at {path}")
    (result,) = read_path(path)
    assert result.source.key == FOUNDING
    assert result.articles[0].date == dt.date(2026, 3, 5)
    assert result.articles[0].text.startswith("Anthropic CEO")


def test_bench_articles(bench_dir):
    path = bench_dir / "articles.jsonl"
    if not path.exists():
        pytest.skip(f"no bench data at {path}")
    (result,) = read_path(path)
    assert len(result.articles) == 2133
    assert [p for p in result.problems if p.kind == SKIPPED] == []
    assert all(a.source and a.is_derived("source") for a in result.articles)
    assert sum(a.date is not None for a in result.articles) > 2000


def write(root, key, data):
    path = root / key
    path.parent.mkdir(parents=True, exist_ok=True)
    (path.write_bytes if isinstance(data, bytes) else path.write_text)(data)
    return path


@pytest.fixture
def messy(tmp_path):
    """A folder with good files among every kind of bad one."""
    write(tmp_path, "good.txt", "Title: Good\n\nA good invented story.")
    write(tmp_path, "sub/deeper/b.md", "# B heading\n\nBody of b.")
    write(tmp_path, "sub/c.jsonl", '{"text": "One."}\n{oops\n{"text": "Three."}\n')
    write(tmp_path, "latin1.txt", "Caf\xe9 opened on Main Street. More text.".encode("latin-1"))
    write(tmp_path, "empty.txt", b"")
    write(tmp_path, "blob.txt", b"\x00\x01\x02\x00" * 100)
    write(tmp_path, "disguised.html", b"%PDF-1.7 rest of a pdf")
    write(tmp_path, "scan.pdf", b"%PDF-1.7")
    write(tmp_path, "photo.jpg", b"\xff\xd8\xff\xe0")
    write(tmp_path, ".hidden.txt", "Hidden text.")
    write(tmp_path, ".git/config.txt", "Hidden folder.")
    write(tmp_path, "__pycache__/x.txt", "Cache.")
    write(tmp_path, "module.py", "print('code')")
    write(tmp_path, "module.pyc", b"\x00\x00")
    os.symlink(tmp_path / "sub", tmp_path / "sub" / "loop")  # a folder that contains itself
    os.symlink(tmp_path / "missing.txt", tmp_path / "dangling.txt")
    return tmp_path


def test_list_files_sorted_keys_and_problems(messy):
    files, problems = list_files(messy)
    assert [f.key for f in files] == ["blob.txt", "disguised.html", "empty.txt", "good.txt", "latin1.txt",
                                      "scan.pdf", "sub/c.jsonl", "sub/deeper/b.md"]
    assert all(os.path.isabs(f.path) for f in files)
    by_key = {p.file: p for p in problems}
    assert set(by_key) == {"dangling.txt", "photo.jpg", "sub/loop"}
    assert all(p.kind == SKIPPED for p in problems)
    assert "unsupported file type '.jpg'; supported:" in by_key["photo.jpg"].reason
    assert ".jsonl" in by_key["photo.jpg"].reason and ".pdf" in by_key["photo.jpg"].reason
    assert "broken symlink" in by_key["dangling.txt"].reason
    assert "already read" in by_key["sub/loop"].reason


def test_read_path_reads_every_good_file(messy):
    results = {r.source.key: r for r in read_path(messy)}
    assert results["good.txt"].articles[0].title == "Good"
    assert results["sub/deeper/b.md"].articles[0].title == "B heading"
    assert [a.id for a in results["sub/c.jsonl"].articles] == ["sub/c.jsonl#1", "sub/c.jsonl#3"]
    assert results["sub/c.jsonl"].problems[0].kind == DEGRADED
    latin = results["latin1.txt"]
    assert latin.articles[0].text == "Caf\ufffd opened on Main Street. More text."
    assert latin.problems[0].kind == DEGRADED and "1 byte(s)" in latin.problems[0].reason
    for key, reason in [("empty.txt", "empty file"), ("blob.txt", "binary file"), ("disguised.html", "binary file"),
                        ("scan.pdf", "not a readable PDF"), ("photo.jpg", "unsupported"), ("dangling.txt", "broken symlink")]:
        assert results[key].articles == () and results[key].problems[0].kind == SKIPPED
        assert reason in results[key].problems[0].reason, key
    assert results["dangling.txt"].sha256 == ""


def test_random_bytes_named_txt_are_skipped_as_binary_not_indexed_as_text(tmp_path):
    import random
    noise = random.Random(7).randbytes(3000)
    assert noise.count(0) < 300   # few NULs: the NUL rule alone let it through as 40 % replacement characters
    write(tmp_path, "noise.txt", noise)
    write(tmp_path, "ok.txt", "Title: Ferry\n\nThe ferry\tsailed.\r\nIt came back.\n")
    results = {r.source.key: r for r in read_path(tmp_path)}
    assert results["noise.txt"].articles == () and "binary file" in results["noise.txt"].problems[0].reason
    assert results["ok.txt"].articles[0].title == "Ferry"


def test_list_single_file_and_missing_path(tmp_path):
    path = write(tmp_path, "deep/one.json", '{"text": "Solo."}')
    files, problems = list_files(path)
    assert files == [SourceFile("one.json", str(path))] and problems == []
    (result,) = read_path(path)
    assert result.articles[0].id == "one.json"
    with pytest.raises(CorpusNotFound, match="not found"):
        list_files(tmp_path / "nope")


def test_file_digest_and_result_sha(tmp_path):
    path = write(tmp_path, "a.txt", "Some text." * 1000)
    assert file_digest(path) == hashlib.sha256(path.read_bytes()).hexdigest()
    assert read_file(SourceFile("a.txt", str(path))).sha256 == file_digest(path)


def test_undecodable_bytes_mid_text_keep_good_text(tmp_path):
    path = write(tmp_path, "m.txt", b"Good start.\n\nBad \xff\xfe bytes.\n\nGood end.")
    result = read_file(SourceFile("m.txt", str(path)))
    assert result.articles[0].text == "Good start.\n\nBad \ufffd\ufffd bytes.\n\nGood end."
    assert [(p.kind, "2 byte(s)" in p.reason) for p in result.problems] == [(DEGRADED, True)]


def test_utf16_with_bom_is_text(tmp_path):
    path = write(tmp_path, "w.txt", "Title: Wide\n\nWide text.".encode("utf-16"))
    result = read_file(SourceFile("w.txt", str(path)))
    assert result.problems == () and result.articles[0].title == "Wide"


def test_too_large_file_is_skipped_with_fix(tmp_path):
    path = write(tmp_path, "big.txt", "x" * 2000)
    result = read_file(SourceFile("big.txt", str(path)), max_bytes=1000)
    (p,) = result.problems
    assert p.kind == SKIPPED and "2,000 bytes" in p.reason and "1,000" in p.reason and "split" in p.reason
    assert read_file(SourceFile("big.txt", str(path)), max_bytes=2000).articles


def test_unreadable_file_is_skipped(tmp_path, monkeypatch):
    path = write(tmp_path, "locked.txt", "Secret.")
    if os.geteuid() != 0:
        path.chmod(0)
    else:  # root reads anything, so make open() fail the way a locked file does
        real_open = open

        def deny(file, *args, **kwargs):
            if str(file) == str(path):
                raise PermissionError(13, "Permission denied", str(file))
            return real_open(file, *args, **kwargs)
        monkeypatch.setattr("builtins.open", deny)
    try:
        result = read_file(SourceFile("locked.txt", str(path)))
    finally:
        path.chmod(0o644)
    assert result.articles == () and result.sha256 == ""
    assert result.problems[0].kind == SKIPPED and "Permission denied" in result.problems[0].reason


def test_reader_crash_is_contained(tmp_path, monkeypatch):
    def boom(text, source):
        raise RuntimeError("reader bug")
    monkeypatch.setitem(corpus.folder.READERS, ".txt", boom)
    write(tmp_path, "a.txt", "Text.")
    write(tmp_path, "b.md", "Text.")
    results = {r.source.key: r for r in read_path(tmp_path)}
    assert "RuntimeError: reader bug" in results["a.txt"].problems[0].reason
    assert results["a.txt"].problems[0].kind == SKIPPED
    assert results["b.md"].articles[0].text == "Text."


def test_import_and_plain_text_stay_light(tmp_path):
    """Importing corpus, listing a folder and reading .txt load no extractor: those load with their format."""
    write(tmp_path, "a.txt", "---\ndate: June 1, 2023\n---\nText.")
    write(tmp_path, "b.html", "<html><body><p>A page.</p></body></html>")
    code = ("import sys, corpus; files, _ = corpus.list_files(sys.argv[1]); "
            "corpus.read_file(next(f for f in files if f.key == 'a.txt')); "
            "std = sys.stdlib_module_names; "
            "print(sorted({m.split('.')[0] for m in sys.modules} - set(std) - {'corpus', '__main__'}))")
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True,
                         cwd=os.path.dirname(os.path.dirname(corpus.__file__)), check=True)
    loaded = set(eval(out.stdout))
    assert {"yaml", "dateutil"} <= loaded  # the .txt was really read, front matter and date too
    assert not loaded & {"trafilatura", "lxml", "htmldate", "feedparser", "pypdf", "torch", "numpy"}, loaded


def test_unreadable_folder_is_skipped(tmp_path, monkeypatch):
    write(tmp_path, "ok/a.txt", "Readable.")
    write(tmp_path, "locked/b.txt", "Unreachable.")
    real_scandir = os.scandir

    def deny(path="."):  # root can list anything, so fail the way a chmod 000 folder does
        if os.path.basename(os.fspath(path)) == "locked":
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_scandir(path)
    monkeypatch.setattr(os, "scandir", deny)
    files, problems = list_files(tmp_path)
    assert [f.key for f in files] == ["ok/a.txt"]
    assert [(p.file, p.kind) for p in problems] == [("locked", SKIPPED)]
    assert "Permission denied" in problems[0].reason


def test_second_link_to_a_folder_is_read_once(tmp_path):
    write(tmp_path, "real/a.txt", "Once.")
    os.symlink(tmp_path / "real", tmp_path / "alias")
    files, problems = list_files(tmp_path)
    assert [f.key for f in files] == ["real/a.txt"]  # the real folder wins though "alias" sorts first
    assert [p.file for p in problems] == ["alias"]
