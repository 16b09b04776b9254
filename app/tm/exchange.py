"""TMX and PO files in and out of the translation memory.

TMX. Import streams the file through expat, so errors name the file and line. A ``<tu>`` is a
unit (every ordered pair of its languages is stored); ``xml:lang`` values such as ``en-US`` are
reduced to their primary subtag. Inline codes (``<bpt>``, ``<ept>``, ``<ph>``, ``<it>``, ``<ut>``)
contribute their native text and ``<hi>`` its content, which restores the segment as the tool that
wrote it saw it (``**bold**`` for Markdown, ``<b>bold</b>`` for HTML). Export writes plain
``<seg>`` text: paragraf's segments are inline Markdown, already text.

PO. Each entry that is translated, not fuzzy, not obsolete, singular and without ``msgctxt``
gives a unit of the msgid (in ``source_lang``) and msgstr (in the header's ``Language``); every
other entry is counted under the first reason that applies, in that order.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from xml.parsers import expat
from xml.sax.saxutils import escape, quoteattr

import polib

from . import ImportReport, Pair, TMError, normalize_lang

# --------------------------------------------------------------------------- TMX

_TMX_CODES = {"bpt", "ept", "ph", "it", "ut", "hi", "sub"}
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def looks_like_xml(path: Path) -> bool:
    with open(path, "rb") as f:
        head = f.read(512).lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith(b"<")


class _TMXReader:
    """Streams the units of a TMX file: expat events in, ``(texts, origin)`` out."""

    def __init__(self, path: Path, report: ImportReport, wanted: set[str] | None) -> None:
        self.path, self.report, self.wanted = path, report, wanted
        self.parser = expat.ParserCreate()
        self.parser.buffer_text = True
        self.parser.StartElementHandler = self.start
        self.parser.EndElementHandler = self.end
        self.parser.CharacterDataHandler = self.text
        self.stack: list[str] = []
        self.done: list[tuple[dict[str, str], str]] = []
        self.texts: dict[str, str] = {}
        self.langs: set[str] = set()
        self.origin = ""
        self.lang: str | None = None
        self.seg: list[str] | None = None
        self.prop: list[str] | None = None
        self.segs = 0

    def units(self) -> Iterator[tuple[dict[str, str], str]]:
        """The units of the file with two or more wanted languages; the rest counted as skipped."""
        with open(self.path, "rb") as f:
            try:
                while chunk := f.read(1 << 16):
                    self.parser.Parse(chunk, False)
                    yield from self.done
                    self.done.clear()
                self.parser.Parse(b"", True)
            except expat.ExpatError as e:
                message = expat.errors.messages[e.code]
                raise TMError(
                    f"{self.path}:{e.lineno}:{e.offset + 1}: not well-formed XML: {message}"
                ) from e
        yield from self.done

    def fail(self, message: str) -> None:
        raise TMError(f"{self.path}:{self.parser.CurrentLineNumber}: {message}")

    def start(self, name: str, attrs: dict[str, str]) -> None:
        parent = self.stack[-1] if self.stack else None
        self.stack.append(name)
        if self.seg is not None:
            if name not in _TMX_CODES:
                self.fail(f"unexpected <{name}> inside <seg>: expected text and inline codes only")
            return
        if parent is None:
            if name != "tmx":
                self.fail(f"not a TMX file: the root element is <{name}>, expected <tmx>")
        elif name == "tu":
            if parent != "body":
                self.fail("<tu> outside <body>")
            self.texts, self.langs, self.origin = {}, set(), ""
            self.report.entries += 1
        elif name == "tuv":
            if parent != "tu":
                self.fail("<tuv> outside <tu>")
            code = attrs.get("xml:lang") or attrs.get("lang")
            if not code:
                self.fail("<tuv> without xml:lang: every variant needs its language")
            try:
                self.lang = normalize_lang(code)
            except TMError as e:
                self.fail(str(e))
            self.segs = 0
        elif name == "seg":
            if parent != "tuv":
                self.fail("<seg> outside <tuv>")
            self.segs += 1
            if self.segs > 1:
                self.fail("a <tuv> with more than one <seg>")
            self.seg = []
        elif name == "prop" and parent == "tu" and attrs.get("type") == "x-origin":
            self.prop = []

    def end(self, name: str) -> None:
        self.stack.pop()
        if self.seg is not None:
            if name == "seg":
                self.end_seg("".join(self.seg))
            return
        if name == "tuv":
            if self.segs == 0:
                self.fail("a <tuv> without <seg>")
            self.lang = None
        elif name == "prop" and self.prop is not None:
            self.origin = "".join(self.prop).strip()
            self.prop = None
        elif name == "tu":
            self.end_tu()

    def text(self, data: str) -> None:
        if self.seg is not None:
            self.seg.append(data)
        elif self.prop is not None:
            self.prop.append(data)

    def end_seg(self, text: str) -> None:
        self.seg = None
        lang = self.lang
        assert lang is not None
        self.langs.add(lang)
        if text.strip() and lang not in self.texts and (self.wanted is None or lang in self.wanted):
            self.texts[lang] = text

    def end_tu(self) -> None:
        if len(self.texts) >= 2:
            self.done.append((self.texts, self.origin))
        elif self.wanted is not None and len(self.langs & self.wanted) < 2 <= len(self.langs):
            self.report.skipped["other languages"] += 1
        else:
            self.report.skipped["no translation"] += 1


def read_tmx(
    path: Path, wanted: set[str] | None, report: ImportReport
) -> Iterator[tuple[dict[str, str], str]]:
    return _TMXReader(path, report, wanted).units()


def tmx_head(src: str) -> str:
    from importlib import metadata

    try:
        version = metadata.version("paragraf")
    except metadata.PackageNotFoundError:
        version = "0"
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<tmx version="1.4">\n'
        f'  <header creationtool="paragraf" creationtoolversion={quoteattr(version)}'
        f' segtype="paragraph" o-tmf="paragraf" adminlang="en" srclang={quoteattr(src)}'
        ' datatype="plaintext"/>\n'
        "  <body>\n"
    )


def tmx_unit(pair: Pair, path: str | os.PathLike[str]) -> str:
    return (
        "    <tu>\n"
        + (
            f'      <prop type="x-origin">{_xml_text(pair.origin, path)}</prop>\n'
            if pair.origin
            else ""
        )
        + f'      <tuv xml:lang="{pair.src_lang}"><seg>{_xml_text(pair.source, path)}</seg></tuv>\n'
        + f'      <tuv xml:lang="{pair.tgt_lang}"><seg>{_xml_text(pair.target, path)}</seg></tuv>\n'
        + "    </tu>\n"
    )


def _xml_text(text: str, path: str | os.PathLike[str]) -> str:
    bad = _XML_INVALID.search(text)
    if bad:
        raise TMError(
            f"{os.fspath(path)}: cannot write {text[:60]!r}: character {bad.group()!r}"
            " is not allowed in XML; remove it from the translation memory"
        )
    return escape(text).replace("\r", "&#13;")


# --------------------------------------------------------------------------- PO

_PO_LINE = re.compile(r"\(line (\d+)\)")


def read_po(
    path: Path,
    source_lang: str,
    target_lang: str | None,
    wanted: set[str] | None,
    report: ImportReport,
) -> Iterator[tuple[dict[str, str], str]]:
    try:
        po = polib.pofile(str(path))
    except (OSError, UnicodeDecodeError, ValueError) as e:
        line = _PO_LINE.search(str(e))
        where = f"{path}:{line.group(1)}" if line else str(path)
        raise TMError(f"{where}: cannot read the PO file: {e}") from e
    code = target_lang or po.metadata.get("Language", "").strip()
    if not code:
        raise TMError(
            f"{path}: the PO header has no 'Language': pass the target language explicitly"
        )
    src, tgt = normalize_lang(source_lang), normalize_lang(code)
    if src == tgt:
        raise TMError(f"{path}: source and target language are both {src!r}")
    selected = wanted is None or (src in wanted and tgt in wanted)
    for entry in po:
        report.entries += 1
        reason = _po_skip_reason(entry) or (None if selected else "other languages")
        if reason:
            report.skipped[reason] += 1
            continue
        yield {src: entry.msgid, tgt: entry.msgstr}, ""


def _po_skip_reason(entry: polib.POEntry) -> str | None:
    """Why ``entry`` gives no pair (the first reason that applies), or None."""
    if entry.obsolete:
        return "obsolete"
    if entry.msgid_plural:
        return "plural"
    if entry.msgctxt is not None:
        return "msgctxt"
    if entry.fuzzy:
        return "fuzzy"
    if not entry.msgstr.strip() or not entry.msgid.strip():
        return "untranslated"
    return None
