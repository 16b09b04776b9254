"""A published translation never goes down by accident (issue 10): stale-safe compile,
renames that keep everything, one progress figure, one bad file never stops the others,
and CI verbs."""

from __future__ import annotations

import json
import sqlite3

import polib

from app import db
from app.po import catalog
from tests.project_fixtures import SEED, Project, msgfmt_check, project  # noqa: F401

SLUG = SEED.stem
FIRST = "North Korea has been largely isolated"
EDITED = "North Korea has been widely isolated"


def approve_all(project: Project, lang: str, slug: str = SLUG) -> None:
    path = project.po(lang, slug)
    po = catalog.load(path)
    for entry in po:
        if not entry.obsolete:
            entry.msgstr = f"{lang.upper()} {entry.msgid}"
            entry.flags = []
            entry.previous_msgid = None
    catalog.save(po, path)


def edit_source(project: Project, old: str, new: str) -> None:
    path = project.root / "content" / SEED.name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def published(project: Project, lang: str, suffix: str = ".md", slug: str = SLUG) -> str:
    return (project.root / "public" / lang / f"{slug}{suffix}").read_text(encoding="utf-8")


def prepared(project: Project) -> None:
    assert project.run("extract").exit_code == 0
    assert project.run("update").exit_code == 0
    approve_all(project, "tr")
    approve_all(project, "ru")
    assert project.run("compile").exit_code == 0


def test_a_source_edit_keeps_the_last_approved_translation_published(project: Project) -> None:
    prepared(project)
    edit_source(project, FIRST, EDITED)
    project.run("extract")
    project.run("update")
    result = project.run("compile")
    assert result.exit_code == 0, result.output
    assert "removed" not in result.output
    assert f"TR {FIRST}" in published(project, "tr")  # the old approved translation, not English
    rows = {r["lang"]: r for r in json.loads(project.run("status", "--json").output)}
    assert (rows["tr"]["stale"], rows["tr"]["draft"], rows["tr"]["approved"]) == (1, 0, 20)
    assert rows["tr"]["percent_published"] == 100.0 and rows["tr"]["percent"] < 100
    stale = project.run("status", "--stale", "--lang", "tr").output
    assert f"translations/tr/LC_MESSAGES/{SLUG}.po:" in stale and "[-largely-]{+widely+}" in stale
    table = project.run("status").output.splitlines()
    assert table[0].split()[3] == "stale" and table[1].split()[3] == "1"
    # a person approves the new translation: fresh again
    path = project.po("tr", SLUG)
    po = catalog.load(path)
    entry = next(e for e in po if not e.obsolete and e.msgid.startswith(EDITED))
    entry.msgstr, entry.flags, entry.previous_msgid = "TR yeni çeviri", [], None
    catalog.save(po, path)
    project.run("compile")
    assert "TR yeni çeviri" in published(project, "tr")
    rows = {r["lang"]: r for r in json.loads(project.run("status", "--json").output)}
    assert rows["tr"]["stale"] == 0 and rows["tr"]["approved"] == 21


def test_a_block_never_approved_is_published_in_its_source_language_and_says_so(
    project: Project,
) -> None:
    project.run("extract")
    project.run("update")
    approve_all(project, "tr")
    po = catalog.load(project.po("tr", SLUG))
    entry = next(e for e in po if e.msgid.startswith(FIRST))
    entry.msgstr = ""
    catalog.save(po, project.po("tr", SLUG))
    project.run("compile", "--threshold", "90")
    html = published(project, "tr", ".html")
    assert f'<span lang="en">{FIRST}' in html
    assert '<html lang="tr"' in html


def test_below_the_threshold_a_published_version_stays(project: Project) -> None:
    prepared(project)
    before = published(project, "ru")
    path = project.po("ru", SLUG)
    po = catalog.load(path)
    for entry in po:
        entry.flags = ["fuzzy"]  # every translation unapproved, by accident
    catalog.save(po, path)
    result = project.run("compile")
    assert result.exit_code == 0
    assert f"kept the published version of ru/{SLUG}" in result.output
    assert published(project, "ru") == before
    assert "1 kept as published before" in result.output


