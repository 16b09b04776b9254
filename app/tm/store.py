"""The translation memory's pairs in SQLite, with exact and fuzzy lookup.

Storage. One row per ordered language pair in ``tm_pair`` (``en→tr`` and ``tr→en`` are two rows),
so a unit translated from English into Turkish and Russian also gives ``tr↔ru`` pairs. Texts are
stored NFC-normalized without surrounding whitespace; a pair already stored is not stored twice.
``tm_meta`` holds a generation token that :meth:`TranslationMemory.clear` and
:meth:`TranslationMemory.rebuild` renew, and a count of removed pairs. Change the ``tm_*``
tables only through this module.

Fuzzy lookup. The score is :func:`rapidfuzz.fuzz.ratio` on the raw texts, and no candidate is
dropped for a reason that could change its score. Candidates come from four places: the
:mod:`~app.tm.index` (rare word bigrams), the short texts (all scored within the length bound),
the sources identical to the query (found through the stored hash of each source), and the
pairs stored after the index was built (up to 1,000; beyond that the index is rebuilt).
Removed pairs drop out when their rows are read; after 1,000 removals the index is rebuilt.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import uuid
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from rapidfuzz import fuzz, process

from ..fsutil import open_atomic
from . import (
    ImportReport,
    Match,
    Pair,
    TMError,
    clean,
    normalize_lang,
    text_key,
    unit_pairs,
)

if TYPE_CHECKING:
    from .index import Index

__all__ = ["TranslationMemory"]


class IndexCache:
    """Built indexes by (database file, language pair), least recently used dropped first."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.lock = threading.RLock()
        self._items: OrderedDict[tuple[str, str, str], Index] = OrderedDict()

    def get(self, key: tuple[str, str, str]) -> Index | None:
        index = self._items.get(key)
        if index is not None:
            self._items.move_to_end(key)
        return index

    def put(self, key: tuple[str, str, str], index: Index) -> None:
        self._items[key] = index
        self._items.move_to_end(key)
        while len(self._items) > self.size:
            self._items.popitem(last=False)

    def drop(self, database: str) -> None:
        for key in [k for k in self._items if k[0] == database]:
            del self._items[key]


SHARED = IndexCache(size=8)


# --------------------------------------------------------------------------- the memory

_SCHEMA = (
    # AUTOINCREMENT: an id is never reused, so the indexes' ids never name another pair
    """CREATE TABLE IF NOT EXISTS tm_pair (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        src_lang TEXT NOT NULL,
        tgt_lang TEXT NOT NULL,
        source TEXT NOT NULL,
        target TEXT NOT NULL,
        origin TEXT NOT NULL DEFAULT '',
        source_key INTEGER NOT NULL,
        target_key INTEGER NOT NULL
    )""",
    "CREATE UNIQUE INDEX IF NOT EXISTS tm_pair_texts"
    " ON tm_pair (src_lang, tgt_lang, source_key, target_key)",
    "CREATE INDEX IF NOT EXISTS tm_pair_order ON tm_pair (src_lang, tgt_lang, id)",
    "CREATE INDEX IF NOT EXISTS tm_pair_origin ON tm_pair (origin)",
    "CREATE TABLE IF NOT EXISTS tm_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
)
_INSERT = (
    "INSERT OR IGNORE INTO tm_pair"
    " (src_lang, tgt_lang, source, target, origin, source_key, target_key)"
    " VALUES (?, ?, ?, ?, ?, ?, ?)"
)
# Lookups written so that SQLite takes the right index (a test checks the plans): given an
# ORDER BY id, it would rather walk a whole language pair in id order than use the hash index.
_BY_SOURCE = (
    "SELECT id, source, target, origin FROM tm_pair"
    " WHERE src_lang = ? AND tgt_lang = ? AND source_key = ?"
)
_AFTER = (
    "SELECT id, source FROM tm_pair WHERE src_lang = ? AND tgt_lang = ? AND id > ?"
    " ORDER BY id LIMIT ?"
)
_SCHEMA_VERSION = "1"
_BATCH = 2_000


