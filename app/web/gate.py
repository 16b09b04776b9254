"""The review page's checks: live findings, the gate at approval, dismissals, bulk approval.

- ``POST …/check``: the findings of the editor's text as it is typed (the same as
  ``paragraf check`` and the compile gate give), and the cross-version notes
  (:mod:`app.consistency`) with that text in place of the saved one.
- The gate (:func:`app.web.segments.blocking`, in the save route): an approval whose text has an error-level finding is
  refused unless a reviewer overrides it with a reason; the override dismisses those
  findings in the catalog and is recorded in the history with the reason.
- ``POST …/dismiss``: a reviewer marks one finding of the saved text as a false positive.
- ``POST …/approve-drafts``: every draft the page shows without findings, approved in
  one write, one history row each.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, g, jsonify
from flask_babel import gettext as _

from .. import history as edits
from ..errors import CatalogError
from ..po import catalog, dismissals
from ..po.edit import Change, EditError, EntryNotFound, Version, edit_entry, edit_many
from .auth import login_required
from .context import get_db, store
from .review import (
    catalog_or_abort,
    entries,
    entry_by_key,
    json_body,
    posted_entry,
    reindex,
    string_field,
)
from .segments import (
    bulk_ready,
    checked,
    findings_json,
    live_notes,
    segment_json,
    segment_key,
    stats_json,
)

bp = Blueprint("gate", __name__, url_prefix="/review")


@bp.route("/<lang>/<slug>/check", methods=("POST",))
@login_required
def live(lang: str, slug: str) -> Any:
    """The findings and cross-version notes of an unsaved text: ``{"key", "text"}``."""
    ref, data, entry = posted_entry(lang, slug)
    text = string_field(data, "text")
    return jsonify(
        findings=findings_json(entry.msgid, text, entry.tcomment, ref.source_lang, lang),
        notes=live_notes(ref, entry.msgid, text),
    )


@bp.route("/<lang>/<slug>/dismiss", methods=("POST",))
@login_required
def dismiss(lang: str, slug: str) -> Any:
    """Dismiss one finding of the saved text as a false positive, with a reason (reviewers)."""
    ref = catalog_or_abort(lang, slug)
    if not g.user.may_approve(lang):
        abort(403)
    data = json_body()
    entry = entry_by_key(store().read(ref, cached=True), string_field(data, "key"))
    base = Version(string_field(data, "base_text"), string_field(data, "base_state"))
    finding_key = string_field(data, "finding")
    try:
        reason = dismissals.reason_of(string_field(data, "reason"))
    except dismissals.DismissalError as e:
        abort(400, str(e))
    live_findings, _dismissed = checked(
        entry.msgid, base.text, entry.tcomment, ref.source_lang, lang
    )
    finding = next((f for f in live_findings if f.key == finding_key), None)
    if finding is None:
        abort(409, _("This finding is no longer there; the text or the checks changed."))
    try:
        outcome = edit_entry(
            store(),
            ref,
            entry.msgid,
            base=base,
            text=base.text,
            journal=edits.Journal(
                get_db(), slug, lang, entry.msgid, g.user.name, "dismiss", reason
            ),
            dismiss=dismissals.Dismiss(((finding.check, finding.key),), g.user.name, reason),
        )
    except EntryNotFound:
        abort(404, _("No such segment; it may have changed. Reload the page."))
    except EditError as e:
        abort(400, str(e))
    last = edits.last_edit(get_db(), slug, lang, entry.msgid)
    body = {
        "status": outcome.status,
        "segment": segment_json(outcome.entry, ref.source_lang, lang, last),
        "stats": stats_json(catalog.stats(outcome.catalog)),
    }
    return jsonify(body), 409 if outcome.status == "conflict" else 200


@bp.route("/<lang>/<slug>/approve-drafts", methods=("POST",))
@login_required
def approve_drafts(lang: str, slug: str) -> Any:
    """Approve the drafts named ``{"segments": [{"key", "base_text"}]}`` that have no findings."""
    ref = catalog_or_abort(lang, slug)
    if not g.user.may_approve(lang):
        abort(403)
    named = json_body().get("segments")
    if not isinstance(named, list) or not all(
        isinstance(s, dict)
        and isinstance(s.get("key"), str)
        and isinstance(s.get("base_text"), str)
        for s in named
    ):
        abort(400, _("Expected a list of segments."))
    by_key = {segment_key(e.msgid): e.msgid for e in entries(store().read(ref, cached=True))}
    changes = [
        Change(by_key[s["key"]], Version(s["base_text"], "draft"), s["base_text"], "approved")
        for s in named
        if s["key"] in by_key
    ]
    db = get_db()
    try:
        results, po = edit_many(
            store(),
            ref,
            changes,
            journal=lambda msgid: edits.Journal(db, slug, lang, msgid, g.user.name, "approve"),
            accept=lambda entry: bulk_ready(entry, ref.source_lang, lang),
        )
    except CatalogError as e:
        current_app.logger.error("%s", e)
        abort(500, str(e))
    approved = [msgid for msgid, result in results.items() if result == "saved"]
    if approved:
        reindex(ref, po)
    last = edits.last_edits(db, slug, lang)
    active = {e.msgid: e for e in po if not e.obsolete}
    return jsonify(
        approved=len(approved),
        skipped=len(named) - len(approved),
        segments=[
            segment_json(active[msgid], ref.source_lang, lang, last.get(msgid))
            for msgid in results
            if msgid in active
        ],
        stats=stats_json(catalog.stats(po)),
    )
