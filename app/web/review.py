"""Reviewing one article in one language: the segment editor and its JSON actions (routes only)."""

from __future__ import annotations

from typing import Any

import polib
from flask import Blueprint, Response, abort, current_app, g, jsonify, render_template, request
from flask_babel import gettext as _

from .. import history as edits
from .. import offers
from ..errors import CatalogError, ParagrafError
from ..mt import machine_label
from ..po import catalog, dismissals
from ..po import text as boundary
from ..po.edit import EditError, EditForbidden, EntryNotFound, Version, edit_entry
from ..po.store import CatalogRef
from ..po.text import TextError
from ..project import article_info
from ..tm import sync
from ..tm.store import TranslationMemory
from .auth import login_required
from .context import get_db, project, store
from .glossary import terms_in
from .highlight import word_diff
from .segments import (
    blocking,
    finding_json,
    glossary,
    notes_json,
    segment_json,
    segment_key,
    segment_view,
    state_label,
    stats_json,
    threads_by_key,
    when,
)

bp = Blueprint("review", __name__, url_prefix="/review")

FILTERS = ("all", "untranslated", "draft", "approved", "aligned")
ACTIONS = {
    "save": None,
    "restore": None,
    "approve": "approved",
    "override": "approved",  # an approval over error findings, with a reviewer's reason
    "unapprove": "draft",
}


def catalog_or_abort(lang: str, slug: str) -> CatalogRef:
    """The catalog of ``slug`` in ``lang``: 404 unless it exists, 403 unless the user works in ``lang``."""
    if lang not in project().languages:
        abort(404)
    if not g.user.may_edit(lang):
        abort(403)
    ref = store().find(lang, slug)
    if ref is None:
        abort(404)
    return ref


def entries(po: polib.POFile) -> list[polib.POEntry]:
    """The active entries of a catalog, in document order."""
    return [e for e in po if not e.obsolete and e.msgid]


def entry_by_key(po: polib.POFile, key: str) -> polib.POEntry:
    for entry in entries(po):
        if segment_key(entry.msgid) == key:
            return entry
    abort(404, _("No such segment; it may have changed. Reload the page."))


@bp.route("/<lang>/<slug>")
@login_required
def page(lang: str, slug: str) -> Any:
    """The segments of one article in one language, in document order, with their editors."""
    ref = catalog_or_abort(lang, slug)
    po = store().read(ref, cached=True)
    shown = request.args.get("filter", "all")
    if shown not in FILTERS:
        shown = "all"
    # "aligned": drafts filled from a published translation, to check against the source
    active = entries(po)
    last = edits.last_edits(get_db(), slug, lang)
    counts = dict.fromkeys(FILTERS, 0)
    before = catalog.approved_before(po)
    segments = []
    for number, entry in enumerate(active, 1):
        state = catalog.state(entry)
        counts[state] += 1
        aligned = state == "draft" and catalog.alignment_score(entry) is not None
        counts["aligned"] += aligned
        if shown in ("all", state) or (shown == "aligned" and aligned):
            view = segment_view(entry, number, ref.source_lang, lang, last.get(entry.msgid), before)
            segments.append(view)
    counts["all"] = len(active)
    engine = _engine_label(ref.source_lang, lang)
    notes = notes_json(slug, lang, ref.source_lang)
    terms = glossary()
    for view in segments:
        view["notes"] = notes.get(view["msgid"], [])
        view["terms"] = terms_in(view["msgid"], ref.source_lang, lang, terms)
    ready = sum(view["ready"] for view in segments)
    threads = threads_by_key(slug, lang)
    keys = {segment_key(entry.msgid) for entry in active}
    return render_template(
        "review/page.html",
        lang=lang,
        slug=slug,
        info=article_info(store(), slug),
        source_lang=ref.source_lang,
        segments=segments,
        counts=counts,
        shown=shown,
        filters=FILTERS,
        stats=stats_json(catalog.stats(po)),
        can_approve=g.user.may_approve(lang),
        bulk_ready=ready,
        engine=engine,
        js_strings=js_strings(engine),
        threads=threads,
        orphans=[t for key, found in threads.items() if key not in keys for t in found],
        labels={
            "segment": _("Translation of segment %(n)d"),
            "line": _("line %(n)s"),
            "dismissed": _("dismissed by %(user)s: %(reason)s"),
            "aligned": _("aligned %(score)s"),
            **{state: state_label(state) for state in ("approved", "draft", "untranslated")},
        },
    )


