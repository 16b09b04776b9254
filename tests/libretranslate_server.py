"""A LibreTranslate-compatible HTTP server for the tests, on 127.0.0.1 and a free port.

It implements LibreTranslate's documented API as paragraf uses it: ``GET /languages``
(``[{"code", "name", "targets"}]``) and ``POST /translate`` (a JSON or form body with
``q`` as a text or a list, ``source``, ``target``, ``format`` ``text`` or ``html``,
``api_key``), answering ``{"translatedText": …}`` in the shape of ``q``. Errors come as
``{"error": "…"}``: 400 for a missing parameter, an unknown language or a missing key
when keys are required, 403 for an unknown key, 429 and 500 when injected.

The translation is fake and deterministic: every word of every text node is reversed and
the text starts with ``⟪tr⟫ `` (the target); with ``format=html`` tags are kept as an
HTML parser reads them (``<x id="1"></x>`` stays so). :meth:`FakeLibreTranslate.drop_next`
makes the next answers lose the tags matching a pattern, as a real model sometimes does.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest

API_KEY = "paragraf-lt-key"
LANGUAGES = {"en": "English", "tr": "Turkish", "ru": "Russian"}
_WORD = re.compile(r"[^\W\d_]+")


@dataclass
class Recorded:
    """One request as the server saw it."""

    method: str
    path: str
    params: dict[str, object]
    status: int = 0

    @property
    def texts(self) -> list[str]:
        q = self.params.get("q", [])
        return list(q) if isinstance(q, list) else [str(q)]


class _Rebuilder(HTMLParser):
    """Rebuild HTML with every text node translated, tags as the parser read them."""

    def __init__(self, words) -> None:
        super().__init__(convert_charrefs=False)
        self.words, self.out = words, []

    def handle_starttag(self, tag, attrs) -> None:
        self.out.append(self.get_starttag_text() or f"<{tag}>")

    def handle_startendtag(self, tag, attrs) -> None:
        self.out.append(self.get_starttag_text() or f"<{tag}/>")

    def handle_endtag(self, tag) -> None:
        self.out.append(f"</{tag}>")

    def handle_data(self, data) -> None:
        self.out.append(self.words(data))

    def handle_entityref(self, name) -> None:
        self.out.append(f"&{name};")

    def handle_charref(self, name) -> None:
        self.out.append(f"&#{name};")


def fake_translate(text: str, target: str, html: bool) -> str:
    """The server's stand-in for a translation: words reversed, tags kept."""

    def words(part: str) -> str:
        return _WORD.sub(lambda m: m.group()[::-1], part)

    marker = f"⟪{target}⟫ "
    if not html:
        return marker + words(text)
    parser = _Rebuilder(words)
    parser.feed(text)
    parser.close()
    return marker + "".join(parser.out)


class FakeLibreTranslate:
    """The server's state: recorded requests and pending faults."""

    def __init__(self, api_key: str | None = API_KEY) -> None:
        self.api_key = api_key  # None: the server asks for no key
        self.requests: list[Recorded] = []
        self._faults: list[int] = []
        self._drops: list[re.Pattern[str]] = []
        self._lock = threading.Lock()
        self._httpd = _HTTPServer(("127.0.0.1", 0), _Handler)
        self._httpd.app = self
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_port}"

    def start(self) -> FakeLibreTranslate:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join()

    def fail_next(self, status: int, times: int = 1) -> None:
        """Answer the next ``times`` translate requests with ``status``."""
        with self._lock:
            self._faults += [status] * times

    def drop_next(self, pattern: str, times: int = 1) -> None:
        """Remove what matches ``pattern`` from the next ``times`` translate answers."""
        with self._lock:
            self._drops += [re.compile(pattern)] * times

    def translate_requests(self) -> list[Recorded]:
        return [r for r in self.requests if r.path == "/translate"]

    def handle(self, method: str, path: str, content_type: str, body: bytes) -> tuple[int, object]:
        params = _parse(content_type, body)
        record = Recorded(method, path, params)
        with self._lock:
            self.requests.append(record)
        status, payload = self._route(method, path, params)
        record.status = status
        return status, payload

    def _route(self, method: str, path: str, params: dict[str, object]) -> tuple[int, object]:
        if (method, path) == ("GET", "/languages"):
            codes = list(LANGUAGES)
            return 200, [
                {"code": c, "name": n, "targets": [t for t in codes if t != c]}
                for c, n in LANGUAGES.items()
            ]
        if (method, path) != ("POST", "/translate"):
            return 404, {"error": "Not Found"}
        key = params.get("api_key")
        if self.api_key is not None and not key:
            return 400, {"error": "Please contact the server operator to get an API key"}
        if self.api_key is not None and key != self.api_key:
            return 403, {"error": "Invalid API key"}
        with self._lock:
            fault = self._faults.pop(0) if self._faults else None
            drop = self._drops.pop(0) if self._drops else None
        if fault is not None:
            return fault, {
                "error": "Slowdown: 1 per 1 second" if fault == 429 else "Cannot translate text"
            }
        q, source, target = params.get("q"), params.get("source"), params.get("target")
        if q is None or q == "" or q == []:
            return 400, {"error": "Invalid request: missing q parameter"}
        if not source:
            return 400, {"error": "Invalid request: missing source parameter"}
        if not target:
            return 400, {"error": "Invalid request: missing target parameter"}
        if source not in LANGUAGES:
            return 400, {"error": f"{source} is not supported"}
        if target not in LANGUAGES:
            return 400, {"error": f"{target} is not supported"}
        html = params.get("format") == "html"
        texts = q if isinstance(q, list) else [q]
        out = []
        for text in texts:
            translated = fake_translate(str(text), str(target), html)
            if drop is not None:
                translated = drop.sub("", translated)
            out.append(translated)
        return 200, {"translatedText": out if isinstance(q, list) else out[0]}


def _parse(content_type: str, body: bytes) -> dict[str, object]:
    if not body:
        return {}
    if content_type.startswith("application/json"):
        data = json.loads(body)
        return data if isinstance(data, dict) else {}
    form = parse_qs(body.decode(), keep_blank_values=True)
    return {k: (v if k == "q" and len(v) > 1 else v[0]) for k, v in form.items()}


class _HTTPServer(ThreadingHTTPServer):
    app: FakeLibreTranslate
    block_on_close = False
    request_queue_size = 128  # clients connect concurrently: socketserver's 5 would drop SYNs


class _Handler(BaseHTTPRequestHandler):
    server: _HTTPServer

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        status, payload = self.server.app.handle(
            self.command, self.path.split("?")[0], self.headers.get("Content-Type", ""), body
        )
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = _serve

    def log_message(self, format: str, *args: object) -> None:
        """No access log on stderr."""


@pytest.fixture
def libretranslate_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeLibreTranslate]:
    """A running fake LibreTranslate that asks for :data:`API_KEY`; retries almost without backoff."""
    from app.mt import libretranslate

    monkeypatch.setattr(libretranslate, "BACKOFF", 0.01)
    server = FakeLibreTranslate().start()
    try:
        yield server
    finally:
        server.stop()
