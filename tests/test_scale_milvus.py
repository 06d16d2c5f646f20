"""Milvus as the vector store: Milvus Lite on a temporary path, and its gRPC server on 127.0.0.1.

A Milvus-backed index must answer exactly as the FAISS one built from the same corpus, with
since/until/as_of/sources evaluated by Milvus itself; generations map to collections behind an
alias; a Milvus that cannot be reached is one line naming its URI. Nothing leaves the machine.
"""
import datetime as dt
import subprocess
import sys

import numpy as np
import pytest

pytest.importorskip("pymilvus", reason="needs requirements-scale.txt")

from index.build import build  # noqa: E402
from index.milvus_client import MilvusMissing, MilvusUnreachable, connect  # noqa: E402
from index.storage import current_generation, read_manifest  # noqa: E402
from index.where import Where, allowed_rows  # noqa: E402
from search.searcher import Searcher  # noqa: E402
from tests.conftest import REPO_ROOT  # noqa: E402
from tests.milvus_server import free_port, milvus_lite_server  # noqa: E402
from tests.news_texts import write_corpus  # noqa: E402

OUTLETS = ("Harbour Gazette", 'O"Neil\'s \\Post', "Valley Times")
QUESTIONS = ("volcano lava town", "ferry harbour storm", "interest rate decision", "chess title")
FILTERS = ({}, {"since": dt.date(2024, 2, 1)}, {"until": dt.date(2023, 12, 31)}, {"as_of": dt.date(2024, 2, 10)},
           {"sources": ['O"Neil\'s \\Post', "nordic herald"]}, {"per_source": 1},
           {"since": dt.date(2024, 1, 1), "sources": ["Harbour Gazette"]})


def more_articles() -> dict:
    """Invented reports from three outlets over three months (one outlet's name has quotes)."""
    out = {}
    for i in range(9):
        day = dt.date(2024, 1, 5) + dt.timedelta(days=11 * i)
        body = (f"Storm number {i} closed the harbour for {i + 1} days. The ferry to the island waited at the "
                f"pier while the council debated an interest rate subsidy for fishermen. ") * 3
        out[f"report-{i}.md"] = (f"---\ntitle: Harbour report {i}\ndate: {day}\nsource: {OUTLETS[i % 3]}\n"
                                 f"---\n{body}\n")
    return out


@pytest.fixture(scope="module")
def built(tmp_path_factory, embedder):
    """The same corpus built twice with the real model: FAISS files, and Milvus Lite."""
    root = tmp_path_factory.mktemp("milvus")
    corpus = write_corpus(root / "news")
    write_corpus(corpus, more_articles())
    build(corpus, root / "faiss", embedder=embedder)
    build(corpus, root / "milvus", embedder=embedder, milvus=str(root / "vectors.db"), collection="quiz")
    return root, Searcher.open(root / "faiss", embedder=embedder), Searcher.open(root / "milvus", embedder=embedder)


def _hits(searcher, q, **kw):
    return [(h.article_id, h.start, h.end, round(h.score, 4), h.source, h.date) for h in searcher.search(q, k=6, **kw)]


@pytest.mark.parametrize("mode", ["dense", "hybrid+rerank"])
def test_milvus_answers_as_faiss_with_every_filter(built, mode):
    _, faiss_s, milvus_s = built
    for q in QUESTIONS:
        for kw in FILTERS:
            got = _hits(milvus_s, q, mode=mode, **kw)
            assert got == _hits(faiss_s, q, mode=mode, **kw), (q, kw)
            if "sources" in kw:
                assert got and {h[4].lower() for h in got} <= {s.lower() for s in kw["sources"]}
            if "as_of" in kw:
                assert got and all(h[5] is not None and h[5] <= kw["as_of"] for h in got)


def test_filters_are_evaluated_by_milvus(built):
    """Given every row but a Where naming one outlet, the engine returns only that outlet's rows."""
    _, faiss_s, milvus_s = built
    store, n = milvus_s.data.store, len(milvus_s.data.passages)
    q = milvus_s.embedder.encode_query("ferry harbour storm")
    _, rows = store.search(q, 50, allowed_rows(np.arange(n), Where(sources=('o"neil\'s \\post',))))
    assert rows and {milvus_s.data.articles[milvus_s.data.passages[r].article_id].source for r in rows} == {OUTLETS[1]}
    _, rows = store.search(q, 50, allowed_rows(np.arange(n), Where(since=dt.date(2024, 3, 1).toordinal())))
    days = milvus_s.row_dates[rows]
    assert rows and (days >= dt.date(2024, 3, 1).toordinal()).all()
    assert len(rows) == int((faiss_s.row_dates >= dt.date(2024, 3, 1).toordinal()).sum())


