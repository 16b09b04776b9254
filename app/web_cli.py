"""``paragraf serve`` and ``paragraf user …``: the review app and its accounts from the command line."""

from __future__ import annotations

import sys
from contextlib import closing

import click

from . import db, users
from .config import Config, load_config
from .errors import ParagrafError
from .i18n import UI_LANGS


def _config() -> Config:
    root = click.get_current_context().find_root()
    if root.obj is None:
        try:
            root.obj = load_config()
        except ParagrafError as e:
            raise click.ClickException(str(e)) from e
    return root.obj


def _open_db(config: Config):
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


@click.command()
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


@click.group()
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
    click.echo(f"password of {found.name} changed")


@user.command("remove")
@click.argument("name")
def user_remove(name: str) -> None:
    """Delete a user (their history stays)."""
    with _open_db(_config()) as conn:
        found = users.find_user(conn, name)
        if found is None:
            raise click.ClickException(f"no user named {name!r}; see 'paragraf user list'")
        users.delete_user(conn, found.id)
    click.echo(f"removed {found.name}")
