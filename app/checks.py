"""Quality checks on one (source, translation) pair: Markdown-aware and locale-aware.

Each check is one small function registered in :data:`CHECKS`; :func:`check_pair` runs
them all and gives nothing for a blank target.  Both texts are first reduced to *plain
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
- ``numbers``: numbers in the plain text are read with Babel's
  ``parse_decimal(strict=True)`` in the text's own locale (``1,250.5`` en, ``1.250,5``
  tr, ``1 250,5`` ru with a space, NBSP or narrow NBSP), or, when that fails, in each of
  en, tr and ru; signs, ``%`` and suffixes (``2024'te``) are ignored.  Dates ``D.M.Y``,
  ``D/M/Y`` (or ``M/D/Y``) and ``Y-M-D`` give day, month and year; the month counts only
  when both texts hold a numeric date (the other may spell it).  ``H.MM`` may also be a
  time (``10.30`` = ``10:30``) whose minutes are optional.  Every number must match an
  equal value on the other side one-to-one, both ways; in a language grouping digits by
  spaces the text is also read without grouping (``+90 212 555``), and any agreeing
  reading passes.

Warnings:

- ``identical``: target equal to the source (both stripped), the plain text having a
  letter.
- ``whitespace``: leading or trailing whitespace differs.
- ``double-space``: the stripped target has more runs of two or more spaces (regular,
  NBSP, narrow or thin) than the stripped source.
- ``quotes``: in the plain target, two or more straight ``"``; for ru ``”`` or more
  ``“`` than ``„`` (``« »`` and nested ``„ “`` are right); for tr and en ``«``, ``»``
  or ``„`` (``“ ”`` and ``‘ ’`` are right).
- ``glossary``: a row's source-language term is in the source as a whole word and none
  of the target-language terms of the rows sharing that source term is in the target.
  A term with no lowercase letter (``UNSC``, ``СБ ООН``, ``G20``) is an acronym, matched
  case-sensitively; other terms are matched after :func:`fold`.  In the target each
  word may be inflected: it matches as a prefix on a word boundary, after a Russian
  word loses its final vowels, ``й`` and ``ь``, an English word its final ``y`` or
  ``e``, and with a Turkish final ``p ç t k`` allowed to soften (``b c d ğ/g``); an
  acronym may be followed by an apostrophe or lowercase suffix but not by an uppercase
  letter or a digit, so ``BMGK'nin`` and ``МИДа`` match and ``AB`` is not in ``ABD``.
- ``length``: the source plain text has at least 20 characters and the target/source
  length ratio is outside 0.5–2 times the pair's usual ratio (:data:`LENGTH_RATIOS`).
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property, lru_cache
from typing import NamedTuple

from babel.core import UnknownLocaleError
from babel.numbers import NumberFormatError, get_group_symbol, parse_decimal

from .segment import MARKER

__all__ = [
    "CHECKS",
    "LENGTH_RATIOS",
    "Check",
    "Finding",
    "Pair",
    "check_pair",
    "fold",
    "has_term",
    "read_number",
    "usual_ratio",
]

#: Usual target/source length ratios in characters; the reverse pair uses the inverse.
LENGTH_RATIOS: dict[tuple[str, str], float] = {
    ("en", "ru"): 1.15,
    ("en", "tr"): 1.05,
    ("tr", "ru"): 1.10,
}
LENGTH_TOLERANCE = (0.5, 2.0)
MIN_LENGTH = 20

_HOLE = "\x1a"  # stands for anything removed from the plain text
_SPACES = " \u00a0\u202f\u2009"
_FALLBACK_LOCALES = ("en", "tr", "ru")

_CODE = re.compile(r"`(?<![`\\]`)(`*)(?!`)(.+?)(?<!`)`\1(?!`)")
_ESCAPE = re.compile(r"\\[!-/:-@\[-`{-~]")
_LINK_DEST = re.compile(
    r"\]\(\s*(?:<([^<>\n]*)>|((?:[^\s()\\]|\\.|\([^\s()]*\))*))"
    r"(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^()]*\)))?\s*\)"
)
_AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*|[^\s<>@]+@[^\s<>@]+\.[^\s<>@]+)>")
_HTML = re.compile(r"<!--.*?-->|</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")
_BARE_URL = re.compile(r"(?:https?://|ftp://|www\.(?<![\w.]www\.))[^\s<>\[\]\"“”«»]+")
_URL_TAIL = re.compile(r"(?:['’][^\W\d_]+)?[.,;:!?'’*_~)]*$")
_REF_LABEL = re.compile(r"\]\[([^\[\]]+)\]")
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
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
_SPACED_NUMBER = re.compile(
    rf"[0-9]{{1,3}}(?:[{_SPACES}][0-9]{{3}})+(?:[.,][0-9]+)?(?![0-9])|[0-9]+(?:[.,][0-9]+)*"
)
_ANY_SPACE = re.compile(f"[{_SPACES}]")
_BRACKETS = re.compile(r"[\[\]]")
_STARS = re.compile(r"\*+")
_UNDERSCORES = re.compile(r"_+")
_DOUBLE_SPACE = re.compile(rf"[{_SPACES}\t]{{2,}}")
_RU_ENDING = re.compile(r"[аеиоуыэюяйь]+$")
_TR_SOFT = {"p": "b", "ç": "c", "t": "d", "k": "ğg"}
_NOT_AFTER_ACRONYM = r"(?![0-9A-ZÀ-ÖØ-ÞĞİŞА-ЯЁ_])"
_NEVER = re.compile(r"(?!)")
_QUOTES = {"ru": "« »", "tr": "“ ”", "en": "“ ”"}


@dataclass(frozen=True)
class Finding:
    """One problem found in a translation."""

    check: str
    severity: str
    message: str


class _Number(NamedTuple):
    text: str
    values: frozenset[Decimal]
    kind: str  # "number", "month" (compared only against a numeric date) or "minute"


@dataclass(frozen=True)
class _Text:
    plain: str
    code: tuple[str, ...]
    urls: tuple[str, ...]
    markers: tuple[str, ...]
    readings: tuple[tuple[_Number, ...], ...]  # more than one when space grouping is unsure
    tags: tuple[str, ...] = ()

    @property
    def numbers(self) -> tuple[_Number, ...]:
        return self.readings[0]

    @property
    def has_dates(self) -> bool:
        return any(number.kind == "month" for number in self.numbers)


@dataclass(frozen=True)
class Pair:
    """A source text and its translation, with their languages and glossary rows."""

    source: str
    target: str
    source_lang: str
    target_lang: str
    terms: Sequence[Mapping[str, str]] = ()

    @cached_property
    def src(self) -> _Text:
        """The parsed source."""
        return _parse(self.source, _base(self.source_lang))

    @cached_property
    def tgt(self) -> _Text:
        """The parsed target."""
        return _parse(self.target, _base(self.target_lang))


@dataclass(frozen=True)
class Check:
    """A registered check: its name, its severity and the function yielding messages."""

    name: str
    severity: str
    func: Callable[[Pair], Iterator[str]]

    @property
    def description(self) -> str:
        """The first line of the check function's docstring."""
        return (self.func.__doc__ or "").strip().split("\n")[0]

    def __call__(self, pair: Pair) -> list[Finding]:
        return [Finding(self.name, self.severity, message) for message in self.func(pair)]


