"""`server.require_auth_for_ask`: asking, streaming and threads need an API token or a login.

Off (the default, see test_api.py), everyone may ask. On, anonymous API requests get 401 in the
one error shape and the page sends anonymous visitors to the login page; a bearer token or a
login session (with its CSRF token on unsafe requests) may ask, and is recorded as the author.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from medcite.api import create_app
from medcite.engine import Medcite
from medcite.records import Block, BlockKind, Document, SourceType
from medcite.settings import Settings
from medcite.store import Role

GOUT = "What is the first-line treatment for an acute gout flare?"
GOUT_TEXT = (
    "For an acute gout flare, we strongly recommend colchicine, a nonsteroidal anti-inflammatory drug (NSAID) "
    "or glucocorticoids as first-line treatment."
)


@pytest.fixture(scope="module")
def locked_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    settings = Settings(home=tmp_path_factory.mktemp("auth-home"), database_url=None)
    settings.embedding.model = "hashing"
    settings.server.require_auth_for_ask = True
    mc = Medcite(settings)
    block = Block(text=GOUT_TEXT, heading_path=("Acute gout flare", "Treatment"), kind=BlockKind.RECOMMENDATION)
    doc = Document(
        id="t:gout",
        source="testdocs",
        title="Management of acute gout",
        year=2020,
        source_type=SourceType.GUIDELINE,
        blocks=[block],
    )
    mc.store.ingest([doc])
    mc.close()
    return settings


@pytest.fixture(scope="module")
def client(locked_settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(locked_settings)) as c:
        yield c


@pytest.fixture(scope="module")
def token(client: TestClient) -> str:
    service = client.app.state.answers  # type: ignore[attr-defined]
    client.portal.call(service.in_store, service.store.add_user, "ann", Role.READER)  # type: ignore[union-attr]
    issued: str = client.portal.call(service.in_store, service.store.issue_token, "ann")  # type: ignore[union-attr]
    return issued


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@contextmanager
def signed_in(client: TestClient, token: str) -> Iterator[str]:
    """The client with a login session (its cookie) for the block; yields the session's CSRF token."""
    r = client.post("/api/login", json={"token": token})
    assert r.status_code == 200, r.text
    try:
        yield r.json()["csrf_token"]
    finally:
        client.cookies.clear()  # the other tests ask anonymously


ASKING = [
    ("POST", "/api/ask", {"json": {"question": GOUT}}),
    ("POST", "/api/ask", {"json": {}}),  # refused before the body is even read
    ("POST", "/api/ask/stream", {"json": {"question": GOUT}}),
    ("GET", "/api/ask/stream", {"params": {"q": GOUT}}),
    ("POST", "/api/threads", {}),
    ("GET", "/api/threads/thr_missing", {}),
    ("POST", "/api/threads/thr_missing/ask", {"json": {"question": GOUT}}),
]


@pytest.mark.parametrize(("method", "path", "kwargs"), ASKING, ids=[f"{m} {p}" for m, p, _ in ASKING])
@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer mct_nope_nope"}], ids=["anonymous", "bad-token"])
def test_anonymous_asking_is_refused_with_401_in_the_error_shape(
    client: TestClient, method: str, path: str, kwargs: dict[str, Any], headers: dict[str, str]
) -> None:
    r = client.request(method, path, headers=headers, **kwargs)
    assert r.status_code == 401, r.text
    assert r.headers["content-type"].startswith("application/json")
    body = r.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "hint"}
    assert body["error"]["code"] == "authentication_required" and body["error"]["hint"]


def test_reading_a_saved_answer_and_searching_stay_open(client: TestClient, token: str) -> None:
    answer_id = client.post("/api/ask", json={"question": GOUT}, headers=bearer(token)).json()["id"]
    assert client.get(f"/api/answers/{answer_id}").status_code == 200
    assert client.get(f"/answers/{answer_id}").status_code == 200
    assert client.get("/api/search", params={"q": "gout"}).status_code == 200
    assert client.get("/").status_code == 200


def test_a_token_may_ask_stream_and_thread_and_is_recorded_as_the_author(client: TestClient, token: str) -> None:
    r = client.post("/api/ask", json={"question": "colchicine for gout flare?"}, headers=bearer(token))
    assert r.status_code == 200, r.text
    service = client.app.state.answers  # type: ignore[attr-defined]
    versions = client.portal.call(service.in_store, service.store.versions, r.json()["id"])  # type: ignore[union-attr]
    assert versions[0].created_by == "ann"

    with client.stream("POST", "/api/ask/stream", json={"question": "NSAID for gout?"}, headers=bearer(token)) as s:
        assert s.status_code == 200
        names = [line.removeprefix("event: ") for line in s.read().decode().splitlines() if line.startswith("event:")]
    assert names[0] == "status" and names[-1] == "answer"

    thread = client.post("/api/threads", headers=bearer(token))
    assert thread.status_code == 201, thread.text
    tid = thread.json()["id"]
    follow = client.post(f"/api/threads/{tid}/ask", json={"question": GOUT}, headers=bearer(token))
    assert follow.status_code == 200 and follow.json()["thread_id"] == tid
    assert [t["question"] for t in client.get(f"/api/threads/{tid}", headers=bearer(token)).json()["turns"]] == [GOUT]


