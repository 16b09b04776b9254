"""The checks on a translation's text: warnings a reviewer weighs, none of which blocks a page.

- ``marker-place``: when both texts have as many sentences, each marker stays in the
  sentence it belongs to (a translation may reorder words, rarely sentences).
- ``identical``: the target equals the source although the source has letters; a segment
  that is only a proper name (``Reuters``, ``Kim Jong Un``: every word capitalized) is no
  finding.
- ``whitespace``: leading or trailing whitespace differs.
- ``double-space``: the target has more runs of two or more spaces than the source.
- ``quotes``: two or more straight ``"``, or a mark the language's profile names as
  wrong (for ru ``”``, or more ``“`` than ``„``; for tr and en ``«``, ``»`` or ``„``).
- ``glossary``: a row's source-language term is in the source and none of the target
  terms of the rows sharing it is in the target, inflected forms allowed
  (:mod:`app.checks.terms`).
- ``length``: the source has at least 20 characters and the length ratio is outside
  0.5–2 times the language pair's usual one (the profiles' lengths).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from .. import langs
from ..markdown import inline
from . import N_, Message, Pair, check, numbers, say
from .plain import HOLE
from .terms import fold, found

LENGTH_TOLERANCE = (0.5, 2.0)
MIN_LENGTH = 20
# The end of a sentence: its punctuation, the markers after it, then a capital or a quote.
_SENTENCE_END = re.compile(r"[.!?…](?:\[\^?[^\]\[\s]+\])*\s+(?=[«“\"(]?[A-ZÀ-ÖØ-ÞĞİŞА-ЯЁ0-9])")
_DOUBLE_SPACE = re.compile(rf"[{numbers.SPACES}\t]{{2,}}")
_WORD = re.compile(r"[^\W\d_]+")
_NAME_WORDS = 6


@check("marker-place", "warning", N_("Marker place"))
def check_marker_place(pair: Pair) -> Iterator[Message]:
    """With as many sentences on both sides, each marker stays in its own sentence."""
    if not pair.src.markers or Counter(pair.src.markers) != Counter(pair.tgt.markers):
        return
    source, target = _sentences_of_markers(pair.source), _sentences_of_markers(pair.target)
    if source[0] != target[0] or source[0] < 2:
        return
    for marker, sentence in source[1].items():
        if target[1].get(marker) != sentence:
            yield say(
                N_("marker %(marker)s moved from sentence %(source)s to sentence %(target)s"),
                marker=marker,
                source=sentence,
                target=target[1].get(marker),
            )


def _sentences_of_markers(text: str) -> tuple[int, dict[str, int]]:
    """How many sentences ``text`` has, and the sentence of each marker (1-based)."""
    ends = [m.end() for m in _SENTENCE_END.finditer(text)]
    places: dict[str, int] = {}
    for _kind, start, stop in inline.atom_spans(text, frozenset({inline.MARKER_KIND})):
        places.setdefault(text[start:stop], 1 + sum(1 for end in ends if end <= start))
    return len(ends) + 1, places


@check("identical", "warning", N_("Identical"))
def check_identical(pair: Pair) -> Iterator[Message]:
    """The target is not a copy of a source that has letters (a proper name may be)."""
    if pair.source.strip() != pair.target.strip():
        return
    words = _WORD.findall(pair.src.plain)
    if words and not (len(words) <= _NAME_WORDS and all(w[0].isupper() for w in words)):
        yield say(N_("target is identical to the source"))


@check("whitespace", "warning", N_("Whitespace"))
def check_whitespace(pair: Pair) -> Iterator[Message]:
    """Leading and trailing whitespace is the same in both texts."""
    (src_lead, src_trail), (tgt_lead, tgt_trail) = _edges(pair.source), _edges(pair.target)
    if src_lead != tgt_lead:
        yield say(
            N_("leading whitespace differs: source %(source)s, target %(target)s"),
            source=repr(src_lead),
            target=repr(tgt_lead),
        )
    if src_trail != tgt_trail:
        yield say(
            N_("trailing whitespace differs: source %(source)s, target %(target)s"),
            source=repr(src_trail),
            target=repr(tgt_trail),
        )


@check("double-space", "warning", N_("Double space"))
def check_double_space(pair: Pair) -> Iterator[Message]:
    """The target has no more double spaces than the source."""
    target = pair.target.strip()
    if not _DOUBLE_SPACE.search(target):
        return
    extra = len(_DOUBLE_SPACE.findall(target)) - len(_DOUBLE_SPACE.findall(pair.source.strip()))
    if extra > 0:
        yield say(N_("%(n)s double space(s) in the target not in the source"), n=extra)


@check("quotes", "warning", N_("Quotes"))
def check_quotes(pair: Pair) -> Iterator[Message]:
    """Quotation marks follow the target language's style."""
    profile = langs.profile(pair.target_lang)
    if not profile.quotes:
        return
    wrong = _wrong_quotes(pair.tgt.plain, profile)
    if wrong:
        yield say(
            N_("quotation marks %(marks)s are not %(language)s style; use %(style)s"),
            marks=" ".join(wrong),
            language=profile.code,
            style=profile.quotes,
        )


@check("glossary", "warning", N_("Glossary"))
def check_glossary(pair: Pair) -> Iterator[Message]:
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
        yield say(
            N_("glossary term %(term)s is in the source but %(wanted)s is not in the target"),
            term=repr(term),
            wanted=" or ".join(repr(t) for t in translations),
        )


@check("length", "warning", N_("Length"))
def check_length(pair: Pair) -> Iterator[Message]:
    """The length ratio is within 0.5–2 times the language pair's usual ratio."""
    src_len, tgt_len = _visible_length(pair.src.plain), _visible_length(pair.tgt.plain)
    if src_len < MIN_LENGTH:
        return
    usual = langs.usual_ratio(pair.source_lang, pair.target_lang)
    ratio = tgt_len / src_len
    low, high = LENGTH_TOLERANCE
    if not low * usual <= ratio <= high * usual:
        yield say(
            N_("target is %(ratio)s× the source length; usual is %(usual)s×"),
            ratio=f"{ratio:.2f}",
            usual=f"{usual:.2f}",
        )


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
