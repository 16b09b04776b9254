"""The dashboard: every article in every language the user works in, with its progress."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from .. import assignments, comments
from ..comments import Thread
from ..errors import CatalogError
from ..po.catalog import Stats
from ..po.store import Store
from ..project import article_info
from .auth import login_required
from .context import get_db, project, store
from .segments import segment_key

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
    db = get_db()
    assigned = assignments.for_article(db)
    mine = [a for a in assigned.values() if a.involves(g.user.name)]
    mine.sort(key=lambda a: (not a.due, a.due, a.slug, a.lang))
    late = sorted(  # for an editor: every overdue assignment in the languages they approve
        (
            a
            for a in assigned.values()
            if a.overdue() and g.user.may_approve(a.lang) and a not in mine and a.lang in langs
        ),
        key=lambda a: (a.due, a.slug, a.lang),
    )
    known = titles(infos)
    questions = [
        (t, _anchor(catalogs, t)) for t in comments.open_questions(db, langs) if t.slug in known
    ]
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
        assigned=assigned,
        mine=mine,
        late=late,
        questions=questions,
        titles=known,
        editor_langs=[lang for lang in langs if g.user.may_approve(lang)],
        people=_people(),
        articles=[(i.slug, i.title, catalogs.targets(i.source_lang)) for i in infos],
    )


def _anchor(catalogs: Store, thread: Thread) -> str:
    """Where a question shows on the review page: its segment, or the removed blocks' list."""
    ref = catalogs.find(thread.lang, thread.slug)
    try:
        active = ref is not None and any(
            e.msgid == thread.msgid and not e.obsolete for e in catalogs.read(ref, cached=True)
        )
    except CatalogError:
        active = False
    return f"seg-{segment_key(thread.msgid)}" if active else "orphans"


def titles(infos: list[Any]) -> dict[str, str]:
    """Slug → title of the articles listed."""
    return {info.slug: info.title for info in infos}


def _people() -> list[Any]:
    from ..users import list_users

    return list_users(get_db())


@bp.route("/assign", methods=("POST",))
@login_required
def assign() -> Any:
    """An editor (an admin, or a reviewer of the language) assigns an article × language."""
    slug, lang = request.form.get("slug", ""), request.form.get("lang", "")
    if lang not in project().languages:
        abort(404)
    if not g.user.may_approve(lang):
        abort(403)
    if store().find(lang, slug) is None:
        abort(404)
    try:
        made = assignments.assign(
            get_db(),
            slug,
            lang,
            translator=request.form.get("translator", ""),
            reviewer=request.form.get("reviewer", ""),
            due=request.form.get("due", ""),
            by=g.user.name,
        )
    except assignments.AssignmentError as e:
        flash(str(e), "error")
    else:
        if made.translator or made.reviewer or made.due:
            flash(_("Assigned %(slug)s (%(lang)s).", slug=slug, lang=lang), "ok")
        else:
            flash(_("%(slug)s (%(lang)s) is no longer assigned.", slug=slug, lang=lang), "ok")
    return redirect(url_for("dashboard.index"))
