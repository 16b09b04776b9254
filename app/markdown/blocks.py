"""Segmenting articles: the block parser, used both to extract and to compile.

An article is a UTF-8 Markdown file with YAML front matter between ``---`` lines.
The front matter must hold ``lang`` (the article's source language); ``slug``
defaults to the file name without ``.md``.

Extraction rules (CommonMark, parsed by markdown-it-py with tables and footnotes):

- translatable: the front matter's ``title`` and ``summary``; headings; paragraphs;
  paragraphs inside list items and block quotes; table cells; footnote definitions
  (their text only: the ``[^1]:`` label stays in the skeleton); reference-list
  entries (a paragraph opening with ``[i]`` or ``[12]``: the marker stays in the
  skeleton too, so nobody can break it);
- copied through unchanged: code blocks, HTML blocks, thematic breaks, link reference
  definitions, blank lines, the other front-matter keys;
- a block's text (its msgid) is its inline Markdown source on one line: the lines of
  the block are stripped and joined with single spaces;
- every block records the character span of its inline source in the file, so
  :func:`render` can put a translation exactly there and keep every other byte.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import SourceError
from ..po import text as boundary
from . import frontmatter, inline
from .inline import NUMBERED

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

#: The front-matter keys translated unless a project says otherwise ([tool.paragraf] translatable).
TRANSLATABLE_META = ("title", "summary", "author")
# A reference-list entry opens with a marker as published (the marker is defined in .inline).
_REFERENCE = re.compile(rf"^{NUMBERED}[ \t]+(?=\S)")
# What would turn the start of a paragraph into another block: a list marker, an
# ATX heading, a block quote. "1. Dünya Savaşı" is a normal Turkish sentence start.
_HTML_BLOCK_NAMES = (
    "address|article|aside|base|basefont|blockquote|body|caption|center|col|colgroup|dd|details"
    "|dialog|dir|div|dl|dt|fieldset|figcaption|figure|footer|form|frame|frameset|h[1-6]|head"
    "|header|hr|html|iframe|legend|li|link|main|menu|menuitem|nav|noframes|ol|optgroup|option|p"
    "|param|search|section|summary|table|tbody|td|tfoot|th|thead|title|tr|track|ul"
)
# The starts of CommonMark's HTML blocks (conditions 1 to 7): an autolink or inline
# HTML followed by text, such as "<b>Not:</b> metin", stays inline.
_HTML_BLOCK = (
    r"<(?:script|pre|style|textarea)(?=[\s>]|$)|<!--|<\?|<![A-Za-z]|<!\[CDATA\["
    rf"|</?(?:{_HTML_BLOCK_NAMES})(?=[\s/>]|$)"
    r"|</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>\s*$"
)
_BLOCK_START = re.compile(
    r"^(?:(\d{1,9})([.)])(?=\s|$)|[-+*](?=\s|$)|#{1,6}(?=\s|$)|>|`{3}|~{3}|=+\s*$|-+\s*$"
    rf"|\[[^\]]*\]:|(?:[-*_][ \t]*){{3,}}$|(?i:{_HTML_BLOCK}))"
)
_HEADING_CLOSE = re.compile(r"(\s)(#+\s*)$")  # "Başlık #" would lose its '#' as a closing sequence
_BACKSLASH_BREAK = re.compile(r"(?<!\\)(?:\\\\)*\\$")
_CELL_PIPE = re.compile(r"(?<!\\)\|")
#: Deepest token level accepted (about 20 nested lists or 40 quotes); deeper is refused.
MAX_LEVEL = 40
# Refused anywhere in an article: what no catalog can keep (see app.po.text).
_REFUSED = re.compile("[\x00-\x08\x0c\x0e-\x1f\x7f\x80-\x84\x86-\x9f\u2029\ud800-\udfff]")
_CONTAINERS = {
    "blockquote_open": "quote",
    "list_item_open": "list item",
    "footnote_reference_open": "footnote",
}


@dataclass(frozen=True)
class Block:
    """One translatable block: its kind, msgid, 1-based line and source span."""

    kind: str
    text: str
    line: int
    start: int
    end: int
    meta: bool = False  # a front-matter value (its kind is the key)


@dataclass(frozen=True)
class Article:
    """A parsed article: its source text, front matter and blocks in document order."""

    path: Path
    slug: str
    lang: str
    meta: dict[str, Any]
    source: str
    blocks: tuple[Block, ...]
    lang_span: tuple[int, int]
    newline: str = "\n"  # the file's line ending: "\r\n" for a CRLF file


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    """The block-level CommonMark parser (inline parsing is not needed to find blocks).

    markdown-it drops what is nested deeper than its ``maxNesting`` without a word; here
    the bound is far away and :data:`MAX_LEVEL` refuses an article before it, so nothing
    is ever dropped silently (the HTML renderer uses the same bound).
    """
    from markdown_it import MarkdownIt
    from mdit_py_plugins.footnote import footnote_plugin

    md = MarkdownIt("commonmark", {"maxNesting": 1000}).use(footnote_plugin).enable("table")
    # Footnote definitions stay in document order; inline children are never used here.
    md.disable(["inline", "footnote_tail"])
    return md


def read_article(
    path: Path, *, display: str | None = None, translatable: tuple[str, ...] = TRANSLATABLE_META
) -> Article:
    """Read and segment the article at ``path``; errors name ``display`` (default: the path)."""
    name = display or str(path)
    return parse_article(_read(path, name), path=path, display=name, translatable=translatable)


def read_slug(path: Path, *, display: str | None = None) -> str:
    """The slug the article at ``path`` claims, from its front matter alone (not segmented).

    Front matter without the word ``slug`` (nor an escape that could spell it) is not
    parsed: the slug is the file's name, and :func:`read_article` reports what else is
    wrong with it.
    """
    name = display or str(path)
    text = _read(path, name)
    _check_characters(text, name)  # the first error a full read would give, for these too
    lines = text.split("\n")
    end = frontmatter.closing(lines, name)
    if not any("slug" in line or "\\" in line for line in lines[1:end]):
        return _slug({}, path, name)
    meta, _end = frontmatter.parse(lines, name)
    return _slug(meta, path, name)


def _read(path: Path, name: str) -> str:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        raise SourceError(
            f"{name}:{line}: not UTF-8 (byte {data[e.start]:#04x});"
            " save the file as UTF-8 and run again"
        ) from e
    return text.removeprefix("\ufeff")


def _slug(meta: dict[str, Any], path: Path, name: str) -> str:
    slug = meta.get("slug", path.stem)
    if not isinstance(slug, str) or not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", slug):
        raise SourceError(
            f"{name}:1: 'slug' must be letters, digits, '.', '_' or '-', got {slug!r}"
        )
    return slug


def parse_article(
    text: str,
    *,
    path: Path,
    display: str | None = None,
    translatable: tuple[str, ...] = TRANSLATABLE_META,
) -> Article:
    """Segment the article ``text`` read from ``path``; ``translatable``: the front-matter keys."""
    name = display or str(path)
    _check_characters(text, name)
    lines = text.split("\n")
    starts = _line_starts(lines)
    meta, fm_end = frontmatter.parse(lines, name)
    blocks = list(_meta_blocks(meta, translatable, lines, starts, fm_end, name))
    lang_span = frontmatter.value_span("lang", lines, starts, fm_end)
    if lang_span is None:  # pragma: no cover - _front_matter already requires lang
        raise SourceError(f"{name}:1: front matter has no 'lang' key")
    body = "\n".join(lines[fm_end:])
    blocks.extend(_body_blocks(body, lines, starts, fm_end, name))
    return Article(
        path=path,
        slug=_slug(meta, path, name),
        lang=meta["lang"],
        meta=meta,
        source=text,
        blocks=tuple(blocks),
        lang_span=lang_span,
        newline="\r\n" if "\r\n" in text else "\n",
    )


def _check_characters(text: str, name: str) -> None:
    """Refuse CR-only line ends and the characters no catalog can keep, naming the line."""
    if "\r" in text and "\n" not in text:
        raise SourceError(
            f"{name}:1: the file ends its lines with CR only (old Mac style); save it with LF"
            " (or CRLF) line endings"
        )
    bad = _REFUSED.search(text)
    if bad is not None:
        line = text.count("\n", 0, bad.start()) + 1
        column = bad.start() - (text.rfind("\n", 0, bad.start()) + 1) + 1
        raise SourceError(
            f"{name}:{line}:{column}: character {boundary.describe(bad.group())} cannot be"
            " translated or stored in a catalog; remove it from the article"
        )


def render(article: Article, lookup: Callable[[Block], str | None], lang: str | None = None) -> str:
    """Rebuild the article with each block's text from ``lookup``; ``None`` keeps the source.

    Everything outside the blocks is copied byte for byte. A translation equal to
    the block's msgid also keeps the original lines (so an identity translation
    gives back the source exactly). ``lang`` replaces the front matter's ``lang``.
    """
    src = article.source
    edits: list[tuple[int, int, str]] = []
    if lang is not None:
        edits.append((*article.lang_span, f" {lang}"))
    for block in article.blocks:
        translation = lookup(block)
        if translation is None or translation == block.text:
            continue
        edits.append((block.start, block.end, _inline_source(block, translation, article.newline)))
    edits.sort()
    out: list[str] = []
    pos = 0
    for start, end, replacement in edits:
        out.append(src[pos:start])
        out.append(replacement)
        pos = end
    out.append(src[pos:])
    return "".join(out)


def _join_lines(content: str) -> str:
    """A block's lines on one line; a hard line break (two spaces or a backslash) stays a newline.

    A line end inside a code span is no hard break (CommonMark makes it a space there).
    Word's line break (U+000B), U+2028 and U+0085 in the text become hard breaks too.

    >>> _join_lines("Line one  \\nline two\\\\\\nline three\\nfour")
    'Line one\\nline two\\nline three four'
    >>> _join_lines("`code  \\nspan` and\\u2028more")
    '`code span` and\\nmore'
    """
    lines = content.split("\n")
    in_code = _code_line_ends(content) if "`" in content else set()
    out = [lines[0].strip()]
    for number, (previous, line) in enumerate(zip(lines, lines[1:], strict=False)):
        if number in in_code:
            out.append(" ")
        elif _BACKSLASH_BREAK.search(previous):
            out[-1] = out[-1][:-1].rstrip()  # the backslash is the break's markup, not text
            out.append("\n")
        elif previous.endswith("  "):
            out.append("\n")
        else:
            out.append(" ")
        out.append(line.strip())
    return boundary.text("".join(out), "a block")


def _code_line_ends(content: str) -> set[int]:
    """The numbers of the lines whose end falls inside a code span."""
    ends = {i for i, char in enumerate(content) if char == "\n"}
    inside = set()
    for _kind, start, end in inline.atom_spans(content, frozenset({inline.CODE})):
        inside |= {content.count("\n", 0, at) for at in ends if start < at < end}
    return inside


def _inline_source(block: Block, translation: str, newline: str = "\n") -> str:
    """A translation as Markdown for a block of ``kind``, unable to change the block's structure.

    A line break inside a block becomes a hard line break in the file's own line ending:
    a backslash, or two spaces after a line that ends with a backslash of its own.
    """
    kind = block.kind
    if block.meta:
        return " " + json.dumps(" ".join(translation.split()), ensure_ascii=False)
    if kind == "heading":
        text = _BLOCK_START.sub(_escape_block_start, " ".join(translation.split()))
        return _HEADING_CLOSE.sub(r"\1\\\2", text)
    if kind == "table cell":
        return _CELL_PIPE.sub(r"\\|", " ".join(translation.split("\n")))
    lines = [
        _BLOCK_START.sub(_escape_block_start, line.strip()) for line in translation.split("\n")
    ]
    kept = [line for line in lines if line]
    out = kept[:1]
    for previous, line in zip(kept, kept[1:], strict=False):
        out.append(("  " if previous.endswith("\\") else "\\") + newline + line)
    return "".join(out)


def body(text: str) -> str:
    """The Markdown after the front matter's closing ``---`` (or ``...``) line."""
    lines = text.split("\n")
    for index in range(1, len(lines)):
        if frontmatter.FENCE.match(lines[index]):
            return "\n".join(lines[index + 1 :])
    return text


