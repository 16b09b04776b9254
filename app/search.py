"""Concordance search: the source and every translation of every catalog, and the memory.

The index is an SQLite FTS5 table in the project's database. It holds folded text
(:func:`fold`: case, Turkish dotted and dotless i, Russian ё and е, the accents of Latin
letters), so ``istanbul`` finds ``İstanbul`` and ``елка`` finds ``Ёлка``. It stays
current by itself: every search first stats the catalogs and re-reads those whose file
changed (a save in the review UI, an update, a draft), and adds the memory's pairs
imported since the last search. A catalog's rows are replaced in one transaction, so a
search never sees half of one.

Flask-free: ``paragraf search`` and the review UI's search page both call :func:`search`.
"""

from __future__ import annotations

import hashlib
import os
import re
import sqlite3
import time
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .errors import CatalogError, ParagrafError
from .po import catalog
from .po.store import CatalogRef, Store

__all__ = [
    "Hit",
    "SearchError",
    "Translation",
    "fold",
    "indexed",
    "marks",
    "pieces",
    "refresh",
    "search",
]

STATES = ("approved", "draft", "untranslated", "memory")
RACY_NS = 2_000_000_000  # a file written this recently may change without its stat changing
MAX_QUERY = 200  # characters


class SearchError(ParagrafError):
    """A query that cannot be searched for (no word in it, too long)."""


class _Fold(dict[int, int]):
    """``str.translate``'s table for :func:`fold`, filled one character at a time."""

    def __missing__(self, code: int) -> int:
        char = chr(code)
        low = char.lower()
        if len(low) != 1:  # İ lowers to i + a combining dot; keep one character per character
            low = "i" if char == "İ" else char
        low = {"ı": "i", "ё": "е"}.get(low, low)
        base = unicodedata.normalize("NFD", low)[0]
        folded = ord(base if base.isascii() else low)  # ç → c, é → e; й, ё stay Cyrillic
        self[code] = folded
        return folded


_TABLE = _Fold()
_WORD = re.compile(r"[^\W_]+")
_QUOTED = re.compile(r'"([^"]*)"')


def fold(text: str) -> str:
    """``text`` as the index holds it: one character for each, so positions carry over.

    >>> fold("İSTANBUL, Iğdır, Ёлка, Çağrı")
    'istanbul, igdir, елка, cagri'
    """
    return text.translate(_TABLE)


@dataclass(frozen=True)
class Translation:
    """One language version of a segment."""

    lang: str
    text: str
    state: str


@dataclass
class Hit:
    """A segment found: its article (empty for the memory), source and translations."""

    slug: str
    source_lang: str
    source: str
    origin: str = ""  # the memory's origin of a pair
    translations: list[Translation] = field(default_factory=list)


@dataclass(frozen=True)
class Query:
    """A parsed query: the FTS5 expression and the folded words to highlight."""

    expression: str
    words: tuple[str, ...]

    @classmethod
    def parse(cls, text: str) -> Query:
        """Words match as prefixes, all of them; a "quoted phrase" matches as written."""
        if len(text) > MAX_QUERY:
            raise SearchError(f"the query is {len(text)} characters long; at most {MAX_QUERY}")
        parts, words = [], []
        for number, piece in enumerate(_QUOTED.split(text)):
            found = _WORD.findall(indexed(piece))
            if not found:
                continue
            words.extend(found)
            if number % 2:  # inside quotes
                parts.append('"' + " ".join(found) + '"')
            else:
                parts.extend(f'"{word}"*' for word in found)
        if not parts:
            raise SearchError(f"{text!r} has no word to search for; type a word or a number")
        return cls(" AND ".join(parts), tuple(dict.fromkeys(words)))


def indexed(text: str) -> str:
    """``text`` as the index holds it and queries are read: composed (NFC), then folded."""
    return fold(unicodedata.normalize("NFC", text))


