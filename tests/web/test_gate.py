"""The review page's checks over HTTP: live findings, the gate at approval, dismissals, bulk approval."""

from __future__ import annotations

from app import db, history
from app.po import catalog
from app.po.store import Store
from tests.web_fixtures import SLUG, catalog_file, save_body, segment

URL = f"/review/tr/{SLUG}"
SAVE = f"{URL}/save"
MARKED = 4  # "... foreign ministers from 47 countries ... Ukraine.[i]"
CLEAN = 10  # no numbers, markers or links
CLEAN_TR = (
    "Nitekim Kuzey Kore, Sovyet Sosyalist Cumhuriyetler Birliği'nden (SSCB) kalan silah ve"
    " mühimmat sistemlerinin yeni ve güncellenmiş sürümlerini üretiyor. Ancak Pyongyang'ın hem"
    " nükleer silah hem de Uzun Menzilli Kıtalararası Balistik Füze (ICBM) üretme kapasitesi"
    " ciddi düzeydedir. Bu durum, silah tedariki açısından Kuzey Kore'yi Rusya için cazip kılıyor."
)


def test_live_check_gives_the_findings_of_unsaved_text(as_user, web_project) -> None:
    s = as_user("tr_translator")
    seg = segment(web_project, "tr", MARKED)
    body = s.post_json(f"{URL}/check", {"key": seg["key"], "text": "46 ülke kınadı."}).json
    errors = [
        (f["check"], f["label"], f["message"]) for f in body["findings"] if f["severity"] == "error"
    ]
    assert errors == [
        ("markers", "Markers", "marker [i] is missing from the target"),
        ("numbers", "Numbers", "number '47' is missing from the target"),
        ("numbers", "Numbers", "number '46' in the target is not in the source"),
    ]
    assert all(len(f["key"]) == 8 and f["dismissed"] is None for f in body["findings"])
    assert catalog.load(catalog_file(web_project, "tr"))[MARKED].msgstr == ""
    assert s.post_json(f"{URL}/check", {"key": seg["key"], "text": 3}).status_code == 400


def test_live_check_speaks_the_users_language(as_user, web_project) -> None:
    s = as_user("tr_translator")
    changed = s.client.post(
        "/auth/profile",
        data={"ui_lang": "ru", "csrf_token": s.token("/auth/profile"), "action": "language"},
    )
    assert changed.status_code == 302
    seg = segment(web_project, "tr", MARKED)
    body = s.post_json(f"{URL}/check", {"key": seg["key"], "text": "1,250.5 ülke kınadı.[i]"}).json
    shown = {f["label"]: f["message"] for f in body["findings"]}
    assert shown["Запись чисел"] == (
        "число '1,250.5' записано не по правилам языка «турецкий»; пишите '1.250,5'"
    )


def test_approval_with_errors_needs_a_reviewers_reason(as_user, web_project) -> None:
    s = as_user("tr_reviewer")
    seg = segment(web_project, "tr", MARKED)
    refused = s.post_json(SAVE, save_body(seg, "46 ülke kınadı.", "approve"))
    assert refused.status_code == 409 and refused.json["status"] == "needs-override"
    assert catalog.load(catalog_file(web_project, "tr"))[MARKED].msgstr == ""
    assert (
        s.post_json(SAVE, save_body(seg, "46 ülke.", "approve", override="  ")).status_code == 400
    )
    assert s.post_json(SAVE, save_body(seg, "46 ülke.", "save", override="x")).status_code == 400
    assert s.post_json(SAVE, save_body(seg, "46 ülke.", "override")).status_code == 400
    approved = s.post_json(
        SAVE, save_body(seg, "46 ülke kınadı.", "approve", override="editor agrees")
    )
    assert approved.status_code == 200 and approved.json["segment"]["state"] == "approved"
    assert {
        f["dismissed"]["reason"]
        for f in approved.json["segment"]["findings"]
        if f["severity"] == "error"
    } == {"editor agrees"}
    entry = catalog.load(catalog_file(web_project, "tr"))[MARKED]
    assert sum(line.startswith("dismissed: ") for line in entry.tcomment.splitlines()) == 3
    versions = s.get_json(f"{URL}/history?key={seg['key']}").json["versions"]
    assert [(v["action"], v["note"]) for v in versions] == [("override", "editor agrees")]
    # a translator's Ctrl+Enter is a save: no gate for drafts
    t = as_user("tr_translator")
    other = segment(web_project, "tr", 5)
    assert t.post_json(SAVE, save_body(other, "Eksik işaret.")).json["segment"]["state"] == "draft"
    assert (
        t.post_json(SAVE, save_body(segment(web_project, "tr", 5), "x", "approve")).status_code
        == 403
    )


