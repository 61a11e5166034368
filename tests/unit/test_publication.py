"""What readers may see (issue 9, item 2), decided by `medcite.review.publish.published` and
checked on every route that shows an answer: the API (`GET /api/answers/{id}`, `POST /api/ask`),
the stream, the answer page and the MCP `ask` tool.

- a rejected answer is never served: a fresh answer is composed (unsaved) instead;
- a version an editor changed reaches readers only once approved (until then: the last approved
  version, or the machine-composed one labelled "Pending human review"), so editors' notes and
  reviewers' comments are never public before approval;
- versions, diffs, history and comments need a role that may view drafts.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from test_api import build_home  # the three-guideline corpus of the API tests

from medcite.api import create_app
from medcite.api.mcp import build_server
from medcite.review import Workflow
from medcite.settings import Settings
from medcite.store import Role

INTERNAL = "INTERNAL: check with the ward before bed 4 goes home"
COMMENT = "Reviewer only: the colchicine dose is out of date"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    settings: Settings = build_home(tmp_path_factory.mktemp("publication-home"))
    with TestClient(create_app(settings)) as c:
        yield c


def in_store(client: TestClient, fn: Any, *args: Any, **kwargs: Any) -> Any:
    service = client.app.state.answers  # type: ignore[attr-defined]
    return client.portal.call(lambda: service.in_store(fn, *args, **kwargs))  # type: ignore[union-attr]


@pytest.fixture(scope="module")
def team(client: TestClient) -> dict[str, Any]:
    store = client.app.state.store  # type: ignore[attr-defined]
    users = {
        role: in_store(client, store.add_user, name, Role(role))
        for role, name in (("reader", "rita"), ("editor", "ed"), ("reviewer", "dr-rev"), ("admin", "ada"))
    }
    return {
        "users": users,
        "tokens": {role: in_store(client, store.issue_token, u.name) for role, u in users.items()},
        "wf": Workflow(store),
    }


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def stream_answer(client: TestClient, question: str) -> dict[str, Any]:
    with client.stream("POST", "/api/ask/stream", json={"question": question}) as r:
        assert r.status_code == 200
        blocks = [b for b in r.read().decode().strip().split("\n\n") if b]
    last = dict(line.split(": ", 1) for line in blocks[-1].splitlines())
    assert last["event"] == "answer"
    data: dict[str, Any] = json.loads(last["data"])
    return data


def mcp_answer(client: TestClient, question: str) -> dict[str, Any]:
    server = build_server(client.app.state.answers)  # type: ignore[attr-defined]
    result = client.portal.call(server.call_tool, "ask", {"question": question})
    payload = result.structured_content or json.loads(result.content[0].text)
    return dict(payload.get("result", payload))


def every_reader_route(client: TestClient, question: str, answer_id: str) -> dict[str, str]:
    """What an anonymous reader gets on each route, as text to search."""
    return {
        "GET /api/answers/{id}": client.get(f"/api/answers/{answer_id}").text,
        "POST /api/ask": client.post("/api/ask", json={"question": question}).text,
        "POST /api/ask/stream": json.dumps(stream_answer(client, question)),
        "GET /answers/{id} (page)": client.get(f"/answers/{answer_id}").text,
        "MCP ask": json.dumps(mcp_answer(client, question)),
    }


def test_an_unapproved_edit_is_not_public_until_approved(client: TestClient, team: dict[str, Any]) -> None:
    q = "What is the first-line treatment for an acute gout flare?"
    wf, users, tokens = team["wf"], team["users"], team["tokens"]
    first = client.post("/api/ask", json={"question": q}).json()
    aid = first["id"]
    in_store(client, wf.edit, aid, users["editor"], note=INTERNAL)  # version 2, made by a human

    for route, text in every_reader_route(client, q, aid).items():
        assert "INTERNAL" not in text, route
        assert "Pending human review" in text, route
    got = client.get(f"/api/answers/{aid}").json()
    assert got["saved"]["version"] == 1 and got["bottom_line"] == first["bottom_line"]
    assert "INTERNAL" in client.get(f"/api/answers/{aid}", headers=bearer(tokens["editor"])).text
    assert client.get(f"/api/answers/{aid}", headers=bearer(tokens["reader"])).json()["saved"]["version"] == 1

    in_store(client, wf.submit, aid, users["editor"])
    in_store(client, wf.assign, aid, users["admin"], "dr-rev")
    in_store(client, wf.approve, aid, users["reviewer"])
    approved = client.get(f"/api/answers/{aid}").json()
    assert approved["status"] == "approved" and approved["saved"]["version"] == 2
    assert any("INTERNAL" in n for n in approved["notes"]), "an approved editor's note is part of the answer"

    in_store(client, wf.reopen, aid, users["editor"])
    in_store(client, wf.edit, aid, users["editor"], note="INTERNAL second thoughts")  # version 3
    for route, text in every_reader_route(client, q, aid).items():
        assert "second thoughts" not in text, route
    again = client.get(f"/api/answers/{aid}").json()
    assert again["saved"]["version"] == 2 and again["status"] == "approved", "the last approved version is served"


def test_a_rejected_answer_is_never_served_a_fresh_one_is_composed(client: TestClient, team: dict[str, Any]) -> None:
    q = "What is the first-line treatment for hypertension?"
    wf, users, tokens = team["wf"], team["users"], team["tokens"]
    aid = client.post("/api/ask", json={"question": q}).json()["id"]
    in_store(client, wf.edit, aid, users["editor"], note=INTERNAL)
    in_store(client, wf.submit, aid, users["editor"])
    in_store(client, wf.assign, aid, users["admin"], "dr-rev")
    in_store(client, wf.reject, aid, users["reviewer"], COMMENT)

    assert client.get(f"/api/answers/{aid}").status_code == 404
    assert client.get(f"/api/answers/{aid}", headers=bearer(tokens["reader"])).status_code == 404
    assert client.get(f"/answers/{aid}", headers={"accept": "text/html"}).status_code == 404
    fresh = client.post("/api/ask", json={"question": q}).json()
    assert fresh["id"] is None and fresh["permalink"] is None and fresh["status"] != "rejected"
    assert fresh["bottom_line"]["text"] and "INTERNAL" not in json.dumps(fresh)
    streamed = stream_answer(client, q)
    assert streamed["permalink"] is None and "INTERNAL" not in json.dumps(streamed)
    via_mcp = mcp_answer(client, q)
    assert via_mcp["permalink"] is None and "INTERNAL" not in json.dumps(via_mcp)
    page = client.get("/ask", params={"q": q}, follow_redirects=False)
    assert page.status_code == 200 and "INTERNAL" not in page.text and "has no permalink" in page.text
    staff = client.get(f"/api/answers/{aid}", headers=bearer(tokens["editor"])).json()
    assert staff["status"] == "rejected", "editors and reviewers still see it"
    saved = in_store(client, client.app.state.store.get_answer, aid)  # type: ignore[attr-defined]
    assert saved.current_version == 2, "the fresh answers were not saved over it"


def test_comments_versions_diffs_and_history_are_for_signed_in_staff(client: TestClient, team: dict[str, Any]) -> None:
    q = "treatment of hypertension in pregnancy"
    wf, users, tokens = team["wf"], team["users"], team["tokens"]
    aid = client.post("/api/ask", json={"question": q}).json()["id"]
    in_store(client, wf.comment, aid, users["editor"], COMMENT)
    routes = [
        f"/api/answers/{aid}/comments",
        f"/api/answers/{aid}/versions",
        f"/api/answers/{aid}/versions/1",
        f"/api/answers/{aid}/diff",
        f"/api/answers/{aid}/history",
    ]
    for path in routes:
        anonymous = client.get(path)
        assert anonymous.status_code == 401 and COMMENT not in anonymous.text, path
        reader = client.get(path, headers=bearer(tokens["reader"]))
        assert reader.status_code == 403 and COMMENT not in reader.text, path
        assert client.get(path, headers=bearer(tokens["reviewer"])).status_code == 200, path
    assert COMMENT in client.get(routes[0], headers=bearer(tokens["editor"])).text
    for route, text in every_reader_route(client, q, aid).items():
        assert COMMENT not in text, route
    review_page = client.get(f"/review/{aid}", follow_redirects=False)
    assert review_page.status_code == 303 and review_page.headers["location"].startswith("/review/login")