#: Every check by name, errors first, in the order :func:`check_pair` runs them.
CHECKS: dict[str, Check] = {}


def _check(name: str, severity: str) -> Callable[[Callable[[Pair], Iterator[str]]], Check]:
    def register(func: Callable[[Pair], Iterator[str]]) -> Check:
        CHECKS[name] = Check(name, severity, func)
        return CHECKS[name]

    return register


def check_pair(
    source: str,
    target: str,
    source_lang: str,
    target_lang: str,
    terms: Sequence[Mapping[str, str]] = (),
) -> list[Finding]:
    """Run every check on one pair; an empty (or blank) target gives no findings."""
    if not target.strip():
        return []
    pair = Pair(source, target, source_lang, target_lang, terms)
    return [finding for check in CHECKS.values() for finding in check(pair)]


# --- checks ---------------------------------------------------------------------------


@_check("markers", "error")
def check_markers(pair: Pair) -> Iterator[str]:
    """Footnote and reference markers are the same multiset in both texts."""
    missing, added = _differences(pair.src.markers, pair.tgt.markers)
    for marker in dict.fromkeys(missing):
        yield f"marker {marker} is missing from the target"
    for marker in dict.fromkeys(added):
        how = "repeated" if marker in pair.src.markers else "added"
        yield f"marker {marker} is {how} in the target"


