"""The project's translation memory, kept in step with the catalogs.

The memory (:mod:`app.tm`) lives in ``instance/paragraf.sqlite3``. Its rows are derived
from the approved entries of every article catalog: a unit per msgid of an article, with
the source text and each approved translation, so Turkish↔Russian pairs come from an
article translated from English into both. :func:`open_memory` re-indexes the articles
whose catalogs changed since it last looked (content hashes, as the other jobs do), so
a catalog edited in Poedit or by ``git pull`` is in the memory before it is used.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import polib

from . import catalog
from .config import Config
from .errors import CatalogError
from .project import Stamps, target_languages, template_paths
from .tm import TranslationMemory

DATABASE = "paragraf.sqlite3"
REFRESH_SECONDS = 30.0


def database_path(config: Config) -> Path:
    """The SQLite file shared by the memory, the users and the history."""
    return config.instance_dir / DATABASE


Reader = Callable[[Path], polib.POFile]


def _loader(config: Config) -> Reader:
    return lambda path: catalog.load(path, display=config.relative(path))


def article_units(
    config: Config, slug: str, read: Reader | None = None
) -> tuple[list[dict[str, str]], list[Path]]:
    """Units of one article (language → approved text, source included), and the files read."""
    read = read or _loader(config)
    pot_path = config.template_path(slug)
    template = read(pot_path)
    source_lang = catalog.source_language(template)
    units: dict[str, dict[str, str]] = {
        entry.msgid: {source_lang: entry.msgid} for entry in template
    }
    files = [pot_path]
    for lang in target_languages(config, source_lang):
        path = config.catalog_path(lang, slug)
        files.append(path)
        if not path.exists():
            continue
        for entry in read(path):
            if catalog.is_approved(entry) and entry.msgid in units:
                units[entry.msgid][lang] = entry.msgstr
    return [unit for unit in units.values() if len(unit) > 1], files


Warn = Callable[[str], None]


def refresh(
    config: Config, memory: TranslationMemory, *, full: bool = False, warn: Warn | None = None
) -> int:
    """Re-index the articles whose catalogs changed (all of them with ``full``); return how many.

    Pairs imported from TMX or PO files are kept; those of articles that are gone are removed.
    An article with an unreadable catalog keeps its old pairs and is tried again next time:
    ``warn`` is told why, and the other articles go on.
    """
    stamps = Stamps(config, "memory")
    templates = template_paths(config)
    changed = []
    for pot_path in templates:
        slug = pot_path.stem
        files = [pot_path, *(Path(p) for p in stamps.info(slug).get("files", []))]
        if full or not stamps.fresh(slug, files):
            changed.append(slug)
    for gone in set(stamps.seen) - {p.stem for p in templates}:
        memory.remove_origin(gone)
    indexed = 0
    for slug in changed:
        try:
            units, files = article_units(config, slug)
        except CatalogError as e:
            if warn is not None:
                warn(f"{e} (the translation memory keeps this article's earlier pairs)")
            continue
        memory.replace_origin(slug, units)
        stamps.record(slug, files, files=[str(p) for p in files[1:]])
        indexed += 1
    stamps.save()
    return indexed


def reindex(
    config: Config, memory: TranslationMemory, slug: str, read: Reader | None = None
) -> None:
    """Re-index one article now (after an approval or an un-approval in the review UI)."""
    units, _ = article_units(config, slug, read)
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
def open_memory(config: Config, warn: Warn | None = None) -> Iterator[TranslationMemory]:
    """The project's memory, brought up to date with the catalogs, closed afterwards."""
    config.instance_dir.mkdir(parents=True, exist_ok=True)
    with TranslationMemory(database_path(config)) as memory:
        refresh(config, memory, warn=warn)
        yield memory
