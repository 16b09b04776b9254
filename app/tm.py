"""The translation memory: approved pairs in SQLite, exact and fuzzy lookup, TMX and PO exchange.

Storage. One row per ordered language pair in ``tm_pair`` (``en→tr`` and ``tr→en`` are two rows),
so a unit translated from English into Turkish and Russian also gives ``tr↔ru`` pairs. Texts are
stored NFC-normalized without surrounding whitespace; a pair already stored is not stored twice.
``tm_meta`` holds a generation token that :meth:`TranslationMemory.clear` and
:meth:`TranslationMemory.rebuild` renew, and a count of removed pairs. Change the ``tm_*``
tables only through this module.

Fuzzy lookup. The score is :func:`rapidfuzz.fuzz.ratio` on the raw texts, and no candidate is
dropped for a reason that could change its score. Candidates come from four places:

1. An in-memory inverted index per language pair, built from SQLite on the first search (a few
   seconds for 100,000 pairs) and shared by every :class:`TranslationMemory` on the same database
   file in the process. Its features are hashed word bigrams (lower case, punctuation removed),
   held as numpy arrays: sorted distinct features, offsets, and the document numbers of each
   feature. A query keeps its rarest features (at most about 32,000 postings, never fewer than
   eight features), weighs each by inverse document frequency, adds the weights up per document
   with ``numpy.bincount``, drops the documents whose length rules out the threshold, and passes
   the best 64 on to exact scoring. ``ratio`` ≥ 75 leaves three quarters of the characters in
   place, hence most word bigrams, so a true match shares many rare features with the query
   while unrelated paragraphs share only common ones; the length bound is exact
   (``ratio ≤ 200·min(a, b)/(a + b)``).
2. Texts of at most 64 characters (headings, list items), where one changed word leaves no
   bigram in common: kept in memory sorted by length and all scored within the length bound.
3. The source texts identical to the query, found through the stored hash of each source.
4. Pairs stored after the index was built (up to 1,000; beyond that the index is rebuilt).
   Removed pairs drop out when their rows are read; after 1,000 removals the index is rebuilt.

TMX. Import streams the file through expat, so errors name the file and line. A ``<tu>`` is a
unit (every ordered pair of its languages is stored); ``xml:lang`` values such as ``en-US`` are
reduced to their primary subtag. Inline codes (``<bpt>``, ``<ept>``, ``<ph>``, ``<it>``, ``<ut>``)
contribute their native text and ``<hi>`` its content, which restores the segment as the tool that
wrote it saw it (``**bold**`` for Markdown, ``<b>bold</b>`` for HTML). Export writes plain
``<seg>`` text: paragraf's segments are inline Markdown, already text.

PO. Each entry that is translated, not fuzzy, not obsolete, singular and without ``msgctxt``
gives a unit of the msgid (in ``source_lang``) and msgstr (in the header's ``Language``); every
other entry is counted under the first reason that applies, in that order.
"""

from __future__ import annotations

import bisect
import hashlib
import math
import os
import re
import sqlite3
import string
import threading
import unicodedata
import uuid
from collections import Counter, OrderedDict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache
from itertools import permutations
from pathlib import Path
from typing import NamedTuple
from xml.parsers import expat
from xml.sax.saxutils import escape, quoteattr

import numpy as np
import polib
from rapidfuzz import fuzz, process

from .errors import ParagrafError
from .fsutil import open_atomic

__all__ = [
    "ImportReport",
    "Match",
    "Pair",
    "TMError",
    "TranslationMemory",
    "diff_words",
    "normalize_lang",
]


class TMError(ParagrafError):
    """The translation memory cannot store, read, import or export something."""


@dataclass(frozen=True, slots=True)
class Match:
    """A stored pair whose source resembles the query; ``score`` is 0–100."""

    score: float
    source: str
    target: str
    origin: str


class Pair(NamedTuple):
    """One stored translation: ``source`` in ``src_lang`` rendered as ``target`` in ``tgt_lang``."""

    src_lang: str
    tgt_lang: str
    source: str
    target: str
    origin: str = ""


