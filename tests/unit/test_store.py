"""The answer store contract, on SQLite and on PostgreSQL (see tests/store_fixtures.py)."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from pathlib import Path

import pytest

from medcite.errors import ConfigError, Conflict, InvalidInput, NotFound
from medcite.records import AnswerStatus, Audience
from medcite.settings import Settings
from medcite.store import Role, SQLStore, Transition, normalise_question, open_store
from medcite.store.keys import slugify
from medcite.store.migrations import MIGRATIONS

pytest_plugins = ["store_fixtures"]


def test_migrations_are_recorded_by_name_and_reopening_is_a_no_op(store: SQLStore, store_url: str, open_url) -> None:
    names = [r["name"] for r in store.db.fetchall("SELECT name FROM schema_migrations ORDER BY name")]
    assert names == [name for name, _ in MIGRATIONS]
    again = open_url(store_url)
    try:
        assert again.db.fetchall("SELECT COUNT(*) AS n FROM schema_migrations")[0]["n"] == len(MIGRATIONS)
    finally:
        again.close()


def test_save_assigns_stable_id_slug_and_first_version(store: SQLStore, make_answer) -> None:
    saved = store.save_answer(make_answer(), actor="ed")
    assert saved.id.startswith("ans_") and saved.slug == "what-is-first-line-treatment-for-an-acute-gout-flare"
    assert saved.status == AnswerStatus.DRAFT and saved.current_version == 1
    assert saved.answer.id == saved.id and saved.answer.status == AnswerStatus.DRAFT
    assert store.get_answer(saved.slug).id == saved.id == store.get_answer(saved.id).id
    [v1] = store.versions(saved.id)
    assert (v1.version, v1.reason, v1.created_by) == (1, "generated", "ed")


def test_one_saved_answer_per_normalised_question_and_audience(store: SQLStore, make_answer) -> None:
    first = store.save_answer(make_answer("What is first-line treatment for gout?"))
    with pytest.raises(Conflict, match=first.slug):
        store.save_answer(make_answer("what is FIRST LINE treatment for gout"))
    patient = store.save_answer(
        make_answer("What is first-line treatment for gout?").model_copy(update={"audience": Audience.PATIENT})
    )
    assert patient.slug == f"{first.slug}-patient"
    assert store.find_saved("What is first line treatment for gout", Audience.CLINICIAN).id == first.id


def test_slugs_are_unique(store: SQLStore, make_answer) -> None:
    a = store.save_answer(make_answer("Gout: first line?"))
    b = store.save_answer(make_answer("Gout + first line"))  # a different key, the same slug base
    assert (a.slug, b.slug) == ("gout-first-line", "gout-first-line-2")


def test_normalised_question_ignores_case_punctuation_and_spacing() -> None:
    assert normalise_question("  What's   first-line for GOUT?? ") == normalise_question("what s first line for gout")
    assert slugify("Ménière's disease: treatment?", Audience.STUDENT) == "meniere-s-disease-treatment-student"


def test_find_approved_only_after_approval(store: SQLStore, make_answer) -> None:
    saved = store.save_answer(make_answer())
    assert store.find_approved(saved.question.upper(), Audience.CLINICIAN) is None
    store.apply(
        Transition(
            answer_id=saved.id,
            action="approve",
            actor="dr",
            from_status=AnswerStatus.DRAFT,
            from_version=1,
            to_status=AnswerStatus.APPROVED,
            updates={"approved_version": 1, "approved_by": "dr"},
        )
    )
    found = store.find_approved(saved.question + "  ", Audience.CLINICIAN)
    assert found is not None and found.id == saved.id
    assert found.answer.status_label.startswith("Approved by dr")
    assert store.find_approved(saved.question, Audience.PATIENT) is None


def test_apply_refuses_when_the_answer_changed_meanwhile(store: SQLStore, make_answer) -> None:
    saved = store.save_answer(make_answer())
    stale_view = Transition(
        answer_id=saved.id,
        action="submit",
        actor="ed",
        from_status=AnswerStatus.DRAFT,
        from_version=1,
        to_status=AnswerStatus.SUBMITTED,
    )
    store.apply(stale_view)
    with pytest.raises(Conflict, match="changed meanwhile"):
        store.apply(stale_view)
    with pytest.raises(InvalidInput):
        store.apply(stale_view.model_copy(update={"updates": {"question": "x"}}))
    assert [e.action for e in store.history(saved.id)] == ["save", "submit"]


def test_audit_log_is_append_only_in_the_database(store: SQLStore, make_answer) -> None:
    store.save_answer(make_answer())
    for sql in ("UPDATE audit SET actor = 'mallory'", "DELETE FROM audit"):
        with pytest.raises(Exception, match="append-only"), store.db.write():
            store.db.execute(sql)
    assert store.audit_log()[0].actor is None or store.audit_log()[0].actor != "mallory"


def test_unknown_answers_and_versions_are_not_found(store: SQLStore, make_answer) -> None:
    with pytest.raises(NotFound):
        store.get_answer("nope")
    saved = store.save_answer(make_answer())
    with pytest.raises(NotFound):
        store.version(saved.id, 9)


def test_threads_keep_turns_in_order(store: SQLStore, make_answer) -> None:
    saved = store.save_answer(make_answer())
    thread = store.create_thread(actor="ed")
    store.add_turn(thread, "first?", saved.id)
    store.add_turn(thread, "and then?", saved.id)
    assert [t.question for t in store.thread(thread)] == ["first?", "and then?"]
    with pytest.raises(NotFound):
        store.add_turn("thr_missing", "q", saved.id)


# -- users, tokens, sessions ----------------------------------------------------------------
def test_tokens_are_stored_hashed_and_authenticate(store: SQLStore) -> None:
    user = store.add_user("Dr-Lee", Role.REVIEWER)
    assert user.name == "dr-lee"
    token = store.issue_token("dr-lee")
    prefix, token_id, secret = token.split("_", 2)
    assert prefix == "mct" and len(secret) >= 40
    rows = store.db.fetchall("SELECT * FROM tokens")
    assert len(rows) == 1 and rows[0]["hash"] == hashlib.sha256(secret.encode()).hexdigest()
    dump = repr(store.db.fetchall("SELECT * FROM tokens")) + repr(store.db.fetchall("SELECT * FROM audit"))
    assert secret not in dump
    assert store.authenticate_token(token) == user
    for bad in ("", "garbage", f"mct_{token_id}_{secret[:-1]}x", f"mct_ffff_{secret}", token.replace("mct", "abc")):
        assert store.authenticate_token(bad) is None


def test_token_comparison_is_constant_time(store: SQLStore, monkeypatch: pytest.MonkeyPatch) -> None:
    import hmac

    import medcite.store.users as users_mod

    calls: list[tuple[bytes, bytes]] = []
    real = hmac.compare_digest

    def spy(a: bytes, b: bytes) -> bool:
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(users_mod.hmac, "compare_digest", spy)
    store.add_user("ed", Role.EDITOR)
    token = store.issue_token("ed")
    assert store.authenticate_token(token) is not None
    assert store.authenticate_token("mct_0000000000000000_unknown") is None  # unknown id: still compared
    assert len(calls) == 2


def test_revoked_tokens_stop_working(store: SQLStore) -> None:
    store.add_user("ed", Role.EDITOR)
    t1, t2 = store.issue_token("ed"), store.issue_token("ed")
    assert store.revoke_tokens("ed", actor="ada") == 2
    assert store.authenticate_token(t1) is None and store.authenticate_token(t2) is None
    assert store.authenticate_token(store.issue_token("ed")) is not None


def test_users_validation_and_duplicates(store: SQLStore) -> None:
    store.add_user("ed", Role.EDITOR)
    with pytest.raises(Conflict):
        store.add_user("ED", Role.ADMIN)
    with pytest.raises(InvalidInput):
        store.add_user("bad name", Role.EDITOR)
    with pytest.raises(InvalidInput):
        store.add_user("x", "superuser")  # type: ignore[arg-type]
    with pytest.raises(NotFound):
        store.issue_token("nobody")
    assert [u.name for u in store.list_users()] == ["ed"] and store.count_users() == 1
    assert [e.action for e in store.audit_log()] == ["user.add"]


def test_sessions_hash_the_cookie_and_expire(store: SQLStore) -> None:
    user = store.add_user("ed", Role.EDITOR)
    secret, session = store.create_session(user)
    assert session.user == user and len(session.csrf_token) >= 32
    assert store.db.fetchone("SELECT id FROM sessions")["id"] == hashlib.sha256(secret.encode()).hexdigest()
    assert store.get_session(secret).csrf_token == session.csrf_token
    assert store.get_session("forged") is None and store.get_session("") is None
    store.end_session(secret)
    assert store.get_session(secret) is None
    old, _ = store.create_session(user, ttl_s=-1)
    assert store.get_session(old) is None
    assert session.expires_at - session.user.created_at > timedelta(hours=11)


# -- the factory ----------------------------------------------------------------------------
def test_open_store_defaults_to_sqlite_under_home(tmp_path: Path) -> None:
    from medcite.store.sqlite import SQLiteStore

    store = open_store(Settings(home=tmp_path, database_url=None))
    try:
        assert isinstance(store, SQLiteStore) and store.db.path == tmp_path / "medcite.db"
        mode = store.db.fetchone("PRAGMA journal_mode")
        assert mode is not None and next(iter(mode.values())) == "wal"
        assert next(iter(store.db.fetchone("PRAGMA foreign_keys").values())) == 1
    finally:
        store.close()


def test_open_store_picks_postgres_for_postgresql_urls(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import medcite.store.postgres as pg

    opened: list[str] = []
    monkeypatch.setattr(pg.PostgresStore, "__init__", lambda self, url: opened.append(url))
    store = open_store(Settings(home=tmp_path, database_url="postgresql://u@127.0.0.1:1/db"))
    assert isinstance(store, pg.PostgresStore) and opened == ["postgresql://u@127.0.0.1:1/db"]
    with pytest.raises(ConfigError):
        open_store(Settings(home=tmp_path, database_url="mysql://x"))


def test_postgres_connection_errors_are_backend_errors() -> None:
    pytest.importorskip("psycopg")
    from medcite.errors import BackendError
    from medcite.store.postgres import PostgresStore

    with pytest.raises(BackendError, match=r"postgres@127\.0\.0\.1:9") as info:
        PostgresStore("postgresql://postgres:secret@127.0.0.1:9/none?connect_timeout=1")
    assert "secret" not in str(info.value)
