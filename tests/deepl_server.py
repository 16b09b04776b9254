"""A DeepL-compatible HTTP server for the tests, on 127.0.0.1 and a free port.

It implements what the ``deepl`` client uses from DeepL's published API:
``POST /v2/translate`` (JSON or form body), ``GET /v2/usage`` and the v3 glossary
endpoints (``POST``/``GET /v3/glossaries``, ``GET``/``DELETE /v3/glossaries/{id}``,
``GET /v3/glossaries/{id}/entries``).  Like DeepL it requires
``Authorization: DeepL-Auth-Key <key>`` (403 otherwise), refuses more than 50 texts or a
body over 128 KiB (413), ``formality=more``/``less`` for a target without formality and
invalid XML under ``tag_handling_version=v2`` (400), and answers 456 past the
character limit.

The translation is fake and deterministic (:func:`fake_translate`): every word of every
text node is reversed and the text starts with ``⟨tr⟩ `` (the target language); tags
stay as they are, the content of ``ignore_tags`` is untouched, and glossary terms are
replaced by their target term verbatim, so a test sees that the glossary was used.

Every request is recorded (:attr:`FakeDeepL.requests`); :meth:`FakeDeepL.fail_next`,
:meth:`FakeDeepL.stall_next` and :meth:`FakeDeepL.drop_next` inject faults.  Use the ``deepl_server`` fixture::

    from tests.deepl_server import deepl_server  # noqa: F401
"""

from __future__ import annotations

import json
import re
import threading
import time
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import SplitResult, parse_qs, urlsplit

import deepl
import pytest

AUTH_KEY = "paragraf-test-key"
MAX_TEXTS = 50
MAX_BODY_BYTES = 128 * 1024
#: Retries the client makes in tests (its default is 5, with backoff from 1 s).
RETRIES = 2

SOURCE_LANGS = frozenset(
    "AR BG CS DA DE EL EN ES ET FI FR HU ID IT JA KO LT LV NB NL PL PT RO RU SK SL SV TR UK ZH".split()
)
TARGET_LANGS = (SOURCE_LANGS - {"EN", "PT"}) | {"EN-GB", "EN-US", "PT-BR", "PT-PT"}
FORMALITY_TARGETS = frozenset({"DE", "ES", "FR", "IT", "JA", "NL", "PL", "PT-BR", "PT-PT", "RU"})
FORMALITY_VALUES = frozenset({"default", "more", "less", "prefer_more", "prefer_less"})
LIST_PARAMS = frozenset(
    {"text", "ignore_tags", "non_splitting_tags", "splitting_tags", "glossary_ids"}
)
_WORD = re.compile(
    r"[^\W\d_]+"
)  # words of letters: numbers stay as they are, as in a real translation


@dataclass
class Recorded:
    """One request as the server saw it."""

    method: str
    path: str
    query: dict[str, str]
    params: dict[str, object]
    headers: dict[str, str]
    body_size: int
    status: int = 0

    @property
    def texts(self) -> list[str]:
        """The ``text`` parameter of a translate request."""
        texts = self.params.get("text", [])
        return list(texts) if isinstance(texts, list) else [str(texts)]


class _Reply(Exception):
    def __init__(self, status: int, payload: object = None) -> None:
        super().__init__(status)
        self.status, self.payload = status, payload


def _fail(status: int, message: str) -> _Reply:
    return _Reply(status, {"message": message})


def billable(text: str, tag_handling: bool) -> int:
    """Characters DeepL bills for ``text``: all of them, or only those outside tags."""
    if not tag_handling:
        return len(text)
    try:
        return len("".join(ET.fromstring(f"<r>{text}</r>").itertext()))
    except ET.ParseError:
        return len(text)


def fake_translate(
    text: str,
    target_lang: str,
    *,
    tag_handling: str | None = None,
    ignore_tags: tuple[str, ...] | list[str] = (),
    glossary: Mapping[str, str] | None = None,
) -> str:
    """The server's deterministic stand-in for a translation of one ``text``."""
    marker = f"⟨{target_lang.lower()}⟩ "
    words = _words(glossary or {})
    if tag_handling != "xml":
        return marker + words(text)
    root = ET.fromstring(f"<r>{text}</r>")
    _translate_tree(root, words, frozenset(ignore_tags), ignored=False)
    inner = _escape(root.text or "") + "".join(
        ET.tostring(child, encoding="unicode") for child in root
    )
    return marker + inner


def _words(glossary: Mapping[str, str]) -> Callable[[str], str]:
    terms = sorted(glossary, key=len, reverse=True)
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, terms)) + r")\b") if terms else None

    def translate(text: str) -> str:
        if pattern is None:
            return _WORD.sub(lambda m: m.group()[::-1], text)
        parts = pattern.split(text)  # odd positions are glossary terms
        return "".join(
            glossary[part] if i % 2 else _WORD.sub(lambda m: m.group()[::-1], part)
            for i, part in enumerate(parts)
        )

    return translate


