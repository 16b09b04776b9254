"""The review UI's own language: Flask-Babel, the ``messages`` domain, compiled at start.

The UI catalogs are ``translations/<lang>/LC_MESSAGES/messages.po`` (template
``translations/messages.pot``), in the project and in paragraf's own source tree.
The ``.mo`` files are not committed: :func:`compile_ui_catalogs` writes them into
``instance/i18n/`` at start (only when their bytes change), where Flask-Babel reads them.
"""

from __future__ import annotations

import io
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask, g, request
from flask_babel import Babel

from .config import Config
from .fsutil import write_if_changed
from .users import UI_LANGS

DOMAIN = "messages"
SOURCE_TREE = Path(__file__).resolve().parent.parent


def ui_catalogs(config: Config) -> dict[str, Path]:
    """``messages.po`` per UI language: the project's own first, else paragraf's."""
    found: dict[str, Path] = {}
    for folder in (config.translations_dir, SOURCE_TREE / "translations"):
        for lang in UI_LANGS:
            po = folder / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
            if lang not in found and po.is_file():
                found[lang] = po
    return found


def compile_ui_catalogs(config: Config, target: Path) -> list[str]:
    """Compile the UI catalogs into ``target/<lang>/LC_MESSAGES/messages.mo``; return the languages."""
    langs = []
    for lang, po_path in ui_catalogs(config).items():
        with po_path.open("rb") as f:
            messages = read_po(f, locale=lang, domain=DOMAIN)
        buf = io.BytesIO()
        write_mo(buf, messages, use_fuzzy=False)
        write_if_changed(target / lang / "LC_MESSAGES" / f"{DOMAIN}.mo", buf.getvalue())
        langs.append(lang)
    return langs


def select_locale() -> str:
    """The signed-in user's UI language, else the browser's best match, else English."""
    user = g.get("user")
    if user is not None and user.ui_lang in UI_LANGS:
        return user.ui_lang
    return request.accept_languages.best_match(UI_LANGS) or "en"


def init_app(app: Flask) -> None:
    """Compile the UI catalogs and set up Flask-Babel."""
    target = Path(app.instance_path) / "i18n"
    compile_ui_catalogs(app.config["PARAGRAF"], target)
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(target))
    app.config.setdefault("BABEL_DEFAULT_LOCALE", "en")
    app.config.setdefault("BABEL_DEFAULT_TIMEZONE", "UTC")
    Babel(app, locale_selector=select_locale)
    app.jinja_env.policies["ext.i18n.trimmed"] = True
