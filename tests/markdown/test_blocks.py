"""The segmenter: golden templates, and properties of extraction and re-rendering."""

from __future__ import annotations

import os
from pathlib import Path

import polib
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.config import Config
from app.errors import SourceError
from app.extract import template
from app.markdown.blocks import parse_article, read_article, read_slug, render
from app.po import catalog
from tests.project_fixtures import DATA

GOLDEN = sorted(DATA.glob("*.md"))
CREATION = "2024-01-01 00:00+0000"


@pytest.mark.parametrize("source", GOLDEN, ids=[p.stem for p in GOLDEN])
def test_golden_template(source: Path) -> None:
    """Each tests/data/*.md extracts to the .pot beside it (PARAGRAF_UPDATE_GOLDEN=1 rewrites them)."""
    article = read_article(source)
    pot = catalog.dump(template(article, Config(root=DATA), creation=CREATION))
    expected = source.with_suffix(".pot")
    if os.environ.get("PARAGRAF_UPDATE_GOLDEN"):
        expected.write_bytes(pot)
    assert pot.decode("utf-8") == expected.read_text(encoding="utf-8")


def test_golden_kinds_and_lines() -> None:
    article = read_article(DATA / "structures-en.md")
    kinds = [(b.kind, b.line) for b in article.blocks]
    assert kinds[:5] == [
        ("title", 2),
        ("summary", 7),
        ("author", 6),
        ("heading", 13),
        ("paragraph", 15),
    ]
    assert ("table cell", 35) in kinds
    assert ("footnote", 53) in kinds
    assert ("reference", 51) in kinds
    texts = [b.text for b in article.blocks]
    assert "Vetoed \\| twice" in texts  # a cell's escaped pipe stays escaped in its msgid
    assert not any("print(" in t or "HTML is copied" in t or "example.org" in t for t in texts)
    assert "The resolution followed a nuclear test, on 9 October 2006." in texts  # no [^1]: label
    pot = polib.pofile(
        catalog.dump(template(article, Config(root=DATA), creation=CREATION)).decode()
    )
    repeated = pot.find(texts[4])
    assert [line for _, line in repeated.occurrences] == ["15", "45"]


# --- properties --------------------------------------------------------------------------

WORD = st.text(
    alphabet=st.sampled_from("abcışğüöçİIЁёжЖ«»“”’,.;:!?%()0123456789-"), min_size=1, max_size=8
).filter(lambda w: w.strip(" -") == w and w[0] not in "-0123456789")
INLINE = st.lists(
    st.one_of(
        WORD,
        WORD.map(lambda w: f"*{w}*"),
        WORD.map(lambda w: f"[{w}](https://x.org/{len(w)})"),
        st.just("[i]"),
        st.just("[^1]"),
        st.just("`kod`"),
    ),
    min_size=1,
    max_size=12,
).map(" ".join)


def _block(kind: str, text: str) -> str:
    return {
        "paragraph": text,
        "heading": f"## {text}",
        "item": f"- {text}",
        "ordered": f"1. {text}",
        "quote": f"> {text}",
        "wrapped": text.replace(" ", "\n", 1),
        "hard break": text.replace(" ", "  \n", 1),
        "backslash break": text.replace(" ", "\\\n", 1),
        "footnote": f"[^n{len(text)}]: {text}",
        "code": f"```\n{text}\n```",
    }[kind]


KINDS = st.sampled_from(
    ["paragraph", "heading", "item", "ordered", "quote", "wrapped", "footnote", "code"]
)
ARTICLES = st.lists(st.tuples(KINDS, INLINE), min_size=1, max_size=8).map(
    lambda blocks: (
        "---\ntitle: Başlık\nlang: tr\n---\n\n"
        + "\n\n".join(_block(k, t) for k, t in blocks)
        + "\n"
    )
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ARTICLES)
def test_identity_render_gives_back_the_source(text: str) -> None:
    article = parse_article(text, path=Path("a.md"), translatable=())
    assert render(article, lambda block: block.text) == text
    assert render(article, lambda block: None) == text


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ARTICLES)
def test_pseudo_translation_is_found_again_block_by_block(text: str) -> None:
    article = parse_article(text, path=Path("a.md"), translatable=())
    rendered = render(article, lambda block: f"({block.text})", lang="ru")
    again = parse_article(rendered, path=Path("a.md"), translatable=())
    assert again.lang == "ru"
    # A paragraph may become a reference entry ("[i] …") by its translation: still one paragraph.
    structure = {"reference": "paragraph"}
    assert [structure.get(b.kind, b.kind) for b in again.blocks] == [
        structure.get(b.kind, b.kind) for b in article.blocks
    ]
    assert [b.text for b in again.blocks] == [f"({b.text})" for b in article.blocks]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ARTICLES, st.lists(INLINE, min_size=1))