def test_unpublish_and_publish_are_a_persons_decision(project: Project) -> None:
    prepared(project)
    result = project.run("unpublish", SLUG, "--lang", "ru")
    assert result.exit_code == 0, result.output
    assert not (project.root / "public" / "ru" / f"{SLUG}.html").exists()
    source = (project.root / "content" / SEED.name).read_text(encoding="utf-8")
    assert "\nunpublished: [ru]\n" in source.split("---")[1] + "\n"
    project.run("extract")
    result = project.run("compile")
    assert not (project.root / "public" / "ru" / f"{SLUG}.html").exists()  # stays down
    assert "Русский" not in published(project, "en", ".html")
    assert project.run("publish", SLUG, "--lang", "ru").exit_code == 0
    assert "unpublished" not in (project.root / "content" / SEED.name).read_text(encoding="utf-8")
    project.run("extract")
    project.run("compile")
    assert (project.root / "public" / "ru" / f"{SLUG}.html").exists()


def test_edit_revert_and_the_same_edit_again_keep_the_previous_msgid(project: Project) -> None:
    prepared(project)
    for old, new in ((FIRST, EDITED), (EDITED, FIRST), (FIRST, EDITED)):
        edit_source(project, old, new)
        assert project.run("extract").exit_code == 0
        assert project.run("update").exit_code == 0
    po = catalog.load(project.po("tr", SLUG))
    entry = next(e for e in po if not e.obsolete and e.msgid.startswith(EDITED))
    assert entry.fuzzy and entry.previous_msgid.startswith(FIRST)
    assert catalog.status(entry, catalog.approved_before(po)) == "stale"
    msgfmt_check(project.po("tr", SLUG))


def test_rename_keeps_approved_entries_history_memory_and_the_published_page(
    project: Project,
) -> None:
    prepared(project)
    conn = db.connect(db.db_path(project.root / "instance"))
    db.init_schema(db.db_path(project.root / "instance"))
    conn.close()
    conn = sqlite3.connect(db.db_path(project.root / "instance"))
    with conn:
        conn.execute(
            "INSERT INTO history (slug, lang, msgid, user, at, action, old_text, old_state,"
            " new_text, new_state) VALUES (?, 'tr', 'x', 'ayse', '2024-01-01', 'approve', '', 'untranslated', 'y', 'approved')",
            (SLUG,),
        )
    conn.close()
    project.run("tm", "rebuild")
    result = project.run("rename", SLUG, "north-korea-arms")
    assert result.exit_code == 0, result.output
    assert (project.root / "content" / "north-korea-arms.md").exists()
    assert project.run("extract").exit_code == 0
    assert project.run("update").exit_code == 0
    po = catalog.load(project.po("tr", "north-korea-arms"))
    assert all(catalog.is_approved(e) for e in po if not e.obsolete)
    assert po.metadata["Project-Id-Version"] == "north-korea-arms"
    assert all(occ[0] == "content/north-korea-arms.md" for e in po for occ in e.occurrences)
    conn = sqlite3.connect(db.db_path(project.root / "instance"))
    assert (
        conn.execute("SELECT COUNT(*) FROM history WHERE slug = 'north-korea-arms'").fetchone()[0]
        == 1
    )
    assert conn.execute("SELECT COUNT(*) FROM tm_pair WHERE origin = ?", (SLUG,)).fetchone()[0] == 0
    assert (
        conn.execute("SELECT COUNT(*) FROM tm_pair WHERE origin = 'north-korea-arms'").fetchone()[0]
        > 0
    )
    conn.close()
    assert f"TR {FIRST}" in published(project, "tr", slug="north-korea-arms")
    old_page = published(project, "tr", ".html")
    assert "url=north-korea-arms.html" in old_page  # the old URL points to the new one
    result = project.run("compile")
    assert result.exit_code == 0 and (project.root / "public" / "tr" / f"{SLUG}.html").exists()
    assert "../en/north-korea-arms.html" in published(
        project, "tr", ".html", slug="north-korea-arms"
    )


def test_extract_notices_a_renamed_file_and_says_how_to_rename(project: Project) -> None:
    prepared(project)
    (project.root / "content" / SEED.name).rename(project.root / "content" / "moved.md")
    result = project.run("extract")
    assert result.exit_code == 1
    assert f"content/moved.md: looks like the vanished article '{SLUG}'" in result.output
    assert f"paragraf rename {SLUG} moved" in result.output
    assert not (project.root / "translations" / "templates" / "moved.pot").exists()
    assert project.run("rename", SLUG, "moved").exit_code == 0  # the file was moved already
    assert project.run("extract").exit_code == 0
    assert project.run("update").exit_code == 0
    assert all(
        catalog.is_approved(e) for e in catalog.load(project.po("ru", "moved")) if not e.obsolete
    )