def pieces(text: str, words: Iterable[str]) -> list[tuple[str, bool]]:
    """``text`` (composed) cut into pieces, each with whether a word of the query matched it."""
    text = unicodedata.normalize("NFC", text)
    out, at = [], 0
    for start, end in marks(text, words):
        out += [(text[at:start], False), (text[start:end], True)]
        at = end
    out.append((text[at:], False))
    return [piece for piece in out if piece[0]]


def marks(text: str, words: Iterable[str]) -> list[tuple[int, int]]:
    """The spans of ``text`` that the words of a query matched (at word starts), in order."""
    folded = fold(text)
    spans = []
    for word in words:
        for match in re.finditer(rf"(?<![^\W_]){re.escape(word)}", folded):
            spans.append((match.start(), match.end()))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def refresh(db: sqlite3.Connection, store: Store) -> int:
    """Bring the index up to date with the catalogs and the memory; return the catalogs parsed.

    A catalog's stamp is its stat and its template's: a file whose stamp is as indexed is
    trusted, unless it was written in the two seconds before it was indexed (a same-size
    rewrite could keep its mtime); such a file is hashed again and parsed only if its bytes,
    or whether its article has a template, changed. An unreadable catalog or template
    keeps its last indexed rows (the search works around it; the commands that read it
    name the problem).
    """
    known = {
        path: (stamp, digest)
        for path, stamp, digest in db.execute("SELECT path, stamp, digest FROM search_catalog")
    }
    current = _stamps(store)
    gone = [path for path in known if path not in current]
    read, settled = [], []
    for path, (lang, slug, stamp) in current.items():
        before = known.get(path)
        if before is not None and before[0] == stamp and not stamp.endswith(":racy"):
            continue
        templated = "/none" not in stamp  # no template: a retired article, indexed empty
        try:
            data = Path(path).read_bytes()
            digest = hashlib.blake2b(data, digest_size=16).hexdigest() + (
                "" if templated else ":none"
            )
            if before is not None and before[1] == digest:
                if before[0] != stamp:
                    settled.append((stamp, path))  # rewritten, or no longer racy: same bytes
                continue
            ref = store.find(lang, slug) if templated else None
            rows = list(_rows(ref, data)) if ref is not None else []
        except (OSError, CatalogError):
            continue
        read.append((path, stamp, digest, rows))
    if not (gone or read or settled or _memory_grew(db)):
        return 0
    db.execute("BEGIN IMMEDIATE")  # one writer at a time; a search never sees half a catalog
    try:
        indexed = dict(db.execute("SELECT path, digest FROM search_catalog").fetchall())
        for path in gone:
            _drop(db, path)
            db.execute("DELETE FROM search_catalog WHERE path = ?", (path,))
        db.executemany("UPDATE search_catalog SET stamp = ? WHERE path = ?", settled)
        for path, stamp, digest, rows in read:
            if indexed.get(path) == digest:  # another process indexed these bytes meanwhile
                continue
            _drop(db, path)
            for row in rows:
                _insert(db, path, *row)
            db.execute(
                "INSERT OR REPLACE INTO search_catalog VALUES (?, ?, ?)", (path, stamp, digest)
            )
        _add_memory(db, {slug for _, slug, _ in current.values()})
        db.commit()
    except BaseException:
        db.rollback()
        raise
    return len(read)


