"""Markdown to HTML: the one renderer, for published pages and the review UI's preview.

A translation is text from a person or a machine, never trusted markup: raw HTML in a
source or a translation is kept where it is harmless and dropped where it could run
(scripts, event handlers, ``javascript:`` links). The output is sanitized with nh3.
"""

from __future__ import annotations

from functools import lru_cache

import nh3
from markdown_it import MarkdownIt
from mdit_py_plugins.footnote import footnote_plugin

__all__ = ["article_html"]

_TAGS = set(nh3.ALLOWED_TAGS) | {"section", "mark"}
_ATTRIBUTES = {
    **{tag: set(attrs) for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items()},
    "*": {"id", "lang", "dir"},
}
for _tag, _extra in {"a": {"title"}, "img": {"title"}, "th": {"style"}, "td": {"style"}}.items():
    _ATTRIBUTES[_tag] = _ATTRIBUTES.get(_tag, set()) | _extra  # titles, table column alignment
_MARK_CLASSES = {"mark": {"draft", "untranslated"}}


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    # The block parser's bound (app.markdown.blocks refuses what is nested deeper).
    return MarkdownIt("commonmark", {"maxNesting": 1000}).use(footnote_plugin).enable("table")


def article_html(markdown_text: str) -> str:
    """An article's Markdown body as sanitized HTML."""
    return nh3.clean(
        _markdown().render(markdown_text),
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        allowed_classes=_MARK_CLASSES,
        filter_style_properties={"text-align"},
    )
