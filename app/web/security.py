"""What every page of the review app shares: CSRF, security headers, error pages, the secret key."""

from __future__ import annotations

import fcntl
import os
import secrets
from pathlib import Path

from babel import Locale
from flask import Flask, Response, current_app, jsonify, render_template
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFProtect
from werkzeug.exceptions import HTTPException, InternalServerError, default_exceptions

from ..errors import CatalogError
from .context import wants_json

csrf = CSRFProtect()

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
    " object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


def secret_key(path: Path) -> str:
    """The key in ``path``, generated there on first start (exactly once, even with many workers)."""
    try:
        return path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        pass
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    fcntl.flock(fd, fcntl.LOCK_EX)  # a sweep of crash debris leaves it alone
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write(secrets.token_hex(32) + "\n")
    try:
        os.link(tmp, path)  # fails if another worker got there first: then theirs is the key
    except FileExistsError:
        pass
    finally:
        os.unlink(tmp)
    return path.read_text(encoding="ascii").strip()


def _security_headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    return response


def _error(error: HTTPException) -> tuple[Response | str, int]:
    code = error.code or 500
    if wants_json():
        return jsonify(error=error_text(code, error.description), code=code), code
    return render_template(
        "error.html", code=code, name=error.name, description=error.description
    ), code


def _catalog_error(error: CatalogError) -> tuple[Response | str, int]:
    """A catalog that does not parse (a bad hand edit): say which and where, not a bare 500."""
    current_app.logger.error("%s", error)
    return _error(InternalServerError(description=str(error)))


def role_label(role: str) -> str:
    """A role's name in the UI language."""
    return {"translator": _("translator"), "reviewer": _("reviewer"), "admin": _("admin")}.get(
        role, role
    )


def language_name(lang: str) -> str:
    """A language's name in the UI language, capitalized: "Turkish", "Türkçe", "Турецкий"."""
    try:
        name = Locale.parse(lang).get_display_name(get_locale()) or lang
    except (ValueError, TypeError):
        return lang
    return name[:1].upper() + name[1:]


def error_title(code: int, name: str) -> str:
    """An HTTP error's title in the UI language."""
    return {
        400: _("Bad request"),
        401: _("Not signed in"),
        403: _("Not allowed"),
        404: _("Not found"),
        405: _("Method not allowed"),
        409: _("Conflict"),
        413: _("Too large"),
        500: _("Server error"),
        502: _("Machine translation failed"),
        503: _("Not available"),
    }.get(code, name)


def error_text(code: int, description: str | None) -> str:
    """An error's explanation: ours as given, Werkzeug's stock texts in the UI language."""
    if description and description.startswith("The CSRF"):
        return _(
            "The form was not sent from this site or has expired. Reload the page and try again."
        )
    stock = default_exceptions.get(code)
    if description and (stock is None or description != stock.description):
        return description
    return {
        403: _("Your account may not open this page or do this action."),
        404: _("There is no such page, article or language."),
        400: _("The request was not understood."),
    }.get(code, description or "")


def init_app(app: Flask) -> None:
    """CSRF protection on every POST, security headers on every answer, HTML or JSON errors."""
    csrf.init_app(app)
    app.after_request(_security_headers)
    app.register_error_handler(HTTPException, _error)
    app.register_error_handler(CatalogError, _catalog_error)
    app.jinja_env.globals.update(
        get_locale=get_locale,
        role_label=role_label,
        language_name=language_name,
        error_title=error_title,
        error_text=error_text,
    )
