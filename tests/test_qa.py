"""``paragraf check`` over catalogs, and the quality gate of ``paragraf compile``."""

from __future__ import annotations

import json

import polib

from app.po import catalog
from tests.project_fixtures import SEED, Project, project  # noqa: F401

SLUG = SEED.stem


def translate(project: Project, lang: str, fn, *, fuzzy_if=lambda msgid: False) -> polib.POFile:
    path = project.po(lang, SLUG)
    po = catalog.load(path)
    for entry in po:
        entry.msgstr = fn(entry.msgid)
        entry.flags = ["fuzzy"] if fuzzy_if(entry.msgid) else []
    catalog.save(po, path)
    return catalog.load(path)


def good_russian(msgid: str) -> str:
    """A stand-in translation that keeps markers, URLs and numbers: the source in « »."""
    return msgid.replace("“", "«").replace("”", "»")


def prepare(project: Project) -> None:
    assert project.run("extract").exit_code == 0
    assert project.run("update").exit_code == 0


def test_clean_catalog_exits_zero(project: Project) -> None:
    prepare(project)
    translate(project, "ru", good_russian)
    result = project.run("check", "--lang", "ru")
    errors = [
        line for line in result.output.splitlines() if ": markers:" in line or ": numbers:" in line
    ]
    assert errors == []
    assert result.exit_code == 0, result.output


def test_lost_marker_is_an_error_with_path_and_line(project: Project) -> None:
    prepare(project)
    marked = "[i]"
    po = translate(
        project,
        "tr",
        lambda s: good_russian(s).replace("[i]", "") if s.endswith(marked) else good_russian(s),
    )
    entry = next(e for e in po if e.msgid.endswith(marked))
    result = project.run("check", "--lang", "tr")
    assert result.exit_code == 1
    line = f"translations/tr/LC_MESSAGES/{SLUG}.po:{entry.linenum}: markers: "
    assert any(out.startswith(line) and "[i]" in out for out in result.output.splitlines()), (
        result.output
    )
    data = json.loads(project.run("check", "--lang", "tr", "--json").output)
    [problem] = [p for p in data if p["check"] == "markers"]
    assert (
        problem["severity"] == "error"
        and problem["line"] == entry.linenum
        and problem["state"] == "approved"
    )


def test_changed_number_in_russian_is_an_error_but_locale_formats_are_not(project: Project) -> None:
    prepare(project)
    source = "Several countries, including Ukraine"

    def ru(msgid: str) -> str:
        text = good_russian(msgid)
        if msgid.startswith(source):
            return text.replace("47", "48")  # "47 countries" became 48
        return text.replace("2006", "2006 года")

    translate(project, "ru", ru)
    result = project.run("check", "--lang", "ru")
    assert result.exit_code == 1
    numbers = [line for line in result.output.splitlines() if ": numbers: " in line]
    assert len(numbers) == 2  # 47 missing, 48 added; nothing for "2006 года" or the dates
    assert "'47' is missing" in numbers[0] and "'48'" in numbers[1]


def test_compile_refuses_an_article_with_errors_unless_forced(project: Project) -> None:
    prepare(project)
    translate(project, "ru", lambda s: good_russian(s).replace("https://", "http://"))
    result = project.run("compile")
    assert result.exit_code == 1
    assert f"ru/{SLUG}: not published: 2 error(s) in approved translations" in result.output
    assert (
        f"translations/ru/LC_MESSAGES/{SLUG}.po:" in result.output and ": urls: " in result.output
    )
    assert not (project.root / "public" / "ru" / f"{SLUG}.md").exists()
    assert project.run("compile").exit_code == 1  # a rerun refuses again
    forced = project.run("compile", "--force")
    assert forced.exit_code == 0, forced.output
    assert (project.root / "public" / "ru" / f"{SLUG}.md").exists()


def test_errors_in_drafts_do_not_block_publishing_but_are_reported(project: Project) -> None:
    prepare(project)
    translate(
        project,
        "ru",
        lambda s: good_russian(s).replace("[i]", ""),
        fuzzy_if=lambda msgid: msgid.endswith("[i]"),
    )
    result = project.run("compile", "--threshold", "0")
    assert result.exit_code == 0, result.output
    checked = project.run("check")
    assert checked.exit_code == 1 and ": markers: " in checked.output


def test_a_script_in_a_translation_never_reaches_the_published_page(project: Project) -> None:
    prepare(project)
    evil = '<img src=x onerror="alert(document.cookie)"><script>alert(1)</script>'
    translate(
        project, "ru", lambda s: good_russian(s) + (evil if s.startswith("North Korea has") else "")
    )
    result = project.run("compile")
    assert result.exit_code == 1 and ": html: HTML <img" in result.output
    assert project.run("compile", "--force").exit_code == 0
    page = (project.root / "public" / "ru" / f"{SLUG}.html").read_text(encoding="utf-8")
    assert "onerror" not in page and "<script>alert" not in page
    assert "<img" in page  # the harmless rest of the markup stays


def test_a_refused_version_keeps_what_was_published(project: Project) -> None:
    prepare(project)
    translate(project, "ru", lambda s: good_russian(s).replace("https://", "http://"))
    assert project.run("compile", "--force").exit_code == 0
    built = project.root / "public" / "ru" / f"{SLUG}.md"
    before = built.read_bytes()
    translate(project, "ru", lambda s: good_russian(s).replace("https://", "ftp://"))
    result = project.run("compile")
    assert result.exit_code == 1
    assert f"ru/{SLUG}: not published (the published version stays as it was)" in result.output
    assert built.read_bytes() == before  # no page goes down by accident
    assert "Русский" in (project.root / "public" / "en" / f"{SLUG}.html").read_text(
        encoding="utf-8"
    )


def test_a_deleted_article_is_taken_down_even_while_another_is_held_back(project: Project) -> None:
    project.add("second.md", "---\ntitle: Second\nlang: en\n---\n\nSome text.\n")
    prepare(project)
    translate(project, "ru", lambda s: good_russian(s).replace("https://", "http://"))  # held back
    path = project.po("ru", "second")
    po = catalog.load(path)
    for entry in po:
        entry.msgstr = f"RU {entry.msgid}"
    catalog.save(po, path)
    project.run("compile", "--threshold", "0", "--force")
    assert (project.root / "public" / "ru" / "second.html").exists()
    (project.root / "content" / "second.md").unlink()
    result = project.run("compile", "--threshold", "0")
    assert result.exit_code == 1  # the seed article's Russian is held back…
    assert not (
        project.root / "public" / "ru" / "second.html"
    ).exists()  # …and second is taken down


def test_sanitized_html_keeps_what_markdown_makes() -> None:
    from app.markdown.html import article_html

    html = article_html(
        '| a | b |\n|:--|--:|\n| x | y |\n\n[t](https://x.org "Başlık") ![i](https://x.org/i.png "T")\n\n'
        '<div style="position:fixed" onclick="steal()">kutu</div>\n'
    )
    assert (
        '<th class="align-right">' in html
        and "style=" not in html
        and 'title="Başlık"' in html
        and 'title="T"' in html
    )
    assert "position" not in html and "onclick" not in html and "kutu" in html
