"""Users, API tokens and login sessions.

Tokens look like ``mct_<id>_<secret>``. The id is public and is what the row is found by; only
SHA-256 of the secret is stored, and it is compared with `hmac.compare_digest`, so neither a
database dump nor response timing reveals a usable token. The secret is 256 random bits, which
is why a fast hash is enough here (slow password hashes exist for low-entropy secrets).
Login sessions work the same way: the cookie holds a random secret, the row holds its hash and
the CSRF token that every form post must echo.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from datetime import timedelta

from medcite.errors import Conflict, InvalidInput, NotFound
from medcite.store.base import SYSTEM_ACTOR, Role, Session, User
from medcite.store.sqlbase import SQLBase, now, to_user

TOKEN_PREFIX = "mct"
_NAME = re.compile(r"^[a-z0-9][a-z0-9._@-]{0,63}$")
#: Names no user may take: medcite's own actor in the audit trail, and names that read as "nobody"
#: or "the system" there.
RESERVED_NAMES = frozenset({SYSTEM_ACTOR, "system", "root", "anonymous", "anon", "nobody", "none", "null", "unknown"})
# Compared against when a token id is unknown, so that a miss costs the same as a mismatch.
_DUMMY_HASH = hashlib.sha256(b"medcite-no-such-token").hexdigest()


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def split_token(token: str) -> tuple[str, str] | None:
    """(token id, secret) of a well-formed token, else None."""
    parts = token.strip().split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX or not parts[1] or not parts[2]:
        return None
    return parts[1], parts[2]


def check_name(name: str) -> str:
    name = name.strip().lower()
    if not _NAME.match(name):
        raise InvalidInput(
            f"invalid user name {name!r}",
            hint="use lower-case letters, digits and . _ @ - (at most 64 characters)",
        )
    if name in RESERVED_NAMES:
        raise InvalidInput(
            f"the user name {name!r} is reserved",
            hint=f"{SYSTEM_ACTOR!r} records medcite's own actions in the audit trail; choose another name",
        )
    return name


class UserMethods(SQLBase):
    def add_user(self, name: str, role: Role, *, actor: str | None = None) -> User:
        name = check_name(name)
        try:
            role = Role(role)
        except ValueError:
            raise InvalidInput(f"unknown role {role!r}", hint=", ".join(r.value for r in Role)) from None
        with self.db.write() as db:
            if db.fetchone("SELECT id FROM users WHERE name = ?", (name,)):
                raise Conflict(f"user {name!r} already exists", hint="issue a new token with `medcite users token`")
            row = db.fetchone(
                "INSERT INTO users(name, role, created_at) VALUES (?, ?, ?) RETURNING *",
                (name, role.value, now()),
            )
            assert row is not None
            self._audit(answer_id=None, actor=actor, action="user.add", allowed=True, detail=f"{name} ({role})")
        return to_user(row)

    def get_user(self, name: str) -> User:
        row = self.db.fetchone("SELECT * FROM users WHERE name = ?", (name.strip().lower(),))
        if row is None:
            raise NotFound(f"no user named {name!r}", hint="see `medcite users list`")
        return to_user(row)

    def list_users(self) -> list[User]:
        return [to_user(r) for r in self.db.fetchall("SELECT * FROM users ORDER BY name")]

    def count_users(self) -> int:
        row = self.db.fetchone("SELECT COUNT(*) AS n FROM users")
        return int(row["n"]) if row else 0

    def issue_token(self, name: str, *, actor: str | None = None) -> str:
        """A new API token for a user; the plain token is returned once and never stored."""
        user = self.get_user(name)
        token_id, secret = secrets.token_hex(8), secrets.token_urlsafe(32)
        with self.db.write() as db:
            db.execute(
                "INSERT INTO tokens(id, user_id, hash, created_at) VALUES (?, ?, ?, ?)",
                (token_id, user.id, hash_secret(secret), now()),
            )
            self._audit(
                answer_id=None,
                actor=actor,
                action="user.token",
                allowed=True,
                detail=f"token {token_id} for {user.name}",
            )
        return f"{TOKEN_PREFIX}_{token_id}_{secret}"

    def revoke_tokens(self, name: str, *, actor: str | None = None) -> int:
        user = self.get_user(name)
        with self.db.write() as db:
            n = db.execute("UPDATE tokens SET revoked = ? WHERE user_id = ? AND revoked = ?", (True, user.id, False))
            db.execute("DELETE FROM sessions WHERE user_id = ?", (user.id,))
            self._audit(
                answer_id=None,
                actor=actor,
                action="user.revoke",
                allowed=True,
                detail=f"{n} tokens of {user.name}",
            )
        return n

    def authenticate_token(self, token: str) -> User | None:
        parts = split_token(token or "")
        if parts is None:
            return None
        token_id, secret = parts
        row = self.db.fetchone(
            "SELECT t.hash, t.revoked, u.id, u.name, u.role, u.created_at"
            " FROM tokens t JOIN users u ON u.id = t.user_id WHERE t.id = ?",
            (token_id,),
        )
        expected = row["hash"] if row else _DUMMY_HASH
        matches = hmac.compare_digest(hash_secret(secret).encode(), expected.encode())
        if row is None or not matches or row["revoked"]:
            return None
        return to_user(row)

    # -- login sessions -------------------------------------------------------------------
    def create_session(self, user: User, *, ttl_s: int = 12 * 3600) -> tuple[str, Session]:
        """A login session; returns (cookie secret, session). Expired sessions are swept here."""
        secret, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        t = now()
        expires = t + timedelta(seconds=ttl_s)
        with self.db.write() as db:
            db.execute("DELETE FROM sessions WHERE expires_at < ?", (t,))
            db.execute(
                "INSERT INTO sessions(id, user_id, csrf, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
                (hash_secret(secret), user.id, csrf, t, expires),
            )
            self._audit(answer_id=None, actor=user.name, action="login", allowed=True)
        return secret, Session(user=user, csrf_token=csrf, expires_at=expires)

    def get_session(self, secret: str) -> Session | None:
        if not secret:
            return None
        row = self.db.fetchone(
            "SELECT s.csrf, s.expires_at, u.id, u.name, u.role, u.created_at"
            " FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = ? AND s.expires_at > ?",
            (hash_secret(secret), now()),
        )
        if row is None:
            return None
        return Session(user=to_user(row), csrf_token=row["csrf"], expires_at=row["expires_at"])

    def end_session(self, secret: str) -> None:
        with self.db.write() as db:
            row = db.fetchone(
                "SELECT u.name FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = ?",
                (hash_secret(secret),),
            )
            if row:
                db.execute("DELETE FROM sessions WHERE id = ?", (hash_secret(secret),))
                self._audit(answer_id=None, actor=row["name"], action="logout", allowed=True)
