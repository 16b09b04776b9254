"""What the review page shows of a segment: the view model behind the template and the JSON."""

from __future__ import annotations

import hashlib
from datetime import datetime
from pathlib import Path
from typing import Any

import polib
from flask import current_app
from flask_babel import format_datetime
from flask_babel import gettext as _

from .. import checks, termbase
from ..errors import ParagrafError
from ..po import catalog
from ..po.store import StatCache
from .context import project
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
        "kind": entry.comment.split(", ")[0] if entry.comment else "",
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
        "last": last_label(last),
        "findings": findings(entry, source_lang, lang),
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
    }.get(state, state)
