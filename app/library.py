"""The project's articles and catalogs as the review pages see them.

Every slug and language coming from a URL is checked here against the templates
and catalogs that exist, so no path built from a URL leaves ``translations/``.
Parsed files are cached by their ``os.stat`` (:class:`~app.readcache.StatCache`);
callers must treat what they get as read-only.
"""

from __future__ import annotations

import datetime
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import polib
import yaml

from . import catalog
from .config import Config
from .project import target_languages, template_paths
from .readcache import StatCache

SLUG = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_FRONT_DATE = re.compile(r"^date:[ \t]*(.+?)[ \t]*$", re.MULTILINE)


@dataclass(frozen=True)
class ArticleInfo:
    """What the dashboard shows about an article, from its template (and source's front matter)."""

    slug: str
    title: str
    source_lang: str
    date: str
    source_path: Path | None


def segment_key(msgid: str) -> str:
    """A short, URL-safe name for a segment: a hash of its msgid."""
    return hashlib.blake2b(msgid.encode("utf-8"), digest_size=8).hexdigest()


def _load(path: Path) -> polib.POFile:
    return catalog.load(path)


_catalogs: StatCache[polib.POFile] = StatCache(_load, maxsize=64)
_stats: StatCache[catalog.Stats] = StatCache(lambda p: catalog.stats(catalog.load(p)), 8192)
_templates: StatCache[polib.POFile] = StatCache(_load, maxsize=4096)


def read_catalog(path: Path) -> polib.POFile:
    """The parsed catalog at ``path`` (shared: do not change it)."""
    return _catalogs.get(path)


def catalog_stats(path: Path) -> catalog.Stats:
    """The catalog's counts by state."""
    return _stats.get(path)


def article_slugs(config: Config) -> list[str]:
    """Slugs of the articles that have a template (``messages.pot``, the UI's, is not one)."""
    return [p.stem for p in template_paths(config) if SLUG.fullmatch(p.stem)]


def template_exists(config: Config, slug: str) -> bool:
    """Whether ``slug`` names an article with a template."""
    return bool(SLUG.fullmatch(slug)) and config.template_path(slug).is_file()


def catalog_path(config: Config, lang: str, slug: str) -> Path | None:
    """The catalog of ``slug`` in ``lang`` if both are real and it exists, else None."""
    if lang not in config.languages or not template_exists(config, slug):
        return None
    path = config.catalog_path(lang, slug)
    if not path.is_file():
        return None
    root = config.translations_dir.resolve()
    if not path.resolve().is_relative_to(root):  # a symlink pointing out
        return None
    return path


def article_info(config: Config, slug: str) -> ArticleInfo:
    """Title, source language and date of an article, from its template and source file."""
    template = _templates.get(config.template_path(slug))
    title = slug
    for entry in template:
        if entry.comment.split(", ")[0] == "title":
            title = entry.msgid
            break
    source_path = None
    if len(template) and template[0].occurrences:
        candidate = (config.root / template[0].occurrences[0][0]).resolve()
        if candidate.is_relative_to(config.content_dir.resolve()) and candidate.is_file():
            source_path = candidate
    date = _front_matter_date(source_path) if source_path else ""
    if not date:
        date = template.metadata.get("POT-Creation-Date", "")[:10]
    return ArticleInfo(slug, title, catalog.source_language(template), date, source_path)


def _front_matter_date(path: Path) -> str:
    with path.open("r", encoding="utf-8", errors="replace") as f:
        head = f.read(4096)
    end = head.find("\n---", 3)
    match = _FRONT_DATE.search(head, 0, end if end > 0 else len(head))
    if not match:
        return ""
    try:
        value = yaml.safe_load(match.group(1))
    except yaml.YAMLError:
        return ""
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()[:10]
    return str(value)[:10] if value else ""


def article_languages(config: Config, info: ArticleInfo) -> list[str]:
    """The languages an article is translated into."""
    return target_languages(config, info.source_lang)
