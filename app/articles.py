"""An article's life after it is written: renamed, retired, unpublished and published again.

- :func:`rename` moves everything an article owns to a new slug: its source (the file,
  or the ``slug:`` of its front matter), template, catalogs, history, the memory's
  origins and its published pages; the old page answers with a pointer to the new one.
- :func:`remove` retires an article whose source is gone: its pages go down, its
  template goes, its catalogs stay with every entry obsolete (so nothing is lost, and
  an article that comes back under the slug gets its translations again).
- :func:`unpublish` takes versions down on purpose, by listing their languages in the
  article's ``unpublished`` front-matter key (so every clone agrees), and
  :func:`publish` lists them no more.
"""

from __future__ import annotations

import os
import sqlite3
from html import escape
from pathlib import Path

from . import db
from .build import REDIRECT_MARK, SUFFIXES, public_path
from .config import Config
from .errors import ParagrafError
from .fsutil import write_atomic
from .markdown import frontmatter
from .markdown.blocks import read_article
from .po.store import SLUG, Store
from .project import Report, article_paths, target_languages


class ArticleError(ParagrafError):
    """An article cannot be renamed, removed or (un)published as asked."""


def find_source(config: Config, slug: str, report: Report | None = None) -> Path | None:
    """The content file of the article with ``slug``, if there is one."""
    for path in article_paths(config, report or Report()):
        try:
            if read_article(path, translatable=()).slug == slug:
                return path
        except ParagrafError:
            continue
    return None


def rename(config: Config, old: str, new: str) -> Report:
    """Give the article ``old`` the slug ``new``, keeping everything it owns."""
    report = Report()
    store = Store(config)
    if not SLUG.fullmatch(new):
        raise ArticleError(f"{new!r}: a slug is letters, digits, '.', '_' or '-'")
    if old == new:
        raise ArticleError(f"{old!r}: the new slug is the old one")
    if not store.has_template(old):
        raise ArticleError(f"{old!r}: no such article template; see 'paragraf status'")
    if store.has_template(new):
        raise ArticleError(f"{new!r}: an article with this slug exists already")
    _move_source(config, old, new, report)
    source_lang = store.source_language(old)
    for lang in store.targets(source_lang):
        ref, target = store.ref(lang, old, source_lang), store.ref(lang, new, source_lang)
        with store.lock(ref), store.lock(target):
            for before, after in (
                (ref.path, target.path),
                (store.mo_path(lang, old), store.mo_path(lang, new)),
            ):
                if before.exists():
                    os.replace(before, after)
                    report.say(f"moved {config.relative(before)} to {config.relative(after)}")
    os.replace(store.template_path(old), store.template_path(new))
    _move_records(config, old, new)
    report.say(
        f"moved the history, the offers, the comments, the assignments and the memory's pairs of {old} to {new}"
    )
    _move_pages(config, old, new, report)
    report.say(f"rename: {old} is now {new}; run 'paragraf extract' and 'paragraf update'")
    return report


def _move_source(config: Config, old: str, new: str, report: Report) -> None:
    """Rename the article's file, or the ``slug:`` of its front matter; fine if already done."""
    path = find_source(config, old)
    if path is None:
        if find_source(config, new) is None:
            raise ArticleError(
                f"no article in {config.relative(config.content_dir)} has the slug {old!r} or"
                f" {new!r}; rename its file to {new}.md first, or set 'slug: {new}'"
            )
        return  # the editor renamed the file already
    article = read_article(path, translatable=())
    if "slug" in article.meta:
        _set_front_matter(path, "slug", new)
        report.say(f"set 'slug: {new}' in {config.relative(path)}")
        return
    target = path.with_name(f"{new}.md")
    if target.exists():
        raise ArticleError(f"{config.relative(target)} exists already")
    os.replace(path, target)
    report.say(f"moved {config.relative(path)} to {config.relative(target)}")


def _move_records(config: Config, old: str, new: str) -> None:
    db.init_schema(db.db_path(config.instance_dir))
    conn = db.connect(db.db_path(config.instance_dir))
    try:
        with conn:
            for table in ("history", "offers", "comments"):
                conn.execute(f"UPDATE {table} SET slug = ? WHERE slug = ?", (new, old))
            # a retired article of the new name left none; the moved ones win if it did
            conn.execute("UPDATE OR REPLACE assignments SET slug = ? WHERE slug = ?", (new, old))
            try:
                conn.execute("UPDATE tm_pair SET origin = ? WHERE origin = ?", (new, old))
            except sqlite3.OperationalError:  # no memory yet
                pass
    finally:
        conn.close()


def _drop_assignments(config: Config, slug: str) -> int:
    """Forget who was to work on a retired article; return how many assignments it had."""
    path = db.db_path(config.instance_dir)
    if not path.exists():
        return 0
    db.init_schema(path)
    conn = db.connect(path)
    try:
        with conn:
            return conn.execute("DELETE FROM assignments WHERE slug = ?", (slug,)).rowcount
    finally:
        conn.close()


