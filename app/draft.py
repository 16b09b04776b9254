"""Machine drafts: empty entries filled by the engines, the local ones first.

Segments without words are drafted first (:mod:`app.mt.figures`: their numbers in the
target's form), then from the translation memory, then by the machine engine the
language pair is configured for (``[tool.paragraf] engines``: DeepL unless listed),
through the cache of every result already paid for (:mod:`app.mt.cache`). Each segment
is sent with its own context: the article's title and the blocks around it
(:func:`context_for`). Every draft is fuzzy, with its provenance in a translator comment
(``draft: figures``, ``draft: tm <slug>``, ``draft: deepl``, ``draft: libretranslate``),
so nothing machine-made is published before a person approves it. Catalogs are saved
under their lock after each batch, so an interruption keeps what was drafted (and the
cache keeps what was paid for), and a translator's save in the review UI is never
overwritten (only entries still empty when the batch lands are filled).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, ExitStack, nullcontext
from dataclasses import dataclass, field
from typing import Any

import polib

from .config import Config
from .mt import (
    ENGINE_LABELS,
    Batch,
    Draft,
    Engine,
    MTError,
    NotConfigured,
    QuotaExceeded,
    Segment,
    not_configured,
)
from .mt import machine_engine as configured_engine
from .mt.cache import Budget, CachedEngine, MTCache, open_cache
from .mt.figures import FiguresEngine
from .mt.memory import MemoryEngine
from .po.edit import EditError, apply
from .po.store import CatalogRef, Store
from .project import Report
from .tm import sync

CONTEXT_NEIGHBOURS = 2  # blocks on each side of a segment sent as its context
CONTEXT_MAX_CHARS = 4000
SAVE_EVERY = 50  # segments drafted between two saves of a catalog


@dataclass
class Work:
    """One article catalog to draft: its reference, entries in document order, its title."""

    ref: CatalogRef
    msgids: list[str]
    empty: list[str]
    title: str | None = None


@dataclass
class LangTally:
    """What drafting did for one target language."""

    figures: int = 0
    memory: int = 0
    machine: int = 0
    billed: int = 0
    requests: int = 0
    cached: int = 0
    saved: int = 0
    lost: int = 0
    over_budget: int = 0
    would_send: int = 0
    would_bill: int = 0
    would_cache: int = 0
    remaining: int = 0
    engines: dict[str, bool] = field(default_factory=dict)  # label → bills


@dataclass
class DraftReport(Report):
    """A drafting run: the job's lines plus per-language figures."""

    tallies: dict[str, LangTally] = field(default_factory=dict)

    def tally(self, lang: str) -> LangTally:
        """The figures of ``lang``, created on first use."""
        return self.tallies.setdefault(lang, LangTally())


Progress = Callable[[str, int], AbstractContextManager[Any]]


def collect(
    store: Store, report: Report, langs: Iterable[str] = (), slugs: Iterable[str] = ()
) -> Iterator[Work]:
    """Article catalogs with empty entries; a catalog that cannot be read is reported, skipped."""
    for ref, po in store.readable(report, langs, slugs):
        active = [e for e in po if not e.obsolete]
        empty = [e.msgid for e in active if not e.msgstr]
        if empty:
            yield Work(ref, [e.msgid for e in active], empty, _title(active))


def _title(entries: list[polib.POEntry]) -> str | None:
    return next((e.msgid for e in entries if e.comment.split(", ")[0] == "title"), None)


def fill(store: Store, ref: CatalogRef, drafts: dict[str, Draft], report: Report) -> int:
    """Under the catalog's lock, fill entries still empty with ``msgid -> draft``.

    A draft the catalog cannot keep (a control character an engine returned) is left
    out and reported; the others are saved.
    """
    if not drafts:
        return 0
    with store.lock(ref):
        po = store.read(ref)
        filled = 0
        for entry in po:
            draft = drafts.get(entry.msgid)
            if entry.obsolete or entry.msgstr or draft is None:
                continue
            try:
                apply(entry, draft.text, "draft", origin=draft.origin)
            except EditError as e:
                report.fail(
                    f"{ref.display}: the {draft.origin} draft of {entry.msgid[:40]!r}… was not saved: {e}"
                )
                continue
            filled += 1
        if filled:
            store.save(ref, po)
    return filled


