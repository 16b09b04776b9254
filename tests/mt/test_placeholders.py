"""Tests for app.markup: the identity property, the protection rules, lenient restoring."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from app.mt import placeholders as markup
from app.mt.placeholders import IGNORE_TAGS, NON_SPLITTING_TAGS, protect

EXAMPLE = (
    "Several countries, including the *United Kingdom* and the "
    '[UN](https://un.org "UN"), condemned it “in the strongest possible terms”.[i] '
    "See `code` and https://example.org/x?a=1&b=2.[^1]"
)
PARAGRAPHS = [
    EXAMPLE,
    "The **Grand National Assembly** voted _twice_ on the bill ([details](https://tbmm.gov.tr/a_(b))).[iv]",
    "Türkiye'nin başkenti **Ankara**'dır; İstanbul ise en kalabalık şehirdir.[12] "
    "Iğdır, Şırnak ve Muş'tan gelen _ışık_ haberleri için bkz. <https://www.aa.com.tr>.",
    "«Ёлки-палки», — сказал он. *Пётр Ильич* прочёл [статью](https://ria.ru/x "
    "'Заголовок') и `grep -r ё`.[^заметка] Подробнее: www.kremlin.ru/events.",
    "Escapes \\*stay\\* and \\[brackets\\], entities &amp; &#8212; &nbsp; stay too; "
    "a & b < c > d is text.",
    'Inline <span class="x">HTML</span> and <!-- a comment --> and ![a chart](chart.png)'
    " and a [reference link][ref] and ~~struck~~ text.",
]

MARKDOWN_BITS = [
    "*",
    "**",
    "_",
    "__",
    "~~",
    "`",
    "``",
    "[",
    "]",
    "(",
    ")",
    "![",
    "](",
    "[^1]",
    "[i]",
    "[12]",
    "<",
    ">",
    "&",
    "&amp;",
    "&nbsp;",
    "&#1;",
    "\\",
    "\\*",
    "<b>",
    "</b>",
    "<!--",
    "-->",
    "https://x.org/a?b=1&c=2",
    "www.ex.com",
    "<https://a.b>",
    "<a@b.co>",
    '"',
    "'",
    " ",
    "\n",
    "\r",
    "\t",
    "\x00",
    "\x0b",
    "\ufffe",
    "word",
    "ı",
    "İ",
    "ş",
    "ğ",
    "ё",
    "«",
    "»",
    "“",
    "”",
    "x",
    ".",
    ",",
    ";",
    ":",
    "-",
    '<x id="1"/>',
    "</em>",
    "<em id='2'>",
]
markdownish = st.lists(st.sampled_from(MARKDOWN_BITS), max_size=40).map("".join)


def assert_identity(text: str) -> None:
    protected = protect(text)
    assert protected.restore(protected.xml) == text


def assert_well_formed(xml: str) -> None:
    ET.fromstring(f"<root>{xml}</root>")


@settings(max_examples=500, deadline=None)
@given(st.text())
@example("")
@example("\r\n")
@example("]]>")
def test_identity_arbitrary_text(text: str) -> None:
    assert_identity(text)
    assert_well_formed(protect(text).xml)


@settings(max_examples=1000, deadline=None)
@given(markdownish)
def test_identity_markdown_punctuation(text: str) -> None:
    assert_identity(text)
    assert_well_formed(protect(text).xml)


@settings(max_examples=500, deadline=None)
@given(markdownish)
def test_tokenizer_itself_keeps_identity(text: str) -> None:
    """The tokenizer, without protect()'s plain-text safety net, keeps every character."""
    protected = markup._protect_markdown(text)
    assert protected.restore(protected.xml) == text


@pytest.mark.parametrize("text", PARAGRAPHS)
def test_identity_real_paragraphs(text: str) -> None:
    assert_identity(text)
    assert_well_formed(protect(text).xml)
    assert markup._protect_markdown(text).xml == protect(text).xml


def test_example_paragraph() -> None:
    protected = protect(EXAMPLE)
    assert protected.xml == (
        'Several countries, including the <em id="1">United Kingdom</em> and the '
        '<a id="2">UN</a>, condemned it “in the strongest possible terms”.<x id="3"/> '
        'See <x id="4"/> and <x id="5"/>.<x id="6"/>'
    )
    sources = [piece.open for piece in protected.pieces.values()]
    assert sources == ["*", "[", "[i]", "`code`", "https://example.org/x?a=1&b=2", "[^1]"]
    assert protected.pieces[2].close == '](https://un.org "UN")'


