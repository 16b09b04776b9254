"""Markdown to HTML: the one renderer, for published pages and the review UI's preview.

A translation is text from a person or a machine, never trusted markup: raw HTML in a
source or a translation is kept where it is harmless and dropped where it could run
(scripts, event handlers, ``javascript:`` links). The output is sanitized with nh3.

Table column alignment becomes a class (``align-right``) rather than the ``style``
attribute markdown-it writes, so a page under a Content-Security-Policy without
``'unsafe-inline'`` styles (the review UI's) shows it; every page's CSS has the rules.
"""

from __future__ import annotations

import re
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
for _tag, _extra in {
    "a": {"title"},
    "img": {"title"},
    "th": {"class"},
    "td": {"class"},
    "code": {"class"},  # language-python on a fenced code block, for highlighters
    "mark": {"class"},  # draft / untranslated in the preview
}.items():
    _ATTRIBUTES[_tag] = _ATTRIBUTES.get(_tag, set()) | _extra  # titles, table column alignment
_ALIGN = re.compile(r'<(td|th) style="text-align:(left|center|right)">')
_CLASSES = {
    "td": re.compile(r"align-(?:left|center|right)"),
    "th": re.compile(r"align-(?:left|center|right)"),
    "code": re.compile(r"language-[\w+#.-]{1,40}"),
    "mark": re.compile(r"draft|untranslated"),
}


def _keep_attribute(tag: str, attribute: str, value: str) -> str | None:
    """nh3's attribute filter: a class survives only in the forms paragraf writes."""
    if attribute != "class":
        return value
    pattern = _CLASSES.get(tag)
    kept = [name for name in value.split() if pattern is not None and pattern.fullmatch(name)]
    return " ".join(kept) or None


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    # The block parser's bound (app.markdown.blocks refuses what is nested deeper).
    return MarkdownIt("commonmark", {"maxNesting": 1000}).use(footnote_plugin).enable("table")


def article_html(markdown_text: str) -> str:
    """An article's Markdown body as sanitized HTML."""
    rendered = _ALIGN.sub(r'<\1 class="align-\2">', _markdown().render(markdown_text))
    return nh3.clean(rendered, tags=_TAGS, attributes=_ATTRIBUTES, attribute_filter=_keep_attribute)
