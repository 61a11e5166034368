"""A minimal OpenAI-compatible HTTP client (chat completions, embeddings) on httpx.

One setting group (`Settings.llm`) configures every model role. With no endpoint configured the
client refuses to start: there is never a silent fallback to some default provider.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import httpx

from medcite.errors import BackendError
from medcite.models.base import Message
from medcite.settings import Settings


class OpenAIClient:
    def __init__(self, settings: Settings) -> None:
        cfg = settings.llm
        if not cfg.base_url:
            raise BackendError(
                "no OpenAI-compatible endpoint is configured",
                hint="set MEDCITE_LLM__BASE_URL (e.g. http://127.0.0.1:8080/v1) and MEDCITE_LLM__MODEL",
            )
        if not cfg.model:
            raise BackendError("no model name is configured", hint="set MEDCITE_LLM__MODEL")
        self.model = cfg.model
        headers = {"Authorization": f"Bearer {cfg.api_key}"} if cfg.api_key else {}
        self._http = httpx.Client(base_url=cfg.base_url.rstrip("/"), headers=headers, timeout=cfg.timeout_s)

    def _post(self, path: str, payload: dict[str, Any]) -> dict[str, Any]:
        try:
            resp = self._http.post(path, json=payload)
        except httpx.HTTPError as exc:
            raise BackendError(f"cannot reach {self._http.base_url}{path}: {exc}") from exc
        if resp.status_code >= 400:
            raise BackendError(f"{self._http.base_url}{path} answered {resp.status_code}: {resp.text[:300]}")
        try:
            data: dict[str, Any] = resp.json()
        except ValueError as exc:
            raise BackendError(f"{self._http.base_url}{path} did not return JSON") from exc
        return data

    def chat(self, messages: Sequence[Message], *, max_tokens: int, temperature: float, **extra: Any) -> str:
        payload: dict[str, Any] = {
            "model": self.model,
            "messages": [{"role": m.role, "content": m.content} for m in messages],
            "max_tokens": max_tokens,
            "temperature": temperature,
            **extra,
        }
        data = self._post("/chat/completions", payload)
        try:
            return str(data["choices"][0]["message"]["content"] or "")
        except (KeyError, IndexError, TypeError) as exc:
            raise BackendError("chat completion response has no choices[0].message.content") from exc

    def embeddings(self, texts: list[str]) -> list[list[float]]:
        data = self._post("/embeddings", {"model": self.model, "input": texts})
        try:
            rows = sorted(data["data"], key=lambda r: r.get("index", 0))
            return [list(r["embedding"]) for r in rows]
        except (KeyError, TypeError) as exc:
            raise BackendError("embeddings response has no data[].embedding") from exc