@pytest.mark.parametrize(
    ("text", "xml"),
    [
        ("a _b_ c", 'a <em id="1">b</em> c'),
        ("a __b__ c", 'a <strong id="1">b</strong> c'),
        ("***a**", '*<strong id="1">a</strong>'),
        ("**a *b* c**", '<strong id="1">a <em id="2">b</em> c</strong>'),
        ("snake_case_name", "snake_case_name"),
        ("2 * 3 * 4", "2 * 3 * 4"),
        ("*unclosed", "*unclosed"),
        ("[unclosed](link", "[unclosed](link"),
        ("[text][ref]", '<a id="1">text</a>'),
        ("![alt text](a.png)", '<a id="1">alt text</a>'),
        ("[`code`](u)", '<x id="1"/>'),
        ("~~gone~~", '<s id="1">gone</s>'),
        ("[i] [iv] [12] [word]", '<x id="1"/> <x id="2"/> <x id="3"/> [word]'),
        ("see (https://a.org/x_(y)).", 'see (<x id="1"/>).'),
        ("AT&T <3 &copy;", 'AT&amp;T &lt;3 <x id="1"/>'),
        ("a\\*b", 'a<x id="1"/>b'),
        ("``a ` b``", '<x id="1"/>'),
        ("`unclosed", "`unclosed"),
        ("bell\x07", 'bell<x id="1"/>'),
        ("<span>x</span>", '<x id="1"/>x<x id="2"/>'),
    ],
)
def test_protection_rules(text: str, xml: str) -> None:
    assert protect(text).xml == xml
    assert_identity(text)


def test_delimiters_are_restored_as_written() -> None:
    protected = protect("_a_ and __b__")
    assert protected.restore('<strong id="2">B</strong> und <em id="1">A</em>') == "__B__ und _A_"


def test_has_text() -> None:
    assert protect("a *b*").has_text
    assert not protect("[^1] https://x.org `c`").has_text
    assert not protect("  ").has_text


def test_tag_constants() -> None:
    assert set(IGNORE_TAGS) <= set(NON_SPLITTING_TAGS)
    assert markup.TAGS == frozenset(NON_SPLITTING_TAGS)


# --- restoring what DeepL may send back ------------------------------------------------

SOURCE = "The *big* [cat](https://c.at) sat.[^1]"


def test_restore_reordered_tags() -> None:
    protected = protect(SOURCE)
    assert protected.xml == 'The <em id="1">big</em> <a id="2">cat</a> sat.<x id="3"/>'
    answer = '<x id="3"/>Die <a id="2">Katze</a> saß <em id="1">groß</em>.'
    assert protected.restore(answer) == "[^1]Die [Katze](https://c.at) saß *groß*."


def test_restore_lost_placeholder() -> None:
    assert protect(SOURCE).restore('Die <em id="1">große</em> Katze.') == "Die *große* Katze."


def test_restore_duplicated_placeholder() -> None:
    answer = 'Die <x id="3"/><a id="2">Katze</a><x id="3"/>'
    assert protect(SOURCE).restore(answer) == "Die [^1][Katze](https://c.at)[^1]"


def test_restore_lost_closing_tag_closes_at_the_end() -> None:
    assert protect(SOURCE).restore('Die <em id="1">große Katze') == "Die *große Katze*"


def test_restore_stray_closing_tag_is_dropped() -> None:
    assert protect(SOURCE).restore("Die große</em> Katze</a>") == "Die große Katze"


def test_restore_interleaved_tags() -> None:
    answer = '<em id="1">a <a id="2">b</em> c</a>'
    assert protect(SOURCE).restore(answer) == "*a [b](https://c.at)* c"


def test_restore_tolerates_other_spellings() -> None:
    answer = '<x id=\'3\' /> <x id="3"></x> <em  id = "1" >B</em> &quot;&apos;&#233;&#x15f;'
    assert protect(SOURCE).restore(answer) == "[^1] [^1] *B* \"'éş"


def test_restore_unknown_and_emptied_tags() -> None:
    answer = '<b>x</b> <x id="99"/> <em>y</em> <a id="2"/> &bogus; & <'
    assert protect(SOURCE).restore(answer) == "<b>x</b>  y [](https://c.at) &bogus; & <"


def test_restore_never_crashes_on_garbage() -> None:
    protected = protect(SOURCE)
    for answer in ["<", "</", "<em id=", "<<x id='1'/>", "&#99999999;", "</x></x>", ""]:
        assert isinstance(protected.restore(answer), str)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ['<x id="3"/>', '<em id="1">', "</em>", '<a id="2">', "</a>", "&amp;"]
            + ["&", "<", "a", " ", "ş"]
        ),
    ).map("".join)
)
def test_restore_never_crashes_on_shuffled_tags(answer: str) -> None:
    assert isinstance(protect(SOURCE).restore(answer), str)