def test_a_login_session_may_ask_with_its_csrf_token(client: TestClient, token: str) -> None:
    with signed_in(client, token) as csrf:
        refused = client.post("/api/ask", json={"question": GOUT})
        assert refused.status_code == 403 and refused.json()["error"]["code"] == "permission_denied"
        r = client.post("/api/ask", json={"question": GOUT}, headers={"X-CSRF-Token": csrf})
        assert r.status_code == 200, r.text
        # EventSource cannot send headers: the GET stream is a safe method and needs the cookie only.
        stream = client.get("/api/ask/stream", params={"q": GOUT})
        assert stream.status_code == 200 and "event: answer" in stream.text


def test_the_page_sends_anonymous_askers_to_the_login_page_and_back(client: TestClient, token: str) -> None:
    r = client.get("/ask", params={"q": GOUT}, follow_redirects=False)
    assert r.status_code == 303
    location = urlsplit(r.headers["location"])
    back = parse_qs(location.query)["next"][0]
    assert location.path == "/review/login" and urlsplit(back).path == "/ask"
    assert parse_qs(urlsplit(back).query)["q"] == [GOUT]

    login = client.get(r.headers["location"])
    assert "Sign in to ask questions" in login.text
    csrf = login.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    done = client.post("/review/login", data={"token": token, "csrf_token": csrf, "next": back}, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == back
    answered = client.get(back, follow_redirects=False)
    assert answered.status_code == 303 and answered.headers["location"].startswith("/answers/ans_")
    client.cookies.clear()


def test_the_pages_other_asking_routes_need_a_login_too(client: TestClient, token: str) -> None:
    answer_id = client.post("/api/ask", json={"question": GOUT}, headers=bearer(token)).json()["id"]
    switch = client.get(f"/answers/{answer_id}/audience", params={"audience": "patient"}, follow_redirects=False)
    assert switch.status_code == 303 and switch.headers["location"].startswith("/review/login?next=")
    follow = client.post(
        f"/answers/{answer_id}/follow-up", data={"question": "and for the next flare?"}, follow_redirects=False
    )
    assert follow.status_code == 303
    assert parse_qs(urlsplit(follow.headers["location"]).query)["next"] == [f"/answers/{answer_id}"]

    with signed_in(client, token) as csrf:
        page = client.get(f"/answers/{answer_id}").text
        assert f'name="csrf_token" value="{csrf}"' in page, "the follow-up form carries the session's CSRF token"
        form = {"question": "and for the next flare?", "audience": "clinician"}
        assert client.post(f"/answers/{answer_id}/follow-up", data=form, follow_redirects=False).status_code == 403
        ok = client.post(f"/answers/{answer_id}/follow-up", data={**form, "csrf_token": csrf}, follow_redirects=False)
        assert ok.status_code == 303 and "?thread=thr_" in ok.headers["location"]


def test_the_schema_documents_the_401(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path, method in [("/api/ask", "post"), ("/api/ask/stream", "get"), ("/api/threads/{thread_id}/ask", "post")]:
        assert "401" in paths[path][method]["responses"], path
    assert "401" not in paths["/api/answers/{answer_id}"]["get"]["responses"]


def test_serve_require_auth_flag_sets_the_setting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn

    from medcite import cli
    from medcite.cli import serve_cmds

    served: list[Any] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kwargs: served.append(app))
    monkeypatch.setattr(serve_cmds, "_build_index_first", lambda ctx: None)
    if not cli.app.registered_commands:
        cli._register()
    runner = CliRunner()
    for args, expected in [([], False), (["--require-auth"], True), (["--no-require-auth"], False)]:
        result = runner.invoke(cli.app, ["--home", str(tmp_path), "serve", *args])
        assert result.exit_code == 0, result.output
        assert served[-1].state.settings.server.require_auth_for_ask is expected, args
    env = {"MEDCITE_SERVER__REQUIRE_AUTH_FOR_ASK": "true"}
    result = runner.invoke(cli.app, ["--home", str(tmp_path), "serve"], env=env)
    assert result.exit_code == 0 and served[-1].state.settings.server.require_auth_for_ask is True
