"""The review page and its JSON actions: permissions, saving, conflicts, history, escaping."""

from __future__ import annotations

import re

import polib
import pytest

from app.po import catalog
from tests.deepl_server import AUTH_KEY, deepl_server  # noqa: F401
from tests.libretranslate_server import libretranslate_server  # noqa: F401
from tests.web_fixtures import SLUG, catalog_file, refresh, save_body, segment

URL = f"/review/tr/{SLUG}"
SAVE = f"{URL}/save"


def test_page_lists_segments_in_document_order(as_user, web_project) -> None:
    s = as_user("tr_translator")
    page = s.client.get(URL)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    keys = re.findall(r'<li class="seg state-(\w+)" id="seg-(\w+)"', html)
    entries = [e for e in catalog.load(catalog_file(web_project, "tr")) if not e.obsolete]
    assert len(keys) == len(entries) == 21
    assert [k for _, k in keys] == [segment(web_project, "tr", i)["key"] for i in range(21)]
    assert all(state == "untranslated" for state, _ in keys)
    # footnote/reference markers and markup are highlighted in the source
    assert '<span class="marker">[i]</span>' in html
    assert 'lang="en"' in html and 'lang="tr"' in html


def test_anonymous_is_sent_to_login_and_scripts_get_401(client) -> None:
    response = client.get(URL)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login?next=")
    assert (
        client.get(f"{URL}/history?key=x", headers={"Accept": "application/json"}).status_code
        == 401
    )


def test_translator_saves_a_draft_without_reload(as_user, web_project) -> None:
    s = as_user("tr_translator")
    seg = segment(web_project, "tr", 0)
    response = s.post_json(SAVE, save_body(seg, "Kuzey Kore-Rusya Silah Ticareti İddiaları"))
    assert response.status_code == 200, response.json
    assert response.json["status"] == "saved"
    assert response.json["segment"]["state"] == "draft"
    assert response.json["segment"]["last"]["user"] == "tr_translator"
    assert response.json["stats"]["draft"] == 1
    entry = catalog.load(catalog_file(web_project, "tr")).find(seg["msgid"])
    assert entry.msgstr == "Kuzey Kore-Rusya Silah Ticareti İddiaları" and entry.fuzzy


@pytest.mark.parametrize("action", ["approve", "unapprove"])
def test_translator_may_not_approve(as_user, web_project, action) -> None:
    s = as_user("tr_translator")
    seg = segment(web_project, "tr", 0)
    response = s.post_json(SAVE, save_body(seg, "Başlık", action))
    assert response.status_code == 403
    assert catalog.load(catalog_file(web_project, "tr")).find(seg["msgid"]).msgstr == ""


def test_reviewer_approves_and_unapproves(as_user, web_project) -> None:
    s = as_user("tr_reviewer")
    seg = segment(web_project, "tr", 0)
    response = s.post_json(SAVE, save_body(seg, "Başlık", "approve"))
    assert response.status_code == 200
    assert response.json["segment"]["state"] == "approved"
    assert response.json["stats"]["approved"] == 1
    seg = segment(web_project, "tr", 0)
    assert seg["state"] == "approved"
    response = s.post_json(SAVE, save_body(seg, "Başlık", "unapprove"))
    assert response.json["segment"]["state"] == "draft"
    assert segment(web_project, "tr", 0)["state"] == "draft"


def test_approving_empty_text_is_refused(as_user, web_project) -> None:
    s = as_user("tr_reviewer")
    response = s.post_json(SAVE, save_body(segment(web_project, "tr", 0), "  ", "approve"))
    assert response.status_code == 400
    assert "empty" in response.json["error"]


