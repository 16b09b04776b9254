"""Search and replace in the translations of one language: a preview, then drafts in the history.

Only translations change, never a source text. :func:`preview` lists every translation
that contains the text and what it would become; :func:`apply` makes the changes the
reviewer kept, each entry only if it still is what the preview showed, one write per
catalog under its lock (:func:`app.po.edit.edit_many`), each change a draft recorded
in the history with the batch's token; :func:`undo` puts back every change of a batch
that nobody changed since. Flask-free.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import sqlite3
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from . import history, langs
from .errors import CatalogError, ParagrafError
from .po import text as boundary
from .po.edit import STATES, Change, Version, edit_many, version_of
from .po.store import CatalogRef, Store
from .po.text import TextError

__all__ = ["Outcome", "ReplaceError", "Replacement", "apply", "preview", "states", "undo"]

MAX_FIND = 200  # characters
ACTION = "replace"
_NOTE = "replace {batch}: {find!r} → {replace!r}"


class ReplaceError(ParagrafError):
    """A search and replace that cannot be made (empty search, a refused character)."""


@dataclass(frozen=True)
class Replacement:
    """One translation as the preview showed it, and what it becomes."""

    slug: str
    msgid: str
    before: Version
    after: str

    @property
    def token(self) -> str:
        """Names the entry, the version the preview showed and the text it would become: an
        entry changed since, or a search edited after the preview, matches no ticked box."""
        seen = "\0".join((self.slug, self.msgid, self.before.text, self.before.state, self.after))
        return hashlib.blake2b(seen.encode("utf-8"), digest_size=12).hexdigest()


@dataclass
class Outcome:
    """What :func:`apply` or :func:`undo` did."""

    batch: str
    saved: int = 0
    skipped: int = 0  # changed since the preview, or gone
    refs: list[CatalogRef] = field(default_factory=list)  # the catalogs written


def _caseless(text: str, lang: str) -> str:
    """``text`` in lower case by the rules of ``lang`` (Turkish I/ı, İ/i), one character for
    one; letters that only look alike (ё and е) stay apart."""
    dotted = langs.base(lang) in ("tr", "az")
    out = []
    for char in text:
        if dotted and char in "Iİ":
            out.append("ı" if char == "I" else "i")
            continue
        low = char.lower()
        out.append(low if len(low) == 1 else char)
    return "".join(out)


def _spans(text: str, find: str, lang: str, case: bool, words: bool) -> list[tuple[int, int]]:
    """Where ``find`` occurs in ``text``: as written, or by the language's case rules; whole
    words only if asked."""
    haystack, needle = (text, find) if case else (_caseless(text, lang), _caseless(find, lang))
    body = re.escape(needle)
    if words:
        body = rf"(?<!\w){body}(?!\w)"
    return [m.span() for m in re.finditer(body, haystack)]


def _check_find(find: str) -> None:
    if not find:
        raise ReplaceError("type the text to find")
    if len(find) > MAX_FIND:
        raise ReplaceError(f"the text to find has {len(find)} characters; at most {MAX_FIND}")


def _clean(replace: str) -> str:
    try:
        return boundary.text(replace, "the replacement")
    except TextError as e:
        raise ReplaceError(str(e)) from e


def preview(
    store: Store,
    lang: str,
    find: str,
    replace: str,
    *,
    slugs: Iterable[str] = (),
    case: bool = True,
    words: bool = False,
    errors: list[str] | None = None,
) -> list[Replacement]:
    """Every translation in ``lang`` containing ``find``, with ``replace`` put in its place.

    Without ``case``, letters match by ``lang``'s case rules (in Turkish ``I`` is the
    capital of ``ı``, not of ``i``); with ``words``, only whole words match. An
    unreadable catalog is named in ``errors`` and left out.
    """
    _check_find(find)
    find, replace = unicodedata.normalize("NFC", find), _clean(replace)
    found = []
    for ref in store.catalogs([lang], slugs):
        try:
            po = store.read(ref, cached=True)
        except CatalogError as e:
            if errors is None:
                raise
            errors.append(str(e))
            continue
        for entry in po:
            if entry.obsolete or not entry.msgstr:
                continue
            spans = _spans(entry.msgstr, find, lang, case, words)
            if not spans:
                continue
            pieces, at = [], 0
            for start, end in spans:
                pieces += [entry.msgstr[at:start], replace]
                at = end
            after = "".join([*pieces, entry.msgstr[at:]])
            if after != entry.msgstr:
                found.append(Replacement(ref.slug, entry.msgid, version_of(entry), after))
    return found


def apply(
    store: Store,
    db: sqlite3.Connection,
    user: str,
    lang: str,
    picked: list[Replacement],
    find: str,
    replace: str,
) -> Outcome:
    """Make the replacements, each a draft, in one write per catalog; return the batch and counts."""
    batch = secrets.token_hex(4)
    by_slug: dict[str, list[Change]] = {}
    for r in picked:
        by_slug.setdefault(r.slug, []).append(Change(r.msgid, r.before, r.after, "draft"))
    note = _NOTE.format(batch=batch, find=find, replace=replace)
    return _edit(store, db, Outcome(batch), lang, by_slug, (user, ACTION, note))


def undo(store: Store, db: sqlite3.Connection, user: str, lang: str, batch: str) -> Outcome:
    """Put back every change of ``batch`` whose entry is still as the replacement left it."""
    if not re.fullmatch(r"[0-9a-f]{8}", batch):
        raise ReplaceError(f"no replacement {batch!r}")
    rows = db.execute(
        "SELECT slug, msgid, old_text, old_state, new_text, new_state FROM history"
        " WHERE lang = ? AND action = ? AND note LIKE ? AND done = 1 ORDER BY id",
        (lang, ACTION, f"replace {batch}:%"),
    ).fetchall()
    if not rows:
        raise ReplaceError(f"no replacement {batch!r} in {lang!r}")
    by_slug: dict[str, list[Change]] = {}
    for slug, msgid, old_text, old_state, new_text, new_state in rows:
        by_slug.setdefault(slug, []).append(
            Change(msgid, Version(new_text, new_state), old_text, old_state)
        )
    recorded = (user, "restore", f"undo of replace {batch}")
    return _edit(store, db, Outcome(batch), lang, by_slug, recorded)


def _edit(
    store: Store,
    db: sqlite3.Connection,
    outcome: Outcome,
    lang: str,
    by_slug: dict[str, list[Change]],
    recorded: tuple[str, str, str],
) -> Outcome:
    """The changes of each article's catalog in one write, each journaled as (user, action, note)."""
    user, action, note = recorded
    for slug, changes in by_slug.items():
        ref = store.find(lang, slug)
        if ref is None:
            outcome.skipped += len(changes)
            continue

        def journal(msgid: str, slug: str = slug) -> history.Journal:
            return history.Journal(db, slug, lang, msgid, user, action, note)

        results, _ = edit_many(store, ref, changes, journal=journal)
        saved = sum(result == "saved" for result in results.values())
        outcome.saved += saved
        outcome.skipped += len(changes) - saved
        if saved:
            outcome.refs.append(ref)
    return outcome


def states(found: list[Replacement]) -> dict[str, int]:
    """How many of the translations found are in each state."""
    counts = dict.fromkeys(STATES, 0)
    for r in found:
        counts[r.before.state] += 1
    return counts
