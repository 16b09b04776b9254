"""Numbers in a plain text, read in each language's own format, and compared by value.

Numbers are read with Babel's ``parse_decimal(strict=True)`` in the text's own locale
(``1,250.5`` en, ``1.250,5`` tr, ``1 250,5`` ru with a space, NBSP or narrow NBSP), or,
when that fails, in the fallback locales of the language's profile; signs, ``%`` and
suffixes (``2024'te``) are ignored. Dates ``D.M.Y``, ``D/M/Y`` (or ``M/D/Y``) and
``Y-M-D`` give day, month and year; the month counts only when both texts hold a
numeric date (the other may spell it). ``H.MM`` may also be a time (``10.30`` =
``10:30``) whose minutes are optional. Every number must match an equal value on the
other side one-to-one, both ways; in a language grouping digits by spaces the text is
also read without grouping (``+90 212 555``), and any agreeing reading passes.

An ordinal (``3rd``, ``3'üncü``, ``3-й``) is not required on the other side, which may
spell it out (``Üçüncü``); a scale word after a number (``10 bin``, ``2,5 млн``,
``2.5 million``) gives it its scaled value as well, so ``10,000`` = ``10 bin``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from functools import lru_cache
from typing import NamedTuple

from babel.core import UnknownLocaleError
from babel.numbers import NumberFormatError, get_decimal_symbol, get_group_symbol, parse_decimal

from .. import langs

SPACES = " \u00a0\u202f\u2009"
_DATE = re.compile(
    r"[0-9](?<![0-9.,/-][0-9])(?:"
    r"(?P<d>[0-9]?)(?P<sep>[./])(?P<m>[0-9]{1,2})(?P=sep)(?P<y>[0-9]{4}|[0-9]{2})"
    r"|(?P<iy>[0-9]{3})-(?P<im>[0-9]{2})-(?P<id>[0-9]{2})"
    r")(?![0-9]|[.,/-][0-9])"
)
_DIGIT = re.compile(r"[0-9]")
_NON_DIGITS = re.compile(r"[^0-9]+")
_TIME = re.compile(r"([0-9]{1,2})\.([0-9]{2})")
_PLAIN_NUMBER = re.compile(r"[0-9]+(?:[.,][0-9]+)*")
#: A number as written: digits grouped by spaces only in threes (``1 250,5``), else by marks.
TOKEN = _SPACED_NUMBER = re.compile(
    rf"[0-9]{{1,3}}(?:[{SPACES}][0-9]{{3}})+(?:[.,][0-9]+)?(?![0-9])|[0-9]+(?:[.,][0-9]+)*"
)
_ANY_SPACE = re.compile(f"[{SPACES}]")
_TAKEN = "\x1a"  # a date already read: its digits are not read again


class Number(NamedTuple):
    """A number found in a text, the values it can have, and its kind."""

    text: str
    values: frozenset[Decimal]
    kind: str  # "number", "ordinal", "month" (only against a numeric date) or "minute"
    scaled: frozenset[Decimal] = frozenset()  # its values times a scale word after it

    def matches(self, other: Number) -> bool:
        """Whether the two numbers can have the same value."""
        return bool((self.values | self.scaled) & (other.values | other.scaled))


# What may follow a number: an ordinal suffix (English, Turkish, Russian) or a scale word.
_ORDINAL = re.compile(
    r"(?:st|nd|rd|th)\b|['’]?(?:inci|ıncı|uncu|üncü|nci|ncı|ncu|ncü)\b|-(?:й|я|е|го|му|м|х|ми)\b",
    re.IGNORECASE,
)
_SCALE = re.compile(
    r"[ \u00a0\u202f]?(thousand|million|billion|trillion|bn|bin|milyon|milyar|trilyon"
    r"|тыс\.?|тысяч[аиу]?|млн\.?|миллион(?:а|ов)?|млрд\.?|миллиард(?:а|ов)?|трлн\.?)(?!\w)",
    re.IGNORECASE,
)
_SCALES = {"thousand": 3, "bin": 3, "тыс": 3, "тысяч": 3, "million": 6, "milyon": 6, "млн": 6,
           "миллион": 6, "billion": 9, "bn": 9, "milyar": 9, "млрд": 9, "миллиард": 9,
           "trillion": 12, "trilyon": 12, "трлн": 12}  # fmt: skip


def readings(plain: str, lang: str) -> tuple[tuple[Number, ...], ...]:
    """Return the numbers of a plain text (dates first), once more without space grouping.

    >>> [(n.text, sorted(n.values), n.kind) for n in readings("10.01.2024'te %12", "tr")[0]]
    ... # doctest: +NORMALIZE_WHITESPACE
    [('10', [Decimal('10')], 'number'), ('01', [Decimal('1')], 'month'),
     ('2024', [Decimal('2024')], 'number'), ('12', [Decimal('12')], 'number')]
    >>> [[n.text for n in reading] for reading in readings("в 12 345 случаях", "ru")]
    [['12 345'], ['12', '345']]
    """
    if not _DIGIT.search(plain):
        return ((),)
    dates: list[Number] = []
    rest = _DATE.sub(lambda m: _take_date(dates, m), plain)
    if not _group_symbol(lang).isspace():
        return (_read_all(dates, _PLAIN_NUMBER, rest, lang),)
    grouped = _read_all(dates, _SPACED_NUMBER, rest, lang)
    if not any(_ANY_SPACE.search(number.text) for number in grouped):
        return (grouped,)
    return grouped, _read_all(dates, _PLAIN_NUMBER, rest, lang)


def date_spans(plain: str) -> list[tuple[int, int]]:
    """Where the valid dates of a text are."""
    return [m.span() for m in _DATE.finditer(plain) if _take_date([], m) == _TAKEN]


def without_dates(plain: str) -> str:
    """``plain`` with its dates taken out, so that only its other numbers are left."""
    return _DATE.sub(lambda m: _TAKEN if _take_date([], m) == _TAKEN else m.group(), plain)


def _read_all(
    dates: list[Number], pattern: re.Pattern[str], rest: str, lang: str
) -> tuple[Number, ...]:
    """Return the dates followed by the numbers ``pattern`` finds in the rest of a text."""
    found = list(dates)
    for match in pattern.finditer(rest):
        read = _read_token(match.group(), lang)
        if _ORDINAL.match(rest, match.end()):
            read = (Number(read[0].text, read[0].values, "ordinal"), *read[1:])
        scale = _SCALE.match(rest, match.end())
        if scale:
            factor = _scale(scale.group(1))
            first = read[0]
            scaled = frozenset(v * factor for v in first.values)
            read = (Number(first.text, first.values, first.kind, scaled), *read[1:])
        found.extend(read)
    return tuple(found)


def _scale(word: str) -> Decimal:
    word = word.lower().rstrip(".")
    for stem, power in _SCALES.items():
        if word.startswith(stem):
            return Decimal(10) ** power
    return Decimal(1)


def _take_date(found: list[Number], match: re.Match[str]) -> str:
    """Record a valid date's day, month and year; leave anything else to be read as numbers."""
    lead = match.group()[0]  # the first digit sits outside the groups (see _DATE)
    if match.group("iy") is not None:
        day, month, year = match.group("id"), match.group("im"), lead + match.group("iy")
        days, months = _int_set(day), _int_set(month)
    else:
        day, month, year = lead + match.group("d"), match.group("m"), match.group("y")
        first, second = int(day), int(month)
        if match.group("sep") == "/" and first <= 12 < second:
            days, months = {second}, {first}
        elif match.group("sep") == "/" and max(first, second) <= 12:
            days = months = {first, second}
        else:
            days, months = {first}, {second}
    if not (max(days) <= 31 and min(months) >= 1 and max(months) <= 12):
        return match.group()
    years = _int_set(year) | ({2000 + int(year), 1900 + int(year)} if len(year) == 2 else set())
    found.append(Number(day, _decimals(days), "number"))
    found.append(Number(month, _decimals(months), "month"))
    found.append(Number(year, _decimals(years), "number"))
    return _TAKEN