def _escape_block_start(match: re.Match[str]) -> str:
    r"""Backslash-escape a leading block marker so a translation stays one paragraph.

    >>> print(_BLOCK_START.sub(_escape_block_start, "1. Dünya Savaşı"))
    1\. Dünya Savaşı
    >>> print(_BLOCK_START.sub(_escape_block_start, "- это тире"))
    \- это тире
    """
    number, delimiter = match.group(1), match.group(2)
    if number:
        return f"{number}\\{delimiter}"
    return "\\" + match.group(0)  # a backslash before any ASCII punctuation makes it literal


def _line_starts(lines: list[str]) -> list[int]:
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    return starts


def _meta_blocks(
    meta: dict[str, Any],
    keys: tuple[str, ...],
    lines: list[str],
    starts: list[int],
    fm_end: int,
    name: str,
) -> Iterator[Block]:
    for key in keys:
        value = meta.get(key)
        if not value:
            continue
        if not isinstance(value, str):
            raise SourceError(f"{name}:1: front matter {key!r} is translated, so it must be text")
        span = frontmatter.value_span(key, lines, starts, fm_end)
        if span is None:
            raise SourceError(
                f"{name}:1: front matter {key!r} must be a top-level key at the start of a line"
            )
        text = " ".join(value.split())
        yield Block(key, text, _line_of(starts, span[0]), span[0], span[1], meta=True)


