"""The machine-translation cache: every result paid for, kept with what produced it, never billed twice.

Results live in the ``mt_cache`` table of the instance database
(``instance/paragraf.sqlite3``), keyed by the engine, its settings (formality, glossary
version: :meth:`app.mt.Engine.settings`), the languages, the source text and its
context. A request made again (a rerun after a rejected draft, the review page's
button) is answered from the cache; so is the same text in another article, whose
context differs: a result for the exact context is preferred, else the latest for the
text. Drafts stay fuzzy either way, so a person still reviews them.

:class:`CachedEngine` wraps an engine with the cache and the run's budget
(:class:`Budget`): a segment whose characters would take the run past the budget is
left undrafted and counted.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from .. import db
from ..config import Config
from . import Batch, Draft, Engine, MTError, Segment

__all__ = ["Budget", "CachedEngine", "MTCache", "open_cache"]

SCHEMA = """
CREATE TABLE IF NOT EXISTS mt_cache (
    id INTEGER PRIMARY KEY,
    text_key TEXT NOT NULL,
    context_key TEXT NOT NULL,
    engine TEXT NOT NULL,
    settings TEXT NOT NULL,
    source_lang TEXT NOT NULL,
    target_lang TEXT NOT NULL,
    source TEXT NOT NULL,
    context TEXT NOT NULL,
    text TEXT NOT NULL,
    lost TEXT NOT NULL DEFAULT '',
    characters INTEGER NOT NULL,
    created TEXT NOT NULL,
    UNIQUE (text_key, context_key)
);
"""


def _key(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


class MTCache:
    """The results of machine translation, in SQLite."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        conn.executescript(SCHEMA)

    def get(
        self, engine: str, settings: str, source_lang: str, target_lang: str, segment: Segment
    ) -> Draft | None:
        """The stored draft of ``segment``: for its exact context if there is one, else the latest."""
        text_key = _key(engine, settings, source_lang, target_lang, segment.text)
        row = self.conn.execute(
            "SELECT text, lost FROM mt_cache WHERE text_key = ?"
            " ORDER BY context_key = ? DESC, id DESC LIMIT 1",
            (text_key, _key(segment.context or "")),
        ).fetchone()
        if row is None:
            return None
        return Draft(row[0], engine, tuple(row[1].split("\n")) if row[1] else ())

    def put(
        self,
        engine: str,
        settings: str,
        source_lang: str,
        target_lang: str,
        segment: Segment,
        draft: Draft,
        characters: int,
    ) -> None:
        """Keep a result (replacing the one for the same text and context)."""
        with self.conn:
            self.conn.execute(
                "INSERT OR REPLACE INTO mt_cache (text_key, context_key, engine, settings,"
                " source_lang, target_lang, source, context, text, lost, characters, created)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    _key(engine, settings, source_lang, target_lang, segment.text),
                    _key(segment.context or ""),
                    engine,
                    settings,
                    source_lang,
                    target_lang,
                    segment.text,
                    segment.context or "",
                    draft.text,
                    "\n".join(draft.lost),
                    characters,
                    datetime.now(UTC).isoformat(timespec="seconds"),
                ),
            )

    def __len__(self) -> int:
        return int(self.conn.execute("SELECT COUNT(*) FROM mt_cache").fetchone()[0])


@contextmanager
def open_cache(config: Config) -> Iterator[MTCache]:
    """The project's cache, in its instance database; closed afterwards."""
    path: Path = db.db_path(config.instance_dir)
    conn = db.connect(path)
    try:
        yield MTCache(conn)
    finally:
        conn.close()


@dataclass
class Budget:
    """The characters a run may have billed (``limit`` None: no budget) and those it has reserved."""

    limit: int | None = None
    spent: int = 0

    def take(self, characters: int) -> bool:
        """Reserve ``characters`` if they fit; False if they would exceed the budget."""
        if self.limit is not None and self.spent + characters > self.limit:
            return False
        self.spent += characters
        return True


class CachedEngine:
    """An engine behind the cache and a budget; the same protocol as the engine."""

    def __init__(
        self, engine: Engine, cache: MTCache, budget: Budget | None = None, *, fresh: bool = False
    ) -> None:
        self.engine, self.cache, self.budget = engine, cache, budget or Budget()
        self.fresh = fresh  # ask the engine again even when the cache has an answer
        self.name, self.label = engine.name, engine.label

    def check(self) -> None:
        self.engine.check()

    def billable(self, text: str) -> int:
        return self.engine.billable(text)

    def settings(self, source_lang: str, target_lang: str) -> str:
        return self.engine.settings(source_lang, target_lang)

    def usage(self) -> tuple[int | None, int | None]:
        return self.engine.usage()

    def close(self) -> None:
        self.engine.close()

    def cached(self, segment: Segment, source_lang: str, target_lang: str) -> Draft | None:
        """The cache's answer for one segment (None: the engine would be asked)."""
        settings = self.engine.settings(source_lang, target_lang)
        return self.cache.get(self.engine.name, settings, source_lang, target_lang, segment)

    def translate(self, segments: Sequence[Segment], source_lang: str, target_lang: str) -> Batch:
        """Drafts from the cache where it has them, from the engine (within the budget) elsewhere."""
        settings = self.engine.settings(source_lang, target_lang)
        result = Batch([None] * len(segments))
        asked: dict[Segment, list[int]] = {}
        for index, segment in enumerate(segments):
            hit = (
                None
                if self.fresh
                else self.cache.get(self.engine.name, settings, source_lang, target_lang, segment)
            )
            if hit is not None:
                result.drafts[index] = hit
                result.cached += 1
                result.saved += self.engine.billable(segment.text)
            elif segment in asked:
                asked[segment].append(index)
            elif self.budget.take(self.engine.billable(segment.text)):
                asked[segment] = [index]
            else:
                result.over_budget += 1
        if not asked:
            return result
        todo = list(asked)
        try:
            answer = self.engine.translate(todo, source_lang, target_lang)
        except MTError as e:
            if e.partial is not None:
                self._keep(todo, e.partial, asked, result, settings, source_lang, target_lang)
            e.partial = result
            raise
        self._keep(todo, answer, asked, result, settings, source_lang, target_lang)
        return result

    def _keep(
        self,
        todo: list[Segment],
        answer: Batch,
        asked: dict[Segment, list[int]],
        result: Batch,
        settings: str,
        source_lang: str,
        target_lang: str,
    ) -> None:
        """Store what the engine gave and place it at every index that asked for it."""
        result.billed += answer.billed
        result.requests += answer.requests
        for segment, draft in zip(todo, answer.drafts, strict=False):
            if draft is None:
                continue
            characters = self.engine.billable(segment.text)
            self.cache.put(
                self.engine.name, settings, source_lang, target_lang, segment, draft, characters
            )
            for index in asked[segment]:
                result.drafts[index] = draft
