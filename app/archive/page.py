"""A published page (a WordPress post as its theme renders it) as a paragraf article.

The article's body is the theme's content container (``.entry-content`` and its
kin; trafilatura's main-text extraction for a page without one), with the chrome
plugins put inside it taken out: share buttons, the "also available in" line in any
language, related posts, scripts, forms, separators, empty paragraphs. Cloudflare's
``[email protected]`` is decoded back to the address where the page carries it, and
dropped where it does not. ``<sup>[i]</sup>`` becomes the marker ``[i]``.

The body becomes Markdown through markdownify (headings ATX, ``*`` emphasis, ``-``
lists, pipe tables), the front matter comes from the page's own metadata: ``<html
lang>``, ``og:title``, ``article:published_time``, the author's meta, ``og:description``
unless it is WordPress's cut-off excerpt of the first paragraph, and the language
versions from the ``hreflang`` links. Why these libraries: see the README's
comparison (``bench/import_bench.py``).
"""

from __future__ import annotations

import html as htmllib
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import lxml.html
from lxml import etree
from markdownify import MarkdownConverter

from .. import langs as languages
from ..errors import ParagrafError

__all__ = ["ImportError_", "Page", "body_markdown", "read_page"]

#: The content containers of WordPress themes and page builders (XPath), most specific first.
BODY_SELECTORS = tuple(
    f"//div[contains(concat(' ', normalize-space(@class), ' '), ' {name} ')]"
    for name in ("entry-content", "post-content", "td-post-content", "article-content")
) + ("//*[@itemprop='articleBody']",)
#: Chrome a plugin puts inside the body: share blocks, language links, related posts.
CHROME_CLASSES = re.compile(
    r"heateor|sharedaddy|sd-sharing|addtoany|a2a_|ssba|shared-counts|sharethis|social-share"
    r"|jp-relatedposts|yarpp|crp_related|related-posts|post-translations|wpml-ls|pll-|"
    r"trp-language|screen-reader-text|wp-block-buttons|newsletter|tnp-"
)
#: The "also available in" line and share labels, in the site's three languages.
CHROME_TEXT = re.compile(
    r"^\s*(?:This post is also available in|Also available in|Bu yazı şu dillerde de mevcut"
    r"|Bu yazının diğer dilleri|Bu içerik ayrıca şu dillerde|Эта запись также доступна на"
    r"|Эта статья также доступна на|Paylaş|Share this|Share|Поделиться)\b",
    re.IGNORECASE,
)
#: Characters of text a guessed body (no known container) needs to be taken for an article.
MIN_GUESSED_BODY = 200
_DROPPED_TAGS = ("script", "style", "noscript", "form", "iframe", "nav", "aside", "footer", "svg")
_MARKER = re.compile(r"^\[\^?[0-9A-Za-z]{1,8}\]$")
_EMAIL_TEXT = re.compile(r"\[email(?:\s|&#160;|\u00a0)protected\]")
_BLANKS = re.compile(r"\n{3,}")


class ImportError_(ParagrafError):  # noqa: N801 - not the builtin
    """A page that cannot be imported: the message names the file and why."""


@dataclass
class Page:
    """A page read: its language, metadata, body as Markdown, and its other language versions."""

    lang: str
    title: str
    body: str
    date: date | None = None
    author: str = ""
    summary: str = ""
    url: str = ""
    slug: str = ""  # from the page's canonical URL
    versions: dict[str, str] = field(default_factory=dict)  # lang → URL (hreflang)


class _Converter(MarkdownConverter):
    """markdownify with paragraf's Markdown: markers kept bare, no images' sizes, pipes escaped."""

    def convert_sup(self, el: Any, text: str, parent_tags: set[str]) -> str:
        if _MARKER.match(text.strip()):
            return text.strip()
        return str(super().convert_sup(el, text, parent_tags))  # type: ignore[misc]

    def convert_td(self, el: Any, text: str, parent_tags: set[str]) -> str:
        return str(super().convert_td(el, text.replace("|", "\\|"), parent_tags))  # type: ignore[misc]

    def convert_th(self, el: Any, text: str, parent_tags: set[str]) -> str:
        return str(super().convert_th(el, text.replace("|", "\\|"), parent_tags))  # type: ignore[misc]


