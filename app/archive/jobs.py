"""``paragraf import`` and ``paragraf align``: the published archive into the project.

A source version (a saved page, or the earliest post of an export's group) becomes
``content/<slug>.md``, read back by paragraf's own parser before it is written, so what
import writes is what extract reads; its template and catalogs are made at once. Each
other language version is aligned with it (:mod:`app.archive.align`) and written into
its catalog (:mod:`app.archive.fill`). A file that cannot be imported is reported with
its name, and the others go on; nothing is half-written.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .. import langs as languages
from ..config import Config
from ..errors import ParagrafError
from ..extract import extract_all
from ..fsutil import write_atomic
from ..markdown.blocks import Article, parse_article
from ..po.store import Store
from ..project import Report
from ..qa import glossary_terms
from ..update import update_all
from .align import Item, align
from .fill import fill, front_matter_pairs, meta_proposals, propose
from .page import ImportError_, Page, read_page
from .slugs import slug_for
from .wxr import read_export

__all__ = ["REFUSE_BELOW", "ImportReport", "align_file", "align_translation", "import_files"]

#: Below this alignment score a file is not taken for a translation of the article.
REFUSE_BELOW = 0.35

Progress = Callable[[str, int], Any]


@dataclass
class ImportReport(Report):
    """What an import did, for its summary."""

    articles: int = 0
    aligned: int = 0
    approved: int = 0
    drafts: int = 0
    omitted: int = 0
    added: int = 0
    mismatches: int = 0
    kept: int = 0
    imported: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"import: {self.articles} article(s) imported, {self.aligned} translation(s) aligned:"
            f" {self.approved} pair(s) approved, {self.drafts} draft(s), {self.omitted} omitted,"
            f" {self.added} added, {self.mismatches} mismatch(es)"
            + (
                f"; {self.kept} already translated, kept (--replace to overwrite)"
                if self.kept
                else ""
            )
        )


# --- reading ---------------------------------------------------------------------------


def _read_file(path: Path, config: Config, lang: str | None) -> list[Page]:
    """The page, the posts of an export, or a Markdown file, as pages."""
    display = config.relative(path) if path.is_absolute() else str(path)
    try:
        data = path.read_bytes()
    except OSError as e:
        raise ImportError_(f"{display}: cannot be read ({e.strerror})") from e
    head = data[:2000].lstrip().lower()
    if head.startswith(b"<?xml") or head.startswith(b"<rss"):
        raise ImportError_(f"{display}: a WordPress export: import it on its own")
    if path.suffix.lower() in (".md", ".markdown"):
        page = _markdown_page(data, display)
    else:
        page = read_page(data, display)
    if lang:
        page.lang = lang
    return [page]


def _markdown_page(data: bytes, display: str) -> Page:
    text = data.decode("utf-8", errors="strict")
    if not text.startswith("---"):
        text = "---\ntitle: (untitled)\nlang: en\n---\n\n" + text
    article = parse_article(text, path=Path(display), display=display)
    body = text[_body_start(text) :]
    return Page(
        lang=str(article.meta.get("lang", "")),
        title=str(article.meta.get("title", "")),
        body=body,
        author=str(article.meta.get("author", "") or ""),
        summary=str(article.meta.get("summary", "") or ""),
    )


def _body_start(text: str) -> int:
    end = text.find("\n---", 3)
    return text.find("\n", end + 1) + 1 if end >= 0 else 0


def _article_text(page: Page, slug: str) -> str:
    meta: dict[str, Any] = {"title": page.title, "lang": page.lang}
    if page.date is not None:
        meta["date"] = page.date
    if page.author:
        meta["author"] = page.author
    if page.summary:
        meta["summary"] = page.summary
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=10_000)
    return f"---\n{front}---\n\n{page.body.strip()}\n"


def _parsed(page: Page, config: Config, display: str) -> Article:
    text = _article_text(page, "import")
    try:
        return parse_article(
            text, path=Path(display), display=display, translatable=config.translatable
        )
    except ParagrafError as e:
        raise ImportError_(f"{display}: the Markdown made of it cannot be read back: {e}") from e


def _items(article: Article) -> list[Item]:
    return [Item(block.text, block.kind) for block in article.blocks if not block.meta]


# --- writing a source ------------------------------------------------------------------


def _write_source(
    config: Config, page: Page, slug: str, display: str, replace: bool, report: ImportReport
) -> Article:
    if page.lang not in config.languages:
        raise ImportError_(
            f"{display}: its language {page.lang!r} is not one of the project's"
            f" ({', '.join(config.languages)}); add it to [tool.paragraf] languages or give --lang"
        )
    path = config.content_dir / f"{slug}.md"
    text = _article_text(page, slug)
    article = parse_article(
        text, path=path, display=config.relative(path), translatable=config.translatable
    )
    if path.exists() and not replace:
        if path.read_text(encoding="utf-8") == text:
            return article
        raise ImportError_(
            f"{display}: {config.relative(path)} exists already; give --replace to overwrite it"
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, text.encode("utf-8"))
    for step in (extract_all(config, slugs=[slug]), update_all(config, slugs=[slug])):
        for error in step.errors:
            report.fail(error)
    report.articles += 1
    report.imported.append(config.relative(path))
    report.say(f"wrote {config.relative(path)}")
    return article


# --- aligning --------------------------------------------------------------------------


def align_translation(
    config: Config,
    source: Article,
    page: Page,
    display: str,
    *,
    replace: bool,
    report: ImportReport,
) -> None:
    """Align the translation ``page`` with ``source`` and fill the catalog of its language."""
    lang = page.lang
    if lang == source.lang:
        raise ImportError_(
            f"{display}: it is in {lang}, the article's own language; not a translation"
        )
    if lang not in config.languages:
        raise ImportError_(
            f"{display}: its language {lang!r} is not one of the project's ({', '.join(config.languages)})"
        )
    store = Store(config)
    ref = store.find(lang, source.slug)
    if ref is None:
        raise ImportError_(
            f"{display}: no catalog for {source.slug} in {lang}; run paragraf update"
        )
    target = _parsed(page, config, display)
    terms = glossary_terms(config)
    alignment = align(_items(source), _items(target), source.lang, lang, terms)
    if alignment.score < REFUSE_BELOW:
        raise ImportError_(
            f"{display}: not a translation of {source.slug} (alignment score {alignment.score:.2f},"
            f" below {REFUSE_BELOW}); nothing written"
        )
    proposals, omitted, added, mismatches = propose(
        _items(source), _items(target), alignment, source.lang, lang, terms
    )
    pairs = front_matter_pairs(source.meta, target.meta, config.translatable)
    proposals = {**meta_proposals(pairs, source.lang, lang), **proposals}
    filled = fill(store, ref, proposals, replace=replace)
    report.aligned += 1
    report.approved += filled.approved
    report.drafts += filled.drafts
    report.omitted += omitted
    report.added += len(added)
    report.mismatches += mismatches
    report.kept += filled.kept
    report.say(
        f"{lang}/{source.slug}: aligned {display} (score {alignment.score:.2f}):"
        f" {filled.approved} approved, {filled.drafts} draft(s), {omitted} omitted, {len(added)} added,"
        f" {mismatches} mismatch(es)"
    )
    for text in added:
        report.say(f"  added in {lang}, with no source: {text[:80]!r}")


# --- the jobs --------------------------------------------------------------------------


def _slug(page: Page, forced: str | None) -> str:
    return forced or page.slug or slug_for(page.title)


def _source_of(group: Sequence[tuple[Page, str]], source_lang: str | None) -> int:
    if source_lang:
        for index, (page, _) in enumerate(group):
            if page.lang == source_lang:
                return index
    dated = [
        (page.date.toordinal() if page.date else 10**9, index)
        for index, (page, _) in enumerate(group)
    ]
    return min(dated)[1]


def _group_pages(pages: list[tuple[Page, str]]) -> list[list[tuple[Page, str]]]:
    """Pages that link to each other (``hreflang``) as one article's versions."""
    groups: list[list[tuple[Page, str]]] = []
    for page, display in pages:
        urls = {page.url, *page.versions.values()} - {""}
        for group in groups:
            if any(urls & ({p.url, *p.versions.values()} - {""}) for p, _ in group) and all(
                p.lang != page.lang for p, _ in group
            ):
                group.append((page, display))
                break
        else:
            groups.append([(page, display)])
    return groups


