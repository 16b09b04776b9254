"""The translation memory's commands: paragraf tm rebuild, search, import, export."""

from __future__ import annotations

from pathlib import Path

import click

from . import converts_errors, get_config, main, warn


@main.group()
def tm() -> None:
    """The translation memory: approved pairs of every catalog, and pairs imported from elsewhere."""


@tm.command("rebuild")
@converts_errors
def tm_rebuild() -> None:
    """Re-index the approved entries of every catalog (imported pairs are kept)."""
    from ..tm import sync

    config = get_config()
    with sync.open_memory(config) as memory:
        articles = sync.refresh(config, memory, full=True, warn=warn)
        pairs = memory.language_pairs()
    click.echo(f"tm: {articles} article(s) indexed")
    for (src, tgt), count in sorted(pairs.items()):
        click.echo(f"  {src}→{tgt}: {count} pairs")


@tm.command("search")
@click.argument("text")
@click.option("--from", "src", required=True, help="Language of TEXT.")
@click.option("--to", "tgt", required=True, help="Language of the translations wanted.")
@click.option("--limit", default=5, show_default=True, type=click.IntRange(1, 50))
@click.option(
    "--threshold",
    default=70,
    show_default=True,
    type=click.IntRange(0, 100),
    help="Lowest similarity, in percent.",
)
@converts_errors
def tm_search(text: str, src: str, tgt: str, limit: int, threshold: int) -> None:
    """Show the best matches for TEXT with their score, origin and a word diff.

    A TEXT of several sentences also gets the best match of each sentence.

    Example: paragraf tm search "North Korea has been isolated" --from en --to tr
    """
    from ..tm import diff_words, sync

    config = get_config()
    with sync.open_memory(config) as memory:
        sync.refresh(config, memory, warn=warn)
        matches = memory.search(text, src, tgt, limit=limit, threshold=threshold)
        by_sentence = memory.search_sentences(text, src, tgt, threshold=threshold)
    if not matches and not by_sentence:
        click.echo(f"no match of {threshold}% or more")
    for match in matches:
        click.echo(f"{match.score:.0f}%  {match.origin}")
        click.echo(f"  source: {diff_words(match.source, text)}")
        click.echo(f"  target: {match.target}")
    for number, match in by_sentence:
        click.echo(f"sentence {number}: {match.score:.0f}%  {match.origin}")
        click.echo(f"  source: {match.source}")
        click.echo(f"  target: {match.target}")


@tm.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--source-lang", default="en", show_default=True, help="Language of a PO file's msgids."
)
@click.option(
    "--target-lang", help="Language of a PO file's msgstrs (default: its Language header)."
)
@converts_errors
def tm_import(file: Path, source_lang: str, target_lang: str | None) -> None:
    """Add the usable pairs of a TMX 1.4 or PO file; say how many entries were skipped and why.

    The fuzzy index of every language pair is brought up to date and saved afterwards, so
    the first lookup after a large import does not wait for it.
    """
    from ..tm import sync

    with sync.open_memory(get_config()) as memory:
        report = memory.import_file(file, source_lang=source_lang, target_lang=target_lang)
        click.echo(str(report))
        if report.imported:
            for src, tgt in memory.language_pairs():
                memory.warm(src, tgt)


@tm.command("export")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--from", "src", required=True, help="Source language.")
@click.option("--to", "tgt", required=True, help="Target language.")
@converts_errors
def tm_export(file: Path, src: str, tgt: str) -> None:
    """Write the memory's SRC→TGT pairs to a TMX 1.4 file."""
    from ..tm import sync

    config = get_config()
    with sync.open_memory(config) as memory:
        sync.refresh(config, memory, warn=warn)
        count = memory.export_tmx(file, src, tgt)
    click.echo(f"wrote {count} pairs to {file}")
