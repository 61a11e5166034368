"""Every number and string the HTTP API accepts is bounded in its schema: out of range is a 422
in the one error shape, never a 500 (unbounded integers used to reach SQLite and overflow)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from test_api import build_home

from medcite.api import create_app
from medcite.settings import Settings
from medcite.store import open_store
from medcite.store.base import Role

HUGE = "99999999999999999999"  # past int64: SQLite and PostgreSQL refuse it
GOUT = "What is the first-line treatment for an acute gout flare?"


@pytest.fixture(scope="module")
def bounds_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return build_home(tmp_path_factory.mktemp("bounds-home"))


@pytest.fixture(scope="module")
def admin(bounds_settings: Settings) -> dict[str, str]:
    store = open_store(bounds_settings)
    store.add_user("bounds-admin", Role.ADMIN)
    token = store.issue_token("bounds-admin")
    store.close()
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture(scope="module")
def client(bounds_settings: Settings, admin: dict[str, str]) -> Iterator[TestClient]:
    with TestClient(create_app(bounds_settings), raise_server_exceptions=False) as c:
        yield c


@pytest.fixture(scope="module")
def answer_id(client: TestClient) -> str:
    r = client.post("/api/ask", json={"question": GOUT})
    assert r.status_code == 200, r.text
    return str(r.json()["id"])


def _invalid(r: Any, where: str) -> None:
    assert r.status_code == 422, (r.status_code, r.text[:300])
    body = r.json()
    assert set(body) == {"error"} and body["error"]["code"] == "invalid_input", body
    assert where in body["error"]["message"] and body["error"]["hint"], body


@pytest.mark.parametrize(
    ("params", "where"),
    [
        ({"since": HUGE}, "since"),  # the issue's case: a 500 before
        ({"until": f"-{HUGE}"}, "until"),
        ({"since": "0"}, "since"),
        ({"until": "10000"}, "until"),
        ({"k": "0"}, "k"),
        ({"k": HUGE}, "k"),
        ({"org": "x" * 201}, "org"),
        ({"source": "s" * 201}, "source"),
        ({"source": [f"s{i}" for i in range(51)]}, "source"),
    ],
)
def test_search_parameters_out_of_range_are_422(client: TestClient, params: dict[str, Any], where: str) -> None:
    _invalid(client.get("/api/search", params={"q": "gout", **params}), where)


def test_search_years_in_range_still_filter(client: TestClient) -> None:
    r = client.get("/api/search", params={"q": "gout colchicine", "since": "2020", "until": "2020"})
    assert r.status_code == 200 and {h["source"]["year"] for h in r.json()["hits"]} == {2020}


@pytest.mark.parametrize(
    ("filters", "where"),
    [
        ({"year_min": int(HUGE)}, "year_min"),  # the issue's case: a 500 before
        ({"year_max": -int(HUGE)}, "year_max"),
        ({"organisation": "o" * 201}, "organisation"),
        ({"sources": ["s" * 201]}, "sources"),
        ({"doc_ids": [f"d{i}" for i in range(101)]}, "doc_ids"),
        ({"source_types": ["guideline"] * 21}, "source_types"),
    ],
)
@pytest.mark.parametrize("route", ["/api/ask", "/api/ask/stream"])
def test_ask_filters_out_of_range_are_422(client: TestClient, route: str, filters: dict[str, Any], where: str) -> None:
    _invalid(client.post(route, json={"question": GOUT, "filters": filters}), where)


def test_thread_question_filters_out_of_range_are_422(client: TestClient) -> None:
    thread = client.post("/api/threads", json={}).json()["id"]
    r = client.post(f"/api/threads/{thread}/ask", json={"question": GOUT, "filters": {"year_min": int(HUGE)}})
    _invalid(r, "year_min")


@pytest.mark.parametrize(
    ("path", "where"),
    [
        ("/versions/" + HUGE, "version"),  # the issue's case: a 500 before
        ("/versions/0", "version"),
        ("/versions/-1", "version"),
        ("/diff?from_version=" + HUGE, "from_version"),  # the issue's case
        ("/diff?to_version=" + HUGE, "to_version"),
        ("/diff?from_version=0", "from_version"),
    ],
)
def test_version_numbers_out_of_range_are_422(
    client: TestClient, admin: dict[str, str], answer_id: str, path: str, where: str
) -> None:
    _invalid(client.get(f"/api/answers/{answer_id}{path}", headers=admin), where)


def test_version_numbers_in_range_still_work(client: TestClient, admin: dict[str, str], answer_id: str) -> None:
    assert client.get(f"/api/answers/{answer_id}/versions/1", headers=admin).status_code == 200
    assert client.get(f"/api/answers/{answer_id}/versions/999999", headers=admin).status_code == 404
    assert client.get(f"/api/answers/{answer_id}/diff?from_version=1&to_version=1", headers=admin).status_code == 200


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "where"),
    [
        ("get", "/api/answers?limit=" + HUGE, {}, "limit"),
        ("get", "/api/answers?limit=0", {}, "limit"),
        ("get", "/api/answers/" + "a" * 201, {}, "answer_id"),
        ("get", "/api/threads/" + "t" * 201, {}, "thread_id"),
        ("get", "/api/ask/stream?q=gout&thread=" + "t" * 201, {}, "thread"),
        ("post", "/api/threads", {"json": {"answer_id": "a" * 201}}, "answer_id"),
        ("post", "/api/login", {"json": {"token": "t" * 1001}}, "token"),
        ("post", "/api/users", {"json": {"name": "n" * 65}}, "name"),
        ("post", "/api/users/" + "n" * 65 + "/token", {}, "name"),
        ("post", "/api/answers/ans_x/submit", {"json": {"comment": "c" * 10_001}}, "comment"),
        ("post", "/api/answers/ans_x/assign", {"json": {"reviewer": "r" * 65}}, "reviewer"),
        ("post", "/api/answers/ans_x/edit", {"json": {"note": "n" * 10_001}}, "note"),
        ("post", "/api/answers/ans_x/edit", {"json": {"remove": ["1.1"] * 1001}}, "remove"),
        ("post", "/api/answers/ans_x/edit", {"json": {"remove": ["1" * 41]}}, "remove"),
    ],
)
def test_other_api_numbers_and_strings_out_of_range_are_422(
    client: TestClient, admin: dict[str, str], method: str, path: str, kwargs: dict[str, Any], where: str
) -> None:
    _invalid(getattr(client, method)(path, headers=admin, **kwargs), where)


@pytest.mark.parametrize(
    "path",
    [
        "/review/ANSWER?from_version=" + HUGE,
        "/review/ANSWER?to_version=0",
        "/ask?q=gout&thread=" + "t" * 201,
        "/answers/" + "a" * 201,
        "/review/login?next=/" + "n" * 2001,
    ],
)
def test_page_parameters_out_of_range_are_422_pages(
    client: TestClient, admin: dict[str, str], answer_id: str, path: str
) -> None:
    r = client.get(path.replace("ANSWER", answer_id), headers={**admin, "Accept": "text/html"})
    assert r.status_code == 422 and "text/html" in r.headers["content-type"], (r.status_code, r.text[:300])


def test_every_integer_and_string_parameter_in_the_schema_is_bounded(client: TestClient) -> None:
    """The contract itself: no operation of /openapi.json takes an unbounded integer or string."""
    spec = client.get("/openapi.json").json()
    unbounded = []

    def check(where: str, schema: dict[str, Any]) -> None:
        schema = _resolve(spec, schema)
        for option in schema.get("anyOf", []):
            check(where, option)
        kind = schema.get("type")
        if kind == "integer" and ("maximum" not in schema or "minimum" not in schema):
            unbounded.append(where)
        if kind == "string" and "maxLength" not in schema and "enum" not in schema and "format" not in schema:
            unbounded.append(where)
        if kind == "array":
            if "maxItems" not in schema:
                unbounded.append(where + "[]")
            check(where + "[]", schema.get("items", {}))
        for name, prop in schema.get("properties", {}).items():
            check(f"{where}.{name}", prop)

    for path, item in spec["paths"].items():
        for method, op in item.items():
            for param in op.get("parameters", []):
                check(f"{method.upper()} {path} {param['name']}", param.get("schema", {}))
            for media in op.get("requestBody", {}).get("content", {}).values():
                check(f"{method.upper()} {path} body", media.get("schema", {}))
    assert unbounded == []


def _resolve(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = spec["components"]["schemas"][name]
    return schema


def test_the_bounds_are_documented(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    search = {p["name"]: p["schema"] for p in spec["paths"]["/api/search"]["get"]["parameters"]}
    since = next(o for o in search["since"].get("anyOf", [search["since"]]) if o.get("type") == "integer")
    assert (since["minimum"], since["maximum"]) == (1, 9999)


def test_the_cli_refuses_out_of_range_years_with_a_message(bounds_settings: Settings) -> None:
    env = {**os.environ, "MEDCITE_HOME": str(bounds_settings.home), "MEDCITE_EMBEDDING__MODEL": "hashing"}
    script = Path(sys.executable).with_name("medcite")
    r = subprocess.run(
        [str(script), "search", "gout", "--since", HUGE], env=env, capture_output=True, text=True, timeout=120
    )
    assert r.returncode == 2, r.stderr
    assert "invalid filter (year_min" in r.stderr and "Traceback" not in r.stderr
