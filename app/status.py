"""Progress of every article in every target language, from the catalogs."""

from __future__ import annotations

from dataclasses import dataclass

from .config import Config
from .errors import CatalogError
from .po import catalog
from .po.store import Store


@dataclass
class Row:
    """One article in one target language."""

    slug: str
    lang: str
    stats: catalog.Stats

    def as_dict(self) -> dict[str, object]:
        """Plain values, for JSON."""
        return {"article": self.slug, "lang": self.lang, **self.stats.as_dict()}


def status_rows(config: Config, langs: tuple[str, ...] = ()) -> list[Row]:
    """A row per article and target language (only ``langs`` if given), sorted by article."""
    rows = []
    store = Store(config)
    for ref in store.catalogs(langs):
        if not store.exists(ref):
            raise CatalogError(f"{ref.display}: missing; run 'paragraf update'")
        rows.append(Row(ref.slug, ref.lang, catalog.stats(store.read(ref))))
    return rows


def format_table(rows: list[Row]) -> str:
    """The rows as an aligned text table with a header line."""
    head = ("article", "lang", "approved", "draft", "untranslated", "words", "approved%")
    body = [
        (
            r.slug,
            r.lang,
            str(r.stats.approved),
            str(r.stats.draft),
            str(r.stats.untranslated),
            str(r.stats.words),
            f"{r.stats.percent_approved():.0f}%",
        )
        for r in rows
    ]
    widths = [max(len(row[i]) for row in [head, *body]) for i in range(len(head))]
    lines = []
    for row in [head, *body]:
        cells = [row[0].ljust(widths[0]), row[1].ljust(widths[1])]
        cells += [cell.rjust(width) for cell, width in zip(row[2:], widths[2:], strict=True)]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)
