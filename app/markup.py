"""Protecting inline Markdown for DeepL: Markdown → XML placeholders → Markdown.

A msgid is a block's inline Markdown source on one line.  :func:`protect` turns it into
XML for DeepL's ``tag_handling="xml"``; :meth:`Protected.restore` turns DeepL's answer
back into Markdown.  For every string ``t``, ``protect(t).restore(protect(t).xml) == t``.

Protection rules, in the order they are tried at each position:

- a backslash escape (``\\*``, ``\\[``), a code span (```code```), an autolink
  (``<https://x>``, ``<a@b.org>``), inline HTML (``<b>``, ``</span>``, ``<!-- -->``), an
  entity or character reference (``&nbsp;``, ``&#8212;``), a footnote marker (``[^1]``),
  a reference marker (``[i]``, ``[iv]``, ``[12]``: digits or lowercase Roman numerals,
  when not the text of a link) and a bare URL (``https://…``, ``www.…``, trailing
  punctuation excluded as in GFM) become the empty untranslatable tag ``<x id="N"/>``;
  so do characters XML cannot carry unchanged (C0 controls other than tab and newline,
  ``\\r``, lone surrogates, U+FFFE/U+FFFF).
- a link ``[text](url "title")``, a reference link ``[text][ref]`` and an image
  ``![alt](src)`` become ``<a id="N">text</a>``: the text is translated, the
  brackets, URL and title are kept in the table.
- emphasis and strong emphasis (``*``/``_``, CommonMark's delimiter-run rules) become
  ``<em id="N">`` and ``<strong id="N">``, strikethrough ``~~`` becomes ``<s id="N">``;
  the table keeps the delimiters, so ``_a_`` comes back as ``_a_`` and not ``*a*``.
- a link or emphasis holding no translatable text (``**`code`**``) is one ``<x/>``.
- everything else is text: ``&``, ``<`` and ``>`` are escaped as ``&amp;``, ``&lt;``
  and ``&gt;``.  Unbalanced or unparsable Markdown (``[a](b``, ``*a``) stays text, and
  so does a shortcut reference ``[word]`` (whose label must match a definition) and
  brackets like ``[I]t`` or ``[sic]``.

Why a small tokenizer and not markdown-it-py's inline parser: markdown-it-py's inline
tokens carry no source offsets, decode entities, drop backslash escapes and normalize
link destinations, so Markdown rebuilt from them is not byte-identical to the msgid.
Here every node keeps its exact source slice, so the identity holds by construction;
:func:`protect` still checks it and falls back to plain escaped text if it ever failed.

Restoring is lenient: tags are matched by their ``id``, so DeepL may reorder them; a
lost closing tag closes at its parent's end, a stray closing tag is dropped, a lost
placeholder is simply missing and a duplicated one appears twice (the quality checks
flag both); a placeholder with an unknown id is dropped, and a tag name :func:`protect`
never writes is kept as literal text.
"""

from __future__ import annotations

import html.entities
import re
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from dataclasses import dataclass, field

from .segment import MARKER

__all__ = [
    "IGNORE_TAGS",
    "NON_SPLITTING_TAGS",
    "TAGS",
    "Piece",
    "Protected",
    "protect",
]

#: Tags whose content DeepL must not translate (pass as ``ignore_tags``).
IGNORE_TAGS: tuple[str, ...] = ("x",)
#: Inline tags that must not split a sentence (pass as ``non_splitting_tags``).
NON_SPLITTING_TAGS: tuple[str, ...] = ("a", "em", "strong", "s", "x")
#: Every tag name :func:`protect` writes.
TAGS: frozenset[str] = frozenset(NON_SPLITTING_TAGS)

_MAX_LINK_DEPTH = 8
_ASCII_PUNCT = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")

