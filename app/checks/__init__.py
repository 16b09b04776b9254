r"""Quality checks on one (source, translation) pair: the registry and :func:`check_pair`.

A check sees a pair of texts and their languages, never a file. Each is one small
function in :mod:`app.checks.rules`, registered with :func:`check`; the texts are
reduced by :mod:`app.checks.plain` over the one inline lexer.

A check yields :class:`Message`\s: an English template marked with :func:`N_` (so the
review UI's catalogs carry it and show it in Turkish or Russian) and its values. A
:class:`Finding` keeps both, the English text for the command line, and a short
``key`` that names it for a dismissal.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from .. import langs
from .plain import Text, reduce

__all__ = [
    "N_",
    "Check",
    "Finding",
    "Message",
    "Pair",
    "check",
    "check_pair",
    "registry",
    "render",
    "say",
]


def N_(message: str) -> str:  # noqa: N802 - the name Babel's extractor looks for
    """Mark ``message`` for the UI's catalogs; it is translated where it is shown."""
    return message


@dataclass(frozen=True)
class Message:
    """A check's message: an English template and the values that fill it.

    A value named ``language`` is a language code, shown as the language's name;
    ``languages`` is a comma-separated list of codes, shown as their names.
    """

    template: str
    params: Mapping[str, str] = field(default_factory=dict)

    def __str__(self) -> str:
        return render(self.template, self.params)


def render(
    template: str,
    params: Mapping[str, str],
    gettext: Callable[[str], str] = str,
    locale: str = "en",
) -> str:
    """A message in a UI language: its template through ``gettext``, language names in ``locale``.

    >>> render("%(number)s is not written the %(language)s way", {"number": "3.5", "language": "tr"})
    '3.5 is not written the Turkish way'
    """
    if not params:
        return gettext(template)
    shown = dict(params)
    if "language" in shown:
        shown["language"] = langs.name_in(shown["language"], locale)
    if "languages" in shown:
        names = [langs.name_in(code, locale) for code in shown["languages"].split(",")]
        shown["languages"] = ", ".join(names)
    return gettext(template) % shown


def say(template: str, **params: object) -> Message:
    """A :class:`Message` (values shown as text)."""
    return Message(template, {name: str(value) for name, value in params.items()})


@dataclass(frozen=True)
class Finding:
    """One problem found in a translation."""

    check: str
    severity: str
    message: str  # in English
    template: str = ""
    params: tuple[tuple[str, str], ...] = ()

    def text(self, gettext: Callable[[str], str], locale: str) -> str:
        """The message in a UI language (see :func:`render`)."""
        return render(self.template, dict(self.params), gettext, locale)

    @property
    def key(self) -> str:
        """A short name of this finding, stable while its check and message are."""
        digest = hashlib.blake2b(f"{self.check}\0{self.message}".encode(), digest_size=4)
        return digest.hexdigest()


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
    func: Callable[[Pair], Iterator[Message]]
    label: str  # the check's name as the UI shows it (marked with N_)

    @property
    def description(self) -> str:
        """The first line of the check function's docstring."""
        return (self.func.__doc__ or "").strip().split("\n")[0]

    def __call__(self, pair: Pair) -> list[Finding]:
        return [
            Finding(self.name, self.severity, str(m), m.template, tuple(sorted(m.params.items())))
            for m in self.func(pair)
        ]


#: Every check by name, errors first, in the order :func:`check_pair` runs them; filled by
#: :func:`registry` on first use, so importing the package does not import the rules.
_CHECKS: dict[str, Check] = {}
_ORDERED: dict[str, Check] | None = None


def check(
    name: str, severity: str, label: str
) -> Callable[[Callable[[Pair], Iterator[Message]]], Check]:
    """Register the decorated function as the check ``name`` (``label``: its UI name)."""

    def register(func: Callable[[Pair], Iterator[Message]]) -> Check:
        _CHECKS[name] = Check(name, severity, func, label)
        return _CHECKS[name]

    return register


def check_pair(
    source: str,
    target: str,
    source_lang: str,
    target_lang: str,
    terms: Sequence[Mapping[str, str]] = (),
    *,
    errors_only: bool = False,
) -> list[Finding]:
    """Run every check (only the error-level ones if asked) on one pair; a blank target gives none."""
    if not target.strip():
        return []
    pair = Pair(source, target, source_lang, target_lang, terms)
    return [
        finding
        for registered in registry().values()
        if not errors_only or registered.severity == "error"
        for finding in registered(pair)
    ]


def registry() -> dict[str, Check]:
    """The checks, registered by importing their modules, in the order they run: module by
    module (errors first), each module's in the order it defines them (whichever module some
    other code happened to import first)."""
    global _ORDERED
    if _ORDERED is None:
        from . import markup_rules, number_rules, text_rules

        modules = [module.__name__ for module in (markup_rules, number_rules, text_rules)]
        _ORDERED = dict(
            sorted(_CHECKS.items(), key=lambda item: modules.index(item[1].func.__module__))
        )
    return _ORDERED