@pytest.mark.parametrize(
    "method,suffix",
    [
        ("get", ""),
        ("post_json", "/preview"),
        ("post_json", "/check"),
        ("post_json", "/dismiss"),
        ("post_json", "/approve-drafts"),
        ("get_json", "/history?key=0"),
        ("get_json", "/suggestions?key=0"),
        ("post_json", "/save"),
        ("post_json", "/draft"),
    ],
)
@pytest.mark.parametrize("user", ["tr_translator", "tr_reviewer"])
def test_other_languages_are_forbidden(as_user, web_project, method, suffix, user) -> None:
    s = as_user(user)
    url = f"/review/ru/{SLUG}{suffix}"
    if method == "get":
        response = s.client.get(url)
    elif method == "get_json":
        response = s.get_json(url)
    else:
        response = s.post_json(url, save_body(segment(web_project, "ru", 0), "Текст"))
    assert response.status_code == 403
    assert catalog.load(catalog_file(web_project, "ru"))[0].msgstr == ""


def test_admin_works_in_every_language(as_user, web_project) -> None:
    s = as_user("admin")
    for lang in ("tr", "ru"):
        assert s.client.get(f"/review/{lang}/{SLUG}").status_code == 200
        seg = segment(web_project, lang, 1)
        assert s.post_json(f"/review/{lang}/{SLUG}/save", save_body(seg, "X y", "approve")).json[
            "segment"
        ]["state"] == ("approved")


@pytest.mark.parametrize(
    "url",
    [
        f"/review/de/{SLUG}",
        f"/review/en/{SLUG}",  # the article's own language has no catalog
        "/review/tr/no-such-article",
        "/review/tr/messages",  # the UI's catalog is not an article
        "/review/tr/..%2F..%2Fpyproject",
        "/review/tr/%2e%2e",
        "/review/tr/.hidden",
        "/review/tr/..",
        f"/review/tr/{SLUG}/../../etc",
    ],
)
def test_unknown_articles_and_languages_are_404(as_user, url) -> None:
    s = as_user("admin")
    assert s.client.get(url).status_code == 404


def test_unknown_segment_is_404(as_user) -> None:
    s = as_user("tr_translator")
    assert s.get_json(f"{URL}/history?key=nope").status_code == 404
    assert (
        s.post_json(
            SAVE, {"key": "nope", "text": "", "base_text": "", "base_state": "untranslated"}
        ).status_code
        == 404
    )


@pytest.mark.parametrize(
    "body",
    [
        [],
        {"key": 5},
        {"key": "k", "text": None},
        {
            "key": "k",
            "text": "x",
            "base_text": "",
            "base_state": "untranslated",
            "action": "delete",
        },
    ],
)
def test_malformed_saves_are_400(as_user, body) -> None:
    s = as_user("tr_reviewer")
    assert s.post_json(SAVE, body).status_code in (400, 404)


def test_save_without_csrf_token_is_400(as_user, web_project) -> None:
    s = as_user("tr_reviewer")
    seg = segment(web_project, "tr", 0)
    response = s.client.post(
        SAVE, json=save_body(seg, "Başlık"), headers={"Accept": "application/json"}
    )
    assert response.status_code == 400
    response = s.post_json(SAVE, save_body(seg, "Başlık"), token="forged")
    assert response.status_code == 400
    assert segment(web_project, "tr", 0)["text"] == ""


def test_stale_save_is_a_conflict_showing_both_versions(as_user, web_project) -> None:
    ayse, admin = as_user("tr_reviewer"), as_user("admin")
    seen = segment(web_project, "tr", 3)
    assert admin.post_json(SAVE, save_body(seen, "Yöneticinin metni", "approve")).status_code == 200
    response = ayse.post_json(SAVE, save_body(seen, "Ayşe'nin metni"))
    assert response.status_code == 409
    body = response.json
    assert body["status"] == "conflict"
    assert body["segment"]["text"] == "Yöneticinin metni"
    assert body["segment"]["state"] == "approved"
    assert body["segment"]["last"]["user"] == "admin"
    assert body["mine"] == "Ayşe'nin metni"
    assert "<del>" in body["diff_html"] and "<ins>" in body["diff_html"]
    assert segment(web_project, "tr", 3)["text"] == "Yöneticinin metni"
    # "keep mine": the next save names the version the conflict showed, and wins
    again = save_body(segment(web_project, "tr", 3), "Ayşe'nin metni")
    assert ayse.post_json(SAVE, again).json["status"] == "saved"
    assert segment(web_project, "tr", 3) | {"key": ""} == {
        "key": "",
        "msgid": seen["msgid"],
        "text": "Ayşe'nin metni",
        "state": "draft",
    }


