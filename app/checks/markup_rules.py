"""The checks on a translation's Markdown: markers, URLs, emphasis and code, inline HTML.

All are errors: each of these, wrong, changes what the published page links to, cites or
shows. The texts are compared through :mod:`app.checks.plain`, over the one lexer.

- ``markers``: footnote markers (``[^1]``) and reference markers (``[i]``, ``[12]``)
  are the same multiset in both texts, so they may move; each one missing, added or
  repeated (``[i][i]``) is reported.
- ``urls``: link destinations, image sources, autolinks, bare URLs and reference labels
  are the same multiset; link text and titles may be translated, and a URL may swap its
  language code for the target's (``?lang=en`` → ``?lang=tr``, ``/en/`` → ``/tr/``).
- ``markup``: emphasis balanced by CommonMark's rules: a delimiter run left unmatched
  that could open or close emphasis (``**Yeni kurallar`` with no closing ``**``) and that
  the source does not have; a leftover backtick; unbalanced ``[``/``]``; a code span
  changed.
- ``html``: inline HTML tags are the source's, with the same links, handlers and styles.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Sequence

from .. import langs
from . import N_, Message, Pair, check, say

_BRACKETS = re.compile(r"[\[\]]")
# The end of a sentence: its punctuation, the markers after it, then a capital or a quote.
_SENTENCE_END = re.compile(r"[.!?…](?:\[\^?[^\]\[\s]+\])*\s+(?=[«“\"(]?[A-ZÀ-ÖØ-ÞĞİŞА-ЯЁ0-9])")


@check("markers", "error", N_("Markers"))
def check_markers(pair: Pair) -> Iterator[Message]:
    """Footnote and reference markers are the same multiset in both texts."""
    missing, added = differences(pair.src.markers, pair.tgt.markers)
    for marker in dict.fromkeys(missing):
        yield say(N_("marker %(marker)s is missing from the target"), marker=marker)
    for marker in dict.fromkeys(added):
        if marker in pair.src.markers:
            yield say(N_("marker %(marker)s is repeated in the target"), marker=marker)
        else:
            yield say(N_("marker %(marker)s is added in the target"), marker=marker)


@check("urls", "error", N_("Links"))
def check_urls(pair: Pair) -> Iterator[Message]:
    """URLs and link targets are the same multiset in both texts (a language code may follow)."""
    codes = (pair.source_lang, pair.target_lang)
    source = [generic_url(url, codes) for url in pair.src.urls]
    target = [generic_url(url, codes) for url in pair.tgt.urls]
    missing, added = differences(source, target)
    if not missing and not added:
        return
    shown = dict(zip(source, pair.src.urls, strict=True)) | dict(
        zip(target, pair.tgt.urls, strict=True)
    )
    if len(missing) == len(added) == 1:
        yield say(
            N_("link target changed: %(old)s became %(new)s"),
            old=repr(shown[missing[0]]),
            new=repr(shown[added[0]]),
        )
        return
    for url in missing:
        yield say(N_("link target %(url)s is missing from the target"), url=repr(shown[url]))
    for url in added:
        yield say(N_("link target %(url)s is not in the source"), url=repr(shown[url]))


def generic_url(url: str, codes: Sequence[str]) -> str:
    """``url`` with a language code of ``codes`` (path, query or subdomain) made generic.

    >>> generic_url("https://ex.org/en/report?lang=tr", ("en", "tr"))
    'https://ex.org/{lang}/report?lang={lang}'
    >>> generic_url("https://en.ex.org/x", ("en", "ru")), generic_url("https://ex.org/de/x", ("en", "tr"))
    ('https://{lang}.ex.org/x', 'https://ex.org/de/x')
    """
    code = "|".join(re.escape(langs.base(lang)) for lang in codes)
    url = re.sub(rf"(?<=[/=])(?:{code})(?=[/&#?]|$)", "{lang}", url)
    return re.sub(rf"^(https?://)(?:{code})\.", r"\1{lang}.", url)


@check("markup", "error", N_("Markup"))
def check_markup(pair: Pair) -> Iterator[Message]:
    """Emphasis is balanced by CommonMark's rules, and code spans are unchanged."""
    unclosed, _added = differences(_open_runs(pair.tgt.delims), _open_runs(pair.src.delims))
    for run in dict.fromkeys(unclosed):
        yield say(N_("unbalanced %(delimiter)s in the target"), delimiter=run)
    for delimiter in sorted(_unbalanced(pair.tgt.plain) - _unbalanced(pair.src.plain)):
        yield say(N_("unbalanced %(delimiter)s in the target"), delimiter=delimiter)
    missing, added = differences(pair.src.code, pair.tgt.code)
    for code in missing:
        yield say(N_("code span `%(code)s` is missing or changed in the target"), code=code)
    for code in added:
        yield say(N_("code span `%(code)s` in the target is not in the source"), code=code)


def _open_runs(delims: Sequence[tuple[str, bool, bool]]) -> list[str]:
    """The emphasis delimiter runs left unmatched that could have opened or closed one."""
    return [run for run, opens, closes in delims if (opens or closes) and run[0] in "*_~"]


@check("html", "error", N_("HTML"))
def check_html(pair: Pair) -> Iterator[Message]:
    """Inline HTML is the source's: a tag added in a translation could run in the published page."""
    missing, added = differences(pair.src.tags, pair.tgt.tags)
    for tag in added:
        yield say(N_("HTML %(tag)s in the target is not in the source"), tag=tag)
    for tag in missing:
        yield say(N_("HTML %(tag)s is missing from the target"), tag=tag)


def differences(source: Sequence[str], target: Sequence[str]) -> tuple[list[str], list[str]]:
    """Return the items missing from the target and those added to it, as multisets.

    >>> differences(["[i]", "[^1]", "[ii]"], ["[^1]", "[ii]", "[^1]"])
    (['[i]'], ['[^1]'])
    """
    if source == target:
        return [], []
    src, tgt = Counter(source), Counter(target)
    return list((src - tgt).elements()), list((tgt - src).elements())


def _unbalanced(plain: str) -> set[str]:
    """Return the backticks and brackets left unbalanced in a plain text.

    >>> sorted(_unbalanced("kalın ve [bağlantı ve `kod"))
    ['[ ]', '`']
    """
    unbalanced = set()
    if "`" in plain:
        unbalanced.add("`")
    if ("[" in plain or "]" in plain) and not _brackets_balanced(plain):
        unbalanced.add("[ ]")
    return unbalanced


def _brackets_balanced(plain: str) -> bool:
    depth = 0
    for char in _BRACKETS.findall(plain):
        if char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0
