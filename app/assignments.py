"""Assignments: who translates and who reviews an article in a language, and by when.

One row per article × language in the ``assignments`` table. An editor (an admin, or a
reviewer of that language) assigns; the dashboard lists a user's own work first and
marks what is overdue; ``paragraf status`` shows the assignees. Flask-free.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from .errors import ParagrafError
from .users import User, find_user

__all__ = [
    "Assignment",
    "AssignmentError",
    "all_assignments",
    "assign",
    "for_article",
    "of_project",
]


class AssignmentError(ParagrafError):
    """An assignment that cannot be made (unknown user, wrong role or language, bad date)."""


@dataclass(frozen=True)
class Assignment:
    """An article × language given to a translator and a reviewer."""

    slug: str
    lang: str
    translator: str
    reviewer: str
    due: str  # ISO date, or ''
    by: str
    at: str

    def overdue(self, today: date | None = None) -> bool:
        """Whether the due date has passed."""
        today = today or datetime.now(UTC).date()
        return bool(self.due) and date.fromisoformat(self.due) < today

    def involves(self, name: str) -> bool:
        """Whether ``name`` is its translator or reviewer (names compare case-insensitively)."""
        return name.casefold() in (self.translator.casefold(), self.reviewer.casefold())


def assign(
    db: sqlite3.Connection,
    slug: str,
    lang: str,
    *,
    translator: str,
    reviewer: str,
    due: str,
    by: str,
) -> Assignment:
    """Give ``slug`` in ``lang`` to a translator and a reviewer (empty names: nobody).

    The translator must work in ``lang``; the reviewer must be able to approve in it.
    An assignment with no one and no date is removed.
    """
    translator = _person(db, translator, lang, "translator", lambda u: u.may_edit(lang))
    reviewer = _person(db, reviewer, lang, "reviewer", lambda u: u.may_approve(lang))
    if due:
        try:
            due = date.fromisoformat(due).isoformat()
        except ValueError as e:
            raise AssignmentError(
                f"due date {due!r}: write it as YYYY-MM-DD, e.g. 2026-12-24"
            ) from e
    at = datetime.now(UTC).isoformat(timespec="seconds")
    with db:
        if not (translator or reviewer or due):
            db.execute("DELETE FROM assignments WHERE slug = ? AND lang = ?", (slug, lang))
        else:
            db.execute(
                "INSERT OR REPLACE INTO assignments VALUES (?, ?, ?, ?, ?, ?, ?)",
                (slug, lang, translator, reviewer, due, by, at),
            )
    return Assignment(slug, lang, translator, reviewer, due, by, at)


def _person(
    db: sqlite3.Connection, name: str, lang: str, role: str, may: Callable[[User], bool]
) -> str:
    name = name.strip()
    if not name:
        return ""
    user = find_user(db, name)
    if user is None:
        raise AssignmentError(f"{role} {name!r}: no such user; see 'paragraf user list'")
    if not may(user):
        what = "translate" if role == "translator" else "approve"
        raise AssignmentError(
            f"{role} {user.name!r} cannot {what} in {lang!r}; give them the language first"
            " (an admin does it on the Users page)"
        )
    return user.name


def all_assignments(db: sqlite3.Connection) -> list[Assignment]:
    """Every assignment, the earliest due first (those without a date last)."""
    rows = db.execute(
        "SELECT slug, lang, translator, reviewer, due, by, at FROM assignments"
        " ORDER BY due = '', due, slug, lang"
    ).fetchall()
    return [Assignment(*row) for row in rows]


def for_article(db: sqlite3.Connection) -> dict[tuple[str, str], Assignment]:
    """Every assignment by (slug, lang)."""
    return {(a.slug, a.lang): a for a in all_assignments(db)}


def of_project(instance_dir: Path) -> dict[tuple[str, str], Assignment]:
    """Every assignment of a project by (slug, lang); none when it has no database yet."""
    from . import db as database

    path = database.db_path(instance_dir)
    if not path.exists():
        return {}
    conn = database.connect(path)  # a read: no schema work for every `paragraf status`
    try:
        return for_article(conn)
    except sqlite3.OperationalError:  # a database from before assignments: it holds none
        return {}
    finally:
        conn.close()
