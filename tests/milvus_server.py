"""A `milvus-lite server` on 127.0.0.1 for the tests that need a Milvus over the network (the protocol a
cluster speaks). Nothing listens beyond this machine."""
from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time

from index.milvus_client import MilvusUnreachable, connect


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def milvus_lite_server(data_dir, wait_s: float = 30.0):
    """Start a server on a free loopback port, yield its URI once it answers, stop it afterwards."""
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "milvus_lite", "server", "--data-dir", str(data_dir),
                             "--host", "127.0.0.1", "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    uri = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + wait_s
        while True:
            try:
                connect(uri)
                break
            except MilvusUnreachable:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise RuntimeError(f"milvus-lite server on {uri} did not answer within {wait_s:g}s") from None
                time.sleep(0.2)
        yield uri
    finally:
        proc.kill()
        proc.wait()