def test_same_change_twice_is_not_a_conflict(as_user, web_project) -> None:
    a, b = as_user("tr_reviewer"), as_user("admin")
    seen = segment(web_project, "tr", 10)
    assert a.post_json(SAVE, save_body(seen, "Aynı", "approve")).json["status"] == "saved"
    response = b.post_json(SAVE, save_body(seen, "Aynı", "approve"))
    assert response.status_code == 200 and response.json["status"] == "unchanged"


def test_saving_unchanged_text_keeps_an_approval(as_user, web_project) -> None:
    s = as_user("tr_reviewer")
    s.post_json(SAVE, save_body(segment(web_project, "tr", 0), "Başlık", "approve"))
    t = as_user("tr_translator")
    response = t.post_json(SAVE, save_body(segment(web_project, "tr", 0), "Başlık"))
    assert response.json["status"] == "unchanged"
    assert segment(web_project, "tr", 0)["state"] == "approved"
    # only a reviewer may change an approved translation (Weblate's review workflow)
    response = t.post_json(SAVE, save_body(segment(web_project, "tr", 0), "Başlık 2"))
    assert response.status_code == 403
    assert segment(web_project, "tr", 0) | {"key": None} == {
        **segment(web_project, "tr", 0),
        "key": None,
        "text": "Başlık",
        "state": "approved",
    }
    response = s.post_json(SAVE, save_body(segment(web_project, "tr", 0), "Başlık 2"))
    assert response.json["segment"]["state"] == "draft"  # a reviewer's edit is a draft again


def test_history_records_every_change_and_restores(as_user, web_project) -> None:
    s = as_user("tr_reviewer")
    seg = segment(web_project, "tr", 11)
    s.post_json(SAVE, save_body(seg, "Bir"))
    s.post_json(SAVE, save_body(segment(web_project, "tr", 11), "İki", "approve"))
    versions = s.get_json(f"{URL}/history?key={seg['key']}").json["versions"]
    assert [(v["user"], v["action"], v["old_text"], v["text"], v["state"]) for v in versions] == [
        ("tr_reviewer", "approve", "Bir", "İki", "approved"),
        ("tr_reviewer", "save", "", "Bir", "draft"),
    ]
    assert versions[0]["old_state"] == "draft"
    assert versions[0]["at"]
    restored = s.post_json(SAVE, save_body(segment(web_project, "tr", 11), "Bir", "restore"))
    assert restored.json["segment"] | {"last": None, "findings": None} == {
        "key": seg["key"],
        "text": "Bir",
        "state": "draft",
        "origin": "",
        "aligned": None,  # not filled from a published translation
        "last": None,
        "findings": None,
        "ready": False,  # its length is a finding: not approvable in bulk
    }
    versions = s.get_json(f"{URL}/history?key={seg['key']}").json["versions"]
    assert versions[0]["action"] == "restore" and len(versions) == 3
    # the page shows who saved last
    assert "tr_reviewer ·" in s.client.get(URL).get_data(as_text=True)


def test_history_of_another_language_is_forbidden(as_user, web_project) -> None:
    s = as_user("ru_reviewer")
    key = segment(web_project, "tr", 0)["key"]
    assert s.get_json(f"{URL}/history?key={key}").status_code == 403


