"""Compiling: localized Markdown and HTML articles from the approved translations, and ``.mo`` files.

The Markdown is the source with each block replaced through
:func:`app.markdown.blocks.render`, so extraction and compilation can never drift apart.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

import polib
from babel.dates import format_date
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from .config import Config
from .errors import ParagrafError
from .fsutil import write_if_changed
from .langs import native_name
from .markdown.blocks import TRANSLATABLE_META, Article, Block, body, render
from .markdown.html import article_html
from .po import catalog
from .po.store import CatalogRef, Store
from .project import Report, Stamps, article_paths, load_articles, target_languages
from .qa import publish_errors


@lru_cache(maxsize=1)
def _pages() -> Environment:
    return Environment(
        loader=PackageLoader("app", "templates"),
        autoescape=select_autoescape(default=True),
        keep_trailing_newline=True,
    )


def approved_translations(po: polib.POFile) -> dict[str, str]:
    """msgid → msgstr of the approved entries."""
    return {e.msgid: e.msgstr for e in po if catalog.is_approved(e)}


def html_page(markdown_text: str, meta: dict, lang: str, langs: list[str], slug: str) -> str:
    """A whole HTML page for a localized article, with a switcher to the versions in ``langs``."""
    html = article_html(body(markdown_text))
    date = meta.get("date")
    date_text = date_iso = ""
    if isinstance(date, datetime.date):
        date_text = format_date(date, format="long", locale=lang)
        date_iso = date.isoformat()
    elif date:
        date_text = date_iso = str(date)
    versions = [
        {"lang": other, "name": native_name(other), "href": f"../{other}/{slug}.html"}
        for other in langs
    ]
    return (
        _pages()
        .get_template("article.html")
        .render(
            lang=lang,
            title=meta.get("title", slug),
            summary=meta.get("summary", ""),
            author=meta.get("author", ""),
            date=date_text,
            date_iso=date_iso,
            versions=versions,
            body=Markup(html),
        )
    )


def compile_all(config: Config, *, threshold: int | None = None, force: bool = False) -> Report:
    """Write ``public/<lang>/<slug>.md`` and ``.html`` for every article, and every ``.mo`` file.

    A version whose approved translations have quality errors is not published unless ``force``.
    """
    if threshold is not None:
        config = dataclasses.replace(config, threshold=threshold)
    report = Report()
    store = Store(config)
    stamps = Stamps(config, "compile-force" if force else "compile")
    changed: list[Path] = []
    known: dict[str, Path] = {}
    for path in article_paths(config, report):
        key = config.relative(path)
        info = stamps.info(key)
        if info and stamps.fresh(key, _inputs_and_outputs(store, path, info)):
            known[info["slug"]] = path
        else:
            changed.append(path)
    held_back = 0
    articles = load_articles(config, report, changed, known)
    every_article_read = not report.errors  # else a slug might belong to an unreadable file
    live = set(known) | {article.slug for article in articles}
    for article in articles:
        try:
            published, refused = _compile_article(store, article, report, gate=not force)
        except ParagrafError as e:
            report.fail(e)
            continue
        if refused:  # not recorded: a rerun must refuse again
            held_back += 1
            continue
        info = {
            "slug": article.slug,
            "langs": target_languages(config, article.lang),
            "published": published,
        }
        stamps.record(
            config.relative(article.path), _inputs_and_outputs(store, article.path, info), **info
        )
    stamps.save()
    if every_article_read:
        _remove_orphans(config, live, report)
    report.say(
        f"compile: {len(changed) - held_back} article(s) compiled,"
        f" {held_back} held back by the quality checks, {len(known)} unchanged"
    )
    return report


def _public_path(config: Config, lang: str, slug: str, suffix: str) -> Path:
    return config.public_dir / lang / f"{slug}{suffix}"


def _inputs_and_outputs(store: Store, path: Path, info: dict) -> list[Path]:
    slug = info["slug"]
    files = [path]
    for lang in info["langs"]:
        files += [store.catalog_path(lang, slug), store.mo_path(lang, slug)]
    for lang in info["published"]:
        files += [_public_path(store.config, lang, slug, suffix) for suffix in (".md", ".html")]
    return files


def _refused(po: polib.POFile, ref: CatalogRef, report: Report) -> bool:
    """The quality gate: report the errors of ``po``'s approved entries; True if there are any."""
    errors = publish_errors(po, ref)
    if errors:
        listed = "".join(f"\n  {problem}" for problem in errors)
        report.fail(
            f"{ref.lang}/{ref.slug}: not published: {len(errors)} error(s) in approved translations;"
            f" fix them, or publish anyway with 'paragraf compile --force':{listed}"
        )
    return bool(errors)


def _remove_orphans(config: Config, live: set[str], report: Report) -> None:
    """Take down the compiled versions of articles that are gone from ``content/``."""
    for lang in config.languages:
        for path in sorted((config.public_dir / lang).glob("*")):
            if path.suffix in (".md", ".html") and path.stem not in live:
                path.unlink()
                report.say(f"removed {config.relative(path)}: its article is gone")


def _unpublish(config: Config, lang: str, slug: str, report: Report) -> None:
    """Remove a version that may no longer be published."""
    for suffix in (".md", ".html"):
        stale = _public_path(config, lang, slug, suffix)
        if stale.exists():
            stale.unlink()
            report.say(f"removed {config.relative(stale)}")


def _lookup(translations: dict[str, str]) -> Callable[[Block], str | None]:
    """The render lookup of a table of translations by msgid."""
    return lambda block: translations.get(block.text)


def _compile_article(
    store: Store, article: Article, report: Report, *, gate: bool
) -> tuple[list[str], bool]:
    """Compile one article; return the languages whose versions were written, and whether any was refused."""
    config = store.config
    catalogs = []
    for lang in target_languages(config, article.lang):
        ref = store.ref(lang, article.slug, article.lang)
        catalogs.append((ref, store.read(ref)))
    for ref, po in catalogs:
        if store.write_mo(ref, po):
            report.say(f"wrote {config.relative(store.mo_path(ref.lang, ref.slug))}")
    localized = {article.lang: (article.source, article.meta)}
    refused = False
    for ref, po in catalogs:
        lang = ref.lang
        counts = catalog.stats(po)
        percent = counts.percent_approved()
        if percent < config.threshold:
            report.say(
                f"skipped {lang}/{article.slug}: {percent:.0f}% approved"
                f" ({counts.approved} of {counts.total} blocks), below the threshold of {config.threshold}%"
            )
            _unpublish(config, lang, article.slug, report)
            continue
        if gate and _refused(po, ref, report):
            refused = True
            _unpublish(config, lang, article.slug, report)
            continue
        translations = approved_translations(po)
        text = render(article, _lookup(translations), lang=lang)
        meta = dict(article.meta, lang=lang)
        for key in TRANSLATABLE_META:
            if key in meta:
                meta[key] = translations.get(" ".join(meta[key].split()), meta[key])
        localized[lang] = (text, meta)
    published = [lang for lang in config.languages if lang in localized]
    for lang in published:
        text, meta = localized[lang]
        for suffix, data in (
            (".md", text),
            (".html", html_page(text, meta, lang, published, article.slug)),
        ):
            out = _public_path(config, lang, article.slug, suffix)
            if write_if_changed(out, data.encode("utf-8")):
                report.say(f"wrote {config.relative(out)}")
    return published, refused
