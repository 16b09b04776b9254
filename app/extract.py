"""Extraction: articles to per-article templates, and the Babel extraction method.

``paragraf extract`` and ``pybabel extract -F babel.cfg`` find the same messages,
since both go through :func:`app.markdown.blocks.parse_article`.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO, Any

import polib

from . import parallel
from .config import Config
from .errors import ParagrafError
from .markdown.blocks import Article, parse_article
from .po import catalog
from .po.store import Store
from .project import Report, Stamps, article_paths, claim_slugs, read

RENAME_SHARE = 0.6  # blocks a new article shares with a vanished one to be called its rename
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


def write_template(article: Article, store: Store, *, check: bool = False) -> bool:
    """Write the article's template if its messages changed; keep the old creation date otherwise."""
    old_date = _creation_date(store.template_path(article.slug))
    pot = template(article, store.config, creation=old_date or catalog.now_stamp())
    return store.save_template(article.slug, pot, stamp=old_date is not None, check=check)


def extract_all(config: Config, *, check: bool = False, slugs: Iterable[str] = ()) -> Report:
    """Write ``translations/templates/<slug>.pot`` for every article whose source changed.

    With ``check`` nothing is written and the report counts what would change;
    ``slugs`` limits the run to those articles.
    """
    report = Report()
    store = Store(config)
    stamps = Stamps(config, "extract")
    wanted = set(slugs)
    known: dict[str, Path] = {}
    changed: list[Path] = []
    for path in article_paths(config, report):
        key = config.relative(path)
        slug = stamps.info(key).get("slug")
        if slug and (
            wanted and slug not in wanted or stamps.fresh(key, [path, store.template_path(slug)])
        ):
            known[slug] = path
            stamps.carry(key)
        else:
            changed.append(path)
    claimed = [
        (path, slug)
        for path, slug in claim_slugs(config, report, changed, known)
        if not wanted or slug in wanted
    ]
    slugs = {slug for _path, slug in claimed}
    if wanted - slugs - set(known):
        report.fail(
            f"--article {sorted(wanted - slugs - set(known))[0]!r}: no such article in content/"
        )
    vanished = [slug for slug in store.slugs() if slug not in known and slug not in slugs]
    written = 0
    for chunk in parallel.run(
        _write_chunk, [path for path, _slug in claimed], config, check, vanished
    ):
        for done in chunk:
            if isinstance(done, str):
                report.fail(done)
                continue
            key, record, wrote, shown = done
            if wrote:
                written += 1
                report.changed += 1
                report.say(f"{'would write' if check else 'wrote'} {shown}")
            stamps.current[key] = record
    if not check:
        stamps.save()
    verb = "would be written" if check else "written"
    report.say(f"extract: {written} template(s) {verb}, {len(stamps.current) - written} unchanged")
    if not report.errors and not wanted:
        live = {record["info"]["slug"] for record in stamps.current.values()}
        for orphan in (slug for slug in store.slugs() if slug not in live):
            report.say(
                f"{config.relative(store.template_path(orphan))}: its article is gone; its template"
                f" and catalogs are kept: run 'paragraf remove {orphan}' to retire it, or"
                f" 'paragraf rename {orphan} NEW' if its file was renamed"
            )
    return report


def _write_chunk(
    paths: list[Path], config: Config, check: bool, vanished: list[str]
) -> list[tuple[str, dict, bool, str] | str]:
    """Read some articles and write their templates (in a worker, or here): for each, its
    stamp record and whether it was written, or the error that stopped it."""
    store = Store(config)
    out: list[tuple[str, dict, bool, str] | str] = []
    for source in paths:
        try:
            article = read(config, source)
        except ParagrafError as e:
            out.append(str(e))
            continue
        path = store.template_path(article.slug)
        renamed = _renamed_from(article, store, vanished) if not path.exists() else None
        if renamed is not None:
            out.append(
                f"{config.relative(article.path)}: looks like the vanished article {renamed!r}"
                f" (the same blocks): run 'paragraf rename {renamed} {article.slug}' to keep its"
                f" translations, history and published pages, or 'paragraf remove {renamed}'"
                " first to start this article over"
            )
            continue
        wrote = write_template(article, store, check=check)
        record = Stamps.make([article.path, path], slug=article.slug)
        out.append((config.relative(article.path), record, wrote, config.relative(path)))
    return out


def _renamed_from(article: Article, store: Store, vanished: list[str]) -> str | None:
    """The vanished article whose template holds most of this new article's blocks, if any."""
    ours = {block.text for block in article.blocks if not block.meta}
    if not ours or not vanished:
        return None
    best, share = None, 0.0
    for slug in vanished:
        try:
            theirs = {
                e.msgid for e in store.read_template(slug, cached=True) if "title" not in e.comment
            }
        except ParagrafError:
            continue
        common = len(ours & theirs) / max(len(ours), len(theirs), 1)
        if common > share:
            best, share = slug, common
    return best if share >= RENAME_SHARE else None
