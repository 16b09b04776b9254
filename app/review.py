"""Reviewing one article in one language: the segment editor, its JSON actions and the preview."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import polib
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    g,
    jsonify,
    render_template,
    request,
)
from flask_babel import format_datetime
from flask_babel import gettext as _
from markupsafe import Markup, escape

from . import catalog, checks, glossary, library, tm
from . import draft as drafting
from . import memory as memory_sync
from .auth import login_required
from .build import article_html
from .db import get_db
from .edit import EditError, EditForbidden, EntryNotFound, Version, edit_entry
from .errors import CatalogError, ParagrafError
from .highlight import highlight, word_diff
from .readcache import StatCache
from .segment import Block, read_article, render
from .segment import body as article_body
from .web import project

bp = Blueprint("review", __name__, url_prefix="/review")

FILTERS = ("all", "untranslated", "draft", "approved")
ACTIONS = {"save": None, "restore": None, "approve": "approved", "unapprove": "draft"}
# Private-use characters that mark drafts and untranslated blocks in the preview until
# they become <mark> elements; stripped from translations first.
_DRAFT, _UNTRANSLATED, _END = "\ue000", "\ue002", "\ue001"
_SENTINELS = str.maketrans("", "", _DRAFT + _UNTRANSLATED + _END)


def _catalog_or_abort(lang: str, slug: str) -> Path:
    """The catalog of ``slug`` in ``lang``: 404 unless it exists, 403 unless the user works in ``lang``."""
    config = project()
    if lang not in config.languages:
        abort(404)
    if not g.user.may_edit(lang):
        abort(403)
    path = library.catalog_path(config, lang, slug)
    if path is None:
        abort(404)
    return path


def _entries(po: polib.POFile) -> list[polib.POEntry]:
    return [e for e in po if not e.obsolete and e.msgid]


def _entry_by_key(po: polib.POFile, key: str) -> polib.POEntry:
    for entry in _entries(po):
        if library.segment_key(entry.msgid) == key:
            return entry
    abort(404, _("No such segment; it may have changed. Reload the page."))


def origin_label(origin: str | None) -> str:
    """How a draft's ``draft: …`` comment is shown."""
    if not origin:
        return ""
    if origin == "deepl":
        return _("DeepL")
    kind, _sep, rest = origin.partition(" ")
    if kind == "tm":
        return _("Memory: %(origin)s", origin=rest)
    return origin


def _when(stamp: str) -> str:
    try:
        return format_datetime(datetime.fromisoformat(stamp), "short")
    except ValueError:
        return stamp


def _last_edits(slug: str, lang: str) -> dict[str, dict[str, str]]:
    """Who last saved each segment of a catalog, and when."""
    rows = get_db().execute(
        "SELECT msgid, user, at FROM history WHERE id IN"
        " (SELECT MAX(id) FROM history WHERE slug = ? AND lang = ? GROUP BY msgid)",
        (slug, lang),
    )
    return {r["msgid"]: {"user": r["user"], "at": _when(r["at"])} for r in rows}


_findings_cache: dict[tuple[str, str, str, str], tuple] = {}
_terms_seen: list[object] = [None]


def _terms() -> tuple[object, list]:
    """The glossary rows for the checks and a key that changes when the glossary file does."""
    path = project().glossary_path
    if not path.is_file():
        return None, []
    try:
        return _glossaries.get(path)
    except (OSError, ParagrafError) as e:
        current_app.logger.warning("glossary not used: %s", e)
        return None, []


def _load_glossary(path: Path) -> tuple[object, list]:
    st = path.stat()
    return (str(path), st.st_ino, st.st_mtime_ns, st.st_size), glossary.load_terms(path)


_glossaries = StatCache(_load_glossary, maxsize=8)


def _findings(source: str, target: str, source_lang: str, target_lang: str) -> tuple:
    version, terms = _terms()
    if _terms_seen[0] != version or len(_findings_cache) > 100_000:
        _findings_cache.clear()
        _terms_seen[0] = version
    key = (source, target, source_lang, target_lang)
    found = _findings_cache.get(key)
    if found is None:
        found = _findings_cache[key] = tuple(
            checks.check_pair(source, target, source_lang, target_lang, terms)
        )
    return found


