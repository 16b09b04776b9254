"""How a language writes a number (Babel's locale data), and a text's numbers rewritten that way.

The ``number-format`` check says what form a Turkish or Russian reader expects
(:func:`written`, :func:`percent_prefix`); the drafting of segments without words
(:func:`localize`: ``1,250.5`` → ``1.250,5``, ``12%`` → ``%12``) writes it.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.numbers import format_decimal, get_decimal_symbol

from ..markdown import inline
from . import numbers

_NUMBER = f"(?:{numbers.TOKEN.pattern})"
# A percent sign before a number (Turkish) or after one (English): the figure is group 1 or 2.
_PERCENT = re.compile(
    rf"(?<![0-9])%[{numbers.SPACES}]?({_NUMBER})|({_NUMBER})[{numbers.SPACES}]?%(?![{numbers.SPACES}]?[0-9])"
)
_LETTER = re.compile(r"[^\W\d_]")


def written(value: Decimal, lang: str, grouped: bool = True) -> str:
    """``value`` as ``lang`` writes it, with its decimal places (spaces shown plain).

    >>> written(Decimal("1250.5"), "tr"), written(Decimal("1250.5"), "ru"), written(Decimal("3.50"), "en")
    ('1.250,5', '1 250,5', '3.50')
    """
    return _format(value, lang, grouped).replace("\u00a0", " ")


def _format(value: Decimal, lang: str, grouped: bool) -> str:
    places = max(0, -int(value.as_tuple().exponent))
    pattern = ("#,##0" if grouped else "0") + ("." + "0" * places if places else "")
    return format_decimal(value, format=pattern, locale=lang)


@lru_cache(maxsize=64)
def has_locale(lang: str) -> bool:
    """Whether Babel knows the language."""
    try:
        Locale.parse(lang)
    except (UnknownLocaleError, ValueError):
        return False
    return True


@lru_cache(maxsize=64)
def percent_prefix(lang: str) -> bool | None:
    """True if the language writes ``%12``, False if ``12%``, None if it accepts either.

    Russian writes ``12 %`` by the book and ``12%`` in practice: both pass there.
    """
    pattern = Locale.parse(lang).percent_formats[None].pattern
    if pattern.startswith("%"):
        return True
    if pattern.endswith("%") and not pattern[-2:-1].isspace():
        return False
    return None


def wordless(plain: str) -> bool:
    """Whether a plain text has no letters: numbers, dates, symbols, or nothing."""
    return not _LETTER.search(plain)


def _text_runs(text: str) -> list[tuple[int, int, bool]]:
    """The text's stretches, each marked whether it is plain text (not a URL, code, marker…)."""
    runs: list[tuple[int, int, bool]] = []
    last = 0
    for start, end in _texts(inline.parse(text)):
        if start > last:
            runs.append((last, start, False))
        runs.append((start, end, True))
        last = end
    if last < len(text):
        runs.append((last, len(text), False))
    return runs


def _texts(nodes: tuple[inline.Node, ...]) -> list[tuple[int, int]]:
    found = []
    for node in nodes:
        if isinstance(node, inline.Span):
            if node.kind in (inline.EM, inline.STRONG, inline.STRIKE, inline.LINK):
                found.extend(_texts(node.children))  # a link's text, never its destination
        elif node.kind == inline.TEXT:
            found.append((node.start, node.end))
    return found


def localize(text: str, source_lang: str, target_lang: str) -> str:
    """``text`` with each number (not a date) written as ``target_lang`` writes it.

    >>> localize("1,250.5", "en", "tr"), localize("12.5%", "en", "tr"), localize("–", "en", "ru")
    ('1.250,5', '%12,5', '–')
    >>> localize("10.01.2024", "tr", "en"), localize("2,5 – 3,1", "ru", "en")
    ('10.01.2024', '2.5 – 3.1')
    >>> localize("12500 https://ex.org/a/10668 [12345](https://ex.org/2%20x) on 10.01.2024", "en", "tr")
    '12.500 https://ex.org/a/10668 [12.345](https://ex.org/2%20x) on 10.01.2024'
    """
    if not (has_locale(source_lang) and has_locale(target_lang)):
        return text
    return "".join(
        _localize_text(text[start:end], source_lang, target_lang) if is_text else text[start:end]
        for start, end, is_text in _text_runs(text)
    )


def _localize_text(text: str, source_lang: str, target_lang: str) -> str:
    """:func:`localize` on plain text (no URL, code or marker in it)."""
    dates = numbers.date_spans(text)

    def convert(match: re.Match[str]) -> str:
        token = match.group()
        if any(start <= match.start() < end for start, end in dates):
            return token
        value = numbers.own_value(token, source_lang)
        if value is None:
            return token
        grouped = any(char not in "0123456789" + get_decimal_symbol(source_lang) for char in token)
        return _format(value, target_lang, grouped or value >= 10000)

    converted = numbers.TOKEN.sub(convert, text)
    prefix = percent_prefix(target_lang)
    if prefix is None or "%" not in converted:
        return converted

    def place(match: re.Match[str]) -> str:
        figure = (match.group(1) or match.group(2)).strip(numbers.SPACES)
        return f"%{figure}" if prefix else f"{figure}%"

    return _PERCENT.sub(place, converted)
