"""Compiling: localized Markdown and HTML articles from the approved translations, and ``.mo`` files.

The Markdown is the source with each block replaced through the segmenter's
:func:`~app.segment.render`, so extraction and compilation can never drift apart.
"""

from __future__ import annotations

import dataclasses
import datetime
from functools import lru_cache
from pathlib import Path

import nh3
import polib
from babel import Locale
from babel.dates import format_date
from jinja2 import Environment, PackageLoader, select_autoescape
from markdown_it import MarkdownIt
from markupsafe import Markup
from mdit_py_plugins.footnote import footnote_plugin

from . import catalog
from .config import Config
from .errors import ParagrafError
from .fsutil import write_if_changed
from .project import Report, Stamps, article_paths, load_articles, target_languages
from .qa import publish_errors
from .segment import TRANSLATABLE_META, Article, body, render

_TAGS = set(nh3.ALLOWED_TAGS) | {"section", "mark"}
_ATTRIBUTES = {
    **{tag: set(attrs) for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items()},
    "*": {"id", "lang", "dir"},
}
for _tag, _extra in {"a": {"title"}, "img": {"title"}, "th": {"style"}, "td": {"style"}}.items():
    _ATTRIBUTES[_tag] = _ATTRIBUTES.get(_tag, set()) | _extra  # titles, table column alignment
_MARK_CLASSES = {"mark": {"draft", "untranslated"}}


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    return MarkdownIt("commonmark").use(footnote_plugin).enable("table")


def article_html(markdown_text: str) -> str:
    """An article's Markdown body as HTML, sanitized with nh3.

    Raw HTML in a source or a translation is kept where it is harmless and dropped where
    it could run (scripts, event handlers, ``javascript:`` links): a translation is text
    from a person or a machine, never trusted markup. The review UI's preview shares it.
    """
    return nh3.clean(
        _markdown().render(markdown_text),
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        allowed_classes=_MARK_CLASSES,
        filter_style_properties={"text-align"},
    )


@lru_cache(maxsize=1)
def _pages() -> Environment:
    return Environment(
        loader=PackageLoader("app", "templates/build"),
        autoescape=select_autoescape(default=True),
        keep_trailing_newline=True,
    )


def native_name(lang: str) -> str:
    """The language's name in itself, capitalized as in a menu: "English", "Türkçe", "Русский"."""
    name = Locale.parse(lang).get_display_name(lang) or lang
    return name[:1].upper() + name[1:]


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
    """Write ``build/<lang>/<slug>.md`` and ``.html`` for every article, and every ``.mo`` file.

    A version whose approved translations have quality errors is not published unless ``force``.
    """
    if threshold is not None:
        config = dataclasses.replace(config, threshold=threshold)
    report = Report()
    stamps = Stamps(config, "compile-force" if force else "compile")
    gate = None if force else Gate(config)
    changed: list[Path] = []
    known: dict[str, Path] = {}
    for path in article_paths(config):
        key = config.relative(path)
        info = stamps.info(key)
        if info and stamps.fresh(key, _inputs_and_outputs(config, path, info)):
            known[info["slug"]] = path
        else:
            changed.append(path)
    held_back = 0
    articles = load_articles(config, report, changed, known)
    every_article_read = not report.errors  # else a slug might belong to an unreadable file
    live = set(known) | {article.slug for article in articles}
    for article in articles:
        try:
            published, refused = _compile_article(config, article, report, gate)
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
            config.relative(article.path), _inputs_and_outputs(config, article.path, info), **info
        )
    stamps.save()
    if every_article_read:
        _remove_orphans(config, live, report)
    report.say(
        f"compile: {len(changed) - held_back} article(s) compiled,"
        f" {held_back} held back by the quality checks, {len(known)} unchanged"
    )
    return report


def _inputs_and_outputs(config: Config, path: Path, info: dict) -> list[Path]:
    slug = info["slug"]
    files = [path]
    for lang in info["langs"]:
        po = config.catalog_path(lang, slug)
        files += [po, po.with_suffix(".mo")]
    for lang in info["published"]:
        files += [config.build_dir / lang / f"{slug}.md", config.build_dir / lang / f"{slug}.html"]
    return files


class Gate:
    """The quality gate: errors in approved translations keep a version from being published."""

    def __init__(self, config: Config) -> None:
        self.config = config

    def refuses(self, po: polib.POFile, lang: str, slug: str, report: Report) -> bool:
        """Report the errors of ``po``'s approved entries; True if there are any."""
        path = self.config.catalog_path(lang, slug)
        errors = publish_errors(po, path, self.config, lang)
        if errors:
            listed = "".join(f"\n  {problem}" for problem in errors)
            report.fail(
                f"{lang}/{slug}: not published: {len(errors)} error(s) in approved translations;"
                f" fix them, or publish anyway with 'paragraf compile --force':{listed}"
            )
        return bool(errors)


def _remove_orphans(config: Config, live: set[str], report: Report) -> None:
    """Take down the compiled versions of articles that are gone from ``content/``."""
    for lang in config.languages:
        for path in sorted((config.build_dir / lang).glob("*")):
            if path.suffix in (".md", ".html") and path.stem not in live:
                path.unlink()
                report.say(f"removed {config.relative(path)}: its article is gone")


def _unpublish(config: Config, lang: str, slug: str, report: Report) -> None:
    """Remove a version that may no longer be published."""
    for suffix in (".md", ".html"):
        stale = config.build_dir / lang / f"{slug}{suffix}"
        if stale.exists():
            stale.unlink()
            report.say(f"removed {config.relative(stale)}")


def _compile_article(
    config: Config, article: Article, report: Report, gate: Gate | None
) -> tuple[list[str], bool]:
    """Compile one article; return the languages whose versions were written, and whether any was refused."""
    langs = target_languages(config, article.lang)
    catalogs = {}
    for lang in langs:
        path = config.catalog_path(lang, article.slug)
        catalogs[lang] = catalog.load(path, display=config.relative(path))
    for lang, po in catalogs.items():
        mo = config.catalog_path(lang, article.slug).with_suffix(".mo")
        if write_if_changed(mo, po.to_binary()):
            report.say(f"wrote {config.relative(mo)}")
    localized = {article.lang: (article.source, article.meta)}
    refused = False
    for lang, po in catalogs.items():
        counts = catalog.stats(po)
        percent = counts.percent_approved()
        if percent < config.threshold:
            report.say(
                f"skipped {lang}/{article.slug}: {percent:.0f}% approved"
                f" ({counts.approved} of {counts.total} blocks), below the threshold of {config.threshold}%"
            )
            _unpublish(config, lang, article.slug, report)
            continue
        if gate is not None and gate.refuses(po, lang, article.slug, report):
            refused = True
            _unpublish(config, lang, article.slug, report)
            continue
        translations = approved_translations(po)
        text = render(article, lambda block, t=translations: t.get(block.text), lang=lang)
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
            out = config.build_dir / lang / f"{article.slug}{suffix}"
            if write_if_changed(out, data.encode("utf-8")):
                report.say(f"wrote {config.relative(out)}")
    return published, refused