@_check("urls", "error")
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


@_check("markup", "error")
def check_markup(pair: Pair) -> Iterator[str]:
    """Inline Markdown is balanced in the target and code spans are unchanged."""
    for delimiter in sorted(_unbalanced(pair.tgt.plain) - _unbalanced(pair.src.plain)):
        yield f"unbalanced {delimiter} in the target"
    missing, added = _differences(pair.src.code, pair.tgt.code)
    for code in missing:
        yield f"code span `{code}` is missing or changed in the target"
    for code in added:
        yield f"code span `{code}` in the target is not in the source"


@_check("html", "error")
def check_html(pair: Pair) -> Iterator[str]:
    """Inline HTML is the source's: a tag added in a translation could run in the published page."""
    missing, added = _differences(pair.src.tags, pair.tgt.tags)
    for tag in added:
        yield f"HTML {tag} in the target is not in the source"
    for tag in missing:
        yield f"HTML {tag} is missing from the target"


@_check("numbers", "error")
def check_numbers(pair: Pair) -> Iterator[str]:
    """Numbers have the same values, each read in its own language's format."""
    missing, added = _number_differences(pair.src, pair.tgt)
    for number in missing:
        yield f"number {_show(number.text)!r} is missing from the target"
    for number in added:
        yield f"number {_show(number.text)!r} in the target{_reading(number)} is not in the source"


@_check("identical", "warning")
def check_identical(pair: Pair) -> Iterator[str]:
    """The target is not a copy of a source that has letters."""
    if pair.source.strip() == pair.target.strip() and any(c.isalpha() for c in pair.src.plain):
        yield "target is identical to the source"


@_check("whitespace", "warning")
def check_whitespace(pair: Pair) -> Iterator[str]:
    """Leading and trailing whitespace is the same in both texts."""
    (src_lead, src_trail), (tgt_lead, tgt_trail) = _edges(pair.source), _edges(pair.target)
    if src_lead != tgt_lead:
        yield f"leading whitespace differs: source {src_lead!r}, target {tgt_lead!r}"
    if src_trail != tgt_trail:
        yield f"trailing whitespace differs: source {src_trail!r}, target {tgt_trail!r}"


@_check("double-space", "warning")
def check_double_space(pair: Pair) -> Iterator[str]:
    """The target has no more double spaces than the source."""
    target = pair.target.strip()
    if not _DOUBLE_SPACE.search(target):
        return
    extra = len(_DOUBLE_SPACE.findall(target)) - len(_DOUBLE_SPACE.findall(pair.source.strip()))
    if extra > 0:
        yield f"{extra} double space(s) in the target not in the source"


@_check("quotes", "warning")
def check_quotes(pair: Pair) -> Iterator[str]:
    """Quotation marks follow the target language's style."""
    lang = _base(pair.target_lang)
    if lang not in _QUOTES:
        return
    wrong = _wrong_quotes(pair.tgt.plain, lang)
    if wrong:
        marks = " ".join(wrong)
        yield f"quotation marks {marks} are not {lang} style; use {_QUOTES[lang]}"


