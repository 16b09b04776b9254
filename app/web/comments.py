"""Comments on segments in the review page: ask, answer, note, resolve (JSON routes only)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, g, jsonify
from flask_babel import gettext as _

from .. import comments
from ..comments import CommentError
from ..po.store import CatalogRef
from .auth import login_required
from .context import get_db, store
from .review import catalog_or_abort, json_body, posted_entry, string_field
from .segments import thread_json

bp = Blueprint("comments", __name__, url_prefix="/review")


def _segment_threads(ref: CatalogRef, msgid: str) -> Any:
    """The threads of the segment ``msgid``; of every removed block when it is one of them
    (the page shows those together)."""
    active = {e.msgid for e in store().read(ref, cached=True) if not e.obsolete}
    found = comments.threads(get_db(), ref.slug, ref.lang, None if msgid not in active else [msgid])
    if msgid not in active:
        found = [t for t in found if t.msgid not in active]
    return jsonify(threads=[thread_json(t, ref.lang) for t in found])


@bp.route("/<lang>/<slug>/comments", methods=("POST",))
@login_required
def add(lang: str, slug: str) -> Any:
    """A new thread (a question or a note) on a segment, or a reply to a thread."""
    ref = catalog_or_abort(lang, slug)
    data = json_body()
    parent = data.get("parent")
    if parent is not None and (not isinstance(parent, int) or isinstance(parent, bool)):
        abort(400, _("Field parent must be a thread number."))
    if parent is None:  # a new thread: on a segment of the catalog
        entry = posted_entry(lang, slug)[2]
        msgid = entry.msgid
    else:  # a reply goes where its thread is (its block may be gone)
        found = comments.thread(get_db(), slug, lang, parent)
        if found is None:
            abort(400, _("No such thread on this segment; reload the page."))
        msgid = found.msgid
    try:
        comments.add(
            get_db(),
            slug,
            lang,
            msgid,
            g.user.name,
            string_field(data, "text"),
            kind=string_field(data, "kind", "note"),
            parent=parent,
        )
    except CommentError as e:
        abort(400, str(e))
    return _segment_threads(ref, msgid)


@bp.route("/<lang>/<slug>/comments/<int:thread>/resolve", methods=("POST",))
@login_required
def resolve(lang: str, slug: str, thread: int) -> Any:
    """Resolve a thread, or open it again (``{"resolved": false}``): its author or a reviewer."""
    ref = catalog_or_abort(lang, slug)
    data = json_body()
    wanted = data.get("resolved", True)
    if not isinstance(wanted, bool):
        abort(400, _("Field resolved must be true or false."))
    found = comments.thread(get_db(), slug, lang, thread)
    if found is None:
        abort(404, _("No such thread on this segment; reload the page."))
    if not thread_json(found, lang)["can_resolve"]:
        abort(403)
    comments.resolve(get_db(), slug, lang, thread, g.user.name, wanted)
    return _segment_threads(ref, found.msgid)
