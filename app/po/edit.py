"""Editing one catalog entry: under the catalog's lock, with conflict detection, atomically.

Independent of Flask, so the command line can use it too. A change names the
:class:`Version` (text and state) its author saw; if the entry holds something else
by the time the lock is taken, nothing is written and the outcome is a conflict
carrying the current version. The catalog is read and written through the
:class:`~app.po.store.Store` (a temporary file and a rename), under its lock, so
readers never see a half-written file and writers never lose an update.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

import polib

from ..errors import CatalogError, ParagrafError
from . import catalog, dismissals
from . import text as boundary
from .store import CatalogRef, Store
from .text import TextError

__all__ = [
    "STATES",
    "Change",
    "EditError",
    "EditForbidden",
    "EntryNotFound",
    "Outcome",
    "Version",
    "edit_entry",
    "edit_many",
    "version_of",
]

STATES = ("untranslated", "draft", "approved")
_ORIGIN_KINDS = ("deepl", "libretranslate", "tm", "figures")


class EditError(ParagrafError):
    """A change that cannot be made as asked (an approval without text, an unknown state)."""


class EditForbidden(EditError):
    """A change the user's role does not allow (a translator changing an approved entry)."""


class EntryNotFound(CatalogError):
    """The catalog has no active entry with the msgid (its source changed or was removed)."""


@dataclass(frozen=True)
class Version:
    """An entry's translation and state: what a page showed, or what a save wants."""

    text: str
    state: str

    def as_dict(self) -> dict[str, str]:
        """Plain values, for JSON."""
        return {"text": self.text, "state": self.state}


@dataclass(frozen=True)
class Outcome:
    """What a change did: ``saved``, ``unchanged`` (already so) or ``conflict``."""

    status: str
    before: Version
    after: Version
    entry: polib.POEntry
    catalog: polib.POFile

    @property
    def ok(self) -> bool:
        """True unless the change was refused for a conflict."""
        return self.status != "conflict"


class Journal(Protocol):
    """Where a change is recorded: first as pending, then confirmed once the file is written.

    A crash after :meth:`begin` leaves a pending record of a change that may or may not
    have reached the file; whoever reads the journal next settles it against the catalog
    (:func:`app.history.reconcile`).
    """

    def begin(self, before: Version, after: Version) -> Any:
        """Record the change as pending (and commit that); return its token."""

    def done(self, token: Any) -> None:
        """Confirm the change: the catalog holds it now."""


def version_of(entry: polib.POEntry) -> Version:
    """The entry's current text and state."""
    return Version(entry.msgstr, catalog.state(entry))


def check_origin(origin: str | None) -> str | None:
    """Validate a draft's provenance: an engine's name or ``tm <slug>`` (None: a person's)."""
    if not origin:
        return None
    kind, _, rest = origin.partition(" ")
    if kind not in _ORIGIN_KINDS or (kind == "tm") != bool(rest):
        raise EditError(
            f"origin must be one of {', '.join(_ORIGIN_KINDS)} (tm with a slug), got {origin!r}"
        )
    try:
        return boundary.line(origin, "the draft's origin")
    except TextError as e:
        raise EditError(str(e)) from e


def apply(entry: polib.POEntry, text: str, state: str | None, origin: str | None = None) -> Version:
    """Set ``entry`` to ``text`` in ``state`` (None: a draft if the text changed, else as it is).

    Empty text makes the entry untranslated. Approving drops ``fuzzy`` and the
    previous source (``#|``), as Poedit and Weblate do. The ``draft: …`` translator
    comment is set to ``origin`` when given, and dropped when a person changed the text;
    dismissed findings of another text or source are dropped (:mod:`app.po.dismissals`).
    """
    if state is not None and state not in STATES:
        raise EditError(f"state must be one of {', '.join(STATES)}, got {state!r}")
    try:
        text = boundary.text(text, "the translation")
    except TextError as e:
        raise EditError(str(e)) from e
    changed = text != entry.msgstr
    if state is None:
        state = "draft" if changed else catalog.state(entry)
    if not text.strip():
        if state == "approved":
            raise EditError("an empty translation cannot be approved; type a translation first")
        text, state = "", "untranslated"
    elif state == "untranslated":
        raise EditError("a translation with text is a draft or approved, not untranslated")
    pruned = dismissals.prune(entry.tcomment, entry.msgid, text)  # they hold for one text
    comments = pruned.split("\n") if pruned else []
    lines = [
        line
        for line in comments
        if not line.startswith(catalog.DRAFT_PREFIX)
        and not (
            changed and line.startswith(catalog.ALIGNED_PREFIX)
        )  # no longer the published text
    ]
    keep = catalog.provenance(entry)
    if origin:
        lines.insert(0, catalog.DRAFT_PREFIX + origin)
    elif keep is not None and not changed and text:
        lines.insert(0, catalog.DRAFT_PREFIX + keep)
    entry.tcomment = "\n".join(lines)
    entry.msgstr = text
    flags = [f for f in entry.flags if f != "fuzzy"]
    if state == "draft":
        flags.insert(0, "fuzzy")
    elif state == "approved":  # until then, the old source says what the stale translation was for
        entry.previous_msgid = None
        entry.previous_msgctxt = None
    entry.flags = flags
    return Version(text, state)