@_check("glossary", "warning")
def check_glossary(pair: Pair) -> Iterator[str]:
    """Glossary terms found in the source have an expected translation in the target."""
    if not pair.terms:
        return
    src_lang, tgt_lang = _base(pair.source_lang), _base(pair.target_lang)
    source = (pair.src.plain, fold(pair.src.plain, src_lang))
    expected: dict[str, list[str]] = {}
    for row in pair.terms:
        term, translation = row.get(src_lang), row.get(tgt_lang)
        if not (term and translation and term.strip() and translation.strip()):
            continue
        if _found(term, src_lang, False, source):
            expected.setdefault(term, []).append(translation)
    if not expected:
        return
    target = (pair.tgt.plain, fold(pair.tgt.plain, tgt_lang))
    for term, translations in expected.items():
        if any(_found(t, tgt_lang, True, target) for t in translations):
            continue
        wanted = " or ".join(repr(t) for t in translations)
        yield f"glossary term {term!r} is in the source but {wanted} is not in the target"


@_check("length", "warning")
def check_length(pair: Pair) -> Iterator[str]:
    """The length ratio is within 0.5–2 times the language pair's usual ratio."""
    src_len, tgt_len = _visible_length(pair.src.plain), _visible_length(pair.tgt.plain)
    if src_len < MIN_LENGTH:
        return
    usual = usual_ratio(pair.source_lang, pair.target_lang)
    ratio = tgt_len / src_len
    low, high = LENGTH_TOLERANCE
    if not low * usual <= ratio <= high * usual:
        yield f"target is {ratio:.2f}× the source length; usual is {usual:.2f}×"


# --- parsing --------------------------------------------------------------------------


@lru_cache(maxsize=8192)
def _parse(text: str, lang: str) -> _Text:
    """Reduce ``text`` to plain text, recording code, URLs and markers, and read numbers."""
    code: list[str] = []
    urls: list[str] = []
    markers: list[str] = []
    tags: list[str] = []
    plain = text
    if "`" in plain:
        plain = _CODE.sub(lambda m: _keep(code, m.group(2).strip()), plain)
    if "\\" in plain:
        plain = _ESCAPE.sub(_HOLE, plain)
    if "[" in plain:
        plain = MARKER.sub(lambda m: _keep(markers, m.group()), plain)
        plain = _LINK_DEST.sub(lambda m: _keep(urls, m.group(1) or m.group(2) or "", "]"), plain)
    if "<" in plain:
        plain = _AUTOLINK.sub(lambda m: _keep(urls, m.group(1)), plain)
        plain = _HTML.sub(lambda m: _keep(tags, _tag_key(m.group())), plain)
    if "://" in plain or "www." in plain:
        plain = _BARE_URL.sub(lambda m: _take_url(urls, m.group()), plain)
    if "][" in plain:
        plain = _REF_LABEL.sub(lambda m: _keep(urls, f"[{_label(m.group(1))}]", "]"), plain)
    if "&" in plain:
        plain = _ENTITY.sub(_decode_entity, plain)
    urls = [url for url in urls if url]
    return _Text(
        plain, tuple(code), tuple(urls), tuple(markers), _readings(plain, lang), tuple(tags)
    )


_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)([^<>]*?)/?>")
_ATTRIBUTE = re.compile(
    r"""([A-Za-z_:][-A-Za-z0-9_:.]*)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'=<>`]+))?"""
)
_KEPT_ATTRIBUTES = re.compile(r"href|src|on\w+|style", re.IGNORECASE)