_XML_UNSAFE = re.compile("[^\t\n\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]+")
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_AUTOLINK = re.compile(
    r"<(?:[A-Za-z][A-Za-z0-9.+-]{1,31}:[^\s<>\x00-\x1f]*"
    r"|[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*)>"
)
_INLINE_HTML = re.compile(
    r"<[A-Za-z][A-Za-z0-9-]*"
    r"(?:\s+[A-Za-z_:][A-Za-z0-9_.:-]*(?:\s*=\s*(?:[^\s\"'=<>`]+|'[^']*'|\"[^\"]*\"))?)*"
    r"\s*/?>"
    r"|</[A-Za-z][A-Za-z0-9-]*\s*>"
    r"|<!---?>|<!--[\s\S]*?-->"
    r"|<\?[\s\S]*?\?>"
    r"|<![A-Za-z][^>]*>"
    r"|<!\[CDATA\[[\s\S]*?\]\]>"
)
_REF_LABEL = re.compile(r"\[(?:[^\[\]\\]|\\.){0,999}\]", re.DOTALL)
_ANGLE_DEST = re.compile(r"<(?:[^<>\n\\]|\\.)*>")
_TITLE = re.compile(r"\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'|\((?:[^()\\]|\\.)*\)", re.DOTALL)
_BARE_URL = re.compile(r"([hH][tT][tT][pP][sS]?://|[wW][wW][wW]\.)[\w-][^\s<>\[\]\"`\\“”‘’«»]*")
_URL_TRAILING = "?!.,:;*_~'"
_URL_ENTITY_END = re.compile(r"&[A-Za-z0-9]+;$")
_CANDIDATE = re.compile(r"[\\`<&*_~!\[hHwW]|" + _XML_UNSAFE.pattern)

_RESTORE_TOKEN = re.compile(
    r"<(/?)([A-Za-z][\w.-]*)((?:\s+[^\s=/>]+\s*=\s*(?:\"[^\"]*\"|'[^']*'))*)\s*(/?)>"
    r"|&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z]+);"
)
_ID_ATTR = re.compile(r"""\bid\s*=\s*["']\s*([0-9]+)\s*["']""")
_XML_ENTITIES = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}


@dataclass(frozen=True)
class Piece:
    """What one placeholder stands for: the Markdown before and after its content."""

    tag: str
    open: str
    close: str = ""


@dataclass(frozen=True)
class Protected:
    """A msgid as XML for DeepL, with the table that turns the answer back into Markdown."""

    source: str
    xml: str
    pieces: Mapping[int, Piece] = field(default_factory=dict)
    has_text: bool = True

    def restore(self, translated_xml: str) -> str:
        """Turn DeepL's XML answer back into Markdown, tolerating moved, lost or extra tags."""
        return _restore(translated_xml, self.pieces)

    @property
    def billable(self) -> int:
        """Characters DeepL bills for this text: those outside the tags, 0 if nothing is sent."""
        if not self.has_text:
            return 0
        return len("".join(ET.fromstring(f"<r>{self.xml}</r>").itertext()))


def protect(text: str) -> Protected:
    """Protect ``text``'s inline Markdown as XML tags for DeepL's ``tag_handling="xml"``."""
    try:
        protected = _protect_markdown(text)
    except RecursionError:
        return _protect_plain(text)
    if protected.restore(protected.xml) != text:  # a tokenizer bug must not lose text
        return _protect_plain(text)
    return protected


def _protect_markdown(text: str) -> Protected:
    return _build(text, _Scanner(text).parse(0, len(text), 0))


# --- parsing ---------------------------------------------------------------------------


@dataclass
class _Atom:
    source: str


@dataclass
class _Span:
    tag: str
    open: str
    close: str
    children: list[_Node]


@dataclass
class _Delim:
    char: str
    count: int
    can_open: bool
    can_close: bool
    length: int = 0

    def __post_init__(self) -> None:
        self.length = self.count


_Node = str | _Atom | _Span | _Delim


def _is_space(char: str) -> bool:
    return char.isspace()


def _is_punct(char: str) -> bool:
    return unicodedata.category(char)[0] in "PS"


