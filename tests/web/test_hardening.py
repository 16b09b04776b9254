"""What an attacker or a careless user tried on the review UI, each as a test (issue 9)."""

from __future__ import annotations

import json
import time

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from app import db, logins, users
from app.po import catalog
from app.po import text as boundary
from tests.project_fixtures import msgfmt_check
from tests.web_fixtures import PASSWORD, SLUG, Session, catalog_file, save_body, segment

URL = f"/review/tr/{SLUG}"
SAVE = f"{URL}/save"


def post_raw(s: Session, body: str):
    """POST a JSON body as bytes, as a hand-made request would."""
    token = s.token("/auth/profile")
    return s.client.post(
        SAVE,
        data=body.encode("utf-8", "surrogatepass"),
        headers={
            "X-CSRFToken": token,
            "Accept": "application/json",
            "Content-Type": "application/json",
        },
    )


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("Birinci satır\u2028ikinci satır", "Birinci satır\nikinci satır"),
        ("Word'ün satır sonu\x0bburada", "Word'ün satır sonu\nburada"),
    ],
)
def test_a_line_break_of_any_kind_is_kept_as_a_line_break(
    as_user, web_project, typed, stored
) -> None:
    s = as_user("tr_translator")
    response = s.post_json(SAVE, save_body(segment(web_project, "tr", 3), typed))
    assert response.status_code == 200 and response.json["segment"]["text"] == stored
    entry = catalog.load(catalog_file(web_project, "tr"))[3]
    assert entry.msgstr == stored
    msgfmt_check(catalog_file(web_project, "tr"))


@pytest.mark.parametrize("char", ["\x0c", "\x08", "\x00", "\u2029", "\x85\x1c", "\x1e"])
def test_a_character_no_catalog_keeps_is_refused_and_nothing_changes(
    as_user, web_project, char
) -> None:
    s = as_user("tr_translator")
    before = catalog_file(web_project, "tr").read_bytes()
    response = s.post_json(SAVE, save_body(segment(web_project, "tr", 3), f"metin{char}sonu"))
    assert response.status_code == 400 and "cannot be stored in a catalog" in response.json["error"]
    assert catalog_file(web_project, "tr").read_bytes() == before
    assert s.client.get(URL).status_code == 200  # the page still opens for everyone


def test_a_lone_surrogate_is_a_400_not_a_500(as_user, web_project) -> None:
    s = as_user("tr_translator")
    seg = segment(web_project, "tr", 3)
    body = json.dumps(save_body(seg, "x")).replace('"x"', '"a\\ud800b"')
    response = post_raw(s, body)
    assert response.status_code == 400 and "U+D800" in response.json["error"]


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(max_size=120))
@example("\x0b\x0c\u2028\u2029\x85\x00\ud800")
@example('tm x\rmsgid "X"\rmsgstr "Y"')
def test_any_text_through_the_save_route(as_user, web_project, text: str) -> None:
    s = as_user("tr_translator")
    path = catalog_file(web_project, "tr")
    seg = segment(web_project, "tr", 4)
    before = path.read_bytes()
    response = s.post_json(SAVE, save_body(seg, text))
    if response.status_code >= 400:
        assert response.status_code in (400, 403) and path.read_bytes() == before
        return
    acknowledged = response.json["segment"]["text"]
    assert catalog.load(path)[4].msgstr == acknowledged
    assert acknowledged == (boundary.text(text, "t") if text.strip() else "")
    msgfmt_check(path)
    assert len([e for e in catalog.load(path) if not e.obsolete]) == 21  # no entry was added


def test_signing_out_ends_the_session_on_the_server(as_user) -> None:
    s = as_user("tr_translator")
    copied = s.client.get_cookie("session").value
    assert s.post_form("/auth/logout", {}).status_code == 302
    thief = s.client.application.test_client()
    thief.set_cookie("session", copied)
    assert thief.get("/").status_code == 302  # the copied cookie is worth nothing


def test_an_idle_session_ends(as_user, web_project) -> None:
    s = as_user("tr_translator")
    conn = db.connect(db.db_path(web_project.instance_dir))
    with conn:
        conn.execute("UPDATE sessions SET seen = seen - ?", (logins.IDLE_SECONDS + 1,))
    conn.close()
    assert s.client.get("/").status_code == 302


