"""A text reduced to what the checks compare: plain text, and the atoms taken out of it.

The reduction walks the nodes of :mod:`app.markdown.inline`, the one lexer: code
spans, escapes, markers, autolinks, inline HTML and bare URLs are recorded and
replaced by a hole; a link keeps its text between ``[`` and ``]`` and its
destination (or reference label) is recorded as a URL; emphasis keeps its
delimiters, so the markup check can count them; entities are decoded.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import lru_cache

from ..markdown import inline
from ..markdown.inline import Leaf, Node
from .numbers import Number, readings

HOLE = "\x1a"  # stands for anything removed from the plain text
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)([^<>]*?)/?>", re.DOTALL)
_ATTRIBUTE = re.compile(
    r"""([A-Za-z_:][-A-Za-z0-9_:.]*)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'=<>`]+))?"""
)
_KEPT_ATTRIBUTES = re.compile(r"href|src|on\w+|style", re.IGNORECASE)


@dataclass(frozen=True)
class Text:
    """One side of a pair as the checks see it."""

    plain: str
    code: tuple[str, ...]
    urls: tuple[str, ...]
    markers: tuple[str, ...]
    readings: tuple[tuple[Number, ...], ...]  # more than one when space grouping is unsure
    tags: tuple[str, ...]
    delims: tuple[tuple[str, bool, bool], ...]  # unmatched emphasis runs: (run, opens, closes)

    @property
    def numbers(self) -> tuple[Number, ...]:
        """The numbers of the first reading."""
        return self.readings[0]

    @property
    def has_dates(self) -> bool:
        """Whether the text holds a numeric date."""
        return any(number.kind == "month" for number in self.numbers)


@lru_cache(maxsize=8192)
def reduce(text: str, lang: str) -> Text:
    """Reduce ``text`` to plain text, recording its atoms, and read its numbers in ``lang``."""
    walk = _Walk(text)
    walk.nodes(inline.parse(text))
    plain = "".join(walk.plain)
    return Text(
        plain,
        tuple(walk.code),
        tuple(url for url in walk.urls if url),
        tuple(walk.markers),
        readings(plain, lang),
        tuple(walk.tags),
        tuple(walk.delims),
    )


class _Walk:
    def __init__(self, source: str) -> None:
        self.s = source
        self.plain: list[str] = []
        self.code: list[str] = []
        self.urls: list[str] = []
        self.markers: list[str] = []
        self.tags: list[str] = []
        self.delims: list[tuple[str, bool, bool]] = []

    def nodes(self, nodes: tuple[Node, ...]) -> None:
        for node in nodes:
            if isinstance(node, Leaf):
                self.leaf(node)
                continue
            s = self.s
            if node.kind in (inline.LINK, inline.IMAGE):
                self.plain.append(s[node.start : node.inner[0]])  # "[" or "!["
                self.nodes(node.children)
                self.plain.append("]")
                if node.target is not None:
                    target = s[node.target[0] : node.target[1]]
                    self.urls.append(f"[{_label(target)}]" if node.reference else target)
            else:  # emphasis keeps its delimiters for the markup check
                self.plain.append(s[node.start : node.inner[0]])
                self.nodes(node.children)
                self.plain.append(s[node.inner[1] : node.end])

    def leaf(self, leaf: Leaf) -> None:
        source = self.s[leaf.start : leaf.end]
        kind = leaf.kind
        if kind == inline.TEXT:
            self.plain.append(source)
            return
        if kind == inline.DELIM:
            self.plain.append(source)
            if leaf.opens or leaf.closes:
                self.delims.append((source, leaf.opens, leaf.closes))
            return
        if kind == inline.ENTITY:
            char = html.unescape(source)
            self.plain.append(HOLE if char in "[]*_`\\" else char)
            return
        self.plain.append(HOLE)
        if kind == inline.CODE:
            ticks = len(source) - len(source.lstrip("`"))
            self.code.append(source[ticks:-ticks].strip())
        elif kind == inline.MARKER_KIND:
            self.markers.append(source)
        elif kind == inline.URL:
            self.urls.append(source)
        elif kind == inline.AUTOLINK:
            self.urls.append(source[1:-1])
        elif kind == inline.HTML:
            self.tags.append(tag_key(source))


def _label(label: str) -> str:
    return " ".join(label.split()).casefold()


def tag_key(tag: str) -> str:
    """What of an inline HTML tag a translation must keep: its name, links, handlers and styles.

    A translated ``title`` or ``alt``, ``<BR>`` for ``<br/>`` and a comment's text are fine.

    >>> tag_key('<ABBR title="United Nations">'), tag_key("<br/>"), tag_key("<!-- not -->")
    ('<abbr>', '<br>', '<!---->')
    >>> tag_key('<img src=x onerror="alert(1)">')
    '<img onerror="alert(1)" src=x>'
    """
    match = _TAG.fullmatch(tag)
    if match is None:
        return "<!---->" if tag.startswith("<!--") else tag
    closing, name, rest = match.groups()
    kept = sorted(
        m.group(0) for m in _ATTRIBUTE.finditer(rest) if _KEPT_ATTRIBUTES.fullmatch(m.group(1))
    )
    return "<" + closing + " ".join([name.lower(), *kept]) + ">"
