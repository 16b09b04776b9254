"""The workbench without the browser: the search index, comments following their block,
assignments, ``paragraf search`` and ``paragraf assign``."""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app import comments, db, search, users
from app.po import catalog
from app.po.store import Store
from app.tm.store import TranslationMemory
from tests.project_fixtures import SEED, Project, project  # noqa: F401
from tests.test_publishing import EDITED, FIRST, approve_all, edit_source

SLUG = SEED.stem


def connect(project: Project) -> sqlite3.Connection:
    path = db.db_path(project.root / "instance")
    db.init_schema(path)
    return db.connect(path)


def translate(project: Project, lang: str, index: int, text: str, *, approved: bool = False) -> str:
    """Give the ``index``-th entry a translation; return its msgid."""
    path = project.po(lang, SLUG)
    po = catalog.load(path)
    entry = [e for e in po if not e.obsolete][index]
    entry.msgstr = text
    entry.flags = [] if approved else ["fuzzy"]
    catalog.save(po, path)
    return entry.msgid


@given(st.text())
def test_folding_keeps_one_character_for_each(text: str) -> None:
    assert len(search.fold(text)) == len(text)


def test_folding_is_what_a_turkish_or_russian_reader_expects() -> None:
    assert search.fold("İSTANBUL Iğdır ışık") == "istanbul igdir isik"
    assert search.fold("Ёлка, ёж") == "елка, еж"
    assert search.fold("йод") == "йод"  # й is a letter of its own, not и with an accent


def test_marks_merge_overlapping_words_and_find_word_starts_only() -> None:
    assert search.marks("Birleşmiş Milletler, BM", ["birlesmis", "bir"]) == [(0, 9)]
    assert search.marks("ABD ve AB", ["ab"]) == [(0, 2), (7, 9)]
    assert search.marks("kabul", ["ab"]) == []


def test_the_index_follows_every_change_of_a_catalog(project: Project) -> None:
    assert project.run("extract").exit_code == 0 and project.run("update").exit_code == 0
    store, conn = Store(project.config), connect(project)
    assert search.refresh(conn, store) == 2
    assert search.refresh(conn, store) == 0  # written in the last 2 s: hashed, the same bytes
    for lang in ("tr", "ru"):
        os.utime(project.po(lang, SLUG), (time.time() - 10, time.time() - 10))
    assert search.refresh(conn, store) == 0  # a new stat, the same bytes: not parsed
    stamps = dict(conn.execute("SELECT path, stamp FROM search_catalog").fetchall())
    assert not any(stamp.endswith(":racy") for stamp in stamps.values())
    assert search.refresh(conn, store) == 0
    msgid = translate(project, "tr", 3, "Kuzey Kore büyük ölçüde yalnız kaldı.")
    _, hits = search.search(conn, store, "YALNIZ")
    assert [(h.slug, h.source) for h in hits] == [(SLUG, msgid)]
    (tr,) = [t for t in hits[0].translations if t.lang == "tr"]
    assert tr.state == "draft" and "yalnız" in tr.text
    translate(project, "tr", 3, "Kuzey Kore tecrit edildi.", approved=True)
    assert search.search(conn, store, "yalnız")[1] == []
    _, hits = search.search(conn, store, "tecrit", state="approved")
    assert len(hits) == 1
    assert search.search(conn, store, "tecrit", state="draft")[1] == []
    assert search.search(conn, store, "tecrit", langs=["ru"])[1] == []
    assert search.search(conn, store, "tecrit", slug="other")[1] == []
    project.po("tr", SLUG).unlink()
    assert search.search(conn, store, "tecrit")[1] == []  # a catalog gone: its rows go


