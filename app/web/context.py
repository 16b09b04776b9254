"""What every request of the review app shares: the project, its store, the database, the caller."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from flask import Flask, current_app, g, request

from .. import db, history
from ..config import Config
from ..po.store import Store


def project() -> Config:
    """The paragraf project this app serves."""
    return current_app.config["PARAGRAF"]


def store() -> Store:
    """The project's templates and catalogs."""
    return Store(project())


def get_db() -> sqlite3.Connection:
    """This request's database connection, opened on first use."""
    if "db" not in g:
        g.db = db.connect(Path(current_app.config["DATABASE"]))
    return g.db


def close_db(_error: BaseException | None = None) -> None:
    """Close this request's connection, if one was opened."""
    conn = g.pop("db", None)
    if conn is not None:
        conn.close()


def wants_json() -> bool:
    """Whether the request came from the page's script rather than the browser's address bar."""
    if request.is_json:
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json"


def reconcile_history(app: Flask) -> None:
    """Settle the history a killed worker left pending (see :func:`app.history.reconcile`)."""
    conn = db.connect(Path(app.config["DATABASE"]))
    try:
        history.reconcile(conn, Store(app.config["PARAGRAF"]))
    finally:
        conn.close()


def init_app(app: Flask) -> None:
    """Create the schema and close the connection after each request."""
    db.init_schema(Path(app.config["DATABASE"]))
    app.teardown_appcontext(close_db)