def find_entry(
    po: polib.POFile, select: str | Callable[[polib.POEntry], bool], display: str
) -> polib.POEntry:
    """The active entry with msgid ``select`` (or for which ``select(entry)`` is true)."""
    for entry in po:
        if entry.obsolete:
            continue
        if entry.msgid == select if isinstance(select, str) else select(entry):
            return entry
    raise EntryNotFound(
        f"{display}: no segment with this source text any more (it changed or was removed); reload the page"
    )


def edit_entry(
    store: Store,
    ref: CatalogRef,
    select: str | Callable[[polib.POEntry], bool],
    *,
    base: Version,
    text: str,
    state: str | None = None,
    origin: str | None = None,
    journal: Journal | None = None,
    may_change_approved: bool = True,
    dismiss: dismissals.Dismiss | None = None,
) -> Outcome:
    """Change one entry of the catalog ``ref`` if it still is ``base``; see :func:`apply`.

    ``select`` is the entry's msgid, or a predicate that picks it (the review page
    names segments by a hash of their msgid).
    A ``journal`` records the change under the lock, in two steps around the write
    (:class:`Journal`), so a history kept there is in the order of the writes and a crash
    between the two never leaves it disagreeing with the catalog. Without
    ``may_change_approved`` an approved entry can only be left as it is. ``dismiss``
    records findings of the new text as dismissed, in the same write.
    """
    origin = check_origin(origin)
    with store.lock(ref):
        po = store.read(ref)
        entry = find_entry(po, select, ref.display)
        current = version_of(entry)
        if current != base:
            # Someone else changed it; if they made it what we want, that is no conflict.
            wanted_state = state or ("draft" if text != current.text else current.state)
            if text.strip() and current == Version(text, wanted_state):
                return Outcome("unchanged", current, current, entry, po)
            return Outcome("conflict", current, current, entry, po)
        leaves_it = text == current.text and state in (None, "approved") and origin is None
        if not may_change_approved and current.state == "approved" and not leaves_it:
            raise EditForbidden("an approved translation can only be changed by a reviewer")
        old_comment = entry.tcomment
        after = apply(entry, text, state, origin)
        if dismiss is not None:
            try:
                entry.tcomment = dismissals.add(
                    entry.tcomment,
                    dismiss.findings,
                    entry.msgid,
                    after.text,
                    dismiss.user,
                    dismiss.reason,
                )
            except (dismissals.DismissalError, TextError) as e:
                raise EditError(str(e)) from e
        if after == current and entry.tcomment == old_comment:
            return Outcome("unchanged", current, current, entry, po)
        token = journal.begin(current, after) if journal is not None else None
        store.save(ref, po)
        if journal is not None:
            journal.done(token)
    return Outcome("saved", current, after, entry, po)


@dataclass(frozen=True)
class Change:
    """One entry's change in :func:`edit_many`: its msgid, the version its author saw, the new one."""

    msgid: str
    base: Version
    text: str
    state: str | None = None


def edit_many(
    store: Store,
    ref: CatalogRef,
    changes: list[Change],
    *,
    journal: Callable[[str], Journal] | None = None,
    accept: Callable[[polib.POEntry], bool] = lambda entry: True,
) -> tuple[dict[str, str], polib.POFile]:
    """Make several changes of one catalog in one write, under its lock; see :func:`edit_entry`.

    Each change is made only if its entry still is its ``base`` and ``accept(entry)``
    holds; the result maps each msgid to ``saved``, ``conflict``, ``refused`` or
    ``gone``. ``journal(msgid)`` records each saved change, pending before the write and
    confirmed after it.
    """
    results: dict[str, str] = {}
    pending: list[tuple[Journal, Any]] = []
    with store.lock(ref):
        po = store.read(ref)
        active = {e.msgid: e for e in po if not e.obsolete}
        for change in changes:
            entry = active.get(change.msgid)
            if entry is None:
                results[change.msgid] = "gone"
                continue
            current = version_of(entry)
            if current != change.base:
                results[change.msgid] = "conflict"
                continue
            if not accept(entry):
                results[change.msgid] = "refused"
                continue
            after = apply(entry, change.text, change.state)
            results[change.msgid] = "saved"
            if journal is not None:
                record = journal(change.msgid)
                pending.append((record, record.begin(current, after)))
        if "saved" in results.values():
            store.save(ref, po)
            for record, token in pending:
                record.done(token)
    return results, po