def test_remove_retires_an_article_and_keeps_its_translations(project: Project) -> None:
    prepared(project)
    result = project.run("remove", SLUG)
    assert result.exit_code == 1 and "still holds the article" in result.output
    (project.root / "content" / SEED.name).unlink()
    result = project.run("remove", SLUG)
    assert result.exit_code == 0, result.output
    assert not (project.root / "public" / "tr" / f"{SLUG}.html").exists()
    po = polib.pofile(str(project.po("tr", SLUG)))
    assert po and all(e.obsolete and e.msgstr for e in po)
    assert project.run("status").output.splitlines()[1:] == []


def test_one_bad_file_never_stops_the_others(project: Project) -> None:
    project.add("second.md", "---\ntitle: Second\nlang: en\n---\n\nOne paragraph.\n")
    project.run("extract")
    project.run("update")
    broken = project.po("tr", SLUG)
    broken.write_text(broken.read_text(encoding="utf-8") + '\nmsgid "unclosed\n', encoding="utf-8")
    plural = project.po("ru", "second")
    plural.write_text(
        plural.read_text(encoding="utf-8")
        + '\nmsgid "%d file"\nmsgid_plural "%d files"\nmsgstr[0] "a"\nmsgstr[1] "b"\nmsgstr[2] "c"\n',
        encoding="utf-8",
    )
    for command in (["status"], ["check"], ["draft"], ["compile", "--threshold", "0"]):
        result = project.run(*command)
        assert result.exit_code == 1, (command, result.output)
        assert f"translations/tr/LC_MESSAGES/{SLUG}.po:" in result.output, command
        assert "translations/ru/LC_MESSAGES/second.po:" in result.output, command
        assert "this is not an article catalog" in result.output, command
    rows = {tuple(line.split()[:2]) for line in project.run("status").output.splitlines()[1:]}
    assert {(SLUG, "ru"), ("second", "tr")} <= rows and (SLUG, "tr") not in rows
    assert (project.root / "public" / "ru" / f"{SLUG}.html").exists()  # the healthy version
    assert (project.root / "public" / "tr" / "second.html").exists()


def test_check_mode_exits_1_without_writing(project: Project) -> None:
    project.run("extract")
    project.run("update")
    assert project.run("extract", "--check").exit_code == 0
    assert project.run("update", "--check").exit_code == 0
    before = project.snapshot()
    edit_source(project, FIRST, EDITED)
    result = project.run("extract", "--check")
    assert result.exit_code == 1 and "would write translations/templates/" in result.output
    assert project.snapshot() == before
    project.run("extract")
    before = project.snapshot()
    result = project.run("update", "--check", "--lang", "tr")
    assert (
        result.exit_code == 1
        and f"would write translations/tr/LC_MESSAGES/{SLUG}.po" in result.output
    )
    assert "ru/LC_MESSAGES" not in result.output
    assert project.snapshot() == before


def test_article_and_lang_filters(project: Project) -> None:
    project.add("second.md", "---\ntitle: Second\nlang: en\n---\n\nOne paragraph.\n")
    result = project.run("extract", "--article", "second")
    assert result.exit_code == 0 and "second.pot" in result.output and SLUG not in result.output
    project.run("extract")
    result = project.run("update", "--article", "second", "--lang", "ru")
    assert result.output.count("wrote") == 1 and "ru/LC_MESSAGES/second.po" in result.output
    project.run("update")
    approve_all(project, "tr", "second")
    approve_all(project, "ru", "second")
    result = project.run("compile", "--article", "second", "--lang", "tr")
    assert (project.root / "public" / "tr" / "second.html").exists()
    assert not (project.root / "public" / "ru" / "second.html").exists()
    assert not (project.root / "public" / "tr" / f"{SLUG}.html").exists()


def test_update_says_when_articles_wait_for_extract(project: Project) -> None:
    result = project.run("update")
    assert "1 article(s) have no template yet (content/" in result.output
    assert "run 'paragraf extract' first" in result.output


def test_the_author_is_translated_and_dates_follow_british_english(project: Project) -> None:
    prepared(project)
    html = published(project, "ru", ".html")
    assert '<span class="author">RU Zeki Talustan Gülten</span>' in html
    assert "11 January 2024" in published(project, "en", ".html")
    project.add("untitled.md", "---\nlang: en\n---\n\nText.\n")
    result = project.run("extract")
    assert (
        result.exit_code == 1
        and "content/untitled.md:1: front matter has no 'title'" in result.output
    )
