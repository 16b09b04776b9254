"""The checks, one function each, errors first (the order :func:`check_pair` runs them).

Both texts are first reduced to *plain
text*: code spans, backslash escapes, markers, link destinations (with titles),
reference labels, autolinks, inline HTML and bare URLs are recorded and replaced by a
placeholder; link text is kept; entities are decoded.

Errors:

- ``markers``: footnote markers (``[^1]``, ``[^note]``) and reference markers (``[i]``,
  ``[iv]``, ``[12]``: a lowercase Roman numeral or up to three digits, not followed by
  ``(``, ``[`` or a letter) are compared as multisets, so they may move; each marker
  missing, added or repeated is reported.
- ``urls``: link destinations, image sources, autolinks, bare URLs (``https://``,
  ``http://``, ``ftp://``, ``www.``; trailing punctuation and a Turkish apostrophe
  suffix excluded) and reference labels are compared as multisets; link text and
  titles may be translated.
- ``markup``: in the plain target, a leftover backtick, an odd number of flanking ``*``
  or of non-intraword ``_``, or unbalanced ``[``/``]`` is an error unless the source is
  unbalanced the same way; code span contents (stripped) are compared as multisets.
- ``numbers``: numbers have the same values, each read in its own language's format
  (see :mod:`app.checks.numbers`).

Warnings:

- ``identical``: target equal to the source (both stripped), the plain text having a
  letter.
- ``whitespace``: leading or trailing whitespace differs.
- ``double-space``: the stripped target has more runs of two or more spaces (regular,
  NBSP, narrow or thin) than the stripped source.
- ``quotes``: in the plain target, two or more straight ``"``, or a mark the language's
  profile names as wrong (for ru ``”``, or more ``“`` than ``„``: ``« »`` and nested
  ``„ “`` are right; for tr and en ``«``, ``»`` or ``„``).
- ``glossary``: a row's source-language term is in the source as a whole word and none
  of the target-language terms of the rows sharing that source term is in the target,
  inflected forms allowed (see :mod:`app.checks.terms`).
- ``length``: the source plain text has at least 20 characters and the target/source
  length ratio is outside 0.5–2 times the pair's usual ratio (the language profiles').
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Sequence

from .. import langs
from . import Pair, check, numbers
from .plain import HOLE
from .terms import fold, found

LENGTH_TOLERANCE = (0.5, 2.0)
MIN_LENGTH = 20
_BRACKETS = re.compile(r"[\[\]]")
_STARS = re.compile(r"\*+")
_UNDERSCORES = re.compile(r"_+")
_DOUBLE_SPACE = re.compile(rf"[{numbers.SPACES}\t]{{2,}}")


@check("markers", "error")
def check_markers(pair: Pair) -> Iterator[str]:
    """Footnote and reference markers are the same multiset in both texts."""
    missing, added = _differences(pair.src.markers, pair.tgt.markers)
    for marker in dict.fromkeys(missing):
        yield f"marker {marker} is missing from the target"
    for marker in dict.fromkeys(added):
        how = "repeated" if marker in pair.src.markers else "added"
        yield f"marker {marker} is {how} in the target"


@check("urls", "error")
def check_urls(pair: Pair) -> Iterator[str]:
    """URLs and link targets are the same multiset in both texts."""
    missing, added = _differences(pair.src.urls, pair.tgt.urls)
    if len(missing) == len(added) == 1:
        yield f"link target changed: {missing[0]!r} became {added[0]!r}"
        return
    for url in missing:
        yield f"link target {url!r} is missing from the target"
    for url in added:
        yield f"link target {url!r} is not in the source"


@check("markup", "error")
def check_markup(pair: Pair) -> Iterator[str]:
    """Inline Markdown is balanced in the target and code spans are unchanged."""
    for delimiter in sorted(_unbalanced(pair.tgt.plain) - _unbalanced(pair.src.plain)):
        yield f"unbalanced {delimiter} in the target"
    missing, added = _differences(pair.src.code, pair.tgt.code)
    for code in missing:
        yield f"code span `{code}` is missing or changed in the target"
    for code in added:
        yield f"code span `{code}` in the target is not in the source"


@check("html", "error")
def check_html(pair: Pair) -> Iterator[str]:
    """Inline HTML is the source's: a tag added in a translation could run in the published page."""
    missing, added = _differences(pair.src.tags, pair.tgt.tags)
    for tag in added:
        yield f"HTML {tag} in the target is not in the source"
    for tag in missing:
        yield f"HTML {tag} is missing from the target"


@check("numbers", "error")
def check_numbers(pair: Pair) -> Iterator[str]:
    """Numbers have the same values, each read in its own language's format."""
    missing, added = numbers.differences(pair.src.readings, pair.tgt.readings)
    for number in missing:
        yield f"number {numbers.show(number.text)!r} is missing from the target"
    for number in added:
        yield f"number {numbers.show(number.text)!r} in the target{numbers.how_read(number)} is not in the source"


@check("identical", "warning")
def check_identical(pair: Pair) -> Iterator[str]:
    """The target is not a copy of a source that has letters."""
    if pair.source.strip() == pair.target.strip() and any(c.isalpha() for c in pair.src.plain):
        yield "target is identical to the source"


@check("whitespace", "warning")
def check_whitespace(pair: Pair) -> Iterator[str]:
    """Leading and trailing whitespace is the same in both texts."""
    (src_lead, src_trail), (tgt_lead, tgt_trail) = _edges(pair.source), _edges(pair.target)
    if src_lead != tgt_lead:
        yield f"leading whitespace differs: source {src_lead!r}, target {tgt_lead!r}"
    if src_trail != tgt_trail:
        yield f"trailing whitespace differs: source {src_trail!r}, target {tgt_trail!r}"


