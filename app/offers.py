"""What the review UI offered a translator, so that the server, not the client, decides provenance.

When the page shows a translation-memory suggestion or a machine draft, the server
records the text it offered for that segment, with its origin (``tm <slug>``,
``deepl``). A save whose text is exactly an offered one is recorded with that origin;
any other text is a person's, whatever the client says. Offers older than
:data:`KEEP_SECONDS` are forgotten. Flask-free.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterable

KEEP_SECONDS = 7 * 24 * 3600


def offer(
    db: sqlite3.Connection, slug: str, lang: str, msgid: str, texts: Iterable[tuple[str, str]]
) -> None:
    """Record the ``(text, origin)`` pairs shown for one segment."""
    now = time.time()
    rows = [(slug, lang, msgid, text, origin, now) for text, origin in texts if text]
    if not rows:
        return
    with db:
        db.execute("DELETE FROM offers WHERE at < ?", (now - KEEP_SECONDS,))
        db.executemany(
            "INSERT INTO offers (slug, lang, msgid, text, origin, at) VALUES (?, ?, ?, ?, ?, ?)",
            rows,
        )


def origin_of(db: sqlite3.Connection, slug: str, lang: str, msgid: str, text: str) -> str | None:
    """The origin of ``text`` if the server offered exactly it for this segment, else None."""
    row = db.execute(
        "SELECT origin FROM offers WHERE slug = ? AND lang = ? AND msgid = ? AND text = ?"
        " AND at >= ? ORDER BY id DESC LIMIT 1",
        (slug, lang, msgid, text, time.time() - KEEP_SECONDS),
    ).fetchone()
    return str(row[0]) if row else None
