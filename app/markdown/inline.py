"""The inline Markdown lexer: a msgid split into nodes with exact source spans.

This is the one definition of what a marker, a URL, a code span, a tag or an
emphasis is. The review page highlights with it, the quality checks reduce a text
to plain text with it, and the machine-translation placeholders protect with it:
when the UI shows something as a marker, the checks count it as a marker and
DeepL receives it as a marker, because all three ask :func:`parse`.

Rules, in the order they are tried at each position (CommonMark where it has one):

- a backslash escape (``\\*``), a code span (```code```; an unmatched run of
  backticks is a delimiter), an autolink (``<https://x>``, ``<a@b.org>``), inline
  HTML (``<b>``, ``</span>``, ``<!-- -->``), an entity or character reference
  (``&nbsp;``, ``&#8212;``, names checked against HTML5's list);
- a *marker*: a footnote reference (``[^1]``, ``[^note]``) or a reference marker as
  published (``[iv]``, ``[12]``: a lowercase Roman numeral or up to three digits, not
  followed by ``(``, a letter or a ``[`` that starts no marker, so not ``[I]t``,
  ``[i](url)``, ``[i][ref]``, ``[dim]`` or ``[1234]``; ``[i][ii]`` is two markers);
- a bare *URL*: ``http://``, ``https://``, ``ftp://`` or ``www.`` not inside a word,
  trailing punctuation excluded as in GFM, and a Turkish case suffix after an
  apostrophe (``https://un.org'da``) left out;
- a link ``[text](dest "title")``, a reference link ``[text][label]`` and an image
  ``![alt](src)``: a :class:`Span` whose children are the text; a link inside link
  text wins over the outer one, as in CommonMark;
- emphasis ``*``/``_`` (CommonMark's delimiter-run rules, the rule of three
  included) and strikethrough ``~~``: :class:`Span` nodes; a delimiter run left
  unmatched is a ``delim`` leaf that says whether it could have opened or closed;
- everything else is text; unbalanced or unparsable Markdown (``[a](b``) stays
  text, and so does a shortcut reference ``[word]`` or ``[sic]``.

Why not markdown-it-py's inline parser: its tokens carry no source offsets, decode
entities, drop escapes and normalize link destinations; here every node keeps its
exact slice, so consumers can rebuild the text byte for byte.

This module is longer than the others (about 540 lines) on purpose: it is one
CommonMark inline grammar, and the rules depend on each other (a code span or an
autolink hides brackets from link matching, links hide emphasis delimiters); split,
the order of the rules would live in two places.
"""

from __future__ import annotations

import html.entities
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

__all__ = [
    "MARKER",
    "NUMBERED",
    "Leaf",
    "Node",
    "Span",
    "leaves",
    "parse",
]

# --- the kinds of nodes -----------------------------------------------------------------

TEXT = "text"
ESCAPE = "escape"
CODE = "code"
AUTOLINK = "autolink"
HTML = "html"
ENTITY = "entity"
MARKER_KIND = "marker"
URL = "url"
DELIM = "delim"  # an emphasis or strikethrough run left unmatched, or lone backticks
LINK = "link"
IMAGE = "image"
EM = "em"
STRONG = "strong"
STRIKE = "strike"
#: Leaves that a translation must carry over unchanged.
ATOMS = frozenset({ESCAPE, CODE, AUTOLINK, HTML, ENTITY, MARKER_KIND, URL})

_ROMAN = r"m{0,3}(?:cm|cd|d?c{0,3})(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3})"
#: A reference marker as published, ``[iv]`` or ``[12]`` (the lookahead keeps ``[]`` out).
NUMBERED = rf"\[(?=[ivxlcdm0-9])(?:{_ROMAN}|[0-9]{{1,3}})\]"
_FOOTNOTE = r"\[\^[^\]\[\s]+\]"
#: A footnote reference or a reference marker: the one definition of a marker. A numbered
#: one may be followed by another marker (``[i][ii]``, ``[i][i]``) but not by a link's
#: ``(`` or ``[label]``, nor by a letter.
MARKER = re.compile(rf"{_FOOTNOTE}|{NUMBERED}(?![(\w])(?!(?!{_FOOTNOTE}|{NUMBERED}(?![(\w]))\[)")

_MAX_LINK_DEPTH = 8
_ASCII_PUNCT = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
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
_BARE_URL = re.compile(
    r"([hH][tT][tT][pP][sS]?://|[fF][tT][pP]://|[wW][wW][wW]\.)[\w-][^\s<>\[\]\"`\\“”‘’«»]*"
)
_URL_TRAILING = "?!.,:;*_~'"
_URL_ENTITY_END = re.compile(r"&[A-Za-z0-9]+;$")
_URL_SUFFIX = re.compile(r"'[^\W\d_]+$")  # https://un.org'da: the suffix is Turkish, not URL
_CANDIDATE = re.compile(r"[\\`<&*_~!\[hHwWfF]")