def _tag_key(tag: str) -> str:
    """What of an inline HTML tag a translation must keep: its name, links, handlers and styles.

    A translated ``title`` or ``alt``, ``<BR>`` for ``<br/>`` and a comment's text are fine.

    >>> _tag_key('<ABBR title="United Nations">'), _tag_key("<br/>"), _tag_key("<!-- not -->")
    ('<abbr>', '<br>', '<!---->')
    >>> _tag_key('<img src=x onerror="alert(1)">')
    '<img onerror="alert(1)" src=x>'
    """
    match = _TAG.fullmatch(tag)
    if match is None:
        return "<!---->" if tag.startswith("<!--") else tag
    closing, name, rest = match.groups()
    kept = sorted(
        m.group(0) for m in _ATTRIBUTE.finditer(rest) if _KEPT_ATTRIBUTES.fullmatch(m.group(1))
    )
    return "<" + closing + " ".join([name.lower(), *kept]) + ">"


def _keep(bucket: list[str], item: str, replacement: str = _HOLE) -> str:
    bucket.append(item)
    return replacement


def _take_url(urls: list[str], url: str) -> str:
    """Record a bare URL without trailing punctuation; give back the punctuation."""
    tail = _URL_TAIL.search(url)
    cut = tail.start() if tail else len(url)
    while url[cut : cut + 1] == ")" and url.count("(", 0, cut) > url.count(")", 0, cut):
        cut += 1
    urls.append(url[:cut])
    return _HOLE + url[cut:]


def _label(label: str) -> str:
    return " ".join(label.split()).casefold()


def _decode_entity(match: re.Match[str]) -> str:
    char = html.unescape(match.group())
    return _HOLE if char in "[]*_`\\" else char


@lru_cache(maxsize=64)
def _base(lang: str) -> str:
    """Return the base language of a code.

    >>> _base("tr_TR"), _base("pt-BR"), _base("RU")
    ('tr', 'pt', 'ru')
    """
    return lang.replace("-", "_").split("_")[0].lower()


# --- numbers --------------------------------------------------------------------------


def _readings(plain: str, lang: str) -> tuple[tuple[_Number, ...], ...]:
    """Return the numbers of a plain text (dates first), once more without space grouping.

    >>> [(n.text, sorted(n.values), n.kind) for n in _readings("10.01.2024'te %12", "tr")[0]]
    ... # doctest: +NORMALIZE_WHITESPACE
    [('10', [Decimal('10')], 'number'), ('01', [Decimal('1')], 'month'),
     ('2024', [Decimal('2024')], 'number'), ('12', [Decimal('12')], 'number')]
    >>> [[n.text for n in reading] for reading in _readings("в 12 345 случаях", "ru")]
    [['12 345'], ['12', '345']]
    """
    if not _DIGIT.search(plain):
        return ((),)
    dates: list[_Number] = []
    rest = _DATE.sub(lambda m: _take_date(dates, m), plain)
    if not _group_symbol(lang).isspace():
        return (_read_all(dates, _PLAIN_NUMBER, rest, lang),)
    grouped = _read_all(dates, _SPACED_NUMBER, rest, lang)
    if not any(_ANY_SPACE.search(number.text) for number in grouped):
        return (grouped,)
    return grouped, _read_all(dates, _PLAIN_NUMBER, rest, lang)


def _read_all(
    dates: list[_Number], pattern: re.Pattern[str], rest: str, lang: str
) -> tuple[_Number, ...]:
    """Return the dates followed by the numbers ``pattern`` finds in the rest of a text."""
    found = list(dates)
    for match in pattern.finditer(rest):
        found.extend(_read_token(match.group(), lang))
    return tuple(found)


def _take_date(found: list[_Number], match: re.Match[str]) -> str:
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
    found.append(_Number(day, _decimals(days), "number"))
    found.append(_Number(month, _decimals(months), "month"))
    found.append(_Number(year, _decimals(years), "number"))
    return _HOLE


def _int_set(digits: str) -> set[int]:
    return {int(digits)}


def _decimals(values: Iterable[int]) -> frozenset[Decimal]:
    return frozenset(Decimal(value) for value in values)


