"""Sentences of a block, split by rules that know each language's abbreviations.

The splitter is sentence-splitter's (the Moses rules, with its lists of non-breaking
prefixes for English, Turkish and Russian: ``Prof. Dr.``, ``vb.``, ``т. е.``, ``г.``).
A block's inline Markdown stays whole inside its sentences (a URL has no space to split
at). Used to align translations within a paragraph and to look a sentence up in the
translation memory.
"""

from __future__ import annotations

import re
from functools import lru_cache

from sentence_splitter import SentenceSplitter, SentenceSplitterException

from . import langs

__all__ = ["split"]

# A footnote marker after a sentence's punctuation (``(EU).[i] The``) hides the sentence's
# end from the rules: it is moved before the punctuation while splitting, then back.
_MARKERS_AFTER = re.compile(r"([.!?…]+[\"'”»’)]*)((?:\[\^?[^\]\s]{1,12}\])+)(?=\s|$)")
_MOVED = re.compile("\ue030(.*?)\ue031([.!?…]+[\"'”»’)]*)")


@lru_cache(maxsize=32)
def _splitter(lang: str) -> SentenceSplitter | None:
    try:
        return SentenceSplitter(language=lang)
    except SentenceSplitterException:
        return None


@lru_cache(maxsize=4096)
def split(text: str, lang: str) -> tuple[str, ...]:
    """The sentences of ``text`` (the whole text for a language the splitter does not know).

    >>> split("Prof. Dr. Ahmet geldi. Toplantı 10.01.2024'te yapıldı.", "tr")
    ('Prof. Dr. Ahmet geldi.', "Toplantı 10.01.2024'te yapıldı.")
    >>> split("В 2024 г. цены выросли. Затем, т. е. в мае, упали.", "ru")
    ('В 2024 г. цены выросли.', 'Затем, т. е. в мае, упали.')
    >>> split("It joined the European Union (EU).[i] The vote was close.[ii]", "en")
    ('It joined the European Union (EU).[i]', 'The vote was close.[ii]')
    """
    splitter = _splitter(langs.base(lang)) or _splitter("en")
    if splitter is None or not text.strip():
        return (text,) if text.strip() else ()
    moved = _MARKERS_AFTER.sub(lambda m: f"\ue030{m.group(2)}\ue031{m.group(1)}", text)
    found = [_MOVED.sub(lambda m: m.group(2) + m.group(1), s) for s in splitter.split(moved)]
    return tuple(s for s in found if s.strip())
