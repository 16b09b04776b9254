"""Search and replace for reviewers: the form, the preview, applying and undoing (routes only)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, g, render_template, request
from flask_babel import gettext as _

from .. import replace as replacing
from ..errors import CatalogError
from .auth import login_required
from .context import get_db, project, store
from .highlight import word_diff
from .review import reindex

bp = Blueprint("replace", __name__)


def _langs() -> list[str]:
    """The languages the user may replace in: those they approve in."""
    return [lang for lang in project().languages if g.user.may_approve(lang)]


@bp.route("/replace", methods=("GET", "POST"))
@login_required
def page() -> Any:
    """The form; POST ``action``: ``preview``, ``apply`` (the picked changes) or ``undo``."""
    langs = _langs()
    if not langs:
        abort(403)
    form = request.form if request.method == "POST" else request.args
    find, repl = form.get("find", ""), form.get("replace", "")
    lang = form.get("lang", langs[0])
    if lang not in langs:
        abort(403)
    slug = form.get("article", "").strip()
    case = form.get("case", "") == "1" or request.method == "GET"
    words = form.get("words", "") == "1" or request.method == "GET"
    action = request.form.get("action", "") if request.method == "POST" else ""
    found: list[replacing.Replacement] = []
    errors: list[str] = []
    done = None
    try:
        if action == "undo":
            done = replacing.undo(
                store(), get_db(), g.user.name, lang, request.form.get("batch", "")
            )
        elif action in ("preview", "apply"):
            found = replacing.preview(
                store(),
                lang,
                find,
                repl,
                slugs=[slug] if slug else [],
                case=case,
                words=words,
                errors=errors,
            )
            if action == "apply":
                picked = set(request.form.getlist("pick"))
                chosen = [r for r in found if r.token in picked]
                done = replacing.apply(store(), get_db(), g.user.name, lang, chosen, find, repl)
                done.skipped += len(picked) - len(chosen)  # changed since the preview
                found = []
    except (replacing.ReplaceError, CatalogError) as e:
        errors.append(str(e))
    if done is not None:
        for ref in done.refs:
            reindex(ref, store().read(ref))
    return render_template(
        "replace/page.html",
        langs=langs,
        lang=lang,
        find=find,
        repl=repl,
        article=slug,
        case=case,
        words=words,
        action=action,
        found=[(r, word_diff(r.before.text, r.after)) for r in found],
        states=replacing.states(found),
        errors=errors,
        done=done,
        undone=action == "undo",
        title=_("Search and replace"),
    )