def findings(entry: polib.POEntry, source_lang: str, lang: str) -> list[dict[str, str]]:
    """The quality checks' findings for a translated entry."""
    if not entry.msgstr:
        return []
    try:
        found = _findings(entry.msgid, entry.msgstr, source_lang, lang)
    except Exception:  # a failing check must not take the editor down
        current_app.logger.exception("quality checks failed on a segment")
        return []
    return [{"check": f.check, "severity": f.severity, "message": f.message} for f in found]


def segment_view(
    entry: polib.POEntry,
    number: int,
    source_lang: str,
    lang: str,
    last: dict[str, str] | None,
) -> dict[str, Any]:
    """What the page shows of one segment."""
    state = catalog.state(entry)
    previous = entry.previous_msgid if entry.fuzzy and entry.previous_msgid else None
    return {
        "number": number,
        "key": library.segment_key(entry.msgid),
        "msgid": entry.msgid,
        "text": entry.msgstr,
        "state": state,
        "kind": entry.comment.split(", ")[0] if entry.comment else "",
        "line": entry.occurrences[0][1] if entry.occurrences else "",
        "source_html": highlight(entry.msgid),
        "diff_html": word_diff(previous, entry.msgid) if previous else None,
        "origin": origin_label(catalog.provenance(entry)),
        "last": last,
        "findings": findings(entry, source_lang, lang),
    }


def _stats_json(stats: catalog.Stats) -> dict[str, Any]:
    words = stats.words or 1
    data: dict[str, Any] = stats.as_dict()
    for state in ("approved", "draft", "untranslated"):
        data[f"{state}_share"] = round(100.0 * getattr(stats, f"{state}_words") / words, 2)
    data["percent_words"] = int(100 * stats.approved_words // words) if stats.words else 100
    return data


@bp.route("/<lang>/<slug>")
@login_required
def page(lang: str, slug: str) -> Any:
    """The segments of one article in one language, in document order, with their editors."""
    path = _catalog_or_abort(lang, slug)
    config = project()
    po = library.read_catalog(path)
    source_lang = catalog.source_language(po)
    shown = request.args.get("filter", "all")
    if shown not in FILTERS:
        shown = "all"
    entries = _entries(po)
    last = _last_edits(slug, lang)
    counts = {name: 0 for name in FILTERS}
    segments = []
    for number, entry in enumerate(entries, 1):
        state = catalog.state(entry)
        counts[state] += 1
        if shown in ("all", state):
            segments.append(segment_view(entry, number, source_lang, lang, last.get(entry.msgid)))
    counts["all"] = len(entries)
    deepl = _deepl_configured()
    return render_template(
        "review/page.html",
        lang=lang,
        slug=slug,
        info=library.article_info(config, slug),
        source_lang=source_lang,
        segments=segments,
        counts=counts,
        shown=shown,
        filters=FILTERS,
        stats=_stats_json(catalog.stats(entries)),
        can_approve=g.user.may_approve(lang),
        deepl=deepl,
        js_strings=js_strings(),
        labels={
            "segment": _("Translation of segment %(n)d"),
            "line": _("line %(n)s"),
            **{state: state_label(state) for state in ("approved", "draft", "untranslated")},
        },
    )


def js_strings() -> dict[str, Any]:
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
        "drafting": _("Asking DeepL…"),
        "drafted": _("DeepL draft inserted; save or approve it."),
        "unsaved": _("You have unsaved changes."),
        "empty_approve": _("Type a translation before approving."),
        "states": {
            "approved": _("Approved"),
            "draft": _("Draft"),
            "untranslated": _("Untranslated"),
        },
        "actions": {
            "save": _("saved"),
            "approve": _("approved"),
            "unapprove": _("unapproved"),
            "restore": _("restored"),
        },
        "counts": _("%(a)d approved · %(d)d draft · %(u)d untranslated"),
    }


def _deepl_configured() -> bool:
    try:
        return drafting.deepl_configured()
    except Exception:  # a broken configuration hides the button rather than the page
        current_app.logger.exception("deepl_configured() failed")
        return False


def _json_body() -> dict[str, Any]:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        abort(400, _("Expected a JSON object."))
    return data


def _string(data: dict[str, Any], key: str, default: str | None = None) -> str:
    value = data.get(key, default)
    if not isinstance(value, str):
        abort(400, _("Field %(field)s must be text.", field=key))
    return value


