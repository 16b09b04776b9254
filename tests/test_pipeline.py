"""The command-line pipeline: extract, update, compile and status on real files."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import polib
import pytest

from app.po import catalog
from tests.project_fixtures import DATA, ROOT, SEED, Project, msgfmt_check, project  # noqa: F401

SLUG = SEED.stem


def translate_all(project: Project, lang: str, fn, *, fuzzy: bool = False) -> None:
    """Fill every entry of a catalog with ``fn(msgid)`` and save it through the one writer."""
    path = project.po(lang, SLUG)
    po = catalog.load(path)
    for entry in po:
        entry.msgstr = fn(entry.msgid)
        if fuzzy:
            entry.flags = ["fuzzy"]
    catalog.save(po, path)


def test_extract_update_write_valid_catalogs(project: Project) -> None:
    result = project.run("extract")
    assert result.exit_code == 0, result.output
    pot = project.root / "translations" / "templates" / f"{SLUG}.pot"
    assert f"wrote translations/templates/{SLUG}.pot" in result.output
    result = project.run("update")
    assert result.exit_code == 0, result.output
    assert not project.po("en", SLUG).exists()  # the article's own language gets no catalog
    for lang, plural in (("tr", "nplurals=2;"), ("ru", "nplurals=3;")):
        po = polib.pofile(str(project.po(lang, SLUG)))
        assert po.metadata["Language"] == lang
        assert po.metadata["Plural-Forms"].startswith(plural)
        assert po.metadata["Content-Type"] == "text/plain; charset=UTF-8"
        assert len(po) == 21  # 24 blocks, four "Ibıd." references share one entry
        ibid = po.find("Ibıd.")
        assert [line for _, line in ibid.occurrences] == ["39", "41", "43", "45"]
        assert all("python-format" not in e.flags for e in po)
        msgfmt_check(project.po(lang, SLUG))
    msgfmt_check(pot)


def test_rerun_without_change_rewrites_nothing(project: Project) -> None:
    project.run("extract")
    project.run("update")
    translate_all(project, "tr", lambda s: f"[tr] {s}")
    project.run("compile")
    before = {
        name: (data, os.stat(project.root / name).st_mtime_ns)
        for name, data in project.snapshot().items()
    }
    for command in ("extract", "update", "compile"):
        result = project.run(command)
        assert result.exit_code == 0, result.output
        assert "wrote" not in result.output
    after = {
        name: (data, os.stat(project.root / name).st_mtime_ns)
        for name, data in project.snapshot().items()
    }
    assert after == before


def test_rerun_without_stamps_still_rewrites_nothing(project: Project) -> None:
    project.run("extract")
    project.run("update")
    before = project.snapshot()
    shutil.rmtree(project.root / "instance")  # no cache: every article is read again
    assert "wrote" not in project.run("extract").output
    assert "wrote" not in project.run("update").output
    assert project.snapshot() == before


def test_load_and_save_is_byte_identical_and_one_edit_touches_one_entry(project: Project) -> None:
    project.run("extract")
    project.run("update")
    path = project.po("ru", SLUG)
    original = path.read_bytes()
    catalog.save(catalog.load(path), path)
    assert path.read_bytes() == original
    po = catalog.load(path)
    po.find("Ibıd.").msgstr = "Там же."
    catalog.save(po, path)
    old_lines, new_lines = original.decode().splitlines(), path.read_text().splitlines()
    assert len(old_lines) == len(new_lines)
    changed = [(a, b) for a, b in zip(old_lines, new_lines, strict=True) if a != b]
    assert changed == [('msgstr ""', 'msgstr "Там же."')]


def test_source_edit_gives_exactly_one_fuzzy_entry_with_previous_msgid(project: Project) -> None:
    project.run("extract")
    project.run("update")
    translate_all(project, "tr", lambda s: f"TR: {s}")
    source = project.root / "content" / SEED.name
    text = source.read_text(encoding="utf-8")
    old = "Security experts warn that such arms transfers could contribute to regional conflicts and tensions."
    new = (
        "Security experts warn that such arms transfers could fuel regional conflicts and tensions."
    )
    assert old in text
    source.write_text(text.replace(old, new), encoding="utf-8")
    project.run("extract")
    assert project.run("update").exit_code == 0
    po = polib.pofile(str(project.po("tr", SLUG)))
    fuzzy = po.fuzzy_entries()
    assert len(fuzzy) == 1
    assert new in fuzzy[0].msgid
    assert old in fuzzy[0].previous_msgid
    assert fuzzy[0].msgstr == f"TR: {fuzzy[0].previous_msgid}"
    [kept] = po.obsolete_entries()  # the approved translation of the old text, as it was
    assert (kept.msgid, kept.msgstr, kept.fuzzy) == (
        fuzzy[0].previous_msgid,
        fuzzy[0].msgstr,
        False,
    )
    assert len(po.translated_entries()) == len([e for e in po if not e.obsolete]) - 1
    assert "#| msgid" in project.po("tr", SLUG).read_text()
    msgfmt_check(project.po("tr", SLUG))


def test_removed_block_keeps_its_translation_as_obsolete(project: Project) -> None:
    project.run("extract")
    project.run("update")
    translate_all(project, "ru", lambda s: f"RU: {s}")
    source = project.root / "content" / SEED.name
    text = source.read_text(encoding="utf-8")
    removed = next(line for line in text.splitlines() if line.startswith("Indeed, North Korea"))
    source.write_text(text.replace(removed + "\n\n", ""), encoding="utf-8")
    project.run("extract")
    project.run("update")
    po = polib.pofile(str(project.po("ru", SLUG)))
    [obsolete] = po.obsolete_entries()
    assert obsolete.msgid == removed
    assert obsolete.msgstr == f"RU: {removed}"
    assert "#~ msgid" in project.po("ru", SLUG).read_text()
    # Putting the paragraph back brings its translation back, approved.
    source.write_text(text, encoding="utf-8")
    project.run("extract")
    project.run("update")
    po = polib.pofile(str(project.po("ru", SLUG)))
    assert po.obsolete_entries() == []
    assert po.find(removed).msgstr == f"RU: {removed}"
    assert not po.find(removed).fuzzy


def test_identity_translation_compiles_back_to_the_source(project: Project) -> None:
    project.run("extract")
    project.run("update")
    for lang in ("tr", "ru"):
        translate_all(project, lang, lambda s: s)
    assert project.run("compile").exit_code == 0
    source = (project.root / "content" / SEED.name).read_text(encoding="utf-8")
    for lang in ("tr", "ru"):
        built = (project.root / "public" / lang / f"{SLUG}.md").read_text(encoding="utf-8")
        assert built == source.replace("lang: en", f"lang: {lang}", 1)


def test_pseudo_translation_compiles_every_block_and_keeps_the_skeleton(project: Project) -> None:
    project.run("extract")
    project.run("update")
    translate_all(project, "tr", lambda s: f"⟦{s}⟧")
    translate_all(project, "ru", lambda s: f"⟦{s}⟧")
    result = project.run("compile")
    assert result.exit_code == 0, result.output
    built = (project.root / "public" / "tr" / f"{SLUG}.md").read_text(encoding="utf-8")
    assert 'title: "⟦Allegations of North Korea-Russia Arms Trade⟧"' in built
    assert "lang: tr\n" in built
    assert 'date: 2024-01-11\nauthor: "⟦Zeki Talustan Gülten⟧"\n' in built  # the author too
    assert "\nslug: " not in built and "lang: tr\ndate: 2024-01-11" in built  # others untouched
    for marker in ("i", "ii", "iii", "iv", "v", "vi"):
        assert f"\n[{marker}] ⟦" in built  # reference markers stay outside the translation
    assert "\n* * *\n" in built
    source = (project.root / "content" / SEED.name).read_text(encoding="utf-8")
    assert built.count("\n") == source.count("\n")
    body = built.split("---\n", 2)[2]
    paragraphs = [p for p in body.split("\n\n") if p.strip() and p.strip() != "* * *"]
    assert all("⟦" in p for p in paragraphs)
    html = (project.root / "public" / "ru" / f"{SLUG}.html").read_text(encoding="utf-8")
    assert '<html lang="ru"' in html
    assert "<title>⟦Allegations of North Korea-Russia Arms Trade⟧</title>" in html
    assert "11 января 2024" in html  # the date, formatted for Russian by Babel
    assert '<strong lang="ru">Русский</strong>' in html
    assert f'<a href="../tr/{SLUG}.html" hreflang="tr" lang="tr">Türkçe</a>' in html
    assert f'<a href="../en/{SLUG}.html" hreflang="en" lang="en">English</a>' in html
    assert f'<link rel="alternate" hreflang="en" href="../en/{SLUG}.html">' in html
    en_html = (project.root / "public" / "en" / f"{SLUG}.html").read_text(encoding="utf-8")
    assert "11 January 2024" in en_html  # English dates follow the configured EN-GB
    mo = polib.mofile(str(project.po("tr", SLUG).with_suffix(".mo")))
    assert mo.find("Ibıd.").msgstr == "⟦Ibıd.⟧"


def test_threshold_holds_back_incomplete_articles(project: Project) -> None:
    project.run("extract")
    project.run("update")
    translate_all(project, "ru", lambda s: f"RU {s}")
    translate_all(project, "tr", lambda s: f"TR {s}", fuzzy=True)  # drafts are not approved
    result = project.run("compile")
    assert result.exit_code == 0
    assert (
        f"not publishing tr/{SLUG}: 0% of the words are publishable (0 approved and 0 stale"
        " of 21 blocks), below the threshold of 100%" in result.output
    )
    assert not (project.root / "public" / "tr" / f"{SLUG}.md").exists()
    html = (project.root / "public" / "ru" / f"{SLUG}.html").read_text(encoding="utf-8")
    assert "Türkçe" not in html  # the switcher links only the versions that exist
    result = project.run("compile", "--threshold", "0")
    built = (project.root / "public" / "tr" / f"{SLUG}.md").read_text(encoding="utf-8")
    assert "TR " not in built  # drafts are never published: the source text stands in
    assert "Türkçe" in (project.root / "public" / "ru" / f"{SLUG}.html").read_text(encoding="utf-8")


def test_status_table_and_json(project: Project) -> None:
    project.run("extract")
    project.run("update")
    po = catalog.load(project.po("tr", SLUG))
    po.find("Ibıd.").msgstr = "a.g.e."
    po[0].msgstr = "Taslak"
    po[0].flags = ["fuzzy"]
    catalog.save(po, project.po("tr", SLUG))
    result = project.run("status", "--json")
    rows = {(r["article"], r["lang"]): r for r in json.loads(result.output)}
    tr = rows[(SLUG, "tr")]
    assert (tr["approved"], tr["stale"], tr["draft"], tr["untranslated"]) == (1, 0, 1, 19)
    assert tr["approved_words"] == 1
    assert tr["percent"] == round(100 * 1 / tr["words"], 1)  # one approved word of the source's
    assert rows[(SLUG, "ru")]["untranslated"] == 21
    table = project.run("status", "--lang", "tr").output.splitlines()
    assert table[0].split() == [
        "article",
        "lang",
        "approved",
        "stale",
        "draft",
        "untranslated",
        "words",
        "approved%",
        "published%",
        "assigned",
    ]
    assert table[1].split()[:6] == [SLUG, "tr", "1", "0", "1", "19"]
    assert len(table) == 2


BAD_ARTICLES = [
    ("no front matter", b"# Title\n\nText.\n", "bad.md:1: no front matter"),
    (
        "not YAML",
        b"---\ntitle: [unclosed\nlang: en\n---\n\nText.\n",
        "bad.md:3: front matter is not valid YAML",
    ),
    ("no lang", b"---\ntitle: T\n---\n\nText.\n", "bad.md:1: front matter has no 'lang' key"),
    (
        "lang not configured",
        b"---\ntitle: T\nlang: de\n---\n\nText.\n",
        "'lang' is 'de', which is not configured",
    ),
    ("not UTF-8", "---\ntitle: T\nlang: tr\n---\n\nŞ\n".encode("cp1254"), "bad.md:6: not UTF-8"),
    (
        "unclosed front matter",
        b"---\ntitle: T\nlang: en\n\nText.\n",
        "bad.md:1: front matter is not closed",
    ),
]


@pytest.mark.parametrize(
    ("name", "data", "message"), BAD_ARTICLES, ids=[b[0] for b in BAD_ARTICLES]
)
def test_bad_article_is_named_and_nothing_is_written_for_it(
    project: Project, name, data, message
) -> None:
    (project.root / "content" / "bad.md").write_bytes(data)
    result = project.run("extract")
    assert result.exit_code == 1
    assert f"Error: content/{message}" in result.output or message in result.output
    assert not (project.root / "translations" / "templates" / "bad.pot").exists()
    # The good article is still extracted.
    assert (project.root / "translations" / "templates" / f"{SLUG}.pot").exists()


def test_two_articles_with_one_slug(project: Project) -> None:
    text = (project.root / "content" / SEED.name).read_text(encoding="utf-8")
    project.add("other/copy.md", text.replace("lang: en", f"lang: en\nslug: {SLUG}", 1))
    result = project.run("extract")
    assert result.exit_code == 1
    assert f"two articles with the slug '{SLUG}'" in result.output
    assert "content/other/copy.md" in result.output
    assert not (project.root / "translations" / "templates" / f"{SLUG}.pot").exists()


def test_hand_broken_catalog_is_reported_and_left_alone(project: Project) -> None:
    project.run("extract")
    project.run("update")
    path = project.po("ru", SLUG)
    broken = path.read_text(encoding="utf-8").replace(
        'msgstr ""\n\n#. paragraph', 'msgstr "unclosed\n\n#. paragraph', 1
    )
    path.write_text(broken, encoding="utf-8")
    tr_before = project.po("tr", SLUG).read_bytes()
    source = project.root / "content" / SEED.name
    source.write_text(
        source.read_text(encoding="utf-8").replace("Indeed,", "In fact,"), encoding="utf-8"
    )
    project.run("extract")
    result = project.run("update")
    assert result.exit_code == 1
    line = broken.splitlines().index('msgstr "unclosed') + 1
    assert (
        f"Error: translations/ru/LC_MESSAGES/{SLUG}.po:{line}: not valid PO syntax" in result.output
    )
    assert path.read_text(encoding="utf-8") == broken  # not touched
    assert project.po("tr", SLUG).read_bytes() == tr_before  # no half-updated article either


def test_pybabel_extract_finds_the_same_messages(project: Project) -> None:
    shutil.copy(ROOT / "babel.cfg", project.root / "babel.cfg")
    out = project.root / "pybabel.pot"
    subprocess.run(
        [sys.executable, "-c", "from babel.messages.frontend import main; main()"]
        + ["extract", "-F", "babel.cfg", "-o", str(out), "."],
        check=True,
        capture_output=True,
        cwd=project.root,
        env={**os.environ, "PYTHONPATH": str(ROOT)},  # this tree's extractor, not an installed one
    )
    project.run("extract")
    ours = polib.pofile(str(project.root / "translations" / "templates" / f"{SLUG}.pot"))
    theirs = polib.pofile(str(out))
    assert [e.msgid for e in theirs] == [e.msgid for e in ours]
    assert [e.occurrences for e in theirs] == [e.occurrences for e in ours]


def test_the_readmes_pybabel_command_extracts_the_articles_only(tmp_path) -> None:
    command = 'pybabel extract -F babel.cfg --ignore-dirs ".* ._ app" -o articles.pot .'
    assert command in (ROOT / "README.md").read_text(encoding="utf-8")
    out = tmp_path / "articles.pot"
    subprocess.run(
        [sys.executable, "-c", "from babel.messages.frontend import main; main()"]
        + ["extract", "-F", "babel.cfg", "--ignore-dirs", ".* ._ app", "-o", str(out), "."],
        check=True,
        capture_output=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    entries = polib.pofile(str(out))
    assert len(entries) > 0
    assert all(path.startswith("content/") for e in entries for path, _ in e.occurrences)


def test_duplicate_msgid_in_a_hand_edited_catalog_names_the_line(project: Project) -> None:
    project.run("extract")
    project.run("update")
    path = project.po("tr", SLUG)
    text = path.read_text(encoding="utf-8")
    path.write_text(text + '\nmsgid "Ibıd."\nmsgstr "x"\n', encoding="utf-8")
    line = len(text.splitlines()) + 2
    with pytest.raises(catalog.CatalogError, match=rf"{SLUG}.po:{line}: duplicate msgid 'Ibıd.'"):
        catalog.load(path, display=path.name)


def test_every_command_is_documented_in_the_readme() -> None:
    from app.cli import main

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name, command in main.commands.items():
        assert f"paragraf {name}" in readme, name
        for sub in getattr(command, "commands", {}):
            assert f"paragraf {name} {sub}" in readme, f"{name} {sub}"


def test_reverting_a_source_edit_restores_the_approved_translation(project: Project) -> None:
    project.run("extract")
    project.run("update")
    translate_all(project, "tr", lambda s: f"TR {s}")
    source = project.root / "content" / SEED.name
    original = source.read_text(encoding="utf-8")
    source.write_text(
        original.replace("Indeed, North Korea", "Indeed, North-Korea"), encoding="utf-8"
    )
    project.run("extract")
    project.run("update")
    po = catalog.load(project.po("tr", SLUG))
    [draft] = po.fuzzy_entries()
    draft.msgstr = "Yeni bir taslak"  # a translator rewrote the draft meanwhile
    catalog.save(po, project.po("tr", SLUG))
    source.write_text(original, encoding="utf-8")
    project.run("extract")
    project.run("update")
    po = polib.pofile(str(project.po("tr", SLUG)))
    active = [e for e in po if not e.obsolete]
    assert [e for e in active if e.fuzzy] == []
    assert all(e.msgstr == f"TR {e.msgid}" and e.previous_msgid is None for e in active)
    [kept] = po.obsolete_entries()  # the rewritten draft of the edited text is kept too
    assert kept.msgstr == "Yeni bir taslak" and kept.fuzzy


def test_a_draft_is_never_approved_by_a_reverted_source_edit(project: Project) -> None:
    project.run("extract")
    project.run("update")
    translate_all(project, "tr", lambda s: f"TR {s}", fuzzy=True)  # hand-made drafts
    source = project.root / "content" / SEED.name
    original = source.read_text(encoding="utf-8")
    source.write_text(
        original.replace("Indeed, North Korea", "Indeed, North-Korea"), encoding="utf-8"
    )
    project.run("extract")
    project.run("update")
    source.write_text(original, encoding="utf-8")
    project.run("extract")
    project.run("update")
    po = polib.pofile(str(project.po("tr", SLUG)))
    assert all(e.fuzzy for e in po if not e.obsolete)


def test_update_keeps_the_header_fields_a_translators_tool_sets(project: Project) -> None:
    project.run("extract")
    project.run("update")
    path = project.po("ru", SLUG)
    po = catalog.load(path)
    po.metadata["Last-Translator"] = "Анна <anna@example.org>"
    po.metadata["X-Generator"] = "Poedit 3.4"
    catalog.save(po, path)
    source = project.root / "content" / SEED.name
    source.write_text(
        source.read_text(encoding="utf-8").replace("Indeed,", "In fact,"), encoding="utf-8"
    )
    project.run("extract")
    assert project.run("update").exit_code == 0
    meta = polib.pofile(str(path)).metadata
    assert (
        meta["Last-Translator"] == "Анна <anna@example.org>" and meta["X-Generator"] == "Poedit 3.4"
    )
    assert meta["Language"] == "ru"


def test_an_escape_polib_would_mangle_is_reported_with_its_line(project: Project) -> None:
    project.run("extract")
    project.run("update")
    path = project.po("tr", SLUG)
    lines = path.read_text(encoding="utf-8").splitlines()
    index = lines.index('msgstr ""', 20)
    lines[index] = 'msgstr "a\\qb"'
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(catalog.CatalogError, match=rf"{SLUG}.po:{index + 1}: unknown escape"):
        catalog.load(path, display=path.name)


@pytest.mark.parametrize("command", ["status", "check", "draft"])
def test_an_unknown_language_is_an_error_not_an_empty_result(
    project: Project, command: str
) -> None:
    project.run("extract")
    project.run("update")
    result = project.run(command, "--lang", "TR")
    assert result.exit_code == 1
    assert "--lang 'TR': not a configured language; use one of en, tr, ru" in result.output


def test_a_deleted_article_is_taken_down_and_its_translations_kept(project: Project) -> None:
    project.add("second.md", "---\ntitle: Second\nlang: en\n---\n\nSome text.\n")
    project.run("extract")
    project.run("update")
    translate_all(project, "tr", lambda s: f"TR {s}")
    project.run("compile", "--threshold", "0")
    assert (project.root / "public" / "tr" / "second.html").exists()
    (project.root / "content" / "second.md").unlink()
    result = project.run("extract")
    assert "translations/templates/second.pot: its article is gone" in result.output
    result = project.run("compile", "--threshold", "0")
    assert result.exit_code == 0
    assert "removed public/tr/second.html: its article is gone" in result.output
    assert not list((project.root / "public").rglob("second.*"))
    assert project.po("tr", "second").exists()  # translations are never deleted
    assert (project.root / "public" / "tr" / f"{SLUG}.html").exists()


def test_a_plural_translation_of_a_singular_msgid_is_reported(project: Project) -> None:
    project.run("extract")
    project.run("update")
    path = project.po("ru", SLUG)
    text = path.read_text(encoding="utf-8").replace(
        'msgid "Ibıd."\nmsgstr ""', 'msgid "Ibıd."\nmsgstr[0] "Там же."'
    )
    path.write_text(text, encoding="utf-8")
    line = text.splitlines().index('msgid "Ibıd."') + 1
    with pytest.raises(catalog.CatalogError, match=rf"{SLUG}.po:{line}: msgstr\[N\] without"):
        catalog.load(path, display=path.name)


@pytest.mark.parametrize(
    ("entry", "what"),
    [
        (
            'msgid "%d file"\nmsgid_plural "%d files"\nmsgstr[0] "a"\nmsgstr[1] "b"\n',
            "a plural entry",
        ),
        ('msgctxt "menu"\nmsgid "Open"\nmsgstr "Aç"\n', "msgctxt"),
    ],
)
def test_entries_update_would_drop_are_refused_on_load(
    project: Project, entry: str, what: str
) -> None:
    project.run("extract")
    project.run("update")
    path = project.po("tr", SLUG)
    text = path.read_text(encoding="utf-8") + "\n" + entry
    path.write_text(text, encoding="utf-8")
    line = len(text.splitlines()) - entry.count("\n") + 1 + (1 if what == "msgctxt" else 0)
    with pytest.raises(
        catalog.CatalogError, match=rf"{SLUG}.po:{line}: {what}: this is not an article catalog"
    ):
        catalog.load(path, display=path.name)