def _move_pages(config: Config, old: str, new: str, report: Report) -> None:
    """Move the published pages; leave at each old URL a page pointing to the new one."""
    for lang in config.languages:
        for suffix in SUFFIXES:
            before, after = (
                public_path(config, lang, old, suffix),
                public_path(config, lang, new, suffix),
            )
            if not before.exists():
                continue
            data = before.read_text(encoding="utf-8")
            if suffix == ".html":
                data = data.replace(f"/{old}.html", f"/{new}.html")
            write_atomic(after, data.encode("utf-8"))
            if suffix == ".html":
                write_atomic(before, _redirect(new).encode("utf-8"))
                report.say(
                    f"moved {config.relative(before)} to {config.relative(after)}; the old URL points there"
                )
            else:
                before.unlink()


def _redirect(new: str) -> str:
    href = escape(f"{new}.html")
    return (
        f'<!doctype html>\n{REDIRECT_MARK}\n<html><head><meta charset="utf-8">\n'
        f'<meta http-equiv="refresh" content="0; url={href}">\n'
        f'<link rel="canonical" href="{href}">\n<title>Moved</title></head>\n'
        f'<body><p>This article has moved: <a href="{href}">{href}</a>.</p></body></html>\n'
    )


def remove(config: Config, slug: str) -> Report:
    """Retire the article ``slug`` whose source is gone: pages down, catalogs kept obsolete."""
    report = Report()
    store = Store(config)
    if not store.has_template(slug):
        raise ArticleError(f"{slug!r}: no such article template; see 'paragraf status'")
    path = find_source(config, slug)
    if path is not None:
        raise ArticleError(
            f"{config.relative(path)} still holds the article {slug!r}; delete it first"
            f" (git rm {config.relative(path)}), then remove the article"
        )
    source_lang = store.source_language(slug)
    for lang in store.targets(source_lang):
        ref = store.ref(lang, slug, source_lang)
        if not store.exists(ref):
            continue
        with store.lock(ref):
            po = store.read(ref)
            for entry in po:
                entry.obsolete = True
            store.save(ref, po)
        store.mo_path(lang, slug).unlink(missing_ok=True)
        report.say(f"kept {ref.display} with every entry obsolete")
    for lang in config.languages:
        for suffix in SUFFIXES:
            page = public_path(config, lang, slug, suffix)
            if page.exists():
                page.unlink()
                report.say(f"removed {config.relative(page)}")
    store.template_path(slug).unlink()
    if _drop_assignments(config, slug):
        report.say(f"removed the assignments of {slug}")
    report.say(f"remove: {slug} is retired; its translations stay in its catalogs")
    return report


def unpublish(config: Config, slug: str, langs: tuple[str, ...] = ()) -> Report:
    """Take versions of ``slug`` down now and list them in its ``unpublished`` front matter."""
    return _set_published(config, slug, langs, published=False)


def publish(config: Config, slug: str, langs: tuple[str, ...] = ()) -> Report:
    """List versions of ``slug`` as unpublished no more (``paragraf compile`` puts them up)."""
    return _set_published(config, slug, langs, published=True)


def _set_published(config: Config, slug: str, langs: tuple[str, ...], *, published: bool) -> Report:
    report = Report()
    path = find_source(config, slug)
    if path is None:
        raise ArticleError(
            f"{slug!r}: no article with this slug in {config.relative(config.content_dir)}"
        )
    article = read_article(path, translatable=())
    every = [article.lang, *target_languages(config, article.lang)]
    chosen = list(langs) or every
    strangers = [lang for lang in chosen if lang not in every]
    if strangers:
        raise ArticleError(
            f"--lang {strangers[0]!r}: {slug} has no version in it; use one of {', '.join(every)}"
        )
    listed = list(article.meta.get("unpublished", []))
    if published:
        listed = [lang for lang in listed if lang not in chosen]
    else:
        listed += [lang for lang in chosen if lang not in listed]
    _set_front_matter(path, "unpublished", listed or None)
    report.say(f"{config.relative(path)}: unpublished: [{', '.join(listed)}]")
    if not published:
        for lang in chosen:
            for suffix in SUFFIXES:
                page = public_path(config, lang, slug, suffix)
                if page.exists():
                    page.unlink()
                    report.say(f"removed {config.relative(page)}")
    else:
        report.say("run 'paragraf compile' to publish them")
    return report


def _set_front_matter(path: Path, key: str, value: str | list[str] | None) -> None:
    """Set (or, with None, remove) a top-level front-matter key, keeping every other byte."""
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    _meta, end = frontmatter.parse(lines, str(path))
    rendered = f"[{', '.join(value)}]" if isinstance(value, list) else value
    span = frontmatter.value_span(key, lines, starts, end)
    if span is not None:
        start, stop = span
        line_start = text.rfind("\n", 0, start) + 1
        if rendered is None:
            text = text[:line_start] + text[stop:].removeprefix("\r").removeprefix("\n")
        else:
            text = text[:start] + f" {rendered}" + text[stop:]
    elif rendered is not None:
        newline = "\r\n" if "\r\n" in text else "\n"
        closing = starts[end - 1]
        text = text[:closing] + f"{key}: {rendered}{newline}" + text[closing:]
    write_atomic(path, text.encode("utf-8"))