def _stamps(store: Store) -> dict[str, tuple[str, str, str]]:
    """Every catalog file: path → (lang, slug, stamp): its stat and its template's, one
    ``scandir`` per folder."""
    now = time.time_ns()
    templates = {}
    for entry in _entries(store.config.translations_dir / "templates"):
        if entry.name.endswith(".pot"):
            st = entry.stat()
            templates[entry.name[:-4]] = f"{st.st_ino}:{st.st_mtime_ns}:{st.st_size}"
    found = {}
    for lang in store.config.languages:
        for entry in _entries(store.config.translations_dir / lang / "LC_MESSAGES"):
            if not entry.name.endswith(".po"):
                continue
            try:
                st = entry.stat()
            except FileNotFoundError:
                continue
            slug = entry.name[:-3]
            stamp = f"{st.st_ino}:{st.st_mtime_ns}:{st.st_size}/{templates.get(slug, 'none')}"
            if now - st.st_mtime_ns < RACY_NS:  # a same-size rewrite could keep this mtime
                stamp += ":racy"  # never equal to the next stamp: hashed again next time
            found[entry.path] = (lang, slug, stamp)
    return found


def _entries(folder: Path) -> list[os.DirEntry[str]]:
    try:
        return [entry for entry in os.scandir(folder) if entry.is_file()]
    except FileNotFoundError:
        return []


def _rows(ref: CatalogRef, data: bytes) -> Iterator[tuple[str, str, str, str, str, str, str, int]]:
    for entry in catalog.parse_bytes(data, ref.display):
        if entry.obsolete or not entry.msgid:
            continue
        state = catalog.state(entry)
        yield ref.slug, ref.lang, ref.source_lang, entry.msgid, entry.msgstr, state, "", 0


def _drop(db: sqlite3.Connection, path: str) -> None:
    db.execute(
        "DELETE FROM search_text WHERE rowid IN (SELECT id FROM search_row WHERE path = ?)",
        (path,),
    )
    db.execute("DELETE FROM search_row WHERE path = ?", (path,))


def _insert(
    db: sqlite3.Connection,
    path: str,
    slug: str,
    lang: str,
    source_lang: str,
    msgid: str,
    msgstr: str,
    state: str,
    origin: str,
    pair: int,
) -> None:
    cursor = db.execute(
        "INSERT INTO search_row (path, slug, lang, source_lang, msgid, msgstr, state, origin, pair)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (path, slug, lang, source_lang, msgid, msgstr, state, origin, pair),
    )
    db.execute(
        "INSERT INTO search_text (rowid, source, target) VALUES (?, ?, ?)",
        (cursor.lastrowid, indexed(msgid), indexed(msgstr)),
    )


def _memory_indexed(db: sqlite3.Connection) -> int:
    row = db.execute("SELECT value FROM search_meta WHERE key = 'tm_pair'").fetchone()
    return row[0] if row else 0


def _memory_grew(db: sqlite3.Connection) -> bool:
    """Whether the memory holds pairs added since the index last looked."""
    try:
        newest = db.execute("SELECT MAX(id) FROM tm_pair").fetchone()[0]
    except sqlite3.OperationalError:  # no memory yet
        return False
    return newest is not None and newest > _memory_indexed(db)


def _add_memory(db: sqlite3.Connection, slugs: set[str]) -> None:
    """Index the memory's pairs added since the last search, but those the catalogs hold."""
    last = _memory_indexed(db)
    try:
        pairs = db.execute(
            "SELECT id, src_lang, tgt_lang, source, target, origin FROM tm_pair WHERE id > ?"
            " ORDER BY id",
            (last,),
        ).fetchall()
    except sqlite3.OperationalError:  # no memory yet
        return
    if pairs:  # an import may have replaced pairs: the rows of those removed go
        gone = "SELECT id FROM search_row r WHERE r.pair != 0 AND NOT EXISTS (SELECT 1 FROM tm_pair p WHERE p.id = r.pair)"
        db.execute(f"DELETE FROM search_text WHERE rowid IN ({gone})")
        db.execute(
            "DELETE FROM search_row WHERE pair != 0 AND NOT EXISTS (SELECT 1 FROM tm_pair p WHERE p.id = search_row.pair)"
        )
    for pair_id, src, tgt, source, target, origin in pairs:
        last = pair_id
        if origin in slugs:  # a catalog's approved entry: found in the catalog already
            continue
        _insert(db, "", "", tgt, src, source, target, "memory", origin, pair_id)
    db.execute("INSERT OR REPLACE INTO search_meta VALUES ('tm_pair', ?)", (last,))


