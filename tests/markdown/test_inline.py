"""app.markdown.inline, the one lexer: its rules, and that its three consumers agree.

The review page's highlighter, the quality checks and the machine-translation
placeholders each walk the lexer's nodes. What the highlighter shows as a marker, a
URL, code or a tag, the checks compare as one and the placeholders keep out of the
text sent for translation.
"""

from __future__ import annotations

import html
import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from app.checks import Pair
from app.checks.plain import tag_key
from app.markdown import inline
from app.mt.placeholders import protect
from app.web.highlight import highlight

_SPAN = re.compile(r'<span class="(\w+)">(.*?)</span>', re.DOTALL)
_TAG = re.compile(r"<(/?)(\w+)(?: id=\"(\d+)\")?(/?)>")

BITS = [
    "[i]", "[iv]", "[12]", "[^1]", "[^not]", "[dim]", "[vix]", "[1234]", "[sic]", "[I]t",
    "https://un.org/a_(b)", "ftp://files.org/x.zip", "www.aa.com.tr", "<https://a.b>",
    "<a@b.co>", "https://un.org'da", "`code`", "``a ` b``", "`", "<b>", "</b>", "<br/>",
    "<!-- c -->", "&amp;", "&nbsp;", "\\*", "*", "**", "_", "~~", "[", "]", "(", ")", "](",
    "![", "[x](https://x.org \"T\")", "[y][ref]", " ", ".", ",", "'", "word", "ş", "ё", "«",
]  # fmt: skip
markdown = st.lists(st.sampled_from(BITS), max_size=30).map("".join)


def highlighted(text: str) -> list[tuple[str, int, int]]:
    """(class, start, end) of every highlighted piece, positions in ``text``."""
    out, pos, last = [], 0, 0
    rendered = str(highlight(text))
    for match in _SPAN.finditer(rendered):
        pos += len(html.unescape(rendered[last : match.start()]))
        piece = html.unescape(match.group(2))
        out.append((match.group(1), pos, pos + len(piece)))
        pos += len(piece)
        last = match.end()
    assert pos + len(html.unescape(rendered[last:])) == len(text)
    return out


def protected_ranges(text: str) -> list[tuple[int, int]]:
    """The spans of ``text`` the placeholders keep out of the translatable XML."""
    protected = protect(text)
    ranges, pos, last = [], 0, 0
    stack: list[int] = []
    xml = protected.xml
    for match in _TAG.finditer(xml):
        pos += len(html.unescape(xml[last : match.start()]))
        last = match.end()
        closing, _name, number, empty = match.groups()
        if closing:
            piece = protected.pieces[stack.pop()]
            ranges.append((pos, pos + len(piece.close)))
            pos += len(piece.close)
            continue
        piece = protected.pieces[int(number)]
        ranges.append((pos, pos + len(piece.open)))
        pos += len(piece.open)
        if not empty:
            stack.append(int(number))
    return ranges


def inside(span: tuple[int, int], ranges: list[tuple[int, int]]) -> bool:
    return any(lo <= span[0] and span[1] <= hi for lo, hi in ranges)


@settings(max_examples=600, deadline=None)
@given(markdown)
@example("See [dim] and [1234] but [i] and ftp://files.org/x.zip.")
@example("[y][Ref Label] and [x](<https://x.org/a b>)")
def test_highlighter_checks_and_placeholders_agree(text: str) -> None:
    spans = highlighted(text)
    ranges = protected_ranges(text)
    reduced = Pair(text, text, "en", "tr").src
    for cls, start, end in spans:
        if cls in ("marker", "url", "code", "html", "entity"):
            assert inside((start, end), ranges), (cls, text[start:end], text)
    marked = [text[s:e] for cls, s, e in spans if cls == "marker"]
    assert marked == list(reduced.markers)
    code = [text[s:e].strip("`").strip() for cls, s, e in spans if cls == "code"]
    assert code == list(reduced.code)
    tags = [tag_key(text[s:e]) for cls, s, e in spans if cls == "html"]
    assert tags == list(reduced.tags)
    labels = _reference_labels(inline.parse(text))
    urls = []
    for cls, s, e in spans:
        if cls != "url":
            continue
        if (s, e) in labels:  # a reference label: compared as a normalized label
            urls.append("[" + " ".join(text[s:e].split()).casefold() + "]")
        elif text[s] == "<" and text[e - 1] == ">":  # an autolink
            urls.append(text[s + 1 : e - 1])
        else:
            urls.append(text[s:e])
    assert sorted(u for u in urls if u) == sorted(reduced.urls)
    assert protect(text).restore(protect(text).xml) == text


def _reference_labels(nodes: tuple[inline.Node, ...]) -> set[tuple[int, int]]:
    found = set()
    for node in nodes:
        if isinstance(node, inline.Span):
            if node.reference and node.target is not None:
                found.add(node.target)
            found |= _reference_labels(node.children)
    return found


@pytest.mark.parametrize("text", ["[dim]", "[vix]", "[1234]", "[sic]", "[I]t"])
def test_bracketed_words_and_long_numbers_are_not_markers(text: str) -> None:
    assert '<span class="marker">' not in str(highlight(text))
    assert Pair(text, text, "en", "tr").src.markers == ()
    assert protect(text).xml == text  # sent as text: the engine may translate it


@pytest.mark.parametrize("text", ["[i]", "[iv]", "[xii]", "[12]", "[^1]", "[^note]"])
def test_markers_are_markers_everywhere(text: str) -> None:
    assert str(highlight(text)) == f'<span class="marker">{text}</span>'
    assert Pair(text, text, "en", "tr").src.markers == (text,)
    assert protect(text).xml == '<x id="1"/>'


@pytest.mark.parametrize(
    ("text", "url"),
    [
        ("Get ftp://files.org/x.zip.", "ftp://files.org/x.zip"),
        ("See https://un.org'da bilgi", "https://un.org"),
        ("(see https://a.org/x_(y)).", "https://a.org/x_(y)"),
        ("www.aa.com.tr, then", "www.aa.com.tr"),
    ],
)
def test_bare_urls_are_urls_everywhere(text: str, url: str) -> None:
    assert f'<span class="url">{url}</span>' in str(highlight(text))
    assert Pair(text, text, "en", "tr").src.urls == (url,)
    assert any(piece.open == url for piece in protect(text).pieces.values())


def test_nodes_cover_the_text_exactly() -> None:
    text = "**Bold [link](https://x.org) and `code`**, an [i] marker and *an unclosed"
    nodes = inline.parse(text)
    assert nodes[0].start == 0 and nodes[-1].end == len(text)
    for left, right in zip(nodes, nodes[1:], strict=False):
        assert left.end == right.start
    strong = nodes[0]
    assert isinstance(strong, inline.Span) and strong.kind == inline.STRONG
    link = strong.children[1]
    assert isinstance(link, inline.Span) and text[slice(*link.target)] == "https://x.org"
    delim = [n for n in inline.leaves(nodes) if n.kind == inline.DELIM]
    assert [(text[d.start : d.end], d.opens) for d in delim] == [("*", True)]


def test_pathological_nesting_falls_back_to_atoms() -> None:
    text = "*a " * 3000 + "[i] https://x.org"
    assert Pair(text, text, "en", "tr").src.markers == ("[i]",)
    assert protect(text).restore(protect(text).xml) == text
