"""Finding glossary terms in a text, as whole words or inflected.

A term with no lowercase letter (``UNSC``, ``СБ ООН``, ``G20``) is an acronym, matched
case-sensitively; other terms are matched after the language's case folding. Inflected,
each word of a term matches as a prefix on a word boundary after the language
profile's stemming (a Russian word loses its final vowels, ``й`` and ``ь``, an English
word its final ``y`` or ``e``, a Turkish final ``p ç t k`` may soften to ``b c d ğ/g``);
an acronym may be followed by an apostrophe or a lowercase suffix but not by an
uppercase letter or a digit, so ``BMGK'nin`` and ``МИДа`` match and ``AB`` is not in
``ABD``.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .. import langs

_NOT_AFTER_ACRONYM = r"(?![0-9A-ZÀ-ÖØ-ÞĞİŞА-ЯЁ_])"
_NEVER = re.compile(r"(?!)")


def fold(text: str, lang: str) -> str:
    """Return ``text`` case-folded by the rules of ``lang`` (Turkish I/İ, Russian ё = е).

    >>> fold("İSTANBUL ve IĞDIR", "tr"), fold("ISTANBUL", "en"), fold("Ёлка", "ru")
    ('istanbul ve ığdır', 'istanbul', 'елка')
    """
    return langs.profile(lang).fold(text)


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
    return found(term, langs.base(lang), inflected, (text, fold(text, lang)))


def found(term: str, lang: str, inflected: bool, text: tuple[str, str]) -> bool:
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
    profile = langs.profile(lang)
    stems = [profile.stem(word) for word in words]
    body = r"\w*(?:['’]\w*)?\s+".join(pattern for pattern, _ in stems)
    return re.compile(rf"(?<!\w){body}"), stems[0][1], acronym