def test_phrases_prefixes_and_the_memory(project: Project) -> None:
    assert project.run("extract").exit_code == 0 and project.run("update").exit_code == 0
    store, conn = Store(project.config), connect(project)
    _, hits = search.search(conn, store, '"security council"')
    assert hits and all("Security Council" in h.source for h in hits)
    assert search.search(conn, store, '"council security"')[1] == []
    assert search.search(conn, store, "secur coun")[1]  # prefixes
    with TranslationMemory(conn) as memory:
        memory.add_pair(
            "en", "tr", "Ceasefire talks resumed.", "Ateşkes görüşmeleri sürdü.", "old.tmx"
        )
    _, hits = search.search(conn, store, "ateşkes")
    assert [(h.slug, h.origin, h.translations[0].state) for h in hits] == [
        ("", "old.tmx", "memory")
    ]
    # a pair between two versions a translator of Russian does not work in stays hidden
    with TranslationMemory(conn) as memory:
        memory.add_pair("tr", "ru", "Ateşkes ilan edildi.", "Объявлено перемирие.", "old.tmx")
        memory.add_pair("en", "ru", "Ceasefire declared.", "Объявлено перемирие.", "old.tmx")
    _, hits = search.search(conn, store, "перемирие", langs=["ru"])
    assert [h.source_lang for h in hits] == ["en"]  # English is the articles' source
    assert len(search.search(conn, store, "перемирие")[1]) == 2
    with TranslationMemory(conn) as memory:  # a pair removed from the memory is not found
        memory.remove_origin("old.tmx")
    assert search.search(conn, store, "ateşkes")[1] == []
    with TranslationMemory(conn) as memory:  # and its rows go when the memory grows again
        memory.add_pair("en", "tr", "Talks.", "Görüşmeler.", "new.tmx")
    search.refresh(conn, store)
    assert conn.execute("SELECT COUNT(*) FROM search_row WHERE pair != 0").fetchone()[0] == 1
    # text written decomposed (NFD) is found and marked as if composed
    translate(project, "ru", 3, unicodedata.normalize("NFD", "Ёлка и йод"))
    _, hits = search.search(conn, store, "елка йод")
    assert hits and search.pieces(hits[0].translations[0].text, ["елка"])[0] == ("Ёлка", True)
    with pytest.raises(search.SearchError, match="has no word"):
        search.search(conn, store, "!!!")
    with pytest.raises(search.SearchError, match="state must be one of"):
        search.search(conn, store, "x", state="stale")


def test_paragraf_search_finds_source_and_translation_in_the_bundled_article(
    project: Project,
) -> None:
    assert project.run("extract").exit_code == 0 and project.run("update").exit_code == 0
    translate(project, "tr", 3, "Kuzey Kore büyük ölçüde yalnız kaldı.")
    found = project.run("search", "largely isolated")
    assert found.exit_code == 0, found.output
    assert f"{SLUG}\n  en  North Korea has been [largely] [isolated]" in found.output
    assert "  tr  Kuzey Kore büyük ölçüde yalnız kaldı.  (draft)" in found.output
    translated = project.run("search", "YALNIZ", "--lang", "tr", "--json")
    rows = json.loads(translated.output)
    assert rows[0]["article"] == SLUG and rows[0]["source"].startswith(FIRST)
    assert rows[0]["translations"] == [
        {"lang": "tr", "text": "Kuzey Kore büyük ölçüde yalnız kaldı.", "state": "draft"}
    ]
    assert project.run("search", "YALNIZ", "--lang", "ru").output.startswith("no segment matches")
    bad = project.run("search", "x", "--lang", "de")
    assert bad.exit_code == 1 and "--lang 'de'" in bad.output


def test_a_comment_follows_its_block_through_a_source_edit_and_a_rename(project: Project) -> None:
    assert project.run("extract").exit_code == 0 and project.run("update").exit_code == 0
    approve_all(project, "tr")
    po = catalog.load(project.po("tr", SLUG))
    old = next(e.msgid for e in po if e.msgid.startswith(FIRST))
    conn = connect(project)
    comments.add(
        conn, SLUG, "tr", old, "mehmet", "Is 'isolated' tecrit or yalnız?", kind="question"
    )
    comments.add(conn, SLUG, "ru", old, "ivan", "Not translated yet: does it follow too?")
    edit_source(project, FIRST, EDITED)
    assert project.run("extract").exit_code == 0 and project.run("update").exit_code == 0
    new = next(e.msgid for e in catalog.load(project.po("tr", SLUG)) if e.msgid.startswith(EDITED))
    assert [t.comments[0].text for t in comments.threads(conn, SLUG, "tr", [new])] == [
        "Is 'isolated' tecrit or yalnız?"
    ]
    assert [t.msgid for t in comments.threads(conn, SLUG, "ru")] == [new]  # nothing carried
    assert project.run("rename", SLUG, "north-korea-arms").exit_code == 0
    (thread,) = comments.threads(conn, "north-korea-arms", "tr")
    assert thread.msgid == new and thread.open
    assert [t.slug for t in comments.open_questions(conn, ["tr"])] == ["north-korea-arms"]
    assert comments.open_questions(conn, ["ru"]) == []


