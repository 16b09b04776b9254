"""The LibreTranslate adapter: a self-hosted engine, for texts that must not leave the newsroom.

It speaks LibreTranslate's documented HTTP API: ``GET /languages`` (the pairs the
server has models for) and ``POST /translate`` with ``q`` (a list of texts), ``source``,
``target``, ``format="html"`` and ``api_key`` when one is set. Texts are protected with
:mod:`app.mt.placeholders` like DeepL's, and sent in batches of at most 50 texts and
128 KiB (:mod:`app.mt.batches`). LibreTranslate takes no context, so a batch shares
none. Its errors come as ``{"error": "…"}`` with 400 (a bad request, or a key the server
requires), 403 (a key it does not know, or a ban), 429 (slow down) and 500; 429, 5xx and
refused connections are retried with backoff, up to :data:`RETRIES` times.

LibreTranslate bills nothing; the characters sent are still counted, so a budget and
the cache's savings read the same as DeepL's.

Configured by ``LIBRETRANSLATE_URL`` (and ``LIBRETRANSLATE_API_KEY``), and chosen per
language pair in ``[tool.paragraf] engines``.
"""

from __future__ import annotations

import re
import time
from collections.abc import Mapping, Sequence
from typing import Any

import requests

from ..errors import ConfigError
from . import Batch, Draft, MTError, Segment
from .batches import json_size, plan_batches
from .placeholders import Protected, protect

__all__ = ["LibreTranslateEngine", "LibreTranslateError"]

RETRIES = 3
BACKOFF = 0.5  # seconds before the first retry; doubled each time
TIMEOUT = (10, 120)  # connect, read
_SELF_CLOSING = re.compile(r'<x id="([0-9]+)"/>')


class LibreTranslateError(MTError):
    """LibreTranslate could not translate; the message names the server and the fix."""