def context_for(msgids: list[str], msgid: str, title: str | None = None) -> str | None:
    """The text around ``msgid`` in its article: the title, then the blocks before and after it.

    At most :data:`CONTEXT_NEIGHBOURS` blocks on each side and :data:`CONTEXT_MAX_CHARS`
    characters; the farthest blocks are left out first.
    """
    index = msgids.index(msgid)
    before = msgids[max(0, index - CONTEXT_NEIGHBOURS) : index]
    after = msgids[index + 1 : index + 1 + CONTEXT_NEIGHBOURS]
    head = [title] if title and title != msgid and title not in before else []
    while True:
        text = "\n\n".join(head + before + after)
        if len(text) <= CONTEXT_MAX_CHARS or not (before or after):
            break
        if len(before) >= len(after):
            before = before[1:]
        else:
            after = after[:-1]
    return text[:CONTEXT_MAX_CHARS] or None


class Engines:
    """The machine engine of each language pair, made once per engine and closed at the end."""

    def __init__(self, config: Config, engine: Engine | None = None) -> None:
        self.config, self.override = config, engine
        self._made: dict[str, Engine | None] = {}

    def name(self, source_lang: str, target_lang: str) -> str:
        if self.override is not None:
            return self.override.name
        return self.config.engine_for(source_lang, target_lang)

    def get(self, source_lang: str, target_lang: str) -> Engine | None:
        """The engine for the pair, or None if it is not configured (or set to ``none``)."""
        if self.override is not None:
            return self.override
        name = self.name(source_lang, target_lang)
        if name not in self._made:
            self._made[name] = configured_engine(self.config, source_lang, target_lang)
        return self._made[name]

    def close(self) -> None:
        for engine in self._made.values():
            if engine is not None:
                engine.close()


def draft_all(
    config: Config,
    *,
    langs: Iterable[str] = (),
    slugs: Iterable[str] = (),
    dry_run: bool = False,
    engine: Engine | None = None,
    max_characters: int | None = None,
    progress: Progress | None = None,
) -> DraftReport:
    """Draft every empty entry: figures, the memory, then each pair's machine engine.

    ``engine`` replaces the configured engines for every pair (the benchmarks' and tests'
    way in); ``max_characters`` (else ``config.max_characters``; 0: none) is the budget.
    """
    report = DraftReport()
    store = Store(config)
    works = list(collect(store, report, langs, slugs))
    engines = Engines(config, engine)
    limit = max_characters if max_characters is not None else config.max_characters
    budget = Budget(limit or None)
    try:
        with ExitStack() as stack:
            if not dry_run:
                _check_engines(works, engines)  # a bad key stops us before anything changes
            with sync.open_memory(config) as memory:
                sync.refresh(config, memory, warn=lambda message: report.say(f"warning: {message}"))
                _locally(store, works, FiguresEngine(), report, dry_run)
                _locally(store, works, MemoryEngine(memory), report, dry_run)
            cache = stack.enter_context(open_cache(config))
            machine = _by_engine(works, engines, report, dry_run)
            if dry_run:
                _estimate(machine, cache, budget, report)
            else:
                _translate(store, machine, cache, budget, report, progress)
    finally:
        if engine is None:
            engines.close()
    if not works:
        report.say(
            "nothing to draft: every entry has a translation or a draft; 0 characters billed"
        )
    _summarize(report, dry_run, budget)
    return report


def _check_engines(works: list[Work], engines: Engines) -> None:
    checked: set[int] = set()
    for work in works:
        found = engines.get(work.ref.source_lang, work.ref.lang)
        if found is not None and id(found) not in checked:
            checked.add(id(found))
            found.check()


def _by_engine(
    works: list[Work], engines: Engines, report: DraftReport, dry_run: bool
) -> list[tuple[Engine, list[Work]]]:
    """The works left for a machine, grouped by their engine; the others are counted as left."""
    groups: dict[int, tuple[Engine, list[Work]]] = {}
    told: set[str] = set()
    for work in works:
        if not work.empty:
            continue
        found = engines.get(work.ref.source_lang, work.ref.lang)
        if found is None:
            name = engines.name(work.ref.source_lang, work.ref.lang)
            if name != "none" and name not in told and not dry_run:
                told.add(name)
                report.say(not_configured(name))
            report.tally(work.ref.lang).remaining += len(work.empty)
            continue
        groups.setdefault(id(found), (found, []))[1].append(work)
    return list(groups.values())


