"""Quality checks on one (source, translation) pair: the registry and :func:`check_pair`.

A check sees a pair of texts and their languages, never a file. Each is one small
function in :mod:`app.checks.rules`, registered with :func:`check`; the texts are
reduced by :mod:`app.checks.plain` over the one inline lexer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

from .. import langs
from .plain import Text, reduce

__all__ = ["CHECKS", "Check", "Finding", "Pair", "check", "check_pair"]


@dataclass(frozen=True)
class Finding:
    """One problem found in a translation."""

    check: str
    severity: str
    message: str


@dataclass(frozen=True)
class Pair:
    """A source text and its translation, with their languages and glossary rows."""

    source: str
    target: str
    source_lang: str
    target_lang: str
    terms: Sequence[Mapping[str, str]] = ()

    @cached_property
    def src(self) -> Text:
        """The reduced source."""
        return reduce(self.source, langs.base(self.source_lang))

    @cached_property
    def tgt(self) -> Text:
        """The reduced target."""
        return reduce(self.target, langs.base(self.target_lang))


@dataclass(frozen=True)
class Check:
    """A registered check: its name, its severity and the function yielding messages."""

    name: str
    severity: str
    func: Callable[[Pair], Iterator[str]]

    @property
    def description(self) -> str:
        """The first line of the check function's docstring."""
        return (self.func.__doc__ or "").strip().split("\n")[0]

    def __call__(self, pair: Pair) -> list[Finding]:
        return [Finding(self.name, self.severity, message) for message in self.func(pair)]


#: Every check by name, errors first, in the order :func:`check_pair` runs them.
CHECKS: dict[str, Check] = {}


def check(name: str, severity: str) -> Callable[[Callable[[Pair], Iterator[str]]], Check]:
    """Register the decorated function as the check ``name``."""

    def register(func: Callable[[Pair], Iterator[str]]) -> Check:
        CHECKS[name] = Check(name, severity, func)
        return CHECKS[name]

    return register


def check_pair(
    source: str,
    target: str,
    source_lang: str,
    target_lang: str,
    terms: Sequence[Mapping[str, str]] = (),
) -> list[Finding]:
    """Run every check on one pair; an empty (or blank) target gives no findings."""
    if not target.strip():
        return []
    pair = Pair(source, target, source_lang, target_lang, terms)
    return [finding for registered in CHECKS.values() for finding in registered(pair)]


from . import rules as _rules  # noqa: E402,F401  (registers the checks)
