"""Accounts and safety: signing in, roles, CSRF, cookies, the first admin, the secret key."""

from __future__ import annotations

import re
import sqlite3

import pytest

from app import create_app, db, users
from tests.web_fixtures import PASSWORD, add_accounts, make_project


def test_login_and_logout(session) -> None:
    page = session.client.get("/auth/login")
    assert page.status_code == 200 and 'name="csrf_token"' in page.get_data(as_text=True)
    response = session.login("tr_translator")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert "tr_translator" in session.client.get("/").get_data(as_text=True)
    response = session.post_form("/auth/logout", {})
    assert response.status_code == 302
    assert session.client.get("/").status_code == 302


def test_wrong_password_and_unknown_user(session) -> None:
    assert session.login("tr_translator", "wrong password").status_code == 401
    assert session.login("nobody", PASSWORD).status_code == 401
    assert session.client.get("/").status_code == 302


def test_login_without_csrf_token_is_400(client) -> None:
    response = client.post("/auth/login", data={"name": "admin", "password": PASSWORD})
    assert response.status_code == 400
    assert "Reload the page" in response.get_data(as_text=True)


def test_logout_without_csrf_token_is_400(as_user) -> None:
    s = as_user("admin")
    assert s.client.post("/auth/logout").status_code == 400
    assert s.client.get("/").status_code == 200  # still signed in


@pytest.mark.parametrize(
    "target,expected",
    [
        ("/review/tr/x", "/review/tr/x"),
        ("https://evil.example/", "/"),
        ("//evil.example/", "/"),
        ("/\\evil.example", "/"),
        ("javascript:alert(1)", "/"),
    ],
)
def test_login_redirects_only_within_the_site(session, target, expected) -> None:
    token = session.token()
    response = session.client.post(
        "/auth/login",
        data={"name": "admin", "password": PASSWORD, "csrf_token": token, "next": target},
    )
    assert response.headers["Location"] == expected


def test_session_cookie_is_httponly_and_samesite_lax(session) -> None:
    response = session.login("admin")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_security_headers(client) -> None:
    response = client.get("/auth/login")
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_passwords_are_hashed(web_project) -> None:
    conn = sqlite3.connect(db.db_path(web_project.instance_dir))
    try:
        stored = [row[0] for row in conn.execute("SELECT password FROM users")]
    finally:
        conn.close()
    assert stored and all(
        PASSWORD not in h and h.startswith(("pbkdf2:", "scrypt:")) for h in stored
    )


def test_secret_key_is_generated_once_into_instance(web_project) -> None:
    first = create_app({"PROJECT_ROOT": web_project.root, "ADMIN_BOOTSTRAP": False})
    path = web_project.instance_dir / "secret_key"
    assert path.is_file() and (path.stat().st_mode & 0o777) == 0o600
    assert len(first.secret_key) == 64
    second = create_app({"PROJECT_ROOT": web_project.root, "ADMIN_BOOTSTRAP": False})
    assert second.secret_key == first.secret_key


