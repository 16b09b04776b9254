"""Slugs as the site writes them: python-slugify, with the site's transliteration of Cyrillic.

Turkish letters lose their marks (``ç→c``, ``ş→s``, ``ı→i``, ``ğ→g``, ``ö→o``, ``ü→u``;
Unidecode, through python-slugify, does that). Cyrillic follows the default table of
Cyr-To-Lat, the WordPress plugin behind the site's Russian URLs (ISO 9 / GOST 7.79
system B: ``ц→cz``, ``х→h``, ``й→j``, ``ё→yo``, ``щ→shh``). Apostrophes vanish
(``Korea’s`` → ``koreas``), as WordPress's ``sanitize_title`` makes them.
"""

from __future__ import annotations

from slugify import slugify

__all__ = ["CYR_TO_LAT", "slug_for"]

#: Cyr-To-Lat's default table for Russian (lowercase; ъ and ь are dropped).
CYR_TO_LAT = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh",
    "з": "z", "и": "i", "й": "j", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "h", "ц": "cz",
    "ч": "ch", "ш": "sh", "щ": "shh", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
    "я": "ya",
}  # fmt: skip
_REPLACEMENTS = [["’", ""], ["'", ""], ["ʼ", ""], ["`", ""]] + [
    [k, v] for k, v in CYR_TO_LAT.items()
]


def slug_for(title: str) -> str:
    """The slug of a title.

    >>> slug_for("After the Veto: Who Will Watch North Korea’s Sanctions Now?")
    'after-the-veto-who-will-watch-north-koreas-sanctions-now'
    >>> slug_for("Montrö Sözleşmesi ve Karadeniz’de Güvenlik Dengesi")
    'montro-sozlesmesi-ve-karadenizde-guvenlik-dengesi'
    >>> slug_for("После вето: кто теперь будет следить за санкциями против КНДР?")
    'posle-veto-kto-teper-budet-sledit-za-sankcziyami-protiv-kndr'
    """
    return slugify(title.lower(), replacements=_REPLACEMENTS, max_length=200, word_boundary=True)