@dataclass(slots=True)
class ImportReport:
    """What :meth:`TranslationMemory.import_file` did: pairs stored, entries skipped by reason."""

    path: str
    entries: int = 0
    imported: int = 0
    duplicates: int = 0
    skipped: Counter[str] = field(default_factory=Counter)

    @property
    def skipped_total(self) -> int:
        """How many entries gave no pair."""
        return sum(self.skipped.values())

    def __str__(self) -> str:
        text = f"{self.path}: {self.imported} pairs imported"
        if self.duplicates:
            text += f", {self.duplicates} already in memory"
        if self.skipped:
            reasons = ", ".join(f"{why}: {n}" for why, n in sorted(self.skipped.items()))
            text += f"; {self.skipped_total} of {self.entries} entries skipped ({reasons})"
        return text


# --------------------------------------------------------------------------- text and languages

_LANG = re.compile(r"[a-z]{2,3}")


@lru_cache(maxsize=256)
def normalize_lang(code: str) -> str:
    """The primary language subtag of ``code`` in lower case.

    >>> normalize_lang("tr-TR"), normalize_lang("ru"), normalize_lang("EN_us")
    ('tr', 'ru', 'en')
    """
    primary = str(code).strip().replace("_", "-").split("-", 1)[0].lower()
    if not _LANG.fullmatch(primary):
        raise TMError(f"invalid language code {code!r}: expected one like 'en', 'tr-TR' or 'ru'")
    return primary


def _clean(text: str) -> str:
    """``text`` as stored and looked up: NFC, without surrounding whitespace."""
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return text.strip()


def _key(text: str) -> int:
    """A stable signed 64-bit hash of ``text`` (indexed in SQLite for exact lookups)."""
    digest = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


_DIFF_TOKEN = re.compile(r"\s+|\w+|[^\w\s]")


def diff_words(old: str, new: str) -> str:
    """How ``new`` differs from ``old`` word by word, as ``[-removed-]{+added+}``.

    >>> diff_words("Kedi halının üstünde uyuyor.", "Kedi kanepenin üstünde uyuyor.")
    'Kedi [-halının-]{+kanepenin+} üstünde uyuyor.'
    >>> diff_words("Ёж «спит».", "Ёж спит.")
    'Ёж [-«-]спит[-»-].'
    """
    a, b = _DIFF_TOKEN.findall(old), _DIFF_TOKEN.findall(new)
    out: list[str] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append("".join(a[i1:i2]))
            continue
        if i2 > i1:
            out.append(f"[-{''.join(a[i1:i2])}-]")
        if j2 > j1:
            out.append(f"{{+{''.join(b[j1:j2])}+}}")
    return "".join(out)


# --------------------------------------------------------------------------- the candidate index

_SHORT = 64  # texts up to this many characters are scored directly, not through the index
_CANDIDATES = 64  # documents taken from the index for exact scoring
_BUDGET = 32_768  # postings read per query
_MIN_FEATURES = 8  # rarest query features always read, however common
_TAIL_MAX = 1_000  # pairs added after the build that are scored directly
_CHUNK = 2_048  # rows tokenized at a time while building (at most 65,536)

_PUNCT = bytes.maketrans(string.punctuation.encode(), b" " * len(string.punctuation))
_WIDE_PUNCT = tuple(c.encode() for c in "«»‹›“”„‘’‚—–…\u00a0\u2009\u202f")
_SEP = b"\x00"  # stands between documents in a chunk
_SEP_HASH = np.array([hash(_SEP)], dtype=np.int64).view(np.uint64)[0]
_MIX = np.uint64(0x9E3779B97F4A7C15)
_U32 = np.uint64(32)
_LOW = np.uint64(0xFFFFFFFF)


def _bigram_keys(texts: Sequence[str]) -> np.ndarray:
    """Sorted distinct ``feature << 32 | document`` keys of the word bigrams in ``texts``."""
    joined = " \x00 ".join(texts)
    if joined.count("\x00") != len(texts) - 1:
        joined = " \x00 ".join(t.replace("\x00", " ") for t in texts)
    data = joined.lower().encode("utf-8", "replace").translate(_PUNCT)
    for mark in _WIDE_PUNCT:
        if mark in data:
            data = data.replace(mark, b" ")
    tokens = data.split()
    # Python's hash is salted per process: the index lives in memory only.
    words = np.fromiter(map(hash, tokens), dtype=np.int64, count=len(tokens)).view(np.uint64)
    sep = words == _SEP_HASH
    doc = np.cumsum(sep, dtype=np.uint64)
    keep = ~(sep[:-1] | sep[1:])
    bigrams = (words[:-1] * _MIX) ^ words[1:]
    keys = ((bigrams[keep] >> _U32) << _U32) | doc[:-1][keep]
    keys.sort()
    return _distinct_sorted(keys)


