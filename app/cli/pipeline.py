"""The pipeline's commands: extract, update, draft, check, compile, status."""

from __future__ import annotations

import json
import sys
from contextlib import nullcontext
from typing import Any

import click

from . import converts_errors, finish, get_config, main, warn

LANGS = click.option(
    "--lang", "langs", multiple=True, help="Only this target language (repeatable)."
)
ARTICLES = click.option(
    "--article", "slugs", multiple=True, help="Only this article slug (repeatable)."
)
CHECK = click.option(
    "--check", is_flag=True, help="Write nothing; exit 1 if something would change (for CI)."
)


def finish_check(report: Any, check: bool) -> None:
    """Print a report; with --check, exit 1 if anything would change."""
    if check and report.changed:
        report.fail(f"{report.changed} file(s) would change: run the command without --check")
    finish(report)


@main.command()
@ARTICLES
@CHECK
@converts_errors
def extract(slugs: tuple[str, ...], check: bool) -> None:
    """Extract every article in content/ into translations/templates/<slug>.pot.

    Example: paragraf extract --check (in CI: exit 1 if a template is out of date)
    """
    from ..extract import extract_all

    finish_check(extract_all(get_config(), check=check, slugs=slugs), check)


@main.command()
@ARTICLES
@LANGS
@CHECK
@converts_errors
def update(slugs: tuple[str, ...], langs: tuple[str, ...], check: bool) -> None:
    """Create or update translations/<lang>/LC_MESSAGES/<slug>.po from the templates.

    Example: paragraf update --lang tr --check
    """
    from ..update import update_all

    finish_check(update_all(get_config(), check=check, slugs=slugs, langs=langs), check)


@main.command(name="compile")
@click.option(
    "--threshold",
    type=click.IntRange(0, 100),
    help="Publish versions with at least this percent of their words approved or stale"
    " (default from [tool.paragraf]).",
)
@click.option(
    "--force", is_flag=True, help="Publish even if approved translations have quality errors."
)
@ARTICLES
@LANGS
@converts_errors
def compile_(
    threshold: int | None, force: bool, slugs: tuple[str, ...], langs: tuple[str, ...]
) -> None:
    """Write public/<lang>/<slug>.md and .html from approved translations, and the .mo files.

    A version is published when enough of its words are approved or stale (the threshold)
    and its approved translations pass the quality checks' errors (see paragraf check). A
    version that does not qualify keeps what was published before. Example: paragraf
    compile --article my-article --lang tr
    """
    from ..build import compile_all

    finish(compile_all(get_config(), threshold=threshold, force=force, langs=langs, slugs=slugs))


@main.command()
@LANGS
@ARTICLES
@click.option("--json", "as_json", is_flag=True, help="Print the findings as JSON.")
@click.option(
    "--consistency",
    is_flag=True,
    help="Compare each block's numbers, markers, URLs and terms across all versions instead.",
)
@converts_errors
def check(langs: tuple[str, ...], slugs: tuple[str, ...], as_json: bool, consistency: bool) -> None:
    """Run the quality checks on every translated entry; exit 1 if any error was found.

    Prints path:line: check-name: message, one finding a line; a catalog that cannot be read
    is reported and the others are checked. Findings a reviewer dismissed are left out.
    With --consistency, each block's versions are compared with the source and with each
    other, and every disagreement is printed (exit 1 if any).
    Example: paragraf check --lang tr; paragraf check --consistency --article my-article
    """
    if consistency:
        _check_consistency(langs, slugs, as_json)
        return
    from ..langs import missing_profiles
    from ..project import Report
    from ..qa import check_catalogs

    config = get_config()
    for lang in missing_profiles(config.languages):
        warn(
            f"language {lang!r} has no profile in app/langs.py: its quotation marks are not"
            " checked, its length ratio is taken as 1 and numbers are read in its own format only;"
            " add a Profile for it"
        )
    report = Report()
    problems = check_catalogs(config, report, langs, slugs)
    if as_json:
        click.echo(json.dumps([p.as_dict() for p in problems], ensure_ascii=False, indent=2))
    else:
        for problem in problems:
            click.echo(str(problem))
        errors = sum(p.severity == "error" for p in problems)
        click.echo(f"check: {errors} error(s), {len(problems) - errors} warning(s)", err=True)
    for error in report.errors:
        click.echo(f"Error: {error}", err=True)
    if report.errors or any(p.severity == "error" for p in problems):
        sys.exit(1)


