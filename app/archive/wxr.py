"""A WordPress export (WXR, Tools → Export): its published posts, grouped into language versions.

Each ``<item>`` of type ``post`` and status ``publish`` becomes a :class:`Post`: title,
slug (``wp:post_name``), date (``wp:post_date``), author (the ``wp:author`` display name
of ``dc:creator``), summary (the excerpt; else Yoast's description unless it is the cut
first paragraph), and the body: a block-editor post is HTML already, a classic one is
run through a minimal ``wpautop`` (blank lines make paragraphs). Polylang's
``language`` and ``post_translations`` taxonomies give each post's language and group.
The XML is parsed by lxml with entities and the network off.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import unquote

import lxml.html
from lxml import etree

from .. import langs as languages
from .page import ImportError_, Page, _is_excerpt, body_markdown, clean

__all__ = ["Export", "Post", "read_export"]

_NS = {
    "wp": "http://wordpress.org/export/1.2/",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "excerpt": "http://wordpress.org/export/1.2/excerpt/",
    "dc": "http://purl.org/dc/elements/1.1/",
}
_BLOCK_START = re.compile(
    r"^\s*<(?:h[1-6]|ul|ol|li|blockquote|table|figure|div|hr|pre|p|dl|section|!--)\b", re.I
)


@dataclass
class Post:
    """One published post of the export."""

    id: int
    page: Page  # the post as an imported page (language, title, body…)
    group: str = ""  # Polylang's post_translations term ("": none)


@dataclass
class Export:
    """The posts of an export, with what it could not place."""

    posts: list[Post] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # items not imported, and why

    def groups(self) -> tuple[list[list[Post]], list[Post]]:
        """Posts grouped into language versions (each group earliest first), and those alone."""
        grouped: dict[str, list[Post]] = {}
        alone = []
        for post in self.posts:
            if post.group:
                grouped.setdefault(post.group, []).append(post)
            else:
                alone.append(post)
        ordered = [
            sorted(g, key=lambda p: (p.page.date or date.max, p.id)) for g in grouped.values()
        ]
        return ordered, alone


def read_export(data: bytes, display: str) -> Export:
    """Read a WXR file; :class:`ImportError_` if it is not one."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as e:
        raise ImportError_(f"{display}: not a WordPress export (not valid XML: {e})") from e
    version = str(root.nsmap.get("wp", "")) if hasattr(root, "nsmap") else ""
    if root.tag != "rss" or not version.startswith("http://wordpress.org/export/"):
        raise ImportError_(
            f"{display}: not a WordPress export (WXR): expected <rss> with the wp: namespace;"
            " export it from WordPress with Tools → Export"
        )
    ns = dict(_NS, wp=version, excerpt=str(root.nsmap.get("excerpt", version + "excerpt/")))
    authors = {
        (a.findtext("wp:author_login", namespaces=ns) or ""): (
            a.findtext("wp:author_display_name", namespaces=ns) or ""
        )
        for a in root.iterfind("channel/wp:author", namespaces=ns)
    }
    export = Export()
    for item in root.iterfind("channel/item"):
        post = _post(item, ns, authors, display, export)
        if post is not None:
            export.posts.append(post)
    return export


def _post(
    item: etree._Element, ns: dict[str, str], authors: dict[str, str], display: str, export: Export
) -> Post | None:
    text = lambda path: (item.findtext(path, namespaces=ns) or "").strip()  # noqa: E731
    post_id = int(text("wp:post_id") or 0)
    kind, status, title = text("wp:post_type"), text("wp:status"), text("title")
    if kind != "post" or status != "publish":
        export.skipped.append(
            f"{display}: item {post_id} ({kind or '?'}, {status or '?'}) is not a published post"
        )
        return None
    lang = group = ""
    for category in item.iterfind("category"):
        domain = category.get("domain")
        if domain == "language":
            lang = languages.base(category.get("nicename", ""))
        elif domain == "post_translations":
            group = category.get("nicename", "")
    body_html = _autop(text("content:encoded"))
    body = lxml.html.fragment_fromstring(body_html or "<p></p>", create_parent="div")
    clean(body)
    markdown = body_markdown(body)
    if not markdown.strip():
        export.skipped.append(f"{display}: post {post_id} ({title!r}) has no body")
        return None
    summary = text("excerpt:encoded")
    if not summary:
        for meta in item.iterfind("wp:postmeta", namespaces=ns):
            if (meta.findtext("wp:meta_key", namespaces=ns) or "") == "_yoast_wpseo_metadesc":
                summary = (meta.findtext("wp:meta_value", namespaces=ns) or "").strip()
        if _is_excerpt(summary, markdown):
            summary = ""
    stamp = re.match(r"(\d{4})-(\d{2})-(\d{2})", text("wp:post_date"))
    page = Page(
        lang=lang,
        title=title,
        body=markdown,
        date=date(*(int(g) for g in stamp.groups())) if stamp else None,
        author=authors.get(text("dc:creator"), text("dc:creator")),
        summary=summary,
        url=text("link"),
        slug=unquote(text("wp:post_name")),
    )
    return Post(post_id, page, group)


def _autop(content: str) -> str:
    """WordPress's ``wpautop``, as much as a classic post needs: blank lines make paragraphs."""
    if not content.strip() or "<!-- wp:" in content or re.search(r"<p[\s>]", content):
        return content  # block-editor markup, or paragraphs already
    chunks = re.split(r"\n\s*\n", content.replace("\r\n", "\n"))
    out = []
    for chunk in chunks:
        if not chunk.strip():
            continue
        if _BLOCK_START.match(chunk):
            out.append(chunk)
        else:
            out.append(
                "<p>" + "<br>\n".join(line.strip() for line in chunk.strip().split("\n")) + "</p>"
            )
    return "\n".join(out)
