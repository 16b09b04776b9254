"""The project's translation memory, kept in step with the catalogs.

The memory lives in ``instance/paragraf.sqlite3``. Its rows are derived from the
approved entries of every article catalog: a unit per msgid of an article, with the
source text and each approved translation, so Turkish↔Russian pairs come from an
article translated from English into both; and a unit per sentence pair of each
approved paragraph whose sentences align with confidence
(:func:`app.archive.align.sentence_pairs`), so a sentence reused in a new paragraph is
found. :func:`refresh` re-indexes the articles
whose catalogs changed since it last looked (content hashes, as the other jobs do); a
command calls it before it uses the memory, so a catalog edited in Poedit or by
``git pull`` is in the memory first. Opening the memory refreshes nothing.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import polib

from ..config import Config
from ..db import db_path
from ..errors import CatalogError
from ..po import catalog
from ..po.store import CatalogRef, Store
from ..project import Stamps
from .store import TranslationMemory

REFRESH_SECONDS = 30.0


def database_path(config: Config) -> Path:
    """The SQLite file shared by the memory, the users and the history."""
    return db_path(config.instance_dir)


Reader = Callable[[CatalogRef], polib.POFile]


def article_units(
    store: Store, slug: str, read: Reader | None = None
) -> tuple[list[dict[str, str]], list[Path]]:
    """Units of one article (language → approved text, source included), and the files read.

    ``read`` reads a catalog (default: from the store, uncached).
    """
    template = store.read_template(slug)
    source_lang = catalog.source_language(template)
    units: dict[str, dict[str, str]] = {
        entry.msgid: {source_lang: entry.msgid} for entry in template
    }
    from ..archive.align import sentence_pairs  # the aligner: only when an article is indexed

    files = [store.template_path(slug)]
    sentences: list[dict[str, str]] = []  # and each approved paragraph's aligned sentences
    for lang in store.targets(source_lang):
        ref = store.ref(lang, slug, source_lang)
        files.append(ref.path)
        if not store.exists(ref):
            continue
        for entry in read(ref) if read else store.read(ref):
            if catalog.is_approved(entry) and entry.msgid in units:
                units[entry.msgid][lang] = entry.msgstr
                sentences.extend(
                    {source_lang: s, lang: t}
                    for s, t in sentence_pairs(entry.msgid, entry.msgstr, source_lang, lang)
                )
    return [unit for unit in units.values() if len(unit) > 1] + sentences, files


Warn = Callable[[str], None]


def refresh(
    config: Config, memory: TranslationMemory, *, full: bool = False, warn: Warn | None = None
) -> int:
    """Re-index the articles whose catalogs changed (all of them with ``full``); return how many.

    Pairs imported from TMX or PO files are kept; those of articles that are gone are removed.
    An article with an unreadable catalog keeps its old pairs and is tried again next time:
    ``warn`` is told why, and the other articles go on.
    """
    store = Store(config)
    stamps = Stamps(config, "memory")
    slugs = store.slugs()
    changed = []
    for slug in slugs:
        files = [store.template_path(slug), *(Path(p) for p in stamps.info(slug).get("files", []))]
        if full or not stamps.fresh(slug, files):
            changed.append(slug)
    for gone in set(stamps.seen) - set(slugs):
        memory.remove_origin(gone)
    indexed = 0
    for slug in changed:
        try:
            units, files = article_units(store, slug)
        except CatalogError as e:
            if warn is not None:
                warn(f"{e} (the translation memory keeps this article's earlier pairs)")
            continue
        memory.replace_origin(slug, units)
        stamps.record(slug, files, files=[str(p) for p in files[1:]])
        indexed += 1
    stamps.save()
    return indexed


def reindex(store: Store, memory: TranslationMemory, slug: str, read: Reader | None = None) -> None:
    """Re-index one article now (after an approval or an un-approval in the review UI)."""
    units, _ = article_units(store, slug, read)
    memory.replace_origin(slug, units)


_refreshed: dict[Path, float] = {}


def refresh_now_and_then(
    config: Config,
    memory: TranslationMemory,
    every: float = REFRESH_SECONDS,
    warn: Warn | None = None,
) -> None:
    """For the review UI: :func:`refresh` at most once every ``every`` seconds per process.

    Approvals in the UI re-index their article at once; this picks up catalogs changed
    elsewhere (Poedit, git pull, paragraf draft) without hashing every catalog per request.
    """
    now = time.monotonic()
    key = database_path(config)
    if now - _refreshed.get(key, -every) >= every:
        _refreshed[key] = now
        refresh(config, memory, warn=warn)


@contextmanager
def open_memory(config: Config) -> Iterator[TranslationMemory]:
    """The project's memory (as it is: call :func:`refresh` to bring it up to date), closed afterwards."""
    config.instance_dir.mkdir(parents=True, exist_ok=True)
    with TranslationMemory(database_path(config)) as memory:
        yield memory