def _locally(
    store: Store,
    works: list[Work],
    engine: FiguresEngine | MemoryEngine,
    report: DraftReport,
    dry_run: bool,
) -> None:
    """Draft what a local, free engine can; counted under its name (figures, memory)."""
    for work in works:
        ref = work.ref
        batch = engine.translate([Segment(m) for m in work.empty], ref.source_lang, ref.lang)
        drafts = {m: d for m, d in zip(work.empty, batch.drafts, strict=True) if d is not None}
        tally = report.tally(ref.lang)
        done = len(drafts) if dry_run else fill(store, ref, drafts, report)
        if isinstance(engine, FiguresEngine):
            tally.figures += done
        else:
            tally.memory += done
        work.empty = [m for m in work.empty if m not in drafts]


def segments_of(work: Work) -> list[Segment]:
    """The work's empty entries, each with its own context."""
    return [Segment(m, context_for(work.msgids, m, work.title)) for m in dict.fromkeys(work.empty)]


def _estimate(
    machine: list[tuple[Engine, list[Work]]], cache: MTCache, budget: Budget, report: DraftReport
) -> None:
    """Count what each engine would be sent and bill, sending nothing; compare with its quota."""
    for engine, works in machine:
        cached = CachedEngine(engine, cache)
        total = 0
        for work in works:
            tally = report.tally(work.ref.lang)
            tally.engines[engine.label] = getattr(engine, "bills", True)
            for segment in segments_of(work):
                if cached.cached(segment, work.ref.source_lang, work.ref.lang) is not None:
                    tally.would_cache += 1
                    continue
                cost = engine.billable(segment.text)
                tally.would_send += 1
                tally.would_bill += cost
                total += cost
        if budget.limit is not None and total > budget.limit:
            report.say(
                f"warning: {engine.label} would bill {total} characters, more than the budget of"
                f" {budget.limit}; the run would stop there (--max-characters)"
            )
        try:
            count, limit = engine.usage()
        except MTError as e:
            report.say(f"warning: {engine.label}'s usage could not be read: {e}")
            continue
        if limit is not None and count is not None and total > limit - count:
            report.say(
                f"warning: {engine.label} would bill {total} characters, more than the"
                f" {limit - count} left this billing period ({count} of {limit} used)"
            )


def _translate(
    store: Store,
    machine: list[tuple[Engine, list[Work]]],
    cache: MTCache,
    budget: Budget,
    report: DraftReport,
    progress: Progress | None,
) -> None:
    """Send the empty entries to their engines, article by article, saving after every batch."""
    for engine, works in machine:
        cached = CachedEngine(engine, cache, budget)
        by_lang: dict[str, list[Work]] = {}
        for work in works:
            by_lang.setdefault(work.ref.lang, []).append(work)
        for lang, lang_works in by_lang.items():
            total = sum(len(w.empty) for w in lang_works)
            bar = progress(f"{lang}: {engine.label}", total) if progress else nullcontext()
            with bar as advance:
                for index, work in enumerate(lang_works):
                    try:
                        _translate_work(store, work, cached, report, advance)
                    except QuotaExceeded as e:
                        left = _left(lang_works[index:], report)
                        report.fail(
                            f"{engine.label} quota exceeded ({e}); the finished batches are saved"
                            f" as drafts, {left} segment(s) remain undrafted: run 'paragraf draft'"
                            " again when the quota allows"
                        )
                        return
                    except MTError as e:
                        left = _left(lang_works[index:], report)
                        report.fail(
                            f"{e}; the batches finished before the error are saved as drafts,"
                            f" {left} segment(s) remain undrafted: run 'paragraf draft' again"
                        )
                        return


def _left(works: list[Work], report: DraftReport) -> int:
    """Count the segments still empty in ``works`` as remaining."""
    total = 0
    for work in works:
        report.tally(work.ref.lang).remaining += len(work.empty)
        total += len(work.empty)
    return total


