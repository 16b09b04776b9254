"""Comments on a segment: questions to the editor and notes for the next translator, threaded.

Rows of the ``comments`` table, keyed by article, language and msgid like the history.
A thread is a first comment and its replies; the first comment's kind (``question`` or
``note``) and resolved state are the thread's. When ``update`` changes a block's source,
:func:`follow` moves its comments to the new msgid (with its translation when it had one,
else to the closest new block); ``rename`` moves them with the article. Flask-free.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import polib

from . import db as database
from .errors import ParagrafError
from .po.catalog import FUZZY_CUTOFF
from .po.store import CatalogRef

__all__ = [
    "Comment",
    "CommentError",
    "Thread",
    "add",
    "follow",
    "open_questions",
    "resolve",
    "thread",
    "threads",
]

KINDS = ("question", "note")
MAX_LENGTH = 5000


class CommentError(ParagrafError):
    """A comment that cannot be kept (empty, too long, control characters, no such thread)."""


@dataclass(frozen=True)
class Comment:
    id: int
    user: str
    at: str  # ISO 8601, UTC, seconds
    text: str


@dataclass
class Thread:
    """A first comment and its replies, on one segment."""

    id: int
    slug: str
    lang: str
    msgid: str
    kind: str
    resolved_by: str
    resolved_at: str
    comments: list[Comment] = field(default_factory=list)

    @property
    def open(self) -> bool:
        """An unresolved question waits for an answer."""
        return self.kind == "question" and not self.resolved_by


def clean(text: str) -> str:
    """The comment as kept: line breaks normalized, trimmed; refused if empty, long or odd."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        raise CommentError("the comment is empty; type a question or a note")
    if len(text) > MAX_LENGTH:
        raise CommentError(f"the comment has {len(text)} characters; at most {MAX_LENGTH}")
    bad = next((c for c in text if (ord(c) < 32 and c not in "\n\t") or 127 <= ord(c) < 160), None)
    if bad is not None:
        raise CommentError(
            f"the comment contains the control character U+{ord(bad):04X}; remove it"
        )
    return text


def add(
    conn: sqlite3.Connection,
    slug: str,
    lang: str,
    msgid: str,
    user: str,
    text: str,
    *,
    kind: str = "note",
    parent: int | None = None,
) -> int:
    """Add a comment (a reply when ``parent`` names a thread); return its id."""
    text = clean(text)
    if parent is not None:
        row = conn.execute(
            "SELECT slug, lang, msgid, kind FROM comments WHERE id = ? AND parent IS NULL",
            (parent,),
        ).fetchone()
        if row is None or (row[0], row[1]) != (slug, lang):
            raise CommentError(f"no thread {parent} on this article; reload the page")
        msgid, kind = row[2], row[3]
    if kind not in KINDS:
        raise CommentError(f"kind must be one of {', '.join(KINDS)}, got {kind!r}")
    with conn:
        cursor = conn.execute(
            "INSERT INTO comments (slug, lang, msgid, parent, user, at, kind, text)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (slug, lang, msgid, parent, user, _now(), kind, text),
        )
    assert cursor.lastrowid is not None
    return cursor.lastrowid


def resolve(
    conn: sqlite3.Connection, slug: str, lang: str, thread: int, user: str, resolved: bool = True
) -> None:
    """Mark a thread resolved (or, with ``resolved`` false, open again); doing it twice is once."""
    row = conn.execute(
        "SELECT resolved_by FROM comments WHERE id = ? AND slug = ? AND lang = ? AND parent IS NULL",
        (thread, slug, lang),
    ).fetchone()
    if row is None:
        raise CommentError(f"no thread {thread} on this article; reload the page")
    if bool(row[0]) == resolved:
        return
    by, at = (user, _now()) if resolved else ("", "")
    with conn:
        conn.execute(
            "UPDATE comments SET resolved_by = ?, resolved_at = ? WHERE id = ?", (by, at, thread)
        )


def thread(conn: sqlite3.Connection, slug: str, lang: str, number: int) -> Thread | None:
    """One thread of an article in a language."""
    found = _threads(conn, "slug = ? AND lang = ? AND id = ?", [slug, lang, str(number)])
    return found[0] if found else None


