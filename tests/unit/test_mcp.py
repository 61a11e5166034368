"""`medcite mcp`: a real subprocess spoken to over stdio by the official MCP client."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

from medcite.engine import Medcite
from medcite.records import Block, BlockKind, Document, SourceType
from medcite.settings import Settings

GOUT = "What is the first-line treatment for an acute gout flare?"


def _home(tmp_path: Path) -> Path:
    settings = Settings(home=tmp_path / "home", database_url=None)
    settings.embedding.model = "hashing"
    mc = Medcite(settings)
    mc.store.ingest(
        [
            Document(
                id="t:gout",
                source="testdocs",
                title="Management of acute gout",
                source_type=SourceType.GUIDELINE,
                organisation="American College of Rheumatology (ACR)",
                year=2020,
                doi="10.1002/acr.24180",
                blocks=[
                    Block(
                        text="For an acute gout flare, we strongly recommend colchicine, a nonsteroidal "
                        "anti-inflammatory drug (NSAID) or glucocorticoids as first-line treatment.",
                        heading_path=("Acute gout flare", "Treatment"),
                        kind=BlockKind.RECOMMENDATION,
                        evidence="Strong, High",
                    )
                ],
            )
        ]
    )
    mc.close()
    return settings.home


async def _session_calls(home: Path) -> dict[str, Any]:
    env = {**os.environ, "MEDCITE_HOME": str(home), "MEDCITE_EMBEDDING__MODEL": "hashing"}
    env.pop("MEDCITE_DATABASE_URL", None)
    cli = ["-c", "from medcite.cli import main; main()", "mcp"]  # `medcite mcp`, with this interpreter
    params = StdioServerParameters(command=sys.executable, args=cli, env=env)
    out: dict[str, Any] = {}
    with anyio.fail_after(120):
        async with stdio_client(params) as (read, write), ClientSession(read, write) as session:
            await session.initialize()
            listed = await session.list_tools()
            out["tools"] = {t.name: t for t in listed.tools}
            out["search"] = await session.call_tool("search", {"query": "colchicine gout flare", "k": 3})
            out["ask"] = await session.call_tool("ask", {"question": GOUT})
            out["bad"] = await session.call_tool("ask", {"question": "  "})
    return out


def _json(result: Any) -> dict[str, Any]:
    if result.structured_content is not None:
        return dict(result.structured_content)
    return dict(json.loads(result.content[0].text))


@pytest.mark.integration
def test_mcp_serves_search_and_ask_over_stdio(tmp_path: Path) -> None:
    got = anyio.run(_session_calls, _home(tmp_path))
    assert {"search", "ask"} <= set(got["tools"])
    assert "question" in got["tools"]["ask"].input_schema["properties"]
    search = _json(got["search"])
    assert search["hits"][0]["source"]["id"] == "t:gout" and search["hits"][0]["text"]
    answer = _json(got["ask"])
    assert not got["ask"].is_error and answer["references"][0]["doi"] == "10.1002/acr.24180"
    assert answer["id"].startswith("ans_") and answer["permalink"] == f"/answers/{answer['id']}"
    assert got["bad"].is_error
    text = got["bad"].content[0].text  # the SDK prefixes "Error executing tool ask: "
    assert json.loads(text[text.index("{") :])["error"]["code"] == "invalid_input"
