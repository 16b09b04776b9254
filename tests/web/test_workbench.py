"""The workbench in the review app: search, comments, the glossary panel and page, assignments."""

from __future__ import annotations

import csv
import io
import re
import threading

from app import termbase
from tests.web_fixtures import SLUG, save_body, segment

GLOSSARY = "en,tr,ru\nUnited Nations,Birleşmiş Milletler,ООН\nceasefire,ateşkes,\n"


def test_search_finds_source_and_translation_and_opens_the_segment(as_user, web_project) -> None:
    s = as_user("tr_reviewer")
    seg = segment(web_project, "tr", 3)
    s.post_json(f"/review/tr/{SLUG}/save", save_body(seg, "Kuzey Kore İstanbul'da yalnız.", "save"))
    html = s.client.get("/search?q=istanbul").get_data(as_text=True)  # dotted İ folds to i
    assert "<mark>İstanbul</mark>" in html
    assert f'href="/review/tr/{SLUG}#seg-{seg["key"]}"' in html
    source = s.client.get("/search?q=kirby+spokesperson").get_data(as_text=True)
    assert "<mark>Kirby</mark>" in source and "<mark>Spokesperson</mark>" in source
    assert "1 segment" in source
    # a translator of Russian sees no Turkish text
    ru = as_user("ru_translator").client.get("/search?q=istanbul").get_data(as_text=True)
    assert "İstanbul" not in ru and "0 segments" in ru


def test_search_escapes_what_it_shows_and_refuses_an_empty_query(as_user, web_project) -> None:
    s = as_user("tr_reviewer")
    seg = segment(web_project, "tr", 3)
    s.post_json(
        f"/review/tr/{SLUG}/save", save_body(seg, "Kuzey <script>alert(1)</script>", "save")
    )
    html = s.client.get("/search?q=kuzey").get_data(as_text=True)
    assert "<script>alert" not in html and "&lt;script&gt;" in html
    assert "has no word to search for" in s.client.get("/search?q=%21%21").get_data(as_text=True)


def test_a_question_is_threaded_shown_on_the_dashboard_and_resolved(as_user, web_project) -> None:
    translator, reviewer = as_user("tr_translator"), as_user("tr_reviewer")
    seg = segment(web_project, "tr", 4)
    url = f"/review/tr/{SLUG}/comments"
    asked = translator.post_json(
        url, {"key": seg["key"], "kind": "question", "text": "BM mi, BMGK mı?"}
    )
    assert asked.status_code == 200
    (thread,) = asked.get_json()["threads"]
    assert thread["open"] and thread["comments"][0]["user"] == "tr_translator"
    board = reviewer.client.get("/").get_data(as_text=True)
    assert "Open questions" in board and "BM mi, BMGK mı?" in board
    assert f"#seg-{seg['key']}" in board
    reply = reviewer.post_json(url, {"key": seg["key"], "parent": thread["id"], "text": "BMGK."})
    assert [c["text"] for c in reply.get_json()["threads"][0]["comments"]] == [
        "BM mi, BMGK mı?",
        "BMGK.",
    ]
    # a Russian translator may not read or write here; a reviewer resolves
    assert (
        as_user("ru_translator").post_json(url, {"key": seg["key"], "text": "x"}).status_code == 403
    )
    done = reviewer.post_json(f"{url}/{thread['id']}/resolve", {"key": seg["key"]})
    assert done.get_json()["threads"][0]["resolved_by"] == "tr_reviewer"
    assert "BM mi, BMGK mı?" not in reviewer.client.get("/").get_data(as_text=True)
    page = translator.client.get(f"/review/tr/{SLUG}").get_data(as_text=True)
    assert '"resolved_by": "tr_reviewer"' in page


