"""Generators and judges: OpenAI-compatible HTTP, local GGUF (llama-cpp-python), deterministic fakes.

The fakes are registered through the same registry as the real ones, so tests run the real
composition and verification path offline.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from functools import cached_property
from typing import Any

from medcite.errors import BackendError, ModelUnavailable
from medcite.models.base import Message
from medcite.settings import Settings

JUDGE_PROMPT = (
    "Premise: {premise}\n\nHypothesis: {hypothesis}\n\nDoes the premise support the hypothesis? Answer yes or no."
)


CONTRADICTION_PROMPT = (
    "Premise: {premise}\n\nHypothesis: {hypothesis}\n\nDoes the premise contradict the hypothesis (state "
    "the opposite of it)? Answer yes or no."
)


class OpenAIGenerator:
    def __init__(self, settings: Settings) -> None:
        from medcite.models.openai_http import OpenAIClient

        self._client = OpenAIClient(settings)
        self.name = f"openai:{self._client.model}"

    def complete(self, messages: Sequence[Message], *, max_tokens: int, temperature: float) -> str:
        return self._client.chat(messages, max_tokens=max_tokens, temperature=temperature)


class OpenAIJudge:
    """Yes/no entailment through chat completions; uses top logprobs when the server returns them."""

    def __init__(self, settings: Settings) -> None:
        from medcite.models.openai_http import OpenAIClient

        self._client = OpenAIClient(settings)
        self.name = f"openai:{self._client.model}"

    def entailment(self, premise: str, hypothesis: str) -> float:
        return self._yes(JUDGE_PROMPT.format(premise=premise, hypothesis=hypothesis))

    def contradiction(self, premise: str, hypothesis: str) -> float:
        return self._yes(CONTRADICTION_PROMPT.format(premise=premise, hypothesis=hypothesis))

    def _yes(self, prompt: str) -> float:
        text = self._client.chat([Message("user", prompt)], max_tokens=1, temperature=0.0).strip().lower()
        return 1.0 if text.startswith("yes") else 0.0


class GGUFModel:
    """A local GGUF file run by llama-cpp-python (optional extra `medcite[gguf]`)."""

    def __init__(self, settings: Settings) -> None:
        from medcite.models.gguf import resolve_gguf

        self.path = resolve_gguf(settings)
        self.name = f"gguf:{self.path.name}"
        self._settings = settings

    @cached_property
    def llm(self) -> Any:
        try:
            from llama_cpp import Llama
        except ImportError as exc:
            raise ModelUnavailable(
                "llama-cpp-python is not installed",
                hint="pip install 'medcite[gguf]' (compiles llama.cpp, ~6 min on 2 cores)",
            ) from exc
        return Llama(model_path=str(self.path), n_ctx=4096, logits_all=False, verbose=False, seed=0)

    def complete(self, messages: Sequence[Message], *, max_tokens: int, temperature: float) -> str:
        out = self.llm.create_chat_completion(
            messages=[{"role": m.role, "content": m.content} for m in messages],
            max_tokens=max_tokens,
            temperature=temperature,
            seed=0,
        )
        return str(out["choices"][0]["message"]["content"] or "")

    def entailment(self, premise: str, hypothesis: str) -> float:
        """P(yes) from the next-token logits after a yes/no prompt (llama-cpp-python >= 0.3)."""
        return self._p_yes(JUDGE_PROMPT.format(premise=premise, hypothesis=hypothesis))

    def contradiction(self, premise: str, hypothesis: str) -> float:
        """P(yes) that the premise states the opposite of the hypothesis (same method)."""
        return self._p_yes(CONTRADICTION_PROMPT.format(premise=premise, hypothesis=hypothesis))

    def _p_yes(self, prompt: str) -> float:
        llm = self.llm
        chat = [{"role": "user", "content": prompt}]
        text = _chat_prompt(llm, chat)
        tokens = llm.tokenize(text.encode(), add_bos=False, special=True)
        llm.reset()
        llm.eval(tokens)
        logits = llm._ctx.get_logits()
        yes = _first_token(llm, " yes", "yes", "Yes")
        no = _first_token(llm, " no", "no", "No")
        ly, ln = float(logits[yes]), float(logits[no])
        return 1.0 / (1.0 + math.exp(ln - ly))


def _chat_prompt(llm: Any, chat: list[dict[str, str]]) -> str:
    handler = getattr(llm, "chat_handler", None) or None
    template = getattr(llm, "metadata", {}).get("tokenizer.chat_template") if handler is None else None
    if template:
        from jinja2 import Template

        return str(Template(template).render(messages=chat, add_generation_prompt=True))
    return f"{chat[0]['content']}\nAnswer:"


def _first_token(llm: Any, *candidates: str) -> int:
    for c in candidates:
        toks = llm.tokenize(c.encode(), add_bos=False, special=False)
        if len(toks) == 1:
            return int(toks[0])
    return int(llm.tokenize(candidates[-1].encode(), add_bos=False, special=False)[0])


class FakeGenerator:
    """Deterministic stand-in: restates numbered passages and adds one sentence no passage supports.

    Used by tests to prove that generated text goes through the support check.
    """

    name = "fake"
    UNSUPPORTED = "Fake model aside: moonlight exposure cures this condition within two days."

    def __init__(self, settings: Settings) -> None:
        self._settings = settings

    def complete(self, messages: Sequence[Message], *, max_tokens: int, temperature: float) -> str:
        prompt = messages[-1].content
        passages = re.findall(r'<passage n="(\d+)"[^>]*>\n(.+?)\n</passage>', prompt, flags=re.S)
        lines = []
        for n, body in passages[:3]:
            first = re.split(r"(?<=[.!?])\s+", body.strip())[0]
            lines.append(f"{first} [{n}]")
        if not lines:
            return "INSUFFICIENT EVIDENCE"
        out = ["BOTTOM LINE: " + lines[0], "SECTION: Treatment options"]
        out += [f"- {line}" for line in lines[1:]]
        out.append(f"- {self.UNSUPPORTED} [1]")
        return "\n".join(out)


def gguf_or_error(settings: Settings) -> GGUFModel:
    """The GGUF model for `settings`; generator and judge share one loaded copy (it is ~1 GB)."""
    from medcite.models.gguf import resolve_gguf

    try:
        return _loaded(str(resolve_gguf(settings)), settings)
    except ModelUnavailable:
        raise
    except OSError as exc:
        raise BackendError(f"cannot load the GGUF model: {exc}") from exc


_LOADED: dict[str, GGUFModel] = {}


def _loaded(path: str, settings: Settings) -> GGUFModel:
    # A per-process cache of model weights, not of state: both roles read the same file.
    if path not in _LOADED:
        _LOADED[path] = GGUFModel(settings)
    return _LOADED[path]