def js_strings(engine: str | None) -> dict[str, Any]:
    """The review script's messages in the UI language."""
    return {
        "saving": _("Saving…"),
        "saved": _("Saved"),
        "unchanged": _("No change"),
        "error": _("Could not save:"),
        "offline": _("The server did not answer; your text is still here. Try again."),
        "gone": _(
            "This segment no longer exists in the catalog (its source changed). Reload the page."
        ),
        "conflict": _(
            "Someone else changed this segment after you opened it. Your text is still in the editor."
        ),
        "theirs": _("Their version"),
        "changes": _("Your text compared with theirs"),
        "use_theirs": _("Use theirs"),
        "keep_mine": _("Keep mine"),
        "keep_mine_hint": _("Now save or approve again to replace their version."),
        "history": _("History"),
        "no_history": _("No saves recorded yet."),
        "restore": _("Restore this version"),
        "earlier_source": _("(for an earlier source text)"),
        "no_matches": _("No translation-memory matches."),
        "no_tm": _("The translation memory is not available."),
        "loading": _("Loading…"),
        "use": _("Use"),
        "drafting": _("Asking %(engine)s…", engine=engine or ""),
        "drafted": _("%(engine)s draft inserted; save or approve it.", engine=engine or ""),
        "unsaved": _("You have unsaved changes."),
        "empty_approve": _("Type a translation before approving."),
        "states": {state: state_label(state) for state in ("approved", "draft", "untranslated")},
        "actions": {
            "save": _("saved"),
            "approve": _("approved"),
            "unapprove": _("unapproved"),
            "restore": _("restored"),
            "override": _("approved over its findings"),
            "dismiss": _("dismissed a finding"),
            "replace": _("replaced (search and replace)"),
        },
        "counts": _("%(a)d approved · %(d)d draft · %(u)d untranslated"),
        "dismiss": _("Dismiss"),
        "dismissed": _("dismissed by %(user)s: %(reason)s"),
        "dismiss_reason": _("Why is this finding wrong?"),
        "dismiss_ok": _("Dismiss it"),
        "save_first": _("Save the text first: a dismissal holds for the saved text."),
        "cancel": _("Cancel"),
        "override_title": _(
            "This translation has errors. A reviewer may approve it anyway, saying why:"
        ),
        "override_reason": _("Reason (recorded in the history and the catalog)"),
        "override_ok": _("Approve anyway"),
        "reason_required": _("A reason is required."),
        "bulk_confirm": _(
            "Approve %(n)d drafts without findings on this page? Each approval is recorded in the history."
        ),
        "bulk_done": _("%(n)d approved; %(s)d left as they were (changed, or with findings)."),
        "preview_failed": _("The preview could not be updated:"),
        "by_sentence": _("By sentence"),
        "sentence_n": _("sentence %(n)d"),
        "insert": _("Insert"),
        "comment_kinds": {"question": _("Question"), "note": _("Note")},
        "comment_placeholder": _("A question for the editor, or a note for the next translator"),
        "comment_post": _("Post"),
        "reply": _("Reply"),
        "reply_placeholder": _("Your answer"),
        "resolve": _("Resolve"),
        "reopen": _("Reopen"),
        "resolved": _("resolved by %(user)s, %(at)s"),
        "open_question": _("open question"),
    }


def _engine_label(source_lang: str, lang: str) -> str | None:
    """The machine engine configured for the pair, as the button names it (None: no button)."""
    try:
        return machine_label(project(), source_lang, lang)
    except Exception:  # a broken configuration hides the button rather than the page
        current_app.logger.exception("machine_label() failed")
        return None


