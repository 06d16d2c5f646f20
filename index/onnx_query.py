"""A torch-free query encoder: the same MiniLM exported to ONNX, run by onnxruntime.

Importing sentence-transformers costs seconds on every CLI call; onnxruntime
and tokenizers import in ~0.3 s and embed a question in a few ms with the same
vectors (cosine 1.000). A build exports the model once into the cache folder,
from the packaged weights, offline; it is kept only if its vectors match the
torch model's on probe sentences, and a loader re-checks one probe vector so
a damaged file is never used (the caller falls back to torch).

    >>> enc = OnnxQueryEncoder.open(cache_dir, "all-MiniLM-L6-v2")   # doctest: +SKIP
    >>> enc.encode_query("What did the Pentagon offer?").shape         # doctest: +SKIP
    (384,)
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np

from index.atomic import write_atomic
from index.onnx_trace import trace

PROBES = ["What clause did the Pentagon want removed?",
          "A volcanic eruption closed the harbour on Sunday.",
          "Central bank holds interest rates at 4.5 percent"]
MIN_COSINE = 0.999


def onnx_paths(cache_dir: Path, model_name: str) -> tuple[Path, Path]:
    folder = Path(cache_dir) / "models"
    key = model_key(model_name)
    return folder / f"{key}.onnx", folder / f"{key}.json"


def model_key(model_name: str) -> str:
    """A file name for the export of `model_name`: the packaged name, or for a model folder (made by
    `python -m index adapt`) its name plus a digest of its path and weights' size and time, so an
    export never outlives the weights it was made from.

    >>> model_key("all-MiniLM-L6-v2")
    'all-MiniLM-L6-v2'
    """
    if "/" not in model_name and os.sep not in model_name:
        return model_name
    import hashlib
    folder = Path(model_name)
    stamp = [str(folder.resolve())]
    for weights in sorted(folder.glob("*.safetensors")) + sorted(folder.glob("*.bin")):
        st = weights.stat()
        stamp.append(f"{weights.name}:{st.st_size}:{st.st_mtime_ns}")
    return f"{folder.name}-{hashlib.sha256('|'.join(stamp).encode()).hexdigest()[:16]}"


def export(embedder, cache_dir: Path) -> bool:
    """Export `embedder`'s transformer to ONNX into the cache folder; True if kept.

    Model and metadata are each written under a temporary name and renamed, so a crash leaves no half
    file; an export whose metadata does not read (left by an earlier version) is made again.
    """
    model_file, meta_file = onnx_paths(cache_dir, embedder.name)
    if model_file.exists() and _meta_reads(meta_file, embedder.name):
        return True
    model_file.parent.mkdir(parents=True, exist_ok=True)
    for stale in model_file.parent.glob("*.tmp-*"):  # left by a killed build; we hold the build lock
        stale.unlink(missing_ok=True)
    tmp = model_file.with_suffix(f".tmp-{os.getpid()}")
    bert = embedder.model[0].auto_model
    was_dtype = next(bert.parameters()).dtype
    bert.float()  # export fp32: onnxruntime on CPU runs fp32 fastest and matches the torch vectors
    try:
        trace(bert, tmp)
        want = embedder.encode(PROBES)
        got = OnnxQueryEncoder(tmp, embedder.name).encode(PROBES)
        if float(np.min(np.sum(want * got, axis=1))) < MIN_COSINE:
            tmp.unlink(missing_ok=True)
            return False
        meta = {"model": embedder.name, "probe": PROBES[0], "vector": got[0].tolist()}
        # The temporary name matches the stale-file glob above, so one a killed build left is removed.
        write_atomic(meta_file, json.dumps(meta).encode("utf-8"), prefix=f"{meta_file.name}.tmp-")
        os.replace(tmp, model_file)
        _drop_older_exports(meta_file, embedder.name)
        return True
    finally:
        bert.to(was_dtype)
        tmp.unlink(missing_ok=True)


def _meta_reads(meta_file: Path, name: str) -> bool:
    """Whether an export's metadata is whole and for `name`: without it OnnxQueryEncoder.open refuses the
    export, and questions would fall back to torch on every start until the export is made again."""
    try:
        meta = json.loads(meta_file.read_text(encoding="utf-8"))
        return meta["model"] == name and isinstance(meta["probe"], str) and len(meta["vector"]) > 0
    except (OSError, ValueError, TypeError, KeyError):
        return False


def _drop_older_exports(kept: Path, model_name: str) -> None:
    """Remove the exports of earlier weights of the same model folder (~90 MB each): a re-adapted
    model gets a new key (model_key), and nothing would ever read the old one again."""
    for meta in kept.parent.glob("*.json"):
        try:
            same = meta != kept and json.loads(meta.read_text()).get("model") == model_name
        except (OSError, ValueError):
            continue
        if same:
            meta.with_suffix(".onnx").unlink(missing_ok=True)
            meta.unlink(missing_ok=True)


class OnnxQueryEncoder:
    def __init__(self, path: Path, name: str, threads: int = 1):
        import onnxruntime as ort

        from index.embed import load_tokenizer

        opts = ort.SessionOptions()
        # One thread: a build running beside the page must not stall answers (~8 ms vs ~400 ms measured).
        opts.intra_op_num_threads = threads
        opts.inter_op_num_threads = 1
        self.session = ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])
        self.tok = load_tokenizer(name)
        self.tok.enable_truncation(256)  # the model reads 256 word pieces; a longer question is cut
        self.name = name
        self.dim = self.session.get_outputs()[0].shape[-1]

    @classmethod
    def open(cls, cache_dir: Path, name: str, threads: int = 1) -> "OnnxQueryEncoder | None":
        """The exported encoder if present and still matching its probe vector, else None."""
        model_file, meta_file = onnx_paths(cache_dir, name)
        try:
            meta = json.loads(meta_file.read_text())
            enc = cls(model_file, name, threads)
            ok = float(np.dot(enc.encode([meta["probe"]])[0], np.asarray(meta["vector"]))) >= MIN_COSINE
        except Exception:  # missing, damaged or foreign file: the torch path still works
            return None
        return enc if ok else None

    def encode(self, texts: list[str], batch_size: int = 32, progress=None) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for rows, _, _, pooled in self._batches(texts, batch_size, progress):
            out[rows] = pooled
        return out

    def encode_with_sentences(self, texts: list[str], spans: list, batch_size: int = 32, progress=None):
        """As index.embed.Embedder.encode_with_sentences: late-chunked span vectors, torch-free."""
        from index.embed import span_vectors
        out, sentences = np.zeros((len(texts), self.dim), dtype=np.float32), [None] * len(texts)
        for rows, encs, (hidden, mask), pooled in self._batches(texts, batch_size, progress):
            out[rows] = pooled
            for j, i in enumerate(rows):
                offsets = np.zeros((hidden.shape[1], 2), dtype=np.int64)
                offsets[:len(encs[i].offsets)] = encs[i].offsets
                sentences[i] = span_vectors(hidden[j], offsets, mask[j], spans[i], pooled[j])
        return out, sentences

    def _batches(self, texts, batch_size, progress):
        """(rows, encodings, (hidden, mask), unit mean-pooled vectors) per batch of similar lengths."""
        encs = self.tok.encode_batch(list(texts))
        order = sorted(range(len(texts)), key=lambda i: len(encs[i].ids))  # similar lengths: little padding
        for b in range(0, len(order), batch_size):
            rows = order[b:b + batch_size]
            width = max(len(encs[i].ids) for i in rows)
            ids = np.zeros((len(rows), width), dtype=np.int64)
            mask = np.zeros_like(ids)
            for j, i in enumerate(rows):
                ids[j, :len(encs[i].ids)], mask[j, :len(encs[i].ids)] = encs[i].ids, 1
            hidden = self.session.run(None, {"input_ids": ids, "attention_mask": mask,
                                             "token_type_ids": np.zeros_like(ids)})[0]
            pooled = (hidden * mask[:, :, None]).sum(1) / mask.sum(1, keepdims=True)  # mean pooling
            yield rows, encs, (hidden, mask), pooled / np.linalg.norm(pooled, axis=1, keepdims=True)
            if progress:
                progress(len(rows))

    def encode_query(self, text: str) -> np.ndarray:
        return self.encode([text])[0]


def query_encoder(config):
    """The torch-free ONNX encoder when a build has exported it, else the torch model."""
    from index.config import resolve_cache_dir
    onnx = OnnxQueryEncoder.open(resolve_cache_dir(), config.model_name)
    if onnx is not None:
        return onnx
    from index.embed import Embedder
    return Embedder(config.model_name, config.precision)
