"""The search page: concordance over every catalog and the memory (routes only)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, g, render_template, request, url_for
from markupsafe import Markup, escape

from ..errors import CatalogError
from ..project import article_info
from ..search import STATES, SearchError, pieces, search
from .auth import login_required
from .context import get_db, project, store
from .segments import segment_key

bp = Blueprint("search", __name__)


def highlighted(text: str, words: tuple[str, ...]) -> Markup:
    """``text`` escaped, with the query's matches in ``<mark>``."""
    return Markup("").join(
        Markup("<mark>%s</mark>") % piece if hit else escape(piece)
        for piece, hit in pieces(text, words)
    )


@bp.route("/search")
@login_required
def page() -> Any:
    """The segments whose source or translation match ``q``, in the user's languages."""
    config = project()
    langs = g.user.visible_langs(config.languages)
    q = request.args.get("q", "").strip()
    lang = request.args.get("lang", "")
    state = request.args.get("state", "")
    slug = request.args.get("article", "").strip()
    results, error = [], ""
    if q:
        wanted = [lang] if lang in langs else langs
        try:
            query, hits = search(
                get_db(),
                store(),
                q,
                langs=wanted,
                state=state if state in STATES else None,
                slug=slug or None,
            )
        except SearchError as e:
            error = str(e)
        else:
            titles = _titles({hit.slug for hit in hits if hit.slug})
            for hit in hits:
                key = segment_key(hit.source)
                results.append(
                    {
                        "hit": hit,
                        "title": titles.get(hit.slug, hit.slug),
                        "source_html": highlighted(hit.source, query.words),
                        "translations": [
                            {
                                "lang": t.lang,
                                "state": t.state,
                                "html": highlighted(t.text, query.words),
                                "url": url_for("review.page", lang=t.lang, slug=hit.slug)
                                + f"#seg-{key}"
                                if hit.slug
                                else "",
                            }
                            for t in hit.translations
                        ],
                    }
                )
    return render_template(
        "search/page.html",
        q=q,
        lang=lang,
        state=state,
        article=slug,
        langs=langs,
        states=STATES,
        results=results,
        error=error,
    )


def _titles(slugs: set[str]) -> dict[str, str]:
    """The titles of the articles found (a broken template shows its slug)."""
    found = {}
    for slug in slugs:
        try:
            found[slug] = article_info(store(), slug).title
        except CatalogError:
            found[slug] = slug
    return found
