"""Accounts: roles, languages and hashed passwords in the ``users`` table.

A *translator* edits and saves drafts in their languages; a *reviewer* also approves
and un-approves in theirs; an *admin* does everything in every language and manages
users. Flask-free, so ``paragraf user …`` and the web app share it.
"""

from __future__ import annotations

import functools
import re
import secrets
import sqlite3
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from .errors import ParagrafError

ROLES = ("translator", "reviewer", "admin")
UI_LANGS = ("en", "tr", "ru")
MIN_PASSWORD = 8
PASSWORD_METHOD = "scrypt"  # werkzeug's default; tests use a cheaper one
_NAME = re.compile(r"[\w.@+-]{1,64}")


def _hash(password: str) -> str:
    """The password's salted hash (werkzeug, imported here: most commands never need it)."""
    from werkzeug.security import generate_password_hash

    return generate_password_hash(password, method=PASSWORD_METHOD)


def _matches(stored: str, password: str) -> bool:
    from werkzeug.security import check_password_hash

    return check_password_hash(stored, password)


@functools.cache
def _dummy_hash() -> str:
    """Checked when the user does not exist, so a wrong name costs as long as a wrong password."""
    return _hash("not a password")


class UserError(ParagrafError):
    """A user cannot be created or changed as asked."""


@dataclass(frozen=True)
class User:
    """A signed-up person: name, role, the languages they work in and their UI language."""

    id: int
    name: str
    role: str
    langs: tuple[str, ...]
    ui_lang: str | None = None
    must_change: bool = False

    @property
    def is_admin(self) -> bool:
        """Admins may do everything."""
        return self.role == "admin"

    def may_edit(self, lang: str) -> bool:
        """May open, edit and save drafts in ``lang``."""
        return self.is_admin or lang in self.langs

    def may_approve(self, lang: str) -> bool:
        """May approve and un-approve in ``lang``."""
        return self.is_admin or (self.role == "reviewer" and lang in self.langs)

    def visible_langs(self, configured: Iterable[str]) -> list[str]:
        """The configured languages this user works in, in configured order."""
        return [lang for lang in configured if self.may_edit(lang)]


def _row_to_user(row: sqlite3.Row) -> User:
    return User(
        id=row["id"],
        name=row["name"],
        role=row["role"],
        langs=tuple(row["langs"].split()),
        ui_lang=row["ui_lang"] or None,
        must_change=bool(row["must_change"]),
    )


def normalize_name(name: str) -> str:
    """A user name as stored: NFKC, so look-alike forms (``ｓｃｒｉｐｔ``) are the plain ones."""
    return unicodedata.normalize("NFKC", name.strip())


def name_key(name: str) -> str:
    """What two user names must not share: their NFKC form, case-folded across Unicode."""
    return normalize_name(name).casefold()


def _validate(
    name: str | None, role: str | None, langs: Iterable[str] | None, known_langs: Iterable[str]
) -> None:
    if name is not None and not _NAME.fullmatch(name):
        raise UserError(
            f"user name {name!r}: use 1 to 64 letters, digits or . _ @ + -, without spaces"
        )
    if role is not None and role not in ROLES:
        raise UserError(f"role must be one of {', '.join(ROLES)}, got {role!r}")
    known = list(known_langs)
    for lang in langs or ():
        if lang not in known:
            raise UserError(f"language {lang!r} is not configured; use one of {', '.join(known)}")


def check_password_strength(password: str) -> None:
    """Refuse passwords shorter than :data:`MIN_PASSWORD` characters."""
    if len(password) < MIN_PASSWORD:
        raise UserError(f"the password must have at least {MIN_PASSWORD} characters")


def add_user(
    db: sqlite3.Connection,
    name: str,
    password: str,
    role: str,
    langs: Iterable[str],
    *,
    known_langs: Iterable[str],
    ui_lang: str | None = None,
    must_change: bool = False,
) -> User:
    """Create a user; :class:`UserError` if the name is taken or a value is invalid."""
    langs = list(dict.fromkeys(langs))
    name = normalize_name(name)
    _validate(name, role, langs, known_langs)
    check_password_strength(password)
    if ui_lang is not None and ui_lang not in UI_LANGS:
        raise UserError(f"UI language must be one of {', '.join(UI_LANGS)}, got {ui_lang!r}")
    try:
        with db:
            cur = db.execute(
                "INSERT INTO users (name, name_key, password, role, langs, ui_lang, must_change,"
                " created) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    name,
                    name_key(name),
                    _hash(password),
                    role,
                    " ".join(langs),
                    ui_lang,
                    int(must_change),
                    datetime.now(UTC).isoformat(timespec="seconds"),
                ),
            )
    except sqlite3.IntegrityError as e:
        raise UserError(f"a user named {name!r} already exists; choose another name") from e
    user = get_user(db, cur.lastrowid)
    assert user is not None
    return user


