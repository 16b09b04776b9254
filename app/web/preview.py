"""The live preview beside the editor: the article as ``paragraf compile`` would publish it.

The HTML comes from :func:`app.publish.localize`, the compile verb's own function: each
block's approved translation, else its stale one, else the source (marked with its
language). With *drafts* on, drafts and the editor's unsaved texts are shown too,
marked. The date is written as the version's readers write it. The page's CSP allows
no inline styles: table alignment comes as classes (:mod:`app.markdown.html`).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, jsonify, render_template
from flask_babel import gettext as _
from markupsafe import Markup

from .. import publish
from ..errors import ParagrafError
from ..markdown.blocks import read_article
from ..po import catalog
from ..project import article_info
from ..qa import publish_errors
from .auth import login_required
from .context import project, store
from .review import catalog_or_abort, entries, json_body
from .segments import segment_key

bp = Blueprint("preview", __name__, url_prefix="/review")


@bp.route("/<lang>/<slug>/preview", methods=("POST",))
@login_required
def panel(lang: str, slug: str) -> Any:
    """The preview's HTML for the editor's texts: ``{"edits": {key: text}, "drafts": bool}``."""
    ref = catalog_or_abort(lang, slug)
    data = json_body()
    edits = data.get("edits", {})
    drafts = data.get("drafts", False) is True
    if not isinstance(edits, dict) or not all(isinstance(v, str) for v in edits.values()):
        abort(400, _("Field %(field)s must be text.", field="edits"))
    config = project()
    info = article_info(store(), slug)
    if info.source_path is None:
        abort(404, _("The article's source file is missing."))
    try:
        article = read_article(info.source_path, display=config.relative(info.source_path))
    except ParagrafError as e:
        abort(500, str(e))
    po = store().read(ref, cached=True)
    published = catalog.published(po)
    shown: dict[str, str] = {}
    if drafts:
        for entry in entries(po):
            text = edits.get(segment_key(entry.msgid), entry.msgstr)
            if text.strip() and text != published.get(entry.msgid):
                shown[entry.msgid] = text
    version = publish.localize(article, lang, published, shown)
    date, date_iso = publish.dated(version.meta, lang, config.english_variant)
    html = render_template(
        "review/preview.html",
        lang=lang,
        source_lang=article.lang,
        title=str(version.meta.get("title", slug)),
        summary=str(version.meta.get("summary", "")),
        author=str(version.meta.get("author", "")),
        fallback=version.fallback,
        date=date,
        date_iso=date_iso,
        body=Markup(version.body_html),
        share=catalog.stats(po).percent_published(),
        threshold=config.threshold,
        errors=len(publish_errors(po, ref)),
        drafts=drafts,
    )
    return jsonify(html=html)
