"""The ``paragraf`` command line: parsing options and turning errors into messages and exit codes."""

from __future__ import annotations

import json
import sqlite3
import sys
from collections.abc import Callable
from contextlib import closing, nullcontext
from functools import wraps
from pathlib import Path
from typing import Any

import click

from . import logins, users
from .config import Config, load_config
from .errors import ParagrafError
from .project import Report, sweep_debris
from .users import UI_LANGS


def _config() -> Config:
    """The project's configuration, read once per command line."""
    root = click.get_current_context().find_root()
    if root.obj is None:
        try:
            root.obj = load_config()
        except ParagrafError as e:
            raise click.ClickException(str(e)) from e
        sweep_debris(root.obj)  # what a killed run left behind
    return root.obj


def converts_errors(f: Callable[..., Any]) -> Callable[..., Any]:
    """Turn a :class:`ParagrafError` into click's "Error: …" and exit status 1."""

    @wraps(f)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return f(*args, **kwargs)
        except ParagrafError as e:
            raise click.ClickException(str(e)) from e

    return wrapper


def _warn(message: str) -> None:
    click.echo(f"Warning: {message}", err=True)


def finish(report: Report) -> None:
    """Print a job's report; exit 1 if it had errors."""
    for line in report.lines:
        click.echo(line)
    for error in report.errors:
        click.echo(f"Error: {error}", err=True)
    if report.errors:
        sys.exit(1)


@click.group()
@click.version_option(package_name="paragraf")
def main() -> None:
    """paragraf: translate Markdown articles through gettext catalogs."""


@main.command()
@converts_errors
def extract() -> None:
    """Extract every article in content/ into translations/templates/<slug>.pot."""
    from .extract import extract_all

    finish(extract_all(_config()))


@main.command()
@converts_errors
def update() -> None:
    """Create or update translations/<lang>/LC_MESSAGES/<slug>.po from the templates."""
    from .update import update_all

    finish(update_all(_config()))


@main.command(name="compile")
@click.option(
    "--threshold",
    type=click.IntRange(0, 100),
    help="Publish articles with at least this percent of approved blocks (default from [tool.paragraf]).",
)
@click.option(
    "--force", is_flag=True, help="Publish even if approved translations have quality errors."
)
@converts_errors
def compile_(threshold: int | None, force: bool) -> None:
    """Write public/<lang>/<slug>.md and .html from approved translations, and the .mo files.

    A version is published when enough of its blocks are approved (the threshold) and its
    approved translations pass the quality checks' errors (see paragraf check).
    """
    from .build import compile_all

    finish(compile_all(_config(), threshold=threshold, force=force))