class _Scanner:
    """Split one inline source into text, atoms, spans and emphasis delimiters."""

    def __init__(self, text: str) -> None:
        self.s = text
        self._brackets: dict[tuple[int, int], int | None] = {}

    def parse(self, start: int, end: int, depth: int) -> list[_Node]:
        """Parse ``s[start:end]`` into nodes, emphasis resolved."""
        items: list[_Node] = []
        text_start = i = start
        while i < end:
            candidate = _CANDIDATE.search(self.s, i, end)
            if candidate is None:
                break
            i = candidate.start()
            found = self._construct(i, end, depth)
            if found is None:
                i += 1
                continue
            node, after = found
            if text_start < i:
                items.append(self.s[text_start:i])
            items.append(node)
            i = text_start = after
        if text_start < end:
            items.append(self.s[text_start:end])
        return _resolve_emphasis(items)

    def _construct(self, i: int, end: int, depth: int) -> tuple[_Node, int] | None:
        s, char = self.s, self.s[i]
        if char == "\\":
            if i + 1 < end and s[i + 1] in _ASCII_PUNCT:
                return _Atom(s[i : i + 2]), i + 2
            return None
        if char == "`":
            return self._code_span(i, end)
        if char == "<":
            return self._angle(i, end)
        if char == "&":
            return self._entity(i, end)
        if char in "*_~":
            return self._delimiter_run(i, end)
        if char == "!" and i + 1 < end and s[i + 1] == "[":
            return self._link(i, 2, end, depth)
        if char == "[":
            return self._bracket(i, end, depth)
        if char in "hHwW":
            return self._bare_url(i, end)
        match = _XML_UNSAFE.match(s, i, end)
        if match:
            return _Atom(match.group()), match.end()
        return None

    def _skip(self, i: int, end: int) -> int | None:
        """End of an escape, code span, autolink or HTML tag starting at ``i``, if any."""
        char = self.s[i]
        if char == "\\" and i + 1 < end and self.s[i + 1] in _ASCII_PUNCT:
            return i + 2
        if char == "`":
            return self._code_span(i, end)[1]  # a whole run, matched or not
        if char == "<":
            found = self._angle(i, end)
            return found[1] if found else None
        return None

    def _code_span(self, i: int, end: int) -> tuple[_Node, int]:
        s = self.s
        run_end = i
        while run_end < end and s[run_end] == "`":
            run_end += 1
        length = run_end - i
        j = run_end
        while j < end:
            j = s.find("`", j, end)
            if j < 0:
                break
            k = j
            while k < end and s[k] == "`":
                k += 1
            if k - j == length:
                return _Atom(s[i:k]), k
            j = k
        return s[i:run_end], run_end  # no closing run: the backticks are text

    def _angle(self, i: int, end: int) -> tuple[_Node, int] | None:
        match = _AUTOLINK.match(self.s, i, end) or _INLINE_HTML.match(self.s, i, end)
        return (_Atom(match.group()), match.end()) if match else None

    def _entity(self, i: int, end: int) -> tuple[_Node, int] | None:
        match = _ENTITY.match(self.s, i, end)
        if not match:
            return None
        name = match.group()[1:]
        if not name.startswith("#") and name not in html.entities.html5:
            return None
        return _Atom(match.group()), match.end()

    def _delimiter_run(self, i: int, end: int) -> tuple[_Node, int]:
        s, char = self.s, self.s[i]
        j = i
        while j < end and s[j] == char:
            j += 1
        before = s[i - 1] if i > 0 else " "
        after = s[j] if j < len(s) else " "
        left = not _is_space(after) and (
            not _is_punct(after) or _is_space(before) or _is_punct(before)
        )
        right = not _is_space(before) and (
            not _is_punct(before) or _is_space(after) or _is_punct(after)
        )
        if char == "_":
            can_open = left and (not right or _is_punct(before))
            can_close = right and (not left or _is_punct(after))
        else:
            can_open, can_close = left, right
        if char == "~" and j - i != 2:
            can_open = can_close = False
        return _Delim(char, j - i, can_open, can_close), j

    def _bracket(self, i: int, end: int, depth: int) -> tuple[_Node, int] | None:
        match = MARKER.match(self.s, i, end)
        if match:
            return _Atom(match.group()), match.end()
        return self._link(i, 1, end, depth)

    def _link(self, i: int, opener: int, end: int, depth: int) -> tuple[_Node, int] | None:
        if depth >= _MAX_LINK_DEPTH:
            return None
        text_start = i + opener
        close = self._matching_bracket(text_start, end)
        if close is None or close + 1 >= end:
            return None
        after = self._link_tail(close + 1, end)
        if after is None:
            return None
        children = self.parse(text_start, close, depth + 1)
        if opener == 1 and any(_is_link(child) for child in children):
            return None  # CommonMark: a link may not contain a link; the inner one wins
        return _Span("a", self.s[i:text_start], self.s[close:after], children), after

    def _matching_bracket(self, i: int, end: int) -> int | None:
        """Index of the ``]`` closing link text that starts at ``i``; one pass serves all."""
        if (i, end) in self._brackets:
            return self._brackets[i, end]
        s, starts = self.s, [i]
        while i < end:
            skipped = self._skip(i, end)
            if skipped is not None:
                i = skipped
                continue
            if s[i] == "[":
                starts.append(i + 1)
            elif s[i] == "]":
                self._brackets[starts.pop(), end] = i
                if not starts:
                    return i
            i += 1
        for start in starts:
            self._brackets[start, end] = None
        return None

    def _link_tail(self, i: int, end: int) -> int | None:
        """End of ``(dest "title")`` or ``[label]`` starting at ``i``, if well-formed."""
        s = self.s
        if s[i] == "[":
            match = _REF_LABEL.match(s, i, end)
            return match.end() if match else None
        if s[i] != "(":
            return None
        j = _skip_space(s, i + 1, end)
        if j < end and s[j] == "<":
            match = _ANGLE_DEST.match(s, j, end)
            if not match:
                return None
            dest_end: int | None = match.end()
        else:
            dest_end = _scan_destination(s, j, end)
        if dest_end is None:
            return None
        k = _skip_space(s, dest_end, end)
        if k > dest_end and k < end and s[k] in "\"'(":
            match = _TITLE.match(s, k, end)
            if not match:
                return None
            k = _skip_space(s, match.end(), end)
        if k < end and s[k] == ")":
            return k + 1
        return None

    def _bare_url(self, i: int, end: int) -> tuple[_Node, int] | None:
        s = self.s
        if i > 0 and (s[i - 1].isalnum() or s[i - 1] in "/:@.&=?#%+-"):
            return None
        match = _BARE_URL.match(s, i, end)
        if not match:
            return None
        url = _trim_url(match.group())
        if len(url) <= len(match.group(1)):
            return None
        return _Atom(url), i + len(url)


