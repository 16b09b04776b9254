"""Machine drafts: empty entries filled from the translation memory, then by DeepL.

Every draft is fuzzy, with its provenance in a translator comment (``draft: tm
<slug>`` or ``draft: deepl``), so nothing machine-made is published before a person
approves it. Catalogs are saved under their lock after each batch, so an
interruption keeps what was drafted and a translator's save in the review UI is
never overwritten (only entries still empty when the batch lands are filled).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from . import catalog
from .config import Config
from .deepl_engine import DeepLEngine, DeepLError, QuotaExceeded, plan_batches
from .edit import apply, catalog_lock
from .errors import ParagrafError
from .markup import protect
from .memory import open_memory
from .project import Report, article_catalogs

CONTEXT_NEIGHBOURS = 2  # paragraphs on each side of a batch sent as DeepL's context
CONTEXT_MAX_CHARS = 4000


class DeepLNotConfigured(ParagrafError):
    """A DeepL draft was asked for without ``DEEPL_AUTH_KEY``."""


NOT_CONFIGURED = (
    "DeepL is not configured: drafting from the translation memory only."
    " Set DEEPL_AUTH_KEY (and DEEPL_SERVER_URL for a proxy or a test server) to add DeepL drafts."
)


@dataclass
class Work:
    """One article catalog to draft: its paths, languages and entries in document order."""

    slug: str
    source_lang: str
    lang: str
    path: Path
    msgids: list[str]
    empty: list[str]


@dataclass
class LangTally:
    """What drafting did for one target language."""

    memory: int = 0
    deepl: int = 0
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


Progress = Callable[[str, int], AbstractContextManager]


def deepl_configured() -> bool:
    """True when ``DEEPL_AUTH_KEY`` is set."""
    return bool(os.environ.get("DEEPL_AUTH_KEY", "").strip())


def collect(config: Config, langs: Iterable[str] = (), slugs: Iterable[str] = ()) -> Iterator[Work]:
    """Article catalogs with empty entries, filtered by target language and article slug."""
    for ref in article_catalogs(config, langs, slugs):
        po = catalog.load(ref.path, display=config.relative(ref.path))
        empty = [e.msgid for e in po if not e.obsolete and not e.msgstr]
        if empty:
            msgids = [e.msgid for e in po if not e.obsolete]
            yield Work(ref.slug, ref.source_lang, ref.lang, ref.path, msgids, empty)


def fill(config: Config, path: Path, drafts: dict[str, tuple[str, str]]) -> int:
    """Under the catalog's lock, fill entries still empty with ``msgid -> (text, provenance)``."""
    if not drafts:
        return 0
    with catalog_lock(config, path):
        po = catalog.load(path, display=config.relative(path))
        filled = 0
        for entry in po:
            draft = drafts.get(entry.msgid)
            if entry.obsolete or entry.msgstr or draft is None:
                continue
            text, provenance = draft
            apply(entry, text, "draft", origin=provenance)
            filled += 1
        if filled:
            catalog.save(po, path)
    return filled


def context_for(msgids: list[str], batch: list[str]) -> str | None:
    """The paragraphs around ``batch`` in the article, for DeepL's ``context``."""
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
    engine: DeepLEngine | None = None,
    progress: Progress | None = None,
) -> DraftReport:
    """Draft every empty entry: memory first, then DeepL when ``engine`` is given."""
    report = DraftReport()
    works = list(collect(config, langs, slugs))
    if engine is not None and not dry_run and works:
        engine.usage()  # a bad key or an unreachable server stops us before anything changes
    with open_memory(config, warn=lambda message: report.say(f"warning: {message}")) as memory:
        for work in works:
            tally = report.tally(work.lang)
            drafts = {}
            for msgid in work.empty:
                match = memory.exact(msgid, work.source_lang, work.lang)
                if match is not None:
                    drafts[msgid] = (match.target, f"tm {match.origin}")
            tally.memory += len(drafts) if dry_run else fill(config, work.path, drafts)
            work.empty = [m for m in work.empty if m not in drafts]
    if engine is None:
        if not dry_run and any(work.empty for work in works):
            report.say(NOT_CONFIGURED)
        for work in works:
            report.tally(work.lang).remaining += len(work.empty)
    elif dry_run:
        _estimate(works, report)
    else:
        try:
            _translate(config, works, engine, report, progress)
        except DeepLError as e:  # the finished batches are saved: say so, and what is left
            left = 0
            for work in works:
                report.tally(work.lang).remaining += len(work.empty)
                left += len(work.empty)
            report.fail(
                f"{e}; the batches finished before the error are saved as drafts,"
                f" {left} segment(s) remain undrafted: run 'paragraf draft' again"
            )
    if not works:
        report.say(
            "nothing to draft: every entry has a translation or a draft; 0 characters billed"
        )
    _summarize(report, dry_run, engine is not None)
    return report


