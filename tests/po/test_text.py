"""The text boundary and the PO reader: a catalog keeps a text exactly or refuses it."""

from __future__ import annotations

import re

import polib
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from app.errors import CatalogError
from app.po import catalog, pofile
from app.po import text as boundary
from app.po.edit import EditError, apply
from app.po.pofile import parse
from tests.project_fixtures import msgfmt_check

HEADER = (
    'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: tr\\n"\n'
    '"X-Source-Language: en\\n"\n\n'
)


def catalog_with(text: str) -> polib.POFile:
    po = polib.POFile(wrapwidth=0)
    po.metadata = {
        "Project-Id-Version": "t",
        "PO-Revision-Date": "2024-01-01 00:00+0000",
        "Last-Translator": "",
        "Language-Team": "Turkish",
        "Language": "tr",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": "nplurals=2; plural=(n != 1);",
    }
    entry = polib.POEntry(msgid="Source paragraph.")
    apply(entry, text, "draft", origin="deepl")
    po.append(entry)
    return po


@pytest.mark.parametrize(
    ("given_text", "kept"),
    [
        ("Birinci satır\u2028ikinci satır", "Birinci satır\nikinci satır"),
        ("Word'ün satır sonu\x0bburada", "Word'ün satır sonu\nburada"),
        ("NEL\x85here", "NEL\nhere"),
        ("windows\r\nline", "windows\nline"),
        ("old mac\rline", "old mac\nline"),
        ("tab\tand «кавычки» and \ufeff zero width \u200b and \ufffe", None),
    ],
)
def test_line_breaks_of_every_kind_become_the_one_the_project_writes(given_text, kept) -> None:
    assert boundary.text(given_text, "here") == (kept if kept is not None else given_text)


@pytest.mark.parametrize(
    ("char", "name"),
    [
        ("\x0c", "U+000C FORM FEED"),
        ("\x08", "U+0008 BACKSPACE"),
        ("\x00", "U+0000 NUL"),
        ("\x1c", "U+001C FILE SEPARATOR"),
        ("\x1e", "U+001E RECORD SEPARATOR"),
        ("\u2029", "U+2029 PARAGRAPH SEPARATOR"),
        ("\x9b", "U+009B"),
        ("\ud800", "U+D800 a lone surrogate"),
    ],
)
def test_other_controls_are_refused_naming_the_character(char: str, name: str) -> None:
    with pytest.raises(
        boundary.TextError, match=rf"here: character {re.escape(name)}.* at position 3"
    ):
        boundary.text("ab" + char + "cd", "here")
    with pytest.raises(EditError, match=re.escape(name)):
        apply(polib.POEntry(msgid="x"), "ab" + char, "draft")


def test_a_line_refuses_every_line_break() -> None:
    for char in ("\n", "\r", "\x0b", "\u2028", "\x85"):
        with pytest.raises(boundary.TextError):
            boundary.line("draft: tm x" + char + 'msgid "X"', "the origin")


def test_the_writer_refuses_what_would_change_the_file(tmp_path) -> None:
    po = catalog_with("fine")
    po[0].tcomment = 'draft: tm x\rmsgid "X"\rmsgstr "Y"'
    path = tmp_path / "x.po"
    with pytest.raises(CatalogError, match="U\\+000D CARRIAGE RETURN.*nothing was written"):
        catalog.save(po, path)
    assert not path.exists()
    po[0].tcomment = ""
    po[0].msgstr = "form\x0cfeed"
    with pytest.raises(CatalogError, match="U\\+000C"):
        catalog.save(po, path)
    po[0].msgstr = "ok"
    po[0].occurrences = [("content/a b.md", "3")]
    with pytest.raises(CatalogError, match="reference"):
        catalog.save(po, path)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
@example("Birinci satır\u2028ikinci satır")
@example("\x0b\x0c\x08\u2029\x85\x1c\x1d\x1e\x00\ufeff\ud800")
@example("x" * 20_000)
@example('"\\"\\\\n\\t#~ msgid "x"')
def test_any_text_is_kept_exactly_or_refused(tmp_path_factory, text: str) -> None:
    try:
        expected = boundary.text(text, "t")
    except boundary.TextError:
        with pytest.raises(EditError):
            catalog_with(text)
        return
    po = catalog_with(text)
    path = tmp_path_factory.mktemp("po") / "x.po"
    catalog.save(po, path)
    again = catalog.load(path)
    if expected.strip():
        assert again[0].msgstr == expected
        assert catalog.provenance(again[0]) == "deepl"
    assert catalog.dump(again) == path.read_bytes()  # dump→load→dump is the identity
    assert len(again) == 1


