"""Segments without words (numbers, dates, symbols) as the zeroth engine: drafted locally, free.

A table cell of ``2022``, ``—`` or ``1,250.5`` needs no translator, only the target's
number form: the draft is the source with each number written as the target language
writes it (:func:`app.checks.number_forms.localize`), with the provenance ``figures``.
It is still a draft, approved by a person (in bulk, on the review page).
"""

from __future__ import annotations

from collections.abc import Sequence

from .. import langs
from ..checks import number_forms
from ..checks.plain import reduce
from . import Batch, Draft, Segment

ORIGIN = "figures"


def draft_of(text: str, source_lang: str, target_lang: str) -> Draft | None:
    """The draft of a segment without words, or None if it has words."""
    if not text.strip() or not number_forms.wordless(reduce(text, langs.base(source_lang)).plain):
        return None
    return Draft(number_forms.localize(text, source_lang, target_lang), ORIGIN)


class FiguresEngine:
    """Drafts the segments that have no words."""

    name = ORIGIN
    label = "Figures"

    def check(self) -> None:
        """Nothing to check: it is local."""

    def translate(self, segments: Sequence[Segment], source_lang: str, target_lang: str) -> Batch:
        """A draft of each text without words; None for the others."""
        return Batch([draft_of(s.text, source_lang, target_lang) for s in segments])

    def billable(self, text: str) -> int:
        """Free."""
        return 0

    def close(self) -> None:
        """Nothing to close."""