@lru_cache(maxsize=16384)
def _read_token(token: str, lang: str) -> tuple[_Number, ...]:
    """Read one number token; ``H.MM`` may also be hours with optional minutes."""
    values = read_number(token, lang)
    time = _TIME.fullmatch(token)
    if time and int(time.group(1)) <= 23 and int(time.group(2)) <= 59:
        hours = _Number(token, values | {Decimal(int(time.group(1)))}, "number")
        return hours, _Number(time.group(2), _decimals([int(time.group(2))]), "minute")
    return (_Number(token, values, "number"),)


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
    group = _group_symbol(lang)
    if group.isspace():
        token = _ANY_SPACE.sub(group, token)
    own = _parse_strict(token, lang)
    if own is not None:
        return frozenset([own])
    others = {_parse_strict(token, other) for other in _FALLBACK_LOCALES if other != lang}
    others.discard(None)
    if others:
        return frozenset(value for value in others if value is not None)
    return frozenset([Decimal(_NON_DIGITS.sub("", token))])


def _parse_strict(token: str, lang: str) -> Decimal | None:
    try:
        return parse_decimal(token, locale=lang, strict=True)
    except (NumberFormatError, UnknownLocaleError, ValueError):
        return None


@lru_cache(maxsize=64)
def _group_symbol(lang: str) -> str:
    try:
        return get_group_symbol(lang)
    except (UnknownLocaleError, ValueError):
        return ","


def _number_differences(src: _Text, tgt: _Text) -> tuple[list[_Number], list[_Number]]:
    """Return numbers missing from and added to the target; none if any reading agrees."""
    months = src.has_dates and tgt.has_dates
    results = [
        (_unmatched(src_numbers, tgt_numbers, months), _unmatched(tgt_numbers, src_numbers, months))
        for src_numbers in src.readings
        for tgt_numbers in tgt.readings
    ]
    return next((result for result in results if result == ([], [])), results[0])


def _unmatched(mine: Sequence[_Number], theirs: Sequence[_Number], months: bool) -> list[_Number]:
    """Return my required numbers that no distinct number of theirs can account for."""
    if [n.values for n in mine] == [n.values for n in theirs]:
        return []
    pool = list(theirs)
    required = [n for n in mine if n.kind == "number" or (n.kind == "month" and months)]
    unmatched = []
    for number in sorted(required, key=lambda n: len(n.values)):
        match = next((i for i, other in enumerate(pool) if number.values & other.values), None)
        if match is None:
            unmatched.append(number)
        else:
            del pool[match]
    return sorted(unmatched, key=mine.index)


def _show(text: str) -> str:
    return _ANY_SPACE.sub(" ", text)


def _reading(number: _Number) -> str:
    """Say how a number was read, unless that is plain from its text."""
    values = [str(value) for value in sorted(number.values)]
    return "" if values == [number.text] else f" (read as {' or '.join(values)})"


# --- markup, quotes, whitespace, length -----------------------------------------------


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


def _wrong_quotes(plain: str, lang: str) -> list[str]:
    """Return the quotation marks in a plain text that are wrong for ``lang``.

    >>> _wrong_quotes('Он сказал: "да" и “нет”, «ну» и „вот“.', "ru")
    ['"', '“', '”']
    >>> _wrong_quotes("“İyi” ve ‘güzel’; 12\\" ekran, BM'nin", "tr")
    []
    """
    wrong = ['"'] if plain.count('"') >= 2 else []
    if lang == "ru":
        if plain.count("“") > plain.count("„"):
            wrong.append("“")
        wrong.extend(mark for mark in "”" if mark in plain)
    else:
        wrong.extend(mark for mark in "«»„" if mark in plain)
    return wrong


def _edges(text: str) -> tuple[str, str]:
    """Return the leading and trailing whitespace of a text."""
    body = text.strip()
    if not body:
        return text, ""
    return text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]


