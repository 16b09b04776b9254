"""Placeholders for machine translation: inline Markdown → XML tags → Markdown.

A msgid is a block's inline Markdown on one line. :func:`protect` turns it into XML for
an engine's tag handling (DeepL's ``tag_handling="xml"``); :meth:`Protected.restore`
turns the answer back into Markdown. For every string ``t``,
``protect(t).restore(protect(t).xml) == t``.

What becomes what follows :mod:`app.markdown.inline`, the one lexer:

- every atom (an escape, a code span, an autolink, inline HTML, an entity, a marker, a
  bare URL) becomes the empty untranslatable tag ``<x id="N"/>``; so do characters
  XML cannot carry unchanged (C0 controls other than tab and newline, ``\\r``, lone
  surrogates, U+FFFE/U+FFFF);
- a link, a reference link and an image become ``<a id="N">text</a>``: the text is
  translated, the brackets, destination and title are kept in the table;
- emphasis becomes ``<em id="N">`` or ``<strong id="N">``, strikethrough
  ``<s id="N">``; the table keeps the delimiters, so ``_a_`` comes back as ``_a_``;
- a link or emphasis holding no translatable text (``**`code`**``) is one ``<x/>``;
- everything else is text, with ``&``, ``<`` and ``>`` escaped.

Restoring is lenient: tags are matched by their ``id``, so the engine may reorder
them; a lost closing tag closes at its parent's end, a stray closing tag is dropped, a
lost placeholder is simply missing and a duplicated one appears twice (the quality
checks flag both); a placeholder with an unknown id is dropped, and a tag name
:func:`protect` never writes is kept as literal text.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from dataclasses import dataclass, field

from ..markdown import inline
from ..markdown.inline import Leaf, Node, Span

__all__ = [
    "IGNORE_TAGS",
    "NON_SPLITTING_TAGS",
    "TAGS",
    "Piece",
    "Protected",
    "Restored",
    "protect",
]

#: Tags whose content the engine must not translate (DeepL's ``ignore_tags``).
IGNORE_TAGS: tuple[str, ...] = ("x",)
#: Inline tags that must not split a sentence (DeepL's ``non_splitting_tags``).
NON_SPLITTING_TAGS: tuple[str, ...] = ("a", "em", "strong", "s", "x")
#: Every tag name :func:`protect` writes.
TAGS: frozenset[str] = frozenset(NON_SPLITTING_TAGS)
_SPAN_TAGS = {
    inline.LINK: "a",
    inline.IMAGE: "a",
    inline.EM: "em",
    inline.STRONG: "strong",
    inline.STRIKE: "s",
}

_XML_UNSAFE = re.compile("[^\t\n\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]+")
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
    """A msgid as XML, with the table that turns the engine's answer back into Markdown."""

    source: str
    xml: str
    pieces: Mapping[int, Piece] = field(default_factory=dict)
    has_text: bool = True

    def restore(self, translated_xml: str) -> str:
        """Turn the XML answer back into Markdown, tolerating moved, lost or extra tags."""
        return _restore(translated_xml, self.pieces)

    def complete(self, translated_xml: str) -> Restored:
        """:meth:`restore`, first putting back the placeholders the engine lost where it is sure.

        A lost marker or URL that ends a sentence of the source goes back to the end of the
        same sentence of the answer (when both have as many sentences; at the very end of
        the text, always); a lost link goes back around its text when that text appears
        once in the answer (a name, a URL kept as it is). Anything else stays lost and is
        named in :attr:`Restored.lost`.
        """
        present = {int(m.group(1)) for m in _PLACED.finditer(translated_xml)}
        fixed, repaired, lost = translated_xml, [], []
        for number in sorted(set(self.pieces) - present):
            piece = self.pieces[number]
            placed = _put_back(self.xml, fixed, number, piece)
            shown = piece.open if piece.tag == "x" else piece.open + "…" + piece.close
            if placed is None:
                lost.append(shown)
            else:
                fixed = placed
                repaired.append(shown)
        return Restored(_restore(fixed, self.pieces), tuple(repaired), tuple(lost))

    @property
    def billable(self) -> int:
        """Characters an engine bills for this text: those outside the tags, 0 if nothing is sent."""
        if not self.has_text:
            return 0
        return len("".join(ET.fromstring(f"<r>{self.xml}</r>").itertext()))


@dataclass(frozen=True)
class Restored:
    """An engine's answer as Markdown, with the placeholders put back and those still lost."""

    text: str
    repaired: tuple[str, ...] = ()
    lost: tuple[str, ...] = ()


