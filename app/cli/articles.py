"""An article's commands after it is written: rename, remove, unpublish, publish."""

from __future__ import annotations

import click

from . import converts_errors, finish, get_config, main


@main.command()
@click.argument("old")
@click.argument("new")
@converts_errors
def rename(old: str, new: str) -> None:
    """Give article OLD the slug NEW, keeping its translations, history and published pages.

    Renames the file (or sets 'slug:' if the front matter has one; fine if the file was
    renamed already), then moves the template, the catalogs, the history, the memory's
    pairs and the published pages; the old page points to the new one.
    Example: paragraf rename old-slug new-slug
    """
    from ..articles import rename as rename_article

    finish(rename_article(get_config(), old, new))


@main.command()
@click.argument("slug")
@converts_errors
def remove(slug: str) -> None:
    """Retire article SLUG whose file is gone: its pages go down, its catalogs stay obsolete.

    Example: git rm content/old.md && paragraf remove old
    """
    from ..articles import remove as remove_article

    finish(remove_article(get_config(), slug))


@main.command()
@click.argument("slug")
@click.option("--lang", "langs", multiple=True, help="Only this version (repeatable); default all.")
@converts_errors
def unpublish(slug: str, langs: tuple[str, ...]) -> None:
    """Take versions of SLUG down now, and keep them down (the 'unpublished' front matter).

    Example: paragraf unpublish my-article --lang ru
    """
    from ..articles import unpublish as unpublish_article

    finish(unpublish_article(get_config(), slug, langs))


@main.command()
@click.argument("slug")
@click.option("--lang", "langs", multiple=True, help="Only this version (repeatable); default all.")
@converts_errors
def publish(slug: str, langs: tuple[str, ...]) -> None:
    """Undo 'paragraf unpublish': the next compile publishes the versions again.

    Example: paragraf publish my-article --lang ru
    """
    from ..articles import publish as publish_article

    finish(publish_article(get_config(), slug, langs))