def threads(
    conn: sqlite3.Connection, slug: str, lang: str, msgids: Sequence[str] | None = None
) -> list[Thread]:
    """The threads of an article in a language (of some msgids only), oldest first."""
    where, params = "slug = ? AND lang = ?", [slug, lang]
    if msgids is not None:
        where += f" AND msgid IN ({','.join('?' * len(msgids))})"
        params.extend(msgids)
    return _threads(conn, where, params)


def open_questions(conn: sqlite3.Connection, langs: Iterable[str]) -> list[Thread]:
    """The unresolved questions in these languages, oldest first."""
    langs = list(langs)
    if not langs:
        return []
    where = f"lang IN ({','.join('?' * len(langs))}) AND kind = 'question' AND resolved_by = ''"
    return _threads(conn, where, langs)


def _threads(conn: sqlite3.Connection, where: str, params: Sequence[str]) -> list[Thread]:
    roots = conn.execute(
        "SELECT id, slug, lang, msgid, kind, resolved_by, resolved_at, user, at, text"
        f" FROM comments WHERE parent IS NULL AND {where} ORDER BY id",
        params,
    ).fetchall()
    found = {}
    for row in roots:
        thread = Thread(*row[:7])
        thread.comments.append(Comment(row[0], row[7], row[8], row[9]))
        found[row[0]] = thread
    if found:
        replies = conn.execute(
            f"SELECT parent, id, user, at, text FROM comments WHERE parent IN"
            f" ({','.join('?' * len(found))}) ORDER BY id",
            list(found),
        ).fetchall()
        for parent, *reply in replies:
            found[parent].comments.append(Comment(*reply))
    return list(found.values())


def follow(
    instance_dir: Path,
    ref: CatalogRef,
    old: polib.POFile,
    merged: polib.POFile,
    carried: dict[str, str],
) -> int:
    """Move the comments of the blocks whose source changed in ``update``; return how many.

    A block whose translation was carried to a changed source (``carried``: old msgid →
    new) takes its comments along. Comments on a removed block that had no translation
    go to the closest new block, by the same similarity ``update`` uses; with none close
    enough they stay where they were and come back if the source does.
    """
    active = {e.msgid for e in old if not e.obsolete}
    now = {e.msgid for e in merged if not e.obsolete}
    gone = active - now
    path = database.db_path(instance_dir)
    if not gone or not path.exists():
        return 0
    conn = database.connect(path)  # no schema work: update asks for every changed catalog
    try:
        marks = ",".join("?" * len(gone))
        try:
            commented = {
                row[0]
                for row in conn.execute(
                    f"SELECT DISTINCT msgid FROM comments WHERE slug = ? AND lang = ? AND msgid IN ({marks})",
                    (ref.slug, ref.lang, *sorted(gone)),
                )
            }
        except sqlite3.OperationalError:  # a database from before comments: it holds none
            return 0
        if not commented:
            return 0
        moves = {msgid: carried[msgid] for msgid in commented if msgid in carried}
        free = (now - active) - set(carried.values())
        moves.update(_closest_pairs(sorted(commented - set(moves)), sorted(free)))
        with conn:
            return sum(
                conn.execute(
                    "UPDATE comments SET msgid = ? WHERE slug = ? AND lang = ? AND msgid = ?",
                    (new, ref.slug, ref.lang, old_msgid),
                ).rowcount
                for old_msgid, new in moves.items()
            )
    finally:
        conn.close()


def _closest_pairs(old: list[str], new: list[str]) -> dict[str, str]:
    """Pair each old msgid with a new one, best pairs first, each new one used once."""
    if not old or not new:
        return {}
    from rapidfuzz import fuzz, process

    scores = process.cdist(old, new, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
    ranked = sorted(
        ((scores[i][j], i, j) for i in range(len(old)) for j in range(len(new)) if scores[i][j]),
        reverse=True,
    )
    pairs: dict[str, str] = {}
    taken: set[int] = set()
    for _, i, j in ranked:
        if old[i] not in pairs and j not in taken:
            pairs[old[i]] = new[j]
            taken.add(j)
    return pairs


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
