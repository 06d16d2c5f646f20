"""Embedding on Ray: Ray Data `map_batches` over a pool of embedder actors, one model each.

`RayEmbedder` stands in for `index.embed.Embedder` in a build (`build(..., embedder=RayEmbedder("local"))`,
or `python -m index build FOLDER --ray local|auto|ADDRESS`): the same `encode_with_sentences`, so the
rows come back in the same order with the same vectors (cosine >= 0.999; each actor runs the same
model code). Ray is started in this process for "local" (all its cores), or joined at "auto" / an
address; a Ray this process has already started (e.g. a test fixture's) is used as it is. An actor
that dies is restarted by Ray and its batch retried; if that keeps failing the build stops with
`RayFailed` before anything is written. Made without a config, it takes the build's (`bind`, called by
index/plan.py): the model the live index or `--model` names, never a default one.

ray is imported only when a `RayEmbedder` first embeds.

>>> RayEmbedder("local", workers=2).bind(IndexConfig(model_name="/models/adapted")).name  # doctest: +SKIP
'/models/adapted'
"""
from __future__ import annotations

import json
import os
import warnings
from pathlib import Path

import numpy as np

from corpus.errors import NewsError
from index.config import IndexConfig
from index.faults import ONCE_ENV, die_once

RETRIES = 3       # restarts of a dead actor, and retries of its batch


class RayMissing(NewsError):
    def __init__(self):
        super().__init__("ray is not installed; embedding on Ray needs: pip install -r requirements-scale.txt")


class RayFailed(NewsError):
    def __init__(self, address, why):
        why = " ".join(str(why).split())[:300]
        super().__init__(f"embedding on Ray ({address}) failed, nothing was written: {why}")


class _Actor:
    """One model per actor. A Ray row is one model batch (texts + their sentence spans, as JSON), cut
    exactly as the local path cuts them, so every forward pass sees the same padding: same vectors."""

    def __init__(self, model_name: str, precision: str, threads: int):
        from index.embed import Embedder
        self.model = Embedder(model_name, precision, threads=threads)

    def __call__(self, rows: dict) -> dict:
        die_once()
        out = {"k": rows["k"], "vec": [], "sent": []}
        for payload in rows["batch"]:
            texts, spans = json.loads(payload)
            vecs, sents = self.model.encode_with_sentences(texts, spans, len(texts))
            out["vec"].append(vecs.tobytes())
            out["sent"].append(json.dumps([len(x) for x in sents]).encode() + b"\n" +
                               b"".join(x.astype(np.float32).tobytes() for x in sents))
        return {k: np.array(v, dtype=object) if k != "k" else v for k, v in out.items()}


