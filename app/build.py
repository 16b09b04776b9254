"""Compiling: localized Markdown and HTML articles, and ``.mo`` files, never taking a page down by accident.

A version is (re)published when its catalog reads, its publishable share of words
(approved and stale, see :mod:`app.publish`) reaches the threshold, and its approved
translations pass the quality gate. A version that does not qualify now keeps what was
published before: a published translation goes down only when a person says so (the
article's ``unpublished`` front-matter list, ``paragraf unpublish``) or when its
article is removed. One broken catalog stops only its own version.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import polib

from . import parallel
from .config import Config
from .errors import CatalogError, ParagrafError
from .fsutil import write_if_changed
from .po import catalog
from .po.store import CatalogRef, Store
from .project import Report, Stamps, article_paths, claim_slugs, read, target_languages

if TYPE_CHECKING:
    from .markdown.blocks import Article
    from .publish import Localized

SUFFIXES = (".md", ".html")


@dataclass
class Tally:
    """What a compile run did to the language versions."""

    articles: int = 0
    published: int = 0
    kept: int = 0
    waiting: int = 0
    held: int = 0
    down: int = 0
    unchanged: int = 0

    def add(self, other: Tally) -> None:
        """Add the counts of a worker's tally."""
        for name in ("articles", "published", "kept", "waiting", "held", "down", "unchanged"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def summary(self) -> str:
        parts = [f"{self.published} version(s) published"]
        for count, what in (
            (self.kept, "kept as published before (below the threshold)"),
            (self.waiting, "not yet publishable"),
            (self.held, "held back by the quality checks"),
            (self.down, "taken down (unpublished)"),
        ):
            if count:
                parts.append(f"{count} {what}")
        return (
            f"compile: {self.articles} article(s) compiled, {', '.join(parts)};"
            f" {self.unchanged} article(s) unchanged"
        )


@dataclass
class _Run:
    store: Store
    report: Report
    gate: bool
    langs: set[str]
    tally: Tally = field(default_factory=Tally)


def compile_all(
    config: Config,
    *,
    threshold: int | None = None,
    force: bool = False,
    langs: Iterable[str] = (),
    slugs: Iterable[str] = (),
) -> Report:
    """Write ``public/<lang>/<slug>.md`` and ``.html`` for every article, and every ``.mo`` file.

    A version whose approved translations have quality errors is not republished unless
    ``force``; ``langs`` and ``slugs`` limit the run to those target languages and articles.
    """
    if threshold is not None:
        config = dataclasses.replace(config, threshold=threshold)
    report = Report()
    store = Store(config)
    wanted_langs, wanted_slugs = set(langs), set(slugs)
    store.check_names(wanted_langs, wanted_slugs)
    run = _Run(store, report, gate=not force, langs=wanted_langs)
    stamps = Stamps(config, "compile-force" if force else "compile")
    changed: list[Path] = []
    known: dict[str, Path] = {}
    for path in article_paths(config, report):
        key = config.relative(path)
        info = stamps.info(key)
        if info and wanted_slugs and info["slug"] not in wanted_slugs:
            known[info["slug"]] = path  # not asked for: left as it is
            stamps.carry(key)
        elif info and not wanted_langs and stamps.fresh(key, _files(store, path, info)):
            known[info["slug"]] = path
        else:
            changed.append(path)
    claimed = claim_slugs(config, report, changed, known)
    every_article_read = not report.errors  # else a slug might belong to an unreadable file
    live = set(known) | {slug for _path, slug in claimed}
    run.tally.unchanged = len(known)
    todo = [
        (path, stamps.info(config.relative(path)))
        for path, slug in claimed
        if not wanted_slugs or slug in wanted_slugs
    ]
    for records, lines, errors, tally in parallel.run(
        _compile_chunk, todo, config, not force, wanted_langs
    ):
        report.lines.extend(lines)
        report.errors.extend(errors)
        run.tally.add(tally)
        for path, record in records:
            if record is not None:  # None: held back, so that a rerun refuses again
                stamps.record(config.relative(path), _files(store, path, record), **record)
    stamps.save()
    if every_article_read and not wanted_slugs:
        _remove_orphans(config, live, report)
    report.say(run.tally.summary())
    return report


def public_path(config: Config, lang: str, slug: str, suffix: str) -> Path:
    """Where a version's compiled file goes."""
    return _public_dir(config.public_dir, lang) / f"{slug}{suffix}"


@lru_cache(maxsize=64)
def _public_dir(public: Path, lang: str) -> Path:
    return public / lang


def _files(store: Store, path: Path, info: dict) -> list[Path]:
    slug = info["slug"]
    files = [path]
    for lang in info["langs"]:
        files += [store.catalog_path(lang, slug), store.mo_path(lang, slug)]
    for lang in info["published"]:
        files += [public_path(store.config, lang, slug, suffix) for suffix in SUFFIXES]
    return files


def _is_published(config: Config, lang: str, slug: str) -> bool:
    return public_path(config, lang, slug, ".html").exists()


def _compile_chunk(
    chunk: list[tuple[Path, dict]], config: Config, gate: bool, langs: set[str]
) -> tuple[list[tuple[Path, dict | None]], list[str], list[str], Tally]:
    """Read and compile some articles (in a worker, or here); what each recorded, the report,
    the tally."""
    report = Report()
    run = _Run(Store(config), report, gate=gate, langs=langs)
    records: list[tuple[Path, dict | None]] = []
    for path, previous in chunk:
        try:
            records.append((path, _compile_article(run, read(config, path), previous)))
        except ParagrafError as e:
            report.fail(e)
    return records, report.lines, report.errors, run.tally


def _digest(*parts: bytes | str) -> str:
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        h.update(part.encode("utf-8") if isinstance(part, str) else part)
        h.update(b"\0")
    return h.hexdigest()


def _compile_article(run: _Run, article: Article, previous: dict) -> dict | None:
    """Compile one article; the stamp info, or None if a version was held back.

    ``previous`` is what the last run recorded of the article: a version whose catalog
    (and source) are byte for byte as they were keeps its verdict without being read or
    checked again, and a page whose inputs (source, catalog, the versions its language
    switcher lists) are unchanged is not rendered again.
    """
    config, report = run.store.config, run.report
    run.tally.articles += 1
    unpublished = set(article.meta.get("unpublished", []))
    source_key = _digest(article.source)
    old_verdicts: dict[str, list[str]] = previous.get("verdicts", {})
    old_pages: dict[str, str] = previous.get("pages", {})
    verdicts: dict[str, list[str]] = {}
    tables: dict[str, dict[str, str] | None] = {}  # lang → published table (None: not re-read)
    held = False
    for lang in target_languages(config, article.lang):
        if run.langs and lang not in run.langs:
            continue
        if lang in unpublished:
            _take_down(config, lang, article.slug, report, run.tally)
            continue
        ref = run.store.ref(lang, article.slug, article.lang)
        try:
            data = ref.path.read_bytes()
        except OSError as e:
            report.fail(f"{ref.display}: cannot be read ({e.strerror}); run paragraf update")
            continue
        key = _digest(source_key, data)
        old = old_verdicts.get(lang)
        mo = run.store.mo_path(lang, article.slug)
        if old is not None and old[0] == key and old[1] == "publish" and mo.exists():
            verdicts[lang] = old  # as it was: same verdict, no reading, no checking
            tables[lang] = None
            continue
        try:
            po = catalog.parse_bytes(data, ref.display)
        except CatalogError as e:  # this version keeps what was published; the others go on
            report.fail(e)
            continue
        if run.store.write_mo(ref, po):
            report.say(f"wrote {config.relative(mo)}")
        verdict = _verdict(run, ref, po)
        verdicts[lang] = [key, verdict]
        if verdict == "publish":
            tables[lang] = catalog.published(po)
        held = held or verdict == "held"
    publishing = [lang for lang, (_key, verdict) in verdicts.items() if verdict == "publish"]
    if article.lang not in unpublished:
        publishing.append(article.lang)
    live = [
        lang
        for lang in config.languages
        if lang not in unpublished
        and (lang in publishing or _is_published(config, lang, article.slug))
    ]
    pages: dict[str, str] = {}
    for lang in publishing:
        page_key = _digest(verdicts[lang][0] if lang in verdicts else source_key, ",".join(live))
        pages[lang] = page_key
        outputs = [public_path(config, lang, article.slug, suffix) for suffix in SUFFIXES]
        if old_pages.get(lang) == page_key and all(path.exists() for path in outputs):
            continue  # its inputs are what they were when it was written
        from . import publish  # the renderer and the page template: only when a page is made

        if lang == article.lang:
            version = publish.localize(article, lang, {})
        else:
            table = tables.get(lang)
            if table is None:  # unchanged catalog, but the page must be made again
                table = catalog.published(
                    run.store.read(run.store.ref(lang, article.slug, article.lang))
                )
            version = publish.localize(article, lang, table)
        _write(config, article, version, live, report)
    run.tally.published += sum(1 for lang in publishing if lang != article.lang)
    if held:
        return None
    return {
        "slug": article.slug,
        "langs": target_languages(config, article.lang),
        "published": live,
        "verdicts": verdicts,
        "pages": pages,
    }


def _verdict(run: _Run, ref: CatalogRef, po: polib.POFile) -> str:
    """``publish``, or why not: ``kept``/``waiting`` (below the threshold) or ``held`` (the gate)."""
    config, report = run.store.config, run.report
    counts = catalog.stats(po)
    share = counts.percent_published()
    if share < config.threshold:
        published = _is_published(config, ref.lang, ref.slug)
        run.tally.kept += published
        run.tally.waiting += not published
        what = "kept the published version of" if published else "not publishing"
        report.say(
            f"{what} {ref.lang}/{ref.slug}: {share:.0f}% of the words are publishable"
            f" ({counts.approved} approved and {counts.stale} stale of {counts.total} blocks),"
            f" below the threshold of {config.threshold}%"
        )
        return "kept" if published else "waiting"
    if run.gate:
        from .qa import publish_errors  # the checks: only for a catalog that changed

        errors = publish_errors(po, ref)
        if errors:
            run.tally.held += 1
            listed = "".join(f"\n  {problem}" for problem in errors)
            kept = (
                " (the published version stays as it was)"
                if _is_published(config, ref.lang, ref.slug)
                else ""
            )
            report.fail(
                f"{ref.lang}/{ref.slug}: not published{kept}: {len(errors)} error(s) in approved"
                f" translations; fix them, or publish anyway with 'paragraf compile --force':{listed}"
            )
            return "held"
    return "publish"


def _write(
    config: Config, article: Article, version: Localized, live: list[str], report: Report
) -> None:
    from . import publish

    html = publish.page(version, article.lang, live, article.slug, config.english_variant)
    for suffix, data in ((".md", version.markdown), (".html", html)):
        out = public_path(config, version.lang, article.slug, suffix)
        if write_if_changed(out, data.encode("utf-8")):
            report.say(f"wrote {config.relative(out)}")


def _take_down(config: Config, lang: str, slug: str, report: Report, tally: Tally) -> None:
    """Remove a version its article's front matter lists as unpublished."""
    removed = False
    for suffix in SUFFIXES:
        path = public_path(config, lang, slug, suffix)
        if path.exists():
            path.unlink()
            removed = True
            report.say(
                f"removed {config.relative(path)}: unpublished in the article's front matter"
            )
    tally.down += removed


def _remove_orphans(config: Config, live: set[str], report: Report) -> None:
    """Take down the compiled versions of articles that are gone from ``content/``."""
    for lang in config.languages:
        for path in sorted((config.public_dir / lang).glob("*")):
            if path.suffix in SUFFIXES and path.stem not in live and not _is_redirect(path):
                path.unlink()
                report.say(f"removed {config.relative(path)}: its article is gone")


REDIRECT_MARK = "<!-- paragraf: moved -->"


def _is_redirect(path: Path) -> bool:
    """A page left at an old URL by ``paragraf rename``, pointing to the new one."""
    if path.suffix != ".html":
        return False
    with path.open("rb") as f:
        return REDIRECT_MARK.encode() in f.read(512)
