"""Accounts of the review UI (paragraf user …) and serving it (paragraf serve)."""

from __future__ import annotations

import sqlite3
import sys
from contextlib import closing

import click

from .. import logins, users
from ..config import Config
from ..errors import ParagrafError
from ..users import UI_LANGS
from . import get_config, main


def _open_db(config: Config) -> closing[sqlite3.Connection]:
    from .. import db

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
    from .. import create_app

    try:
        app = create_app(root=get_config().root)
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
    config = get_config()
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
    with _open_db(get_config()) as conn:
        for u in users.list_users(conn):
            langs = " ".join(u.langs) or ("all" if u.is_admin else "-")
            click.echo(f"{u.name}\t{u.role}\t{langs}")


@user.command("passwd")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def user_passwd(name: str, password_stdin: bool) -> None:
    """Set a user's password."""
    config = get_config()
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
    with _open_db(get_config()) as conn:
        found = users.find_user(conn, name)
        if found is None:
            raise click.ClickException(f"no user named {name!r}; see 'paragraf user list'")
        was = logins.unlock(conn, users.name_key(found.name))
    click.echo(f"unlocked {found.name}" if was else f"{found.name} was not locked")


@user.command("remove")
@click.argument("name")
def user_remove(name: str) -> None:
    """Delete a user (their history stays)."""
    with _open_db(get_config()) as conn:
        found = users.find_user(conn, name)
        if found is None:
            raise click.ClickException(f"no user named {name!r}; see 'paragraf user list'")
        try:
            users.delete_user(conn, found.id)
        except ParagrafError as e:
            raise click.ClickException(str(e)) from e
        logins.end_all(conn, found.id)
    click.echo(f"removed {found.name}")
