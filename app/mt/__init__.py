"""Machine translation: the engine protocol, and the engines a project drafts with.

An engine turns segments (a msgid in inline Markdown, and the text around it in its
article as context) into drafts, each with the provenance written into the catalog
(``# draft: <origin>``). Segments without words are drafted first
(:mod:`app.mt.figures`), then exact matches of the translation memory
(:mod:`app.mt.memory`), then the machine engine configured for the language pair:
DeepL (:mod:`app.mt.deepl`) or a self-hosted LibreTranslate
(:mod:`app.mt.libretranslate`), through the cache of every result already paid for
(:mod:`app.mt.cache`). The drafting job and the review UI only ever see this
protocol; an engine never sees Flask or a catalog.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from ..config import Config
from ..errors import ConfigError, ParagrafError

__all__ = [
    "ENGINE_LABELS",
    "Batch",
    "Draft",
    "Engine",
    "MTError",
    "NotConfigured",
    "QuotaExceeded",
    "Segment",
    "machine_engine",
    "machine_label",
    "not_configured",
]

#: The engines by their name in ``[tool.paragraf] engines`` and provenance, and as people see them.
ENGINE_LABELS = {"deepl": "DeepL", "libretranslate": "LibreTranslate"}


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
class Segment:
    """A text to translate and its context: the blocks around it in its article."""

    text: str
    context: str | None = None


@dataclass(frozen=True)
class Draft:
    """A machine draft of one text, and its provenance (``deepl``, ``tm <slug>``).

    ``lost`` names the placeholders (markers, URLs, links) the engine dropped and that
    could not be put back unambiguously: the draft needs them checked.
    """

    text: str
    origin: str
    lost: tuple[str, ...] = ()


@dataclass
class Batch:
    """What an engine gave for segments: a draft each (None: nothing), and what it cost."""

    drafts: list[Draft | None] = field(default_factory=list)
    billed: int = 0  # characters billed by the engine
    requests: int = 0  # HTTP requests made
    saved: int = 0  # characters the cache answered without billing
    cached: int = 0  # drafts the cache answered
    over_budget: int = 0  # segments left undrafted because the budget would be exceeded


class Engine(Protocol):
    """A source of drafts."""

    #: The name written as provenance and shown in summaries (``deepl``).
    name: str
    #: The name shown to translators (``DeepL``).
    label: str
    #: Whether the characters it is sent are billed (a self-hosted server bills none).
    bills: bool

    def check(self) -> None:
        """Make sure the engine can be used (a key, a server) before anything changes."""

    def translate(self, segments: Sequence[Segment], source_lang: str, target_lang: str) -> Batch:
        """Drafts of ``segments``, in order."""

    def billable(self, text: str) -> int:
        """Characters the engine would bill for ``text`` (for a dry run and the budget)."""

    def settings(self, source_lang: str, target_lang: str) -> str:
        """What besides the text and context shapes its results (formality, glossary): a cache key."""

    def usage(self) -> tuple[int | None, int | None]:
        """Characters billed this period and the limit (None when the engine does not say)."""

    def close(self) -> None:
        """Release what the engine holds (an HTTP session)."""


def not_configured(engine: str) -> str:
    """What to set to draft with ``engine``."""
    if engine == "libretranslate":
        return (
            "LibreTranslate is not configured: drafting segments without words and from the"
            " translation memory only. Set LIBRETRANSLATE_URL (and LIBRETRANSLATE_API_KEY if"
            " the server asks for one) to add LibreTranslate drafts."
        )
    return (
        "DeepL is not configured: drafting segments without words and from the translation"
        " memory only. Set DEEPL_AUTH_KEY (and DEEPL_SERVER_URL for a proxy or a test server)"
        " to add DeepL drafts."
    )


NOT_CONFIGURED = not_configured("deepl")


def _configured(name: str, env: Mapping[str, str]) -> bool:
    if name == "deepl":
        return bool(env.get("DEEPL_AUTH_KEY", "").strip())
    if name == "libretranslate":
        return bool(env.get("LIBRETRANSLATE_URL", "").strip())
    return False


def machine_engine(
    config: Config, source_lang: str, target_lang: str, environ: Mapping[str, str] | None = None
) -> Engine | None:
    """The machine engine configured for a language pair, or None (local drafts only)."""
    env = os.environ if environ is None else environ
    name = config.engine_for(source_lang, target_lang)
    if not _configured(name, env):
        return None
    if name == "deepl":
        from .deepl import DeepLEngine  # the client library is loaded only when a key is set

        return DeepLEngine.from_env(config, environ=env)
    if name == "libretranslate":
        from .libretranslate import LibreTranslateEngine

        return LibreTranslateEngine.from_env(env)
    raise ConfigError(f"unknown machine engine {name!r}")  # config validation prevents this


def machine_label(
    config: Config, source_lang: str, target_lang: str, environ: Mapping[str, str] | None = None
) -> str | None:
    """The name of the engine configured for a pair, for the UI (None: none is)."""
    env = os.environ if environ is None else environ
    name = config.engine_for(source_lang, target_lang)
    return ENGINE_LABELS.get(name) if _configured(name, env) else None