def test_script_in_a_translation_is_escaped_everywhere(as_user, web_project) -> None:
    s = as_user("tr_reviewer")
    evil = '<script>alert("x")</script><img src=x onerror=alert(1)> [bağlantı](javascript:alert(2))'
    seg = segment(web_project, "tr", 3)
    refused = s.post_json(SAVE, save_body(seg, evil, "approve"))
    assert refused.status_code == 409 and refused.json["status"] == "needs-override"
    assert {f["check"] for f in refused.json["findings"]} == {"urls", "html"}
    approved = s.post_json(SAVE, save_body(seg, evil, "approve", override="escaping test"))
    assert approved.status_code == 200
    page = s.client.get(URL).get_data(as_text=True)
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
    assert "<img src=x" not in page
    history = s.get_json(f"{URL}/history?key={seg['key']}").json["versions"][0]
    assert "<script>" not in history["diff_html"] and "&lt;script&gt;" in history["diff_html"]
    preview = s.post_json(
        f"{URL}/preview", {"drafts": True, "edits": {seg["key"]: evil + "<b>x</b>"}}
    )
    html = preview.json["html"]
    assert preview.status_code == 200
    assert "<script" not in html.lower()
    assert "onerror" not in html
    assert 'href="javascript' not in html
    assert "bağlantı" in html
    assert "script-src 'self'" in preview.headers["Content-Security-Policy"]


def test_source_markup_is_escaped_and_highlighted(as_user, web_project) -> None:
    path = web_project.content_dir / "markup.md"
    path.write_text(
        "---\ntitle: Markup <b>test</b>\nlang: en\n---\n\n"
        "See **the [UN](https://un.org)** and `code` <img src=x onerror=alert(1)>.[^1]\n\n"
        "[^1]: A note.\n",
        encoding="utf-8",
    )
    refresh(web_project)
    s = as_user("tr_translator")
    html = s.client.get("/review/tr/markup").get_data(as_text=True)
    assert "<img src=x" not in html
    assert '<span class="html">&lt;img src=x onerror=alert(1)&gt;</span>' in html
    assert '<span class="url">https://un.org</span>' in html
    assert '<span class="code">`code`</span>' in html
    assert '<span class="marker">[^1]</span>' in html
    assert "Markup &lt;b&gt;test&lt;/b&gt;" in html


def test_filters_show_one_state(as_user, web_project) -> None:
    s = as_user("tr_reviewer")
    s.post_json(SAVE, save_body(segment(web_project, "tr", 0), "Onaylı", "approve"))
    s.post_json(SAVE, save_body(segment(web_project, "tr", 1), "Taslak"))
    counts = {}
    for name in ("all", "untranslated", "draft", "approved"):
        html = s.client.get(f"{URL}?filter={name}").get_data(as_text=True)
        counts[name] = len(re.findall(r'<li class="seg ', html))
        assert 'class="active"' in html
    assert counts == {"all": 21, "untranslated": 19, "draft": 1, "approved": 1}
    assert s.client.get(f"{URL}?filter=bogus").status_code == 200


def test_changed_source_shows_a_word_diff(as_user, web_project) -> None:
    s = as_user("tr_reviewer")
    seg = segment(web_project, "tr", 3)
    s.post_json(SAVE, save_body(seg, "Kuzey Kore son yıllarda yalnızlaştı.", "approve"))
    source = web_project.content_dir / f"{SLUG}.md"
    text = source.read_text(encoding="utf-8")
    source.write_text(
        text.replace("largely isolated", "almost entirely isolated"), encoding="utf-8"
    )
    refresh(web_project)
    entry = catalog.load(catalog_file(web_project, "tr"))[3]
    assert entry.fuzzy and entry.previous_msgid == seg["msgid"]
    html = s.client.get(URL).get_data(as_text=True)
    assert "<del>largely</del><ins>almost entirely</ins>" in html
    # approving clears the previous source, as Poedit does
    current = segment(web_project, "tr", 3)
    s.post_json(SAVE, save_body(current, current["text"], "approve"))
    entry = catalog.load(catalog_file(web_project, "tr"))[3]
    assert not entry.fuzzy and entry.previous_msgid is None


