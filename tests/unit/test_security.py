"""Issue 9, items 1, 6 and 9: personal data never stored, logged, slugged or sent to a model;
threads belong to their creator; rate limits, audited refusals, security headers, reserved names.

The personal-data acceptance test runs the app in a real uvicorn server on loopback (so the access
log is real), asks through every asking route with a recording generative model, then greps the
SQLite database files, every captured log line and every prompt for the identifiers.
"""

from __future__ import annotations

import io
import logging
import re
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi.testclient import TestClient
from test_api import build_home  # the three-guideline corpus of the API tests

from medcite.api import create_app
from medcite.api.security import SECURITY_HEADERS, scope_of
from medcite.errors import InvalidInput
from medcite.models import Message, available, register
from medcite.models.generators import FakeGenerator
from medcite.settings import Settings
from medcite.store import Role

QUESTION = (
    "John Smith DOB 03/04/1961 MRN 12345678 phone 555-867-5309 SSN 123-45-6789 e-mail john.smith@example.com "
    "has an acute gout flare, what is the first-line treatment?"
)
IDENTIFIERS = ["John", "Smith", "smith", "03/04/1961", "1961", "12345678", "555-867-5309", "5558675309",
               "123-45-6789", "john.smith@example.com", "example.com"]  # fmt: skip
PROMPTS: list[str] = []


class RecordingGenerator(FakeGenerator):
    """The fake generative model, keeping every prompt it is sent."""

    def complete(self, messages: Any, *, max_tokens: int, temperature: float) -> str:
        PROMPTS.extend(m.content for m in messages if isinstance(m, Message))
        return super().complete(messages, max_tokens=max_tokens, temperature=temperature)


@pytest.fixture
def recording_model() -> Iterator[None]:
    available("generator")  # the built-ins register themselves first, then this replaces "fake"
    register("generator", "fake", RecordingGenerator)
    PROMPTS.clear()
    try:
        yield
    finally:
        register("generator", "fake", FakeGenerator)


@pytest.fixture
def captured_logs() -> Iterator[io.StringIO]:
    """Every log record of the server's process (uvicorn's access log included), as text. The test's
    own HTTP client (httpx, httpcore) logs the URLs it requests: those lines are the client's."""
    sink = io.StringIO()
    handler = logging.StreamHandler(sink)
    handler.addFilter(lambda record: not record.name.startswith(("httpx", "httpcore")))
    handler.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
    # uvicorn's loggers stop propagating once any server in this process applied uvicorn's own
    # logging config, so the handler goes on them as well as on the root logger.
    loggers = [logging.getLogger(n) for n in ("", "uvicorn", "uvicorn.access", "uvicorn.error")]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.addHandler(handler)
        lg.setLevel(logging.DEBUG)
    try:
        yield sink
    finally:
        for lg, level in zip(loggers, levels, strict=True):
            lg.removeHandler(handler)
            lg.setLevel(level)


def _finder(secret: str) -> Any:
    """Whether a text holds `secret`; a number only where no digit is beside it."""
    if secret.isdigit():
        pattern = re.compile(rf"(?<!\d){secret}(?!\d)")
        return lambda text: bool(pattern.search(text))
    return lambda text: secret in text


def _serve(settings: Settings) -> Iterator[str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    # log_config=None: uvicorn adds no handlers of its own, so its records reach the root logger.
    config = uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_config=None, log_level="info")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)