def test_first_start_prints_a_one_time_admin_password(tmp_path, capsys, monkeypatch) -> None:
    monkeypatch.setattr(users, "PASSWORD_METHOD", "pbkdf2:sha256:1000")
    config = make_project(tmp_path / "fresh")
    app = create_app({"TESTING": True, "PROJECT_ROOT": config.root})
    err = capsys.readouterr().err
    password = re.search(r"one-time password: (\S+)", err).group(1)
    assert len(password) >= 12
    # never a fixed default: a second project gets another password
    create_app({"TESTING": True, "PROJECT_ROOT": make_project(tmp_path / "other").root})
    assert password not in capsys.readouterr().err
    # and the first project does not print one again
    create_app({"TESTING": True, "PROJECT_ROOT": config.root})
    assert "one-time password" not in capsys.readouterr().err
    client = app.test_client()
    token = re.search(r'csrf-token" content="([^"]+)', client.get("/auth/login").text).group(1)
    response = client.post(
        "/auth/login", data={"name": "admin", "password": password, "csrf_token": token}
    )
    assert response.status_code == 302
    # until they choose a password, every page leads to the profile
    assert client.get("/").headers["Location"] == "/auth/profile"
    assert client.get("/review/tr/x").headers["Location"] == "/auth/profile"
    profile = client.get("/auth/profile")
    assert "one-time password" in profile.text
    token = re.search(r'csrf-token" content="([^"]+)', profile.text).group(1)
    response = client.post(
        "/auth/profile",
        data={
            "action": "password",
            "current": password,
            "new": "my own secret",
            "confirm": "my own secret",
            "csrf_token": token,
        },
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_password_change_ends_other_sessions(as_user) -> None:
    a, b = as_user("tr_reviewer"), as_user("tr_reviewer")
    response = a.post_form(
        "/auth/profile",
        {
            "action": "password",
            "current": PASSWORD,
            "new": "a new password",
            "confirm": "a new password",
        },
    )
    assert response.status_code == 302
    assert a.client.get("/").status_code == 200
    assert b.client.get("/").status_code == 302  # signed out


@pytest.mark.parametrize(
    "form,message",
    [
        ({"current": "wrong", "new": "new password", "confirm": "new password"}, "wrong"),
        ({"current": PASSWORD, "new": "new password", "confirm": "other password"}, "differ"),
        ({"current": PASSWORD, "new": "short", "confirm": "short"}, "at least 8"),
    ],
)
def test_password_change_is_checked(as_user, form, message) -> None:
    s = as_user("tr_translator")
    response = s.post_form("/auth/profile", {"action": "password", **form})
    assert response.status_code == 400 and message in response.get_data(as_text=True)


@pytest.mark.parametrize("user", ["tr_translator", "tr_reviewer", "ru_reviewer"])
def test_only_admins_manage_users(as_user, user) -> None:
    s = as_user(user)
    assert s.client.get("/auth/users").status_code == 403
    form = {"name": "x", "password": "password1", "role": "admin"}
    assert s.post_form("/auth/users", form).status_code == 403
    assert s.post_form("/auth/users/1", {"action": "delete"}).status_code == 403


def test_admin_creates_updates_resets_and_deletes_users(as_user, web_project) -> None:
    s = as_user("admin")
    page = s.client.get("/auth/users").get_data(as_text=True)
    assert "tr_translator" in page and "ru_reviewer" in page
    response = s.post_form(
        "/auth/users",
        {"name": "zeynep", "password": "zeynep-pass", "role": "translator", "langs": ["tr"]},
    )
    assert response.status_code == 302
    conn = db.connect(db.db_path(web_project.instance_dir))
    try:
        zeynep = users.find_user(conn, "zeynep")
        assert zeynep.role == "translator" and zeynep.langs == ("tr",)
        response = s.post_form(
            f"/auth/users/{zeynep.id}",
            {"action": "update", "role": "reviewer", "langs": ["tr", "ru"]},
        )
        assert response.status_code == 302
        assert users.get_user(conn, zeynep.id).langs == ("tr", "ru")
        assert users.get_user(conn, zeynep.id).role == "reviewer"
        s.post_form(f"/auth/users/{zeynep.id}", {"action": "password", "password": "reset-pass-1"})
        assert users.get_user(conn, zeynep.id).must_change
        assert users.authenticate(conn, "zeynep", "reset-pass-1") is not None
        assert (
            s.post_form(
                "/auth/users", {"name": "zeynep", "password": "x" * 9, "role": "admin"}
            ).status_code
            == 400
        )
        assert (
            s.post_form(
                "/auth/users", {"name": "bad name", "password": "x" * 9, "role": "admin"}
            ).status_code
            == 400
        )
        assert (
            s.post_form(
                "/auth/users",
                {"name": "lang", "password": "x" * 9, "role": "translator", "langs": ["de"]},
            ).status_code
            == 400
        )
        s.post_form(f"/auth/users/{zeynep.id}", {"action": "delete"})
        assert users.find_user(conn, "zeynep") is None
        me = users.find_user(conn, "admin")
        assert s.post_form(f"/auth/users/{me.id}", {"action": "delete"}).status_code == 400
        assert (
            s.post_form(
                f"/auth/users/{me.id}", {"action": "update", "role": "translator"}
            ).status_code
            == 400
        )
        assert s.post_form("/auth/users/9999", {"action": "delete"}).status_code == 404
    finally:
        conn.close()


def test_ui_language_from_profile_else_browser(as_user, client) -> None:
    assert (
        "Giriş yap" in client.get("/auth/login", headers={"Accept-Language": "tr-TR,tr;q=0.9"}).text
    )
    assert "Войти" in client.get("/auth/login", headers={"Accept-Language": "ru"}).text
    assert "Sign in" in client.get("/auth/login", headers={"Accept-Language": "de, en;q=0.5"}).text
    s = as_user("ru_reviewer")
    assert s.post_form("/auth/profile", {"action": "language", "ui_lang": "ru"}).status_code == 302
    page = s.client.get("/", headers={"Accept-Language": "tr"}).get_data(as_text=True)
    assert "Статьи" in page and '<html lang="ru">' in page
    s.post_form("/auth/profile", {"action": "language", "ui_lang": ""})
    assert "Makaleler" in s.client.get("/", headers={"Accept-Language": "tr"}).get_data(
        as_text=True
    )
    assert s.post_form("/auth/profile", {"action": "language", "ui_lang": "xx"}).status_code == 400


def test_unknown_language_for_a_user_is_refused(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(users, "PASSWORD_METHOD", "pbkdf2:sha256:1000")
    config = make_project(tmp_path / "p")
    with pytest.raises(users.UserError, match="'de' is not configured"):
        add_accounts(config, {"x": ("translator", ("de",))})