def _translate_tree(
    element: ET.Element, words: Callable[[str], str], ignore: frozenset[str], ignored: bool
) -> None:
    if element.text and not ignored:
        element.text = words(element.text)
    for child in element:
        _translate_tree(child, words, ignore, ignored or child.tag in ignore)
        if child.tail and not ignored:
            child.tail = words(child.tail)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class FakeDeepL:
    """The server's state: glossaries, usage, recorded requests and pending faults."""

    def __init__(self, auth_key: str = AUTH_KEY, character_limit: int = 1_000_000) -> None:
        self.auth_key = auth_key
        self.character_limit = character_limit
        self.character_count = 0
        self.requests: list[Recorded] = []
        self.glossaries: dict[str, dict] = {}
        self._faults: list[tuple[int, str | None]] = []
        self._stalls: list[float] = []
        self._drops: list[re.Pattern[str]] = []
        self.in_flight = self.max_in_flight = 0  # requests being answered at once
        self._lock = threading.Lock()
        self._httpd = _HTTPServer(("127.0.0.1", 0), _Handler)
        self._httpd.app = self
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def url(self) -> str:
        """The base URL to give the client as ``server_url``."""
        return f"http://127.0.0.1:{self._httpd.server_port}"

    def start(self) -> FakeDeepL:
        """Serve in a background thread."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the socket."""
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join()

    def fail_next(self, status: int, times: int = 1, *, path: str | None = None) -> None:
        """Answer the next ``times`` requests (to ``path`` if given) with ``status``."""
        with self._lock:
            self._faults += [(status, path)] * times

    def stall_next(self, seconds: float, times: int = 1) -> None:
        """Wait ``seconds`` before answering each of the next ``times`` requests."""
        with self._lock:
            self._stalls += [seconds] * times

    def drop_next(self, pattern: str, times: int = 1) -> None:
        """Remove what matches ``pattern`` from every text of the next ``times`` translate answers.

        A real model sometimes loses a placeholder tag: ``drop_next(r'<x id="3"/>')``.
        """
        with self._lock:
            self._drops += [re.compile(pattern)] * times

    def translate_requests(self) -> list[Recorded]:
        """The recorded ``POST /v2/translate`` requests."""
        return [r for r in self.requests if r.path == "/v2/translate"]

    def glossary_requests(self, method: str) -> list[Recorded]:
        """The recorded requests with ``method`` to ``/v3/glossaries``."""
        return [
            r for r in self.requests if r.method == method and r.path.startswith("/v3/glossaries")
        ]

    # --- dispatch -----------------------------------------------------------------------

    def handle(
        self, method: str, target: str, headers: Mapping[str, str], body: bytes
    ) -> tuple[int, object]:
        """Answer one request: (status, JSON payload or None)."""
        url = urlsplit(target)
        query = {key: values[0] for key, values in parse_qs(url.query).items()}
        record = Recorded(method, url.path, query, {}, dict(headers), len(body))
        with self._lock:
            self.requests.append(record)
            stall = self._stalls.pop(0) if self._stalls else 0.0
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            return self._answer(record, method, url, query, headers, body, stall)
        finally:
            with self._lock:
                self.in_flight -= 1

    def _answer(
        self,
        record: Recorded,
        method: str,
        url: SplitResult,
        query: dict[str, str],
        headers: Mapping[str, str],
        body: bytes,
        stall: float,
    ) -> tuple[int, object]:
        if stall:
            time.sleep(stall)
        try:
            try:
                record.params = _parse_body(headers.get("Content-Type", ""), body)
                malformed = None
            except _Reply as reply:
                malformed = reply
            self._check_auth_and_faults(headers, url.path)
            if malformed is not None:
                raise malformed
            status, payload = self._route(method, url.path, query, record)
        except _Reply as reply:
            status, payload = reply.status, reply.payload
        record.status = status
        return status, payload

    def _check_auth_and_faults(self, headers: Mapping[str, str], path: str) -> None:
        if headers.get("Authorization") != f"DeepL-Auth-Key {self.auth_key}":
            raise _fail(403, "Authorization failure, check your authentication key")
        with self._lock:
            for position, (status, only) in enumerate(self._faults):
                if only is None or only == path:
                    del self._faults[position]
                    raise _fail(
                        status, HTTPStatus(status).phrase if status != 456 else "Quota Exceeded"
                    )

    def _route(
        self, method: str, path: str, query: dict[str, str], record: Recorded
    ) -> tuple[int, object]:
        params = record.params
        if (method, path) == ("POST", "/v2/translate"):
            if record.body_size > MAX_BODY_BYTES:
                raise _fail(413, "Request Entity Too Large")
            return 200, self._translate(params)
        if (method, path) == ("GET", "/v2/usage"):
            return 200, {
                "character_count": self.character_count,
                "character_limit": self.character_limit,
            }
        if path == "/v3/glossaries":
            if method == "POST":
                return 201, self._create_glossary(params)
            if method == "GET":
                return 200, {"glossaries": [_info(g) for g in self.glossaries.values()]}
        match = re.fullmatch(r"/v3/glossaries/([^/]+)(/entries)?", path)
        if match:
            glossary = self.glossaries.get(match.group(1))
            if glossary is None:
                raise _fail(404, "Glossary not found")
            if match.group(2) and method == "GET":
                return 200, _entries(glossary, query)
            if not match.group(2) and method == "GET":
                return 200, _info(glossary)
            if not match.group(2) and method == "DELETE":
                del self.glossaries[glossary["glossary_id"]]
                return 204, None
        raise _fail(404, f"Not found: {method} {path}")

    # --- translate ----------------------------------------------------------------------

    def _translate(self, params: dict[str, object]) -> dict[str, object]:
        texts = params.get("text")
        if not isinstance(texts, list) or not texts:
            raise _fail(400, "Parameter 'text' not specified.")
        if len(texts) > MAX_TEXTS:
            raise _fail(413, f"Too many texts: {len(texts)}, at most {MAX_TEXTS}")
        source, target = self._languages(params)
        tag_handling = params.get("tag_handling")
        version = params.get("tag_handling_version")
        if tag_handling not in (None, "xml", "html") or version not in (None, "v1", "v2"):
            raise _fail(400, "Value for 'tag_handling' or 'tag_handling_version' not supported.")
        glossary = self._glossary_for(params.get("glossary_id"), source, target)
        with self._lock:
            drop = self._drops.pop(0) if self._drops else None
        ignore = params.get("ignore_tags") or []
        assert isinstance(ignore, list)
        results = []
        for text in texts:
            try:
                translated = fake_translate(
                    str(text),
                    target,
                    tag_handling=str(tag_handling) if tag_handling else None,
                    ignore_tags=[str(tag) for tag in ignore],
                    glossary=glossary,
                )
            except ET.ParseError as e:
                if version == "v2":
                    raise _fail(400, "Tag handling parsing failed, please check input.") from e
                translated = fake_translate(str(text), target, glossary=glossary)
            results.append(drop.sub("", translated) if drop is not None else translated)
        # DeepL bills the source's characters; with tag handling, those of the tags are free.
        billed = [billable(str(text), bool(tag_handling)) for text in texts]
        with self._lock:
            if self.character_count + sum(billed) > self.character_limit:
                raise _fail(456, "Quota Exceeded")
            self.character_count += sum(billed)
        return {
            "translations": [
                self._result(t, b, source, params) for t, b in zip(results, billed, strict=True)
            ]
        }

    def _languages(self, params: dict[str, object]) -> tuple[str | None, str]:
        target = str(params.get("target_lang", "")).upper()
        source = str(params["source_lang"]).upper() if params.get("source_lang") else None
        if target in ("EN", "PT"):
            raise _fail(400, f"Value for 'target_lang' not supported: {target!r} is deprecated")
        if target not in TARGET_LANGS:
            raise _fail(400, f"Value for 'target_lang' not supported: {target!r}")
        if source is not None and source not in SOURCE_LANGS:
            raise _fail(400, f"Value for 'source_lang' not supported: {source!r}")
        formality = params.get("formality")
        if formality is not None and formality not in FORMALITY_VALUES:
            raise _fail(400, f"Value for 'formality' not supported: {formality!r}")
        if formality in ("more", "less") and target not in FORMALITY_TARGETS:
            raise _fail(400, "'formality' is not supported for given 'target_lang'.")
        return source, target

    def _glossary_for(
        self, glossary_id: object, source: str | None, target: str
    ) -> dict[str, str] | None:
        if glossary_id is None:
            return None
        if source is None:
            raise _fail(
                400, "Use of a glossary requires the 'source_lang' parameter to be specified."
            )
        glossary = self.glossaries.get(str(glossary_id))
        if glossary is None:
            raise _fail(400, f"Glossary {glossary_id} not found")
        base = target.split("-")[0].lower()
        for dictionary in glossary["dictionaries"]:
            if (dictionary["source_lang"], dictionary["target_lang"]) == (source.lower(), base):
                return dictionary["entries"]
        raise _fail(400, f"Glossary has no dictionary for {source.lower()}-{base}")

    def _result(
        self, text: str, billed: int, source: str | None, params: dict[str, object]
    ) -> dict[str, object]:
        result: dict[str, object] = {"detected_source_language": source or "EN", "text": text}
        if params.get("show_billed_characters") in (True, "1", "true", "True"):
            result["billed_characters"] = billed
        return result

    # --- glossaries ---------------------------------------------------------------------

    def _create_glossary(self, params: dict[str, object]) -> dict[str, object]:
        name = params.get("name")
        dictionaries = params.get("dictionaries")
        if not name or not isinstance(dictionaries, list) or not dictionaries:
            raise _fail(400, "Missing 'name' or 'dictionaries'")
        parsed = [_parse_dictionary(d) for d in dictionaries]
        glossary_id = str(uuid.uuid4())
        glossary = {
            "glossary_id": glossary_id,
            "name": name,
            "creation_time": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z",
            "dictionaries": parsed,
        }
        with self._lock:
            self.glossaries[glossary_id] = glossary
        return _info(glossary)


