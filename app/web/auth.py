"""Signing in and out, one's own profile, and (for admins) managing users."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _

from .. import logins, users
from ..db import connect
from ..users import ROLES, UI_LANGS, UserError
from .context import get_db, project, wants_json

bp = Blueprint("auth", __name__, url_prefix="/auth")

# Pages a user who must choose a new password may still open.
_OPEN_WHILE_MUST_CHANGE = {"auth.profile", "auth.logout", "static"}


def login_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """Send anonymous visitors to the login page (scripts get 401)."""

    @functools.wraps(view)
    def wrapped_view(**kwargs: Any) -> Any:
        if g.user is None:
            if wants_json():
                return jsonify(error=_("Your session has ended; sign in again."), code=401), 401
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        return view(**kwargs)

    return wrapped_view


def admin_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """Only admins; others get 403."""

    @functools.wraps(view)
    @login_required
    def wrapped_view(**kwargs: Any) -> Any:
        if not g.user.is_admin:
            abort(403)
        return view(**kwargs)

    return wrapped_view


def _safe_next(target: str | None) -> str:
    """``target`` if it is a path on this site, else the dashboard (no open redirects)."""
    if target and target.isprintable():
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") and "\\" not in target:
            if not target.startswith("//"):
                return target
    return url_for("index")


@bp.before_app_request
def load_logged_in_user() -> Any:
    """Put the signed-in user, if any, in ``g.user``; hold one who must change their password."""
    token = session.get("sid")
    if request.endpoint == "static" or not isinstance(token, str):
        g.user = None
        return None
    idle = current_app.config.get("SESSION_IDLE_SECONDS", logins.IDLE_SECONDS)
    db = get_db()
    g.user = users.get_user(db, logins.user_of(db, token, idle))
    if g.user is None:
        session.clear()  # signed out elsewhere, idle too long, or the user is gone
        return None
    if g.user.must_change and request.endpoint not in _OPEN_WHILE_MUST_CHANGE:
        if wants_json():
            abort(403)
        return redirect(url_for("auth.profile"))
    return None


@bp.route("/login", methods=("GET", "POST"))
def login() -> Any:
    """Sign in with a name and password (wrong passwords slow down, then lock, the account)."""
    if request.method == "POST":
        db = get_db()
        name = request.form.get("name", "").strip()
        keys = [logins.account_key(users.name_key(name)), logins.address_key(request.remote_addr)]
        refused = logins.refusal(db, keys)
        if refused is not None:
            if refused.locked:
                flash(
                    _(
                        "This account is locked after too many wrong passwords; ask an admin to unlock it."
                    ),
                    "error",
                )
                return render_template("auth/login.html", name=name), 403
            flash(
                _("Too many wrong passwords; wait %(n)d seconds and try again.", n=refused.wait),
                "error",
            )
            page = render_template("auth/login.html", name=name)
            return page, 429, {"Retry-After": str(refused.wait)}
        user = users.authenticate(db, name, request.form.get("password", ""))
        if user is None:
            logins.failed(db, keys)
            flash(_("Wrong user name or password."), "error")
            return render_template("auth/login.html", name=name), 401
        logins.succeeded(db, keys)
        session.clear()
        session["sid"] = logins.start(db, user.id)
        return redirect(_safe_next(request.form.get("next")))
    if g.user is not None:
        return redirect(_safe_next(request.args.get("next")))
    return render_template("auth/login.html", name="")


@bp.route("/logout", methods=("POST",))
def logout() -> Any:
    """Sign out: the session ends on the server too."""
    logins.end(get_db(), session.get("sid"))
    session.clear()
    return redirect(url_for("auth.login"))


@bp.route("/profile", methods=("GET", "POST"))
@login_required
def profile() -> Any:
    """Change one's own UI language or password."""
    if request.method == "POST":
        db = get_db()
        if request.form.get("action") == "language":
            ui_lang = request.form.get("ui_lang", "")
            if ui_lang and ui_lang not in UI_LANGS:
                abort(400)
            users.update_user(
                db,
                g.user.id,
                known_langs=project().languages,
                ui_lang=ui_lang or None,
                clear_ui_lang=not ui_lang,
            )
            flash(_("Language saved."), "ok")
            return redirect(url_for("auth.profile"))
        current = request.form.get("current", "")
        new = request.form.get("new", "")
        if users.authenticate(db, g.user.name, current) is None:
            flash(_("The current password is wrong."), "error")
        elif new != request.form.get("confirm", ""):
            flash(_("The new passwords differ."), "error")
        elif new == current:
            flash(_("Choose a password different from the current one."), "error")
        elif len(new) < users.MIN_PASSWORD:
            flash(
                _("The password must have at least %(n)d characters.", n=users.MIN_PASSWORD),
                "error",
            )
        else:
            users.set_password(db, g.user.id, new)
            logins.end_all(db, g.user.id, keep=session.get("sid"))
            flash(_("Password changed."), "ok")
            return redirect(url_for("index"))
        return render_template("auth/profile.html", ui_langs=UI_LANGS), 400
    if g.user.must_change:
        flash(_("This is a one-time password: choose your own before you go on."), "error")
    return render_template("auth/profile.html", ui_langs=UI_LANGS)


