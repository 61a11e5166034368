"""The packaged dense model: ONNX + tokenizer from packages, no PyTorch, batching that changes nothing."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from conftest import MODELS_CACHE, REPO, _settings
from medcite.errors import ConfigError, ModelUnavailable
from medcite.models import create
from medcite.models.onnx_files import (
    MINILM_SHA256,
    packaged_minilm,
    packaged_tokenizer,
    prepared_model,
    sha256_of,
)

pytestmark = pytest.mark.integration

PASSAGES = [
    "Gout flare: start an NSAID, colchicine or a corticosteroid as soon as possible, within 24 hours of onset.",
    "Offer lifestyle advice and antihypertensive drug treatment to adults with stage 2 hypertension.",
    "Colchicine at low dose (1.2 mg then 0.6 mg an hour later) is as effective as high dose with fewer side effects.",
    "Asthma",
    "Screen adults aged 40 to 70 years who are overweight or obese for abnormal blood glucose as part of a "
    "cardiovascular risk assessment, and offer or refer those with abnormal glucose to intensive behavioural "
    "counselling interventions to promote a healthful diet and physical activity.",
]


def _minilm_settings(tmp_path: Path, **overrides: object):
    home = tmp_path / "home"
    home.mkdir()
    MODELS_CACHE.mkdir(parents=True, exist_ok=True)
    (home / "models").symlink_to(MODELS_CACHE, target_is_directory=True)
    return _settings(home, embedder="minilm", **overrides)


def test_the_packaged_model_and_tokenizer_are_the_published_files():
    model = packaged_minilm()
    assert model.name == "model.onnx" and model.stat().st_size == 22_928_619
    assert sha256_of(model) == MINILM_SHA256
    tokenizer = packaged_tokenizer()
    assert tokenizer.name == "tokenizer.json"


def test_a_model_file_that_does_not_match_its_sha256_is_refused(tmp_path):
    fake = tmp_path / "model.onnx"
    fake.write_bytes(b"not a model")
    with pytest.raises(ModelUnavailable, match="sha256"):
        prepared_model(fake, tmp_path / "cache", "fake", "int8", sha256=MINILM_SHA256)
    assert not list((tmp_path / "cache").glob("*.onnx"))


@pytest.mark.parametrize("precision", ["fp32", "int8"])
def test_minilm_ranks_by_meaning_and_batching_changes_nothing(tmp_path, precision):
    s = _minilm_settings(tmp_path, embedding__precision=precision, embedding__batch_size=2, embedding__threads=2)
    e = create("embedder", "minilm", s)
    assert e.dim == 384 and precision in e.name
    vecs = e.embed_passages(PASSAGES)
    assert vecs.shape == (5, 384) and vecs.dtype == np.float32
    assert np.allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-5)
    q = e.embed_query("first-line treatment for an acute gout flare")
    scores = vecs @ q
    assert int(np.argmax(scores)) == 0 and scores[0] > scores[1] + 0.2
    # Length-sorted, dynamically padded, parallel batches give each passage its own vector, in order.
    alone = np.stack([e.embed_query(p) for p in PASSAGES])
    cos = (alone * vecs).sum(axis=1)
    # fp32: padding and batching are exact; int8: activations are quantised per batch, a small drift.
    assert cos.min() > (0.9999 if precision == "fp32" else 0.98), cos


@pytest.mark.parametrize("precision", ["fp32", "int8"])
def test_by_default_a_passage_gets_the_same_vector_whatever_it_is_embedded_with(tmp_path, precision):
    # int8 quantises each run's activations with one scale: only one passage per run keeps a passage's
    # vector independent of its neighbours (a Ray ingest, a later ingest, the sentence cache all agree).
    e = create("embedder", "minilm", _minilm_settings(tmp_path, embedding__precision=precision))
    together = e.embed_passages(PASSAGES)
    shuffled = e.embed_passages([PASSAGES[3], PASSAGES[0], "An unrelated sentence about knee pain.", PASSAGES[4]])
    alone = np.stack([e.embed_passages([p])[0] for p in PASSAGES])
    assert np.array_equal(together, alone)
    assert np.array_equal(shuffled[[1, 0, 3]], together[[0, 3, 4]])


def test_a_local_model_folder_with_an_onnx_file_runs_like_the_packaged_one(tmp_path):
    folder = tmp_path / "my-model"
    folder.mkdir()
    (folder / "model.onnx").symlink_to(packaged_minilm())
    (folder / "tokenizer.json").symlink_to(packaged_tokenizer())
    s = _minilm_settings(tmp_path, embedding__precision="fp32")
    s.embedding.model, s.embedding.path = "local", str(folder)
    local = create("embedder", "local", s)
    assert local.name.startswith("local:my-model-") and local.dim == 384
    s.embedding.model = "minilm"
    packaged = create("embedder", "minilm", s)
    assert np.allclose(local.embed_passages(PASSAGES), packaged.embed_passages(PASSAGES), atol=1e-5)


def test_a_local_folder_needs_a_path_and_a_tokenizer(tmp_path):
    s = _settings(tmp_path / "home", embedder="local")
    with pytest.raises(ConfigError, match="model folder"):
        create("embedder", "local", s)
    s.embedding.path = str(tmp_path)
    with pytest.raises(ConfigError, match=r"tokenizer\.json"):
        create("embedder", "local", s)


@pytest.mark.skipif(importlib.util.find_spec("torch") is not None, reason="PyTorch is installed here")
def test_exporting_a_model_without_the_export_extra_says_what_to_install(tmp_path):
    folder = tmp_path / "st-model"
    folder.mkdir()
    (folder / "tokenizer.json").symlink_to(packaged_tokenizer())
    (folder / "model.safetensors").write_bytes(b"weights would be here")
    s = _settings(tmp_path / "home", embedder="local")
    s.embedding.path = str(folder)
    with pytest.raises(ModelUnavailable) as info:
        create("embedder", "local", s)
    assert "medcite[export]" in (info.value.hint or "")


def test_embedding_never_imports_pytorch_or_transformers(tmp_path):
    home = _minilm_settings(tmp_path).home
    code = (
        "import sys\n"
        "from medcite.settings import Settings\n"
        "from medcite.models import create\n"
        f"e = create('embedder', 'minilm', Settings(home={str(home)!r}))\n"
        "e.embed_passages(['a passage', 'another passage']); e.embed_query('a question')\n"
        "print(sorted(m for m in ('torch', 'transformers', 'sentence_transformers') if m in sys.modules))\n"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO / "src"), os.environ.get("PYTHONPATH", "")])}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert out.stdout.strip() == "[]"
