"""Progress of every article in every target language, from the catalogs, in words.

Words are what translators are paid by: the percentages are shares of the source
words. *approved%* is the translators' progress; *published%* (approved and stale) is
what the compile threshold compares. Block counts stand beside them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .assignments import Assignment, of_project
from .config import Config
from .errors import CatalogError
from .po import catalog
from .po.store import Store
from .project import Report
from .tm import diff_words


@dataclass
class Row:
    """One article in one target language."""

    slug: str
    lang: str
    stats: catalog.Stats
    assigned: Assignment | None = None

    def as_dict(self) -> dict[str, object]:
        """Plain values, for JSON."""
        who = self.assigned
        return {
            "article": self.slug,
            "lang": self.lang,
            **self.stats.as_dict(),
            "translator": who.translator if who else "",
            "reviewer": who.reviewer if who else "",
            "due": who.due if who else "",
        }


@dataclass(frozen=True)
class StaleBlock:
    """A block whose source changed after its translation was approved."""

    path: str
    line: int
    msgid: str
    previous: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: stale: {diff_words(self.previous, self.msgid)}"


def status_rows(config: Config, report: Report, langs: Iterable[str] = ()) -> list[Row]:
    """A row per article and target language, sorted by article; broken catalogs reported."""
    rows = []
    store = Store(config)
    assigned = of_project(config.instance_dir)
    for ref in store.catalogs(langs, report=report):
        if not store.exists(ref):
            report.fail(f"{ref.display}: missing; run 'paragraf update'")
            continue
        try:
            stats = catalog.stats(store.read(ref))
            rows.append(Row(ref.slug, ref.lang, stats, assigned.get((ref.slug, ref.lang))))
        except CatalogError as e:
            report.fail(e)
    return rows


def stale_blocks(config: Config, report: Report, langs: Iterable[str] = ()) -> list[StaleBlock]:
    """The stale blocks of every catalog, with the source their translation was approved for."""
    found = []
    store = Store(config)
    for ref, po in store.readable(report, langs):
        before = catalog.approved_before(po)
        for entry in po:
            if not entry.obsolete and catalog.status(entry, before) == "stale":
                line = entry.linenum or 1
                found.append(StaleBlock(ref.display, line, entry.msgid, entry.previous_msgid or ""))
    return found


HEAD = (
    "article",
    "lang",
    "approved",
    "stale",
    "draft",
    "untranslated",
    "words",
    "approved%",
    "published%",
    "assigned",
)


def _assignee(assigned: Assignment | None) -> str:
    if assigned is None:
        return ""
    people = " / ".join(name or "—" for name in (assigned.translator, assigned.reviewer))
    due = (
        f" by {assigned.due}" + (" (overdue)" if assigned.overdue() else "") if assigned.due else ""
    )
    return people + due


def format_table(rows: list[Row]) -> str:
    """The rows as an aligned text table with a header line."""
    body = [
        (
            r.slug,
            r.lang,
            *(str(getattr(r.stats, s)) for s in catalog.STATUSES),
            str(r.stats.words),
            f"{r.stats.percent_approved():.0f}%",
            f"{r.stats.percent_published():.0f}%",
            _assignee(r.assigned),
        )
        for r in rows
    ]
    widths = [max(len(row[i]) for row in [HEAD, *body]) for i in range(len(HEAD))]
    lines = []
    for row in [HEAD, *body]:
        cells = [row[0].ljust(widths[0]), row[1].ljust(widths[1])]
        cells += [cell.rjust(width) for cell, width in zip(row[2:-1], widths[2:-1], strict=True)]
        cells.append(row[-1])
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)
