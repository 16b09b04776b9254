"""The edit history: every save, approval and restore of a segment, in the ``history`` table.

Flask-free: the review UI records through it, and any command may read it. Rows are
keyed by article, language and msgid; a segment whose source changed finds its earlier
rows through the previous msgid.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

__all__ = ["Row", "last_edit", "last_edits", "record", "versions"]


@dataclass(frozen=True)
class Row:
    """One recorded change of a segment."""

    id: int
    msgid: str
    user: str
    at: str  # ISO 8601, UTC, seconds
    action: str
    old_text: str
    old_state: str
    new_text: str
    new_state: str


def record(
    db: sqlite3.Connection,
    slug: str,
    lang: str,
    msgid: str,
    user: str,
    action: str,
    old: tuple[str, str],
    new: tuple[str, str],
) -> None:
    """Record one change, ``old`` and ``new`` being (text, state), and commit it."""
    with db:
        db.execute(
            "INSERT INTO history (slug, lang, msgid, user, at, action,"
            " old_text, old_state, new_text, new_state) VALUES (?,?,?,?,?,?,?,?,?,?)",
            (
                slug,
                lang,
                msgid,
                user,
                datetime.now(UTC).isoformat(timespec="seconds"),
                action,
                *old,
                *new,
            ),
        )


def last_edits(db: sqlite3.Connection, slug: str, lang: str) -> dict[str, tuple[str, str]]:
    """Who last changed each segment of a catalog, and when: msgid → (user, at)."""
    rows = db.execute(
        "SELECT msgid, user, at FROM history WHERE id IN"
        " (SELECT MAX(id) FROM history WHERE slug = ? AND lang = ? GROUP BY msgid)",
        (slug, lang),
    )
    return {r[0]: (r[1], r[2]) for r in rows}


def last_edit(db: sqlite3.Connection, slug: str, lang: str, msgid: str) -> tuple[str, str] | None:
    """Who last changed one segment, and when."""
    row = db.execute(
        "SELECT user, at FROM history WHERE slug = ? AND lang = ? AND msgid = ?"
        " ORDER BY id DESC LIMIT 1",
        (slug, lang, msgid),
    ).fetchone()
    return (row[0], row[1]) if row else None


def versions(
    db: sqlite3.Connection, slug: str, lang: str, msgids: Sequence[str], limit: int = 200
) -> list[Row]:
    """The recorded changes of a segment under any of ``msgids``, newest first."""
    marks = ",".join("?" * len(msgids))
    rows = db.execute(
        "SELECT id, msgid, user, at, action, old_text, old_state, new_text, new_state"
        f" FROM history WHERE slug = ? AND lang = ? AND msgid IN ({marks})"
        " ORDER BY id DESC LIMIT ?",
        (slug, lang, *msgids, limit),
    ).fetchall()
    return [Row(*row) for row in rows]
