"""Fixtures and helpers for the review web app: a project with the seed article, the app,
signed-in sessions, and the JSON a page script sends."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app import create_app, db, users
from app.config import Config, load_config
from app.extract import extract_all
from app.po.store import Store
from app.update import update_all
from tests.project_fixtures import PYPROJECT, SEED

SLUG = SEED.stem
PASSWORD = "correct horse battery"
# name → (role, languages)
ACCOUNTS = {
    "admin": ("admin", ()),
    "tr_translator": ("translator", ("tr",)),
    "tr_reviewer": ("reviewer", ("tr",)),
    "ru_translator": ("translator", ("ru",)),
    "ru_reviewer": ("reviewer", ("ru",)),
}
_CSRF = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


def make_project(root: Path, articles: dict[str, str] | None = None) -> Config:
    """A project at ``root`` with the seed article (and ``articles``), extracted and updated."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    (root / "content").mkdir(exist_ok=True)
    shutil.copy(SEED, root / "content" / SEED.name)
    for name, text in (articles or {}).items():
        (root / "content" / name).write_text(text, encoding="utf-8")
    return refresh(load_config(root))


def refresh(config: Config) -> Config:
    """Run extract and update, as ``paragraf extract && paragraf update`` would."""
    for report in (extract_all(config), update_all(config)):
        assert not report.errors, report.errors
    return config


def add_accounts(config: Config, accounts: dict[str, tuple[str, tuple[str, ...]]]) -> None:
    """Create users with :data:`PASSWORD`."""
    path = db.db_path(config.instance_dir)
    db.init_schema(path)
    conn = db.connect(path)
    try:
        for name, (role, langs) in accounts.items():
            users.add_user(conn, name, PASSWORD, role, langs, known_langs=config.languages)
    finally:
        conn.close()


@pytest.fixture
def web_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Config:
    """A project with the seed article's catalogs and the five test accounts."""
    monkeypatch.setattr(users, "PASSWORD_METHOD", "pbkdf2:sha256:1000")
    config = make_project(tmp_path / "project")
    add_accounts(config, ACCOUNTS)
    return config


@pytest.fixture
def app(web_project: Config) -> Iterator[Flask]:
    """The review app on the test project, CSRF protection on."""
    yield create_app({"TESTING": True, "PROJECT_ROOT": web_project.root, "ADMIN_BOOTSTRAP": False})


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A browser without a session."""
    return app.test_client()


@dataclass
class Session:
    """A test client signed in as someone, with the helpers a page script would use."""

    client: FlaskClient
    name: str | None = None

    def token(self, url: str = "/auth/login") -> str:
        """The CSRF token of this session, read from a page as the script does."""
        response = self.client.get(url)
        match = _CSRF.search(response.get_data(as_text=True))
        assert match, response.get_data(as_text=True)[:500]
        return match.group(1)

    def login(self, name: str, password: str = PASSWORD) -> Any:
        """Sign in through the form."""
        self.name = name
        return self.client.post(
            "/auth/login", data={"name": name, "password": password, "csrf_token": self.token()}
        )

    def post_form(self, url: str, data: dict[str, Any]) -> Any:
        """POST a form with the session's CSRF token."""
        return self.client.post(url, data={**data, "csrf_token": self.token("/auth/profile")})

    def post_json(self, url: str, body: dict[str, Any], *, token: str | None = None) -> Any:
        """POST JSON with the CSRF header, as review.js does."""
        token = token if token is not None else self.token("/auth/profile")
        return self.client.post(
            url, json=body, headers={"X-CSRFToken": token, "Accept": "application/json"}
        )

    def get_json(self, url: str) -> Any:
        """GET with ``Accept: application/json``."""
        return self.client.get(url, headers={"Accept": "application/json"})


@pytest.fixture
def session(app: Flask) -> Session:
    """A fresh browser session (sign in with ``session.login(name)``)."""
    return Session(app.test_client())


@pytest.fixture
def as_user(app: Flask):
    """A factory of signed-in sessions: ``as_user("tr_reviewer")``."""

    def make(name: str) -> Session:
        s = Session(app.test_client())
        response = s.login(name)
        assert response.status_code == 302, response.get_data(as_text=True)
        return s

    return make


def catalog_file(config: Config, lang: str, slug: str = SLUG) -> Path:
    """The path of an article catalog."""
    return Store(config).catalog_path(lang, slug)


def segment(config: Config, lang: str, index: int, slug: str = SLUG) -> dict[str, str]:
    """The ``index``-th active entry of a catalog as the page sends it: key, msgid, text, state."""
    from app.po import catalog
    from app.web.segments import segment_key

    entries = [e for e in catalog.load(catalog_file(config, lang, slug)) if not e.obsolete]
    entry = entries[index]
    return {
        "key": segment_key(entry.msgid),
        "msgid": entry.msgid,
        "text": entry.msgstr,
        "state": catalog.state(entry),
    }


def save_body(seg: dict[str, str], text: str, action: str = "save", **extra: Any) -> dict[str, Any]:
    """The JSON review.js posts to save ``text`` over the version ``seg`` shows."""
    return {
        "key": seg["key"],
        "text": text,
        "action": action,
        "base_text": seg["text"],
        "base_state": seg["state"],
        **extra,
    }
