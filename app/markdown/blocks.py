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
from typing import Any

import yaml
from markdown_it import MarkdownIt
from mdit_py_plugins.footnote import footnote_plugin

from ..errors import SourceError
from .inline import NUMBERED

TRANSLATABLE_META = ("title", "summary")
_FENCE = re.compile(r"^(?:---|\.\.\.)[ \t]*\r?$")
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
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
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


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    """The block-level CommonMark parser (inline parsing is not needed to find blocks)."""
    md = MarkdownIt("commonmark").use(footnote_plugin).enable("table")
    # Footnote definitions stay in document order; inline children are never used here.
    md.disable(["inline", "footnote_tail"])
    return md


def read_article(path: Path, *, display: str | None = None) -> Article:
    """Read and segment the article at ``path``; errors name ``display`` (default: the path)."""
    name = display or str(path)
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        raise SourceError(
            f"{name}:{line}: not UTF-8 (byte {data[e.start]:#04x});"
            " save the file as UTF-8 and run again"
        ) from e
    return parse_article(text, path=path, display=name)


def parse_article(text: str, *, path: Path, display: str | None = None) -> Article:
    """Segment the article ``text`` read from ``path``."""
    name = display or str(path)
    lines = text.split("\n")
    starts = _line_starts(lines)
    meta, fm_end = _front_matter(lines, name)
    blocks = list(_meta_blocks(meta, lines, starts, fm_end, name))
    lang_span = _meta_value_span("lang", lines, starts, fm_end)
    if lang_span is None:  # pragma: no cover - _front_matter already requires lang
        raise SourceError(f"{name}:1: front matter has no 'lang' key")
    body = "\n".join(lines[fm_end:])
    blocks.extend(_body_blocks(body, lines, starts, fm_end, name))
    slug = meta.get("slug", path.stem)
    if not isinstance(slug, str) or not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", slug):
        raise SourceError(
            f"{name}:1: 'slug' must be letters, digits, '.', '_' or '-', got {slug!r}"
        )
    return Article(
        path=path,
        slug=slug,
        lang=meta["lang"],
        meta=meta,
        source=text,
        blocks=tuple(blocks),
        lang_span=lang_span,
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
        edits.append((block.start, block.end, _inline_source(block.kind, translation)))
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

    >>> _join_lines("Line one  \\nline two\\\\\\nline three\\nfour")
    'Line one\\nline two\\nline three four'
    """
    lines = content.split("\n")
    out = [lines[0].strip()]
    for previous, line in zip(lines, lines[1:], strict=False):
        if _BACKSLASH_BREAK.search(previous):
            out[-1] = out[-1][:-1].rstrip()  # the backslash is the break's markup, not text
            out.append("\n")
        elif previous.endswith("  "):
            out.append("\n")
        else:
            out.append(" ")
        out.append(line.strip())
    return "".join(out)


def _inline_source(kind: str, translation: str) -> str:
    """A translation as Markdown for a block of ``kind``, unable to change the block's structure."""
    if kind in TRANSLATABLE_META:
        return " " + json.dumps(" ".join(translation.split()), ensure_ascii=False)
    if kind == "heading":
        text = _BLOCK_START.sub(_escape_block_start, " ".join(translation.split()))
        return _HEADING_CLOSE.sub(r"\1\\\2", text)
    if kind == "table cell":
        return _CELL_PIPE.sub(r"\\|", " ".join(translation.split("\n")))
    lines = [
        _BLOCK_START.sub(_escape_block_start, line.strip()) for line in translation.split("\n")
    ]
    return "\\\n".join(line for line in lines if line)  # a hard break, as CommonMark writes one


def body(text: str) -> str:
    """The Markdown after the front matter's closing ``---`` (or ``...``) line."""
    lines = text.split("\n")
    for index in range(1, len(lines)):
        if _FENCE.match(lines[index]):
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


def _front_matter(lines: list[str], name: str) -> tuple[dict[str, Any], int]:
    """Parse the YAML front matter; return it and the index of the first body line."""
    if not lines or not _FENCE.match(lines[0]) or lines[0].startswith("..."):
        raise SourceError(
            f"{name}:1: no front matter; start the file with a '---' line, then YAML"
            " with at least 'lang: en' (or tr, ru) and 'title:', then a closing '---' line"
        )
    for index in range(1, len(lines)):
        if _FENCE.match(lines[index]):
            break
    else:
        raise SourceError(f"{name}:1: front matter is not closed; add a '---' line after it")
    try:
        meta = yaml.load("\n".join(lines[1:index]), Loader=_YAML_LOADER)  # noqa: S506 - safe loader
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        problem = getattr(e, "problem", None) or str(e)
        raise SourceError(f"{name}:{line}: front matter is not valid YAML: {problem}") from e
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise SourceError(
            f"{name}:2: front matter must be YAML keys and values, got {type(meta).__name__}"
        )
    lang = meta.get("lang")
    if not isinstance(lang, str) or not lang:
        raise SourceError(
            f"{name}:1: front matter has no 'lang' key; add the article's language, e.g. 'lang: en'"
        )
    for key in TRANSLATABLE_META:
        if key in meta and not isinstance(meta[key], str):
            raise SourceError(f"{name}:1: front matter {key!r} must be text, got {meta[key]!r}")
    return meta, index + 1


def _meta_value_span(
    key: str, lines: list[str], starts: list[int], fm_end: int
) -> tuple[int, int] | None:
    """Character span of a top-level front-matter value (after ``key:``), continuation lines included."""
    prefix = f"{key}:"
    for index in range(1, fm_end - 1):
        if lines[index].startswith(prefix):
            last = index
            while last + 1 < fm_end - 1 and (
                lines[last + 1][:1] in (" ", "\t") or not lines[last + 1].strip()
            ):
                last += 1
            while last > index and not lines[last].strip():
                last -= 1
            return starts[index] + len(prefix), starts[last] + len(lines[last].rstrip())
    return None


def _meta_blocks(
    meta: dict[str, Any], lines: list[str], starts: list[int], fm_end: int, name: str
) -> Iterator[Block]:
    for key in TRANSLATABLE_META:
        value = meta.get(key)
        if not value:
            continue
        span = _meta_value_span(key, lines, starts, fm_end)
        if span is None:
            raise SourceError(
                f"{name}:1: front matter {key!r} must be a top-level key at the start of a line"
            )
        yield Block(key, " ".join(value.split()), _line_of(starts, span[0]), span[0], span[1])


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
    for token in _parser().parse(body):
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