class RayEmbedder:
    def __init__(self, address: str = "local", workers: int | None = None, config: IndexConfig | None = None):
        import importlib.util
        if importlib.util.find_spec("ray") is None:  # say so now, not after reading the corpus
            raise RayMissing()
        self.address, self.workers, self.config = address, workers, config
        self.dim = None  # the loaded model's, known when the first batch comes back
        self.name = config.model_name if config else None

    def bind(self, config: IndexConfig) -> "RayEmbedder":
        """This embedder for the build's config, unless it was made for one (then Plan's check decides)."""
        return self if self.config else RayEmbedder(self.address, self.workers, config)

    def encode_with_sentences(self, texts: list[str], spans: list, batch_size: int = 32, progress=None):
        """Like Embedder.encode_with_sentences, on Ray; `progress(n)` as batches come back."""
        config = self.config or IndexConfig()
        ray = start(self.address)
        cpus = int(ray.cluster_resources().get("CPU", 1))
        # The local path's batches: longest texts first, `batch_size` at a time (index/embed.py).
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]), reverse=True)
        batches = [order[b:b + batch_size] for b in range(0, len(order), batch_size)]
        workers = max(1, min(self.workers or cpus, cpus, len(batches)))
        ds = ray.data.from_items([{"k": k, "batch": json.dumps([[texts[i] for i in ids], [spans[i] for i in ids]])}
                                  for k, ids in enumerate(batches)], override_num_blocks=max(1, len(batches)))
        with warnings.catch_warnings():  # Ray 2.60 deprecates the retry settings' spelling; they still apply
            warnings.simplefilter("ignore")
            mapped = _map(ray, ds, workers, cpus, (config.model_name, config.precision, max(1, cpus // workers)))
        return self._collect(mapped, batches, len(texts), progress)

    def _collect(self, mapped, batches: list, n: int, progress):
        """The actors' rows put back in place: passage vectors (n x the model's dim) and sentence vectors."""
        out, sentences = None, [None] * n
        try:
            for rows in mapped.iter_batches(batch_size=None, batch_format="numpy"):
                for k, vec, sent in zip(rows["k"], rows["vec"], rows["sent"]):
                    ids = batches[int(k)]
                    if out is None:
                        self.dim = len(vec) // (4 * len(ids))  # float32 rows of the model's width
                        out = np.zeros((n, self.dim), dtype=np.float32)
                    out[ids] = np.frombuffer(vec, dtype=np.float32).reshape(len(ids), self.dim)
                    head, body = sent.split(b"\n", 1)
                    ends = np.cumsum(json.loads(head))
                    flat = np.frombuffer(body, dtype=np.float32).reshape(-1, self.dim)
                    for i, e, m in zip(ids, ends, json.loads(head)):
                        sentences[i] = flat[e - m:e]
                    if progress:
                        progress(len(ids))
        except Exception as e:  # a batch that failed RETRIES times, a lost cluster: one line, no half index
            raise RayFailed(self.address, f"{type(e).__name__}: {e}") from None
        if out is None or any(s is None for s in sentences):
            raise RayFailed(self.address, "some passages came back without vectors")
        return out, sentences


def _map(ray, ds, workers: int, cpus: int, actor_args: tuple):
    return ds.map_batches(
        _Actor, batch_size=1, batch_format="numpy", compute=ray.data.ActorPoolStrategy(size=workers),
        fn_constructor_args=actor_args, num_cpus=max(1, cpus // workers), ray_remote_args_fn=_retries,
        runtime_env={"env_vars": {ONCE_ENV: os.environ[ONCE_ENV]}} if os.environ.get(ONCE_ENV) else None)


def _retries() -> dict:
    return {"max_restarts": RETRIES, "max_task_retries": RETRIES}


def start(address: str = "local", num_cpus: int | None = None):
    """Ray, started here ("local", with num_cpus or all cores) or joined ("auto", "ray://host:10001", "host:6379")."""
    try:
        import ray
        import ray.data
    except ImportError:
        raise RayMissing() from None
    if not ray.is_initialized():
        # Actors import index.* from this checkout: ship the packages (a cluster's nodes need the
        # model package and torch installed; README "Scale-out").
        root = Path(__file__).resolve().parent.parent
        env = {"py_modules": [str(root / "corpus"), str(root / "index")],
               "env_vars": {"HF_HUB_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false"}}
        try:
            if address == "local":
                ray.init(num_cpus=num_cpus or os.cpu_count(), include_dashboard=False, log_to_driver=False,
                         runtime_env=env, logging_level="ERROR")
            else:
                ray.init(address=address, runtime_env=env, log_to_driver=False, logging_level="ERROR")
        except Exception as e:
            raise RayFailed(address, f"cannot start or join Ray: {type(e).__name__}: {e}") from None
    import logging
    logging.getLogger("ray.data").setLevel(logging.ERROR)  # no per-dataset chatter on the build's stderr
    ctx = ray.data.DataContext.get_current()
    ctx.enable_progress_bars = False  # the build's own bar counts passages
    ctx.execution_options.preserve_order = False  # rows are put back in place by index
    return ray