@check("double-space", "warning")
def check_double_space(pair: Pair) -> Iterator[str]:
    """The target has no more double spaces than the source."""
    target = pair.target.strip()
    if not _DOUBLE_SPACE.search(target):
        return
    extra = len(_DOUBLE_SPACE.findall(target)) - len(_DOUBLE_SPACE.findall(pair.source.strip()))
    if extra > 0:
        yield f"{extra} double space(s) in the target not in the source"


@check("quotes", "warning")
def check_quotes(pair: Pair) -> Iterator[str]:
    """Quotation marks follow the target language's style."""
    profile = langs.profile(pair.target_lang)
    if not profile.quotes:
        return
    wrong = _wrong_quotes(pair.tgt.plain, profile)
    if wrong:
        marks = " ".join(wrong)
        yield f"quotation marks {marks} are not {profile.code} style; use {profile.quotes}"


@check("glossary", "warning")
def check_glossary(pair: Pair) -> Iterator[str]:
    """Glossary terms found in the source have an expected translation in the target."""
    if not pair.terms:
        return
    src_lang, tgt_lang = langs.base(pair.source_lang), langs.base(pair.target_lang)
    source = (pair.src.plain, fold(pair.src.plain, src_lang))
    expected: dict[str, list[str]] = {}
    for row in pair.terms:
        term, translation = row.get(src_lang), row.get(tgt_lang)
        if not (term and translation and term.strip() and translation.strip()):
            continue
        if found(term, src_lang, False, source):
            expected.setdefault(term, []).append(translation)
    if not expected:
        return
    target = (pair.tgt.plain, fold(pair.tgt.plain, tgt_lang))
    for term, translations in expected.items():
        if any(found(t, tgt_lang, True, target) for t in translations):
            continue
        wanted = " or ".join(repr(t) for t in translations)
        yield f"glossary term {term!r} is in the source but {wanted} is not in the target"


@check("length", "warning")
def check_length(pair: Pair) -> Iterator[str]:
    """The length ratio is within 0.5–2 times the language pair's usual ratio."""
    src_len, tgt_len = _visible_length(pair.src.plain), _visible_length(pair.tgt.plain)
    if src_len < MIN_LENGTH:
        return
    usual = langs.usual_ratio(pair.source_lang, pair.target_lang)
    ratio = tgt_len / src_len
    low, high = LENGTH_TOLERANCE
    if not low * usual <= ratio <= high * usual:
        yield f"target is {ratio:.2f}× the source length; usual is {usual:.2f}×"


# --- helpers ---------------------------------------------------------------------------


def _differences(source: Sequence[str], target: Sequence[str]) -> tuple[list[str], list[str]]:
    """Return the items missing from the target and those added to it, as multisets.

    >>> _differences(["[i]", "[^1]", "[ii]"], ["[^1]", "[ii]", "[^1]"])
    (['[i]'], ['[^1]'])
    """
    if source == target:
        return [], []
    src, tgt = Counter(source), Counter(target)
    return list((src - tgt).elements()), list((tgt - src).elements())


def _unbalanced(plain: str) -> set[str]:
    """Return the inline delimiters left unbalanced in a plain text.

    >>> sorted(_unbalanced("**kalın* ve [bağlantı ve `kod"))
    ['*', '[ ]', '`']
    >>> sorted(_unbalanced("snake_case, 5 * 3, _İstanbul_'da"))
    []
    """
    unbalanced = set()
    if "`" in plain:
        unbalanced.add("`")
    if "*" in plain and _flanking(plain, _STARS, intraword=True) % 2:
        unbalanced.add("*")
    if "_" in plain and _flanking(plain, _UNDERSCORES, intraword=False) % 2:
        unbalanced.add("_")
    if ("[" in plain or "]" in plain) and not _brackets_balanced(plain):
        unbalanced.add("[ ]")
    return unbalanced


def _flanking(plain: str, runs: re.Pattern[str], intraword: bool) -> int:
    """Count delimiter characters that can open or close emphasis."""
    count = 0
    for match in runs.finditer(plain):
        before = plain[match.start() - 1] if match.start() else " "
        after = plain[match.end()] if match.end() < len(plain) else " "
        if before.isspace() and after.isspace():
            continue
        if not intraword and before.isalnum() and after.isalnum():
            continue
        count += len(match.group())
    return count


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


def _wrong_quotes(plain: str, profile: langs.Profile) -> list[str]:
    """Return the quotation marks in a plain text that are wrong for the language.

    >>> _wrong_quotes('Он сказал: "да" и “нет”, «ну» и „вот“.', langs.profile("ru"))
    ['"', '“', '”']
    >>> _wrong_quotes("“İyi” ve ‘güzel’; 12\\" ekran, BM'nin", langs.profile("tr"))
    []
    """
    wrong = ['"'] if plain.count('"') >= 2 else []
    if profile.nested_quotes is not None:
        opening, closing = profile.nested_quotes
        if plain.count(closing) > plain.count(opening):
            wrong.append(closing)
    wrong.extend(mark for mark in profile.wrong_quotes if mark in plain)
    return wrong


def _edges(text: str) -> tuple[str, str]:
    """Return the leading and trailing whitespace of a text."""
    body = text.strip()
    if not body:
        return text, ""
    return text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]


def _visible_length(plain: str) -> int:
    return len(" ".join(plain.replace(HOLE, "").split()))