def test_a_dismissal_holds_until_the_text_changes(as_user, web_project) -> None:
    s = as_user("tr_reviewer")
    seg = segment(web_project, "tr", MARKED)
    saved = s.post_json(SAVE, save_body(seg, "47 ülke kınadı.")).json["segment"]
    finding = next(f for f in saved["findings"] if f["check"] == "markers")
    current = segment(web_project, "tr", MARKED)
    ask = {
        "key": seg["key"],
        "finding": finding["key"],
        "base_text": current["text"],
        "base_state": "draft",
    }
    translator = as_user("tr_translator")
    assert translator.post_json(f"{URL}/dismiss", ask | {"reason": "x"}).status_code == 403
    assert s.post_json(f"{URL}/dismiss", ask | {"reason": ""}).status_code == 400
    assert (
        s.post_json(f"{URL}/dismiss", ask | {"reason": "x", "finding": "00000000"}).status_code
        == 409
    )
    stale = ask | {"reason": "x", "base_text": "something else"}
    assert s.post_json(f"{URL}/dismiss", stale).json["status"] == "conflict"
    done = s.post_json(f"{URL}/dismiss", ask | {"reason": "the note is in the caption"})
    assert done.status_code == 200
    shown = {f["check"]: f["dismissed"] for f in done.json["segment"]["findings"]}
    assert shown["markers"] == {"user": "tr_reviewer", "reason": "the note is in the caption"}
    # now it approves without an override
    approved = s.post_json(
        SAVE, save_body(segment(web_project, "tr", MARKED), "47 ülke kınadı.", "approve")
    )
    assert approved.status_code == 200
    versions = s.get_json(f"{URL}/history?key={seg['key']}").json["versions"]
    assert [v["action"] for v in versions] == ["approve", "dismiss", "save"]
    assert versions[1]["note"] == "the note is in the caption"
    # a changed text: the dismissal no longer holds, and the next edit drops it
    again = s.post_json(SAVE, save_body(segment(web_project, "tr", MARKED), "47 ülke kınadı!"))
    assert all(f["dismissed"] is None for f in again.json["segment"]["findings"])
    assert "dismissed: " not in catalog.load(catalog_file(web_project, "tr"))[MARKED].tcomment


def test_bulk_approval_takes_only_unchanged_drafts_without_findings(as_user, web_project) -> None:
    s = as_user("tr_reviewer")
    good = segment(web_project, "tr", 2)  # the author's name: copying it is no finding
    s.post_json(SAVE, save_body(good, good["msgid"]))
    bad = segment(web_project, "tr", MARKED)
    s.post_json(SAVE, save_body(bad, "47 ülke."))
    moved = segment(web_project, "tr", CLEAN)
    s.post_json(SAVE, save_body(moved, CLEAN_TR))
    page = s.client.get(URL).get_data(as_text=True)
    assert 'id="bulk-approve" data-count="2"' in page
    named = [
        {"key": seg["key"], "base_text": segment(web_project, "tr", i)["text"]}
        for i, seg in ((2, good), (MARKED, bad), (CLEAN, moved))
    ]
    named[2]["base_text"] = "an older text"  # someone changed it since the page was loaded
    assert (
        as_user("tr_translator").post_json(f"{URL}/approve-drafts", {"segments": named}).status_code
        == 403
    )
    assert s.post_json(f"{URL}/approve-drafts", {"segments": "all"}).status_code == 400
    body = s.post_json(f"{URL}/approve-drafts", {"segments": named}).json
    assert (body["approved"], body["skipped"]) == (1, 2)
    states = [catalog.state(e) for e in catalog.load(catalog_file(web_project, "tr"))]
    assert (states[2], states[MARKED], states[CLEAN]) == ("approved", "draft", "draft")
    assert body["stats"]["approved"] == 1
    versions = s.get_json(f"{URL}/history?key={good['key']}").json["versions"]
    assert [v["action"] for v in versions] == ["approve", "save"]


def test_reconcile_drops_a_dismissal_a_crash_kept_from_the_catalog(web_project) -> None:
    store = Store(web_project)
    ref = store.find("tr", SLUG)
    assert ref is not None
    msgid = store.read(ref)[MARKED].msgid
    conn = db.connect(db.db_path(web_project.instance_dir))
    try:
        from app.po.edit import Version

        journal = history.Journal(conn, SLUG, "tr", msgid, "tr_reviewer", "dismiss", "why")
        journal.begin(Version("", "untranslated"), Version("", "untranslated"))  # then killed
        assert history.reconcile(conn, store) == 1
        assert conn.execute("SELECT COUNT(*) FROM history").fetchone()[0] == 0
    finally:
        conn.close()
