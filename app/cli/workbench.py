"""The workbench's commands: paragraf search (concordance) and paragraf assign."""

from __future__ import annotations

import json

import click

from . import converts_errors, get_config, main


@main.command()
@click.argument("text")
@click.option(
    "--lang", "langs", multiple=True, help="Only translations into this language (repeatable)."
)
@click.option(
    "--state",
    type=click.Choice(["approved", "draft", "untranslated", "memory"]),
    help="Only segments in this state (memory: the memory's imported pairs).",
)
@click.option("--article", "slug", help="Only this article slug.")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 200))
@click.option("--json", "as_json", is_flag=True, help="Print the results as JSON.")
@converts_errors
def search(
    text: str,
    langs: tuple[str, ...],
    state: str | None,
    slug: str | None,
    limit: int,
    as_json: bool,
) -> None:
    """Find TEXT in the source and every translation of every catalog, and in the memory.

    Words match as prefixes, all of them, case and accents folded (Turkish i/ı/İ, Russian
    ё/е); "a quoted phrase" matches as written. Matches are marked [like this].
    Example: paragraf search "Security Council" --lang tr
    """
    from .. import db
    from ..po.store import Store
    from ..search import pieces
    from ..search import search as find

    config = get_config()
    store = Store(config)
    store.check_names(langs, [slug] if slug else [])
    db.init_schema(db.db_path(config.instance_dir))
    conn = db.connect(db.db_path(config.instance_dir))
    try:
        query, hits = find(
            conn, store, text, langs=langs or None, state=state, slug=slug, limit=limit
        )
    finally:
        conn.close()
    if as_json:
        rows = [
            {
                "article": hit.slug or None,
                "origin": hit.origin or None,
                "source_lang": hit.source_lang,
                "source": hit.source,
                "translations": [
                    {"lang": t.lang, "text": t.text, "state": t.state} for t in hit.translations
                ],
            }
            for hit in hits
        ]
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not hits:
        click.echo(f"no segment matches {text!r}")
        return

    def marked(value: str) -> str:
        return "".join(f"[{piece}]" if hit else piece for piece, hit in pieces(value, query.words))

    for hit in hits:
        where = hit.slug or f"memory ({hit.origin})"
        click.echo(click.style(where, bold=True))
        click.echo(f"  {hit.source_lang}  {marked(hit.source)}")
        for t in hit.translations:
            click.echo(f"  {t.lang}  {marked(t.text) or '—'}  ({t.state})")
    click.echo(f"{len(hits)} segment(s)")


@main.command()
@click.argument("slug")
@click.argument("lang")
@click.option("--translator", default="", help="The user who translates it (empty: nobody).")
@click.option("--reviewer", default="", help="The user who reviews it (empty: nobody).")
@click.option("--due", default="", help="The due date, YYYY-MM-DD.")
@click.option("--by", default="editor", show_default=True, help="Who assigns (recorded).")
@converts_errors
def assign(slug: str, lang: str, translator: str, reviewer: str, due: str, by: str) -> None:
    """Give article SLUG in language LANG to a translator and a reviewer, with a due date.

    Without --translator, --reviewer and --due the assignment is removed. The review UI's
    dashboard lists each user's work first; paragraf status shows it.
    Example: paragraf assign north-korea tr --translator mehmet --reviewer ayse --due 2026-12-24
    """
    from .. import db
    from ..assignments import assign as give
    from ..po.store import Store

    config = get_config()
    store = Store(config)
    store.check_names([lang], [slug])
    if store.find(lang, slug) is None:
        raise click.ClickException(
            f"{slug} has no catalog in {lang!r} (is {lang} its source language?); run 'paragraf update'"
        )
    db.init_schema(db.db_path(config.instance_dir))
    conn = db.connect(db.db_path(config.instance_dir))
    try:
        made = give(conn, slug, lang, translator=translator, reviewer=reviewer, due=due, by=by)
    finally:
        conn.close()
    if not (made.translator or made.reviewer or made.due):
        click.echo(f"assign: {slug} ({lang}) is no longer assigned")
    else:
        people = f"translator {made.translator or '—'}, reviewer {made.reviewer or '—'}"
        click.echo(f"assign: {slug} ({lang}): {people}" + (f", due {made.due}" if made.due else ""))