def _parse_dictionary(dictionary: object) -> dict[str, object]:
    if not isinstance(dictionary, dict) or dictionary.get("entries_format") != "tsv":
        raise _fail(400, "Each dictionary needs source_lang, target_lang and tsv entries")
    entries = {}
    for line in str(dictionary.get("entries", "")).splitlines():
        source, tab, target = line.partition("\t")
        if not tab or not source or not target or "\t" in target or source in entries:
            raise _fail(400, f"Invalid glossary entry: {line!r}")
        entries[source] = target
    return {
        "source_lang": str(dictionary.get("source_lang", "")).lower(),
        "target_lang": str(dictionary.get("target_lang", "")).lower(),
        "entries": entries,
    }


def _info(glossary: dict) -> dict[str, object]:
    return {
        "glossary_id": glossary["glossary_id"],
        "name": glossary["name"],
        "creation_time": glossary["creation_time"],
        "dictionaries": [
            {
                "source_lang": d["source_lang"],
                "target_lang": d["target_lang"],
                "entry_count": len(d["entries"]),
            }
            for d in glossary["dictionaries"]
        ],
    }


def _entries(glossary: dict, query: dict[str, str]) -> dict[str, object]:
    pair = (query.get("source_lang", "").lower(), query.get("target_lang", "").lower())
    for d in glossary["dictionaries"]:
        if (d["source_lang"], d["target_lang"]) == pair:
            tsv = "\n".join(f"{s}\t{t}" for s, t in d["entries"].items())
            languages = {"source_lang": pair[0], "target_lang": pair[1]}
            return {"dictionaries": [{**languages, "entries": tsv, "entries_format": "tsv"}]}
    raise _fail(404, "Glossary dictionary not found")