def body_markdown(body: etree._Element) -> str:
    """The cleaned body element as Markdown, one blank line between blocks."""
    inner = "".join(lxml.html.tostring(child, encoding="unicode", with_tail=True) for child in body)
    text = (body.text or "") + inner
    markdown = _Converter(
        heading_style="ATX",
        bullets="-",
        strong_em_symbol="*",
        escape_misc=False,
        escape_underscores=True,
        escape_asterisks=True,
        table_infer_header=True,
    ).convert(text)
    lines = [line.rstrip() for line in markdown.replace("\u00a0", " ").split("\n")]
    return _BLANKS.sub("\n\n", "\n".join(lines)).strip() + "\n"


def read_page(data: bytes, display: str) -> Page:
    """Read a saved page; :class:`ImportError_` if it has no article body or no language."""
    try:
        root = lxml.html.document_fromstring(data)
    except (etree.ParserError, ValueError) as e:
        raise ImportError_(f"{display}: not an HTML page ({e})") from e
    lang = _lang(root)
    if not lang:
        raise ImportError_(
            f"{display}: the page does not say its language (no <html lang> or og:locale);"
            " give it with --lang"
        )
    body = _body(root)
    if body is None:
        raise ImportError_(
            f"{display}: no article body found (no .entry-content or similar, and no main text);"
            " is this a saved article page?"
        )
    clean(body)
    markdown = body_markdown(body)
    if not markdown.strip():
        raise ImportError_(f"{display}: the article body is empty")
    title = (
        _meta(root, "og:title")
        or _first_text(root, "//h1[contains(@class, 'entry-title')]", "//h1")
        or _title(root)
    )
    summary = _meta(root, "og:description") or _meta_name(root, "description")
    if _is_excerpt(summary, markdown):
        summary = ""
    url = _canonical(root)
    return Page(
        lang=lang,
        title=title.strip(),
        body=markdown,
        date=_date(root),
        author=(
            _meta_name(root, "author")
            or _first_text(root, "//*[contains(@class, 'author') and contains(@class, 'vcard')]")
        ).strip(),
        summary=summary.strip(),
        url=url,
        slug=url.rstrip("/").rsplit("/", 1)[-1] if url else "",
        versions=_versions(root),
    )


def clean(body: etree._Element) -> None:
    """Take the chrome out of a body element, in place."""
    for element in list(body.iter()):
        if not isinstance(element.tag, str):  # comments, processing instructions
            _drop(element, keep_tail=True)
            continue
        classes = element.get("class", "")
        if element.tag in _DROPPED_TAGS or (classes and CHROME_CLASSES.search(classes)):
            _drop(element, keep_tail=True)
    for element in list(body.iter("hr")):
        _drop(element, keep_tail=True)
    for element in list(body.iter()):
        if element.tag in ("p", "div", "span") and CHROME_TEXT.match(element.text_content() or ""):
            if element.getparent() is not None:
                _drop(element, keep_tail=True)
    _emails(body)
    for element in list(body.iter("p")):
        if not (element.text_content() or "").strip() and not len(element.xpath(".//img")):
            _drop(element, keep_tail=True)


def _emails(body: etree._Element) -> None:
    """Cloudflare's protected addresses decoded from ``data-cfemail``, else dropped."""
    for span in list(body.xpath(".//*[@data-cfemail]")):
        address = _decode_cfemail(span.get("data-cfemail", ""))
        link = (
            span.getparent()
            if span.getparent() is not None and span.getparent().tag == "a"
            else None
        )
        target = link if link is not None else span
        if address:
            replacement = etree.Element("a", href=f"mailto:{address}")
            replacement.text = address
            replacement.tail = target.tail
            target.getparent().replace(target, replacement)
        else:
            _drop(target, keep_tail=True)
    for element in body.iter():
        if element.text and _EMAIL_TEXT.search(element.text):
            element.text = _EMAIL_TEXT.sub("", element.text)
        if element.tail and _EMAIL_TEXT.search(element.tail):
            element.tail = _EMAIL_TEXT.sub("", element.tail)