@dataclass(frozen=True, slots=True)
class Leaf:
    """A node without children: text, an atom, or an unmatched delimiter run."""

    kind: str
    start: int
    end: int
    opens: bool = False  # a delim that could have opened emphasis
    closes: bool = False  # a delim that could have closed it


@dataclass(frozen=True, slots=True)
class Span:
    """Emphasis, strikethrough, a link or an image: an opening part, children, a closing part.

    ``inner`` is the span of the children. For a link, ``target`` is the destination
    (without angle brackets) or, for a reference link, the label (without brackets,
    ``reference`` set); ``title`` the title with its quotes.
    """

    kind: str
    start: int
    end: int
    inner: tuple[int, int]
    children: tuple[Node, ...]
    target: tuple[int, int] | None = None
    title: tuple[int, int] | None = None
    reference: bool = False


Node = Leaf | Span


@lru_cache(maxsize=16384)
def parse(text: str) -> tuple[Node, ...]:
    """The inline nodes of ``text``, in order, covering it exactly (shared: do not change)."""
    try:
        return _Scanner(text, nested=True).nodes()
    except RecursionError:  # pathological nesting: atoms and text only, no spans
        return _Scanner(text, nested=False).nodes()


def leaves(nodes: tuple[Node, ...]) -> Iterator[Leaf]:
    """Every leaf under ``nodes``, in document order."""
    stack = list(reversed(nodes))
    while stack:
        node = stack.pop()
        if isinstance(node, Leaf):
            yield node
        else:
            stack.extend(reversed(node.children))


def atoms(text: str, kinds: frozenset[str] = ATOMS) -> Iterator[tuple[str, str]]:
    """``(kind, source)`` of every atom of ``text`` (markers, URLs, code…), link targets included."""
    for kind, start, end in atom_spans(text, kinds):
        yield kind, text[start:end]


def atom_spans(text: str, kinds: frozenset[str] = ATOMS) -> Iterator[tuple[str, int, int]]:
    """``(kind, start, end)`` of every atom, with link destinations as ``url``."""
    stack: list[Node] = list(reversed(parse(text)))
    while stack:
        node = stack.pop()
        if isinstance(node, Leaf):
            if node.kind in kinds:
                yield node.kind, node.start, node.end
            continue
        if node.target is not None and URL in kinds:
            stack.append(Leaf(URL, *node.target))
        stack.extend(reversed(node.children))


# --- scanning -----------------------------------------------------------------------------


@dataclass(slots=True)
class _Delim:
    """A delimiter run while emphasis is being resolved: ``[lo, hi)`` is still unused."""

    char: str
    start: int
    end: int
    can_open: bool
    can_close: bool
    lo: int
    hi: int

    @property
    def count(self) -> int:
        return self.hi - self.lo

    @property
    def length(self) -> int:
        return self.end - self.start


_Item = Leaf | Span | _Delim


def _is_punct(char: str) -> bool:
    return unicodedata.category(char)[0] in "PS"