def _check_consistency(langs: tuple[str, ...], slugs: tuple[str, ...], as_json: bool) -> None:
    from ..consistency import article_notes
    from ..po.store import Store
    from ..project import Report
    from ..qa import glossary_terms

    config = get_config()
    report = Report()
    store = Store(config)
    terms = glossary_terms(config)
    notes = [
        note
        for slug in (slugs or store.slugs())
        for note in article_notes(store, slug, report, terms)
        if not langs or note.lang in langs
    ]
    if as_json:
        rows = [
            {"where": n.where, "lang": n.lang, "kind": n.kind, "message": str(n.message)}
            for n in notes
        ]
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        for note in notes:
            click.echo(str(note))
        click.echo(f"check --consistency: {len(notes)} disagreement(s)", err=True)
    for error in report.errors:
        click.echo(f"Error: {error}", err=True)
    if report.errors or notes:
        sys.exit(1)


@main.command()
@click.argument("slug")
@converts_errors
def ledger(slug: str) -> None:
    """Print article SLUG's numbers, markers, URLs and glossary terms, block by block, in every version.

    One line per block and kind, a column per language; a row whose versions disagree is
    marked with '!'. Example: paragraf ledger my-article
    """
    from ..consistency import format_ledger
    from ..consistency import ledger as article_ledger
    from ..po.store import Store
    from ..project import Report
    from ..qa import glossary_terms

    config = get_config()
    report = Report()
    found = article_ledger(Store(config), slug, report, glossary_terms(config))
    if found is not None:
        click.echo(format_ledger(found))
    finish(report)


@main.command()
@LANGS
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.option("--stale", is_flag=True, help="List the stale blocks instead of the table.")
@converts_errors
def status(langs: tuple[str, ...], as_json: bool, stale: bool) -> None:
    """Show each article and language's blocks by state and its progress in words.

    A block is stale when its source changed after its translation was approved: the old
    translation is still published until a person approves a new one.
    Example: paragraf status --stale
    """
    from ..project import Report
    from ..status import format_table, stale_blocks, status_rows

    report = Report()
    config = get_config()
    if stale:
        blocks = stale_blocks(config, report, langs)
        if as_json:
            rows = [
                {"path": b.path, "line": b.line, "msgid": b.msgid, "previous": b.previous}
                for b in blocks
            ]
            click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        else:
            for block in blocks:
                click.echo(str(block))
    else:
        found = status_rows(config, report, langs)
        if as_json:
            click.echo(json.dumps([row.as_dict() for row in found], ensure_ascii=False, indent=2))
        else:
            click.echo(format_table(found))
    for error in report.errors:
        click.echo(f"Error: {error}", err=True)
    if report.errors:
        sys.exit(1)


class _PlainProgress:
    """Progress as plain lines, for logs and pipes: one line per saved batch."""

    def __init__(self, label: str, total: int, unit: str) -> None:
        self.label, self.total, self.done, self.unit = label, total, 0, unit

    def update(self, n: int) -> None:
        self.done += n
        click.echo(f"{self.label}: {self.done}/{self.total} {self.unit}")


def _progress(label: str, total: int, unit: str = "segments") -> Any:
    if sys.stdout.isatty():
        return click.progressbar(length=total, label=label)
    return nullcontext(_PlainProgress(label, total, unit))


@main.command()
@click.option("--lang", "langs", multiple=True, help="Only this target language (repeatable).")
@click.option("--article", "slugs", multiple=True, help="Only this article slug (repeatable).")
@click.option("--dry-run", is_flag=True, help="Send nothing; print what the engines would bill.")
@click.option(
    "--max-characters",
    type=click.IntRange(min=0),
    default=None,
    help="Characters this run may have billed (default: [tool.paragraf] max_characters; 0: none).",
)
@converts_errors
def draft(
    langs: tuple[str, ...], slugs: tuple[str, ...], dry_run: bool, max_characters: int | None
) -> None:
    """Fill empty entries: figures, the translation memory, then the pair's engine; every draft is fuzzy.

    Segments without words are drafted locally; exact memory matches next; then the
    machine engine of the language pair ([tool.paragraf] engines; DeepL unless listed),
    through the cache of results already paid for, each segment with its article's
    blocks around it as context. DeepL is used when DEEPL_AUTH_KEY is set
    (DEEPL_SERVER_URL points the client at another server), LibreTranslate when
    LIBRETRANSLATE_URL is. Example: paragraf draft --lang tr --dry-run
    """
    from ..draft import draft_all

    report = draft_all(
        get_config(),
        langs=langs,
        slugs=slugs,
        dry_run=dry_run,
        max_characters=max_characters,
        progress=_progress,
    )
    finish(report)
