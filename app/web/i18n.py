"""The review UI's own language: Flask-Babel and the ``messages`` domain shipped in the package.

The UI catalogs are ``app/web/translations/<lang>/LC_MESSAGES/messages.po`` (template
``messages.pot`` beside them), compiled to ``messages.mo`` and committed, so an installed
wheel speaks Turkish and Russian without a build step. A test keeps each ``.mo`` equal
to its ``.po``; after editing a catalog run
``pybabel compile -d app/web/translations -D messages``.
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask, g, request
from flask_babel import Babel

from ..users import UI_LANGS

DOMAIN = "messages"
TRANSLATIONS = Path(__file__).resolve().parent / "translations"


def select_locale() -> str:
    """The signed-in user's UI language, else the browser's best match, else English."""
    user = g.get("user")
    if user is not None and user.ui_lang in UI_LANGS:
        return user.ui_lang
    return request.accept_languages.best_match(UI_LANGS) or "en"


def init_app(app: Flask) -> None:
    """Set up Flask-Babel on the package's UI catalogs."""
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(TRANSLATIONS))
    app.config.setdefault("BABEL_DEFAULT_LOCALE", "en")
    app.config.setdefault("BABEL_DEFAULT_TIMEZONE", "UTC")
    Babel(app, locale_selector=select_locale)
    app.jinja_env.policies["ext.i18n.trimmed"] = True
