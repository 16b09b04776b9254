"""Comments on segments in the review page: ask, answer, note, resolve (JSON routes only)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, g, jsonify
from flask_babel import gettext as _

from .. import comments
from ..comments import CommentError
from .auth import login_required
from .context import get_db
from .review import posted_entry, string_field
from .segments import thread_json

bp = Blueprint("comments", __name__, url_prefix="/review")


def _segment_threads(slug: str, lang: str, msgid: str) -> Any:
    return jsonify(
        threads=[thread_json(t, lang) for t in comments.threads(get_db(), slug, lang, [msgid])]
    )


@bp.route("/<lang>/<slug>/comments", methods=("POST",))
@login_required
def add(lang: str, slug: str) -> Any:
    """A new thread (a question or a note) on a segment, or a reply to one."""
    ref, data, entry = posted_entry(lang, slug)
    parent = data.get("parent")
    if parent is not None and (not isinstance(parent, int) or isinstance(parent, bool)):
        abort(400, _("Field parent must be a thread number."))
    try:
        comments.add(
            get_db(),
            slug,
            lang,
            entry.msgid,
            g.user.name,
            string_field(data, "text"),
            kind=string_field(data, "kind", "note"),
            parent=parent,
        )
    except CommentError as e:
        abort(400, str(e))
    return _segment_threads(slug, lang, entry.msgid)


@bp.route("/<lang>/<slug>/comments/<int:thread>/resolve", methods=("POST",))
@login_required
def resolve(lang: str, slug: str, thread: int) -> Any:
    """Mark a thread resolved, or open it again: its author or a reviewer of the language."""
    ref, data, entry = posted_entry(lang, slug)
    mine = [t for t in comments.threads(get_db(), slug, lang, [entry.msgid]) if t.id == thread]
    if not mine:
        abort(404, _("No such thread on this segment; reload the page."))
    if not thread_json(mine[0], lang)["can_resolve"]:
        abort(403)
    try:
        comments.resolve(get_db(), slug, lang, thread, g.user.name)
    except CommentError as e:
        abort(404, str(e))
    return _segment_threads(slug, lang, entry.msgid)