def test_comments_refuse_empty_and_control_characters(as_user, web_project) -> None:
    s = as_user("tr_translator")
    seg = segment(web_project, "tr", 4)
    url = f"/review/tr/{SLUG}/comments"
    empty = s.post_json(url, {"key": seg["key"], "text": "  "})
    assert empty.status_code == 400 and "empty" in empty.get_json()["error"]
    odd = s.post_json(url, {"key": seg["key"], "text": "a\x0bb"})
    assert odd.status_code == 400 and "U+000B" in odd.get_json()["error"]
    wrong = s.post_json(url, {"key": seg["key"], "text": "x", "kind": "order"})
    assert wrong.status_code == 400
    other = s.post_json(url, {"key": seg["key"], "text": "x", "parent": 999})
    assert other.status_code == 400 and "No such thread" in other.get_json()["error"]


def test_only_the_author_or_a_reviewer_resolves(as_user, web_project) -> None:
    reviewer = as_user("tr_reviewer")
    seg = segment(web_project, "tr", 4)
    url = f"/review/tr/{SLUG}/comments"
    thread = reviewer.post_json(url, {"key": seg["key"], "kind": "question", "text": "?"})
    number = thread.get_json()["threads"][0]["id"]
    translator = as_user("tr_translator")
    assert translator.post_json(f"{url}/{number}/resolve", {"key": seg["key"]}).status_code == 403


def test_the_segment_shows_the_glossary_terms_of_its_source(as_user, web_project) -> None:
    web_project.glossary_path.write_text(GLOSSARY, encoding="utf-8")
    html = as_user("tr_translator").client.get(f"/review/tr/{SLUG}").get_data(as_text=True)
    assert 'data-action="term" data-term="Birleşmiş Milletler"' in html
    assert 'data-term="ateşkes"' not in html  # "ceasefire" is not in the seed article


def test_a_reviewer_edits_the_glossary_atomically(as_user, web_project) -> None:
    path = web_project.glossary_path
    path.write_text(GLOSSARY, encoding="utf-8")
    digest = termbase.file_digest(path)
    translator = as_user("tr_translator")
    assert (
        translator.post_form(
            "/glossary", {"digest": digest, "index": "", "term-en": "x"}
        ).status_code
        == 403
    )
    s = as_user("tr_reviewer")
    assert 'name="term-tr" value="ateşkes"' in s.client.get("/glossary").get_data(as_text=True)
    s.post_form(
        "/glossary",
        {
            "digest": digest,
            "index": "",
            "term-en": 'Security "Council", UN',
            "term-tr": "Güvenlik Konseyi",
        },
    )
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    assert rows[-1] == ['Security "Council", UN', "Güvenlik Konseyi", ""]
    # an editor working from the old file changes nothing
    stale = s.post_form("/glossary", {"digest": digest, "index": "0", "term-en": "UN"})
    assert stale.status_code == 302
    assert "changed since you opened it" in s.client.get("/glossary").get_data(as_text=True)
    # a reviewer of Turkish changes Turkish terms only, and a cell not sent is kept
    now = termbase.file_digest(path)
    s.post_form("/glossary", {"digest": now, "index": "0", "term-ru": "VANDAL"})
    page = s.client.get("/glossary").get_data(as_text=True)
    assert "can be changed only by an admin or a reviewer of &#39;ru&#39;" in page
    # nor add a Russian term where a row has none (English, the article's language, it may)
    s.post_form("/glossary", {"digest": now, "index": "1", "term-ru": "VANDAL"})
    page = s.client.get("/glossary").get_data(as_text=True)
    assert "a &#39;ru&#39; term is added by an admin or a reviewer of &#39;ru&#39;" in page
    assert termbase.file_digest(path) == now
    s.post_form("/glossary", {"digest": now, "index": "0", "term-tr": "BM"})
    assert termbase.load_terms(path)[0] == {"en": "United Nations", "tr": "BM", "ru": "ООН"}
    # a term with a tab is refused; emptying a term removes it (an admin may)
    admin = as_user("admin")
    now = termbase.file_digest(path)
    admin.post_form("/glossary", {"digest": now, "index": "1", "term-en": "cease\tfire"})
    assert "DeepL glossaries allow no tabs" in admin.client.get("/glossary").get_data(as_text=True)
    assert termbase.file_digest(path) == now
    admin.post_form("/glossary", {"digest": now, "index": "1", "term-en": "", "term-tr": ""})
    assert [t.get("en") for t in termbase.load_terms(path)] == [
        "United Nations",
        'Security "Council", UN',
    ]


