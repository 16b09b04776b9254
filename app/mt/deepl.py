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

import hashlib
import os
import threading
from collections.abc import Mapping, Sequence
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

import deepl

from ..config import Config
from ..errors import ConfigError
from . import Batch, Draft, Segment, deepl_glossary
from .batches import json_size, plan_batches
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
]

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


#: Requests in flight at once: each segment's own context makes one request per segment.
MAX_CONCURRENT = 8


@dataclass
class _Call:
    """One translation call: what it has translated, billed and requested so far."""

    translated: dict[int, str] = field(default_factory=dict)
    lost: dict[int, tuple[str, ...]] = field(default_factory=dict)
    billed: int = 0
    requests: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


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
        self._server_url = server_url
        self._auth_key = auth_key
        self._client = self._new_client()
        self._clients: list[deepl.DeepLClient] = [self._client]
        self._clients_lock = threading.Lock()
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

    def _new_client(self) -> deepl.DeepLClient:
        client = deepl.DeepLClient(self._auth_key, server_url=self._server_url)
        client.set_app_info("paragraf", _version())
        return client

    def close(self) -> None:
        """Close the HTTP sessions."""
        for client in self._clients:
            client.close()

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
    bills = True

    def check(self) -> None:
        """Ask for the usage: a bad key or an unreachable server stops a run before it starts."""
        self.usage()

    def translate(self, segments: Sequence[Segment], source_lang: str, target_lang: str) -> Batch:
        """Drafts of ``segments``, each with its own context, with the project's glossary.

        DeepL applies ``context`` to a whole request, so only segments with the same
        context share one; the requests run concurrently. Whatever fails, the error's
        ``partial`` holds what was translated before it (and what was billed for it).
        """
        call = self._run(segments, source_lang, target_lang, self._glossary_id())
        drafts = [
            Draft(call.translated[i], self.name, call.lost.get(i, ())) for i in range(len(segments))
        ]
        return Batch(list(drafts), call.billed, call.requests)

    def billable(self, text: str) -> int:
        """Characters DeepL bills for ``text``: those outside the placeholder tags."""
        return protect(text).billable

    def settings(self, source_lang: str, target_lang: str) -> str:
        """The target code, formality and glossary version: what else shapes a result."""
        glossary = ""
        if self._glossary_file is not None and self._glossary_file.is_file():
            glossary = hashlib.sha256(self._glossary_file.read_bytes()).hexdigest()[:16]
        formality = self.formality_for(target_lang) or "default"
        return f"{self.target_code(target_lang)} formality={formality} glossary={glossary}"

    # --- translating --------------------------------------------------------------------

    def translate_batch(
        self,
        texts: Sequence[str],
        source_lang: str,
        target_lang: str,
        context: str | None = None,
        glossary_id: str | None = None,
    ) -> BatchResult:
        """Translate Markdown ``texts`` sharing one ``context``, in as many requests as the limits need."""
        call = self._run(
            [Segment(t, context) for t in texts], source_lang, target_lang, glossary_id
        )
        return BatchResult(
            [call.translated[index] for index in range(len(texts))], call.billed, call.requests
        )

    def _glossary_id(self) -> str | None:
        if self._glossary_file is not None and self._glossary_file.exists():
            return self.sync_glossary(self._glossary_file)
        return None

    def _run(
        self,
        segments: Sequence[Segment],
        source_lang: str,
        target_lang: str,
        glossary_id: str | None,
    ) -> _Call:
        protected = [protect(segment.text) for segment in segments]
        call = _Call()
        groups: dict[str | None, list[int]] = {}
        for index, p in enumerate(protected):
            if p.has_text:
                groups.setdefault(segments[index].context, []).append(index)
            else:  # only code, URLs, markers: nothing to translate
                call.translated[index] = p.source
        tasks = []
        for context, indices in groups.items():
            options = self._options(source_lang, target_lang, context, glossary_id)
            overhead = json_size(_request_body(options, []))
            for batch in plan_batches([protected[i].xml for i in indices], overhead=overhead):
                tasks.append((options, [indices[position] for position in batch]))
        try:
            if len(tasks) == 1:
                self._send(self._client, call, protected, *tasks[0])
            elif tasks:
                self._concurrently(call, protected, tasks)
        except DeepLError as e:
            drafts = [
                _draft(call.translated.get(i), call.lost.get(i, ())) for i in range(len(segments))
            ]
            e.partial = Batch(drafts, call.billed, call.requests)
            raise
        return call

    def _concurrently(
        self,
        call: _Call,
        protected: list[Protected],
        tasks: list[tuple[dict[str, Any], list[int]]],
    ) -> None:
        """Send the requests at most :data:`MAX_CONCURRENT` at a time; stop at the first error."""
        local = threading.local()

        def send(options: dict[str, Any], indices: list[int]) -> None:
            client = getattr(local, "client", None)
            if client is None:  # one HTTP session per thread: the client's is not shared
                client = local.client = self._new_client()
                with self._clients_lock:
                    self._clients.append(client)
            self._send(client, call, protected, options, indices)

        with ThreadPoolExecutor(min(MAX_CONCURRENT, len(tasks))) as pool:
            futures = [pool.submit(send, options, indices) for options, indices in tasks]
            done, _pending = wait(futures, return_when=FIRST_EXCEPTION)
            failed = next((f for f in done if f.exception() is not None), None)
            if failed is not None:
                for future in futures:
                    future.cancel()
                wait(futures)
                raise failed.exception()  # type: ignore[misc]

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

    def _send(
        self,
        client: deepl.DeepLClient,
        call: _Call,
        protected: list[Protected],
        options: dict[str, Any],
        indices: list[int],
    ) -> None:
        """Send one request; on 413 split it in two and send the halves."""
        with call.lock:
            call.requests += 1
        try:
            results = client.translate_text([protected[index].xml for index in indices], **options)
        except deepl.DeepLException as e:
            if e.http_status_code == 413 and len(indices) > 1:
                half = len(indices) // 2
                self._send(client, call, protected, options, indices[:half])
                self._send(client, call, protected, options, indices[half:])
                return
            raise error_for(e, self.server_url, protected[indices[0]].source) from e
        assert isinstance(results, list)
        with call.lock:
            for index, result in zip(indices, results, strict=True):
                restored = protected[index].complete(result.text)
                call.translated[index] = restored.text
                if restored.lost:
                    call.lost[index] = restored.lost
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


def _draft(text: str | None, lost: tuple[str, ...] = ()) -> Draft | None:
    return Draft(text, DeepLEngine.name, lost) if text is not None else None


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
