"""The archive's commands: paragraf import (pages and WordPress exports) and paragraf align."""

from __future__ import annotations

from pathlib import Path

import click

from . import converts_errors, finish, get_config, main
from .pipeline import _progress


@main.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--lang", default=None, help="The pages' language, where they do not say it.")
@click.option("--slug", default=None, help="The slug of the article (default: the page's own).")
@click.option(
    "--translation-of",
    "translation_of",
    default=None,
    metavar="SLUG",
    help="The files are published translations of article SLUG: align them into its catalogs.",
)
@click.option(
    "--source-lang",
    default=None,
    help="The language version to take as the source (default: the earliest published).",
)
@click.option("--replace", is_flag=True, help="Overwrite articles and translations already there.")
@converts_errors
def import_(
    files: tuple[Path, ...],
    lang: str | None,
    slug: str | None,
    translation_of: str | None,
    source_lang: str | None,
    replace: bool,
) -> None:
    """Import published articles: saved pages (.html), Markdown files or a WordPress export (.xml).

    The source version becomes content/<slug>.md (front matter from the page's metadata,
    the theme's chrome left out); the other language versions of the same article (the
    pages' hreflang links, Polylang's groups in an export) are aligned with it and fill
    its catalogs: confident pairs approved, the rest drafts. Example: paragraf import
    saved/a1-en.html saved/a1-tr.html saved/a1-ru.html
    """
    from ..archive.jobs import import_files

    finish(
        import_files(
            get_config(),
            files,
            lang=lang,
            slug=slug,
            translation_of=translation_of,
            source_lang=source_lang,
            replace=replace,
            progress=lambda label, total: _progress(label, total, "articles"),
        )
    )


@main.command()
@click.argument("slug")
@click.argument("lang")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--replace", is_flag=True, help="Overwrite translations already in the catalog.")
@converts_errors
def align(slug: str, lang: str, file: Path, replace: bool) -> None:
    """Align FILE, the published translation of article SLUG into LANG, into its catalog.

    FILE is a saved page or a Markdown file. Blocks are matched by length and anchors
    (numbers, markers, URLs, glossary terms, names), allowing merged, split, omitted and
    added paragraphs; confident 1:1 pairs are approved ('# aligned <score>'), the rest are
    drafts. Example: paragraf align my-article tr published-tr.html
    """
    from ..archive.jobs import align_file

    finish(align_file(get_config(), slug, lang, file, replace=replace))