def test_msgfmt_accepts_what_the_boundary_keeps(tmp_path) -> None:
    path = tmp_path / "x.po"
    for text in ("Birinci satır\u2028ikinci", "tab\there", "«Ёлка» \ufeff\u200b", "çok\nsatır"):
        catalog.save(catalog_with(text), path)
        msgfmt_check(path)


def test_the_reader_reads_every_escape_gnu_gettext_writes() -> None:
    po = parse(
        HEADER + 'msgid "a"\nmsgstr "\\a\\b\\f\\v\\t\\r\\n\\"\\\\ \\101\\x42 \\303\\274"\n', "x.po"
    )
    assert po[0].msgstr == '\a\b\f\v\t\r\n"\\ AB ü'


def test_the_reader_splits_lines_on_line_feeds_only() -> None:
    po = parse(HEADER + 'msgid "a"\nmsgstr "bir\u2028iki\x0cüç\x85dört"\n', "x.po")
    assert po[0].msgstr == "bir\u2028iki\x0cüç\x85dört"


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ('msgid "a"\n', r"x.po:7: the last entry has no msgstr: the file is cut short"),
        ('msgid "a"\nmsgstr "b"\n\n#: c.md:1\n', r"x.po:10: the last entry has no msgid"),
        ('msgid ""\nmsgstr "Language: tr\\n"\n', r"x.po:7: a second header entry"),
        ('msgid "a"\nmsgstr "b"\n\n#~ msgid "a"\n#~ msgstr "c"\n', r"x.po:10: duplicate msgid 'a'"),
        ('#~ msgid "a\nmsgstr "b"\n', r"x.po:7: not valid PO syntax"),
        ('msgid "a" b\nmsgstr "b"\n', r"x.po:7: not valid PO syntax"),
        ('msgid "a"b"\nmsgstr "b"\n', r"x.po:7: not valid PO syntax"),
        ('msgid "a"\nmsgstr "b\n', r"x.po:8: not valid PO syntax"),
        ('msgid "a"\nmsgstr "\n', r"x.po:8: not valid PO syntax"),
        ('msgid "a"\nmsgstr "b" "c"\n', r"x.po:8: not valid PO syntax"),
        ('msgid "a"\nmsgstr "b\\qc"\n', r"x.po:8: unknown escape '\\\\q'"),
        ('msgid "a"\nmsgid "b"\nmsgstr "c"\n', r"x.po:8: a second msgid"),
        ('#~ msgid "a"\nmsgstr "b"\n', r"x.po:8: an entry is partly obsolete"),
    ],
)
def test_what_does_not_parse_completely_is_refused_naming_the_line(body: str, error: str) -> None:
    with pytest.raises(CatalogError, match=error):
        parse(HEADER + body, "x.po")


@given(st.text(alphabet='ab "\\\t\u00e7', max_size=12))
def test_the_fast_string_path_reads_as_the_grammar_does(tail: str) -> None:
    """Lines without a backslash skip the regular expression: same values, same refusals."""
    line = '"' + tail

    def by_grammar() -> str:
        match = pofile._QUOTED.match(line)
        if match is None:
            raise CatalogError("refused")
        return pofile._unescape(match.group(1), "x.po", 1)

    try:
        expected: str | None = by_grammar()
    except CatalogError:
        expected = None
    try:
        got: str | None = pofile._string(line, "x.po", 1)
    except CatalogError:
        got = None
    assert got == expected


def test_a_string_before_any_keyword_continues_nothing() -> None:
    with pytest.raises(CatalogError, match=r"x.po:1: a string continues nothing"):
        parse('"orphan"\n' + HEADER, "x.po")


def test_obsolete_entries_keep_their_previous_msgid_and_crlf_files_read(tmp_path) -> None:
    text = (
        HEADER
        + '#, fuzzy\n#~| msgid "old"\n#~ msgid "new"\n#~ msgstr ""\n#~ "yeni\\n"\n#~ "satır"\n'
    )
    po = parse(text.replace("\n", "\r\n"), "x.po")
    assert po[0].obsolete and po[0].previous_msgid == "old" and po[0].msgstr == "yeni\nsatır"
    assert po.metadata["Language"] == "tr"


def test_an_empty_catalog_is_refused(tmp_path) -> None:
    path = tmp_path / "x.po"
    path.write_bytes(b"")
    with pytest.raises(CatalogError, match="x.po: the file is empty"):
        catalog.load(path, display="x.po")