def search(
    db: sqlite3.Connection,
    store: Store,
    text: str,
    *,
    langs: Iterable[str] | None = None,
    state: str | None = None,
    slug: str | None = None,
    limit: int = 50,
) -> tuple[Query, list[Hit]]:
    """The segments whose source or translation match ``text``, best first.

    ``langs`` limits the translations searched and shown (a translator sees their own
    languages); ``state`` and ``slug`` keep the segments of one state or one article.
    """
    if state is not None and state not in STATES:
        raise SearchError(f"state must be one of {', '.join(STATES)}, got {state!r}")
    query = Query.parse(text)
    refresh(db, store)
    allowed = None if langs is None else set(langs)
    clauses, params = ["search_text MATCH ?"], [query.expression]
    if allowed is not None:
        marks_ = ",".join("?" * len(allowed))
        clauses.append(f"r.lang IN ({marks_})")
        params.extend(sorted(allowed))
        # a memory pair shows when its source is a language the user works in, or one
        # that articles they translate are written in (not two versions they never see)
        sources = allowed | {
            lang for lang in store.config.languages if _is_source_for(db, lang, allowed)
        }
        clauses.append(f"(r.pair = 0 OR r.source_lang IN ({','.join('?' * len(sources))}))")
        params.extend(sorted(sources))
    if state is not None:
        clauses.append("r.state = ?")
        params.append(state)
    if slug is not None:
        clauses.append("r.slug = ?")
        params.append(slug)
    if _has_memory(db):  # a pair since removed from the memory is not found
        clauses.append("(r.pair = 0 OR EXISTS (SELECT 1 FROM tm_pair p WHERE p.id = r.pair))")
    rows = db.execute(
        "SELECT r.id, r.slug, r.lang, r.source_lang, r.msgid, r.msgstr, r.state, r.origin"
        " FROM search_text JOIN search_row r ON r.id = search_text.rowid"
        f" WHERE {' AND '.join(clauses)} ORDER BY bm25(search_text) LIMIT ?",
        (*params, limit * 4),
    ).fetchall()
    hits: dict[tuple[str, str, str], Hit] = {}
    for _, row_slug, lang, source_lang, msgid, msgstr, row_state, origin in rows:
        key = (row_slug, msgid, origin if not row_slug else "")
        if key not in hits:
            if len(hits) == limit:
                continue
            hits[key] = Hit(row_slug, source_lang, msgid, origin)
        if not row_slug:
            hits[key].translations.append(Translation(lang, msgstr, row_state))
    for (row_slug, msgid, _), hit in hits.items():
        if row_slug:
            hit.translations = _translations(db, row_slug, msgid, allowed)
    return query, list(hits.values())


def _is_source_for(db: sqlite3.Connection, source_lang: str, langs: set[str]) -> bool:
    """Whether some article written in ``source_lang`` is translated into one of ``langs``."""
    if not langs:
        return False
    marks_ = ",".join("?" * len(langs))
    row = db.execute(
        f"SELECT 1 FROM search_row WHERE source_lang = ? AND lang IN ({marks_}) AND pair = 0 LIMIT 1",
        (source_lang, *sorted(langs)),
    ).fetchone()
    return row is not None


def _has_memory(db: sqlite3.Connection) -> bool:
    return (
        db.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'tm_pair'"
        ).fetchone()
        is not None
    )


def _translations(
    db: sqlite3.Connection, slug: str, msgid: str, allowed: set[str] | None
) -> list[Translation]:
    rows = db.execute(
        "SELECT lang, msgstr, state FROM search_row WHERE slug = ? AND msgid = ? ORDER BY lang",
        (slug, msgid),
    ).fetchall()
    return [Translation(*row) for row in rows if allowed is None or row[0] in allowed]