@bp.route("/users", methods=("GET", "POST"))
@admin_required
def manage_users() -> Any:
    """List users; create one."""
    db = get_db()
    config = project()
    if request.method == "POST":
        try:
            users.add_user(
                db,
                request.form.get("name", "").strip(),
                request.form.get("password", ""),
                request.form.get("role", ""),
                request.form.getlist("langs"),
                known_langs=config.languages,
                ui_lang=request.form.get("ui_lang") or None,
            )
        except UserError as e:
            flash(str(e), "error")
            return _users_page(), 400
        flash(_("User created."), "ok")
        return redirect(url_for("auth.manage_users"))
    return _users_page()


def _users_page() -> str:
    db = get_db()
    everyone = users.list_users(db)
    return render_template(
        "auth/users.html",
        users=everyone,
        locked={u.id for u in everyone if logins.is_locked(db, users.name_key(u.name))},
        roles=ROLES,
        languages=project().languages,
        ui_langs=UI_LANGS,
    )


@bp.route("/users/<int:user_id>", methods=("POST",))
@admin_required
def edit_user(user_id: int) -> Any:
    """Change a user's role and languages, reset their password, or delete them."""
    db = get_db()
    user = users.get_user(db, user_id)
    if user is None:
        abort(404)
    action = request.form.get("action")
    try:
        if action == "delete":
            if user.id == g.user.id:
                raise UserError(_("You cannot delete yourself."))
            users.delete_user(db, user.id)
            logins.end_all(db, user.id)
            flash(_("User deleted."), "ok")
        elif action == "password":
            users.set_password(db, user.id, request.form.get("password", ""), must_change=True)
            logins.end_all(db, user.id)
            logins.unlock(db, users.name_key(user.name))
            flash(_("Password reset; the user chooses a new one at the next sign-in."), "ok")
        elif action == "update":
            role = request.form.get("role", "")
            if user.id == g.user.id and role != "admin":
                raise UserError(_("You cannot take away your own admin role."))
            users.update_user(
                db,
                user.id,
                known_langs=project().languages,
                role=role,
                langs=request.form.getlist("langs"),
            )
            flash(_("User updated."), "ok")
        elif action == "unlock":
            logins.unlock(db, users.name_key(user.name))
            flash(_("Account unlocked."), "ok")
        else:
            abort(400)
    except UserError as e:
        flash(str(e), "error")
        return _users_page(), 400
    return redirect(url_for("auth.manage_users"))


def bootstrap_admin(app: Flask) -> None:
    """On the first start, with no users, create ``admin`` and print its one-time password."""
    conn = connect(Path(app.config["DATABASE"]))
    try:
        password = users.ensure_admin(conn)
    finally:
        conn.close()
    if password is not None:
        message = (
            "paragraf: no users yet, so an admin account was created.\n"
            f"  user: admin\n  one-time password: {password}\n"
            "Sign in and choose a new password; this one is not shown again."
        )
        print(message, file=sys.stderr, flush=True)
        app.logger.warning("created the first admin account; its one-time password was printed")


def init_app(app: Flask) -> None:
    """Create the first admin if there are no users (unless ``ADMIN_BOOTSTRAP`` is off)."""
    if app.config.get("ADMIN_BOOTSTRAP", True):
        bootstrap_admin(app)
