"""What the review page shows of a segment: the view model behind the template and the JSON."""

from __future__ import annotations

import hashlib
from datetime import datetime
from pathlib import Path
from typing import Any

import polib
from flask import current_app, g
from flask_babel import format_datetime, get_locale
from flask_babel import gettext as _

from .. import checks, comments, consistency, termbase
from ..checks import N_
from ..comments import Thread
from ..errors import CatalogError, ParagrafError
from ..po import catalog, dismissals
from ..po.store import CatalogRef, StatCache
from ..project import Report
from .context import get_db, project, store
from .highlight import highlight, word_diff


def segment_key(msgid: str) -> str:
    """A short, URL-safe name for a segment: a hash of its msgid."""
    return hashlib.blake2b(msgid.encode("utf-8"), digest_size=8).hexdigest()


def origin_label(origin: str | None) -> str:
    """How a draft's ``draft: …`` comment is shown."""
    if not origin:
        return ""
    if origin == "deepl":
        return _("DeepL")
    if origin == "libretranslate":
        return _("LibreTranslate")
    if origin == "figures":
        return _("Figures (no words)")
    kind, _sep, rest = origin.partition(" ")
    if kind == "tm":
        return _("Memory: %(origin)s", origin=rest)
    return origin


def when(stamp: str) -> str:
    """A history time stamp in the UI's locale."""
    try:
        return format_datetime(datetime.fromisoformat(stamp), "short")
    except ValueError:
        return stamp


def last_label(last: tuple[str, str] | None) -> dict[str, str] | None:
    """Who last changed a segment and when, as the page shows it."""
    return {"user": last[0], "at": when(last[1])} if last else None


_findings_cache: dict[tuple[str, str, str, str], tuple[checks.Finding, ...]] = {}
_terms_seen: list[object] = [None]


def _load_glossary(path: Path) -> tuple[object, list[dict[str, str]]]:
    st = path.stat()
    return (str(path), st.st_ino, st.st_mtime_ns, st.st_size), termbase.load_terms(path)


_glossaries = StatCache(_load_glossary, maxsize=8)


def glossary() -> list[dict[str, str]]:
    """The project's glossary rows (none if it has no glossary, or it cannot be read)."""
    return _terms()[1]


def _terms() -> tuple[object, list[dict[str, str]]]:
    """The glossary rows for the checks and a key that changes when the glossary file does."""
    path = project().glossary_path
    if not path.is_file():
        return None, []
    try:
        return _glossaries.get(path)
    except (OSError, ParagrafError) as e:
        current_app.logger.warning("glossary not used: %s", e)
        return None, []


def _findings(
    source: str, target: str, source_lang: str, target_lang: str
) -> tuple[checks.Finding, ...]:
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


def checked(
    msgid: str, text: str, comment: str, source_lang: str, lang: str
) -> tuple[list[checks.Finding], list[tuple[checks.Finding, dismissals.Dismissal]]]:
    """The findings of a text for a segment: those standing, and those dismissed for it."""
    if not text.strip():
        return [], []
    try:
        found = _findings(msgid, text, source_lang, lang)
    except Exception:  # a failing check must not take the editor down
        current_app.logger.exception("quality checks failed on a segment")
        return [], []
    return dismissals.split(found, comment, msgid, text)


def blocking(entry: polib.POEntry, text: str, ref: CatalogRef) -> list[checks.Finding]:
    """The error-level findings, not dismissed, that stop ``text`` from being approved."""
    live, _dismissed = checked(entry.msgid, text, entry.tcomment, ref.source_lang, ref.lang)
    return [f for f in live if f.severity == "error"]


_notes_cache: dict[str, tuple[object, list[consistency.Note]]] = {}


def _article_notes(slug: str) -> list[consistency.Note]:
    """The article's cross-version notes, computed again only when a catalog or the glossary changed."""
    projects = store()
    stamp: list[object] = [_terms()[0]]
    for ref in projects.catalogs(slugs=[slug]):
        try:
            st = ref.path.stat()
        except OSError:
            continue
        stamp.append((ref.lang, st.st_ino, st.st_mtime_ns, st.st_size))
    cached = _notes_cache.get(slug)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    found = consistency.article_notes(projects, slug, Report(), glossary())
    if len(_notes_cache) > 1000:
        _notes_cache.clear()
    _notes_cache[slug] = (stamp, found)
    return found


def notes_json(slug: str, lang: str, source_lang: str) -> dict[str, list[str]]:
    """msgid → the cross-version notes the page shows beside each segment of ``lang``."""
    try:
        found = _article_notes(slug)
    except CatalogError as e:  # the page works without them
        current_app.logger.warning("consistency not checked: %s", e)
        return {}
    return {
        msgid: [note.text(translated, _ui_locale()) for note in notes]
        for msgid, notes in consistency.notes_by_block(found, lang, source_lang).items()
    }


def live_notes(ref: CatalogRef, msgid: str, text: str) -> list[str]:
    """The notes on one block with ``text`` as this version's translation."""
    versions = {ref.source_lang: msgid}
    for other in store().catalogs(slugs=[ref.slug]):
        if other.lang == ref.lang:
            continue
        try:
            po = store().read(other, cached=True)
        except CatalogError:
            continue
        entry = next((e for e in po if not e.obsolete and e.msgid == msgid), None)
        if entry is not None and entry.msgstr:
            versions[other.lang] = entry.msgstr
    if text.strip():
        versions[ref.lang] = text
    found = consistency.compare(versions, ref.source_lang, glossary(), msgid)
    shown = consistency.notes_by_block(found, ref.lang, ref.source_lang)
    return [note.text(translated, _ui_locale()) for note in shown.get(msgid, [])]