def test_assign_and_status_show_who_works_on_what(project: Project) -> None:
    assert project.run("extract").exit_code == 0 and project.run("update").exit_code == 0
    conn = connect(project)
    for name, role in (("mehmet", "translator"), ("ayse", "reviewer")):
        users.add_user(
            conn, name, "correct horse battery", role, ["tr"], known_langs=["en", "tr", "ru"]
        )
    result = project.run(
        "assign", SLUG, "tr", "--translator", "mehmet", "--reviewer", "ayse", "--due", "2020-02-01"
    )
    assert result.exit_code == 0, result.output
    assert "translator mehmet, reviewer ayse, due 2020-02-01" in result.output
    table = project.run("status").output
    assert "mehmet / ayse by 2020-02-01 (overdue)" in table
    rows = json.loads(project.run("status", "--json").output)
    assert {(r["lang"], r["translator"], r["due"]) for r in rows} == {
        ("tr", "mehmet", "2020-02-01"),
        ("ru", "", ""),
    }
    wrong = project.run("assign", SLUG, "ru", "--translator", "mehmet")
    assert wrong.exit_code == 1 and "cannot translate in 'ru'" in wrong.output
    assert project.run("assign", SLUG, "tr", "--due", "1 March").exit_code == 1
    assert project.run("assign", SLUG, "en").exit_code == 1  # the source language has no catalog
    assert project.run("assign", SLUG, "tr").output.endswith("is no longer assigned\n")
    assert "mehmet" not in project.run("status").output


def test_searches_in_parallel_index_each_catalog_once(project: Project) -> None:
    assert project.run("extract").exit_code == 0 and project.run("update").exit_code == 0
    translate(project, "tr", 3, "Kuzey Kore yalnız.")
    store = Store(project.config)
    connect(project).close()
    errors: list[BaseException] = []

    def one() -> None:
        conn = db.connect(db.db_path(project.root / "instance"))
        try:
            search.search(conn, store, "yalnız")
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append(e)
        finally:
            conn.close()

    threads = [threading.Thread(target=one) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    conn = connect(project)
    entries = sum(
        1 for lang in ("tr", "ru") for e in catalog.load(project.po(lang, SLUG)) if not e.obsolete
    )
    assert conn.execute("SELECT COUNT(*) FROM search_row").fetchone()[0] == entries
    assert conn.execute("SELECT COUNT(*) FROM search_text").fetchone()[0] == entries


def test_replace_follows_the_languages_case_rules_and_whole_words(project: Project) -> None:
    from app import replace

    assert project.run("extract").exit_code == 0 and project.run("update").exit_code == 0
    translate(project, "tr", 3, "Kirli KIR kır; AB ve ABD.")
    store = Store(project.config)
    (found,) = replace.preview(store, "tr", "kır", "çayır", case=False)
    assert found.after == "Kirli çayır çayır; AB ve ABD."  # Turkish: KIR is kır, Kirli is not
    (found,) = replace.preview(store, "tr", "AB", "EU", words=True)
    assert found.after == "Kirli KIR kır; EU ve ABD."
    (found,) = replace.preview(store, "tr", "AB", "EU")
    assert found.after == "Kirli KIR kır; EU ve EUD."
    # a search edited after its preview matches none of the boxes ticked
    edited = replace.preview(store, "tr", "AB", "XX", words=True)
    assert {r.token for r in edited}.isdisjoint({found.token})
    translate(project, "ru", 3, "все согласны, всё решено")
    (found,) = replace.preview(store, "ru", "ВСЁ", "это", case=False, words=True)
    assert found.after == "все согласны, это решено"  # ё is not е when replacing
    with pytest.raises(replace.ReplaceError, match="U\\+000C"):
        replace.preview(store, "tr", "AB", "a\x0cb")


def test_retiring_an_article_drops_its_assignments(project: Project) -> None:
    assert project.run("extract").exit_code == 0 and project.run("update").exit_code == 0
    conn = connect(project)
    users.add_user(
        conn,
        "mehmet",
        "correct horse battery",
        "translator",
        ["tr"],
        known_langs=["en", "tr", "ru"],
    )
    assert project.run("assign", SLUG, "tr", "--translator", "mehmet").exit_code == 0
    (project.root / "content" / SEED.name).unlink()
    result = project.run("remove", SLUG)
    assert result.exit_code == 0 and f"removed the assignments of {SLUG}" in result.output
    assert conn.execute("SELECT COUNT(*) FROM assignments").fetchone()[0] == 0


def test_a_rewrite_that_keeps_size_and_mtime_is_still_seen(project: Project) -> None:
    assert project.run("extract").exit_code == 0 and project.run("update").exit_code == 0
    translate(project, "tr", 3, "Kuzey Kore yalnız kaldı.")
    store, conn = Store(project.config), connect(project)
    assert search.search(conn, store, "yalnız")[1]
    path = project.po("tr", SLUG)
    st = path.stat()
    data = path.read_bytes()
    path.write_bytes(data.replace("yalnız".encode(), b"tecritx"))  # 7 bytes for 7
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))  # the same size, inode and mtime
    assert path.stat().st_size == st.st_size and path.stat().st_ino == st.st_ino
    assert search.search(conn, store, "yalnız")[1] == []
    assert search.search(conn, store, "tecritx")[1]


