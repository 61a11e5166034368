"""The review API and pages, in-process through an ASGI client, on SQLite and PostgreSQL:
403 for unauthorised transitions (nothing changes, the attempt is audited), bearer tokens,
login sessions with CSRF protection, the reviewer's queue and the diff view."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from medcite.api.problems import install_error_handlers
from medcite.api.routes_review import router
from medcite.records import Answer, AnswerStatus
from medcite.review import Workflow
from medcite.settings import Settings
from medcite.store import SQLStore, User

pytest_plugins = ["store_fixtures"]


class FakeMedcite:
    def __init__(self, make_answer: Callable[..., Answer]) -> None:
        self.make_answer = make_answer

    def ask(self, question: str, *, audience: Any, **_: Any) -> Answer:
        return self.make_answer(question).model_copy(update={"audience": audience})


@pytest.fixture
def app(store: SQLStore, settings: Settings, make_answer: Callable[..., Answer]) -> FastAPI:
    app = FastAPI()
    install_error_handlers(app)
    app.include_router(router)
    app.state.settings, app.state.store, app.state.medcite = settings, store, FakeMedcite(make_answer)
    return app


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as c:
        yield c


@pytest.fixture
def tokens(store: SQLStore, users: dict[str, User]) -> dict[str, str]:
    return {role: store.issue_token(u.name) for role, u in users.items()}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def under_review(store: SQLStore, users: dict[str, User], make_answer: Callable[..., Answer]) -> str:
    wf = Workflow(store)
    saved = wf.save(make_answer(), users["editor"])
    wf.submit(saved.id, users["editor"])
    wf.assign(saved.id, users["admin"], "dr-rev")
    return saved.id


def test_unauthorised_transition_is_403_changes_nothing_and_is_audited(
    client: TestClient, store: SQLStore, tokens: dict[str, str], under_review: str
) -> None:
    before = store.get_answer(under_review).model_dump()
    r = client.post(f"/api/answers/{under_review}/approve", headers=bearer(tokens["editor"]), json={})
    assert r.status_code == 403
    body = r.json()
    assert set(body) == {"error"} and body["error"]["code"] == "permission_denied"
    assert "ed (editor) may not approve" in body["error"]["message"] and body["error"]["hint"]
    assert store.get_answer(under_review).model_dump() == before
    last = store.history(under_review)[-1]
    assert (last.action, last.actor, last.allowed) == ("approve", "ed", False)


def test_authentication_is_required_and_bad_tokens_are_refused(
    client: TestClient, under_review: str, tokens: dict[str, str]
) -> None:
    r = client.post(f"/api/answers/{under_review}/approve")
    assert r.status_code == 401 and r.json()["error"]["code"] == "authentication_required"
    for header in ({"Authorization": "Bearer mct_nope_nope"}, {"Authorization": f"Basic {tokens['reviewer']}"}):
        assert client.post(f"/api/answers/{under_review}/approve", headers=header).status_code == 401
    assert client.get("/api/review/queue").status_code == 401


def test_workflow_over_the_api(client: TestClient, store: SQLStore, tokens: dict[str, str]) -> None:
    r = client.post(
        "/api/answers",
        headers=bearer(tokens["editor"]),
        json={"question": "How is gout treated?", "audience": "patient"},
    )
    assert r.status_code == 201, r.text
    answer_id = r.json()["id"]
    assert r.json()["slug"] == "how-is-gout-treated-patient" and r.headers["location"] == f"/review/{answer_id}"
    assert (
        client.post(
            f"/api/answers/{answer_id}/edit",
            headers=bearer(tokens["editor"]),
            json={"remove": ["2.1"], "note": "Kept to treatment."},
        ).json()["current_version"]
        == 2
    )
    assert (
        client.post(f"/api/answers/{answer_id}/submit", headers=bearer(tokens["editor"])).json()["status"]
        == "submitted"
    )
    queue = client.get("/api/review/queue", headers=bearer(tokens["reviewer"])).json()["answers"]
    assert [a["id"] for a in queue] == [answer_id]
    assert (
        client.post(f"/api/answers/{answer_id}/start-review", headers=bearer(tokens["reviewer"])).json()["assigned_to"]
        == "dr-rev"
    )
    r = client.post(f"/api/answers/{answer_id}/request-changes", headers=bearer(tokens["reviewer"]), json={})
    assert r.status_code == 422 and r.json()["error"]["code"] == "invalid_input"
    r = client.post(f"/api/answers/{answer_id}/approve", headers=bearer(tokens["reviewer"]), json={"comment": "clear"})
    assert r.status_code == 200 and r.json()["status"] == "approved" and r.json()["approved_version"] == 2
    r = client.post(f"/api/answers/{answer_id}/approve", headers=bearer(tokens["reviewer"]))
    assert r.status_code == 409 and r.json()["error"]["code"] == "conflict"
    d = client.get(
        f"/api/answers/{answer_id}/diff?from_version=1&to_version=2", headers=bearer(tokens["reviewer"])
    ).json()
    assert d["summary"].startswith("items +0 -1") and d["unified"].startswith("--- v1")
    versions = client.get(f"/api/answers/{answer_id}/versions", headers=bearer(tokens["admin"])).json()["versions"]
    assert [v["reason"] for v in versions] == ["generated", "edited: removed 2.1; editor's note"]
    full = client.get(f"/api/answers/{answer_id}/versions/2", headers=bearer(tokens["admin"])).json()
    assert list(full["items"]) == ["1.1", "1.2"]
    history = client.get(f"/api/answers/{answer_id}/history", headers=bearer(tokens["admin"])).json()["events"]
    assert [e["action"] for e in history if e["allowed"]] == ["save", "edit", "submit", "start_review", "approve"]
    assert [e["action"] for e in history if not e["allowed"]] == ["request_changes", "approve"]
    comments = client.get(f"/api/answers/{answer_id}/comments", headers=bearer(tokens["editor"])).json()
    assert [c["body"] for c in comments["comments"]] == ["clear"]
    assert client.get(f"/api/answers/{answer_id}/history", headers=bearer(tokens["reader"])).status_code == 403


def test_users_api(client: TestClient, store: SQLStore, tokens: dict[str, str]) -> None:
    r = client.post("/api/users", headers=bearer(tokens["admin"]), json={"name": "dr-new", "role": "reviewer"})
    assert r.status_code == 201 and store.authenticate_token(r.json()["token"]).name == "dr-new"
    assert client.post("/api/users", headers=bearer(tokens["editor"]), json={"name": "x"}).status_code == 403
    assert client.post("/api/users", headers=bearer(tokens["admin"]), json={"name": "dr-new"}).status_code == 409
    names = [u["name"] for u in client.get("/api/users", headers=bearer(tokens["admin"])).json()["users"]]
    assert "dr-new" in names
    own = client.post("/api/users/ed/token", headers=bearer(tokens["editor"]))
    assert own.status_code == 201 and store.authenticate_token(own.json()["token"]).name == "ed"
    assert client.post("/api/users/ada/token", headers=bearer(tokens["editor"])).status_code == 403
    me = client.get("/api/me", headers=bearer(tokens["reviewer"])).json()
    assert me["user"]["role"] == "reviewer" and "approve" in me["may"]


def test_session_requests_need_the_csrf_token(
    client: TestClient,
    store: SQLStore,
    tokens: dict[str, str],
    users: dict[str, User],
    make_answer: Callable[..., Answer],
) -> None:
    saved = Workflow(store).save(make_answer(), users["editor"])
    r = client.post("/api/login", json={"token": tokens["editor"]})
    assert r.status_code == 200 and "medcite_session" in r.cookies
    assert "httponly" in r.headers["set-cookie"].lower() and "samesite=strict" in r.headers["set-cookie"].lower()
    csrf = r.json()["csrf_token"]
    assert client.get("/api/review/queue").status_code == 200  # reads need no CSRF token
    r = client.post(f"/api/answers/{saved.id}/submit")
    assert r.status_code == 403 and "CSRF" in r.json()["error"]["message"]
    r = client.post(f"/api/answers/{saved.id}/submit", headers={"X-CSRF-Token": "wrong"})
    assert r.status_code == 403
    assert store.get_answer(saved.id).status == AnswerStatus.DRAFT
    assert [(e.action, e.allowed) for e in store.audit_log(limit=2)] == [("csrf", False), ("csrf", False)]
    r = client.post(f"/api/answers/{saved.id}/submit", headers={"X-CSRF-Token": csrf})
    assert r.status_code == 200 and r.json()["status"] == "submitted"
    assert client.post("/api/logout").status_code == 403
    assert client.post("/api/logout", headers={"X-CSRF-Token": csrf}).status_code == 200
    assert client.get("/api/review/queue").status_code == 401
    assert client.post("/api/login", json={"token": "mct_x_y"}).status_code == 401


def _field(html: str, name: str) -> str:
    m = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert m, name
    return m.group(1)


def test_pages_login_queue_diff_and_form_actions(
    client: TestClient, store: SQLStore, tokens: dict[str, str], under_review: str
) -> None:
    r = client.get("/review", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/review/login")
    login = client.get("/review/login")
    assert login.status_code == 200 and "Sign in to review" in login.text
    form_csrf = _field(login.text, "csrf_token")
    r = client.post("/review/login", data={"token": tokens["reviewer"], "csrf_token": "forged"}, follow_redirects=False)
    assert r.status_code == 403  # login CSRF
    r = client.post(
        "/review/login", data={"token": tokens["reviewer"], "csrf_token": form_csrf}, follow_redirects=False
    )
    assert r.status_code == 303 and r.headers["location"] == "/review"
    queue = client.get("/review")
    assert queue.status_code == 200 and 'data-testid="review-queue"' in queue.text
    assert f'href="/review/{under_review}"' in queue.text
    page = client.get(f"/review/{under_review}")
    assert page.status_code == 200 and 'data-testid="diff-summary"' in page.text
    assert 'data-action="approve"' in page.text
    session_csrf = _field(page.text, "csrf_token")
    r = client.post(f"/review/{under_review}/approve", data={"comment": "ok"}, follow_redirects=False)
    assert r.status_code == 403 and store.get_answer(under_review).status == AnswerStatus.UNDER_REVIEW
    r = client.post(
        f"/review/{under_review}/approve", data={"comment": "ok", "csrf_token": session_csrf}, follow_redirects=False
    )
    assert r.status_code == 303 and store.get_answer(under_review).status == AnswerStatus.APPROVED
    assert store.history(under_review)[-1].actor == "dr-rev"
    r = client.post("/review/logout", data={"csrf_token": session_csrf}, follow_redirects=False)
    assert r.status_code == 303
    assert client.get("/review", follow_redirects=False).status_code == 303


def test_stale_endpoint_lists_stale_answers(
    client: TestClient, store: SQLStore, tokens: dict[str, str], under_review: str
) -> None:
    store.mark_stale_citing({"og:gout": "og:gout changed (x)"}, cursor=1)
    r = client.get("/api/review/stale", headers=bearer(tokens["editor"]))
    assert r.status_code == 200 and [a["id"] for a in r.json()["answers"]] == [under_review]
    assert r.json()["answers"][0]["awaiting_regeneration"] is True
    r = client.post("/api/review/stale/regenerate", headers=bearer(tokens["admin"]))
    assert r.status_code == 200
    [done] = r.json()["regenerated"]
    assert done["answer_id"] == under_review
    assert client.post("/api/review/stale/regenerate", headers=bearer(tokens["reviewer"])).status_code == 403