_PLACED = re.compile(r"""<(?:x|a|em|strong|s)\b[^<>]*?\bid\s*=\s*["']\s*([0-9]+)\s*["']""")
_TAGGED = re.compile(r"<[^<>]*>")
# A sentence's end in XML: its punctuation and closing quotes, then a space or the end.
_SENTENCE_END = re.compile(r"[.!?…][\"'”»’)\]]*(?=\s|$)")


def _put_back(source_xml: str, answer: str, number: int, piece: Piece) -> str | None:
    """``answer`` with placeholder ``number`` put back where the source shows it must go."""
    if piece.tag == "x":
        tag = f'<x id="{number}"/>'
        at = source_xml.find(tag)
        before, after = source_xml[:at], source_xml[at + len(tag) :]
        if not _TAGGED.sub("", after).strip():  # it ended the text: it ends the answer
            body = answer.rstrip()
            space = before[len(before.rstrip()) :] if body and not body[-1].isspace() else ""
            return body + space + tag + answer[len(body) :]
        plain_before = _TAGGED.sub("", before)
        if not _SENTENCE_END.search(plain_before[-4:] + " ") or not after[:1].isspace():
            return None  # not at the end of a sentence: where it goes is a guess
        sentence = len(_SENTENCE_END.findall(_TAGGED.sub("", before)))
        ends = list(_SENTENCE_END.finditer(answer))
        if len(ends) != len(_SENTENCE_END.findall(_TAGGED.sub("", source_xml))):
            return None
        end = ends[sentence - 1].end()
        return answer[:end] + tag + answer[end:]
    opening = f'<a id="{number}">'
    if piece.tag != "a" or opening not in source_xml:
        return None
    inner = source_xml[source_xml.index(opening) + len(opening) :]
    inner = inner[: inner.find("</a>")]
    if _TAGGED.search(inner) or not inner.strip() or answer.count(inner) != 1:
        return None
    return answer.replace(inner, f"{opening}{inner}</a>", 1)


def protect(text: str) -> Protected:
    """Protect ``text``'s inline Markdown as XML tags."""
    protected = _protect_markdown(text)
    if protected.restore(protected.xml) != text:  # a lexer bug must not lose text
        return _protect_plain(text)
    return protected


def _protect_markdown(text: str) -> Protected:
    writer = _Writer(text)
    nodes = inline.parse(text)
    writer.write(nodes)
    return Protected(text, "".join(writer.parts), writer.pieces, _has_text(text, nodes))


def _protect_plain(text: str) -> Protected:
    writer = _Writer(text)
    writer.text(0, len(text))
    has_text = bool(_XML_UNSAFE.sub("", text).strip())
    return Protected(text, "".join(writer.parts), writer.pieces, has_text)


def _has_text(s: str, nodes: tuple[Node, ...]) -> bool:
    for node in nodes:
        if isinstance(node, Span):
            if _has_text(s, node.children):
                return True
        elif node.kind == inline.DELIM:
            return True
        elif node.kind == inline.TEXT and _XML_UNSAFE.sub("", s[node.start : node.end]).strip():
            return True
    return False


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class _Writer:
    def __init__(self, source: str) -> None:
        self.s = source
        self.parts: list[str] = []
        self.pieces: dict[int, Piece] = {}

    def write(self, nodes: tuple[Node, ...]) -> None:
        s = self.s
        for node in nodes:
            if isinstance(node, Leaf):
                if node.kind in (inline.TEXT, inline.DELIM):
                    self.text(node.start, node.end)
                else:
                    self.atom(s[node.start : node.end])
            elif not _has_text(s, node.children):
                self.atom(s[node.start : node.end])
            else:
                tag = _SPAN_TAGS[node.kind]
                piece = Piece(tag, s[node.start : node.inner[0]], s[node.inner[1] : node.end])
                number = self.number(piece)
                self.parts.append(f'<{tag} id="{number}">')
                self.write(node.children)
                self.parts.append(f"</{tag}>")

    def text(self, start: int, end: int) -> None:
        """Text, with the characters XML cannot carry as placeholders."""
        last = start
        for match in _XML_UNSAFE.finditer(self.s, start, end):
            self.parts.append(_escape(self.s[last : match.start()]))
            self.atom(match.group())
            last = match.end()
        self.parts.append(_escape(self.s[last:end]))

    def atom(self, source: str) -> None:
        self.parts.append(f'<x id="{self.number(Piece("x", source))}"/>')

    def number(self, piece: Piece) -> int:
        number = len(self.pieces) + 1
        self.pieces[number] = piece
        return number


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
