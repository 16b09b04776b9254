"""The candidate index of fuzzy lookup: hashed word bigrams of every source, in numpy arrays.

One index per language pair, built from SQLite on the first search, kept beside the
database (``instance/tm-index/<src>-<tgt>/``, numpy arrays memory-mapped when loaded, so
a one-off search starts at once) and shared by every
:class:`~app.tm.store.TranslationMemory` on the same database file in the process. Its
features are hashed word bigrams (lower case, punctuation removed), held as numpy
arrays: sorted distinct features, offsets, and the document numbers of each feature. A
query keeps its rarest features (at most about 32,000 postings, never fewer than eight
features), weighs each by inverse document frequency, adds the weights up per document
with ``numpy.bincount``, drops the documents whose length rules out the threshold, and
passes the best ones on to exact scoring. ``ratio`` ≥ 75 leaves three quarters of the
characters in place, hence most word bigrams, so a true match shares many rare
features with the query while unrelated paragraphs share only common ones; the length
bound is exact (``ratio ≤ 200·min(a, b)/(a + b)``). Texts of at most 64 characters
(headings, list items), where one changed word leaves no bigram in common, are kept
sorted by length and all scored within the length bound.
"""

from __future__ import annotations

import bisect
import json
import math
import os
import shutil
import string
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

SHORT = 64  # texts up to this many characters are scored directly, not through the index
INDEX_VERSION = 2  # of the features and the files: an index of another version is rebuilt
CANDIDATES = 64  # documents taken from the index for exact scoring
_BUDGET = 32_768  # postings read per query
_MIN_FEATURES = 8  # rarest query features always read, however common
TAIL_MAX = 1_000  # pairs added after the build that are scored directly
_CHUNK = 2_048  # rows tokenized at a time while building (at most 65,536)

_PUNCT = bytes.maketrans(string.punctuation.encode(), b" " * len(string.punctuation))
_WIDE_PUNCT = tuple(c.encode() for c in "«»‹›“”„‘’‚—–…\u00a0\u2009\u202f")
_SEP = b"\x00"  # stands between documents in a chunk
_SEP_HASH = np.uint64(zlib.crc32(_SEP))
_MIX = np.uint64(0x9E3779B97F4A7C15)
_MIX2 = np.uint64(0xC2B2AE3D27D4EB4F)
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
    # CRC-32, not Python's hash (salted per process): the index is kept on disk between runs.
    words = np.fromiter(map(zlib.crc32, tokens), dtype=np.uint64, count=len(tokens))
    sep = words == _SEP_HASH
    doc = np.cumsum(sep, dtype=np.uint64)
    keep = ~(sep[:-1] | sep[1:])
    bigrams = (words[:-1] * _MIX) ^ (words[1:] * _MIX2)
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


def length_window(length: int, threshold: float) -> tuple[float, float]:
    """The source lengths that can reach ``threshold`` against a query of ``length`` characters."""
    t = min(max(threshold, 0.0), 100.0)
    if t <= 0:
        return 0.0, math.inf
    return length * t / (200 - t) - 1e-6, length * (200 - t) / t + 1e-6


@dataclass(eq=False)
class Index:
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
    def build(cls, rows: Iterable[Sequence], token: str, removed: int) -> Index:
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

    # --- on disk ----------------------------------------------------------------------

    _ARRAYS = ("ids", "lengths", "features", "offsets", "postings")

    def save(self, folder: Path) -> None:
        """Write the index to ``folder`` (replaced whole: a reader sees the old or the new one)."""
        folder.parent.mkdir(parents=True, exist_ok=True)
        tmp = folder.parent / f".{folder.name}.{os.getpid()}.tmp"
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir()
        for name in self._ARRAYS:
            np.save(tmp / f"{name}.npy", getattr(self, name), allow_pickle=False)
        np.save(tmp / "short_lengths.npy", np.asarray(self.short_lengths, dtype=np.int32))
        np.save(tmp / "short_ids.npy", np.asarray(self.short_ids, dtype=np.int64))
        (tmp / "short_texts.txt").write_text("\x00".join(self.short_texts), encoding="utf-8")
        meta = {"version": INDEX_VERSION, "token": self.token, "removed": self.removed,
                "max_id": self.max_id}  # fmt: skip
        (tmp / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
        old = folder.parent / f".{folder.name}.{os.getpid()}.old"
        try:
            if folder.exists():
                folder.rename(old)
            tmp.rename(folder)
        finally:  # another process may have saved at the same moment: one of them wins
            shutil.rmtree(tmp, ignore_errors=True)
            shutil.rmtree(old, ignore_errors=True)

    @classmethod
    def load(cls, folder: Path) -> Index | None:
        """The index saved in ``folder``, its arrays memory-mapped; None if there is none to use."""
        try:
            meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
            if meta.get("version") != INDEX_VERSION:
                return None
            arrays = {name: np.load(folder / f"{name}.npy", mmap_mode="r") for name in cls._ARRAYS}
            texts = (folder / "short_texts.txt").read_text(encoding="utf-8")
            short_lengths = np.load(folder / "short_lengths.npy").tolist()
            short_ids = np.load(folder / "short_ids.npy").tolist()
        except (OSError, ValueError):
            return None
        short_texts = texts.split("\x00") if short_ids else []
        if len(short_texts) != len(short_ids):
            return None
        return cls(
            token=meta["token"], removed=int(meta["removed"]), max_id=int(meta["max_id"]),
            short_lengths=short_lengths, short_ids=short_ids, short_texts=short_texts, **arrays,
        )  # fmt: skip

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
            (len(t), row[0], t) for row, t in zip(batch, texts, strict=True) if len(t) <= SHORT
        )
        self.count += len(batch)

    def finish(self, token: str, removed: int) -> Index:
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
        return Index(
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
