"""A build in its own process, for crash and concurrency tests: the model is beside the point.

    python -m tests.crash_build CORPUS INDEX [--delay SECONDS] [--wait SECONDS] [--milvus URI --collection NAME]

Embeds with `SlowFakeEmbedder` (hash vectors, in batches of 2, `--delay` seconds
per batch) so a test can kill it mid-embedding, or keep the build lock held for
a while. Set NEWS_FAULT_AT (index/faults.py) to kill it at a named point.
Prints the build summary line; exit 1 with "error: ..." on a NewsError.
"""
from __future__ import annotations

import argparse
import sys
import time

from tests.conftest import FakeEmbedder


class SlowFakeEmbedder(FakeEmbedder):
    """FakeEmbedder that reports progress per batch, optionally slowly."""

    def __init__(self, delay: float = 0.0, batch: int = 2):
        self.delay, self.batch = delay, batch

    def encode(self, texts, batch_size=32, progress=None):
        import numpy as np
        parts = []
        for i in range(0, len(texts), self.batch):
            parts.append(super().encode(texts[i:i + self.batch]))
            time.sleep(self.delay)
            if progress:
                progress(len(parts[-1]))
        return np.concatenate(parts) if parts else np.zeros((0, self.dim), dtype=np.float32)


def main(argv=None) -> int:
    p = argparse.ArgumentParser()
    p.add_argument("corpus")
    p.add_argument("index")
    p.add_argument("--delay", type=float, default=0.0)
    p.add_argument("--wait", type=float, default=0.0)
    p.add_argument("--full", action="store_true")
    p.add_argument("--milvus")
    p.add_argument("--collection")
    args = p.parse_args(argv)
    from corpus.errors import NewsError
    from index.build import build
    try:
        summary = build(args.corpus, args.index, full=args.full, lock_timeout=args.wait,
                        embedder=SlowFakeEmbedder(args.delay), milvus=args.milvus, collection=args.collection)
    except NewsError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    print(summary.line(), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
