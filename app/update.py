"""Updating catalogs: each template merged into its article's catalogs, one per target language."""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import ExitStack

import polib

from . import comments, parallel
from .config import Config
from .errors import CatalogError, ParagrafError
from .po import catalog
from .po.store import CatalogRef, Store
from .project import Report, Stamps


def update_all(
    config: Config, *, check: bool = False, slugs: Iterable[str] = (), langs: Iterable[str] = ()
) -> Report:
    """Create or update ``translations/<lang>/LC_MESSAGES/<slug>.po`` from every template.

    With ``check`` nothing is written and the report counts what would change; ``slugs``
    and ``langs`` limit the run to those articles and target languages.
    """
    report = Report()
    store = Store(config)
    stamps = Stamps(config, "update")
    wanted_slugs, wanted_langs = set(slugs), set(langs)
    store.check_names(wanted_langs, wanted_slugs)
    written = fresh = 0
    todo: list[tuple[str, dict]] = []
    for slug in store.slugs():
        key = config.relative(store.template_path(slug))
        previous = stamps.info(key).get("langs")
        if wanted_slugs and slug not in wanted_slugs:
            stamps.carry(key)
            continue
        if previous and not wanted_langs and stamps.fresh(key, _files(store, slug, previous)):
            fresh += 1
            continue
        todo.append((slug, stamps.info(key)))
    for results, lines, errors in parallel.run(_update_chunk, todo, config, check, wanted_langs):
        report.lines.extend(lines)
        report.errors.extend(errors)
        for key, record, count in results:
            written += count
            report.changed += count
            if record is None:
                stamps.carry(key)  # failed or partial: what was known still holds next time
            else:
                stamps.current[key] = record
    if not check:
        stamps.save()
    _mention_unextracted(config, store, report)
    verb = "would be written" if check else "written"
    report.say(f"update: {written} catalog(s) {verb}, {fresh} article(s) unchanged")
    return report


def _mention_unextracted(config: Config, store: Store, report: Report) -> None:
    """Say which articles have no template yet: update works from templates only."""
    extracted = {
        record.get("info", {}).get("slug") for record in Stamps(config, "extract").seen.values()
    }
    templates = set(store.slugs())
    if not config.content_dir.is_dir():
        return
    waiting = [
        p
        for p in sorted(config.content_dir.rglob("*.md"))
        if p.stem not in templates and p.stem not in extracted
    ]
    if waiting:
        names = ", ".join(config.relative(p) for p in waiting[:3]) + (
            " …" if len(waiting) > 3 else ""
        )
        report.say(
            f"{len(waiting)} article(s) have no template yet ({names}): run 'paragraf extract' first"
        )


def _files(store: Store, slug: str, langs: list[str]) -> list:
    return [store.template_path(slug), *(store.catalog_path(lang, slug) for lang in langs)]


def _update_chunk(
    chunk: list[tuple[str, dict]], config: Config, check: bool, langs: set[str]
) -> tuple[list[tuple[str, dict | None, int]], list[str], list[str]]:
    """Update some articles (in a worker, or here): each one's stamp record and count, the report."""
    store = Store(config)
    report = Report()
    results: list[tuple[str, dict | None, int]] = []
    for slug, info in chunk:
        key = config.relative(store.template_path(slug))
        try:
            results.append((key, *_update_article(store, slug, info, report, check, langs)))
        except ParagrafError as e:
            report.fail(e)
            results.append((key, None, 0))
    return results, report.lines, report.errors


def _update_article(
    store: Store, slug: str, info: dict, report: Report, check: bool, langs: set[str]
) -> tuple[dict | None, int]:
    """Merge one template into its catalogs; nothing is written if any catalog is unreadable.

    Returns the stamp record to keep (None: keep the last one) and how many catalogs
    were written. The comments of blocks whose source changed follow them, catalog by
    catalog, right after its write.
    """
    template = store.read_template(slug)
    source_lang = catalog.source_language(template)
    targets = [lang for lang in store.targets(source_lang) if not langs or lang in langs]
    refs = [store.ref(lang, slug, source_lang) for lang in targets]
    now = catalog.now_stamp()
    written = 0
    with ExitStack() as locks:  # the review UI and drafting write these catalogs too
        for ref in sorted(refs, key=lambda r: r.path):
            locks.enter_context(store.lock(ref))
        merged = []
        known = info.get("translated", {})
        for ref in refs:
            old = store.read(ref) if store.exists(ref) else None
            _check_nothing_lost(ref, old, known.get(ref.lang, 0))
            carried: dict[str, str] = {}
            po = catalog.merge(template, old, ref.lang, revision=now, moves=carried)
            merged.append((ref, po, old, carried))
        for ref, po, old, carried in merged:
            if store.save(ref, po, stamp=True, check=check):
                written += 1
                report.say(f"{'would write' if check else 'wrote'} {ref.display}")
                if not check and old is not None:
                    comments.follow(store.config.instance_dir, ref, old, po, carried)
    if langs:  # a partial run: the other languages were not looked at
        return None, written
    langs_done = [ref.lang for ref in refs]
    translated = {ref.lang: _translated(po) for ref, po, _, _ in merged}
    record = Stamps.make(_files(store, slug, langs_done), langs=langs_done, translated=translated)
    return record, written


def _translated(po: polib.POFile | None) -> int:
    """How many translations a catalog keeps, obsolete ones included."""
    return sum(1 for entry in po if entry.msgstr) if po is not None else 0


def _check_nothing_lost(ref: CatalogRef, po: polib.POFile | None, known: int) -> None:
    """Refuse a catalog that holds fewer translations than paragraf last wrote into it.

    paragraf never drops a translation (a removed block's stays as an obsolete entry), so
    fewer means a file cut short, emptied or deleted by something else.
    """
    now = _translated(po)
    if now >= known:
        return
    what = "is missing" if po is None else f"holds {now} translation(s)"
    raise CatalogError(
        f"{ref.display}: {what}, but it held {known} when paragraf last wrote it:"
        f" {known - now} translation(s) are gone (the file was cut short, emptied or deleted);"
        f" restore it with 'git checkout -- {ref.display}'. If they were removed on purpose,"
        " delete instance/stamps-update.json and run 'paragraf update' again"
    )