def _skip_space(s: str, i: int, end: int) -> int:
    newline = False
    while i < end and s[i] in " \t\n":
        if s[i] == "\n":
            if newline:
                break
            newline = True
        i += 1
    return i


def _scan_destination(s: str, i: int, end: int) -> int | None:
    """End of a bare link destination (balanced parentheses) starting at ``i``."""
    depth = 0
    while i < end:
        char = s[i]
        if char == "\\" and i + 1 < end and s[i + 1] in _ASCII_PUNCT:
            i += 2
            continue
        if char.isspace() or ord(char) < 0x20 or ord(char) == 0x7F:
            break
        if char == "(":
            depth += 1
            if depth > 32:
                return None
        elif char == ")":
            if depth == 0:
                break
            depth -= 1
        i += 1
    return i if depth == 0 else None


def _trim_url(url: str) -> str:
    """Drop trailing punctuation that ends the sentence rather than the URL (GFM rules)."""
    while url:
        entity = _URL_ENTITY_END.search(url)
        if entity:
            url = url[: entity.start()]
        elif url[-1] in _URL_TRAILING:
            url = url[:-1]
        elif url[-1] == ")" and url.count(")") > url.count("("):
            url = url[:-1]
        else:
            break
    return url


def _is_link(node: _Node) -> bool:
    if not isinstance(node, _Span):
        return False
    return node.open == "[" or any(_is_link(child) for child in node.children)


def _resolve_emphasis(items: list[_Node]) -> list[_Node]:
    """Match delimiter runs as CommonMark does, nesting the content into spans."""
    closer_index = 0
    while closer_index < len(items):
        closer = items[closer_index]
        if not (isinstance(closer, _Delim) and closer.can_close and closer.count):
            closer_index += 1
            continue
        opener_index = _find_opener(items, closer_index, closer)
        if opener_index is None:
            closer_index += 1
            continue
        opener = items[opener_index]
        assert isinstance(opener, _Delim)
        use = 2 if opener.count >= 2 and closer.count >= 2 else 1
        tag = {"*": "em", "_": "em", "~": "s"}[closer.char]
        if use == 2 and closer.char != "~":
            tag = "strong"
        marks = closer.char * use
        span = _Span(tag, marks, marks, items[opener_index + 1 : closer_index])
        opener.count -= use
        closer.count -= use
        items[opener_index + 1 : closer_index] = [span]
        closer_index = opener_index + 2
    return items


def _find_opener(items: list[_Node], closer_index: int, closer: _Delim) -> int | None:
    for index in range(closer_index - 1, -1, -1):
        opener = items[index]
        if not (isinstance(opener, _Delim) and opener.char == closer.char):
            continue
        if not (opener.can_open and opener.count):
            continue
        if closer.char == "~" and (opener.count != 2 or closer.count != 2):
            continue
        odd_match = (opener.can_close or closer.can_open) and (
            (opener.length + closer.length) % 3 == 0
            and not (opener.length % 3 == 0 and closer.length % 3 == 0)
        )
        if not odd_match:
            return index
    return None