def _distinct_sorted(values: np.ndarray) -> np.ndarray:
    """``values`` (sorted) without repeats; faster here than ``numpy.unique``."""
    if len(values) < 2:
        return values
    fresh = np.empty(len(values), dtype=bool)
    fresh[0] = True
    np.not_equal(values[1:], values[:-1], out=fresh[1:])
    return values[fresh]


def _length_window(length: int, threshold: float) -> tuple[float, float]:
    """The source lengths that can reach ``threshold`` against a query of ``length`` characters."""
    t = min(max(threshold, 0.0), 100.0)
    if t <= 0:
        return 0.0, math.inf
    return length * t / (200 - t) - 1e-6, length * (200 - t) / t + 1e-6


@dataclass(eq=False)
class _Index:
    """The candidate index of one language pair, as of one generation and row id."""

    token: str  # the generation it was built in
    removed: int  # pairs removed from the database before it was built
    max_id: int
    ids: np.ndarray  # int64: row id of each document
    lengths: np.ndarray  # int32: characters in each document
    features: np.ndarray  # uint32: sorted distinct features
    offsets: np.ndarray  # int64: postings of features[i] are postings[offsets[i]:offsets[i+1]]
    postings: np.ndarray  # int32: document numbers
    short_lengths: list[int]  # the short documents, by length
    short_ids: list[int]
    short_texts: list[str]

    @classmethod
    def build(cls, rows: Iterable[Sequence], token: str, removed: int) -> _Index:
        """Index ``rows`` of ``(id, source)`` in id order."""
        builder = _Builder()
        batch: list[Sequence] = []
        for row in rows:
            batch.append(row)
            if len(batch) == _CHUNK:
                builder.add(batch)
                batch = []
        builder.add(batch)
        return builder.finish(token, removed)

    def candidates(self, query: str, window: tuple[float, float], k: int) -> list[int]:
        """Row ids of up to ``k`` documents sharing the most rare word bigrams with ``query``."""
        n = len(self.ids)
        if n == 0 or len(self.features) == 0:
            return []
        wanted = (_bigram_keys([query]) >> _U32).astype(np.uint32)
        at = np.searchsorted(self.features, wanted)
        inside = at < len(self.features)
        at = at[inside]
        at = at[self.features[at] == wanted[inside]]
        if len(at) == 0:
            return []
        df = self.offsets[at + 1] - self.offsets[at]
        order = np.argsort(df, kind="stable")
        at, df = at[order], df[order]
        take = (np.cumsum(df) <= _BUDGET) & (df <= max(1_000, n // 10))
        take[:_MIN_FEATURES] = True
        at, df = at[take], df[take]
        starts = np.repeat(self.offsets[at] - (np.cumsum(df) - df), df)
        docs = self.postings[starts + np.arange(int(df.sum()))]
        weights = np.repeat(np.log((n + 1) / df), df)
        scores = np.bincount(docs, weights=weights, minlength=n)
        lo, hi = window
        scores[(self.lengths < lo) | (self.lengths > hi)] = 0
        hits = np.flatnonzero(scores)
        if len(hits) > k:  # partitioning only the hits: far faster than the whole array
            hits = hits[np.argpartition(scores[hits], len(hits) - k)[len(hits) - k :]]
        return self.ids[hits].tolist()

    def short_in(self, window: tuple[float, float]) -> tuple[list[int], list[str]]:
        """Row ids and texts of the short documents whose length lies in ``window``."""
        lo, hi = window
        i = bisect.bisect_left(self.short_lengths, lo)
        j = bisect.bisect_right(self.short_lengths, hi)
        return self.short_ids[i:j], self.short_texts[i:j]


_PARTS = 16  # the postings are sorted in this many slices by feature prefix
_PART_BOUNDS = np.array([p << 60 for p in range(1, _PARTS)], dtype=np.uint64)


class _Builder:
    """Collects ``feature << 32 | document`` keys chunk by chunk, then inverts them.

    Keys are kept in slices by the top bits of their feature and each slice is sorted on its
    own, so the build never holds more than the keys and one slice's output at a time.
    """

    def __init__(self) -> None:
        self.count = 0
        self.ids: list[np.ndarray] = []
        self.lengths: list[np.ndarray] = []
        self.parts: list[list[tuple[int, np.ndarray, np.ndarray]]] = [[] for _ in range(_PARTS)]
        self.short: list[tuple[int, int, str]] = []

    def add(self, batch: Sequence[Sequence]) -> None:
        """Tokenize one chunk of ``(id, source)`` rows."""
        if not batch:
            return
        texts = [row[1] for row in batch]
        self.ids.append(np.fromiter((row[0] for row in batch), dtype=np.int64, count=len(batch)))
        self.lengths.append(np.fromiter(map(len, texts), dtype=np.int32, count=len(texts)))
        keys = _bigram_keys(texts)
        cuts = np.searchsorted(keys, _PART_BOUNDS).tolist()
        for part, lo, hi in zip(self.parts, [0, *cuts], [*cuts, len(keys)], strict=True):
            if hi > lo:  # 6 bytes a posting until the end: feature, document within the chunk
                piece = keys[lo:hi]
                features = (piece >> _U32).astype(np.uint32)
                part.append((self.count, features, (piece & _LOW).astype(np.uint16)))
        self.short.extend(
            (len(t), row[0], t) for row, t in zip(batch, texts, strict=True) if len(t) <= _SHORT
        )
        self.count += len(batch)

    def finish(self, token: str, removed: int) -> _Index:
        """The index of everything added."""
        total = sum(len(chunk[1]) for part in self.parts for chunk in part)
        postings = np.empty(total, dtype=np.int32)
        features: list[np.ndarray] = []
        starts: list[np.ndarray] = []
        at = 0
        for p in range(_PARTS):
            chunks, self.parts[p] = self.parts[p], []
            keys = np.concatenate(
                [np.zeros(0, dtype=np.uint64)]
                + [(f.astype(np.uint64) << _U32) | (d + np.uint64(base)) for base, f, d in chunks]
            )
            del chunks
            keys.sort()
            postings[at : at + len(keys)] = keys & _LOW
            feature = (keys >> _U32).astype(np.uint32)
            del keys
            fresh = np.empty(len(feature), dtype=bool)
            fresh[:1] = True
            np.not_equal(feature[1:], feature[:-1], out=fresh[1:])
            first = np.flatnonzero(fresh)
            features.append(feature[first])
            starts.append(first + at)
            at += len(feature)
        self.short.sort()
        ids = np.concatenate(self.ids) if self.ids else np.zeros(0, dtype=np.int64)
        return _Index(
            token=token,
            removed=removed,
            max_id=int(ids[-1]) if len(ids) else 0,
            ids=ids,
            lengths=np.concatenate(self.lengths) if self.lengths else np.zeros(0, dtype=np.int32),
            features=np.concatenate(features),
            offsets=np.append(np.concatenate(starts), total).astype(np.int64),
            postings=postings,
            short_lengths=[s[0] for s in self.short],
            short_ids=[s[1] for s in self.short],
            short_texts=[s[2] for s in self.short],
        )


class _IndexCache:
    """Built indexes by (database file, language pair), least recently used dropped first."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.lock = threading.RLock()
        self._items: OrderedDict[tuple[str, str, str], _Index] = OrderedDict()

    def get(self, key: tuple[str, str, str]) -> _Index | None:
        index = self._items.get(key)
        if index is not None:
            self._items.move_to_end(key)
        return index

    def put(self, key: tuple[str, str, str], index: _Index) -> None:
        self._items[key] = index
        self._items.move_to_end(key)
        while len(self._items) > self.size:
            self._items.popitem(last=False)

    def drop(self, database: str) -> None:
        for key in [k for k in self._items if k[0] == database]:
            del self._items[key]


_SHARED = _IndexCache(size=8)


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
        self._cache = _SHARED if self._database else _IndexCache(size=8)

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
        return self.add_pairs(_unit_pairs(texts, origin))

    def add_pairs(self, pairs: Iterable[Pair | Sequence[str]]) -> int:
        """Store ``pairs`` in one transaction; return how many were new."""
        with self._transaction():
            return self._insert(pairs)

    def rebuild(self, units: Iterable[tuple[Mapping[str, str], str]]) -> int:
        """Replace the whole memory with ``units`` of ``(texts, origin)`` in one transaction."""
        with self._transaction():
            self._clear()
            return self._insert(p for texts, origin in units for p in _unit_pairs(texts, origin))

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
            return self._insert(p for texts in units for p in _unit_pairs(texts, origin))

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
        query = _clean(text)
        args = (normalize_lang(src_lang), normalize_lang(tgt_lang), _key(query))
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
        query = _clean(text)
        if not query or limit <= 0:
            return []
        window = _length_window(len(query), threshold)
        index, tail = self._index(src, tgt)
        found = self._sources(index.candidates(query, window, max(_CANDIDATES, 8 * limit)))
        found.update(zip(*index.short_in(window), strict=True))
        found.update((i, t) for i, t in tail if window[0] <= len(t) <= window[1])
        found.update((r[0], r[1]) for r in self._conn.execute(_BY_SOURCE, (src, tgt, _key(query))))
        ids = list(found)
        # process.extract drops scores equal to its cutoff (rounding): ask for a little less.
        cutoff = max(0.0, threshold - 0.01)
        scored = process.extract(
            query, [found[i] for i in ids], scorer=fuzz.ratio, score_cutoff=cutoff, limit=None
        )
        kept = [(score, ids[pos]) for _text, score, pos in scored if score >= threshold]
        kept.sort(key=lambda s: (-s[0], -s[1]))
        return self._matches(kept, limit)

    def warm(self, src_lang: str, tgt_lang: str) -> None:
        """Build the fuzzy index of a language pair now rather than on its first search."""
        self._index(normalize_lang(src_lang), normalize_lang(tgt_lang))

    def _index(self, src: str, tgt: str) -> tuple[_Index, list[tuple[int, str]]]:
        """The current index of ``src→tgt`` and the pairs stored after it was built."""
        meta = self._meta()
        token, removed = meta.get("generation", ""), int(meta.get("removed", 0))
        key = (self._database, src, tgt)
        with self._cache.lock:
            index = self._cache.get(key)
            if index is not None and index.token == token and removed - index.removed <= _TAIL_MAX:
                tail = self._conn.execute(
                    _AFTER, (src, tgt, index.max_id, _TAIL_MAX + 1)
                ).fetchall()
                if len(tail) <= _TAIL_MAX:
                    return index, [(r[0], r[1]) for r in tail]
            index = _Index.build(self._conn.execute(_AFTER, (src, tgt, 0, -1)), token, removed)
            self._cache.put(key, index)
            return index, []

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
        report = ImportReport(str(path))
        suffix = path.suffix.lower()
        if suffix == ".tmx" or (suffix != ".po" and _looks_like_xml(path)):
            units = _read_tmx(path, wanted, report)
        elif suffix == ".po":
            units = _read_po(path, source_lang, target_lang, wanted, report)
        else:
            raise TMError(f"{path}: unknown format: expected a TMX (.tmx) or PO (.po) file")
        with self._transaction():
            for texts, unit_origin in units:
                pairs = _unit_pairs(texts, unit_origin or origin or path.name)
                stored = self._insert(pairs)
                report.imported += stored
                report.duplicates += len(pairs) - stored
        return report

    def export_tmx(self, path: str | os.PathLike[str], src_lang: str, tgt_lang: str) -> int:
        """Write the ``src_lang→tgt_lang`` pairs to a TMX 1.4 file; return how many."""
        src, tgt = normalize_lang(src_lang), normalize_lang(tgt_lang)
        count = 0
        with open_atomic(Path(path), "w", encoding="utf-8", newline="\n") as out:
            out.write(_tmx_head(src))
            for pair in self.pairs(src, tgt):
                out.write(_tmx_unit(pair, path))
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
    source, target = _clean(source), _clean(target)
    if src == tgt:
        raise TMError(f"a pair needs two languages, got {src!r} twice for {source[:60]!r}")
    if not source or not target:
        raise TMError(f"a {src}→{tgt} pair has an empty text: {source[:60]!r} → {target[:60]!r}")
    origin = str(rest[0]) if rest and rest[0] is not None else ""
    return (src, tgt, source, target, origin, _key(source), _key(target))


def _unit_pairs(texts: Mapping[str, str], origin: str) -> list[Pair]:
    """A pair for every ordered pair of languages with a non-empty text in ``texts``."""
    by_lang: dict[str, str] = {}
    for code, text in texts.items():
        lang = normalize_lang(code)
        if lang in by_lang:
            raise TMError(f"a unit has two texts in {lang!r} ({code!r} among {sorted(texts)})")
        if text and text.strip():
            by_lang[lang] = text
    return [Pair(a, b, by_lang[a], by_lang[b], origin) for a, b in permutations(by_lang, 2)]


# --------------------------------------------------------------------------- TMX

_TMX_CODES = {"bpt", "ept", "ph", "it", "ut", "hi", "sub"}
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _looks_like_xml(path: Path) -> bool:
    with open(path, "rb") as f:
        head = f.read(512).lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith(b"<")


class _TMXReader:
    """Streams the units of a TMX file: expat events in, ``(texts, origin)`` out."""

    def __init__(self, path: Path, report: ImportReport, wanted: set[str] | None) -> None:
        self.path, self.report, self.wanted = path, report, wanted
        self.parser = expat.ParserCreate()
        self.parser.buffer_text = True
        self.parser.StartElementHandler = self.start
        self.parser.EndElementHandler = self.end
        self.parser.CharacterDataHandler = self.text
        self.stack: list[str] = []
        self.done: list[tuple[dict[str, str], str]] = []
        self.texts: dict[str, str] = {}
        self.langs: set[str] = set()
        self.origin = ""
        self.lang: str | None = None
        self.seg: list[str] | None = None
        self.prop: list[str] | None = None
        self.segs = 0

    def units(self) -> Iterator[tuple[dict[str, str], str]]:
        """The units of the file with two or more wanted languages; the rest counted as skipped."""
        with open(self.path, "rb") as f:
            try:
                while chunk := f.read(1 << 16):
                    self.parser.Parse(chunk, False)
                    yield from self.done
                    self.done.clear()
                self.parser.Parse(b"", True)
            except expat.ExpatError as e:
                message = expat.errors.messages[e.code]
                raise TMError(
                    f"{self.path}:{e.lineno}:{e.offset + 1}: not well-formed XML: {message}"
                ) from e
        yield from self.done

    def fail(self, message: str) -> None:
        raise TMError(f"{self.path}:{self.parser.CurrentLineNumber}: {message}")

    def start(self, name: str, attrs: dict[str, str]) -> None:
        parent = self.stack[-1] if self.stack else None
        self.stack.append(name)
        if self.seg is not None:
            if name not in _TMX_CODES:
                self.fail(f"unexpected <{name}> inside <seg>: expected text and inline codes only")
            return
        if parent is None:
            if name != "tmx":
                self.fail(f"not a TMX file: the root element is <{name}>, expected <tmx>")
        elif name == "tu":
            if parent != "body":
                self.fail("<tu> outside <body>")
            self.texts, self.langs, self.origin = {}, set(), ""
            self.report.entries += 1
        elif name == "tuv":
            if parent != "tu":
                self.fail("<tuv> outside <tu>")
            code = attrs.get("xml:lang") or attrs.get("lang")
            if not code:
                self.fail("<tuv> without xml:lang: every variant needs its language")
            try:
                self.lang = normalize_lang(code)
            except TMError as e:
                self.fail(str(e))
            self.segs = 0
        elif name == "seg":
            if parent != "tuv":
                self.fail("<seg> outside <tuv>")
            self.segs += 1
            if self.segs > 1:
                self.fail("a <tuv> with more than one <seg>")
            self.seg = []
        elif name == "prop" and parent == "tu" and attrs.get("type") == "x-origin":
            self.prop = []

    def end(self, name: str) -> None:
        self.stack.pop()
        if self.seg is not None:
            if name == "seg":
                self.end_seg("".join(self.seg))
            return
        if name == "tuv":
            if self.segs == 0:
                self.fail("a <tuv> without <seg>")
            self.lang = None
        elif name == "prop" and self.prop is not None:
            self.origin = "".join(self.prop).strip()
            self.prop = None
        elif name == "tu":
            self.end_tu()

    def text(self, data: str) -> None:
        if self.seg is not None:
            self.seg.append(data)
        elif self.prop is not None:
            self.prop.append(data)

    def end_seg(self, text: str) -> None:
        self.seg = None
        lang = self.lang
        assert lang is not None
        self.langs.add(lang)
        if text.strip() and lang not in self.texts and (self.wanted is None or lang in self.wanted):
            self.texts[lang] = text

    def end_tu(self) -> None:
        if len(self.texts) >= 2:
            self.done.append((self.texts, self.origin))
        elif self.wanted is not None and len(self.langs & self.wanted) < 2 <= len(self.langs):
            self.report.skipped["other languages"] += 1
        else:
            self.report.skipped["no translation"] += 1


def _read_tmx(
    path: Path, wanted: set[str] | None, report: ImportReport
) -> Iterator[tuple[dict[str, str], str]]:
    return _TMXReader(path, report, wanted).units()


def _tmx_head(src: str) -> str:
    from importlib import metadata

    try:
        version = metadata.version("paragraf")
    except metadata.PackageNotFoundError:
        version = "0"
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<tmx version="1.4">\n'
        f'  <header creationtool="paragraf" creationtoolversion={quoteattr(version)}'
        f' segtype="paragraph" o-tmf="paragraf" adminlang="en" srclang={quoteattr(src)}'
        ' datatype="plaintext"/>\n'
        "  <body>\n"
    )


def _tmx_unit(pair: Pair, path: str | os.PathLike[str]) -> str:
    return (
        "    <tu>\n"
        + (
            f'      <prop type="x-origin">{_xml_text(pair.origin, path)}</prop>\n'
            if pair.origin
            else ""
        )
        + f'      <tuv xml:lang="{pair.src_lang}"><seg>{_xml_text(pair.source, path)}</seg></tuv>\n'
        + f'      <tuv xml:lang="{pair.tgt_lang}"><seg>{_xml_text(pair.target, path)}</seg></tuv>\n'
        + "    </tu>\n"
    )


def _xml_text(text: str, path: str | os.PathLike[str]) -> str:
    bad = _XML_INVALID.search(text)
    if bad:
        raise TMError(
            f"{os.fspath(path)}: cannot write {text[:60]!r}: character {bad.group()!r}"
            " is not allowed in XML; remove it from the translation memory"
        )
    return escape(text).replace("\r", "&#13;")


# --------------------------------------------------------------------------- PO

_PO_LINE = re.compile(r"\(line (\d+)\)")


def _read_po(
    path: Path,
    source_lang: str,
    target_lang: str | None,
    wanted: set[str] | None,
    report: ImportReport,
) -> Iterator[tuple[dict[str, str], str]]:
    try:
        po = polib.pofile(str(path))
    except (OSError, UnicodeDecodeError, ValueError) as e:
        line = _PO_LINE.search(str(e))
        where = f"{path}:{line.group(1)}" if line else str(path)
        raise TMError(f"{where}: cannot read the PO file: {e}") from e
    code = target_lang or po.metadata.get("Language", "").strip()
    if not code:
        raise TMError(
            f"{path}: the PO header has no 'Language': pass the target language explicitly"
        )
    src, tgt = normalize_lang(source_lang), normalize_lang(code)
    if src == tgt:
        raise TMError(f"{path}: source and target language are both {src!r}")
    selected = wanted is None or (src in wanted and tgt in wanted)
    for entry in po:
        report.entries += 1
        reason = _po_skip_reason(entry) or (None if selected else "other languages")
        if reason:
            report.skipped[reason] += 1
            continue
        yield {src: entry.msgid, tgt: entry.msgstr}, ""


def _po_skip_reason(entry: polib.POEntry) -> str | None:
    """Why ``entry`` gives no pair (the first reason that applies), or None."""
    if entry.obsolete:
        return "obsolete"
    if entry.msgid_plural:
        return "plural"
    if entry.msgctxt is not None:
        return "msgctxt"
    if entry.fuzzy:
        return "fuzzy"
    if not entry.msgstr.strip() or not entry.msgid.strip():
        return "untranslated"
    return None