def get_user(db: sqlite3.Connection, user_id: int | None) -> User | None:
    """The user with ``user_id``, or None."""
    if user_id is None:
        return None
    row = db.execute("SELECT * FROM users WHERE id = ?", (user_id,)).fetchone()
    return _row_to_user(row) if row else None


def find_user(db: sqlite3.Connection, name: str) -> User | None:
    """The user called ``name`` (NFKC, case-insensitive across Unicode), or None."""
    row = db.execute("SELECT * FROM users WHERE name_key = ?", (name_key(name),)).fetchone()
    return _row_to_user(row) if row else None


def backfill_name_keys(db: sqlite3.Connection) -> None:
    """Give the users of an older database their name key."""
    rows = db.execute("SELECT id, name FROM users WHERE name_key IS NULL").fetchall()
    for row in rows:
        db.execute("UPDATE users SET name_key = ? WHERE id = ?", (name_key(row[1]), row[0]))


def list_users(db: sqlite3.Connection) -> list[User]:
    """Every user, by name."""
    return [_row_to_user(r) for r in db.execute("SELECT * FROM users ORDER BY name")]


def authenticate(db: sqlite3.Connection, name: str, password: str) -> User | None:
    """The user if ``password`` is theirs, else None (taking as long either way)."""
    row = db.execute("SELECT * FROM users WHERE name_key = ?", (name_key(name),)).fetchone()
    if row is None:
        _matches(_dummy_hash(), password)
        return None
    return _row_to_user(row) if _matches(row["password"], password) else None


def set_password(
    db: sqlite3.Connection, user_id: int, password: str, *, must_change: bool = False
) -> None:
    """Replace a user's password."""
    check_password_strength(password)
    with db:
        db.execute(
            "UPDATE users SET password = ?, must_change = ? WHERE id = ?",
            (_hash(password), int(must_change), user_id),
        )


def update_user(
    db: sqlite3.Connection,
    user_id: int,
    *,
    known_langs: Iterable[str],
    role: str | None = None,
    langs: Iterable[str] | None = None,
    ui_lang: str | None = None,
    clear_ui_lang: bool = False,
) -> None:
    """Change a user's role, languages or UI language (None leaves a field as it is)."""
    langs = None if langs is None else list(dict.fromkeys(langs))
    _validate(None, role, langs, known_langs)
    if ui_lang is not None and ui_lang not in UI_LANGS:
        raise UserError(f"UI language must be one of {', '.join(UI_LANGS)}, got {ui_lang!r}")
    with db:
        if role is not None:
            if role != "admin":
                _keep_an_admin(db, user_id, "take away the admin role of")
            db.execute("UPDATE users SET role = ? WHERE id = ?", (role, user_id))
        if langs is not None:
            db.execute("UPDATE users SET langs = ? WHERE id = ?", (" ".join(langs), user_id))
        if ui_lang is not None or clear_ui_lang:
            db.execute("UPDATE users SET ui_lang = ? WHERE id = ?", (ui_lang, user_id))


def delete_user(db: sqlite3.Connection, user_id: int) -> None:
    """Remove a user (their history stays, under their name); never the last admin."""
    with db:
        _keep_an_admin(db, user_id, "remove")
        db.execute("DELETE FROM users WHERE id = ?", (user_id,))


def _keep_an_admin(db: sqlite3.Connection, user_id: int, what: str) -> None:
    """Refuse a change that would leave nobody able to manage users."""
    row = db.execute("SELECT name, role FROM users WHERE id = ?", (user_id,)).fetchone()
    if row is None or row[1] != "admin":
        return
    others = db.execute(
        "SELECT COUNT(*) FROM users WHERE role = 'admin' AND id != ?", (user_id,)
    ).fetchone()[0]
    if not others:
        raise UserError(
            f"cannot {what} {row[0]!r}: it is the last admin; make another user admin first"
        )


def ensure_admin(db: sqlite3.Connection) -> str | None:
    """With no users at all, create ``admin`` with a random password and return it; else None.

    The check and the insert are one transaction, so of several workers starting at
    once exactly one creates the account.
    """
    password = secrets.token_urlsafe(12)
    db.execute("BEGIN IMMEDIATE")
    try:
        if db.execute("SELECT COUNT(*) FROM users").fetchone()[0]:
            db.rollback()
            return None
        db.execute(
            "INSERT INTO users (name, name_key, password, role, langs, must_change, created)"
            " VALUES ('admin', 'admin', ?, 'admin', '', 1, ?)",
            (
                _hash(password),
                datetime.now(UTC).isoformat(timespec="seconds"),
            ),
        )
        db.commit()
    except BaseException:
        db.rollback()
        raise
    return password
