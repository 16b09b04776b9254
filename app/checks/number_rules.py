"""The checks on a translation's numbers: their values, and the form the target language writes.

- ``numbers`` (error): numbers have the same values, each read in its own language's
  format (:mod:`app.checks.numbers`: ``1,250.5`` = ``1.250,5`` = ``1 250,5``; ordinals
  may be spelled out; ``10 bin`` = ``10,000``).
- ``number-format`` (error): a number in the target is written as the target language
  writes numbers (Babel's locale data): a Turkish ``1,250.5`` or ``3.5`` reads as
  another value to a Turkish reader; ``12%`` is ``%12`` in Turkish. Digits alone
  (``2024``, ``150``) are every language's.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .. import langs
from . import N_, Message, Pair, check, number_forms, numbers, say

_MARKS = re.compile(rf"[.,{numbers.SPACES}]")
# ``12%`` (and ``12 %``); a sign followed by a figure is that figure's (``252 %46,6``).
_SUFFIX_PERCENT = re.compile(
    rf"(?<![%\w])([0-9]+(?:[.,][0-9]+)?)[{numbers.SPACES}]?%(?![{numbers.SPACES}]?[0-9])"
)
_PREFIX_PERCENT = re.compile(rf"%[{numbers.SPACES}]?([0-9]+(?:[.,][0-9]+)?)(?![0-9])")


@check("numbers", "error", N_("Numbers"))
def check_numbers(pair: Pair) -> Iterator[Message]:
    """Numbers have the same values, each read in its own language's format."""
    missing, added = numbers.differences(pair.src.readings, pair.tgt.readings)
    for number in missing:
        yield say(
            N_("number %(number)s is missing from the target"),
            number=repr(numbers.show(number.text)),
        )
    for number in added:
        read = numbers.how_read(number)
        if read:
            yield say(
                N_("number %(number)s in the target (read as %(value)s) is not in the source"),
                number=repr(numbers.show(number.text)),
                value=read,
            )  # e.g. Turkish '1,250' is 1.25
        else:
            yield say(
                N_("number %(number)s in the target is not in the source"),
                number=repr(numbers.show(number.text)),
            )


@check("number-format", "error", N_("Number format"))
def check_number_format(pair: Pair) -> Iterator[Message]:
    """Numbers in the target are written the way the target language writes them."""
    lang = langs.base(pair.target_lang)
    if langs.profile(lang) is langs.GENERIC or not number_forms.has_locale(lang):
        return
    plain = pair.tgt.plain
    # what the source writes is right in its own language, so a copy is no finding there
    copied = pair.src.plain if langs.base(pair.source_lang) == lang else ""
    for match in numbers.TOKEN.finditer(numbers.without_dates(plain)):
        token = match.group()
        if not _MARKS.search(token):
            continue  # digits alone are every language's
        if numbers.own_value(token, lang) is not None or token in copied or _time(token):
            continue
        if not re.search("[.,]", token) and token in pair.src.plain:
            continue  # "7 731" as the source has it: two numbers, or a grouping it made
            continue
        values = numbers.read_number(token, lang)
        if len(values) == 1:
            expected = number_forms.written(next(iter(values)), lang)
            yield say(
                N_("number %(number)s is not written the %(language)s way; write %(expected)s"),
                number=repr(numbers.show(token)),
                language=lang,
                expected=repr(expected),
            )
    prefix = number_forms.percent_prefix(lang)
    wrong = _SUFFIX_PERCENT if prefix else _PREFIX_PERCENT
    if prefix is None:
        return
    for match in wrong.finditer(plain):
        if match.group() in copied:
            continue
        figure = match.group(1)
        expected = f"%{figure}" if prefix else f"{figure}%"
        yield say(
            N_("number %(number)s is not written the %(language)s way; write %(expected)s"),
            number=repr(numbers.show(match.group())),
            language=lang,
            expected=repr(expected),
        )


def _time(token: str) -> bool:
    """Whether ``token`` may be a time (``10.30``), which Turkish writes with a dot."""
    hours, _, minutes = token.partition(".")
    return (
        len(minutes) == 2
        and hours.isdigit()
        and minutes.isdigit()
        and int(hours) <= 23
        and int(minutes) <= 59
    )
