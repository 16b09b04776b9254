"""Findings a reviewer dismissed as false positives, kept in the entry's translator comment.

One line per dismissal, so it travels with the catalog in git and Poedit keeps it::

    # dismissed: numbers 1a2b3c4d@9f8e7d6c ayse: the source rounds, the table does not

``numbers`` and ``1a2b3c4d`` name the finding (its check and the hash of its message,
:attr:`app.checks.Finding.key`); ``9f8e7d6c`` is a hash of the source and translation
it was dismissed for, so a dismissal holds only until either changes (it is then
dropped at the entry's next edit). The user and the reason close the line.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

from . import text as boundary

PREFIX = "dismissed: "
MAX_REASON = 500
_CHECK = re.compile(r"[a-z][a-z-]*")
_KEY = re.compile(r"[0-9a-f]{8}")
_LINE = re.compile(
    r"dismissed: (?P<check>[a-z][a-z-]*) (?P<key>[0-9a-f]{8})@(?P<pair>[0-9a-f]{8})"
    r" (?P<user>\S+): (?P<reason>.*)"
)

__all__ = [
    "PREFIX",
    "Dismiss",
    "Dismissal",
    "DismissalError",
    "active",
    "add",
    "parse",
    "prune",
    "reason_of",
]


class DismissalError(ValueError):
    """A dismissal that cannot be recorded as asked (no reason, a reason that is too long)."""


@dataclass(frozen=True)
class Dismissal:
    """One dismissed finding."""

    check: str
    key: str
    pair: str
    user: str
    reason: str


def pair_hash(source: str, target: str) -> str:
    """The short hash of a source and its translation."""
    return hashlib.blake2b(f"{source}\0{target}".encode(), digest_size=4).hexdigest()


def parse(comment: str) -> list[Dismissal]:
    """The dismissals in a translator comment (other lines ignored)."""
    found = []
    for line in comment.split("\n") if comment else ():
        match = _LINE.fullmatch(line)
        if match:
            found.append(Dismissal(**match.groupdict()))
    return found


def active(comment: str, source: str, target: str) -> dict[str, Dismissal]:
    """The dismissals that hold for this source and translation, by finding key."""
    pair = pair_hash(source, target)
    return {d.key: d for d in parse(comment) if d.pair == pair}


class _Keyed(Protocol):
    @property
    def key(self) -> str: ...


F = TypeVar("F", bound=_Keyed)


def split(
    findings: Sequence[F], comment: str, source: str, target: str
) -> tuple[list[F], list[tuple[F, Dismissal]]]:
    """The findings still standing, and those dismissed for this text with their dismissal."""
    held = active(comment, source, target) if PREFIX in comment else {}
    live = [f for f in findings if f.key not in held]
    return live, [(f, held[f.key]) for f in findings if f.key in held]


def prune(comment: str, source: str, target: str) -> str:
    """``comment`` without the dismissals of another source or translation."""
    pair = pair_hash(source, target)
    return "\n".join(
        line
        for line in (comment.split("\n") if comment else ())
        if not (_LINE.fullmatch(line) and line.split("@", 1)[1][:8] != pair)
    )


def reason_of(reason: str) -> str:
    """A reviewer's reason, checked: one line, not empty, at most 500 characters."""
    reason = " ".join(reason.split())
    if not reason:
        raise DismissalError("a reason is required: say why the finding is wrong")
    if len(reason) > MAX_REASON:
        raise DismissalError(f"the reason is {len(reason)} characters; at most {MAX_REASON}")
    try:
        return boundary.line(reason, "the reason")
    except boundary.TextError as e:
        raise DismissalError(str(e)) from e


def add(
    comment: str,
    findings: Iterable[tuple[str, str]],
    source: str,
    target: str,
    user: str,
    reason: str,
) -> str:
    """``comment`` (pruned) with the findings ``(check, key)`` dismissed by ``user`` for ``reason``."""
    reason = reason_of(reason)
    user = boundary.line(user, "the user name").replace(" ", "_") or "?"
    comment = prune(comment, source, target)
    held = active(comment, source, target)
    pair = pair_hash(source, target)
    lines = comment.split("\n") if comment else []
    for check, key in findings:
        if not (_CHECK.fullmatch(check) and _KEY.fullmatch(key)):
            raise DismissalError(f"not a finding: {check!r} {key!r}")
        if key not in held:
            lines.append(f"{PREFIX}{check} {key}@{pair} {user}: {reason}")
    return "\n".join(lines)


@dataclass(frozen=True)
class Dismiss:
    """Findings ``(check, key)`` to dismiss in an edit, by whom and why."""

    findings: tuple[tuple[str, str], ...]
    user: str
    reason: str
