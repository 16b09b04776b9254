"""Updating catalogs: each template merged into its article's catalogs, one per target language."""

from __future__ import annotations

from contextlib import ExitStack

from .config import Config
from .errors import ParagrafError
from .po import catalog
from .po.store import Store
from .project import Report, Stamps


def update_all(config: Config) -> Report:
    """Create or update ``translations/<lang>/LC_MESSAGES/<slug>.po`` from every template."""
    report = Report()
    store = Store(config)
    stamps = Stamps(config, "update")
    written = fresh = 0
    for slug in store.slugs():
        key = config.relative(store.template_path(slug))
        langs = stamps.info(key).get("langs")
        if langs and stamps.fresh(key, _files(store, slug, langs)):
            fresh += 1
            continue
        try:
            written += _update_article(store, slug, stamps, report)
        except ParagrafError as e:
            report.fail(e)
    stamps.save()
    report.say(f"update: {written} catalog(s) written, {fresh} article(s) unchanged")
    return report


def _files(store: Store, slug: str, langs: list[str]) -> list:
    return [store.template_path(slug), *(store.catalog_path(lang, slug) for lang in langs)]


def _update_article(store: Store, slug: str, stamps: Stamps, report: Report) -> int:
    """Merge one template into its catalogs; nothing is written if any catalog is unreadable."""
    config = store.config
    template = store.read_template(slug)
    source_lang = catalog.source_language(template)
    refs = [store.ref(lang, slug, source_lang) for lang in store.targets(source_lang)]
    now = catalog.now_stamp()
    written = 0
    with ExitStack() as locks:  # the review UI and drafting write these catalogs too
        for ref in sorted(refs, key=lambda r: r.path):
            locks.enter_context(store.lock(ref))
        merged = []
        for ref in refs:
            old = store.read(ref) if store.exists(ref) else None
            merged.append((ref, catalog.merge(template, old, ref.lang, revision=now)))
        for ref, po in merged:
            if store.save(ref, po, stamp=True):
                written += 1
                report.say(f"wrote {ref.display}")
    langs = [ref.lang for ref in refs]
    stamps.record(
        config.relative(store.template_path(slug)), _files(store, slug, langs), langs=langs
    )
    return written
