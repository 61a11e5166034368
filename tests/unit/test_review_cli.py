"""`medcite review ...` and `medcite users ...` through the CLI runner, on SQLite and PostgreSQL,
plus the real console script for the error edge (message, hint, exit code)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from medcite.cli import review_cmds
from medcite.errors import AuthenticationRequired, Conflict, PermissionDenied
from medcite.records import Answer, AnswerStatus
from medcite.store import SQLStore

pytest_plugins = ["store_fixtures"]


class FakeEngine:
    """What `open_engine` returns, without an index or a model. Asked again, a question gets a
    shorter answer (as if its source had changed)."""

    def __init__(self, make_answer: Callable[..., Answer]) -> None:
        self.make_answer = make_answer
        self.asked: list[str] = []

    def ask(self, question: str, *, audience: Any, **_: Any) -> Answer:
        items = {"Treatment": [("Colchicine 1.2 mg then 0.6 mg an hour later.", [1])]}
        again = question in self.asked
        self.asked.append(question)
        answer = self.make_answer(question, items=items) if again else self.make_answer(question)
        return answer.model_copy(update={"audience": audience})

    def close(self) -> None: ...


@pytest.fixture
def cli(
    store_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, make_answer: Callable[..., Answer]
) -> Callable[..., Any]:
    """run(*args, token=None) -> click Result; the store is the parametrised back-end."""
    monkeypatch.setenv("MEDCITE_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("MEDCITE_DATABASE_URL", store_url)
    monkeypatch.delenv("MEDCITE_TOKEN", raising=False)
    engine = FakeEngine(make_answer)
    monkeypatch.setattr(review_cmds, "open_engine", lambda settings: engine)
    app = typer.Typer()

    @app.callback()
    def _root() -> None: ...

    review_cmds.register(app)
    runner = CliRunner()

    def run(*args: str, token: str | None = None) -> Any:
        env = {"MEDCITE_TOKEN": token} if token else {}
        return runner.invoke(app, list(args), env=env)

    return run


def _token(result: Any) -> str:
    assert result.exit_code == 0, (result.output, result.exception)
    return result.stdout.strip().splitlines()[-1]


@pytest.fixture
def team(cli: Callable[..., Any]) -> dict[str, str]:
    admin = _token(cli("users", "add", "ada", "--role", "admin"))  # the first user needs no token
    team = {"admin": admin}
    for name, role in (("ed", "editor"), ("dr-rev", "reviewer"), ("rita", "reader")):
        team[role] = _token(cli("users", "add", name, "--role", role, "--token", admin))
    return team


def test_first_user_must_be_admin_and_later_ones_need_an_admin(cli: Callable[..., Any]) -> None:
    r = cli("users", "add", "ed", "--role", "editor")
    assert r.exit_code != 0 and "first user must be an admin" in str(r.exception)
    admin = _token(cli("users", "add", "ada", "--role", "admin"))
    r = cli("users", "add", "ed", "--role", "editor")
    assert isinstance(r.exception, AuthenticationRequired)
    editor = _token(cli("users", "add", "ed", "--role", "editor", "--token", admin))
    r = cli("users", "add", "eve", "--role", "admin", "--token", editor)
    assert isinstance(r.exception, PermissionDenied)
    r = cli("users", "list", "--json", token=admin)
    assert [u["name"] for u in json.loads(r.stdout)] == ["ada", "ed"]
    fresh = _token(cli("users", "token", "ed", token=editor))  # users renew their own token
    assert fresh != editor
    assert cli("users", "token", "ed", "--revoke", token=admin).exit_code == 0
    assert isinstance(cli("review", "list", token=fresh).exception, AuthenticationRequired)


def test_review_cycle_from_the_cli(
    cli: Callable[..., Any], team: dict[str, str], store_url: str, open_url: Callable[[str], SQLStore]
) -> None:
    r = cli("review", "save", "What is first-line treatment for gout?", token=team["editor"])
    assert r.exit_code == 0, r.output
    slug = "what-is-first-line-treatment-for-gout"
    shown = cli("review", "show", slug, token=team["editor"])
    assert "1.1" in shown.stdout and "2.1" in shown.stdout
    assert (
        cli(
            "review", "edit", slug, "--remove", "2.1", "--note", "Prevention is elsewhere.", token=team["editor"]
        ).exit_code
        == 0
    )
    assert cli("review", "submit", slug, token=team["editor"]).exit_code == 0
    assert cli("review", "assign", slug, "--to", "dr-rev", token=team["admin"]).exit_code == 0
    queue = json.loads(cli("review", "list", "--queue", "--json", token=team["reviewer"]).stdout)
    assert [a["slug"] for a in queue] == [slug]
    r = cli("review", "approve", slug, token=team["editor"])
    assert isinstance(r.exception, PermissionDenied)
    assert cli("review", "comment", slug, "Reads well.", token=team["reviewer"]).exit_code == 0
    assert cli("review", "approve", slug, token=team["reviewer"]).exit_code == 0
    assert isinstance(cli("review", "approve", slug, token=team["reviewer"]).exception, Conflict)
    diff = cli("review", "diff", slug, "--from", "1", "--to", "2", token=team["reviewer"])
    assert "- [Pitfalls] Avoid starting allopurinol" in diff.stdout and "--- v1" in diff.stdout
    history = json.loads(cli("review", "history", slug, "--json", token=team["admin"]).stdout)
    assert [(e["action"], e["allowed"]) for e in history] == [
        ("save", True),
        ("edit", True),
        ("submit", True),
        ("assign", True),
        ("approve", False),
        ("comment", True),
        ("approve", True),
        ("approve", False),
    ]
    # Readers see approved answers, even without a token.
    assert cli("review", "show", slug).exit_code == 0
    store = open_url(store_url)
    try:
        saved = store.get_answer(slug)
        assert saved.status == AnswerStatus.APPROVED and saved.approved_by == "dr-rev"
    finally:
        store.close()


def test_stale_command_lists_and_regenerates(
    cli: Callable[..., Any], team: dict[str, str], store_url: str, open_url: Callable[[str], SQLStore]
) -> None:
    cli("review", "save", "Gout regen: first-line treatment?", token=team["editor"])
    store = open_url(store_url)
    try:
        store.mark_stale_citing({"og:gout": "og:gout changed (open-medicine)"}, cursor=1)
    finally:
        store.close()
    listed = json.loads(cli("review", "stale", "--json", token=team["reviewer"]).stdout)
    assert [(a["stale"], a["stale_reason"]) for a in listed] == [(True, "og:gout changed (open-medicine)")]
    r = cli("review", "stale", "--regenerate", token=team["reviewer"])
    assert isinstance(r.exception, PermissionDenied)  # refused before any model is loaded
    r = cli("review", "stale", "--regenerate", "--json", token=team["editor"])
    assert r.exit_code == 0, r.output
    assert "regenerated gout-regen-first-line-treatment: v1 → v2 (items +0 -2 ~0" in r.stderr
    [after] = json.loads(r.stdout)
    assert after["version"] == 2 and after["awaiting_regeneration"] is False and after["status"] == "draft"
    store = open_url(store_url)
    try:
        refused = [e for e in store.audit_log() if not e.allowed]
        assert [(e.action, e.actor) for e in refused] == [("regenerate_stale", "dr-rev")]
    finally:
        store.close()


def test_refusal_through_the_real_console_script(tmp_path: Path) -> None:
    env = {**os.environ, "MEDCITE_HOME": str(tmp_path), "MEDCITE_DATABASE_URL": ""}
    env.pop("MEDCITE_TOKEN", None)
    script = Path(sys.executable).with_name("medcite")

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(script), *args], env=env, capture_output=True, text=True, timeout=120)

    admin = run("users", "add", "ada", "--role", "admin").stdout.strip()
    assert admin.startswith("mct_")
    r = run("users", "add", "rita", "--role", "reader", "--token", admin)
    reader = r.stdout.strip()
    r = run("review", "approve", "anything", "--token", reader)
    assert r.returncode == 4 and "no saved answer" in r.stderr  # NotFound before any rule
    r = run("users", "list", "--token", reader)
    assert r.returncode == 77
    assert "error: rita (reader) may not manage users" in r.stderr and "hint: allowed roles: admin" in r.stderr