def _import_group(
    config: Config,
    group: Sequence[tuple[Page, str]],
    *,
    slug: str | None,
    source_lang: str | None,
    replace: bool,
    report: ImportReport,
) -> None:
    index = _source_of(group, source_lang)
    source_page, source_display = group[index]
    article = _write_source(
        config, source_page, _slug(source_page, slug), source_display, replace, report
    )
    for position, (page, display) in enumerate(group):
        if position == index:
            continue
        try:
            align_translation(config, article, page, display, replace=replace, report=report)
        except ParagrafError as e:
            report.fail(e)


def import_files(
    config: Config,
    paths: Iterable[Path],
    *,
    lang: str | None = None,
    slug: str | None = None,
    translation_of: str | None = None,
    source_lang: str | None = None,
    replace: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Import saved pages, Markdown files or WordPress exports (see the module's doc)."""
    report = ImportReport()
    paths = list(paths)
    if translation_of is not None:
        try:
            _translations_of(config, paths, translation_of, lang, replace, report)
        except ParagrafError as e:
            report.fail(e)
        report.say(report.summary())
        return report
    pages: list[tuple[Page, str]] = []
    for path in paths:
        display = str(path)
        try:
            if _is_export(path):
                _import_export(config, path, display, source_lang, replace, report, progress)
                continue
            pages.extend((page, display) for page in _read_file(path, config, lang))
        except ParagrafError as e:
            report.fail(e)
    groups = _group_pages(pages)
    if slug and len(groups) > 1:
        report.fail(f"--slug names one article, but the pages are {len(groups)} articles")
        return report
    _import_groups(config, groups, slug, source_lang, replace, report, progress)
    report.say(report.summary())
    return report


def _is_export(path: Path) -> bool:
    try:
        with path.open("rb") as f:
            head = f.read(4096).lstrip().lower()
    except OSError:
        return False
    return head.startswith(b"<?xml") or head.startswith(b"<rss")


def _import_export(
    config: Config,
    path: Path,
    display: str,
    source_lang: str | None,
    replace: bool,
    report: ImportReport,
    progress: Progress | None,
) -> None:
    export = read_export(path.read_bytes(), display)
    for line in export.skipped:
        report.say(f"skipped: {line}")
    groups, alone = export.groups()
    if alone:
        report.say(
            f"{display}: {len(alone)} post(s) with no language group (no Polylang"
            " post_translations): imported each as its own article; align their translations"
            " with 'paragraf align SLUG LANG FILE'"
        )
    units = [[(post.page, f"{display} post {post.id}") for post in group] for group in groups]
    units += [[(post.page, f"{display} post {post.id}")] for post in alone]
    for unit in units:
        for page, unit_display in unit:
            if not page.lang:  # no Polylang: the language is told by its words
                page.lang = languages.guess(page.body, config.languages) or ""
                if page.lang:
                    report.say(
                        f"{unit_display}: no language in the export; its text is {page.lang}"
                    )
                else:
                    report.fail(
                        f"{unit_display}: the export does not say its language and its text does"
                        " not tell; import it as a page with --lang"
                    )
    known = [unit if all(page.lang for page, _ in unit) else [] for unit in units]
    _import_groups(config, known, None, source_lang, replace, report, progress)


def _import_groups(
    config: Config,
    groups: list[list[tuple[Page, str]]],
    slug: str | None,
    source_lang: str | None,
    replace: bool,
    report: ImportReport,
    progress: Progress | None,
) -> None:
    """Import each group of pages (an empty one is only counted), one failure at a time."""
    bar = progress("import", len(groups)) if progress else contextlib.nullcontext()
    with bar as advance:
        for group in groups:
            if group:
                try:
                    _import_group(
                        config,
                        group,
                        slug=slug,
                        source_lang=source_lang,
                        replace=replace,
                        report=report,
                    )
                except ParagrafError as e:
                    report.fail(e)
            if advance is not None and hasattr(advance, "update"):
                advance.update(1)


def _translations_of(
    config: Config,
    paths: list[Path],
    slug: str,
    lang: str | None,
    replace: bool,
    report: ImportReport,
) -> None:
    source = _source_article(config, slug)
    for path in paths:
        try:
            for page in _read_file(path, config, lang):
                align_translation(config, source, page, str(path), replace=replace, report=report)
        except ParagrafError as e:
            report.fail(e)


def _source_article(config: Config, slug: str) -> Article:
    from ..articles import find_source
    from ..markdown.blocks import read_article

    path = find_source(config, slug)
    if path is None:
        raise ImportError_(f"no article {slug!r} in {config.relative(config.content_dir)}")
    article = read_article(path, display=config.relative(path), translatable=config.translatable)
    if not Store(config).has_template(slug):
        for step in (extract_all(config, slugs=[slug]), update_all(config, slugs=[slug])):
            if step.errors:
                raise ImportError_("; ".join(step.errors))
    return article


def align_file(
    config: Config, slug: str, lang: str, path: Path, *, replace: bool = False
) -> ImportReport:
    """``paragraf align SLUG LANG FILE``."""
    report = ImportReport()
    try:
        _translations_of(config, [path], slug, lang, replace, report)
    except ParagrafError as e:
        report.fail(e)
    report.say(report.summary())
    return report
