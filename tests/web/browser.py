"""Headless Chromium for the UI tests: the review app served from a thread, and a page in Debian's chromium.

Playwright drives Debian's ``chromium`` through ``executable_path`` (``playwright
install`` cannot download browsers here). Screenshots go under ``tests/artifacts/``
(git-ignored). The accounts: ``ayse`` reviews Turkish, ``mehmet`` translates it.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright import sync_api
from werkzeug.serving import make_server

from app import create_app, users
from app.draft import draft_all
from tests.web_fixtures import PASSWORD, add_accounts, make_project

# A second article: a table whose figures need no translator, right-aligned.
FIGURES = """\
---
title: Shells delivered
lang: en
date: 2024-01-11
---

Deliveries rose in 2023.

| Year | Shells |
|------|-------:|
| 2022 | 1,250.5 |
| 2023 | — |
"""

# Debian's chromium must be there (make test and .ci/run install it): a missing browser fails.
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The review app served over HTTP from a thread; yields its base URL."""
    monkeypatch.setattr(users, "PASSWORD_METHOD", "pbkdf2:sha256:1000")
    config = make_project(tmp_path / "project", {"figures.md": FIGURES})
    assert not draft_all(config).errors  # no engine: the cells without words are drafted
    add_accounts(config, {"ayse": ("reviewer", ("tr",)), "mehmet": ("translator", ("tr",))})
    app = create_app({"PROJECT_ROOT": config.root, "ADMIN_BOOTSTRAP": False})
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}"
    finally:
        httpd.shutdown()
        thread.join()
        httpd.server_close()


@pytest.fixture
def chromium(server: str) -> Iterator[sync_api.Browser]:
    """Debian's chromium, headless."""
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


def new_page(browser: sync_api.Browser, locale: str = "en-GB") -> sync_api.Page:
    """A page in a fresh context whose browser asks for ``locale``."""
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale=locale)
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


@pytest.fixture
def page(chromium: sync_api.Browser) -> Iterator[sync_api.Page]:
    """A page whose browser asks for British English."""
    page = new_page(chromium)
    yield page
    page.context.close()


def focused_segment(page) -> str:
    return page.evaluate("() => document.activeElement.closest('li.seg')?.dataset.key || ''")


def sign_in(page, server: str, name: str) -> None:
    """Sign in as ``name`` and wait for the dashboard."""
    page.goto(f"{server}/auth/login")
    page.fill("#name", name)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{server}/")


def watch(page) -> list[str]:
    """Collect the page's script errors and console errors (a CSP violation is one).

    A refused request (409 for a conflict or an approval that needs an override) is an
    answer the page handles, not an error: Chromium's note about its status is left out.
    """
    problems: list[str] = []

    def console(msg) -> None:
        if msg.type == "error" and "the server responded with a status of 409" not in msg.text:
            problems.append(msg.text)

    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", console)
    return problems
