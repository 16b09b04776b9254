"""Machine translation: the engine protocol, and the engines a project drafts with.

An engine turns a batch of msgids (inline Markdown) into drafts, each with the
provenance written into the catalog (``# draft: <origin>``). The translation memory
is the first engine (:mod:`app.mt.memory`: exact matches, free), then the machine
engine configured for the project (:mod:`app.mt.deepl`). The drafting job and the
review UI only ever see this protocol; an engine never sees Flask or a catalog.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from ..config import Config
from ..errors import ParagrafError

__all__ = [
    "Batch",
    "Draft",
    "Engine",
    "MTError",
    "NotConfigured",
    "QuotaExceeded",
    "machine_engine",
    "machine_label",
]


class MTError(ParagrafError):
    """An engine could not translate; the message says why and what to do.

    ``partial`` holds what the failed call had translated before the error, so that
    nothing already paid for is lost.
    """

    def __init__(self, message: str, partial: Batch | None = None) -> None:
        super().__init__(message)
        self.partial = partial


class QuotaExceeded(MTError):
    """The engine's character quota is used up: stop, keep what was translated."""


class NotConfigured(MTError):
    """A machine draft was asked for, but no engine is configured."""


@dataclass(frozen=True)
class Draft:
    """A machine draft of one text, and its provenance (``deepl``, ``tm <slug>``)."""

    text: str
    origin: str


@dataclass
class Batch:
    """What an engine gave for a batch: a draft per text (None: nothing), its cost."""

    drafts: list[Draft | None] = field(default_factory=list)
    billed: int = 0
    requests: int = 0


class Engine(Protocol):
    """A source of drafts."""

    #: The name written as provenance and shown in summaries (``deepl``).
    name: str
    #: The name shown to translators (``DeepL``).
    label: str

    def check(self) -> None:
        """Make sure the engine can be used (a key, a server) before anything changes."""

    def translate(
        self, texts: Sequence[str], source_lang: str, target_lang: str, context: str | None = None
    ) -> Batch:
        """Drafts of ``texts``, in order; ``context`` is the text around them."""

    def billable(self, text: str) -> int:
        """Characters the engine would bill for ``text`` (for a dry run)."""

    def close(self) -> None:
        """Release what the engine holds (an HTTP session)."""


NOT_CONFIGURED = (
    "DeepL is not configured: drafting segments without words and from the translation memory only."
    " Set DEEPL_AUTH_KEY (and DEEPL_SERVER_URL for a proxy or a test server) to add DeepL drafts."
)


def machine_engine(config: Config, environ: Mapping[str, str] | None = None) -> Engine | None:
    """The machine engine configured by the environment, or None (memory only)."""
    env = os.environ if environ is None else environ
    if not env.get("DEEPL_AUTH_KEY", "").strip():
        return None
    from .deepl import DeepLEngine  # the client library is loaded only when a key is set

    return DeepLEngine.from_env(config, environ=env)


def machine_label(environ: Mapping[str, str] | None = None) -> str | None:
    """The name of the machine engine the environment configures, for the UI (None: none)."""
    env = os.environ if environ is None else environ
    return "DeepL" if env.get("DEEPL_AUTH_KEY", "").strip() else None