def test_concurrent_glossary_edits_never_lose_one_silently(as_user, web_project) -> None:
    path = web_project.glossary_path
    path.write_text(GLOSSARY, encoding="utf-8")
    digest = termbase.file_digest(path)
    lock = web_project.instance_dir / "glossary.lock"
    outcomes: list[str] = []

    def add(term: str) -> None:
        try:
            termbase.edit_term(path, lock, digest, None, {"en": term}, ["en", "tr", "ru"])
            outcomes.append("saved")
        except termbase.GlossaryError:
            outcomes.append("refused")

    threads = [threading.Thread(target=add, args=(f"term {i}",)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["refused"] * 7 + ["saved"]
    assert len(termbase.load_terms(path)) == 3


def test_an_editor_assigns_and_my_work_lists_it(as_user, web_project) -> None:
    reviewer = as_user("tr_reviewer")
    form = {
        "slug": SLUG,
        "lang": "tr",
        "translator": "tr_translator",
        "reviewer": "tr_reviewer",
        "due": "2020-01-31",
    }
    assert reviewer.post_form("/assign", form).status_code == 302
    mine = as_user("tr_translator").client.get("/").get_data(as_text=True)
    work = re.search(r'<section class="card my-work".*?</section>', mine, re.DOTALL)
    assert work and "Allegations of North Korea" in work.group(0) and "overdue" in work.group(0)
    # the admin, who is not assigned, sees it among the overdue work
    board = as_user("admin").client.get("/").get_data(as_text=True)
    late = re.search(r'<section class="card overdue-work".*?</section>', board, re.DOTALL)
    assert late and "tr_translator / tr_reviewer" in late.group(0)
    assert "overdue-work" not in as_user("ru_reviewer").client.get("/").get_data(as_text=True)
    # a translator cannot assign; a reviewer of Turkish cannot assign Russian
    assert as_user("tr_translator").post_form("/assign", form).status_code == 403
    assert reviewer.post_form("/assign", {**form, "lang": "ru"}).status_code == 403
    # a Russian translator cannot be given Turkish
    reviewer.post_form("/assign", {**form, "translator": "ru_translator"})
    assert "cannot translate in &#39;tr&#39;" in reviewer.client.get("/").get_data(as_text=True)


def test_search_and_replace_previews_then_drafts_and_undoes(as_user, web_project) -> None:
    from app import db
    from app.po import catalog
    from tests.project_fixtures import msgfmt_check
    from tests.web_fixtures import catalog_file

    s = as_user("tr_reviewer")
    one, two = segment(web_project, "tr", 3), segment(web_project, "tr", 4)
    s.post_json(f"/review/tr/{SLUG}/save", save_body(one, "BM ve BM Güvenlik Konseyi", "approve"))
    s.post_json(f"/review/tr/{SLUG}/save", save_body(two, "bm kararı", "save"))
    form = {"find": "BM", "replace": "Birleşmiş Milletler", "lang": "tr", "case": "1"}
    preview = s.post_form("/replace", {**form, "action": "preview"}).get_data(as_text=True)
    assert "2 translations would change" not in preview  # case matters: "bm" is left alone
    assert "1 translation would change" in preview and "1 approved · 0 draft" in preview
    tokens = re.findall(r'name="pick" value="([0-9a-f]+)"', preview)
    assert len(tokens) == 1
    catalog_before = catalog_file(web_project, "tr").read_bytes()
    done = s.post_form("/replace", {**form, "action": "apply", "pick": tokens}).get_data(
        as_text=True
    )
    assert "1 translation replaced, now a draft." in done
    entry = next(
        e for e in catalog.load(catalog_file(web_project, "tr")) if e.msgid == one["msgid"]
    )
    assert entry.msgstr == "Birleşmiş Milletler ve Birleşmiş Milletler Güvenlik Konseyi"
    assert entry.fuzzy and entry.msgid == one["msgid"]  # a draft; the source never changes
    msgfmt_check(catalog_file(web_project, "tr"))
    conn = db.connect(db.db_path(web_project.instance_dir))
    (note,) = conn.execute("SELECT note FROM history WHERE action = 'replace'").fetchone()
    assert "'BM' → 'Birleşmiş Milletler'" in note
    # the same preview applied again finds its entry changed: nothing is written
    again = s.post_form("/replace", {**form, "action": "apply", "pick": tokens}).get_data(
        as_text=True
    )
    assert "left as it was: it changed since the preview" in again
    batch = re.search(r'name="batch" value="([0-9a-f]{8})"', done).group(1)
    undone = s.post_form("/replace", {"lang": "tr", "batch": batch, "action": "undo"}).get_data(
        as_text=True
    )
    assert "1 change undone." in undone
    assert catalog_file(web_project, "tr").read_bytes() == catalog_before  # byte for byte
    entry = next(
        e for e in catalog.load(catalog_file(web_project, "tr")) if e.msgid == one["msgid"]
    )
    assert (entry.msgstr, catalog.state(entry)) == ("BM ve BM Güvenlik Konseyi", "approved")


def test_search_and_replace_is_for_reviewers_and_refuses_bad_text(as_user, web_project) -> None:
    assert as_user("tr_translator").client.get("/replace").status_code == 403
    s = as_user("tr_reviewer")
    assert (
        s.post_form(
            "/replace", {"find": "a", "replace": "b", "lang": "ru", "action": "preview"}
        ).status_code
        == 403
    )
    bad = s.post_form(
        "/replace", {"find": "a", "replace": "b\x0cc", "lang": "tr", "action": "preview"}
    )
    assert "U+000C" in bad.get_data(as_text=True)
    empty = s.post_form("/replace", {"find": "", "replace": "b", "lang": "tr", "action": "preview"})
    assert "type the text to find" in empty.get_data(as_text=True)


def test_a_question_on_a_removed_block_can_still_be_answered_and_resolved(
    as_user, web_project
) -> None:
    from app import comments, db

    conn = db.connect(db.db_path(web_project.instance_dir))
    number = comments.add(
        conn, SLUG, "tr", "A paragraph since deleted.", "tr_translator", "?", kind="question"
    )
    reviewer = as_user("tr_reviewer")
    page = reviewer.client.get(f"/review/tr/{SLUG}").get_data(as_text=True)
    assert "Comments on blocks no longer in the article" in page
    url = f"/review/tr/{SLUG}/comments"
    comments.add(conn, SLUG, "tr", "Another deleted paragraph.", "tr_translator", "!", kind="note")
    reply = reviewer.post_json(url, {"parent": number, "text": "Removed on purpose."})
    threads = reply.get_json()["threads"]  # every removed block's threads: the page redraws them
    assert reply.status_code == 200 and [len(t["comments"]) for t in threads] == [2, 1]
    assert f"/review/tr/{SLUG}#orphans" in reviewer.client.get("/").get_data(as_text=True)
    resolve = f"{url}/{number}/resolve"
    assert (
        reviewer.post_json(resolve, {"resolved": True}).get_json()["threads"][0]["resolved_by"]
        == "tr_reviewer"
    )
    # twice is once: a second click from a stale page does not reopen it
    assert (
        reviewer.post_json(resolve, {"resolved": True}).get_json()["threads"][0]["resolved_by"]
        == "tr_reviewer"
    )
    assert reviewer.post_json(resolve, {"resolved": False}).get_json()["threads"][0]["open"]
    assert reviewer.post_json(resolve, {"resolved": "yes"}).status_code == 400
    assert as_user("ru_reviewer").post_json(resolve, {"resolved": True}).status_code == 403