def posted_entry(lang: str, slug: str) -> tuple[CatalogRef, dict[str, Any], polib.POEntry]:
    """The catalog, the JSON body and the entry its ``key`` names, of a script's POST about one segment."""
    ref = catalog_or_abort(lang, slug)
    data = json_body()
    return ref, data, entry_by_key(store().read(ref, cached=True), string_field(data, "key"))


def json_body() -> dict[str, Any]:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        abort(400, _("Expected a JSON object."))
    return data


def string_field(data: dict[str, Any], key: str, default: str | None = None) -> str:
    value = data.get(key, default)
    if not isinstance(value, str):
        abort(400, _("Field %(field)s must be text.", field=key))
    return value


@bp.route("/<lang>/<slug>/save", methods=("POST",))
@login_required
def save(lang: str, slug: str) -> Any:
    """Save, approve, un-approve or restore one segment, if it is still as the page showed it."""
    ref = catalog_or_abort(lang, slug)
    action, key, text, base, override = _save_request(lang)
    shown = entry_by_key(store().read(ref, cached=True), key)
    msgid = shown.msgid
    db = get_db()
    # Provenance is the server's: a text it offered for this segment, else a person's.
    origin = offers.origin_of(db, slug, lang, msgid, text) if action == "save" else None
    dismiss, note = None, ""
    if action == "approve":
        errors = blocking(shown, text, ref)
        if errors and override is None:
            return jsonify(
                status="needs-override",
                findings=[finding_json(f) for f in errors],
            ), 409
        if errors and override is not None:
            found = tuple((f.check, f.key) for f in errors)
            dismiss, note = dismissals.Dismiss(found, g.user.name, override), override
            action = "override"

    try:
        outcome = edit_entry(
            store(),
            ref,
            msgid,
            base=base,
            text=text,
            state=ACTIONS[action],
            origin=origin,
            journal=edits.Journal(db, slug, lang, msgid, g.user.name, action, note),
            may_change_approved=g.user.may_approve(lang),
            dismiss=dismiss,
        )
    except EntryNotFound:
        abort(404, _("No such segment; it may have changed. Reload the page."))
    except EditForbidden:
        abort(403, _("Only a reviewer may change an approved translation."))
    except EditError as e:
        abort(400, str(e))
    except CatalogError as e:
        current_app.logger.error("%s", e)
        abort(500, str(e))
    po = outcome.catalog
    if outcome.status == "saved" and "approved" in (outcome.before.state, outcome.after.state):
        reindex(ref, po)
    last = edits.last_edit(db, slug, lang, outcome.entry.msgid)
    body = {
        "status": outcome.status,
        "segment": segment_json(outcome.entry, ref.source_lang, lang, last),
        "stats": stats_json(catalog.stats(po)),
    }
    if outcome.status == "conflict":
        body["mine"] = text
        body["diff_html"] = str(word_diff(outcome.after.text, text))
        return jsonify(body), 409
    return jsonify(body)


def _save_request(lang: str) -> tuple[str, str, str, Version, str | None]:
    """The action, segment key, text, base version and override reason a save names (400 if malformed)."""
    data = json_body()
    action = string_field(data, "action", "save")
    if action not in ACTIONS or action == "override":
        abort(400, _("Unknown action."))
    if ACTIONS[action] is not None and not g.user.may_approve(lang):
        abort(403)
    key = string_field(data, "key")
    try:  # the text boundary, before the text goes anywhere (SQLite included)
        text = boundary.text(string_field(data, "text"), "the translation")
    except TextError as e:
        abort(400, str(e))
    base = Version(string_field(data, "base_text"), string_field(data, "base_state"))
    if "origin" in data:
        abort(400, _("Field origin is not accepted: the server records where a draft came from."))
    override = None
    if "override" in data:
        if action != "approve":
            abort(400, _("Only an approval can override findings."))
        try:
            override = dismissals.reason_of(string_field(data, "override"))
        except dismissals.DismissalError as e:
            abort(400, str(e))
    return action, key, text, base, override