def _parse_body(content_type: str, body: bytes) -> dict[str, object]:
    if not body:
        return {}
    if content_type.startswith("application/json"):
        try:
            document = json.loads(body)
        except ValueError as e:
            raise _fail(400, f"Invalid JSON body: {e}") from e
        if not isinstance(document, dict):
            raise _fail(400, "The JSON body must be an object")
        return document
    form = parse_qs(body.decode(), keep_blank_values=True)
    params: dict[str, object] = {}
    for key, values in form.items():
        if key in LIST_PARAMS:
            params[key] = [
                v for value in values for v in (value.split(",") if key != "text" else [value])
            ]
        else:
            params[key] = values[0]
    return params


class _HTTPServer(ThreadingHTTPServer):
    app: FakeDeepL
    block_on_close = False
    request_queue_size = 128  # clients connect concurrently: socketserver's 5 would drop SYNs  # a stalled handler must not hold up stop()

    def handle_error(self, request: object, client_address: object) -> None:
        """Stay quiet when a client gave up on a stalled answer."""


class _Handler(BaseHTTPRequestHandler):
    server: _HTTPServer

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        headers = dict(self.headers.items())
        status, payload = self.server.app.handle(self.command, self.path, headers, body)
        data = b"" if payload is None else json.dumps(payload).encode()
        self.send_response(status)
        if payload is not None:
            self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_DELETE = do_PUT = do_PATCH = _serve

    def log_message(self, format: str, *args: object) -> None:
        """No access log on stderr."""


@pytest.fixture
def deepl_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeDeepL]:
    """A running fake DeepL; the client retries :data:`RETRIES` times, almost without backoff."""
    monkeypatch.setattr(deepl.http_client, "max_network_retries", RETRIES)
    monkeypatch.setattr(deepl.http_client._BackoffTimer, "BACKOFF_INITIAL", 0.01)
    monkeypatch.setattr(deepl.http_client._BackoffTimer, "BACKOFF_MAX", 0.02)
    server = FakeDeepL().start()
    try:
        yield server
    finally:
        server.stop()