class _Scanner:
    """Split one inline source into leaves, spans and delimiter runs."""

    def __init__(self, text: str, *, nested: bool) -> None:
        self.s = text
        self.nested = nested
        self._brackets: dict[tuple[int, int], int | None] = {}

    def nodes(self) -> tuple[Node, ...]:
        return tuple(self.parse(0, len(self.s), 0))

    def parse(self, start: int, end: int, depth: int) -> list[Node]:
        """Parse ``s[start:end]`` into nodes, emphasis resolved."""
        items: list[_Item] = []
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
                items.append(Leaf(TEXT, text_start, i))
            items.append(node)
            i = text_start = after
        if text_start < end:
            items.append(Leaf(TEXT, text_start, end))
        return _finish(_resolve_emphasis(items) if self.nested else items)

    def _construct(self, i: int, end: int, depth: int) -> tuple[_Item, int] | None:
        s, char = self.s, self.s[i]
        if char == "\\":
            if i + 1 < end and s[i + 1] in _ASCII_PUNCT:
                return Leaf(ESCAPE, i, i + 2), i + 2
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
            match = MARKER.match(s, i, end)
            if match:
                return Leaf(MARKER_KIND, i, match.end()), match.end()
            return self._link(i, 1, end, depth)
        return self._bare_url(i, end)

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

    def _code_span(self, i: int, end: int) -> tuple[Leaf, int]:
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
                return Leaf(CODE, i, k), k
            j = k
        return Leaf(DELIM, i, run_end, True, True), run_end  # no closing run

    def _angle(self, i: int, end: int) -> tuple[Leaf, int] | None:
        match = _AUTOLINK.match(self.s, i, end)
        if match:
            return Leaf(AUTOLINK, i, match.end()), match.end()
        match = _INLINE_HTML.match(self.s, i, end)
        return (Leaf(HTML, i, match.end()), match.end()) if match else None

    def _entity(self, i: int, end: int) -> tuple[Leaf, int] | None:
        match = _ENTITY.match(self.s, i, end)
        if not match:
            return None
        name = match.group()[1:]
        if not name.startswith("#") and name not in html.entities.html5:
            return None
        return Leaf(ENTITY, i, match.end()), match.end()

    def _delimiter_run(self, i: int, end: int) -> tuple[_Delim, int]:
        s, char = self.s, self.s[i]
        j = i
        while j < end and s[j] == char:
            j += 1
        before = s[i - 1] if i > 0 else " "
        after = s[j] if j < len(s) else " "
        left = not after.isspace() and (
            not _is_punct(after) or before.isspace() or _is_punct(before)
        )
        right = not before.isspace() and (
            not _is_punct(before) or after.isspace() or _is_punct(after)
        )
        if char == "_":
            can_open = left and (not right or _is_punct(before))
            can_close = right and (not left or _is_punct(after))
        else:
            can_open, can_close = left, right
        if char == "~" and j - i != 2:
            can_open = can_close = False
        return _Delim(char, i, j, can_open, can_close, i, j), j

    def _link(self, i: int, opener: int, end: int, depth: int) -> tuple[Span, int] | None:
        if not self.nested or depth >= _MAX_LINK_DEPTH:
            return None
        text_start = i + opener
        close = self._matching_bracket(text_start, end)
        if close is None or close + 1 >= end:
            return None
        tail = self._link_tail(close + 1, end)
        if tail is None:
            return None
        after, target, title, reference = tail
        children = tuple(self.parse(text_start, close, depth + 1))
        if opener == 1 and any(_is_link(child) for child in children):
            return None  # CommonMark: a link may not contain a link; the inner one wins
        kind = IMAGE if opener == 2 else LINK
        span = Span(kind, i, after, (text_start, close), children, target, title, reference)
        return span, after

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

    def _link_tail(
        self, i: int, end: int
    ) -> tuple[int, tuple[int, int], tuple[int, int] | None, bool] | None:
        """End, target and title of ``(dest "title")`` or ``[label]`` at ``i``, if well-formed."""
        s = self.s
        if s[i] == "[":
            match = _REF_LABEL.match(s, i, end)
            return (match.end(), (i + 1, match.end() - 1), None, True) if match else None
        if s[i] != "(":
            return None
        j = _skip_space(s, i + 1, end)
        if j < end and s[j] == "<":
            match = _ANGLE_DEST.match(s, j, end)
            if not match:
                return None
            dest_end = match.end()
            target = (j + 1, match.end() - 1)
        else:
            scanned = _scan_destination(s, j, end)
            if scanned is None:
                return None
            dest_end = scanned
            target = (j, dest_end)
        k = _skip_space(s, dest_end, end)
        title = None
        if k > dest_end and k < end and s[k] in "\"'(":
            match = _TITLE.match(s, k, end)
            if not match:
                return None
            title = (k, match.end())
            k = _skip_space(s, match.end(), end)
        if k < end and s[k] == ")":
            return k + 1, target, title, False
        return None

    def _bare_url(self, i: int, end: int) -> tuple[Leaf, int] | None:
        s = self.s
        if i > 0 and (s[i - 1].isalnum() or s[i - 1] in "/:@.&=?#%+-"):
            return None
        match = _BARE_URL.match(s, i, end)
        if not match:
            return None
        url = _trim_url(match.group())
        if len(url) <= len(match.group(1)):
            return None
        return Leaf(URL, i, i + len(url)), i + len(url)


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
    """Drop what ends the sentence rather than the URL: GFM's punctuation, a Turkish suffix.

    >>> _trim_url("https://un.org/a_(b))."), _trim_url("https://un.org'da,")
    ('https://un.org/a_(b)', 'https://un.org')
    """
    while url:
        entity = _URL_ENTITY_END.search(url)
        suffix = _URL_SUFFIX.search(url)
        if entity:
            url = url[: entity.start()]
        elif suffix:
            url = url[: suffix.start()]
        elif url[-1] in _URL_TRAILING:
            url = url[:-1]
        elif url[-1] == ")" and url.count(")") > url.count("("):
            url = url[:-1]
        else:
            break
    return url


def _is_link(node: Node) -> bool:
    if not isinstance(node, Span):
        return False
    return node.kind == LINK or any(_is_link(child) for child in node.children)


def _resolve_emphasis(items: list[_Item]) -> list[_Item]:
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
        kind = STRIKE if closer.char == "~" else STRONG if use == 2 else EM
        start, inner_start = opener.hi - use, opener.hi
        inner_end, end = closer.lo, closer.lo + use
        children = tuple(_finish(items[opener_index + 1 : closer_index]))
        span = Span(kind, start, end, (inner_start, inner_end), children)
        opener.hi -= use
        closer.lo += use
        items[opener_index + 1 : closer_index] = [span]
        closer_index = opener_index + 2
    return items


def _find_opener(items: list[_Item], closer_index: int, closer: _Delim) -> int | None:
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


def _finish(items: list[_Item]) -> list[Node]:
    """Frozen nodes: a delimiter run's unused characters become a ``delim`` leaf."""
    out: list[Node] = []
    for item in items:
        if not isinstance(item, _Delim):
            out.append(item)
        elif item.count:
            out.append(Leaf(DELIM, item.lo, item.hi, item.can_open, item.can_close))
    return out