@bp.route("/<lang>/<slug>/save", methods=("POST",))
@login_required
def save(lang: str, slug: str) -> Any:
    """Save, approve, un-approve or restore one segment, if it is still as the page showed it."""
    path = _catalog_or_abort(lang, slug)
    config = project()
    data = _json_body()
    action = _string(data, "action", "save")
    if action not in ACTIONS:
        abort(400, _("Unknown action."))
    if ACTIONS[action] is not None and not g.user.may_approve(lang):
        abort(403)
    key = _string(data, "key")
    text = _string(data, "text").replace("\r\n", "\n").replace("\r", "\n").translate(_SENTINELS)
    base = Version(_string(data, "base_text"), _string(data, "base_state"))
    origin = data.get("origin") or None
    if origin is not None and not isinstance(origin, str):
        abort(400)
    db = get_db()

    def record(before: Version, after: Version) -> None:
        with db:
            db.execute(
                "INSERT INTO history (slug, lang, msgid, user, at, action,"
                " old_text, old_state, new_text, new_state) VALUES (?,?,?,?,?,?,?,?,?,?)",
                (
                    slug,
                    lang,
                    chosen[0].msgid,
                    g.user.name,
                    datetime.now(UTC).isoformat(timespec="seconds"),
                    action,
                    before.text,
                    before.state,
                    after.text,
                    after.state,
                ),
            )

    chosen: list[polib.POEntry] = []

    def select(entry: polib.POEntry) -> bool:
        if library.segment_key(entry.msgid) == key:
            chosen.append(entry)
            return True
        return False

    try:
        outcome = edit_entry(
            config,
            path,
            select,
            base=base,
            text=text,
            state=ACTIONS[action],
            origin=origin,
            on_change=record,
            may_change_approved=g.user.may_approve(lang),
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
        saved = outcome.catalog  # the other catalogs come from the page cache
        try:
            with tm.TranslationMemory(db) as memory:  # suggestions and drafts see it at once
                memory_sync.reindex(
                    config, memory, slug, lambda p: saved if p == path else library.read_catalog(p)
                )
        except CatalogError as e:  # the save is done; the memory catches up at its next refresh
            current_app.logger.warning("translation memory not updated: %s", e)
    source_lang = catalog.source_language(po)
    last = _last_edits_one(slug, lang, outcome.entry.msgid)
    body = {
        "status": outcome.status,
        "segment": _segment_json(outcome.entry, source_lang, lang, last),
        "stats": _stats_json(catalog.stats(po)),
    }
    if outcome.status == "conflict":
        body["mine"] = text
        body["diff_html"] = str(word_diff(outcome.after.text, text))
        return jsonify(body), 409
    return jsonify(body)


def _last_edits_one(slug: str, lang: str, msgid: str) -> dict[str, str] | None:
    row = (
        get_db()
        .execute(
            "SELECT user, at FROM history WHERE slug = ? AND lang = ? AND msgid = ?"
            " ORDER BY id DESC LIMIT 1",
            (slug, lang, msgid),
        )
        .fetchone()
    )
    return {"user": row["user"], "at": _when(row["at"])} if row else None


def _segment_json(
    entry: polib.POEntry, source_lang: str, lang: str, last: dict[str, str] | None
) -> dict[str, Any]:
    return {
        "key": library.segment_key(entry.msgid),
        "text": entry.msgstr,
        "state": catalog.state(entry),
        "origin": origin_label(catalog.provenance(entry)),
        "last": last,
        "findings": findings(entry, source_lang, lang),
    }


@bp.route("/<lang>/<slug>/history")
@login_required
def history(lang: str, slug: str) -> Any:
    """Every recorded save and approval of one segment, newest first."""
    path = _catalog_or_abort(lang, slug)
    entry = _entry_by_key(library.read_catalog(path), request.args.get("key", ""))
    msgids = [entry.msgid] + ([entry.previous_msgid] if entry.previous_msgid else [])
    rows = (
        get_db()
        .execute(
            "SELECT * FROM history WHERE slug = ? AND lang = ? AND msgid IN (?, ?)"
            " ORDER BY id DESC LIMIT 200",
            (slug, lang, msgids[0], msgids[-1]),
        )
        .fetchall()
    )
    return jsonify(
        versions=[
            {
                "id": r["id"],
                "user": r["user"],
                "at": _when(r["at"]),
                "action": r["action"],
                "old_text": r["old_text"],
                "old_state": r["old_state"],
                "text": r["new_text"],
                "state": r["new_state"],
                "diff_html": str(word_diff(r["old_text"], r["new_text"])),
                "earlier_source": r["msgid"] != entry.msgid,
            }
            for r in rows
        ]
    )


@bp.route("/<lang>/<slug>/suggestions")
@login_required
def suggestions(lang: str, slug: str) -> Any:
    """Translation-memory matches for one segment, best first."""
    path = _catalog_or_abort(lang, slug)
    po = library.read_catalog(path)
    entry = _entry_by_key(po, request.args.get("key", ""))
    memory = tm.TranslationMemory(get_db())  # shares this request's connection
    memory_sync.refresh_now_and_then(project(), memory, warn=current_app.logger.warning)
    found = memory.search(entry.msgid, catalog.source_language(po), lang, limit=5, threshold=70)
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
    )