def test_a_segment_whose_source_changed_meanwhile_is_gone(as_user, web_project) -> None:
    s = as_user("tr_translator")
    seg = segment(web_project, "tr", 3)
    s.client.get(URL)  # the page is open
    source = web_project.content_dir / f"{SLUG}.md"
    source.write_text(
        source.read_text(encoding="utf-8").replace("largely", "mostly"), encoding="utf-8"
    )
    refresh(web_project)
    response = s.post_json(SAVE, save_body(seg, "Metin"))
    assert response.status_code == 404


def _remember(web_project, msgid: str, target: str, origin: str) -> None:
    from app.db import db_path
    from app.tm.store import TranslationMemory

    with TranslationMemory(db_path(web_project.instance_dir)) as memory:
        memory.add_unit({"en": msgid, "tr": target}, origin)


def test_provenance_is_what_the_server_offered(as_user, web_project) -> None:
    s = as_user("tr_translator")
    seg = segment(web_project, "tr", 1)
    _remember(web_project, seg["msgid"], "Bellekteki özet.", "other-article")
    [match] = s.get_json(f"{URL}/suggestions?key={seg['key']}").json["matches"]
    response = s.post_json(SAVE, save_body(seg, match["target"]))
    assert response.json["segment"]["origin"] == "Memory: other-article"
    entry = catalog.load(catalog_file(web_project, "tr"))[1]
    assert catalog.provenance(entry) == "tm other-article" and entry.fuzzy
    assert "Memory: other-article" in s.client.get(URL).get_data(as_text=True)
    # a person's edit of the text drops the machine provenance
    s.post_json(SAVE, save_body(segment(web_project, "tr", 1), "Bellekteki özet, düzeltildi."))
    assert catalog.provenance(catalog.load(catalog_file(web_project, "tr"))[1]) is None
    # a text typed by hand is a person's even if it equals nothing offered
    s.post_json(SAVE, save_body(segment(web_project, "tr", 0), "Başlık"))
    assert catalog.provenance(catalog.load(catalog_file(web_project, "tr"))[0]) is None


def test_the_client_cannot_name_a_provenance(as_user, web_project) -> None:
    s = as_user("tr_translator")
    before = catalog_file(web_project, "tr").read_bytes()
    for origin in ("deepl", "tm other", 'tm x\rmsgid "X"\rmsgstr "Y"', 'tm x\r"'):
        response = s.post_json(
            SAVE, save_body(segment(web_project, "tr", 3), "Metin", origin=origin)
        )
        assert response.status_code == 400 and "origin" in response.json["error"]
    assert catalog_file(web_project, "tr").read_bytes() == before


def test_preview_shows_what_compile_would_publish(as_user, web_project) -> None:
    s = as_user("tr_reviewer")
    s.post_json(SAVE, save_body(segment(web_project, "tr", 0), "Kuzey Kore iddiaları", "approve"))
    draft = segment(web_project, "tr", 3)
    s.post_json(SAVE, save_body(draft, "Kuzey Kore *yalnız* kaldı."))
    html = s.post_json(f"{URL}/preview", {}).json["html"]
    assert "<h1>Kuzey Kore iddiaları</h1>" in html
    assert '<time datetime="2024-01-11">11 Ocak 2024</time>' in html  # the locale's date
    assert "yalnız" not in html  # a draft is not published: the source is, in its language
    assert '<p><span lang="en">North Korea has been largely isolated' in html
    assert "Compile would not publish this version yet" in html
    with_drafts = s.post_json(f"{URL}/preview", {"drafts": True}).json["html"]
    assert '<mark class="draft">Kuzey Kore <em>yalnız</em> kaldı.</mark>' in with_drafts
    unsaved = {segment(web_project, "tr", 10)["key"]: "Kaydedilmemiş **metin**."}
    live = s.post_json(f"{URL}/preview", {"drafts": True, "edits": unsaved}).json["html"]
    assert '<mark class="draft">Kaydedilmemiş <strong>metin</strong>.</mark>' in live
    assert s.post_json(f"{URL}/preview", {"edits": [1]}).status_code == 400


