"""The dashboard: every article in every language the user works in, with its progress."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Blueprint, abort, g, render_template, request

from ..errors import CatalogError
from ..po.catalog import Stats
from ..project import article_info
from .auth import login_required
from .context import project, store

bp = Blueprint("dashboard", __name__)
PER_PAGE = 50


@dataclass(frozen=True)
class Cell:
    """One article in one language: its counts, or None when the catalog is missing."""

    lang: str
    stats: Stats | None
    error: str = ""

    def share(self, state: str) -> float:
        """Percent of the source words in ``state``."""
        if self.stats is None or not self.stats.words:
            return 0.0
        return 100.0 * getattr(self.stats, f"{state}_words") / self.stats.words

    @property
    def percent(self) -> int:
        """Percent of the words approved, rounded down (100 only when all are)."""
        if self.stats is None:
            return 0
        if not self.stats.words:
            return 100
        return int(100 * self.stats.approved_words // self.stats.words)


@bp.route("/")
@login_required
def index() -> Any:
    """Articles × languages with progress in words, newest first, optionally one language."""
    config = project()
    langs = g.user.visible_langs(config.languages)
    chosen = request.args.get("lang", "")
    if chosen:
        if chosen not in config.languages:
            abort(404)
        if chosen not in langs:
            abort(403)
        langs = [chosen]
    problems: list[str] = []  # a broken file shows up here instead of failing the page
    catalogs = store()
    infos = []
    for slug in catalogs.slugs():
        try:
            info = article_info(catalogs, slug)
        except CatalogError as e:
            problems.append(str(e))
            continue
        infos.append(info)
        if info.problem:
            problems.append(info.problem)
    infos = [i for i in infos if set(catalogs.targets(i.source_lang)) & set(langs)]
    infos.sort(key=lambda i: (i.date, i.slug), reverse=True)
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    pages = max((len(infos) + PER_PAGE - 1) // PER_PAGE, 1)
    shown = infos[(page - 1) * PER_PAGE : page * PER_PAGE]
    rows = []
    for info in shown:
        targets = catalogs.targets(info.source_lang)
        cells: list[Cell | None] = []
        for lang in langs:
            if lang not in targets:
                cells.append(None)
                continue
            ref = catalogs.find(lang, info.slug)
            try:
                cells.append(Cell(lang, catalogs.stats(ref) if ref else None))
            except CatalogError as e:
                cells.append(Cell(lang, None, str(e)))
        rows.append((info, cells))
    return render_template(
        "dashboard/index.html",
        rows=rows,
        langs=langs,
        all_langs=g.user.visible_langs(config.languages),
        chosen=chosen,
        page=page,
        pages=pages,
        total=len(infos),
        problems=problems,
    )