def _line_of(starts: list[int], offset: int) -> int:
    """1-based line number of character ``offset``."""
    lo, hi = 0, len(starts) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if starts[mid] <= offset:
            lo = mid
        else:
            hi = mid - 1
    return lo + 1


def _body_blocks(
    body: str, lines: list[str], starts: list[int], offset: int, name: str
) -> Iterator[Block]:
    """Blocks of the Markdown body, whose first line is file line index ``offset``."""
    containers: list[str] = []
    in_table = False
    cursor: dict[int, int] = {}
    kind = "paragraph"
    for token in _tokens(body, offset, name):
        ttype = token.type
        if ttype in _CONTAINERS:
            containers.append(_CONTAINERS[ttype])
        elif ttype.endswith("_close") and ttype.replace("_close", "_open") in _CONTAINERS:
            containers.pop()
        elif ttype == "table_open":
            in_table = True
        elif ttype == "table_close":
            in_table = False
        elif ttype == "heading_open":
            kind = "heading"
        elif ttype == "paragraph_open":
            kind = containers[-1] if containers else "paragraph"
        elif ttype == "inline" and token.map is not None and token.content.strip():
            first = token.map[0] + offset
            if in_table:
                start, end, text = _cell_span(token.content, first, lines, starts, cursor, name)
                block_kind = "table cell"
            else:
                start, end = _block_span(token.content, first, lines, starts, name)
                block_kind = kind
                text = _join_lines(token.content)
            marker = _REFERENCE.match(text) if block_kind == "paragraph" else None
            if marker:  # like a footnote's label, the marker stays in the skeleton
                block_kind, text, start = (
                    "reference",
                    text[marker.end() :],
                    start + marker.end(),
                )
            yield Block(block_kind, text, first + 1, start, end)
            kind = "paragraph"


