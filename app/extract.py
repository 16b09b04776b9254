"""Extraction: articles to per-article templates, and the Babel extraction method.

``paragraf extract`` and ``pybabel extract -F babel.cfg`` find the same messages,
since both go through :func:`app.markdown.blocks.parse_article`.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator, Mapping
from pathlib import Path
from typing import IO, Any

import polib

from .config import Config
from .markdown.blocks import Article, parse_article
from .po import catalog
from .po.store import Store
from .project import Report, Stamps, article_paths, load_articles

_CREATION = re.compile(rb'^"POT-Creation-Date: ([^\\"]*)\\n"$', re.MULTILINE)


def extract_markdown(
    fileobj: IO[bytes],
    keywords: Mapping[str, Any],
    comment_tags: Collection[str],
    options: dict[str, Any],
) -> Iterator[tuple[int, str | None, str, list[str]]]:
    """Babel extraction method: yield ``(line, None, msgid, [block kind])`` for each block."""
    name = getattr(fileobj, "name", "<article>")
    article = parse_article(fileobj.read().decode("utf-8"), path=Path(name))
    for block in article.blocks:
        yield block.line, None, block.text, [block.kind]


def template(article: Article, config: Config, *, creation: str) -> polib.POFile:
    """The POT of ``article``: one entry per distinct block text, with every occurrence."""
    pot = polib.POFile(wrapwidth=catalog.WRAP_WIDTH)
    pot.header = f"Translations template for {article.slug}."
    pot.metadata = catalog.header(
        article.slug,
        source_lang=article.lang,
        lang=None,
        creation=creation,
        revision="",
    )
    where = config.relative(article.path)
    entries: dict[str, polib.POEntry] = {}
    for block in article.blocks:
        entry = entries.get(block.text)
        if entry is None:
            entry = entries[block.text] = polib.POEntry(msgid=block.text, comment=block.kind)
            pot.append(entry)
        elif block.kind not in entry.comment.split(", "):
            entry.comment += f", {block.kind}"
        entry.occurrences.append((where, str(block.line)))
    return pot


def _creation_date(path: Path) -> str | None:
    """The POT-Creation-Date of an existing template, read without parsing it."""
    try:
        with path.open("rb") as f:
            head = f.read(2048)
    except FileNotFoundError:
        return None
    match = _CREATION.search(head)
    return match.group(1).decode() if match else None


def write_template(article: Article, store: Store) -> bool:
    """Write the article's template if its messages changed; keep the old creation date otherwise."""
    old_date = _creation_date(store.template_path(article.slug))
    pot = template(article, store.config, creation=old_date or catalog.now_stamp())
    return store.save_template(article.slug, pot, stamp=old_date is not None)


def extract_all(config: Config) -> Report:
    """Write ``translations/templates/<slug>.pot`` for every article whose source changed."""
    report = Report()
    store = Store(config)
    stamps = Stamps(config, "extract")
    known: dict[str, Path] = {}
    changed: list[Path] = []
    for path in article_paths(config, report):
        key = config.relative(path)
        slug = stamps.info(key).get("slug")
        if slug and stamps.fresh(key, [path, store.template_path(slug)]):
            known[slug] = path
        else:
            changed.append(path)
    written = 0
    for article in load_articles(config, report, changed, known):
        path = store.template_path(article.slug)
        if write_template(article, store):
            written += 1
            report.say(f"wrote {config.relative(path)}")
        stamps.record(config.relative(article.path), [article.path, path], slug=article.slug)
    stamps.save()
    report.say(f"extract: {written} template(s) written, {len(stamps.current) - written} unchanged")
    if not report.errors:
        live = {record["info"]["slug"] for record in stamps.current.values()}
        for orphan in (slug for slug in store.slugs() if slug not in live):
            report.say(
                f"{config.relative(store.template_path(orphan))}: its article is gone; the template and its catalogs are"
                f" kept (translations are never deleted): remove them by hand if the article is not coming back"
            )
    return report