def test_any_translation_keeps_the_block_structure(text: str, translations: list[str]) -> None:
    """Even a translation starting with '1.' or '-' stays in its block (the marker is escaped)."""
    article = parse_article(text, path=Path("a.md"), translatable=())
    prefixed = [
        f"{prefix}{t}"
        for prefix, t in zip(["1. ", "- ", "# ", "> ", ""] * 20, translations, strict=False)
    ]
    lookup = {b.text: prefixed[i % len(prefixed)] for i, b in enumerate(article.blocks)}
    again = parse_article(
        render(article, lambda block: lookup[block.text]), path=Path("a.md"), translatable=()
    )
    # A paragraph may become a reference entry ("[i] …") by its translation: still one paragraph.
    structure = {"reference": "paragraph"}
    assert [structure.get(b.kind, b.kind) for b in again.blocks] == [
        structure.get(b.kind, b.kind) for b in article.blocks
    ]


def test_hard_line_breaks_survive_extraction_and_compilation() -> None:
    text = "---\ntitle: T\nlang: en\n---\n\nRoses are red,  \nviolets are blue,\\\nsugar is sweet\nand so are you.\n"
    article = parse_article(text, path=Path("poem.md"), translatable=())
    [block] = article.blocks
    assert block.text == "Roses are red,\nviolets are blue,\nsugar is sweet and so are you."
    assert render(article, lambda b: b.text) == text
    rendered = render(article, lambda b: "Güller kırmızı,\nmenekşeler mavi.")
    assert rendered.endswith("\n\nGüller kırmızı,\\\nmenekşeler mavi.\n")
    assert [
        b.text for b in parse_article(rendered, path=Path("poem.md"), translatable=()).blocks
    ] == ["Güller kırmızı,\nmenekşeler mavi."]


@pytest.mark.parametrize(
    "translation",
    [
        "```python",
        "~~~",
        "<!-- yorum -->",
        "</div>",
        "<div>kutu</div>",
        "[x]: https://example.org",
        "***",
        "- liste",
        "2. Dünya Savaşı",
        "> alıntı",
    ],
)
def test_no_translation_changes_the_block_structure(translation: str) -> None:
    source = read_article(DATA / "structures-en.md")
    rendered = render(
        source, lambda b: translation if b.kind in ("paragraph", "quote", "list item") else None
    )
    again = parse_article(rendered, path=Path("a.md"))
    assert [b.kind for b in again.blocks] == [b.kind for b in source.blocks]
    translated = [b.text for b in again.blocks if b.kind in ("paragraph", "quote", "list item")]
    assert translated and all(t.replace("\\", "", 1) == translation for t in translated)  # 1 escape


def test_a_pipe_in_a_table_cell_translation_keeps_the_row() -> None:
    source = read_article(DATA / "structures-en.md")
    rendered = render(source, lambda b: "Türkiye | Rusya" if b.text == "Turkey" else None)
    assert "| Türkiye \\| Rusya  | Abstained |" in rendered
    cells = [
        b.text
        for b in parse_article(rendered, path=Path("a.md"), translatable=()).blocks
        if b.kind == "table cell"
    ]
    assert cells == [
        "Country",
        "Position",
        "Türkiye \\| Rusya",
        "Abstained",
        "Russia",
        "Vetoed \\| twice",
    ]


@pytest.mark.parametrize(
    "translation",
    [
        "<https://example.org/rapor> raporu yayımladı.",
        "<b>Not:</b> metin",
        "<abbr>BM</abbr> kararı",
    ],
)
def test_an_autolink_or_inline_html_at_a_blocks_start_stays_inline(translation: str) -> None:
    source = parse_article(
        "---\ntitle: T\nlang: en\n---\n\nThe report.\n\n- An item.\n",
        path=Path("a.md"),
        translatable=(),
    )
    rendered = render(source, lambda b: translation)
    assert rendered.endswith(f"\n\n{translation}\n\n- {translation}\n")  # no escape added
    again = parse_article(rendered, path=Path("a.md"), translatable=())
    assert [(b.kind, b.text) for b in again.blocks] == [
        ("paragraph", translation),
        ("list item", translation),
    ]


@pytest.mark.parametrize(
    ("source", "translation"),
    [
        ("Setext\n======", "1. Dünya Savaşı"),
        ("## Title ##", "Başlık #"),
        ("Setext\n------", "- tire"),
    ],
)
def test_a_heading_translation_stays_the_heading_text(source: str, translation: str) -> None:
    article = parse_article(
        f"---\ntitle: T\nlang: en\n---\n\n{source}\n", path=Path("a.md"), translatable=()
    )
    again = parse_article(
        render(article, lambda b: translation), path=Path("a.md"), translatable=()
    )
    [block] = again.blocks
    assert block.kind == "heading"
    assert block.text.replace("\\", "") == translation


@pytest.mark.parametrize(
    ("front", "slug"),
    [
        ("title: T\nlang: en", "file-name"),
        ("title: T\nlang: en\nslug: chosen", "chosen"),
        ('title: T\nlang: en\n"\\x73lug": escaped', "escaped"),  # YAML spells it with an escape
        ("title: T\nlang: en\nbroken: [", "file-name"),  # the full read reports the YAML
    ],
)
def test_read_slug_claims_what_the_full_read_would(tmp_path: Path, front: str, slug: str) -> None:
    path = tmp_path / "file-name.md"
    path.write_text(f"---\n{front}\n---\n\nBody.\n", encoding="utf-8")
    assert read_slug(path) == slug
    try:
        full = read_article(path).slug
    except SourceError:
        return
    assert full == slug