def test_identifiers_reach_no_table_log_line_slug_or_model_prompt(
    tmp_path: Path, recording_model: None, captured_logs: io.StringIO
) -> None:
    settings = build_home(tmp_path / "home")
    settings.answer.composer = "fake"  # a generative composer, so there is a model prompt to check
    settings.llm.judge = "lexical"
    for url in _serve(settings):
        with httpx.Client(base_url=url, timeout=120) as http:
            body = http.post("/api/ask", json={"question": QUESTION, "audience": "student"}).json()
            assert body["id"] and body["notes"][0].startswith("Personal data removed:")
            assert (
                "a name, a date of birth, a phone number, an e-mail address, a social security number"
                in (body["notes"][0])
            )
            page = http.get("/ask", params={"q": QUESTION, "audience": "patient"}, follow_redirects=True)
            assert page.status_code == 200 and "Personal data removed" in page.text
            with http.stream("GET", "/api/ask/stream", params={"q": QUESTION, "audience": "clinician"}) as r:
                streamed = r.read().decode()
            assert "event: answer" in streamed
            thread = http.post("/api/threads", json={}).json()["id"]
            turn = http.post(f"/api/threads/{thread}/ask", json={"question": "and " + QUESTION}).json()
            turns = http.get(f"/api/threads/{thread}").json()["turns"]
            assert turns and turn["id"]
            slugs = [
                http.get(f"/api/answers/{a}").json()["provenance"]["saved"]["slug"] for a in (body["id"], turn["id"])
            ]
            shown = [body, page.text, streamed, turn, turns, slugs]
    assert PROMPTS, "the generative composer was asked"
    database = b"".join(p.read_bytes() for p in settings.home.glob("medcite.db*"))
    assert b"gout" in database, "the answers were saved"
    logs = captured_logs.getvalue()
    assert "GET /ask " in logs and "GET /api/ask/stream " in logs, "the access log was captured"
    for secret in IDENTIFIERS:
        # A number is found only as a number of its own: a timestamp's microseconds ("14:53:40.196123") or
        # a random id may hold "1961" by chance (this test failed so, once in a while).
        found = _finder(secret)
        assert not found(database.decode("utf-8", "replace")), f"{secret!r} is in the database"
        assert not found(logs), f"{secret!r} is in the logs"
        assert not any(found(p) for p in PROMPTS), f"{secret!r} was sent to the model"
        assert not found(repr(shown)), f"{secret!r} was sent back"
    assert all(s.removeprefix("and-").startswith("has-an-acute-gout-flare") for s in slugs), slugs


@pytest.fixture(scope="module")
def open_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    settings = build_home(tmp_path_factory.mktemp("security-home"))
    settings.server.rate_limit_login = "3/minute"
    with TestClient(create_app(settings)) as c:
        yield c


def _rows(client: TestClient, sql: str, *args: Any) -> list[Any]:
    store = client.app.state.store  # type: ignore[attr-defined]
    service = client.app.state.answers  # type: ignore[attr-defined]
    return list(client.portal.call(lambda: service.in_store(store.db.fetchall, sql, args)))  # type: ignore[union-attr]


def test_store_false_and_the_setting_save_nothing(open_client: TestClient, tmp_path: Path) -> None:
    q = "Offer labetalol for chronic hypertension in pregnancy?"
    body = open_client.post("/api/ask", json={"question": q, "store": False}).json()
    assert body["id"] is None and body["permalink"] is None and body["bottom_line"]["text"]
    assert _rows(open_client, "SELECT id FROM answers WHERE question LIKE ?", "%labetalol%") == []
    settings = build_home(tmp_path / "home")
    settings.privacy.store_questions = False
    with TestClient(create_app(settings)) as c:
        assert c.post("/api/ask", json={"question": q}).json()["permalink"] is None
        page = c.get("/ask", params={"q": q}, follow_redirects=False)
        assert page.status_code == 200 and "has no permalink" in page.text
        assert _rows(c, "SELECT id FROM answers") == [] and _rows(c, "SELECT * FROM thread_turns") == []


def test_every_response_carries_the_security_headers(open_client: TestClient) -> None:
    responses = {
        "page": open_client.get("/"),
        "api": open_client.get("/api/sources"),
        "static": open_client.get("/static/medcite.css"),
        "error": open_client.get("/api/answers/nope"),
        "html error": open_client.get("/answers/nope", headers={"accept": "text/html"}),
        "docs": open_client.get("/docs"),
        "login page": open_client.get("/review/login"),
    }
    with open_client.stream("GET", "/api/ask/stream", params={"q": "gout flare treatment"}) as r:
        r.read()
        responses["stream"] = r  # type: ignore[assignment]
    for name, r in responses.items():
        for header, value in SECURITY_HEADERS.items():
            assert r.headers.get(header) == value, (name, header)
    assert "frame-ancestors 'none'" in SECURITY_HEADERS["Content-Security-Policy"]
    assert "<style>" not in responses["login page"].text, "no inline styles: the CSP forbids them"