def test_quality_warnings_are_shown(as_user, web_project) -> None:
    s = as_user("tr_reviewer")
    seg = segment(web_project, "tr", 4)  # ends with the reference marker [i]
    assert seg["msgid"].endswith("[i]")
    response = s.post_json(SAVE, save_body(seg, "Birçok ülke transferleri kınadı."))
    findings = response.json["segment"]["findings"]
    assert any(f["check"] == "markers" and f["severity"] == "error" for f in findings)
    html = s.client.get(URL).get_data(as_text=True)
    assert re.search(r'<li class="error" data-finding="[0-9a-f]{8}"><strong>Markers</strong>', html)


def test_memory_suggestions(as_user, web_project) -> None:
    from app.db import db_path
    from app.tm import store as tm

    seg = segment(web_project, "tr", 0)
    memory = tm.TranslationMemory(db_path(web_project.instance_dir))
    try:
        memory.add_unit(
            {"en": seg["msgid"], "tr": "Kuzey Kore-Rusya Silah Ticareti İddiaları"}, "older-article"
        )
    finally:
        close = getattr(memory, "close", None)
        if close:
            close()
    s = as_user("tr_translator")
    body = s.get_json(f"{URL}/suggestions?key={seg['key']}").json
    assert body["available"] is True
    assert body["matches"][0]["target"] == "Kuzey Kore-Rusya Silah Ticareti İddiaları"
    assert body["matches"][0]["score"] >= 99


def test_catalog_stays_plain_gettext(as_user, web_project) -> None:
    s = as_user("tr_reviewer")
    before = catalog_file(web_project, "tr").read_text(encoding="utf-8").splitlines()
    s.post_json(SAVE, save_body(segment(web_project, "tr", 12), "Altıncı paragraf.", "approve"))
    after = catalog_file(web_project, "tr").read_text(encoding="utf-8").splitlines()
    changed = [(a, b) for a, b in zip(before, after, strict=True) if a != b]
    assert changed == [('msgstr ""', 'msgstr "Altıncı paragraf."')]
    po = polib.pofile(str(catalog_file(web_project, "tr")))
    assert po.percent_translated() == 4  # 1 of 21


def test_deepl_drafting_through_the_real_module(
    as_user, web_project, monkeypatch, deepl_server
) -> None:
    monkeypatch.setenv("DEEPL_AUTH_KEY", AUTH_KEY)
    monkeypatch.setenv("DEEPL_SERVER_URL", deepl_server.url)
    s = as_user("tr_translator")
    assert 'data-action="machine"' in s.client.get(URL).get_data(as_text=True)
    seg = segment(web_project, "tr", 0)
    response = s.post_json(f"{URL}/draft", {"key": seg["key"]})
    assert response.status_code == 200, response.json
    assert response.json["origin"] == "deepl" and response.json["text"].startswith("⟨tr⟩")
    saved = s.post_json(SAVE, save_body(seg, response.json["text"]))
    assert saved.json["segment"]["origin"] == "DeepL"  # the server offered exactly this text
    # a second click is answered by the cache: billed once; "ask again" goes to DeepL
    [first] = deepl_server.translate_requests()
    assert first.params["context"].startswith(
        seg["msgid"][:0] + segment(web_project, "tr", 1)["msgid"]
    )
    again = s.post_json(f"{URL}/draft", {"key": seg["key"]})
    assert again.json["text"] == response.json["text"]
    assert len(deepl_server.translate_requests()) == 1
    billed = deepl_server.character_count
    fresh = s.post_json(f"{URL}/draft", {"key": seg["key"], "fresh": True})
    assert fresh.status_code == 200 and len(deepl_server.translate_requests()) == 2
    assert deepl_server.character_count == 2 * billed
    assert "Ask DeepL again" in s.client.get(URL).get_data(as_text=True)
    monkeypatch.delenv("DEEPL_AUTH_KEY")
    assert 'data-action="machine"' not in s.client.get(URL).get_data(as_text=True)
    assert s.post_json(f"{URL}/draft", {"key": seg["key"]}).status_code == 503


