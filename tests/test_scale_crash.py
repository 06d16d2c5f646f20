"""kill -9 a Milvus-backed build around the alias switch: the previous generation keeps answering.

The vectors live in `milvus-lite server` on 127.0.0.1 (the protocol a cluster speaks), which
outlives the killed build as a cluster would. After each kill the live index must answer exactly
as before (or as the new corpus once CURRENT has switched), the alias must name a complete
collection of a finished generation, and the next build must leave the alias on the live
collection and only the kept generations' collections.
"""
import json
import signal

import pytest

pytest.importorskip("pymilvus", reason="needs requirements-scale.txt")

from index.milvus_client import connect  # noqa: E402
from index.storage import current_generation  # noqa: E402
from tests.milvus_server import milvus_lite_server  # noqa: E402
from tests.crash_sweep import AFTER_SWITCH, check_after_kill, check_next_build, prepare, run_build  # noqa: E402

POINTS = ("vectors-written", "alias-switched", "current-tmp-written", "cleanup")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with milvus_lite_server(tmp_path_factory.mktemp("milvus-srv")) as uri:
        yield uri


def _collections(index_dir) -> dict:
    """collection -> passages, of every generation folder on disk."""
    out = {}
    for gen in index_dir.glob("gen-*"):
        m = json.loads((gen / "manifest.json").read_text())
        out[m["milvus"]["collection"]] = m["counts"]["passages"]
    return out


@pytest.mark.parametrize("point", POINTS)
def test_kill_around_the_alias_switch(tmp_path, server, point):
    alias = "crash_" + point.replace("-", "_")
    case = prepare(tmp_path, (server, alias))
    proc = run_build(case.corpus, case.index_dir, fault=point, milvus=(server, alias))
    assert proc.returncode == -signal.SIGKILL, proc.stderr[-300:]
    check_after_kill(case, expect_new=point in AFTER_SWITCH)
    client, named = connect(server), _collections(case.index_dir)
    live = json.loads((current_generation(case.index_dir) / "manifest.json").read_text())["milvus"]["collection"]
    behind = client.describe_alias(alias)["collection_name"]
    assert behind in named and client.get_collection_stats(behind)["row_count"] == named[behind]
    assert (behind == live) == (point not in ("alias-switched", "current-tmp-written"))
    check_next_build(case)
    named = _collections(case.index_dir)
    live = json.loads((current_generation(case.index_dir) / "manifest.json").read_text())["milvus"]["collection"]
    assert client.describe_alias(alias)["collection_name"] == live
    assert {c for c in client.list_collections() if c.startswith(alias + "_g")} == set(named)
