"""Compare main-content extraction and HTML→Markdown libraries on the archive fixtures.

    .venv/bin/python bench/import_bench.py [--data tests/data/archive]

Each candidate turns every saved page of ``tests/data/archive/pages`` into a Markdown
body, which paragraf's own block parser segments; the blocks are compared with the
gold blocks (``gold.json``). Printed per candidate: blocks reproduced exactly, pages
with any theme chrome left in the article (share labels, "also available in", related
posts, Cloudflare's "[email protected]"), and the time per page. The candidates:

- ``trafilatura`` alone (its own Markdown output, tables and links on);
- ``readability-lxml`` for the body, then ``markdownify``;
- ``readability-lxml``, then ``html-to-markdown``;
- trafilatura's HTML output, chrome removed, then ``markdownify``: import's fallback for a
  page without a known content container;
- paragraf's body (the theme's content container, chrome removed), then ``html-to-markdown``;
- paragraf's body, then ``markdownify``: what ``paragraf import`` does.

readability-lxml and html-to-markdown are in the ``bench`` extra
(``pip install -e '.[bench]'``); a candidate whose library is missing is skipped.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import lxml.html  # noqa: E402

from app.archive.page import _body, body_markdown, clean  # noqa: E402
from app.markdown.blocks import parse_article  # noqa: E402

CHROME = (
    "also available in",
    "şu dillerde",
    "также доступна",
    "Similar Posts",
    "Benzer Yazılar",
    "Похожие записи",
    "email protected",
    "Paylaş",
    "Поделиться",
    "Share this",
    "Share:",
)


def trafilatura_md(data: bytes) -> str:
    import trafilatura

    return (
        trafilatura.extract(
            data.decode("utf-8"),
            output_format="markdown",
            include_tables=True,
            include_links=True,
            include_formatting=True,
            favor_recall=True,
        )
        or ""
    )


def readability_html(data: bytes) -> str:
    from readability import Document

    return Document(data.decode("utf-8")).summary(html_partial=True)


def html_to_markdown(html: str) -> str:
    from html_to_markdown import convert

    result = convert(html)
    return result if isinstance(result, str) else str(getattr(result, "content", result))


def markdownify_md(html: str) -> str:
    return body_markdown(lxml.html.fragment_fromstring(html, create_parent="div"))


def traf_body(data: bytes) -> str:
    import trafilatura

    found = trafilatura.extract(
        data.decode("utf-8"),
        output_format="html",
        include_tables=True,
        include_links=True,
        include_formatting=True,
        favor_recall=True,
    )
    element = lxml.html.fragment_fromstring(found or "", create_parent="div")
    clean(element)
    return body_markdown(element)


def own_body(data: bytes) -> str:
    body = _body(lxml.html.document_fromstring(data))
    assert body is not None
    clean(body)
    return lxml.html.tostring(body, encoding="unicode")


CANDIDATES: dict[str, Callable[[bytes], str]] = {
    "trafilatura": trafilatura_md,
    "readability-lxml + markdownify": lambda d: markdownify_md(readability_html(d)),
    "readability-lxml + html-to-markdown": lambda d: html_to_markdown(readability_html(d)),
    "trafilatura's HTML, chrome removed + markdownify (import's fallback)": lambda d: traf_body(d),
    "paragraf's body + html-to-markdown": lambda d: html_to_markdown(own_body(d)),
    "paragraf's body + markdownify (import)": lambda d: markdownify_md(own_body(d)),
}


def blocks_of(markdown: str, lang: str) -> list[str]:
    text = f"---\ntitle: x\nlang: {lang}\n---\n\n{markdown}\n"
    try:
        article = parse_article(text, path=Path("page.md"))
    except Exception:  # a candidate's Markdown that paragraf cannot read: no block matches
        return []
    return [block.text for block in article.blocks if not block.meta]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT / "tests" / "data" / "archive")
    args = parser.parse_args()
    gold = json.loads((args.data / "gold.json").read_text(encoding="utf-8"))
    pages = [
        (lang, (args.data / page).read_bytes(), article["blocks"][lang])
        for article in gold["articles"]
        for lang, page in article["pages"].items()
    ]
    total = sum(len(blocks) for _, _, blocks in pages)
    print(f"{len(pages)} pages, {total} gold blocks")
    print("| candidate | blocks exact | pages with chrome | ms/page |")
    print("|---|---:|---:|---:|")
    for name, candidate in CANDIDATES.items():
        try:
            candidate(pages[0][1])
        except ImportError as e:
            print(f"| {name} | skipped ({e.name} not installed) | | |")
            continue
        exact = chrome = 0
        start = time.perf_counter()
        for lang, data, expected in pages:
            markdown = candidate(data)
            got = blocks_of(markdown, lang)
            exact += sum(1 for a, b in zip(got, expected, strict=False) if a == b)
            chrome += any(mark.lower() in markdown.lower() for mark in CHROME)
        ms = (time.perf_counter() - start) * 1000 / len(pages)
        print(
            f"| {name} | {exact}/{total} ({100 * exact / total:.0f}%) | {chrome}/{len(pages)} | {ms:.1f} |"
        )


if __name__ == "__main__":
    main()