def test_approving_feeds_the_translation_memory_at_once(as_user, web_project) -> None:
    s = as_user("tr_reviewer")
    seg = segment(web_project, "tr", 1)
    url = f"{URL}/suggestions?key={seg['key']}"
    assert s.get_json(url).json["matches"] == []
    assert s.post_json(SAVE, save_body(seg, "Onaylı çeviri.", action="approve")).status_code == 200
    [match] = s.get_json(url).json["matches"]
    assert (match["score"], match["target"], match["origin"]) == (100, "Onaylı çeviri.", SLUG)
    seg = segment(web_project, "tr", 1)
    assert s.post_json(SAVE, save_body(seg, seg["text"], action="unapprove")).status_code == 200
    assert s.get_json(url).json["matches"] == []


def test_suggestions_see_catalogs_approved_outside_the_ui(as_user, web_project) -> None:
    path = catalog_file(web_project, "tr")
    po = catalog.load(path)
    entry = next(e for e in po if not e.obsolete and len(e.msgid) > 40)
    entry.msgstr = "Poedit'te onaylandı."
    catalog.save(po, path)  # as Poedit or a git pull would leave it
    s = as_user("tr_reviewer")
    key = next(
        seg["key"]
        for i in range(30)
        if (seg := segment(web_project, "tr", i))["msgid"] == entry.msgid
    )
    matches = s.get_json(f"{URL}/suggestions?key={key}").json["matches"]
    assert [m["target"] for m in matches] == ["Poedit'te onaylandı."]


def test_a_translator_cannot_relabel_an_approved_translation(as_user, web_project) -> None:
    s = as_user("tr_reviewer")
    s.post_json(SAVE, save_body(segment(web_project, "tr", 3), "Onaylı metin.", "approve"))
    t = as_user("tr_translator")
    seg = segment(web_project, "tr", 3)
    response = t.post_json(SAVE, save_body(seg, seg["text"] + " Değişti."))
    assert response.status_code == 403
    assert catalog.load(catalog_file(web_project, "tr")).find(seg["msgid"]).tcomment == ""


def test_the_button_names_the_pairs_engine_and_drafts_with_libretranslate(
    web_project, monkeypatch, libretranslate_server
) -> None:
    from app import create_app
    from tests.libretranslate_server import API_KEY
    from tests.web_fixtures import Session

    pyproject = web_project.root / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text(encoding="utf-8") + 'engines = { "en-tr" = "libretranslate" }\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("DEEPL_AUTH_KEY", AUTH_KEY)  # DeepL is set up too, but not for en-tr
    monkeypatch.setenv("LIBRETRANSLATE_URL", libretranslate_server.url)
    monkeypatch.setenv("LIBRETRANSLATE_API_KEY", API_KEY)
    app = create_app({"TESTING": True, "PROJECT_ROOT": web_project.root, "ADMIN_BOOTSTRAP": False})
    s = Session(app.test_client())
    assert s.login("tr_translator").status_code == 302
    page = s.client.get(URL).get_data(as_text=True)
    assert "Draft with LibreTranslate" in page and "Draft with DeepL" not in page
    seg = segment(web_project, "tr", 3)
    response = s.post_json(f"{URL}/draft", {"key": seg["key"]})
    assert response.status_code == 200, response.json
    assert response.json["origin"] == "libretranslate" and response.json["text"].startswith("⟪tr⟫")
    saved = s.post_json(SAVE, save_body(seg, response.json["text"]))
    assert saved.json["segment"]["origin"] == "LibreTranslate"
    assert catalog.load(catalog_file(web_project, "tr"))[3].tcomment == "draft: libretranslate"
    ru = Session(app.test_client())
    assert ru.login("ru_translator").status_code == 302
    assert "Draft with DeepL" in ru.client.get(f"/review/ru/{SLUG}").get_data(as_text=True)
