"""paragraf: translation management for Markdown articles through gettext catalogs."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask


def create_app(
    test_config: Mapping[str, Any] | None = None, *, root: str | os.PathLike[str] | None = None
) -> Flask:
    """The review web app for the project at ``root``, else ``PROJECT_ROOT`` in the test config,
    else ``$PARAGRAF_ROOT``, else around the current folder.

    Flask is imported here, not at module level: the command line never pays for it.
    """
    from flask import Flask

    from . import db
    from .config import load_config
    from .project import sweep_debris
    from .web import (
        auth,
        comments,
        context,
        dashboard,
        gate,
        glossary,
        i18n,
        preview,
        replace,
        review,
        search,
        security,
    )

    overrides = dict(test_config or {})
    root = overrides.pop("PROJECT_ROOT", None) if root is None else root
    root = root or os.environ.get("PARAGRAF_ROOT")
    project = load_config(Path(root) if root else None)
    app = Flask(
        __name__,
        instance_path=str(project.instance_dir),
        instance_relative_config=True,
        template_folder="web/templates",
        static_folder="web/static",
    )
    app.config.from_mapping(
        PARAGRAF=project,
        DATABASE=str(db.db_path(project.instance_dir)),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        WTF_CSRF_TIME_LIMIT=None,  # tied to the session: a page left open all day still saves
        MAX_CONTENT_LENGTH=2 * 1024 * 1024,
        ADMIN_BOOTSTRAP=True,
    )
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
    else:
        app.config.from_mapping(overrides)
    os.makedirs(app.instance_path, exist_ok=True)
    sweep_debris(project)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = security.secret_key(Path(app.instance_path) / "secret_key")

    context.init_app(app)
    i18n.init_app(app)
    security.init_app(app)
    for blueprint in (
        auth.bp,
        dashboard.bp,
        review.bp,
        gate.bp,
        preview.bp,
        comments.bp,
        glossary.bp,
        search.bp,
        replace.bp,
    ):
        app.register_blueprint(blueprint)
    context.reconcile_history(app)
    app.add_url_rule("/", endpoint="index")
    auth.init_app(app)
    return app
