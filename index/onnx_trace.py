"""Tracing MiniLM's transformer into an ONNX file (index/onnx_query.py's export checks and keeps it).

Apart from the encoder so that module stays small; torch is imported only when a trace runs.
"""
from __future__ import annotations

import warnings
from pathlib import Path


def trace(bert, path: Path) -> None:
    """Trace the transformer (ids, mask, types -> last hidden state) into an ONNX file at `path`."""
    import torch

    class Hidden(torch.nn.Module):  # onnx wants positional tensors in and one tensor out
        def __init__(self):
            super().__init__()
            self.bert = bert

        def forward(self, ids, mask, types):
            return self.bert(input_ids=ids, attention_mask=mask, token_type_ids=types).last_hidden_state

    dummy = tuple(torch.ones(1, 8, dtype=torch.long) for _ in range(3))
    axes = {n: {0: "batch", 1: "tokens"} for n in ("input_ids", "attention_mask", "token_type_ids", "hidden")}
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # tracer notes on shape checks; the caller's probe check decides
        torch.onnx.export(Hidden().eval(), dummy, str(path), input_names=list(axes)[:3], output_names=["hidden"],
                          dynamic_axes=axes, opset_version=17, dynamo=False)
