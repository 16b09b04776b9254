"""Showing a msgid to translators: inline Markdown highlighted, and word-level diffs.

Both return escaped HTML (:class:`markupsafe.Markup`): every piece of text goes
through :func:`markupsafe.escape` and only this module's own ``<span>``, ``<del>``
and ``<ins>`` tags are added.

>>> str(highlight("See [the UN](https://un.org).[i]"))
'See <span class="md">[</span>the UN<span class="md">](</span><span class="url">https://un.org</span><span class="md">)</span>.<span class="marker">[i]</span>'
>>> str(word_diff("the old text", "the new text"))
'the <del>old</del><ins>new</ins> text'
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from functools import lru_cache

from markupsafe import Markup, escape

from ..markdown import inline
from ..markdown.inline import Leaf, Node, Span

_WORDS = re.compile(r"\s+|\w+|[^\w\s]")
_CLASSES = {
    inline.ESCAPE: "entity",
    inline.ENTITY: "entity",
    inline.CODE: "code",
    inline.AUTOLINK: "url",
    inline.URL: "url",
    inline.HTML: "html",
    inline.MARKER_KIND: "marker",
    inline.DELIM: "md",
}


def _span(cls: str, text: str) -> str:
    return f'<span class="{cls}">{escape(text)}</span>'


@lru_cache(maxsize=32768)
def highlight(text: str) -> Markup:
    """``text`` escaped, with Markdown syntax, code, URLs, markers and HTML in ``<span>``s."""
    out: list[str] = []
    _write(text, inline.parse(text), out)
    return Markup("".join(out))


def _write(s: str, nodes: tuple[Node, ...], out: list[str]) -> None:
    for node in nodes:
        if isinstance(node, Leaf):
            cls = _CLASSES.get(node.kind)
            piece = s[node.start : node.end]
            out.append(_span(cls, piece) if cls else str(escape(piece)))
            continue
        out.append(_span("md", s[node.start : node.inner[0]]))
        _write(s, node.children, out)
        _write_close(s, node, out)


def _write_close(s: str, node: Span, out: list[str]) -> None:
    """A span's closing part: delimiters as syntax, a link's target as a URL, a title as text."""
    if node.target is None:
        out.append(_span("md", s[node.inner[1] : node.end]))
        return
    target_start, target_end = node.target
    out.append(_span("md", s[node.inner[1] : target_start]))  # "](" or "]["
    out.append(_span("url", s[target_start:target_end]))
    rest = node.title[1] if node.title is not None else target_end
    out.append(str(escape(s[target_end:rest])))  # spaces and the title
    out.append(_span("md", s[rest : node.end]))


@lru_cache(maxsize=8192)
def word_diff(old: str, new: str) -> Markup:
    """A word-level diff from ``old`` to ``new``: removed words in ``<del>``, added in ``<ins>``."""
    a = _WORDS.findall(old)
    b = _WORDS.findall(new)
    out: list[str] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(str(escape("".join(a[i1:i2]))))
            continue
        if i2 > i1:
            out.append(f"<del>{escape(''.join(a[i1:i2]))}</del>")
        if j2 > j1:
            out.append(f"<ins>{escape(''.join(b[j1:j2]))}</ins>")
    return Markup("".join(out))