def test_login_is_rate_limited_with_429_in_the_error_shape_and_audited_once_per_window(open_client: TestClient) -> None:
    statuses = [open_client.post("/api/login", json={"token": f"mct_x_{i}"}).status_code for i in range(8)]
    assert statuses == [401, 401, 401, 429, 429, 429, 429, 429]
    r = open_client.post("/api/login", json={"token": "mct_x_y"})
    assert r.status_code == 429 and int(r.headers["retry-after"]) >= 1
    assert set(r.json()) == {"error"} and r.json()["error"]["code"] == "too_many_requests"
    assert r.json()["error"]["hint"].startswith("wait")
    assert open_client.post("/review/login", data={"token": "x"}).status_code == 429, "both login routes"
    limited = _rows(open_client, "SELECT detail FROM audit WHERE action = 'rate_limit' AND allowed = ?", False)
    assert len(limited) == 1 and limited[0]["detail"].startswith("login: more than 3 per 1 minute")
    assert len(_rows(open_client, "SELECT seq FROM audit WHERE action = 'login'")) == 3


def test_asking_is_rate_limited_per_client(tmp_path: Path) -> None:
    settings = build_home(tmp_path / "home")
    settings.server.rate_limit_ask = "2/minute"
    with TestClient(create_app(settings)) as c:
        asks = [c.post("/api/ask", json={"question": "gout flare treatment?"}).status_code for _ in range(3)]
        assert asks == [200, 200, 429]
        assert c.get("/ask", params={"q": "gout"}, headers={"accept": "text/html"}).status_code == 429
        assert c.get("/api/search", params={"q": "gout"}).status_code == 200, "reading is not limited"
        assert len(_rows(c, "SELECT seq FROM audit WHERE action = 'rate_limit'")) == 1


def test_the_limits_cover_the_right_routes() -> None:
    assert scope_of("POST", "/api/login") == scope_of("POST", "/review/login") == "login"
    for method, path in [
        ("POST", "/api/ask"),
        ("POST", "/api/ask/stream"),
        ("GET", "/api/ask/stream"),
        ("POST", "/api/threads"),
        ("POST", "/api/threads/thr_1/ask"),
        ("GET", "/ask"),
        ("GET", "/answers/ans_1/audience"),
        ("POST", "/answers/ans_1/follow-up"),
        ("POST", "/api/answers"),
    ]:
        assert scope_of(method, path) == "ask", (method, path)
    assert scope_of("POST", "/api/answers/ans_1/approve") == "write"
    assert scope_of("GET", "/api/answers/ans_1") is None and scope_of("GET", "/api/search") is None