# --- writing XML -----------------------------------------------------------------------


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _source(nodes: list[_Node]) -> str:
    parts = []
    for node in nodes:
        if isinstance(node, str):
            parts.append(node)
        elif isinstance(node, _Delim):
            parts.append(node.char * node.count)
        elif isinstance(node, _Atom):
            parts.append(node.source)
        else:
            parts.append(node.open + _source(node.children) + node.close)
    return "".join(parts)


def _has_text(nodes: list[_Node]) -> bool:
    for node in nodes:
        if isinstance(node, str) and node.strip():
            return True
        if isinstance(node, _Delim) and node.count:
            return True
        if isinstance(node, _Span) and _has_text(node.children):
            return True
    return False


class _Writer:
    def __init__(self) -> None:
        self.parts: list[str] = []
        self.pieces: dict[int, Piece] = {}

    def write(self, nodes: list[_Node]) -> None:
        for node in nodes:
            if isinstance(node, str):
                self.parts.append(_escape(node))
            elif isinstance(node, _Delim):
                self.parts.append(_escape(node.char * node.count))
            elif isinstance(node, _Atom):
                self.atom(node.source)
            elif not _has_text(node.children):
                self.atom(node.open + _source(node.children) + node.close)
            else:
                number = self.number(Piece(node.tag, node.open, node.close))
                self.parts.append(f'<{node.tag} id="{number}">')
                self.write(node.children)
                self.parts.append(f"</{node.tag}>")

    def atom(self, source: str) -> None:
        self.parts.append(f'<x id="{self.number(Piece("x", source))}"/>')

    def number(self, piece: Piece) -> int:
        number = len(self.pieces) + 1
        self.pieces[number] = piece
        return number


def _build(text: str, nodes: list[_Node]) -> Protected:
    writer = _Writer()
    writer.write(nodes)
    return Protected(text, "".join(writer.parts), writer.pieces, _has_text(nodes))


def _protect_plain(text: str) -> Protected:
    nodes: list[_Node] = []
    last = 0
    for match in _XML_UNSAFE.finditer(text):
        nodes += [text[last : match.start()], _Atom(match.group())]
        last = match.end()
    nodes.append(text[last:])
    return _build(text, [node for node in nodes if node])


# --- restoring -------------------------------------------------------------------------


@dataclass
class _Frame:
    name: str
    piece: Piece | None
    parts: list[str] = field(default_factory=list)

    def render(self) -> str:
        if self.piece is None:
            return "".join(self.parts)
        return self.piece.open + "".join(self.parts) + self.piece.close


def _restore(xml: str, pieces: Mapping[int, Piece]) -> str:
    stack = [_Frame("", None)]
    last = 0
    for match in _RESTORE_TOKEN.finditer(xml):
        stack[-1].parts.append(xml[last : match.start()])
        last = match.end()
        if match.group(5) is not None:
            stack[-1].parts.append(_unescape(match))
        else:
            _restore_tag(match, pieces, stack)
    stack[-1].parts.append(xml[last:])
    while len(stack) > 1:
        _close_top(stack)
    return stack[0].render()


def _restore_tag(match: re.Match[str], pieces: Mapping[int, Piece], stack: list[_Frame]) -> None:
    closing, name, attributes, empty = match.group(1, 2, 3, 4)
    if name not in TAGS:
        stack[-1].parts.append(match.group())
        return
    if closing:
        for index in range(len(stack) - 1, 0, -1):
            if stack[index].name == name:
                while len(stack) > index:
                    _close_top(stack)
                return
        return  # a closing tag whose opening tag DeepL lost
    id_match = _ID_ATTR.search(attributes)
    piece = pieces.get(int(id_match.group(1))) if id_match else None
    if empty:  # a placeholder, or a span whose content DeepL dropped
        if piece is not None:
            stack[-1].parts.append(piece.open + piece.close)
    elif piece is not None and piece.tag == "x":  # <x id="3"></x>: the atom, then whatever
        stack[-1].parts.append(piece.open)
        stack.append(_Frame(name, None))
    else:
        stack.append(_Frame(name, piece))


def _close_top(stack: list[_Frame]) -> None:
    frame = stack.pop()
    stack[-1].parts.append(frame.render())


def _unescape(match: re.Match[str]) -> str:
    name = match.group(5)
    if name[0] != "#":
        return _XML_ENTITIES.get(name, match.group())
    code = int(name[2:], 16) if name[1] in "xX" else int(name[1:])
    return chr(code) if code <= 0x10FFFF else match.group()