def _int_set(digits: str) -> set[int]:
    return {int(digits)}


def _decimals(values: Iterable[int]) -> frozenset[Decimal]:
    return frozenset(Decimal(value) for value in values)


@lru_cache(maxsize=16384)
def _read_token(token: str, lang: str) -> tuple[Number, ...]:
    """Read one number token; ``H.MM`` may also be hours with optional minutes."""
    values = read_number(token, lang)
    time = _TIME.fullmatch(token)
    if time and int(time.group(1)) <= 23 and int(time.group(2)) <= 59:
        hours = Number(token, values | {Decimal(int(time.group(1)))}, "number")
        return hours, Number(time.group(2), _decimals([int(time.group(2))]), "minute")
    return (Number(token, values, "number"),)


@lru_cache(maxsize=16384)
def read_number(token: str, lang: str) -> frozenset[Decimal]:
    """Return the values a number token can have in ``lang``: its own reading, else others'.

    >>> sorted(read_number("1.250,5", "tr")), sorted(read_number("1 250,5", "ru"))
    ([Decimal('1250.5')], [Decimal('1250.5')])
    >>> sorted(read_number("1,250", "tr")), sorted(read_number("1,250.5", "tr"))
    ([Decimal('1.250')], [Decimal('1250.5')])
    """
    if token.isdigit():
        return frozenset([Decimal(token)])
    own = own_value(token, lang)
    if own is not None:
        return frozenset([own])
    fallbacks = langs.profile(lang).number_fallbacks
    others = {parse_strict(token, other) for other in fallbacks}
    others.discard(None)
    if others:
        return frozenset(value for value in others if value is not None)
    return frozenset([Decimal(_NON_DIGITS.sub("", token))])


