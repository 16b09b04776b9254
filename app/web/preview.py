"""The preview of an article in one language, as the catalog would publish it now."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import polib
from flask import Blueprint, abort, render_template
from flask_babel import gettext as _
from markupsafe import Markup, escape

from ..errors import ParagrafError
from ..markdown.blocks import Block, parse_article, read_article, render
from ..markdown.blocks import body as article_body
from ..markdown.html import article_html
from ..po import catalog
from ..project import article_info
from .auth import login_required
from .context import project, store
from .review import catalog_or_abort, entries

bp = Blueprint("preview", __name__, url_prefix="/review")

# Private-use characters that mark drafts and untranslated blocks in the preview until
# they become <mark> elements; stripped from translations first.
_DRAFT, _UNTRANSLATED, _END = "\ue000", "\ue002", "\ue001"
_SENTINELS = str.maketrans("", "", _DRAFT + _UNTRANSLATED + _END)


def _marked(text: str) -> Markup:
    """Escaped ``text`` with the preview's sentinels turned into ``<mark>`` elements."""
    return Markup(_mark_html(str(escape(text))))


def _mark_html(text: str) -> str:
    """Turn the sentinels into ``<mark>`` tags (before rendering: the sanitizer balances them)."""
    return (
        text.replace(_DRAFT, '<mark class="draft">')
        .replace(_UNTRANSLATED, '<mark class="untranslated">')
        .replace(_END, "</mark>")
    )


def localized(blocks: Iterable[polib.POEntry]) -> dict[str, tuple[str, str]]:
    """msgid → (state, text) for the entries of a catalog."""
    return {e.msgid: (catalog.state(e), e.msgstr.translate(_SENTINELS)) for e in blocks}


@bp.route("/<lang>/<slug>/preview")
@login_required
def page(lang: str, slug: str) -> Any:
    """The article as the catalog would publish it now, drafts and untranslated blocks marked."""
    ref = catalog_or_abort(lang, slug)
    config = project()
    info = article_info(store(), slug)
    if info.source_path is None:
        abort(404, _("The article's source file is missing."))
    try:
        article = read_article(info.source_path, display=config.relative(info.source_path))
    except ParagrafError as e:
        abort(500, str(e))
    active = entries(store().read(ref, cached=True))
    table = localized(active)

    def lookup(block: Block) -> str | None:
        state, text = table.get(block.text, ("untranslated", ""))
        if state == "approved":
            return text
        if state == "draft":
            return _DRAFT + text + _END
        return _UNTRANSLATED + block.text.translate(_SENTINELS) + _END

    markdown_text = render(article, lookup, lang=lang)
    parsed = _read_meta(markdown_text)
    html = article_html(_mark_html(article_body(markdown_text)))
    return render_template(
        "review/preview.html",
        lang=lang,
        slug=slug,
        title=_marked(str(parsed.get("title", slug))),
        plain_title=str(parsed.get("title", slug)).translate(_SENTINELS),
        summary=_marked(str(parsed.get("summary", ""))),
        author=parsed.get("author", ""),
        date=parsed.get("date", ""),
        body=Markup(html),
        counts=catalog.stats(store().read(ref, cached=True)),
    )


def _read_meta(markdown_text: str) -> dict[str, Any]:
    """The front matter of a rendered article."""
    try:
        return parse_article(markdown_text, path=Path("preview.md")).meta
    except ParagrafError:
        return {}