def bulk_ready(entry: polib.POEntry, source_lang: str, lang: str) -> bool:
    """Whether a draft may be approved in bulk: it has text and no finding at all."""
    if catalog.state(entry) != "draft" or not entry.msgstr.strip():
        return False
    live_findings, _dismissed = checked(
        entry.msgid, entry.msgstr, entry.tcomment, source_lang, lang
    )
    return not live_findings


def _ui_locale() -> str:
    locale = g.get("ui_locale")
    if locale is None:
        locale = g.ui_locale = str(get_locale() or "en")
    return locale


def finding_json(
    finding: checks.Finding, dismissal: dismissals.Dismissal | None = None
) -> dict[str, Any]:
    """A finding as the page shows it, in the UI's language."""
    registered = checks.registry().get(finding.check)
    return {
        "check": finding.check,
        "label": translated(registered.label) if registered else finding.check,
        "severity": finding.severity,
        "message": finding.text(translated, _ui_locale()),
        "key": finding.key,
        "dismissed": {"user": dismissal.user, "reason": dismissal.reason} if dismissal else None,
    }


def findings_json(
    msgid: str, text: str, comment: str, source_lang: str, lang: str
) -> list[dict[str, Any]]:
    """Every finding of a text, those dismissed last (and marked so)."""
    live, dismissed = checked(msgid, text, comment, source_lang, lang)
    return [finding_json(f) for f in live] + [finding_json(f, d) for f, d in dismissed]


def kind_label(kind: str) -> str:
    """A block kind's name in the UI language (a front-matter key other than these as it is)."""
    if kind not in _KINDS:
        return kind
    return translated(_KINDS[kind])


_KINDS = {
    "title": N_("title"),
    "summary": N_("summary"),
    "author": N_("author"),
    "heading": N_("heading"),
    "paragraph": N_("paragraph"),
    "list item": N_("list item"),
    "quote": N_("quote"),
    "table cell": N_("table cell"),
    "footnote": N_("footnote"),
    "reference": N_("reference"),
}


def translated(message: str) -> str:
    """``gettext(message)``, once per request: a page of 200 segments asks for the same few."""
    cache: dict[str, str] = g.setdefault("ui_strings", {})
    found = cache.get(message)
    if found is None:
        found = cache[message] = _(message)
    return found


def segment_view(
    entry: polib.POEntry,
    number: int,
    source_lang: str,
    lang: str,
    last: tuple[str, str] | None,
    before: dict[str, str] | None = None,
) -> dict[str, Any]:
    """What the page shows of one segment (``before``: the catalog's approved obsolete entries)."""
    previous = (
        entry.previous_msgid if entry.previous_msgid and not catalog.is_approved(entry) else None
    )
    return {
        "stale": catalog.status(entry, before or {}) == "stale",
        **segment_json(entry, source_lang, lang, last),
        "number": number,
        "msgid": entry.msgid,
        "kind": kind_label(entry.comment.split(", ")[0] if entry.comment else ""),
        "line": entry.occurrences[0][1] if entry.occurrences else "",
        "source_html": highlight(entry.msgid),
        "diff_html": word_diff(previous, entry.msgid) if previous else None,
    }


def segment_json(
    entry: polib.POEntry, source_lang: str, lang: str, last: tuple[str, str] | None
) -> dict[str, Any]:
    """What a save answers about a segment."""
    return {
        "key": segment_key(entry.msgid),
        "text": entry.msgstr,
        "state": catalog.state(entry),
        "origin": origin_label(catalog.provenance(entry)),
        "aligned": catalog.alignment_score(entry),
        "last": last_label(last),
        "findings": findings_json(entry.msgid, entry.msgstr, entry.tcomment, source_lang, lang),
        "ready": bulk_ready(entry, source_lang, lang),
    }


def stats_json(stats: catalog.Stats) -> dict[str, Any]:
    """A catalog's progress as the page's bar and counters show it."""
    words = stats.words or 1
    data: dict[str, Any] = stats.as_dict()
    for state in catalog.STATUSES:
        data[f"{state}_share"] = round(100.0 * getattr(stats, f"{state}_words") / words, 2)
    data["percent_words"] = int(100 * stats.approved_words // words) if stats.words else 100
    return data


def state_label(state: str) -> str:
    """A state's name in the UI language."""
    return {
        "approved": _("Approved"),
        "draft": _("Draft"),
        "untranslated": _("Untranslated"),
        "all": _("All"),
        "aligned": _("Aligned, check these"),
        "memory": _("Memory"),
    }.get(state, state)


def thread_json(thread: Thread, lang: str) -> dict[str, Any]:
    """A thread as the review script draws it."""
    author = thread.comments[0].user
    return {
        "id": thread.id,
        "kind": thread.kind,
        "open": thread.open,
        "resolved_by": thread.resolved_by,
        "resolved_at": when(thread.resolved_at) if thread.resolved_at else "",
        "can_resolve": g.user.may_approve(lang) or g.user.name.casefold() == author.casefold(),
        "comments": [{"user": c.user, "at": when(c.at), "text": c.text} for c in thread.comments],
    }


def threads_by_key(slug: str, lang: str) -> dict[str, list[dict[str, Any]]]:
    """Every thread of a catalog, by segment key."""
    found: dict[str, list[dict[str, Any]]] = {}
    for thread in comments.threads(get_db(), slug, lang):
        found.setdefault(segment_key(thread.msgid), []).append(thread_json(thread, lang))
    return found