def _tokens(body: str, offset: int, name: str) -> list[Any]:
    """The block tokens of an article body; an article nested too deeply is refused."""
    try:
        tokens = _parser().parse(body)
    except RecursionError:
        tokens = None
    deep = None if tokens is None else next((t for t in tokens if t.level > MAX_LEVEL), None)
    if tokens is None or deep is not None:
        line = offset + 1 + (deep.map[0] if deep is not None and deep.map else 0)
        raise SourceError(
            f"{name}:{line}: lists or quotes nested deeper than paragraf can extract"
            f" ({MAX_LEVEL // 2} levels); flatten them, nothing of this article was extracted"
        )
    return tokens


def _block_span(
    content: str, first: int, lines: list[str], starts: list[int], name: str
) -> tuple[int, int]:
    """Span of a block's inline source: from its first content character to its last."""
    parts = content.split("\n")
    head = parts[0].strip()
    line = lines[first].rstrip()
    # An ATX heading's closing '#'s follow its text; everything else ends its line.
    col = len(line) - len(head) if line.endswith(head) else line.rfind(head)
    if col < 0:
        raise SourceError(
            f"{name}:{first + 1}: cannot locate the block's text on its line; please report this"
        )
    last_index = first + len(parts) - 1
    tail = parts[-1].strip()
    if len(parts) == 1:
        end_col = col + len(head)
    else:
        last = lines[last_index].rstrip()
        end_col = last.rfind(tail) + len(tail) if not last.endswith(tail) else len(last)
    return starts[first] + col, starts[last_index] + end_col


def _cell_span(
    content: str, first: int, lines: list[str], starts: list[int], cursor: dict[int, int], name: str
) -> tuple[int, int, str]:
    """Span and source text of a table cell, found left to right on the row's line."""
    for text in (
        content.strip(),
        content.strip().replace("|", "\\|"),
    ):  # a cell's '\|' reads as '|'
        col = lines[first].find(text, cursor.get(first, 0))
        if col >= 0:
            cursor[first] = col + len(text)
            return starts[first] + col, starts[first] + col + len(text), text
    raise SourceError(
        f"{name}:{first + 1}: cannot locate a table cell's text on its line; please report this"
    )
