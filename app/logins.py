"""Sessions kept on the server, and throttling of wrong passwords. Flask-free.

A session is a random token: the browser's (signed) cookie holds it, the ``sessions``
table holds its SHA-256 with the user and when it was last used. Signing out deletes the
row, so a cookie copied before is worth nothing; a password change ends every other
session of the user; a session idle for longer than the idle timeout ends at its next
use. Flask's own cookie session cannot be revoked, and Flask-Session's stores cannot end
all the sessions of one user, which a password change must: hence this table, in the
SQLite file the users already live in.

Wrong passwords are counted per account and per client address (``login_failures``).
After :data:`FREE_ATTEMPTS` failures each further attempt must wait twice as long as
the one before (1 s, 2 s, 4 s… up to :data:`MAX_DELAY`); the server refuses early
attempts rather than sleeping, so no worker is tied up. After :data:`LOCK_AFTER`
failures an account is locked until an admin unlocks it (``paragraf user unlock``, or
the users page); addresses are only slowed, never locked, so nobody can lock a whole
office out. A success clears the account's and the address's counts.
"""

from __future__ import annotations

import hashlib
import secrets
import sqlite3
import time
from dataclasses import dataclass

IDLE_SECONDS = 8 * 3600
TOUCH_SECONDS = 60  # a session's last use is written at most this often
FREE_ATTEMPTS = 5
MAX_DELAY = 15 * 60
LOCK_AFTER = 20
FORGET_SECONDS = 24 * 3600  # an address's failures are forgotten after a quiet day


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start(db: sqlite3.Connection, user_id: int) -> str:
    """A new session of ``user_id``; the token goes into the browser's cookie."""
    token = secrets.token_urlsafe(32)
    now = time.time()
    with db:
        db.execute(
            "INSERT INTO sessions (token, user_id, created, seen) VALUES (?, ?, ?, ?)",
            (_digest(token), user_id, now, now),
        )
    return token


def user_of(db: sqlite3.Connection, token: str | None, idle: float = IDLE_SECONDS) -> int | None:
    """The user of a live session, or None (unknown, ended or idle too long: then ended)."""
    if not token:
        return None
    key = _digest(token)
    row = db.execute("SELECT user_id, seen FROM sessions WHERE token = ?", (key,)).fetchone()
    if row is None:
        return None
    now = time.time()
    if now - row[1] > idle:
        end(db, token)
        return None
    if now - row[1] > TOUCH_SECONDS:
        with db:
            db.execute("UPDATE sessions SET seen = ? WHERE token = ?", (now, key))
    return int(row[0])


def end(db: sqlite3.Connection, token: str | None) -> None:
    """End one session."""
    if token:
        with db:
            db.execute("DELETE FROM sessions WHERE token = ?", (_digest(token),))


def end_all(db: sqlite3.Connection, user_id: int, keep: str | None = None) -> None:
    """End every session of a user (but ``keep``, the one that changed the password)."""
    with db:
        db.execute(
            "DELETE FROM sessions WHERE user_id = ? AND token != ?",
            (user_id, _digest(keep) if keep else ""),
        )


# --- throttling ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Refusal:
    """Why a sign-in may not be tried now: a wait in seconds, or a locked account."""

    locked: bool
    wait: int


def _delay(failures: int) -> float:
    if failures < FREE_ATTEMPTS:
        return 0.0
    return float(min(2 ** (failures - FREE_ATTEMPTS), MAX_DELAY))


def account_key(name_key: str) -> str:
    """The throttling key of an account (by its normalized name)."""
    return f"user:{name_key}"


def address_key(address: str | None) -> str:
    """The throttling key of a client address."""
    return f"addr:{address or 'unknown'}"


def refusal(db: sqlite3.Connection, keys: list[str]) -> Refusal | None:
    """Whether a sign-in under ``keys`` must be refused now, and why."""
    now = time.time()
    wait = 0.0
    marks = ",".join("?" * len(keys))
    rows = db.execute(
        f"SELECT key, failures, last, locked FROM login_failures WHERE key IN ({marks})", keys
    ).fetchall()
    for key, failures, last, locked in rows:
        if locked:
            return Refusal(True, 0)
        if key.startswith("addr:") and now - last > FORGET_SECONDS:
            continue
        wait = max(wait, last + _delay(failures) - now)
    return Refusal(False, int(wait) + 1) if wait > 0 else None


def failed(db: sqlite3.Connection, keys: list[str]) -> None:
    """Count a wrong password under every key; lock an account key past the limit."""
    now = time.time()
    with db:
        for key in keys:
            row = db.execute(
                "SELECT failures, last FROM login_failures WHERE key = ?", (key,)
            ).fetchone()
            failures = (
                1
                if row is None or (key.startswith("addr:") and now - row[1] > FORGET_SECONDS)
                else row[0] + 1
            )
            locked = int(key.startswith("user:") and failures >= LOCK_AFTER)
            db.execute(
                "INSERT OR REPLACE INTO login_failures (key, failures, last, locked) VALUES (?, ?, ?, ?)",
                (key, failures, now, locked),
            )


def succeeded(db: sqlite3.Connection, keys: list[str]) -> None:
    """Forget the failures of an account and an address after a right password."""
    with db:
        db.executemany("DELETE FROM login_failures WHERE key = ?", [(key,) for key in keys])


def unlock(db: sqlite3.Connection, name_key: str) -> bool:
    """Lift an account's lock and forget its failures; say whether it was locked."""
    key = account_key(name_key)
    row = db.execute("SELECT locked FROM login_failures WHERE key = ?", (key,)).fetchone()
    with db:
        db.execute("DELETE FROM login_failures WHERE key = ?", (key,))
    return bool(row and row[0])


def is_locked(db: sqlite3.Connection, name_key: str) -> bool:
    """Whether an account is locked."""
    row = db.execute(
        "SELECT locked FROM login_failures WHERE key = ?", (account_key(name_key),)
    ).fetchone()
    return bool(row and row[0])