def test_a_password_change_ends_the_other_sessions_on_the_server(as_user) -> None:
    first, second = as_user("tr_reviewer"), as_user("tr_reviewer")
    copied = second.client.get_cookie("session").value
    new = "a much better password"
    response = first.post_form(
        "/auth/profile", {"action": "password", "current": PASSWORD, "new": new, "confirm": new}
    )
    assert response.status_code == 302
    assert first.client.get("/").status_code == 200  # the one who changed it stays
    thief = first.client.application.test_client()
    thief.set_cookie("session", copied)
    assert thief.get("/").status_code == 302


def test_wrong_passwords_slow_down_then_lock_until_an_admin_unlocks(
    session, as_user, web_project
) -> None:
    for _ in range(logins.FREE_ATTEMPTS):
        assert session.login("tr_translator", "wrong password").status_code == 401
    slowed = session.login("tr_translator", PASSWORD)  # even the right password must wait now
    assert slowed.status_code == 429 and int(slowed.headers["Retry-After"]) >= 1
    conn = db.connect(db.db_path(web_project.instance_dir))
    with conn:  # let time pass, and count up to the lock
        conn.execute(
            "UPDATE login_failures SET failures = ?, last = ? WHERE key LIKE 'user:%'",
            (logins.LOCK_AFTER - 1, time.time() - logins.MAX_DELAY - 1),
        )
        conn.execute("DELETE FROM login_failures WHERE key LIKE 'addr:%'")
    conn.close()
    assert session.login("tr_translator", "wrong again").status_code == 401
    locked = session.login("tr_translator", PASSWORD)
    assert locked.status_code == 403 and "locked" in locked.get_data(as_text=True)
    admin = as_user("admin")
    page = admin.client.get("/auth/users").get_data(as_text=True)
    assert "locked after too many wrong passwords" in page
    conn = db.connect(db.db_path(web_project.instance_dir))
    user_id = users.find_user(conn, "tr_translator").id
    conn.close()
    admin.post_form(f"/auth/users/{user_id}", {"action": "unlock"})
    assert session.login("tr_translator", PASSWORD).status_code == 302


def test_the_address_is_slowed_across_accounts(session) -> None:
    for n in range(logins.FREE_ATTEMPTS):
        session.login(f"guess{n}", "wrong password")
    assert session.login("tr_reviewer", PASSWORD).status_code == 429


@pytest.mark.parametrize(
    "target", ["/\r\nSet-Cookie: x=1", "/%0d%0a", "/\x00", "/ok\nLocation: //evil"]
)
def test_next_with_control_characters_goes_to_the_dashboard(session, target) -> None:
    response = session.client.post(
        "/auth/login",
        data={
            "name": "tr_translator",
            "password": PASSWORD,
            "next": target,
            "csrf_token": session.token(),
        },
    )
    assert response.status_code == 302 and response.headers["Location"] in ("/", target)
    assert "\n" not in response.headers["Location"] and "\r" not in response.headers["Location"]


def test_look_alike_user_names_are_one_name(as_user, web_project) -> None:
    conn = db.connect(db.db_path(web_project.instance_dir))
    try:
        users.add_user(
            conn, "script", PASSWORD, "translator", ["tr"], known_langs=web_project.languages
        )
        for twin in ("ｓｃｒｉｐｔ", "SCRIPT", "Script"):
            with pytest.raises(users.UserError, match="already exists"):
                users.add_user(
                    conn, twin, PASSWORD, "translator", ["tr"], known_langs=web_project.languages
                )
        assert users.find_user(conn, "ｓｃｒｉｐｔ").name == "script"
        assert (
            users.add_user(
                conn, "ﬁle", PASSWORD, "translator", [], known_langs=web_project.languages
            ).name
            == "file"
        )
    finally:
        conn.close()


def test_errors_name_project_paths_not_server_paths(as_user, web_project) -> None:
    path = catalog_file(web_project, "tr")
    path.write_text(path.read_text(encoding="utf-8") + '\nmsgid "broken\n', encoding="utf-8")
    s = as_user("tr_translator")
    page = s.client.get(URL)
    text = page.get_data(as_text=True)
    assert page.status_code == 500 and f"translations/tr/LC_MESSAGES/{SLUG}.po:" in text
    assert str(web_project.root) not in text
    dashboard = s.client.get("/").get_data(as_text=True)
    assert "unreadable catalog" in dashboard and str(web_project.root) not in dashboard