def _decode_cfemail(encoded: str) -> str:
    """Cloudflare's email obfuscation: a key byte, then each byte XORed with it."""
    try:
        data = bytes.fromhex(encoded)
    except ValueError:
        return ""
    if len(data) < 2:
        return ""
    address = bytes(b ^ data[0] for b in data[1:]).decode("utf-8", "replace")
    return address if re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", address) else ""


def _drop(element: etree._Element, keep_tail: bool) -> None:
    parent = element.getparent()
    if parent is None:
        return
    tail = element.tail if keep_tail else None
    if tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(element)


def _body(root: etree._Element) -> etree._Element | None:
    for selector in BODY_SELECTORS:
        found = root.xpath(selector)
        if found:
            return found[0]
    import trafilatura  # the main text of a page without a known container

    found = trafilatura.extract(
        lxml.html.tostring(root, encoding="unicode"),
        output_format="html",
        include_tables=True,
        include_links=True,
        include_formatting=True,
        favor_recall=True,
    )
    if not found:
        return None
    element = lxml.html.fragment_fromstring(found, create_parent="div")
    text = " ".join((element.text_content() or "").split())
    return element if len(text) >= MIN_GUESSED_BODY else None  # a menu is not an article


def _lang(root: etree._Element) -> str:
    code = root.get("lang", "") or _meta(root, "og:locale")
    return languages.base(code.replace("_", "-")) if code else ""


def _meta(root: etree._Element, prop: str) -> str:
    found = root.xpath(f'//meta[@property="{prop}"]/@content')
    return htmllib.unescape(str(found[0])) if found else ""


def _meta_name(root: etree._Element, name: str) -> str:
    found = root.xpath(f'//meta[@name="{name}"]/@content')
    return htmllib.unescape(str(found[0])) if found else ""


def _first_text(root: etree._Element, *paths: str) -> str:
    for path in paths:
        found = root.xpath(path)
        if found:
            return found[0].text_content() or ""
    return ""


def _title(root: etree._Element) -> str:
    title = root.findtext(".//title") or ""
    return re.split(r"\s+[-–|]\s+", title)[0]


def _date(root: etree._Element) -> date | None:
    stamp = _meta(root, "article:published_time")
    if not stamp:
        found = root.xpath("//time[contains(@class,'published')]/@datetime")
        stamp = str(found[0]) if found else ""
    match = re.match(r"(\d{4})-(\d{2})-(\d{2})", stamp)
    return date(int(match.group(1)), int(match.group(2)), int(match.group(3))) if match else None


def _canonical(root: etree._Element) -> str:
    found = root.xpath('//link[@rel="canonical"]/@href') or root.xpath(
        '//meta[@property="og:url"]/@content'
    )
    return str(found[0]) if found else ""


def _versions(root: etree._Element) -> dict[str, str]:
    found = {}
    for link in root.xpath('//link[@rel="alternate"][@hreflang]'):
        code = link.get("hreflang", "")
        if code and code != "x-default":
            found[languages.base(code.replace("_", "-"))] = link.get("href", "")
    return found


def _is_excerpt(summary: str, body: str) -> bool:
    """Whether ``summary`` is WordPress's cut-off excerpt of the body (not an editor's summary)."""
    cut = summary.rstrip()
    for ending in ("[…]", "[...]", "…", "..."):
        if cut.endswith(ending):
            start = re.sub(r"\W+", " ", cut[: -len(ending)]).strip().lower()
            text = re.sub(r"\W+", " ", re.sub(r"\]\([^)]*\)", "]", body)).strip().lower()
            return not start or text.startswith(start[: max(20, len(start) - 5)])
    return False
