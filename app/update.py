"""Updating catalogs: each template merged into its article's catalogs, one per target language."""

from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path

from . import catalog
from .config import Config
from .edit import catalog_lock
from .errors import ParagrafError
from .project import Report, Stamps, target_languages, template_paths


def update_all(config: Config) -> Report:
    """Create or update ``translations/<lang>/LC_MESSAGES/<slug>.po`` from every template."""
    report = Report()
    stamps = Stamps(config, "update")
    written = fresh = 0
    templates = template_paths(config)
    for pot_path in templates:
        slug = pot_path.stem
        key = config.relative(pot_path)
        langs = stamps.info(key).get("langs")
        if langs and stamps.fresh(
            key, [pot_path, *(config.catalog_path(lang, slug) for lang in langs)]
        ):
            fresh += 1
            continue
        try:
            written += _update_article(config, pot_path, stamps, report)
        except ParagrafError as e:
            report.fail(e)
    stamps.save()
    report.say(f"update: {written} catalog(s) written, {fresh} article(s) unchanged")
    return report


def _update_article(config: Config, pot_path: Path, stamps: Stamps, report: Report) -> int:
    """Merge one template into its catalogs; nothing is written if any catalog is unreadable."""
    slug = pot_path.stem
    template = catalog.load(pot_path, display=config.relative(pot_path))
    source_lang = catalog.source_language(template)
    langs = target_languages(config, source_lang)
    now = catalog.now_stamp()
    paths = [config.catalog_path(lang, slug) for lang in langs]
    written = 0
    with ExitStack() as locks:  # the review UI and drafting write these catalogs too
        for path in sorted(paths):
            locks.enter_context(catalog_lock(config, path))
        merged = []
        for lang, path in zip(langs, paths, strict=True):
            old = catalog.load(path, display=config.relative(path)) if path.exists() else None
            merged.append((path, catalog.merge(template, old, lang, revision=now)))
        for path, po in merged:
            if catalog.save_stamped(po, path, "PO-Revision-Date"):
                written += 1
                report.say(f"wrote {config.relative(path)}")
    stamps.record(
        config.relative(pot_path),
        [pot_path, *(config.catalog_path(lang, slug) for lang in langs)],
        langs=langs,
    )
    return written