def own_value(token: str, lang: str) -> Decimal | None:
    """The value of a number token as ``lang`` writes numbers, or None if it does not."""
    group = _group_symbol(lang)
    if group.isspace():
        token = _ANY_SPACE.sub(group, token)
    if any(mark in token and mark not in (group, _decimal_symbol(lang)) for mark in ".,"):
        return None  # Babel reads "3.2" as 3,2 where groups are spaces; the language does not
    return parse_strict(token, lang)


def parse_strict(token: str, lang: str) -> Decimal | None:
    try:
        return parse_decimal(token, locale=lang, strict=True)
    except (NumberFormatError, UnknownLocaleError, ValueError):
        return None


@lru_cache(maxsize=64)
def _decimal_symbol(lang: str) -> str:
    try:
        return get_decimal_symbol(lang)
    except (UnknownLocaleError, ValueError):
        return "."


@lru_cache(maxsize=64)
def _group_symbol(lang: str) -> str:
    try:
        return get_group_symbol(lang)
    except (UnknownLocaleError, ValueError):
        return ","


Readings = tuple[tuple[Number, ...], ...]


def differences(src: Readings, tgt: Readings) -> tuple[list[Number], list[Number]]:
    """Return numbers missing from and added to the target; none if any reading agrees."""
    months = _has_dates(src) and _has_dates(tgt)
    results = [
        (_unmatched(src_numbers, tgt_numbers, months), _unmatched(tgt_numbers, src_numbers, months))
        for src_numbers in src
        for tgt_numbers in tgt
    ]
    return next((result for result in results if result == ([], [])), results[0])


def _unmatched(mine: Sequence[Number], theirs: Sequence[Number], months: bool) -> list[Number]:
    """Return my required numbers that no distinct number of theirs can account for."""
    if [n.values for n in mine] == [n.values for n in theirs]:
        return []
    pool = list(theirs)
    required = [n for n in mine if n.kind == "number" or (n.kind == "month" and months)]
    unmatched = []
    for number in sorted(required, key=lambda n: len(n.values)):
        match = next((i for i, other in enumerate(pool) if number.matches(other)), None)
        if match is None:
            unmatched.append(number)
        else:
            del pool[match]
    return sorted(unmatched, key=mine.index)


def _has_dates(found: Readings) -> bool:
    return any(number.kind == "month" for number in found[0])


def show(text: str) -> str:
    """A number's text with every kind of space shown as a plain space."""
    return _ANY_SPACE.sub(" ", text)


def how_read(number: Number) -> str:
    """How a number was read (``1.250`` or ``1.250 or 1250``), unless plain from its text."""
    values = [str(value) for value in sorted(number.values)]
    return "" if values == [number.text] else " or ".join(values)