def _visible_length(plain: str) -> int:
    return len(" ".join(plain.replace(_HOLE, "").split()))


def usual_ratio(source_lang: str, target_lang: str) -> float:
    """Return the usual target/source length ratio for a language pair (1.0 if unknown).

    >>> usual_ratio("en", "ru"), round(usual_ratio("ru", "en"), 2), usual_ratio("en", "de")
    (1.15, 0.87, 1.0)
    """
    src, tgt = _base(source_lang), _base(target_lang)
    if (src, tgt) in LENGTH_RATIOS:
        return LENGTH_RATIOS[src, tgt]
    if (tgt, src) in LENGTH_RATIOS:
        return 1 / LENGTH_RATIOS[tgt, src]
    return 1.0


# --- glossary -------------------------------------------------------------------------


def fold(text: str, lang: str) -> str:
    """Return ``text`` case-folded by the rules of ``lang`` (Turkish I/İ, Russian ё = е).

    >>> fold("İSTANBUL ve IĞDIR", "tr"), fold("ISTANBUL", "en"), fold("Ёлка", "ru")
    ('istanbul ve ığdır', 'istanbul', 'елка')
    """
    if _base(lang) in ("tr", "az"):
        text = text.replace("I", "ı").replace("İ", "i")
    return text.casefold().replace("ё", "е")


def has_term(text: str, term: str, lang: str, inflected: bool = False) -> bool:
    """Tell whether a glossary term occurs in a text, as a whole word or inflected.

    >>> has_term("BMGK'nin kararı", "BMGK", "tr", inflected=True)
    True
    >>> has_term("ABD ve İngiltere", "AB", "tr", inflected=True)
    False
    >>> has_term("Совета Безопасности ООН", "Совет Безопасности", "ru", inflected=True)
    True
    >>> has_term("Irak'taki kitabı", "kitap", "tr", inflected=True)
    True
    """
    return _found(term, _base(lang), inflected, (text, fold(text, lang)))


def _found(term: str, lang: str, inflected: bool, text: tuple[str, str]) -> bool:
    """Search a term in a text given as (as written, folded)."""
    pattern, needle, acronym = _term_pattern(term, lang, inflected)
    haystack = text[0] if acronym else text[1]
    return needle in haystack and pattern.search(haystack) is not None


@lru_cache(maxsize=4096)
def _term_pattern(term: str, lang: str, inflected: bool) -> tuple[re.Pattern[str], str, bool]:
    """Compile a term's pattern; return it with a substring every match contains."""
    acronym = term != term.lower() and term == term.upper()
    words = (term if acronym else fold(term, lang)).split()
    if not words:
        return _NEVER, "", acronym
    if not inflected:
        body = r"\s+".join(re.escape(word) for word in words)
        return re.compile(rf"(?<!\w){body}(?!\w)"), words[0], acronym
    if acronym:
        body = r"\s+".join(re.escape(word) for word in words)
        return re.compile(rf"(?<!\w){body}{_NOT_AFTER_ACRONYM}"), words[0], acronym
    stems = [_stem(word, lang) for word in words]
    body = r"\w*(?:['’]\w*)?\s+".join(pattern for pattern, _ in stems)
    return re.compile(rf"(?<!\w){body}"), stems[0][1], acronym


def _stem(word: str, lang: str) -> tuple[str, str]:
    """Return a pattern for a folded word's inflected forms and its literal prefix."""
    if lang == "ru":
        stem = _RU_ENDING.sub("", word)
        stem = stem if len(stem) >= 3 else word
        return re.escape(stem), stem
    if lang == "en" and len(word) >= 4 and word[-1] in "ye":
        return re.escape(word[:-1]), word[:-1]
    if lang == "tr" and len(word) >= 3 and word[-1] in _TR_SOFT:
        return f"{re.escape(word[:-1])}[{word[-1]}{_TR_SOFT[word[-1]]}]", word[:-1]
    return re.escape(word), word
