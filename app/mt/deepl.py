"""The DeepL adapter: protected Markdown in batches, errors a user can act on, the glossary.

Every text is protected with :mod:`app.mt.placeholders` and sent with ``tag_handling="xml"``
(``tag_handling_version="v2"``, whose strict XML parsing our well-formed placeholders
satisfy), ``ignore_tags`` for the untranslatable placeholders, ``non_splitting_tags`` for
the inline ones, ``preserve_formatting`` so DeepL neither capitalizes nor adds final
punctuation, ``source_lang`` always, and ``context`` when the caller gives one.

The client does not split requests: :func:`plan_batches` keeps each request to at most
50 texts and 128 KiB of JSON body, and a 413 answer splits the batch in two and goes on.
The client retries 429 and 5xx answers and refused connections itself
(``deepl.http_client.max_network_retries``, 5 by default, with exponential backoff);
what is left after that becomes a :class:`DeepLError`.

Formality is configured per language with DeepL's values.  DeepL answers 400 to
``more``/``less`` for a target without formality (Turkish, English), so for those targets
``more``/``less`` are sent as ``prefer_more``/``prefer_less``, which DeepL accepts for
every language; ``default`` sends nothing.

The project's termbase becomes one multilingual glossary (:mod:`app.mt.deepl_glossary`);
what DeepL's errors mean is :mod:`app.mt.deepl_errors`.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

import deepl

from ..config import Config
from ..errors import ConfigError
from . import Batch, Draft, deepl_glossary
from .deepl_errors import (
    DeepLAuthError,
    DeepLConnectionError,
    DeepLError,
    DeepLRequestError,
    DeepLUnavailable,
    QuotaExceeded,
    error_for,
)
from .placeholders import IGNORE_TAGS, NON_SPLITTING_TAGS, Protected, protect

__all__ = [
    "BatchResult",
    "DeepLAuthError",
    "DeepLConnectionError",
    "DeepLEngine",
    "DeepLError",
    "DeepLRequestError",
    "DeepLUnavailable",
    "QuotaExceeded",
    "plan_batches",
]

MAX_TEXTS = 50
MAX_BODY_BYTES = 128 * 1024
#: Body bytes reserved for the parameters besides ``text`` when the caller does not say.
DEFAULT_OVERHEAD = 2048
TAG_HANDLING_VERSION = "v2"
FORMALITY_VALUES = ("default", "more", "less", "prefer_more", "prefer_less")
#: Target languages for which DeepL accepts ``formality=more``/``less``.
FORMALITY_TARGETS = frozenset({"DE", "ES", "FR", "IT", "JA", "NL", "PL", "PT-BR", "PT-PT", "RU"})
_PREFERRED = {"more": "prefer_more", "less": "prefer_less"}


@dataclass(frozen=True)
class BatchResult:
    """Translated texts in input order, characters billed and HTTP requests made."""

    texts: list[str]
    billed_characters: int
    requests: int


def plan_batches(
    texts: Sequence[str],
    *,
    overhead: int = DEFAULT_OVERHEAD,
    max_texts: int = MAX_TEXTS,
    max_bytes: int = MAX_BODY_BYTES,
) -> list[list[int]]:
    """Group indices of ``texts`` into requests of at most ``max_texts`` texts and ``max_bytes``.

    ``overhead`` is the size of the JSON body without the texts.  A text too large for any
    request still gets a batch of its own (DeepL will refuse it with a 413).

    >>> [len(batch) for batch in plan_batches(["a"] * 120)]
    [50, 50, 20]
    >>> plan_batches(["a" * 60, "b" * 60, "c"], overhead=10, max_bytes=140)
    [[0, 1], [2]]
    """
    batches: list[list[int]] = []
    batch: list[int] = []
    size = overhead
    for index, text in enumerate(texts):
        cost = json_size(text)
        if batch and (len(batch) >= max_texts or size + 2 + cost > max_bytes):
            batches.append(batch)
            batch, size = [], overhead
        size += cost + (2 if batch else 0)  # ", " between list items
        batch.append(index)
    if batch:
        batches.append(batch)
    return batches


def json_size(value: object) -> int:
    """Bytes ``value`` takes in the JSON body that ``requests`` sends (ASCII-escaped)."""
    return len(json.dumps(value).encode())


@dataclass
class _Call:
    """One :meth:`DeepLEngine.translate_batch` call: its parameters and what it has done."""

    options: dict[str, Any]  # keyword arguments of translate_text
    translated: dict[int, str] = field(default_factory=dict)
    billed: int = 0
    requests: int = 0


class DeepLEngine:
    """Machine drafts from DeepL through the official ``deepl`` client."""

    def __init__(
        self,
        auth_key: str,
        server_url: str | None = None,
        *,
        formality: Mapping[str, str] | None = None,
        english_variant: str = "EN-GB",
        project: str = "",
        glossary: Path | None = None,
    ) -> None:
        if not auth_key:
            raise ConfigError("DEEPL_AUTH_KEY is empty; set it to your DeepL API key")
        self._formality = _check_formality(formality or {})
        self.english_variant = _check_variant(english_variant)
        self._client = deepl.DeepLClient(auth_key, server_url=server_url)
        self._client.set_app_info("paragraf", _version())
        self._auth_key = auth_key
        self._glossary_pairs: dict[str, frozenset[tuple[str, str]]] = {}
        # Glossaries are named per installation, so those sharing a key never delete each other's.
        self.glossary_prefix = deepl_glossary.prefix_for(project)
        self._glossary_file = glossary

    @classmethod
    def from_env(
        cls,
        settings: Config | None = None,
        *,
        environ: Mapping[str, str] | None = None,
    ) -> DeepLEngine | None:
        """An engine from ``DEEPL_AUTH_KEY``/``DEEPL_SERVER_URL``, or None without a key."""
        env = os.environ if environ is None else environ
        key = env.get("DEEPL_AUTH_KEY", "").strip()
        if not key:
            return None
        server_url = env.get("DEEPL_SERVER_URL", "").strip() or None
        if server_url and not server_url.startswith(("http://", "https://")):
            raise ConfigError(
                f"DEEPL_SERVER_URL must be an http(s) URL such as https://api.deepl.com,"
                f" got {server_url!r}"
            )
        return cls(
            key,
            server_url,
            formality=settings.formality if settings else {},
            english_variant=settings.english_variant if settings else "EN-GB",
            project=deepl_glossary.instance_label(settings) if settings else "",
            glossary=settings.glossary_path if settings else None,
        )

    @property
    def server_url(self) -> str:
        """The DeepL server requests go to."""
        return str(self._client.server_url)

    def close(self) -> None:
        """Close the HTTP session."""
        self._client.close()

    def __enter__(self) -> DeepLEngine:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # --- languages ----------------------------------------------------------------------

    def source_code(self, lang: str) -> str:
        """DeepL's source code for ``lang``: ``en`` → ``EN``, ``en-us`` → ``EN``."""
        return lang.split("-")[0].split("_")[0].upper()

    def target_code(self, lang: str) -> str:
        """DeepL's target code for ``lang``: ``tr`` → ``TR``, ``en`` → the English variant."""
        code = lang.replace("_", "-").upper()
        return self.english_variant if code == "EN" else code

    def formality_for(self, target_lang: str) -> str | None:
        """The ``formality`` value to send for ``target_lang``, or None to send none."""
        code = self.target_code(target_lang)
        value = self._formality.get(code.lower()) or self._formality.get(
            self.source_code(code).lower()
        )
        if value is None or value == "default":
            return None
        return value if code in FORMALITY_TARGETS else _PREFERRED.get(value, value)

    # --- the engine protocol ------------------------------------------------------------

    name = "deepl"
    label = "DeepL"

    def check(self) -> None:
        """Ask for the usage: a bad key or an unreachable server stops a run before it starts."""
        self.usage()

    def translate(
        self, texts: Sequence[str], source_lang: str, target_lang: str, context: str | None = None
    ) -> Batch:
        """Drafts of ``texts`` with the project's glossary.

        Whatever fails, the error's ``partial`` holds what was translated before it (and
        what was billed for it), so nothing already paid for is lost.
        """
        glossary_id = None
        if self._glossary_file is not None and self._glossary_file.exists():
            glossary_id = self.sync_glossary(self._glossary_file)
        result = self.translate_batch(texts, source_lang, target_lang, context, glossary_id)
        return Batch(
            [Draft(t, self.name) for t in result.texts], result.billed_characters, result.requests
        )

    def billable(self, text: str) -> int:
        """Characters DeepL bills for ``text``: those outside the placeholder tags."""
        return protect(text).billable

    # --- translating --------------------------------------------------------------------

    def translate_batch(
        self,
        texts: Sequence[str],
        source_lang: str,
        target_lang: str,
        context: str | None = None,
        glossary_id: str | None = None,
    ) -> BatchResult:
        """Translate Markdown ``texts``, in as many requests as the limits need."""
        protected = [protect(text) for text in texts]
        call = _Call(self._options(source_lang, target_lang, context, glossary_id))
        pending = [index for index, p in enumerate(protected) if p.has_text]
        for index, p in enumerate(protected):
            if not p.has_text:  # only code, URLs, markers: nothing to translate
                call.translated[index] = p.source
        overhead = json_size(_request_body(call.options, []))
        xmls = [protected[index].xml for index in pending]
        try:
            for batch in plan_batches(xmls, overhead=overhead):
                self._send(call, protected, [pending[position] for position in batch])
        except DeepLError as e:
            drafts = [_draft(call.translated.get(i)) for i in range(len(texts))]
            e.partial = Batch(drafts, call.billed, call.requests)
            raise
        return BatchResult(
            [call.translated[index] for index in range(len(texts))], call.billed, call.requests
        )

    def _options(
        self, source_lang: str, target_lang: str, context: str | None, glossary_id: str | None
    ) -> dict[str, Any]:
        source, target = self.source_code(source_lang), self.target_code(target_lang)
        options: dict[str, Any] = {
            "source_lang": source,
            "target_lang": target,
            "tag_handling": "xml",
            "tag_handling_version": TAG_HANDLING_VERSION,
            "ignore_tags": list(IGNORE_TAGS),
            "non_splitting_tags": list(NON_SPLITTING_TAGS),
            "preserve_formatting": True,
        }
        formality = self.formality_for(target_lang)
        if formality is not None:
            options["formality"] = formality
        if context is not None:
            options["context"] = context
        if glossary_id is not None and self._glossary_covers(glossary_id, source, target):
            options["glossary"] = glossary_id
        return options

    def _glossary_covers(self, glossary_id: str, source: str, target: str) -> bool:
        pairs = self._glossary_pairs.get(glossary_id)
        return pairs is None or (source, self.source_code(target)) in pairs

    def _send(self, call: _Call, protected: list[Protected], indices: list[int]) -> None:
        """Send one request; on 413 split it in two and send the halves."""
        call.requests += 1
        try:
            results = self._client.translate_text(
                [protected[index].xml for index in indices], **call.options
            )
        except deepl.DeepLException as e:
            if e.http_status_code == 413 and len(indices) > 1:
                half = len(indices) // 2
                self._send(call, protected, indices[:half])
                self._send(call, protected, indices[half:])
                return
            raise error_for(e, self.server_url, protected[indices[0]].source) from e
        assert isinstance(results, list)
        for index, result in zip(indices, results, strict=True):
            call.translated[index] = protected[index].restore(result.text)
            call.billed += result.billed_characters

    def usage(self) -> tuple[int | None, int | None]:
        """Characters translated this billing period and the limit (None when unknown)."""
        try:
            usage = self._client.get_usage()
        except deepl.DeepLException as e:
            raise error_for(e, self.server_url) from e
        return usage.character.count, usage.character.limit

    def sync_glossary(self, path: Path | str) -> str | None:
        """Make DeepL hold the termbase at ``path`` as one glossary; return its id, or None."""
        glossary_id, pairs = deepl_glossary.sync(
            self._client, self._auth_key, self.glossary_prefix, path
        )
        if glossary_id is not None:
            self._glossary_pairs[glossary_id] = pairs
        return glossary_id


def _draft(text: str | None) -> Draft | None:
    return Draft(text, DeepLEngine.name) if text is not None else None


def _request_body(options: Mapping[str, object], texts: list[str]) -> dict[str, object]:
    """The JSON body the client builds from ``translate_text(texts, **options)``."""
    body = {("glossary_id" if key == "glossary" else key): value for key, value in options.items()}
    return {**body, "text": texts, "show_billed_characters": True}


def _check_formality(formality: Mapping[str, str]) -> dict[str, str]:
    checked = {}
    for lang, value in formality.items():
        if value not in FORMALITY_VALUES:
            raise ConfigError(
                f"[tool.paragraf] formality.{lang}: must be one of"
                f" {', '.join(FORMALITY_VALUES)}, got {value!r}"
            )
        checked[str(lang).lower()] = value
    return checked


def _check_variant(variant: str) -> str:
    if variant.upper() not in ("EN-GB", "EN-US"):
        raise ConfigError(
            f"[tool.paragraf] english_variant: must be 'EN-GB' or 'EN-US', got {variant!r}"
        )
    return variant.upper()


def _version() -> str:
    try:
        return metadata.version("paragraf")
    except metadata.PackageNotFoundError:
        return "0"
