"""``paragraf user …`` and ``paragraf serve``."""

from __future__ import annotations

import flask
import pytest
from click.testing import CliRunner

from app import db, users
from app.cli import main
from tests.web_fixtures import make_project


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.setattr(users, "PASSWORD_METHOD", "pbkdf2:sha256:1000")
    config = make_project(tmp_path / "p")
    monkeypatch.chdir(config.root)
    return config


def run(*args: str, input: str | None = None):
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


def test_user_add_reads_the_password_from_stdin(project) -> None:
    result = run(
        "user",
        "add",
        "ayşe",
        "--role",
        "reviewer",
        "--lang",
        "tr",
        "--password-stdin",
        input="s3cret-pass\n",
    )
    assert result.exit_code == 0, result.output
    assert "created reviewer ayşe (tr)" in result.output
    conn = db.connect(db.db_path(project.instance_dir))
    try:
        assert users.authenticate(conn, "ayşe", "s3cret-pass").langs == ("tr",)
    finally:
        conn.close()


def test_user_add_prompts_twice(project) -> None:
    result = run(
        "user",
        "add",
        "ivan",
        "--lang",
        "ru",
        "--lang",
        "tr",
        input="long password\nlong password\n",
    )
    assert result.exit_code == 0, result.output
    assert "created translator ivan (ru, tr)" in result.output
    listed = run("user", "list").output
    assert "ivan\ttranslator\tru tr" in listed


@pytest.mark.parametrize(
    "args,error",
    [
        (["--lang", "de"], "'de' is not configured"),
        (["--role", "boss"], "Invalid value for '--role'"),
    ],
)
def test_user_add_errors(project, args, error) -> None:
    result = run("user", "add", "x", *args, "--password-stdin", input="long password\n")
    assert result.exit_code != 0 and error in result.output


def test_user_add_refuses_short_passwords_and_duplicates(project) -> None:
    assert "at least 8" in run("user", "add", "x", "--password-stdin", input="short\n").output
    run("user", "add", "x", "--password-stdin", input="long password\n")
    result = run("user", "add", "X", "--password-stdin", input="long password\n")
    assert result.exit_code == 1 and "already exists" in result.output


def test_user_passwd_and_remove(project) -> None:
    run("user", "add", "x", "--password-stdin", input="long password\n")
    assert run("user", "passwd", "x", "--password-stdin", input="another one\n").exit_code == 0
    conn = db.connect(db.db_path(project.instance_dir))
    try:
        assert users.authenticate(conn, "x", "another one") is not None
    finally:
        conn.close()
    assert run("user", "remove", "x").output == "removed x\n"
    assert run("user", "remove", "x").exit_code == 1


def test_serve_runs_the_app(project, monkeypatch) -> None:
    seen = {}

    def fake_run(self, host, port, **options):
        seen.update(app=self, host=host, port=port, **options)

    monkeypatch.setattr(flask.Flask, "run", fake_run)
    result = run("serve", "--host", "0.0.0.0", "--port", "8123")
    assert result.exit_code == 0, result.output
    assert seen["host"] == "0.0.0.0" and seen["port"] == 8123 and seen["threaded"]
    assert seen["app"].instance_path == str(project.instance_dir)
    assert "one-time password" in result.output  # the first start created the admin


def test_serve_defaults(project, monkeypatch) -> None:
    seen = {}
    monkeypatch.setattr(
        flask.Flask, "run", lambda self, host, port, **kw: seen.update(host=host, port=port)
    )
    run("serve")
    assert seen == {"host": "127.0.0.1", "port": 5000}


def test_serve_outside_a_project(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("serve")
    assert result.exit_code == 1 and "no pyproject.toml" in result.output


def test_the_last_admin_cannot_be_removed_or_demoted(project) -> None:
    assert (
        run(
            "user", "add", "boss", "--role", "admin", "--password-stdin", input="s3cret-pass\n"
        ).exit_code
        == 0
    )
    result = run("user", "remove", "boss")
    assert (
        result.exit_code == 1
        and "it is the last admin; make another user admin first" in result.output
    )
    conn = db.connect(db.db_path(project.instance_dir))
    try:
        boss = users.find_user(conn, "boss")
        with pytest.raises(users.UserError, match="last admin"):
            users.update_user(conn, boss.id, known_langs=project.languages, role="reviewer")
        users.add_user(conn, "deputy", "s3cret-pass", "admin", [], known_langs=project.languages)
        users.update_user(conn, boss.id, known_langs=project.languages, role="reviewer")
        assert users.find_user(conn, "boss").role == "reviewer"
    finally:
        conn.close()
    assert run("user", "remove", "boss").exit_code == 0


def test_user_unlock(project) -> None:
    from app import logins

    run("user", "add", "ayse", "--password-stdin", input="s3cret-pass\n")
    conn = db.connect(db.db_path(project.instance_dir))
    try:
        logins.failed(conn, [logins.account_key("ayse")] * 1)
        conn.execute("UPDATE login_failures SET failures = 99, locked = 1")
        conn.commit()
    finally:
        conn.close()
    assert "unlocked ayse" in run("user", "unlock", "ayse").output
    assert "ayse was not locked" in run("user", "unlock", "ayse").output
