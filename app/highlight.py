"""Showing a msgid to translators: inline Markdown highlighted, and word-level diffs.

Both return escaped HTML (:class:`markupsafe.Markup`): every piece of text goes
through :func:`markupsafe.escape` and only this module's own ``<span>``, ``<del>``
and ``<ins>`` tags are added.

>>> str(highlight("See [the UN](https://un.org).[i]"))
'See <span class="md">[</span>the UN<span class="md">](</span><span class="url">https://un.org</span><span class="md">)</span>.<span class="marker">[i]</span>'
>>> str(word_diff("the old text", "the new text"))
'the <del>old</del><ins>new</ins> text'
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from functools import lru_cache

from markupsafe import Markup, escape

_TOKEN = re.compile(
    r"(?P<escape>\\[!-/:-@\[-`{-~])"
    r"|(?P<code>(?P<ticks>`+)(?:(?!(?P=ticks)).)+?(?P=ticks))"
    r"|(?P<autolink><(?:[A-Za-z][A-Za-z0-9.+-]{1,31}:[^\s<>]*|[^\s<>@]+@[^\s<>@]+)>)"
    r"|(?P<html></?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>|<!--.*?-->)"
    r"|(?P<marker>\[\^[^\]\[\s]+\]|\[(?:[0-9]{1,4}|[ivxlcdm]{1,8})\](?![(\[]))"
    r"|(?P<linktail>\]\()(?P<dest><[^<>\n]*>|[^\s()]*(?:\([^\s()]*\)[^\s()]*)*)"
    r"(?P<title>\s+(?:\"[^\"]*\"|'[^']*'))?(?P<close>\))"
    r"|(?P<url>(?:https?://|www\.)[^\s<>\[\]\"`“”«»]*[^\s<>\[\]\"`“”«».,;:!?'*_~)])"
    r"|(?P<entity>&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});)"
    r"|(?P<md>!?\[|\]|\*\*?|~~|(?<!\w)__?|__?(?!\w))",
    re.IGNORECASE,
)
_WORDS = re.compile(r"\s+|\w+|[^\w\s]")


def _span(cls: str, text: str) -> str:
    return f'<span class="{cls}">{escape(text)}</span>'


@lru_cache(maxsize=32768)
def highlight(text: str) -> Markup:
    """``text`` escaped, with Markdown syntax, code, URLs, markers and HTML in ``<span>``s."""
    out: list[str] = []
    pos = 0
    for match in _TOKEN.finditer(text):
        out.append(str(escape(text[pos : match.start()])))
        pos = match.end()
        kind = match.lastgroup
        if match.group("linktail") is not None:
            out.append(_span("md", "]("))
            out.append(_span("url", match.group("dest")))
            if match.group("title"):
                out.append(str(escape(match.group("title"))))
            out.append(_span("md", ")"))
        elif match.group("code") is not None:
            out.append(_span("code", match.group("code")))
        elif kind in ("autolink", "url"):
            out.append(_span("url", match.group()))
        elif kind == "html":
            out.append(_span("html", match.group()))
        elif kind == "marker":
            out.append(_span("marker", match.group()))
        elif kind in ("escape", "entity"):
            out.append(_span("entity", match.group()))
        else:
            out.append(_span("md", match.group()))
    out.append(str(escape(text[pos:])))
    return Markup("".join(out))


@lru_cache(maxsize=8192)
def word_diff(old: str, new: str) -> Markup:
    """A word-level diff from ``old`` to ``new``: removed words in ``<del>``, added in ``<ins>``."""
    a = _WORDS.findall(old)
    b = _WORDS.findall(new)
    out: list[str] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(str(escape("".join(a[i1:i2]))))
            continue
        if i2 > i1:
            out.append(f"<del>{escape(''.join(a[i1:i2]))}</del>")
        if j2 > j1:
            out.append(f"<ins>{escape(''.join(b[j1:j2]))}</ins>")
    return Markup("".join(out))