@main.command()
@click.option("--lang", "langs", multiple=True, help="Only this target language (repeatable).")
@click.option("--article", "slugs", multiple=True, help="Only this article slug (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="Print the findings as JSON.")
@converts_errors
def check(langs: tuple[str, ...], slugs: tuple[str, ...], as_json: bool) -> None:
    """Run the quality checks on every translated entry; exit 1 if any error was found.

    Prints path:line: check-name: message, one finding a line. Example: paragraf check --lang tr
    """
    from .langs import missing_profiles
    from .qa import check_catalogs

    config = _config()
    for lang in missing_profiles(config.languages):
        _warn(
            f"language {lang!r} has no profile in app/langs.py: its quotation marks are not"
            " checked, its length ratio is taken as 1 and numbers are read in its own format only;"
            " add a Profile for it"
        )
    problems = check_catalogs(config, langs, slugs)
    if as_json:
        click.echo(json.dumps([p.as_dict() for p in problems], ensure_ascii=False, indent=2))
    else:
        for problem in problems:
            click.echo(str(problem))
        errors = sum(p.severity == "error" for p in problems)
        click.echo(f"check: {errors} error(s), {len(problems) - errors} warning(s)", err=True)
    if any(p.severity == "error" for p in problems):
        sys.exit(1)


@main.command()
@click.option("--lang", "langs", multiple=True, help="Only this target language (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@converts_errors
def status(langs: tuple[str, ...], as_json: bool) -> None:
    """Show approved, draft and untranslated blocks per article and language."""
    from .status import format_table, status_rows

    rows = status_rows(_config(), langs)
    if as_json:
        click.echo(json.dumps([row.as_dict() for row in rows], ensure_ascii=False, indent=2))
    else:
        click.echo(format_table(rows))


class _PlainProgress:
    """Progress as plain lines, for logs and pipes: one line per saved batch."""

    def __init__(self, label: str, total: int) -> None:
        self.label, self.total, self.done = label, total, 0

    def update(self, n: int) -> None:
        self.done += n
        click.echo(f"{self.label}: {self.done}/{self.total} segments")


def _progress(label: str, total: int) -> Any:
    if sys.stdout.isatty():
        return click.progressbar(length=total, label=f"{label}: DeepL")
    return nullcontext(_PlainProgress(label, total))


@main.command()
@click.option("--lang", "langs", multiple=True, help="Only this target language (repeatable).")
@click.option("--article", "slugs", multiple=True, help="Only this article slug (repeatable).")
@click.option("--dry-run", is_flag=True, help="Send nothing; print what DeepL would bill.")
@converts_errors
def draft(langs: tuple[str, ...], slugs: tuple[str, ...], dry_run: bool) -> None:
    """Fill empty entries from the translation memory, then DeepL; every draft is fuzzy.

    DeepL is used when DEEPL_AUTH_KEY is set (DEEPL_SERVER_URL points the client at
    another server). Example: paragraf draft --lang tr --dry-run
    """
    from .draft import draft_all
    from .mt import machine_engine

    config = _config()
    engine = machine_engine(config)
    try:
        report = draft_all(
            config, langs=langs, slugs=slugs, dry_run=dry_run, engine=engine, progress=_progress
        )
    finally:
        if engine is not None:
            engine.close()
    finish(report)


@main.group()
def tm() -> None:
    """The translation memory: approved pairs of every catalog, and pairs imported from elsewhere."""


@tm.command("rebuild")
@converts_errors
def tm_rebuild() -> None:
    """Re-index the approved entries of every catalog (imported pairs are kept)."""
    from .tm import sync

    config = _config()
    with sync.open_memory(config) as memory:
        articles = sync.refresh(config, memory, full=True, warn=_warn)
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

    Example: paragraf tm search "North Korea has been isolated" --from en --to tr
    """
    from .tm import diff_words, sync

    config = _config()
    with sync.open_memory(config) as memory:
        sync.refresh(config, memory, warn=_warn)
        matches = memory.search(text, src, tgt, limit=limit, threshold=threshold)
    if not matches:
        click.echo(f"no match of {threshold}% or more")
    for match in matches:
        click.echo(f"{match.score:.0f}%  {match.origin}")
        click.echo(f"  source: {diff_words(match.source, text)}")
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
    """Add the usable pairs of a TMX 1.4 or PO file; say how many entries were skipped and why."""
    from .tm import sync

    with sync.open_memory(_config()) as memory:
        report = memory.import_file(file, source_lang=source_lang, target_lang=target_lang)
    click.echo(str(report))


@tm.command("export")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--from", "src", required=True, help="Source language.")
@click.option("--to", "tgt", required=True, help="Target language.")
@converts_errors
def tm_export(file: Path, src: str, tgt: str) -> None:
    """Write the memory's SRC→TGT pairs to a TMX 1.4 file."""
    from .tm import sync

    config = _config()
    with sync.open_memory(config) as memory:
        sync.refresh(config, memory, warn=_warn)
        count = memory.export_tmx(file, src, tgt)
    click.echo(f"wrote {count} pairs to {file}")


def _open_db(config: Config) -> closing[sqlite3.Connection]:
    from . import db

    path = db.db_path(config.instance_dir)
    db.init_schema(path)
    return closing(db.connect(path))


def _password(from_stdin: bool) -> str:
    if from_stdin:
        line = sys.stdin.readline()
        password = line.rstrip("\r\n")
        if not password:
            raise click.ClickException("no password on standard input")
        return password
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port", default=5000, show_default=True, type=click.IntRange(1, 65535), help="Port."
)
@click.option(
    "--debug",
    is_flag=True,
    help="Reload on code changes and show tracebacks (never in production).",
)
def serve(host: str, port: int, debug: bool) -> None:
    """Serve the review UI with Flask's development server (see the README for production).

    Example: paragraf serve --host 0.0.0.0 --port 8080
    """
    from . import create_app

    try:
        app = create_app(root=_config().root)
    except ParagrafError as e:
        raise click.ClickException(str(e)) from e
    app.run(host=host, port=port, debug=debug, threaded=True, use_reloader=debug)


@main.group()
def user() -> None:
    """Manage the review UI's accounts (stored in instance/paragraf.sqlite3)."""


@user.command("add")
@click.argument("name")
@click.option(
    "--role",
    type=click.Choice(users.ROLES),
    default="translator",
    show_default=True,
    help="translator: edit drafts; reviewer: also approve; admin: everything.",
)
@click.option("--lang", "langs", multiple=True, help="A language the user works in (repeatable).")
@click.option("--ui-lang", type=click.Choice(UI_LANGS), help="Language of the interface.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def user_add(
    name: str, role: str, langs: tuple[str, ...], ui_lang: str | None, password_stdin: bool
) -> None:
    """Create a user; the password is prompted for (or read with --password-stdin).

    Example: paragraf user add ayse --role reviewer --lang tr
    """
    config = _config()
    password = _password(password_stdin)
    try:
        with _open_db(config) as conn:
            created = users.add_user(
                conn, name, password, role, langs, known_langs=config.languages, ui_lang=ui_lang
            )
    except ParagrafError as e:
        raise click.ClickException(str(e)) from e
    where = ", ".join(created.langs) or "no languages"
    click.echo(f"created {created.role} {created.name} ({where})")


@user.command("list")
def user_list() -> None:
    """List the users with their roles and languages."""
    with _open_db(_config()) as conn:
        for u in users.list_users(conn):
            langs = " ".join(u.langs) or ("all" if u.is_admin else "-")
            click.echo(f"{u.name}\t{u.role}\t{langs}")


@user.command("passwd")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def user_passwd(name: str, password_stdin: bool) -> None:
    """Set a user's password."""
    config = _config()
    with _open_db(config) as conn:
        found = users.find_user(conn, name)
        if found is None:
            raise click.ClickException(f"no user named {name!r}; see 'paragraf user list'")
        try:
            users.set_password(conn, found.id, _password(password_stdin))
        except ParagrafError as e:
            raise click.ClickException(str(e)) from e
        logins.end_all(conn, found.id)  # the old password's sessions end
    click.echo(f"password of {found.name} changed")


@user.command("unlock")
@click.argument("name")
def user_unlock(name: str) -> None:
    """Unlock an account locked after too many wrong passwords."""
    with _open_db(_config()) as conn:
        found = users.find_user(conn, name)
        if found is None:
            raise click.ClickException(f"no user named {name!r}; see 'paragraf user list'")
        was = logins.unlock(conn, users.name_key(found.name))
    click.echo(f"unlocked {found.name}" if was else f"{found.name} was not locked")


@user.command("remove")
@click.argument("name")
def user_remove(name: str) -> None:
    """Delete a user (their history stays)."""
    with _open_db(_config()) as conn:
        found = users.find_user(conn, name)
        if found is None:
            raise click.ClickException(f"no user named {name!r}; see 'paragraf user list'")
        users.delete_user(conn, found.id)
        logins.end_all(conn, found.id)
    click.echo(f"removed {found.name}")
