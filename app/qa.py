"""Running the quality checks over catalogs: ``paragraf check`` and the gate of ``paragraf compile``."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass

import polib

from .checks import check_pair
from .config import Config
from .po import catalog, dismissals
from .po.store import CatalogRef, Store
from .project import Report
from .termbase import load_terms


@dataclass(frozen=True)
class Problem:
    """A finding located in a catalog: ``path:line: check: message``."""

    path: str
    line: int
    check: str
    severity: str
    message: str
    state: str
    msgid: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.check}: {self.message}"

    def as_dict(self) -> dict[str, object]:
        """Plain values, for JSON."""
        return asdict(self)


def glossary_terms(config: Config) -> list[dict[str, str]]:
    """The project's termbase rows, or none when it has no glossary file."""
    return load_terms(config.glossary_path) if config.glossary_path.exists() else []


def check_entries(
    po: polib.POFile,
    display: str,
    lang: str,
    terms: Sequence[Mapping[str, str]],
    *,
    approved_only: bool = False,
    errors_only: bool = False,
) -> Iterator[Problem]:
    """Findings of every translated entry of ``po`` (only approved ones if asked).

    A finding a reviewer dismissed for the entry's current text is left out.
    """
    source_lang = catalog.source_language(po)
    for entry in po:
        if entry.obsolete or not entry.msgstr or (approved_only and not catalog.is_approved(entry)):
            continue
        found = check_pair(
            entry.msgid, entry.msgstr, source_lang, lang, terms, errors_only=errors_only
        )
        live, _dismissed = dismissals.split(found, entry.tcomment, entry.msgid, entry.msgstr)
        for finding in live:
            yield Problem(
                display,
                entry.linenum or 1,
                finding.check,
                finding.severity,
                finding.message,
                catalog.state(entry),
                entry.msgid,
            )


def check_catalogs(
    config: Config, report: Report, langs: Iterable[str] = (), slugs: Iterable[str] = ()
) -> list[Problem]:
    """Findings of every article catalog, filtered by target language and article slug.

    A catalog or template that cannot be read is told to ``report``; the others go on.
    """
    terms = glossary_terms(config)
    problems: list[Problem] = []
    store = Store(config)
    for ref, po in store.readable(report, langs, slugs):
        problems.extend(check_entries(po, ref.display, ref.lang, terms))
    return problems


def publish_errors(po: polib.POFile, ref: CatalogRef) -> list[Problem]:
    """The errors in the approved entries of a catalog, which keep its article from being published.

    No glossary: its findings are warnings, which never hold a version back.
    """
    return list(check_entries(po, ref.display, ref.lang, (), approved_only=True, errors_only=True))