def test_manifest_names_the_store_and_the_folder_holds_no_vectors(built):
    root, _, milvus_s = built
    m = read_manifest(root / "milvus")
    assert m["store"] == "milvus" and m["milvus"]["uri"] == str(root / "vectors.db") and m["milvus"]["alias"] == "quiz"
    assert not (current_generation(root / "milvus") / "vectors.faiss").exists()
    client = connect(m["milvus"]["uri"])
    assert client.describe_alias("quiz")["collection_name"] == m["milvus"]["collection"]
    assert np.allclose(milvus_s.data.store.vectors([3, 0]), Searcher.open(root / "faiss").data.store.vectors([3, 0]))


def test_generations_are_collections_behind_the_alias(tmp_path, fake_embedder):
    corpus, uri = write_corpus(tmp_path / "news"), str(tmp_path / "v.db")
    names = []
    for i in range(3):
        write_corpus(corpus, {f"extra-{i}.txt": f"Title: Extra {i}\n\nA short note number {i} on the harbour.\n"})
        build(corpus, tmp_path / "idx", embedder=fake_embedder, milvus=uri if i == 0 else None)  # then as the live one
        names.append(read_manifest(tmp_path / "idx")["milvus"]["collection"])
    client = connect(uri)
    assert len(set(names)) == 3 and client.describe_alias("news")["collection_name"] == names[-1]
    assert sorted(c for c in client.list_collections() if c.startswith("news_g")) == sorted(names[1:])  # 2 kept
    assert len(Searcher.open(tmp_path / "idx", embedder=fake_embedder).data.store) == 7


def test_local_grpc_server_then_unreachable(tmp_path, fake_embedder):
    """`milvus-lite server` on 127.0.0.1 speaks a cluster's protocol; once stopped, one line names the URI."""
    with milvus_lite_server(tmp_path / "srv") as uri:
        build(write_corpus(tmp_path / "news"), tmp_path / "idx", embedder=fake_embedder, milvus=uri)
        assert Searcher.open(tmp_path / "idx", embedder=fake_embedder).search("volcano", k=2)
    with pytest.raises(MilvusUnreachable, match=f"cannot reach Milvus at {uri}"):
        Searcher.open(tmp_path / "idx", embedder=fake_embedder)
    proc = subprocess.run([sys.executable, "-m", "search", "volcano", "--index", str(tmp_path / "idx")],
                          cwd=REPO_ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1 and proc.stderr.startswith(f"error: cannot reach Milvus at {uri}")
    assert "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1


def test_unreachable_uri_at_build_is_one_line_before_any_work(tmp_path):
    uri = f"http://127.0.0.1:{free_port()}"
    proc = subprocess.run([sys.executable, "-m", "index", "build", str(write_corpus(tmp_path / "news")),
                           "--index", str(tmp_path / "idx"), "--milvus", uri, "--quiet"],
                          cwd=REPO_ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1 and proc.stderr.strip().splitlines() == [proc.stderr.strip()]
    assert proc.stderr.startswith(f"error: cannot reach Milvus at {uri}") and "Traceback" not in proc.stderr
    assert not list((tmp_path / "idx").glob("gen-*"))


def test_missing_packages_name_the_requirements_file(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "pymilvus", None)
    with pytest.raises(MilvusMissing, match="pip install -r requirements-scale.txt"):
        connect(str(tmp_path / "x.db"))
    monkeypatch.setitem(sys.modules, "ray", None)
    from index.ray_embed import RayEmbedder, RayMissing
    with pytest.raises(RayMissing, match="pip install -r requirements-scale.txt"):
        RayEmbedder("local")


def test_a_faiss_user_never_imports_milvus_or_ray(tmp_path):
    code = ("import sys; from index.build import build; from search import Searcher; "
            "from tests.conftest import FakeEmbedder; from tests.news_texts import write_corpus; "
            f"build(write_corpus(__import__('pathlib').Path({str(tmp_path / 'news')!r})), {str(tmp_path / 'idx')!r}, "
            "embedder=FakeEmbedder()); "
            f"Searcher.open({str(tmp_path / 'idx')!r}, embedder=FakeEmbedder()).search('volcano', since=None); "
            "print(sorted(m for m in ('pymilvus', 'milvus_lite', 'ray') if m in sys.modules))")
    proc = subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"


def test_milvus_lite_open_in_another_process_says_how_to_share_it(tmp_path):
    from index.milvus_client import MilvusLiteBusy
    (tmp_path / "v.db").mkdir()
    # the advisory flock milvus-lite itself takes, held by another process
    fd = subprocess.Popen([sys.executable, "-c", "import fcntl, os, sys, time; fd = os.open(sys.argv[1], "
                           "os.O_CREAT | os.O_RDWR); fcntl.flock(fd, fcntl.LOCK_EX); print('locked', flush=True); "
                           "time.sleep(60)", str(tmp_path / "v.db" / "LOCK")], stdout=subprocess.PIPE, text=True)
    try:
        assert fd.stdout.readline().strip() == "locked"
        with pytest.raises(MilvusLiteBusy, match="milvus-lite server --data-dir"):
            connect(str(tmp_path / "v.db"))
    finally:
        fd.kill()
        fd.wait()
