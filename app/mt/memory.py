"""The translation memory as the first engine: exact matches of approved text, free.

A text approved before for the same language pair, in any catalog or imported file,
becomes a draft with the provenance ``tm <origin>`` (the article's slug or the file).
"""

from __future__ import annotations

from collections.abc import Sequence

from ..tm.store import TranslationMemory
from . import Batch, Draft, Segment


class MemoryEngine:
    """Drafts from the exact matches of a :class:`~app.tm.store.TranslationMemory`."""

    name = "tm"
    label = "Translation memory"

    def __init__(self, memory: TranslationMemory) -> None:
        self.memory = memory

    def check(self) -> None:
        """Nothing to check: the memory is local."""

    def translate(self, segments: Sequence[Segment], source_lang: str, target_lang: str) -> Batch:
        """The most recent exact match of each text, if any."""
        drafts: list[Draft | None] = []
        for segment in segments:
            match = self.memory.exact(segment.text, source_lang, target_lang)
            drafts.append(Draft(match.target, f"tm {match.origin}") if match else None)
        return Batch(drafts)

    def billable(self, text: str) -> int:
        """The memory costs nothing."""
        return 0

    def close(self) -> None:
        """The memory is closed by whoever opened it."""
