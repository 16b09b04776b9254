"""The ``paragraf`` command line: parsing options and turning errors into messages and exit codes.

The commands live beside this module by subject: :mod:`.pipeline` (extract, update,
draft, check, compile, status), :mod:`.articles` (rename, remove, unpublish, publish),
:mod:`.memory` (tm …), :mod:`.workbench` (search, assign) and :mod:`.accounts`
(user …, serve).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from typing import Any

import click

from ..config import Config, load_config
from ..errors import ParagrafError
from ..project import Report, sweep_debris


def get_config() -> Config:
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


def warn(message: str) -> None:
    """Print a warning on standard error."""
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


from . import accounts, archive, articles, memory, pipeline, workbench  # noqa: E402,F401  (they add their commands)