def test_a_split_paragraphs_comments_go_to_the_closer_half_in_every_language(
    project: Project,
) -> None:
    from rapidfuzz import fuzz

    assert project.run("extract").exit_code == 0 and project.run("update").exit_code == 0
    approve_all(project, "tr")  # Turkish translated (carried by update), Russian not
    old = next(e.msgid for e in catalog.load(project.po("tr", SLUG)) if e.msgid.startswith(FIRST))
    conn = connect(project)
    for lang in ("tr", "ru"):
        comments.add(conn, SLUG, lang, old, "mehmet", f"a note in {lang}")
    path = project.root / "content" / SEED.name
    cut = old.index(" This has resulted")
    path.write_text(
        path.read_text(encoding="utf-8").replace(old, old[:cut] + "\n\n" + old[cut + 1 :]),
        encoding="utf-8",
    )
    assert project.run("extract").exit_code == 0 and project.run("update").exit_code == 0
    halves = (old[:cut], old[cut + 1 :])
    closer = max(halves, key=lambda half: fuzz.ratio(old, half))
    for lang in ("tr", "ru"):
        assert [t.msgid for t in comments.threads(conn, SLUG, lang)] == [closer], lang


def test_hidden_memory_pairs_do_not_use_up_the_results(project: Project) -> None:
    assert project.run("extract").exit_code == 0 and project.run("update").exit_code == 0
    store, conn = Store(project.config), connect(project)
    with TranslationMemory(conn) as memory:
        for n in range(250):
            memory.add_pair("tr", "ru", f"Ateşkes {n}.", f"Перемирие {n}.", "old.tmx")
        memory.add_pair("en", "ru", "Ceasefire.", "Перемирие.", "old.tmx")
    _, hits = search.search(conn, store, "перемирие", langs=["ru"])
    assert [h.source for h in hits] == ["Ceasefire."]
    assert len(search.search(conn, store, "перемирие")[1]) == 50  # an admin: the first 50


def test_the_index_follows_a_template_that_comes_late_or_goes(project: Project) -> None:
    assert project.run("extract").exit_code == 0 and project.run("update").exit_code == 0
    translate(project, "tr", 3, "Kuzey Kore yalnız kaldı.")
    store, conn = Store(project.config), connect(project)
    template = project.root / "translations" / "templates" / f"{SLUG}.pot"
    kept = template.read_bytes()
    template.unlink()  # a git pull that has written the catalogs, not yet the template
    assert search.search(conn, store, "yalnız")[1] == []
    template.write_bytes(kept)
    assert [h.slug for h in search.search(conn, store, "yalnız")[1]] == [SLUG]
    template.write_text("msgid broken\n", encoding="utf-8")  # unreadable: searches still work
    translate(project, "ru", 3, "Северная Корея осталась одна.")
    assert [h.slug for h in search.search(conn, store, "yalnız")[1]] == [SLUG]


def test_an_index_made_before_the_digest_column_still_works(project: Project) -> None:
    assert project.run("extract").exit_code == 0 and project.run("update").exit_code == 0
    path = db.db_path(project.root / "instance")
    path.parent.mkdir(parents=True, exist_ok=True)
    old = sqlite3.connect(path)
    old.execute("CREATE TABLE search_catalog (path TEXT PRIMARY KEY, stamp TEXT NOT NULL)")
    old.commit()
    old.close()
    assert project.run("search", "isolated").exit_code == 0


def test_status_and_update_read_a_database_from_before_comments_and_assignments(
    project: Project,
) -> None:
    assert project.run("extract").exit_code == 0 and project.run("update").exit_code == 0
    approve_all(project, "tr")
    path = db.db_path(project.root / "instance")
    path.parent.mkdir(parents=True, exist_ok=True)
    sqlite3.connect(path).close()  # an older database: none of the workbench's tables
    assert project.run("status").exit_code == 0
    edit_source(project, FIRST, EDITED)
    assert project.run("extract").exit_code == 0 and project.run("update").exit_code == 0
    tables = {r[0] for r in sqlite3.connect(path).execute("SELECT name FROM sqlite_master")}
    assert "comments" not in tables  # reading wrote nothing
