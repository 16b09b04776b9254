"""What a version of an article publishes: its Markdown, its front matter, its HTML page.

Each block gets its approved translation, else its *stale* one (the last approved
translation of a block whose source changed since, until a person approves a new
one), else the source text; a block published in the source language keeps its
language in the HTML (``<span lang="en">``), so a reader, a screen reader and
hyphenation know. The compile verb writes what this module makes; the review UI's
preview shows it, so what a reviewer sees is what readers will get.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from babel.dates import format_date
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from .langs import date_locale, native_name
from .markdown.blocks import Article, Block, body, render
from .markdown.html import article_html

# Private-use characters that mark, in the Markdown rendered to HTML, the blocks
# published in the source language (and the preview's drafts); stripped from every text first.
_OPEN, _CLOSE, _DRAFT, _CLOSE_DRAFT = "\ue010", "\ue011", "\ue012", "\ue013"
_SENTINELS = str.maketrans("", "", _OPEN + _CLOSE + _DRAFT + _CLOSE_DRAFT)


@dataclass(frozen=True)
class Localized:
    """One language version of an article."""

    lang: str
    markdown: str  # the published Markdown: every byte outside the blocks is the source's
    meta: dict[str, Any]
    body_html: str  # the sanitized HTML of the body, source-language blocks marked
    fallback: frozenset[str] = field(default_factory=frozenset)  # front-matter keys in the source


def localize(
    article: Article, lang: str, table: Mapping[str, str], drafts: Mapping[str, str] | None = None
) -> Localized:
    """The version of ``article`` in ``lang`` from ``table`` (msgid → published text).

    ``drafts`` (msgid → text), if given, are blocks the HTML shows marked as drafts (the
    review UI's preview); the Markdown is always what compile publishes.
    """
    drafts = drafts or {}
    if lang == article.lang:
        return Localized(lang, article.source, dict(article.meta), _html(article.source))
    markdown = render(article, lambda block: table.get(block.text), lang=lang)
    source = article.lang

    def marked(block: Block) -> str | None:
        draft = drafts.get(block.text)
        if draft is not None:
            return _DRAFT + draft.translate(_SENTINELS) + _CLOSE_DRAFT
        text = table.get(block.text)
        if text is not None:
            return text.translate(_SENTINELS)
        return _OPEN + block.text.translate(_SENTINELS) + _CLOSE

    html_markdown = render(article, marked, lang=lang)
    meta = dict(article.meta, lang=lang)
    fallback = set()
    for block in article.blocks:
        if block.meta:
            translated = drafts.get(block.text, table.get(block.text))
            meta[block.kind] = translated if translated is not None else article.meta[block.kind]
            if translated is None:
                fallback.add(block.kind)
    body_html = (
        _html(html_markdown)
        .replace(_OPEN, f'<span lang="{source}">')
        .replace(_CLOSE, "</span>")
        .replace(_DRAFT, '<mark class="draft">')
        .replace(_CLOSE_DRAFT, "</mark>")
    )
    return Localized(lang, markdown, meta, body_html, frozenset(fallback))


def _html(markdown_text: str) -> str:
    return article_html(body(markdown_text))


@lru_cache(maxsize=1)
def _pages() -> Environment:
    return Environment(
        loader=PackageLoader("app", "templates"),
        autoescape=select_autoescape(default=True),
        keep_trailing_newline=True,
    )


def dated(meta: Mapping[str, Any], lang: str, english_variant: str) -> tuple[str, str]:
    """The front matter's date as the version's readers write it, and in ISO form ("" if none)."""
    date = meta.get("date")
    if not isinstance(date, datetime.date):
        return "", ""
    return format_date(date, format="long", locale=date_locale(lang, english_variant)), (
        date.isoformat()
    )


def page(
    version: Localized, source_lang: str, langs: list[str], slug: str, english_variant: str
) -> str:
    """A whole HTML page for a version, with a switcher to the versions in ``langs``."""
    meta = version.meta
    date_text, date_iso = dated(meta, version.lang, english_variant)
    versions = [
        {"lang": other, "name": native_name(other), "href": f"../{other}/{slug}.html"}
        for other in langs
    ]
    return (
        _pages()
        .get_template("article.html")
        .render(
            lang=version.lang,
            source_lang=source_lang,
            fallback=version.fallback,
            title=meta.get("title", slug),
            summary=meta.get("summary", ""),
            author=meta.get("author", ""),
            date=date_text,
            date_iso=date_iso,
            versions=versions,
            body=Markup(version.body_html),
        )
    )
