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
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import polib

from . import publish
from .config import Config
from .errors import CatalogError, ParagrafError
from .fsutil import write_if_changed
from .markdown.blocks import Article
from .po import catalog
from .po.store import CatalogRef, Store
from .project import Report, Stamps, article_paths, load_articles, target_languages
from .qa import publish_errors

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
    articles = load_articles(config, report, changed, known)
    every_article_read = not report.errors  # else a slug might belong to an unreadable file
    live = set(known) | {article.slug for article in articles}
    run.tally.unchanged = len(known)
    for article in articles:
        if wanted_slugs and article.slug not in wanted_slugs:
            continue
        try:
            record = _compile_article(run, article)
        except ParagrafError as e:
            report.fail(e)
            continue
        if record is not None:  # None: held back, so that a rerun refuses again
            stamps.record(
                config.relative(article.path), _files(store, article.path, record), **record
            )
    stamps.save()
    if every_article_read and not wanted_slugs:
        _remove_orphans(config, live, report)
    report.say(run.tally.summary())
    return report


def public_path(config: Config, lang: str, slug: str, suffix: str) -> Path:
    """Where a version's compiled file goes."""
    return config.public_dir / lang / f"{slug}{suffix}"


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


def _compile_article(run: _Run, article: Article) -> dict | None:
    """Compile one article; the stamp info, or None if a version was held back."""
    config, report = run.store.config, run.report
    run.tally.articles += 1
    unpublished = set(article.meta.get("unpublished", []))
    new: dict[str, publish.Localized] = {}
    held = False
    for lang in target_languages(config, article.lang):
        if run.langs and lang not in run.langs:
            continue
        if lang in unpublished:
            _take_down(config, lang, article.slug, report, run.tally)
            continue
        ref = run.store.ref(lang, article.slug, article.lang)
        try:
            po = run.store.read(ref)
        except CatalogError as e:  # this version keeps what was published; the others go on
            report.fail(e)
            continue
        if run.store.write_mo(ref, po):
            report.say(f"wrote {config.relative(run.store.mo_path(lang, article.slug))}")
        verdict = _verdict(run, ref, po)
        if verdict == "publish":
            new[lang] = publish.localize(article, lang, catalog.published(po))
        held = held or verdict == "held"
    if article.lang not in unpublished:
        new[article.lang] = publish.localize(article, article.lang, {})
    live = [
        lang
        for lang in config.languages
        if lang not in unpublished and (lang in new or _is_published(config, lang, article.slug))
    ]
    for lang, version in new.items():
        _write(config, article, version, live, report)
        run.tally.published += lang != article.lang
    if held:
        return None
    return {
        "slug": article.slug,
        "langs": target_languages(config, article.lang),
        "published": live,
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
    config: Config, article: Article, version: publish.Localized, live: list[str], report: Report
) -> None:
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