class LibreTranslateEngine:
    """Machine drafts from a LibreTranslate server."""

    name = "libretranslate"
    label = "LibreTranslate"
    bills = False

    def __init__(self, url: str, api_key: str = "") -> None:
        if not url.startswith(("http://", "https://")):
            raise ConfigError(
                f"LIBRETRANSLATE_URL must be an http(s) URL such as http://127.0.0.1:5000, got {url!r}"
            )
        self.url = url.rstrip("/")
        self.api_key = api_key
        self._session = requests.Session()
        self._session.headers["User-Agent"] = "paragraf"
        self._languages: dict[str, frozenset[str]] | None = None

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> LibreTranslateEngine:
        """An engine from ``LIBRETRANSLATE_URL`` and ``LIBRETRANSLATE_API_KEY``."""
        return cls(
            environ.get("LIBRETRANSLATE_URL", "").strip(),
            environ.get("LIBRETRANSLATE_API_KEY", "").strip(),
        )

    def close(self) -> None:
        """Close the HTTP session."""
        self._session.close()

    # --- the engine protocol ------------------------------------------------------------

    def check(self) -> None:
        """Ask for the languages: an unreachable server stops a run before it starts."""
        self.languages()

    def languages(self) -> dict[str, frozenset[str]]:
        """Source code → the target codes the server translates it into."""
        if self._languages is None:
            answer = self._request("GET", "/languages", None, "")
            if not isinstance(answer, list):
                raise LibreTranslateError(f"{self.url}/languages answered {answer!r}, not a list")
            self._languages = {
                str(item["code"]): frozenset(str(t) for t in item.get("targets", []))
                for item in answer
                if isinstance(item, dict) and "code" in item
            }
        return self._languages

    def translate(self, segments: Sequence[Segment], source_lang: str, target_lang: str) -> Batch:
        """Drafts of ``segments`` (their contexts are not used: LibreTranslate takes none)."""
        source, target = _code(source_lang), _code(target_lang)
        known = self.languages()
        if target not in known.get(source, frozenset()):
            raise LibreTranslateError(
                f"{self.url} does not translate {source} into {target} (its pairs: "
                f"{', '.join(f'{s}→{t}' for s in sorted(known) for t in sorted(known[s])) or 'none'});"
                " install the model, or choose another engine for the pair in [tool.paragraf] engines"
            )
        protected = [protect(segment.text) for segment in segments]
        drafts: list[Draft | None] = [None] * len(segments)
        result = Batch(drafts)
        pending = []
        for index, p in enumerate(protected):
            if p.has_text:
                pending.append(index)
            else:
                drafts[index] = Draft(p.source, self.name)
        base = {"source": source, "target": target, "format": "html"}
        if self.api_key:
            base["api_key"] = self.api_key
        texts = [_html(protected[i]) for i in pending]
        try:
            for batch in plan_batches(texts, overhead=json_size({**base, "q": []})):
                indices = [pending[position] for position in batch]
                self._send(base, protected, indices, drafts, result)
        except LibreTranslateError as e:
            e.partial = result
            raise
        return result

    def billable(self, text: str) -> int:
        """Characters sent for ``text`` (LibreTranslate bills nothing, but a budget counts them)."""
        return protect(text).billable

    def settings(self, source_lang: str, target_lang: str) -> str:
        """The server: another server may have other models."""
        return f"{self.url} {_code(target_lang)}"

    def usage(self) -> tuple[int | None, int | None]:
        """A self-hosted server has no quota."""
        return None, None

    # --- HTTP ---------------------------------------------------------------------------

    def _send(
        self,
        base: dict[str, str],
        protected: list[Protected],
        indices: list[int],
        drafts: list[Draft | None],
        result: Batch,
    ) -> None:
        texts = [_html(protected[i]) for i in indices]
        result.requests += 1
        answer = self._request(
            "POST", "/translate", {**base, "q": texts}, protected[indices[0]].source
        )
        translated = answer.get("translatedText") if isinstance(answer, dict) else None
        if not isinstance(translated, list) or len(translated) != len(texts):
            raise LibreTranslateError(
                f"{self.url}/translate answered {str(answer)[:200]!r}: not one translation per"
                " text; is this a LibreTranslate server (1.3 or later)?"
            )
        for index, text in zip(indices, translated, strict=True):
            restored = protected[index].complete(str(text))
            drafts[index] = Draft(restored.text, self.name, restored.lost)
            result.billed += protected[index].billable

    def _request(self, method: str, path: str, body: dict[str, Any] | None, text: str) -> Any:
        """One request, retried on 429, 5xx and refused connections; its JSON answer."""
        url = self.url + path
        delay = BACKOFF
        for attempt in range(RETRIES + 1):
            try:
                response = self._session.request(method, url, json=body, timeout=TIMEOUT)
            except requests.ConnectionError as e:
                if attempt < RETRIES:
                    time.sleep(delay)
                    delay *= 2
                    continue
                raise LibreTranslateError(
                    f"cannot reach LibreTranslate at {self.url} ({type(e).__name__}); is the server"
                    " running, and LIBRETRANSLATE_URL right?"
                ) from e
            except requests.Timeout as e:
                raise LibreTranslateError(
                    f"LibreTranslate at {self.url} did not answer in {TIMEOUT[1]} s"
                ) from e
            if (response.status_code == 429 or response.status_code >= 500) and attempt < RETRIES:
                time.sleep(delay)
                delay *= 2
                continue
            if response.status_code != 200:
                raise LibreTranslateError(self._explain(response, text))
            try:
                return response.json()
            except ValueError as e:
                raise LibreTranslateError(f"{url} answered with something that is not JSON") from e
        raise AssertionError("unreachable")

    def _explain(self, response: requests.Response, text: str) -> str:
        try:
            reason = str(response.json().get("error", ""))
        except (ValueError, AttributeError):
            reason = response.text[:200]
        status = response.status_code
        where = f"LibreTranslate at {self.url}"
        if status in (400, 403) and "key" in reason.lower():
            return (
                f"{where} refused the API key ({status}: {reason}); set LIBRETRANSLATE_API_KEY"
                " to a key the server knows"
            )
        if status == 403:
            return f"{where} refused the request ({status}: {reason}); ask its operator"
        if status == 429:
            return (
                f"{where} is rate-limiting us ({reason}); try again later or raise its --req-limit"
            )
        if status >= 500:
            return f"{where} failed ({status}: {reason}); try again later"
        snippet = f" (text {text[:40]!r}…)" if text else ""
        return f"{where} refused the request{snippet} ({status}: {reason})"


def _code(lang: str) -> str:
    return lang.replace("_", "-").split("-")[0].lower()


def _html(protected: Protected) -> str:
    """The protected text as HTML: an HTML parser reads ``<x/>`` as an opening tag, so close it."""
    return _SELF_CLOSING.sub(r'<x id="\1"></x>', protected.xml)