def test_refused_saves_are_audited_anonymous_and_reader_alike(open_client: TestClient) -> None:
    store = open_client.app.state.store  # type: ignore[attr-defined]
    service = open_client.app.state.answers  # type: ignore[attr-defined]
    open_client.portal.call(lambda: service.in_store(store.add_user, "rhea", Role.READER))  # type: ignore[union-attr]
    token = open_client.portal.call(lambda: service.in_store(store.issue_token, "rhea"))  # type: ignore[union-attr]
    assert open_client.post("/api/answers", json={"question": "gout?"}).status_code == 401
    r = open_client.post("/api/answers", json={"question": "gout?"}, headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 403
    refused = _rows(open_client, "SELECT actor, detail FROM audit WHERE action = 'save' AND allowed = ?", False)
    assert [row["actor"] for row in refused] == [None, "rhea"]


def test_reserved_user_names_are_refused(open_client: TestClient, tmp_path: Path) -> None:
    store = open_client.app.state.store  # type: ignore[attr-defined]
    service = open_client.app.state.answers  # type: ignore[attr-defined]
    for name in ("medcite", "Medcite", "system", "anonymous"):
        with pytest.raises(InvalidInput, match="reserved"):
            open_client.portal.call(lambda n=name: service.in_store(store.add_user, n, Role.ADMIN))  # type: ignore[misc,union-attr]
    open_client.portal.call(lambda: service.in_store(store.add_user, "boss", Role.ADMIN))  # type: ignore[union-attr]
    token = open_client.portal.call(lambda: service.in_store(store.issue_token, "boss"))  # type: ignore[union-attr]
    r = open_client.post(
        "/api/users", json={"name": "medcite", "role": "editor"}, headers={"Authorization": f"Bearer {token}"}
    )
    assert r.status_code == 422 and "reserved" in r.json()["error"]["message"]
    assert _rows(open_client, "SELECT actor FROM audit WHERE action = 'user.add' AND allowed = ?", False)


# -- threads under --require-auth (item 6) ---------------------------------------------------------
@pytest.fixture(scope="module")
def locked(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, dict[str, str]]]:
    settings = build_home(tmp_path_factory.mktemp("locked-home"))
    settings.server.require_auth_for_ask = True
    with TestClient(create_app(settings)) as c:
        store, service = c.app.state.store, c.app.state.answers  # type: ignore[attr-defined]
        tokens = {}
        for name, role in (("ann", Role.READER), ("bob", Role.READER), ("ed", Role.EDITOR)):
            c.portal.call(lambda n=name, r=role: service.in_store(store.add_user, n, r))
            tokens[name] = c.portal.call(lambda n=name: service.in_store(store.issue_token, n))
        yield c, tokens


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_a_thread_belongs_to_its_creator(locked: tuple[TestClient, dict[str, str]]) -> None:
    c, tokens = locked
    thread = c.post("/api/threads", json={}, headers=auth(tokens["ann"])).json()["id"]
    asked = c.post(
        f"/api/threads/{thread}/ask", json={"question": "gout flare treatment?"}, headers=auth(tokens["ann"])
    )
    assert (
        asked.status_code == 200
        and len(c.get(f"/api/threads/{thread}", headers=auth(tokens["ann"])).json()["turns"]) == 1
    )

    read = c.get(f"/api/threads/{thread}", headers=auth(tokens["bob"]))
    assert read.status_code == 403 and read.json()["error"]["code"] == "permission_denied"
    assert "gout" not in read.text
    add = c.post(f"/api/threads/{thread}/ask", json={"question": "and in pregnancy?"}, headers=auth(tokens["bob"]))
    assert add.status_code == 403
    assert c.post("/api/ask/stream", json={"question": "x"}, headers=auth(tokens["bob"])).status_code == 200
    assert (
        c.get("/api/ask/stream", params={"q": "and now?", "thread": thread}, headers=auth(tokens["bob"])).status_code
        == 403
    )
    assert c.get(f"/api/threads/{thread}", headers=auth(tokens["ed"])).status_code == 200, "staff may read it"
    assert (
        c.post(f"/api/threads/{thread}/ask", json={"question": "and now?"}, headers=auth(tokens["ed"])).status_code
        == 403
    )
    assert len(c.get(f"/api/threads/{thread}", headers=auth(tokens["ann"])).json()["turns"]) == 1, "nothing was added"
    answer_id = asked.json()["id"]
    page = c.get(f"/answers/{answer_id}", params={"thread": thread}, headers=auth(tokens["bob"]))
    assert page.status_code == 200 and "Conversation" not in page.text, "the page shows the answer, not the thread"
    refused = _rows(c, "SELECT actor, action FROM audit WHERE action LIKE 'thread.%' AND allowed = ?", False)
    assert {(r["actor"], r["action"]) for r in refused} >= {
        ("bob", "thread.read"),
        ("bob", "thread.ask"),
        ("ed", "thread.ask"),
    }


def test_refused_anonymous_asks_are_audited(locked: tuple[TestClient, dict[str, str]]) -> None:
    c, _ = locked
    before = len(_rows(c, "SELECT seq FROM audit WHERE action = 'ask' AND allowed = ?", False))
    assert c.post("/api/ask", json={"question": "gout?"}).status_code == 401
    assert len(_rows(c, "SELECT seq FROM audit WHERE action = 'ask' AND allowed = ?", False)) == before + 1