def _translate_work(
    store: Store, work: Work, engine: CachedEngine, report: DraftReport, advance: Any
) -> None:
    """Draft one catalog's empty entries, one saved batch at a time."""
    ref = work.ref
    tally = report.tally(ref.lang)
    tally.engines[engine.label] = getattr(engine.engine, "bills", True)
    todo = segments_of(work)
    for start in range(0, len(todo), SAVE_EVERY):
        batch = todo[start : start + SAVE_EVERY]
        try:
            result = engine.translate(batch, ref.source_lang, ref.lang)
        except MTError as e:
            if e.partial is not None:  # keep what was translated before the error
                _keep(store, work, batch, e.partial, report)
            raise
        _keep(store, work, batch, result, report)
        _advance(advance, len(batch))


def _keep(
    store: Store, work: Work, batch: list[Segment], result: Batch, report: DraftReport
) -> None:
    """Save what one engine call gave and count it."""
    ref = work.ref
    tally = report.tally(ref.lang)
    tally.billed += result.billed
    tally.requests += result.requests
    tally.saved += result.saved
    tally.cached += result.cached
    tally.over_budget += result.over_budget
    drafts = {s.text: d for s, d in zip(batch, result.drafts, strict=False) if d is not None}
    tally.lost += sum(1 for d in drafts.values() if d.lost)
    tally.machine += fill(store, ref, drafts, report)
    work.empty = [m for m in work.empty if m not in drafts]
    if result.over_budget:
        tally.remaining += result.over_budget
        work.empty = [m for m in work.empty if m not in {s.text for s in batch}]


def _advance(advance: Any, n: int) -> None:
    if advance is not None and hasattr(advance, "update"):
        advance.update(n)


def _summarize(report: DraftReport, dry_run: bool, budget: Budget) -> None:
    over = False
    for lang, t in report.tallies.items():
        label = "/".join(t.engines) or ""
        bills = all(t.engines.values()) if t.engines else True
        billed = "characters billed" if bills else "characters sent"
        line = f"{lang}: {t.figures} without words, {t.memory} from memory"
        if dry_run:
            if label:
                line += (
                    f"; {label} would get {t.would_send} segment(s), {t.would_bill} {billed}"
                    f", {t.would_cache} from the cache (dry run)"
                )
            else:
                line += f"; {t.remaining} left without a machine engine (dry run)"
        else:
            if label:
                line += (
                    f", {t.machine} by {label} in {t.requests} request(s), {t.billed} {billed},"
                    f" {t.cached} from the cache ({t.saved} characters saved)"
                )
            if t.remaining:
                line += f"; {t.remaining} left empty"
        report.say(line)
        if t.lost:
            report.say(
                f"{lang}: {t.lost} draft(s) need their markers checked: the engine dropped a"
                " marker, link or URL that could not be put back (see paragraf check)"
            )
        over = over or t.over_budget > 0
    if over:
        report.say(
            f"the budget of {budget.limit} characters is reached: the segments left empty were"
            " not sent (raise --max-characters or [tool.paragraf] max_characters)"
        )


def draft_one(config: Config, slug: str, lang: str, msgid: str, *, fresh: bool = False) -> Draft:
    """A machine draft of one segment of ``slug`` in ``lang``, with its neighbours as context.

    The cache answers when it can (nothing billed); ``fresh`` asks the engine again.
    """
    store = Store(config)
    ref = store.find(lang, slug)
    if ref is None:
        raise NotConfigured(f"{lang}/{slug}: no such catalog")
    engine = configured_engine(config, ref.source_lang, lang)
    if engine is None:
        name = config.engine_for(ref.source_lang, lang)
        raise NotConfigured(
            not_configured(name)
            if name in ENGINE_LABELS
            else f"no engine for {ref.source_lang}→{lang}"
        )
    active = [e for e in store.read(ref, cached=True) if not e.obsolete]
    msgids = [e.msgid for e in active]
    segment = Segment(msgid, context_for(msgids, msgid, _title(active)))
    try:
        with open_cache(config) as cache:
            batch = CachedEngine(engine, cache, fresh=fresh).translate(
                [segment], ref.source_lang, lang
            )
    finally:
        engine.close()
    draft = batch.drafts[0]
    assert draft is not None
    return draft
