"""The translation memory: approved pairs of segments, for every language pair the corpus holds.

- :mod:`app.tm.store`: the pairs in SQLite, exact and fuzzy lookup;
- :mod:`app.tm.index`: the in-memory candidate index behind fuzzy lookup;
- :mod:`app.tm.exchange`: TMX and PO files in and out;
- :mod:`app.tm.sync`: keeping the project's memory in step with its catalogs.

This module holds what they share: the pair, the match, the errors, text keys.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache
from itertools import permutations
from typing import NamedTuple

from ..errors import ParagrafError

__all__ = [
    "ImportReport",
    "Match",
    "Pair",
    "TMError",
    "diff_words",
    "normalize_lang",
]


class TMError(ParagrafError):
    """The translation memory cannot store, read, import or export something."""


@dataclass(frozen=True, slots=True)
class Match:
    """A stored pair whose source resembles the query; ``score`` is 0–100."""

    score: float
    source: str
    target: str
    origin: str


class Pair(NamedTuple):
    """One stored translation: ``source`` in ``src_lang`` rendered as ``target`` in ``tgt_lang``."""

    src_lang: str
    tgt_lang: str
    source: str
    target: str
    origin: str = ""


@dataclass(slots=True)
class ImportReport:
    """What :meth:`TranslationMemory.import_file` did: pairs stored, entries skipped by reason."""

    path: str
    entries: int = 0
    imported: int = 0
    duplicates: int = 0
    skipped: Counter[str] = field(default_factory=Counter)

    @property
    def skipped_total(self) -> int:
        """How many entries gave no pair."""
        return sum(self.skipped.values())

    def __str__(self) -> str:
        text = f"{self.path}: {self.imported} pairs imported"
        if self.duplicates:
            text += f", {self.duplicates} already in memory"
        if self.skipped:
            reasons = ", ".join(f"{why}: {n}" for why, n in sorted(self.skipped.items()))
            text += f"; {self.skipped_total} of {self.entries} entries skipped ({reasons})"
        return text


_LANG = re.compile(r"[a-z]{2,3}")


@lru_cache(maxsize=256)
def normalize_lang(code: str) -> str:
    """The primary language subtag of ``code`` in lower case.

    >>> normalize_lang("tr-TR"), normalize_lang("ru"), normalize_lang("EN_us")
    ('tr', 'ru', 'en')
    """
    primary = str(code).strip().replace("_", "-").split("-", 1)[0].lower()
    if not _LANG.fullmatch(primary):
        raise TMError(f"invalid language code {code!r}: expected one like 'en', 'tr-TR' or 'ru'")
    return primary


def clean(text: str) -> str:
    """``text`` as stored and looked up: NFC, without surrounding whitespace."""
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return text.strip()


def text_key(text: str) -> int:
    """A stable signed 64-bit hash of ``text`` (indexed in SQLite for exact lookups)."""
    digest = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


_DIFF_TOKEN = re.compile(r"\s+|\w+|[^\w\s]")


def diff_words(old: str, new: str) -> str:
    """How ``new`` differs from ``old`` word by word, as ``[-removed-]{+added+}``.

    >>> diff_words("Kedi halının üstünde uyuyor.", "Kedi kanepenin üstünde uyuyor.")
    'Kedi [-halının-]{+kanepenin+} üstünde uyuyor.'
    >>> diff_words("Ёж «спит».", "Ёж спит.")
    'Ёж [-«-]спит[-»-].'
    """
    a, b = _DIFF_TOKEN.findall(old), _DIFF_TOKEN.findall(new)
    out: list[str] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append("".join(a[i1:i2]))
            continue
        if i2 > i1:
            out.append(f"[-{''.join(a[i1:i2])}-]")
        if j2 > j1:
            out.append(f"{{+{''.join(b[j1:j2])}+}}")
    return "".join(out)


def unit_pairs(texts: Mapping[str, str], origin: str) -> list[Pair]:
    """A pair for every ordered pair of languages with a non-empty text in ``texts``."""
    by_lang: dict[str, str] = {}
    for code, text in texts.items():
        lang = normalize_lang(code)
        if lang in by_lang:
            raise TMError(f"a unit has two texts in {lang!r} ({code!r} among {sorted(texts)})")
        if text and text.strip():
            by_lang[lang] = text
    return [Pair(a, b, by_lang[a], by_lang[b], origin) for a, b in permutations(by_lang, 2)]