@bp.route("/<lang>/<slug>/draft", methods=("POST",))
@login_required
def machine_draft(lang: str, slug: str) -> Any:
    """A DeepL draft of one segment, for the editor (nothing is saved)."""
    path = _catalog_or_abort(lang, slug)
    entry = _entry_by_key(library.read_catalog(path), _string(_json_body(), "key"))
    if not _deepl_configured():
        abort(503, _("Machine drafting is not configured (set DEEPL_AUTH_KEY)."))
    try:
        text = drafting.draft_one(project(), slug, lang, entry.msgid)
    except ParagrafError as e:
        abort(502, str(e))
    return jsonify(text=text, origin="deepl")


def _marked(text: str) -> Markup:
    """Escaped ``text`` with the preview's sentinels turned into ``<mark>`` elements."""
    html = str(escape(text))
    html = html.replace(_DRAFT, '<mark class="draft">').replace(
        _UNTRANSLATED, '<mark class="untranslated">'
    )
    return Markup(html.replace(_END, "</mark>"))


def localized(blocks: Iterable[polib.POEntry]) -> dict[str, tuple[str, str]]:
    """msgid → (state, text) for the entries of a catalog."""
    return {e.msgid: (catalog.state(e), e.msgstr.translate(_SENTINELS)) for e in blocks}


@bp.route("/<lang>/<slug>/preview")
@login_required
def preview(lang: str, slug: str) -> Any:
    """The article as the catalog would publish it now, drafts and untranslated blocks marked."""
    path = _catalog_or_abort(lang, slug)
    config = project()
    info = library.article_info(config, slug)
    if info.source_path is None:
        abort(404, _("The article's source file is missing."))
    try:
        article = read_article(info.source_path, display=config.relative(info.source_path))
    except ParagrafError as e:
        abort(500, str(e))
    table = localized(_entries(library.read_catalog(path)))

    def lookup(block: Block) -> str | None:
        state, text = table.get(block.text, ("untranslated", ""))
        if state == "approved":
            return text
        if state == "draft":
            return _DRAFT + text + _END
        return _UNTRANSLATED + block.text.translate(_SENTINELS) + _END

    markdown_text = render(article, lookup, lang=lang)
    parsed = read_meta(markdown_text)
    html = article_html(_mark_html(article_body(markdown_text)))
    counts = catalog.stats(_entries(library.read_catalog(path)))
    return render_template(
        "review/preview.html",
        lang=lang,
        slug=slug,
        title=_marked(str(parsed.get("title", slug))),
        plain_title=str(parsed.get("title", slug)).translate(_SENTINELS),
        summary=_marked(str(parsed.get("summary", ""))),
        author=parsed.get("author", ""),
        date=parsed.get("date", ""),
        body=Markup(html),
        counts=counts,
    )


def _mark_html(markdown_text: str) -> str:
    """Turn the sentinels into ``<mark>`` tags before rendering (the sanitizer balances them)."""
    return (
        markdown_text.replace(_DRAFT, '<mark class="draft">')
        .replace(_UNTRANSLATED, '<mark class="untranslated">')
        .replace(_END, "</mark>")
    )


def read_meta(markdown_text: str) -> dict[str, Any]:
    """The front matter of a rendered article."""
    from .segment import parse_article

    try:
        return parse_article(markdown_text, path=Path("preview.md")).meta
    except ParagrafError:
        return {}


@bp.app_template_filter("state_label")
def state_label(state: str) -> str:
    """A state's name in the UI language."""
    return {
        "approved": _("Approved"),
        "draft": _("Draft"),
        "untranslated": _("Untranslated"),
        "all": _("All"),
    }.get(state, state)


@bp.after_app_request
def no_store_for_json(response: Response) -> Response:
    """Catalog data changes all the time: never let a cache keep it."""
    if response.mimetype == "application/json":
        response.headers["Cache-Control"] = "no-store"
    return response
