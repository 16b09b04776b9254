"""One profile per language: what the checks, the memory and the pages need to know of it.

A profile holds the rules that differ by language and that Babel's locale data does
not give: the quotation marks in use, the usual length of a text next to English,
case folding and word stemming for glossary matching, and the locales whose number
formats a writer of the language may fall back on. Babel gives the rest (number
formats, plural forms, native names, dates).

A configured language without a profile gets :data:`GENERIC` (no quote check, a
length ratio of 1, plain case folding, no stemming); ``paragraf check`` says so.
To add a language, add its :class:`Profile` to :data:`PROFILES`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from babel import Locale, UnknownLocaleError

__all__ = [
    "GENERIC",
    "PROFILES",
    "Profile",
    "base",
    "date_locale",
    "guess",
    "missing_profiles",
    "name_in",
    "native_name",
    "profile",
    "usual_ratio",
]

_RU_ENDING = re.compile(r"[аеиоуыэюяйь]+$")
_TR_SOFT = {"p": "b", "ç": "c", "t": "d", "k": "ğg"}


@dataclass(frozen=True)
class Profile:
    """The language-specific rules of one language."""

    code: str
    #: The quotation marks to use, as shown in messages ("« »"); empty: not checked.
    quotes: str = ""
    #: Marks that are never right in this language.
    wrong_quotes: str = ""
    #: An opening and a closing mark of nested quotes: the closing one must not outnumber it.
    nested_quotes: tuple[str, str] | None = None
    #: Characters of a text in this language for one character of the same text in English.
    length: float = 1.0
    #: Other locales whose number format (1,250.5 / 1.250,5 / 1 250,5) a text may use.
    number_fallbacks: tuple[str, ...] = ()
    #: Its commonest short words, to tell a text in it from one in another language.
    common_words: frozenset[str] = frozenset()

    def fold(self, text: str) -> str:
        """``text`` case-folded by this language's rules (Turkish I/İ, Russian ё = е)."""
        if self.code in ("tr", "az"):
            text = text.replace("I", "ı").replace("İ", "i")
        return text.casefold().replace("ё", "е")  # ё is optional in Russian writing

    def stem(self, word: str) -> tuple[str, str]:
        """A regex for a folded word's inflected forms, and the literal prefix every form has."""
        if self.code == "ru":
            stem = _RU_ENDING.sub("", word)
            stem = stem if len(stem) >= 3 else word
            return re.escape(stem), stem
        if self.code == "en" and len(word) >= 4 and word[-1] in "ye":
            return re.escape(word[:-1]), word[:-1]
        if self.code == "tr" and len(word) >= 3 and word[-1] in _TR_SOFT:
            return f"{re.escape(word[:-1])}[{word[-1]}{_TR_SOFT[word[-1]]}]", word[:-1]
        return re.escape(word), word


_EN = "the of and to in a is that for on with as by was it this are be from at which has"
_TR = "ve bir bu da de ile için olarak olan gibi daha çok ancak ise kadar sonra göre ya değil"
_RU = "и в не на что с по как это из к для о от а но же его она то при так также был"
PROFILES: dict[str, Profile] = {
    "en": Profile(
        "en", "“ ”", "«»„", length=1.0, number_fallbacks=("tr", "ru"),
        common_words=frozenset(_EN.split()),
    ),
    "tr": Profile(
        "tr", "“ ”", "«»„", length=1.05, number_fallbacks=("en", "ru"),
        common_words=frozenset(_TR.split()),
    ),
    "ru": Profile(
        "ru", "« »", "”", ("„", "“"), length=1.15, number_fallbacks=("en", "tr"),
        common_words=frozenset(_RU.split()),
    ),
}  # fmt: skip
GENERIC = Profile("")


@lru_cache(maxsize=256)
def base(code: str) -> str:
    """The primary language subtag of a code, in lower case.

    >>> base("tr_TR"), base("pt-BR"), base("RU")
    ('tr', 'pt', 'ru')
    """
    return code.strip().replace("-", "_").split("_")[0].lower()


def profile(code: str) -> Profile:
    """The profile of a language code (``tr``, ``tr-TR``), else the generic one."""
    found = PROFILES.get(base(code))
    if found is not None:
        return found
    return Profile(base(code)) if code else GENERIC


def guess(text: str, candidates: tuple[str, ...]) -> str | None:
    """Which of ``candidates`` ``text`` is written in, by its common words (None: cannot tell).

    >>> guess("Türkiye ve Rusya arasında bir anlaşma imzalandı; bu da bölge için önemli.", ("en", "tr", "ru"))
    'tr'
    """
    words = re.findall(r"[^\W\d_]+", text.casefold())
    scores = {lang: sum(1 for w in words if w in profile(lang).common_words) for lang in candidates}
    best = max(scores, key=lambda lang: scores[lang], default=None)
    if best is None or scores[best] < 3:
        return None
    if sorted(scores.values())[-2:-1] == [scores[best]]:
        return None  # a tie
    return best


def missing_profiles(codes: tuple[str, ...]) -> list[str]:
    """The configured languages that have no profile, so that checks use generic rules."""
    return [code for code in codes if base(code) not in PROFILES]


def usual_ratio(source_lang: str, target_lang: str) -> float:
    """The usual target/source length ratio of a language pair.

    >>> usual_ratio("en", "ru"), round(usual_ratio("ru", "en"), 2), usual_ratio("en", "de")
    (1.15, 0.87, 1.0)
    """
    return profile(target_lang).length / profile(source_lang).length


def date_locale(lang: str, english_variant: str = "EN-GB") -> str:
    """The Babel locale dates are written in: English follows the configured variant.

    >>> date_locale("en", "EN-GB"), date_locale("en", "EN-US"), date_locale("tr")
    ('en_GB', 'en_US', 'tr')
    """
    if base(lang) == "en":
        return "en_" + english_variant.split("-")[-1].upper()
    return lang


@lru_cache(maxsize=256)
def name_in(lang: str, locale: str) -> str:
    """The language's name in another language: ``name_in("tr", "ru")`` is "турецкий"."""
    try:
        return Locale.parse(locale).languages.get(base(lang)) or lang
    except (UnknownLocaleError, ValueError):
        return lang


@lru_cache(maxsize=64)
def native_name(lang: str) -> str:
    """The language's name in itself, capitalized as in a menu: "English", "Türkçe", "Русский"."""
    name = Locale.parse(lang).get_display_name(lang) or lang
    return name[:1].upper() + name[1:]
