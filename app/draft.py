"""Machine drafts: empty entries filled by the engines, the local ones first.

Segments without words are drafted first (:mod:`app.mt.figures`: their numbers in the
target's form), then from the translation memory, then by the machine engine. Every
draft is fuzzy, with its provenance in a translator comment (``draft: figures``,
``draft: tm <slug>`` or ``draft: deepl``), so nothing machine-made is published before a person
approves it. Catalogs are saved under their lock after each batch, so an
interruption keeps what was drafted and a translator's save in the review UI is
never overwritten (only entries still empty when the batch lands are filled).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from typing import Any

from .config import Config
from .errors import CatalogError
from .mt import NOT_CONFIGURED, Batch, Draft, Engine, MTError, NotConfigured, QuotaExceeded
from .mt import machine_engine as configured_engine
from .mt.figures import FiguresEngine
from .mt.memory import MemoryEngine
from .po.edit import EditError, apply
from .po.store import CatalogRef, Store
from .project import Report
from .tm import sync

CONTEXT_NEIGHBOURS = 2  # paragraphs on each side of a batch sent as the engine's context
CONTEXT_MAX_CHARS = 4000
SAVE_EVERY = 50  # texts drafted between two saves of a catalog


@dataclass
class Work:
    """One article catalog to draft: its reference and entries in document order."""

    ref: CatalogRef
    msgids: list[str]
    empty: list[str]


@dataclass
class LangTally:
    """What drafting did for one target language."""

    figures: int = 0
    memory: int = 0
    machine: int = 0
    billed: int = 0
    requests: int = 0
    would_send: int = 0
    would_bill: int = 0
    remaining: int = 0


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
    for ref in store.catalogs(langs, slugs, report=report):
        try:
            po = store.read(ref)
        except CatalogError as e:
            report.fail(e)
            continue
        empty = [e.msgid for e in po if not e.obsolete and not e.msgstr]
        if empty:
            yield Work(ref, [e.msgid for e in po if not e.obsolete], empty)


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


def context_for(msgids: list[str], batch: list[str]) -> str | None:
    """The paragraphs around ``batch`` in the article, for the engine's ``context``."""
    positions = [msgids.index(m) for m in batch]
    first, last = min(positions), max(positions)
    around = (
        msgids[max(0, first - CONTEXT_NEIGHBOURS) : first]
        + msgids[last + 1 : last + 1 + CONTEXT_NEIGHBOURS]
    )
    text = "\n\n".join(around)[:CONTEXT_MAX_CHARS]
    return text or None


def draft_all(
    config: Config,
    *,
    langs: Iterable[str] = (),
    slugs: Iterable[str] = (),
    dry_run: bool = False,
    engine: Engine | None = None,
    progress: Progress | None = None,
) -> DraftReport:
    """Draft every empty entry: figures, then the memory, then the machine ``engine`` if given."""
    report = DraftReport()
    store = Store(config)
    works = list(collect(store, report, langs, slugs))
    if engine is not None and not dry_run and works:
        engine.check()  # a bad key or an unreachable server stops us before anything changes
    with sync.open_memory(config) as memory:
        sync.refresh(config, memory, warn=lambda message: report.say(f"warning: {message}"))
        _locally(store, works, FiguresEngine(), report, dry_run)
        _locally(store, works, MemoryEngine(memory), report, dry_run)
    if engine is None:
        if not dry_run and any(work.empty for work in works):
            report.say(NOT_CONFIGURED)
        for work in works:
            report.tally(work.ref.lang).remaining += len(work.empty)
    elif dry_run:
        _estimate(works, engine, report)
    else:
        try:
            _translate(store, works, engine, report, progress)
        except MTError as e:  # the finished batches are saved: say so, and what is left
            left = 0
            for work in works:
                report.tally(work.ref.lang).remaining += len(work.empty)
                left += len(work.empty)
            report.fail(
                f"{e}; the batches finished before the error are saved as drafts,"
                f" {left} segment(s) remain undrafted: run 'paragraf draft' again"
            )
    if not works:
        report.say(
            "nothing to draft: every entry has a translation or a draft; 0 characters billed"
        )
    _summarize(report, dry_run, engine)
    return report


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
        batch = engine.translate(work.empty, ref.source_lang, ref.lang)
        drafts = {m: d for m, d in zip(work.empty, batch.drafts, strict=True) if d is not None}
        tally = report.tally(ref.lang)
        done = len(drafts) if dry_run else fill(store, ref, drafts, report)
        if isinstance(engine, FiguresEngine):
            tally.figures += done
        else:
            tally.memory += done
        work.empty = [m for m in work.empty if m not in drafts]


def _estimate(works: list[Work], engine: Engine, report: DraftReport) -> None:
    """Count the segments and characters the engine would bill, sending nothing."""
    seen: set[tuple[str, str, str]] = set()
    for work in works:
        tally = report.tally(work.ref.lang)
        for msgid in work.empty:
            key = (work.ref.source_lang, work.ref.lang, msgid)
            if key not in seen:
                seen.add(key)
                tally.would_send += 1
                tally.would_bill += engine.billable(msgid)