def reindex(ref: CatalogRef, saved: polib.POFile) -> None:
    """Suggestions and drafts see an approval at once; the other catalogs come from the cache."""
    projects = store()

    def read(other: CatalogRef) -> polib.POFile:
        return saved if other.path == ref.path else projects.read(other, cached=True)

    try:
        with TranslationMemory(get_db()) as memory:
            sync.reindex(projects, memory, ref.slug, read)
    except CatalogError as e:  # the save is done; the memory catches up at its next refresh
        current_app.logger.warning("translation memory not updated: %s", e)


@bp.route("/<lang>/<slug>/history")
@login_required
def history(lang: str, slug: str) -> Any:
    """Every recorded save and approval of one segment, newest first."""
    ref = catalog_or_abort(lang, slug)
    entry = entry_by_key(store().read(ref, cached=True), request.args.get("key", ""))
    msgids = [entry.msgid] + ([entry.previous_msgid] if entry.previous_msgid else [])
    rows = edits.versions(get_db(), slug, lang, msgids)
    return jsonify(
        versions=[
            {
                "id": r.id,
                "user": r.user,
                "at": when(r.at),
                "action": r.action,
                "old_text": r.old_text,
                "old_state": r.old_state,
                "text": r.new_text,
                "state": r.new_state,
                "diff_html": str(word_diff(r.old_text, r.new_text)),
                "earlier_source": r.msgid != entry.msgid,
                "note": r.note,
            }
            for r in rows
        ]
    )


@bp.route("/<lang>/<slug>/suggestions")
@login_required
def suggestions(lang: str, slug: str) -> Any:
    """Translation-memory matches for one segment, best first."""
    ref = catalog_or_abort(lang, slug)
    entry = entry_by_key(store().read(ref, cached=True), request.args.get("key", ""))
    memory = TranslationMemory(get_db())  # shares this request's connection
    sync.refresh_now_and_then(project(), memory, warn=current_app.logger.warning)
    found = memory.search(entry.msgid, ref.source_lang, lang, limit=5, threshold=70)
    by_sentence = memory.search_sentences(entry.msgid, ref.source_lang, lang, threshold=75)
    offers.offer(get_db(), slug, lang, entry.msgid, [(m.target, f"tm {m.origin}") for m in found])
    return jsonify(
        available=True,
        matches=[
            {
                "score": round(float(m.score)),
                "source": m.source,
                "target": m.target,
                "origin": str(m.origin or ""),
                "diff_html": str(word_diff(m.source, entry.msgid)),
            }
            for m in found
        ],
        sentences=[
            {
                "sentence": number,
                "score": round(float(m.score)),
                "source": m.source,
                "target": m.target,
                "origin": str(m.origin or ""),
            }
            for number, m in by_sentence
        ],
    )


@bp.route("/<lang>/<slug>/draft", methods=("POST",))
@login_required
def machine_draft(lang: str, slug: str) -> Any:
    """A machine draft of one segment, for the editor (nothing is saved)."""
    from .. import draft as drafting

    ref, data, entry = posted_entry(lang, slug)
    fresh = data.get("fresh", False) is True  # "ask again": past the cache
    engine = _engine_label(ref.source_lang, lang)
    if engine is None:
        abort(503, _("Machine drafting is not configured for this language pair."))
    try:
        draft = drafting.draft_one(project(), slug, lang, entry.msgid, fresh=fresh)
    except ParagrafError as e:
        abort(502, str(e))
    offers.offer(get_db(), slug, lang, entry.msgid, [(draft.text, draft.origin)])
    return jsonify(text=draft.text, origin=draft.origin, lost=list(draft.lost))


@bp.app_template_filter("state_label")
def _state_label(state: str) -> str:
    return state_label(state)


@bp.after_app_request
def no_store_for_json(response: Response) -> Response:
    """Catalog data changes all the time: never let a cache keep it."""
    if response.mimetype == "application/json":
        response.headers["Cache-Control"] = "no-store"
    return response
