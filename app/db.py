"""The SQLite database in ``instance/paragraf.sqlite3``: users, sessions, history, offers,
comments, assignments, the search index.

Other modules add their own tables (the translation memory's ``tm_*``) to the same
file, so the schema only ever creates what is missing and never drops anything; a
column added later is added to an older file by :func:`init_schema`.
In the web app there is one connection per request (:func:`app.web.context.get_db`),
closed at teardown; the command line opens its own with :func:`connect`.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from . import users

DB_NAME = "paragraf.sqlite3"

SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    name_key TEXT,
    password TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('translator', 'reviewer', 'admin')),
    langs TEXT NOT NULL DEFAULT '',
    ui_lang TEXT,
    must_change INTEGER NOT NULL DEFAULT 0,
    created TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS history (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL,
    lang TEXT NOT NULL,
    msgid TEXT NOT NULL,
    user TEXT NOT NULL,
    at TEXT NOT NULL,
    action TEXT NOT NULL,
    old_text TEXT NOT NULL,
    old_state TEXT NOT NULL,
    new_text TEXT NOT NULL,
    new_state TEXT NOT NULL,
    done INTEGER NOT NULL DEFAULT 1,
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS history_entry ON history (slug, lang, msgid);
CREATE TABLE IF NOT EXISTS sessions (
    token TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL,
    created REAL NOT NULL,
    seen REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS sessions_user ON sessions (user_id);
CREATE TABLE IF NOT EXISTS login_failures (
    key TEXT PRIMARY KEY,
    failures INTEGER NOT NULL,
    last REAL NOT NULL,
    locked INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS offers (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL,
    lang TEXT NOT NULL,
    msgid TEXT NOT NULL,
    text TEXT NOT NULL,
    origin TEXT NOT NULL,
    at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS offers_entry ON offers (slug, lang, msgid);
CREATE TABLE IF NOT EXISTS comments (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL,
    lang TEXT NOT NULL,
    msgid TEXT NOT NULL,
    parent INTEGER REFERENCES comments (id),
    user TEXT NOT NULL,
    at TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('question', 'note')),
    text TEXT NOT NULL,
    resolved_by TEXT NOT NULL DEFAULT '',
    resolved_at TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS comments_entry ON comments (slug, lang, msgid);
CREATE TABLE IF NOT EXISTS assignments (
    slug TEXT NOT NULL,
    lang TEXT NOT NULL,
    translator TEXT NOT NULL DEFAULT '',
    reviewer TEXT NOT NULL DEFAULT '',
    due TEXT NOT NULL DEFAULT '',
    by TEXT NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (slug, lang)
);
-- The concordance index (app.search): one row per catalog entry or imported memory pair.
CREATE TABLE IF NOT EXISTS search_catalog (
    path TEXT PRIMARY KEY,
    stamp TEXT NOT NULL,
    digest TEXT NOT NULL DEFAULT ''  -- of the bytes indexed: a racy file re-read unchanged is not parsed
);
CREATE TABLE IF NOT EXISTS search_row (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL,          -- the catalog's path; '' for a pair of the memory
    slug TEXT NOT NULL,          -- '' for a pair of the memory
    lang TEXT NOT NULL,
    source_lang TEXT NOT NULL,
    msgid TEXT NOT NULL,
    msgstr TEXT NOT NULL,
    state TEXT NOT NULL,         -- approved, draft, untranslated; 'memory' for a pair
    origin TEXT NOT NULL DEFAULT '',
    pair INTEGER NOT NULL DEFAULT 0  -- the memory's pair (tm_pair.id)
);
CREATE INDEX IF NOT EXISTS search_row_path ON search_row (path);
CREATE INDEX IF NOT EXISTS search_row_segment ON search_row (slug, msgid);
CREATE INDEX IF NOT EXISTS search_row_langs ON search_row (source_lang, lang);
CREATE VIRTUAL TABLE IF NOT EXISTS search_text
    USING fts5(source, target, tokenize = 'unicode61 remove_diacritics 0');
CREATE TABLE IF NOT EXISTS search_meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
"""
# Columns added after the first release: (table, column, definition).
_ADDED = (
    ("users", "name_key", "TEXT"),
    ("history", "done", "INTEGER NOT NULL DEFAULT 1"),
    ("history", "note", "TEXT NOT NULL DEFAULT ''"),
    ("search_catalog", "digest", "TEXT NOT NULL DEFAULT ''"),
)


def db_path(instance_dir: Path) -> Path:
    """The database file of a project's instance folder."""
    return instance_dir / DB_NAME


def connect(path: Path) -> sqlite3.Connection:
    """Open the database at ``path`` (created with its schema if missing); close it after use."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, timeout=30)
    conn.row_factory = sqlite3.Row
    try:
        conn.execute("PRAGMA busy_timeout = 30000")
        conn.execute("PRAGMA synchronous = NORMAL")
    except BaseException:
        conn.close()
        raise
    return conn


def init_schema(path: Path) -> None:
    """Create the tables that are missing; switch the file to WAL so readers never wait."""
    conn = connect(path)
    try:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.executescript(SCHEMA)
        for table, column, definition in _ADDED:
            if column not in {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}:
                conn.execute(f"ALTER TABLE {table} ADD COLUMN {column} {definition}")
        users.backfill_name_keys(conn)
        conn.execute("CREATE UNIQUE INDEX IF NOT EXISTS users_name_key ON users (name_key)")
        conn.commit()
    finally:
        conn.close()
