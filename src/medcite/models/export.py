"""Export a local sentence-transformers (or plain transformers) model folder to ONNX.

Only for a model other than the packaged all-MiniLM-L6-v2 (`embedding.model = "local"`, the folder
in `embedding.path`), and only once per home: the result is cached and run by onnxruntime like the
default model. This is the one place that uses PyTorch, from the optional `medcite[export]` extra.
"""

from __future__ import annotations

import os
import tempfile
import warnings
from pathlib import Path
from typing import Any

from medcite.errors import ModelUnavailable

EXPORT_HINT = "pip install 'medcite[export]' (PyTorch + transformers; only needed to export another model)"


def export_onnx(model_dir: Path, dest: Path) -> None:
    """Write `model_dir`'s transformer (its token embeddings, `last_hidden_state`) to `dest` as ONNX."""
    try:
        import torch
        from transformers import AutoModel, AutoTokenizer
    except ImportError as exc:
        raise ModelUnavailable(
            f"exporting {model_dir} to ONNX needs PyTorch and transformers", hint=EXPORT_HINT
        ) from exc

    class _Wrapper(torch.nn.Module):
        # transformers 5.x: positional token_type_ids collides with use_cache, so pass keywords.
        def __init__(self, model: torch.nn.Module) -> None:
            super().__init__()
            self.model = model

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            out = self.model(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids)
            return out.last_hidden_state

    tok = AutoTokenizer.from_pretrained(str(model_dir))
    model = AutoModel.from_pretrained(str(model_dir)).eval()
    sample = tok(["a short sample", "another, slightly longer sample text"], padding=True, return_tensors="pt")
    if "token_type_ids" not in sample:
        sample["token_type_ids"] = torch.zeros_like(sample["input_ids"])
    names = ["input_ids", "attention_mask", "token_type_ids"]
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=dest.parent, suffix=".onnx")
    os.close(fd)
    # The legacy exporter is the one that handles these models; its tracer warnings are expected noise.
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            _Wrapper(model),
            tuple(sample[n] for n in names),
            tmp,
            input_names=names,
            output_names=["last_hidden_state"],
            dynamic_axes={n: {0: "batch", 1: "seq"} for n in [*names, "last_hidden_state"]},
            opset_version=17,
            dynamo=False,
        )
    os.replace(tmp, dest)