class TranslationMemory:
    """Approved segment pairs in the SQLite database ``db`` (a path or an open connection)."""

    def __init__(self, db: str | os.PathLike[str] | sqlite3.Connection) -> None:
        if isinstance(db, sqlite3.Connection):
            self._conn, self._owned = db, False
        else:
            try:
                self._conn = sqlite3.connect(os.fspath(db), timeout=30)
            except sqlite3.Error as e:
                raise TMError(f"{os.fspath(db)}: cannot open the database: {e}") from e
            self._owned = True
        try:
            self._ensure_schema()
            self._database = self._file_name()
        except BaseException:
            self.close()
            raise
        self._cache = SHARED if self._database else IndexCache(size=8)

    def close(self) -> None:
        """Close the connection if this object opened it."""
        if self._owned and self._conn is not None:
            self._conn.close()
        self._conn = None  # type: ignore[assignment]

    def __enter__(self) -> TranslationMemory:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ----------------------------------------------------------------- storing

    def add_pair(
        self, src_lang: str, tgt_lang: str, source: str, target: str, origin: str = ""
    ) -> bool:
        """Store one pair; say whether it was new."""
        return self.add_pairs([Pair(src_lang, tgt_lang, source, target, origin)]) == 1

    def add_unit(self, texts: Mapping[str, str], origin: str = "") -> int:
        """Store a pair for every ordered pair of languages in ``texts``; return how many were new.

        ``texts`` maps a language to the approved text of one segment; empty texts are left out.
        """
        return self.add_pairs(unit_pairs(texts, origin))

    def add_pairs(self, pairs: Iterable[Pair | Sequence[str]]) -> int:
        """Store ``pairs`` in one transaction; return how many were new."""
        with self._transaction():
            return self._insert(pairs)

    def rebuild(self, units: Iterable[tuple[Mapping[str, str], str]]) -> int:
        """Replace the whole memory with ``units`` of ``(texts, origin)`` in one transaction."""
        with self._transaction():
            self._clear()
            return self._insert(p for texts, origin in units for p in unit_pairs(texts, origin))

    def clear(self) -> None:
        """Remove every pair."""
        with self._transaction():
            self._clear()

    def remove_origin(self, origin: str) -> int:
        """Remove the pairs stored with ``origin`` (an article's slug, a file); return how many."""
        with self._transaction():
            return self._remove(origin)

    def replace_origin(self, origin: str, units: Iterable[Mapping[str, str]]) -> int:
        """Replace the pairs of ``origin`` by those of ``units`` in one transaction; return how many."""
        with self._transaction():
            self._remove(origin)
            return self._insert(p for texts in units for p in unit_pairs(texts, origin))

    def _remove(self, origin: str) -> int:
        removed = self._conn.execute("DELETE FROM tm_pair WHERE origin = ?", (origin,)).rowcount
        if removed > 0:  # indexes still hold the rows: past a limit, they are rebuilt
            self._conn.execute(
                "UPDATE tm_meta SET value = CAST(value AS INTEGER) + ? WHERE key = 'removed'",
                (removed,),
            )
        return max(removed, 0)

    def _clear(self) -> None:
        self._conn.execute("DELETE FROM tm_pair")
        self._conn.executemany(
            "INSERT OR REPLACE INTO tm_meta (key, value) VALUES (?, ?)",
            [("generation", uuid.uuid4().hex), ("removed", "0")],
        )
        with self._cache.lock:
            self._cache.drop(self._database)

    def _insert(self, pairs: Iterable[Pair | Sequence[str]]) -> int:
        before = self._conn.total_changes
        batch: list[tuple] = []
        for pair in pairs:
            batch.append(_row(pair))
            if len(batch) >= _BATCH:
                self._conn.executemany(_INSERT, batch)
                batch.clear()
        self._conn.executemany(_INSERT, batch)
        return self._conn.total_changes - before

    # ----------------------------------------------------------------- reading

    def count(self, src_lang: str | None = None, tgt_lang: str | None = None) -> int:
        """How many pairs are stored, optionally only from ``src_lang`` and/or into ``tgt_lang``."""
        where, args = [], []
        if src_lang is not None:
            where.append("src_lang = ?")
            args.append(normalize_lang(src_lang))
        if tgt_lang is not None:
            where.append("tgt_lang = ?")
            args.append(normalize_lang(tgt_lang))
        sql = "SELECT COUNT(*) FROM tm_pair" + (" WHERE " + " AND ".join(where) if where else "")
        return int(self._conn.execute(sql, args).fetchone()[0])

    def language_pairs(self) -> dict[tuple[str, str], int]:
        """The stored language pairs and how many pairs each holds."""
        rows = self._conn.execute(
            "SELECT src_lang, tgt_lang, COUNT(*) FROM tm_pair GROUP BY src_lang, tgt_lang"
        )
        return {(r[0], r[1]): int(r[2]) for r in rows}

    def pairs(self, src_lang: str, tgt_lang: str) -> Iterator[Pair]:
        """The stored pairs from ``src_lang`` into ``tgt_lang``, oldest first."""
        src, tgt = normalize_lang(src_lang), normalize_lang(tgt_lang)
        rows = self._conn.execute(
            "SELECT source, target, origin FROM tm_pair"
            " WHERE src_lang = ? AND tgt_lang = ? ORDER BY id",
            (src, tgt),
        )
        for row in rows:
            yield Pair(src, tgt, row[0], row[1], row[2])

    def exact(self, text: str, src_lang: str, tgt_lang: str) -> Match | None:
        """The most recently stored pair whose source is ``text`` exactly, if any."""
        query = clean(text)
        args = (normalize_lang(src_lang), normalize_lang(tgt_lang), text_key(query))
        rows = [r for r in self._conn.execute(_BY_SOURCE, args) if r[1] == query]
        if not rows:
            return None
        _id, source, target, origin = max(rows, key=lambda r: r[0])
        return Match(100.0, source, target, origin)

    def search(
        self, text: str, src_lang: str, tgt_lang: str, limit: int = 5, threshold: float = 70
    ) -> list[Match]:
        """Up to ``limit`` pairs scoring ``threshold`` or more against ``text``, best first.

        The score is ``rapidfuzz.fuzz.ratio``; among equal scores the newest pair comes first.
        """
        src, tgt = normalize_lang(src_lang), normalize_lang(tgt_lang)
        query = clean(text)
        if not query or limit <= 0:
            return []
        from . import index as candidates  # numpy: only for fuzzy lookup

        window = candidates.length_window(len(query), threshold)
        index, tail = self._index(src, tgt)
        found = self._sources(
            index.candidates(query, window, max(candidates.CANDIDATES, 8 * limit))
        )
        found.update(zip(*index.short_in(window), strict=True))
        found.update((i, t) for i, t in tail if window[0] <= len(t) <= window[1])
        found.update(
            (r[0], r[1]) for r in self._conn.execute(_BY_SOURCE, (src, tgt, text_key(query)))
        )
        ids = list(found)
        # process.extract drops scores equal to its cutoff (rounding): ask for a little less.
        cutoff = max(0.0, threshold - 0.01)
        scored = process.extract(
            query, [found[i] for i in ids], scorer=fuzz.ratio, score_cutoff=cutoff, limit=None
        )
        kept = [(score, ids[pos]) for _text, score, pos in scored if score >= threshold]
        kept.sort(key=lambda s: (-s[0], -s[1]))
        return self._matches(kept, limit)

    def search_sentences(
        self, text: str, src_lang: str, tgt_lang: str, threshold: float = 70
    ) -> list[tuple[int, Match]]:
        """The best match of each sentence of ``text`` (1-based), when it has more than one.

        A sentence reused in a new paragraph is found this way, though the paragraph is new.
        """
        from ..sentences import split

        parts = split(text, src_lang)
        if len(parts) < 2:
            return []
        found = []
        for number, sentence in enumerate(parts, 1):
            best = self.search(sentence, src_lang, tgt_lang, limit=1, threshold=threshold)
            if best:
                found.append((number, best[0]))
        return found

    def warm(self, src_lang: str, tgt_lang: str) -> None:
        """Build the fuzzy index of a language pair now rather than on its first search."""
        self._index(normalize_lang(src_lang), normalize_lang(tgt_lang))

    def _index(self, src: str, tgt: str) -> tuple[Index, list[tuple[int, str]]]:
        """The current index of ``src→tgt`` and the pairs stored after it was built."""
        from . import index as candidates
        from .index import Index

        meta = self._meta()
        token, removed = meta.get("generation", ""), int(meta.get("removed", 0))
        key = (self._database, src, tgt)
        with self._cache.lock:
            index = self._cache.get(key)
            if (
                index is not None
                and index.token == token
                and removed - index.removed <= candidates.TAIL_MAX
            ):
                tail = self._conn.execute(
                    _AFTER, (src, tgt, index.max_id, candidates.TAIL_MAX + 1)
                ).fetchall()
                if len(tail) <= candidates.TAIL_MAX:
                    return index, [(r[0], r[1]) for r in tail]
            found = self._saved(src, tgt, token, removed)
            if found is not None:
                self._cache.put(key, found[0])
                return found
            index = Index.build(self._conn.execute(_AFTER, (src, tgt, 0, -1)), token, removed)
            self._cache.put(key, index)
            folder = self._index_folder(src, tgt)
            if folder is not None:
                try:
                    index.save(folder)
                except OSError:  # a read-only instance folder: the index stays in memory
                    pass
            return index, []

    def _index_folder(self, src: str, tgt: str) -> Path | None:
        """Where the index of a pair is kept: beside the database file (none for a memory one)."""
        if not self._database:
            return None
        return Path(self._database).parent / "tm-index" / f"{src}-{tgt}"

    def _saved(
        self, src: str, tgt: str, token: str, removed: int
    ) -> tuple[Index, list[tuple[int, str]]] | None:
        """The index saved on disk and the pairs stored since, if it still holds for the database."""
        from . import index as candidates
        from .index import Index

        folder = self._index_folder(src, tgt)
        index = Index.load(folder) if folder is not None else None
        if index is None or index.token != token or removed - index.removed > candidates.TAIL_MAX:
            return None
        tail = self._conn.execute(
            _AFTER, (src, tgt, index.max_id, candidates.TAIL_MAX + 1)
        ).fetchall()
        if len(tail) > candidates.TAIL_MAX:
            return None
        return index, [(r[0], r[1]) for r in tail]

    def _matches(self, ranked: list[tuple[float, int]], limit: int) -> list[Match]:
        """The first ``limit`` of ``ranked`` ``(score, id)`` whose rows still exist, as matches."""
        found: list[Match] = []
        step = max(2 * limit, 16)
        for start in range(0, len(ranked), step):
            part = ranked[start : start + step]
            rows = {
                r[0]: r for r in self._rows("id, source, target, origin", [i for _s, i in part])
            }
            found += [Match(float(s), *rows[i][1:4]) for s, i in part if i in rows]
            if len(found) >= limit:
                break
        return found[:limit]

    def _sources(self, ids: list[int]) -> dict[int, str]:
        return {r[0]: r[1] for r in self._rows("id, source", ids)}

    def _rows(self, columns: str, ids: list[int]) -> list[Sequence]:
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        return self._conn.execute(
            f"SELECT {columns} FROM tm_pair WHERE id IN ({marks})", ids
        ).fetchall()

    # ----------------------------------------------------------------- exchange

    def import_file(
        self,
        path: str | os.PathLike[str],
        *,
        source_lang: str = "en",
        target_lang: str | None = None,
        languages: Iterable[str] | None = None,
        origin: str | None = None,
    ) -> ImportReport:
        """Store the usable pairs of a TMX or PO file in one transaction; report what was skipped.

        PO: the msgids are in ``source_lang``, the msgstrs in ``target_lang`` or else the
        header's ``Language``. TMX: only the ``languages`` given, if any. ``origin`` defaults
        to the file name (a TMX ``<prop type="x-origin">`` wins).
        """
        path = Path(path)
        if not path.is_file():
            raise TMError(f"{path}: no such file")
        wanted = None if languages is None else {normalize_lang(code) for code in languages}
        from . import exchange  # polib and expat: only for imports and exports

        report = ImportReport(str(path))
        suffix = path.suffix.lower()
        if suffix == ".tmx" or (suffix != ".po" and exchange.looks_like_xml(path)):
            units = exchange.read_tmx(path, wanted, report)
        elif suffix == ".po":
            units = exchange.read_po(path, source_lang, target_lang, wanted, report)
        else:
            raise TMError(f"{path}: unknown format: expected a TMX (.tmx) or PO (.po) file")
        with self._transaction():
            for texts, unit_origin in units:
                pairs = unit_pairs(texts, unit_origin or origin or path.name)
                stored = self._insert(pairs)
                report.imported += stored
                report.duplicates += len(pairs) - stored
        return report

    def export_tmx(self, path: str | os.PathLike[str], src_lang: str, tgt_lang: str) -> int:
        """Write the ``src_lang→tgt_lang`` pairs to a TMX 1.4 file; return how many."""
        src, tgt = normalize_lang(src_lang), normalize_lang(tgt_lang)
        from . import exchange

        count = 0
        with open_atomic(Path(path), "w", encoding="utf-8", newline="\n") as out:
            out.write(exchange.tmx_head(src))
            for pair in self.pairs(src, tgt):
                out.write(exchange.tmx_unit(pair, path))
                count += 1
            out.write("  </body>\n</tmx>\n")
        return count

    # ----------------------------------------------------------------- plumbing

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        if self._conn.isolation_level is None and not self._conn.in_transaction:
            self._conn.execute("BEGIN")
        with self._conn:
            yield

    def _ensure_schema(self) -> None:
        try:
            if self._meta().get("schema") == _SCHEMA_VERSION:
                return
        except sqlite3.OperationalError:
            pass
        with self._transaction():
            for statement in _SCHEMA:
                self._conn.execute(statement)
            self._conn.executemany(
                "INSERT OR IGNORE INTO tm_meta (key, value) VALUES (?, ?)",
                [("generation", uuid.uuid4().hex), ("removed", "0")],
            )
            self._conn.execute(
                "INSERT OR REPLACE INTO tm_meta (key, value) VALUES ('schema', ?)",
                (_SCHEMA_VERSION,),
            )

    def _meta(self) -> dict[str, str]:
        return {r[0]: str(r[1]) for r in self._conn.execute("SELECT key, value FROM tm_meta")}

    def _file_name(self) -> str:
        for row in self._conn.execute("PRAGMA database_list"):
            if row[1] == "main":
                return str(row[2] or "")
        return ""


def _row(pair: Pair | Sequence[str]) -> tuple:
    """The ``tm_pair`` values of one pair, checked and normalized."""
    src_lang, tgt_lang, source, target, *rest = pair
    src, tgt = normalize_lang(src_lang), normalize_lang(tgt_lang)
    source, target = clean(source), clean(target)
    if src == tgt:
        raise TMError(f"a pair needs two languages, got {src!r} twice for {source[:60]!r}")
    if not source or not target:
        raise TMError(f"a {src}→{tgt} pair has an empty text: {source[:60]!r} → {target[:60]!r}")
    origin = str(rest[0]) if rest and rest[0] is not None else ""
    return (src, tgt, source, target, origin, text_key(source), text_key(target))