def _translate(
    store: Store,
    works: list[Work],
    engine: Engine,
    report: DraftReport,
    progress: Progress | None,
) -> None:
    """Send the empty entries to the engine, article by article, saving after every batch."""
    done: dict[tuple[str, str, str], Draft] = {}  # identical texts are sent once per run
    by_lang: dict[str, list[Work]] = {}
    for work in works:
        by_lang.setdefault(work.ref.lang, []).append(work)
    for lang, lang_works in by_lang.items():
        total = sum(len(w.empty) for w in lang_works)
        bar = progress(lang, total) if progress else nullcontext()
        with bar as advance:
            for index, work in enumerate(lang_works):
                try:
                    _translate_work(store, work, engine, done, report, advance)
                except QuotaExceeded as e:
                    left = _remaining(by_lang, lang, index, report)
                    report.fail(
                        f"{engine.label} quota exceeded ({e}); the finished batches are saved as"
                        f" drafts, {left} segment(s) remain undrafted: run 'paragraf draft' again"
                        " when the quota allows"
                    )
                    return


def _remaining(by_lang: dict[str, list[Work]], lang: str, index: int, report: DraftReport) -> int:
    """Count, per language, the segments left empty from ``by_lang[lang][index]`` on."""
    langs = list(by_lang)
    total = 0
    for position, other in enumerate(langs[langs.index(lang) :]):
        works = by_lang[other][index:] if position == 0 else by_lang[other]
        left = sum(len(w.empty) for w in works)
        report.tally(other).remaining += left
        total += left
    return total


def _translate_work(
    store: Store,
    work: Work,
    engine: Engine,
    done: dict[tuple[str, str, str], Draft],
    report: DraftReport,
    advance: Any,
) -> None:
    """Draft one catalog's empty entries with the engine, one saved batch at a time."""
    ref = work.ref
    tally = report.tally(ref.lang)
    keys = {m: (ref.source_lang, ref.lang, m) for m in work.empty}
    cached = {m: done[key] for m, key in keys.items() if key in done}
    if cached:
        tally.machine += fill(store, ref, cached, report)
        _advance(advance, len(cached))
    todo = [m for m in dict.fromkeys(work.empty) if m not in cached]
    for start in range(0, len(todo), SAVE_EVERY):
        batch = todo[start : start + SAVE_EVERY]
        try:
            context = context_for(work.msgids, batch)
            result = engine.translate(batch, ref.source_lang, ref.lang, context)
        except MTError as e:
            if e.partial is not None:  # keep what was translated before the error
                _keep(store, work, batch, e.partial, done, report)
            raise
        _keep(store, work, batch, result, done, report)
        _advance(advance, len(batch))


def _keep(
    store: Store,
    work: Work,
    batch: list[str],
    result: Batch,
    done: dict[tuple[str, str, str], Draft],
    report: DraftReport,
) -> None:
    """Save what one engine call gave and count it."""
    ref = work.ref
    tally = report.tally(ref.lang)
    tally.billed += result.billed
    tally.requests += result.requests
    drafts = {m: d for m, d in zip(batch, result.drafts, strict=True) if d is not None}
    for msgid, draft in drafts.items():
        done[(ref.source_lang, ref.lang, msgid)] = draft
    tally.machine += fill(store, ref, drafts, report)
    work.empty = [m for m in work.empty if m not in drafts]


def _advance(advance: Any, n: int) -> None:
    if advance is not None and hasattr(advance, "update"):
        advance.update(n)


def _summarize(report: DraftReport, dry_run: bool, engine: Engine | None) -> None:
    for lang, t in report.tallies.items():
        if dry_run:
            line = f"{lang}: {t.figures} without words, {t.memory} from memory"
            if engine is not None:
                line += (
                    f"; {engine.label} would get {t.would_send} segment(s),"
                    f" {t.would_bill} characters billed (dry run)"
                )
            else:
                line += f"; {t.remaining} left without a machine engine (dry run)"
        else:
            line = f"{lang}: {t.figures} without words, {t.memory} from memory"
            if engine is not None:
                line += (
                    f", {t.machine} by {engine.label} in {t.requests} request(s),"
                    f" {t.billed} characters billed"
                )
            if t.remaining:
                line += f"; {t.remaining} left empty"
        report.say(line)


def draft_one(config: Config, slug: str, lang: str, msgid: str) -> Draft:
    """A machine draft of one segment of ``slug`` in ``lang``, with its neighbours as context."""
    engine = configured_engine(config)
    if engine is None:
        raise NotConfigured(NOT_CONFIGURED)
    store = Store(config)
    ref = store.find(lang, slug)
    if ref is None:
        raise NotConfigured(f"{lang}/{slug}: no such catalog")
    msgids = [e.msgid for e in store.read(ref, cached=True) if not e.obsolete]
    try:
        batch = engine.translate([msgid], ref.source_lang, lang, context_for(msgids, [msgid]))
    finally:
        engine.close()
    draft = batch.drafts[0]
    assert draft is not None
    return draft
