"""The glossary in the UI: the terms of a segment's source beside it, and editing the termbase."""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from .. import termbase
from ..checks.terms import fold, found
from ..errors import ParagrafError
from .auth import login_required
from .context import project, store

bp = Blueprint("glossary", __name__)


def may_edit() -> bool:
    """Reviewers and admins edit the glossary."""
    return g.user.is_admin or g.user.role == "reviewer"


def terms_in(
    source: str, source_lang: str, lang: str, rows: list[dict[str, str]]
) -> list[dict[str, str]]:
    """The glossary terms found in a segment's source (inflected too), with their ``lang`` term."""
    text = (source, fold(source, source_lang))
    shown = []
    for row in rows:
        term, target = row.get(source_lang), row.get(lang)
        if term and target and found(term, source_lang, True, text):
            shown.append({"source": term, "target": target})
    return shown


@bp.route("/glossary")
@login_required
def page() -> Any:
    """Every term; a reviewer edits, adds and removes them."""
    config = project()
    path = config.glossary_path
    languages, error, digest = list(config.languages), "", ""
    terms: list[dict[str, str]] = []
    if path.exists():
        try:
            languages, terms = termbase.parse_terms(path, path.read_text(encoding="utf-8-sig"))
            digest = termbase.file_digest(path)
        except (OSError, UnicodeDecodeError, ParagrafError) as e:
            error = str(e)
    return render_template(
        "glossary/page.html",
        languages=languages,
        terms=terms,
        digest=digest,
        error=error,
        can_edit=may_edit() and not error,
        path=config.relative(path),
    )


@bp.route("/glossary", methods=("POST",))
@login_required
def edit() -> Any:
    """Change, add or remove one term (all its cells empty), written atomically."""
    if not may_edit():
        abort(403)
    config = project()
    raw = request.form.get("index", "")
    if raw and not re.fullmatch("[0-9]{1,9}", raw):
        abort(400)
    index = int(raw) if raw else None
    cells = {
        key[len("term-") :]: value for key, value in request.form.items() if key.startswith("term-")
    }
    try:
        terms = termbase.edit_term(
            config.glossary_path,
            config.instance_dir / "glossary.lock",
            request.form.get("digest", ""),
            index,
            cells,
            list(config.languages),
            may_change=g.user.may_approve,
            may_add=lambda lang: g.user.may_approve(lang) or lang in _source_languages(),
        )
    except termbase.GlossaryError as e:
        flash(str(e), "error")
    else:
        flash(_("Glossary saved: %(n)d terms. The next machine draft uses it.", n=len(terms)), "ok")
    return redirect(url_for("glossary.page"))


def _source_languages() -> set[str]:
    """The languages articles are written in (a reviewer adds the source term they translate)."""
    catalogs = store()
    found = set()
    for slug in catalogs.slugs():
        try:
            found.add(catalogs.source_language(slug))
        except ParagrafError:
            continue
    return found
