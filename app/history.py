"""The edit history: every save, approval and restore of a segment, in the ``history`` table.

Flask-free: the review UI records through it, and any command may read it. Rows are
keyed by article, language and msgid; a segment whose source changed finds its earlier
rows through the previous msgid.

A change is written first as *pending*, committed, then the catalog, then the row is
confirmed (:class:`Journal`, the journal of :func:`app.po.edit.edit_entry`). Reads see
confirmed rows only; :func:`reconcile` settles the pending rows a crash left: confirmed
if the catalog holds the change, deleted if it does not. History and catalog never
disagree, whatever moment a process is killed at.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from .po.edit import Version, version_of
from .po.store import Store

__all__ = ["Journal", "Row", "last_edit", "last_edits", "reconcile", "versions"]


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
    note: str = ""  # a reviewer's reason: for an override at approval, or a dismissal


class Journal:
    """Records one user's change of one segment in the history, in two steps."""

    def __init__(
        self,
        db: sqlite3.Connection,
        slug: str,
        lang: str,
        msgid: str,
        user: str,
        action: str,
        note: str = "",
    ) -> None:
        self.db, self.key, self.user, self.action = db, (slug, lang, msgid), user, action
        self.note = note

    def begin(self, before: Version, after: Version) -> int:
        """Insert the change as pending and commit it; return its row id."""
        with self.db:
            cursor = self.db.execute(
                "INSERT INTO history (slug, lang, msgid, user, at, action,"
                " old_text, old_state, new_text, new_state, done, note)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,0,?)",
                (
                    *self.key,
                    self.user,
                    datetime.now(UTC).isoformat(timespec="seconds"),
                    self.action,
                    before.text,
                    before.state,
                    after.text,
                    after.state,
                    self.note,
                ),
            )
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def done(self, token: int) -> None:
        """Confirm the change: the catalog holds it."""
        with self.db:
            self.db.execute("UPDATE history SET done = 1 WHERE id = ?", (token,))


def reconcile(db: sqlite3.Connection, store: Store) -> int:
    """Settle the pending rows a crash left, each under its catalog's lock; return how many."""
    pending = db.execute("SELECT id, slug, lang, msgid FROM history WHERE done = 0").fetchall()
    for row_id, slug, lang, msgid in pending:
        ref = store.find(lang, slug)
        if ref is None:
            with db:
                db.execute("DELETE FROM history WHERE id = ?", (row_id,))
            continue
        with store.lock(ref):  # a save in progress holds it: wait for it to finish
            row = db.execute(
                "SELECT new_text, new_state, done, note FROM history WHERE id = ?", (row_id,)
            ).fetchone()
            if row is None or row[2]:
                continue
            entry = next((e for e in store.read(ref) if not e.obsolete and e.msgid == msgid), None)
            holds = entry is not None and version_of(entry) == Version(row[0], row[1])
            if holds and row[3] and entry is not None:  # a reason given: was it written?
                holds = row[3] in entry.tcomment
            with db:
                if holds:
                    db.execute("UPDATE history SET done = 1 WHERE id = ?", (row_id,))
                else:
                    db.execute("DELETE FROM history WHERE id = ?", (row_id,))
    return len(pending)


def last_edits(db: sqlite3.Connection, slug: str, lang: str) -> dict[str, tuple[str, str]]:
    """Who last changed each segment of a catalog, and when: msgid → (user, at)."""
    rows = db.execute(
        "SELECT msgid, user, at FROM history WHERE id IN"
        " (SELECT MAX(id) FROM history WHERE slug = ? AND lang = ? AND done = 1 GROUP BY msgid)",
        (slug, lang),
    )
    return {r[0]: (r[1], r[2]) for r in rows}


def last_edit(db: sqlite3.Connection, slug: str, lang: str, msgid: str) -> tuple[str, str] | None:
    """Who last changed one segment, and when."""
    row = db.execute(
        "SELECT user, at FROM history WHERE slug = ? AND lang = ? AND msgid = ? AND done = 1"
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
        "SELECT id, msgid, user, at, action, old_text, old_state, new_text, new_state, note"
        f" FROM history WHERE slug = ? AND lang = ? AND msgid IN ({marks}) AND done = 1"
        " ORDER BY id DESC LIMIT ?",
        (slug, lang, *msgids, limit),
    ).fetchall()
    return [Row(*row) for row in rows]