def _estimate(works: list[Work], report: DraftReport) -> None:
    """Count the segments and characters DeepL would bill, sending nothing."""
    seen: set[tuple[str, str, str]] = set()
    for work in works:
        tally = report.tally(work.lang)
        for msgid in work.empty:
            key = (work.source_lang, work.lang, msgid)
            if key not in seen:
                seen.add(key)
                tally.would_send += 1
                tally.would_bill += protect(msgid).billable


def _translate(
    config: Config,
    works: list[Work],
    engine: DeepLEngine,
    report: DraftReport,
    progress: Progress | None,
) -> None:
    """Send the empty entries to DeepL, article by article, saving after every batch."""
    glossary_id = _glossary_id(config, engine)
    done: dict[tuple[str, str, str], str] = {}  # identical texts are sent once per run
    by_lang: dict[str, list[Work]] = {}
    for work in works:
        by_lang.setdefault(work.lang, []).append(work)
    for lang, lang_works in by_lang.items():
        tally = report.tally(lang)
        total = sum(len(w.empty) for w in lang_works)
        bar = progress(lang, total) if progress else nullcontext()
        with bar as advance:
            for index, work in enumerate(lang_works):
                try:
                    _translate_work(config, work, engine, glossary_id, done, tally, advance)
                except QuotaExceeded as e:
                    left = _remaining(by_lang, lang, index, report)
                    report.fail(
                        f"DeepL quota exceeded ({e}); the finished batches are saved as drafts,"
                        f" {left} segment(s) remain undrafted: run 'paragraf draft' again when the quota allows"
                    )
                    return


def _glossary_id(config: Config, engine: DeepLEngine) -> str | None:
    """The DeepL glossary of the project's termbase (synced if it changed), or None without one."""
    return engine.sync_glossary(config.glossary_path) if config.glossary_path.exists() else None


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
    config: Config,
    work: Work,
    engine: DeepLEngine,
    glossary_id: str | None,
    done: dict[tuple[str, str, str], str],
    tally: LangTally,
    advance,
) -> None:
    """Draft one catalog's empty entries with DeepL, one saved batch at a time."""
    cached = {
        m: done[(work.source_lang, work.lang, m)]
        for m in work.empty
        if (work.source_lang, work.lang, m) in done
    }
    if cached:
        tally.deepl += fill(config, work.path, {m: (t, "deepl") for m, t in cached.items()})
        _advance(advance, len(cached))
    todo = [m for m in dict.fromkeys(work.empty) if m not in cached]
    for batch_indices in plan_batches(todo):
        batch = [todo[i] for i in batch_indices]
        result = engine.translate_batch(
            batch,
            work.source_lang,
            work.lang,
            context=context_for(work.msgids, batch),
            glossary_id=glossary_id,
        )
        tally.billed += result.billed_characters
        tally.requests += result.requests
        for msgid, text in zip(batch, result.texts, strict=True):
            done[(work.source_lang, work.lang, msgid)] = text
        tally.deepl += fill(
            config, work.path, {m: (t, "deepl") for m, t in zip(batch, result.texts, strict=True)}
        )
        work.empty = [m for m in work.empty if m not in set(batch)]
        _advance(advance, len(batch))


def _advance(advance, n: int) -> None:
    if advance is not None and hasattr(advance, "update"):
        advance.update(n)


def _summarize(report: DraftReport, dry_run: bool, with_deepl: bool) -> None:
    for lang, t in report.tallies.items():
        if dry_run:
            line = f"{lang}: {t.memory} from memory"
            if with_deepl:
                line += f"; DeepL would get {t.would_send} segment(s), {t.would_bill} characters billed (dry run)"
            else:
                line += f"; {t.remaining} left without DeepL (dry run)"
        else:
            line = f"{lang}: {t.memory} drafted from memory"
            if with_deepl:
                line += (
                    f", {t.deepl} by DeepL in {t.requests} request(s), {t.billed} characters billed"
                )
            if t.remaining:
                line += f"; {t.remaining} left empty"
        report.say(line)


def draft_one(config: Config, slug: str, lang: str, msgid: str) -> str:
    """A DeepL draft of one segment of ``slug`` in ``lang``, with its neighbours as context."""
    engine = DeepLEngine.from_env(config)
    if engine is None:
        raise DeepLNotConfigured(NOT_CONFIGURED)
    path = config.catalog_path(lang, slug)
    po = catalog.load(path, display=config.relative(path))
    msgids = [e.msgid for e in po if not e.obsolete]
    source_lang = catalog.source_language(po)
    with engine:
        glossary_id = _glossary_id(config, engine)
        result = engine.translate_batch(
            [msgid],
            source_lang,
            lang,
            context=context_for(msgids, [msgid]),
            glossary_id=glossary_id,
        )
    return result.texts[0]
