"""Cross-version consistency (``paragraf check --consistency``, ``paragraf ledger``) and dismissed findings."""

from __future__ import annotations

from app.checks import check_pair
from app.consistency import compare
from app.po import catalog, dismissals
from tests.project_fixtures import Project, msgfmt_check, project  # noqa: F401

ARTICLE = """\
---
title: Arms
lang: en
date: 2024-01-11
---

Production rose by 36.2% in 2024, says the report.[i]

| Year | Shells |
|------|-------:|
| 2023 | 1,250.5 |

[i] Report, https://example.org/en/report
"""

TR = {
    "Arms": "Silahlar",
    "Production rose by 36.2% in 2024, says the report.[i]": "Rapora göre üretim 2024'te %36,2 arttı.[i]",
    "Year": "Yıl",
    "Shells": "Mermiler",
    "Report, https://example.org/en/report": "Rapor, https://example.org/tr/report",
}
RU = {
    "Arms": "Оружие",
    "Production rose by 36.2% in 2024, says the report.[i]": "По данным доклада, производство выросло на 32,6% в 2024 году.[i]",
    "Year": "Год",
    "Shells": "Снаряды",
    "Report, https://example.org/en/report": "Доклад, https://example.org/ru/report",
}


def fill(project: Project, lang: str, table: dict[str, str]) -> None:
    """Translate the entries in ``table`` and approve every entry (the drafted figures too)."""
    path = project.po(lang, "arms")
    po = catalog.load(path)
    for entry in po:
        if entry.msgid in table:
            entry.msgstr = table[entry.msgid]
        entry.flags = []
    catalog.save(po, path)


def three_versions(project: Project) -> None:
    project.add("arms.md", ARTICLE)
    assert project.run("extract").exit_code == 0
    assert project.run("update").exit_code == 0
    drafted = project.run(
        "draft", "--article", "arms"
    )  # no engine configured: the figures are drafted locally
    assert "tr: 2 without words, 0 from memory; 5 left empty" in drafted.output
    fill(project, "tr", TR)
    fill(project, "ru", RU)


def test_consistency_names_the_wrong_version_and_exits_1(project: Project) -> None:
    three_versions(project)
    result = project.run("check", "--consistency")
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if ": consistency " in line]
    assert lines == [
        "translations/ru/LC_MESSAGES/arms.po:"
        + lines[0].split(":")[1]
        + ": consistency numbers: the Russian version has 32,6 where the source and Turkish have 36.2"
    ]
    ru = catalog.load(project.po("ru", "arms"))
    line = int(lines[0].split(":")[1])
    assert next(e for e in ru if e.linenum == line).msgstr.startswith("По данным")


def test_consistency_is_clean_when_every_version_agrees(project: Project) -> None:
    three_versions(project)
    fill(
        project,
        "ru",
        RU
        | {
            next(
                iter(k for k in RU if "36.2" in k)
            ): "По данным доклада, производство выросло на 36,2% в 2024 году.[i]"
        },
    )
    result = project.run("check", "--consistency")
    assert result.exit_code == 0, result.output
    assert "0 disagreement(s)" in result.output


def test_every_version_against_the_source_points_at_the_source() -> None:
    notes = compare(
        {"en": "It rose by 36.2%.", "tr": "%32,6 arttı.", "ru": "Выросло на 32,6%."}, "en"
    )
    assert [(n.lang, str(n.message)) for n in notes] == [
        (
            "en",
            "every version (Turkish, Russian) has 32,6 where the source has 36.2: check the source",
        )
    ]


def test_markers_urls_and_terms_across_versions() -> None:
    terms = [{"en": "Security Council", "tr": "Güvenlik Konseyi", "ru": "Совет Безопасности"}]
    notes = compare(
        {
            "en": "The Security Council met.[i] See https://ex.org/en/a",
            "tr": "Güvenlik Konseyi toplandı.[i] Bkz. https://ex.org/tr/a",
            "ru": "Совет собрался.[ii] См. https://ex.org/ru/b",
        },
        "en",
        terms,
    )
    assert [(n.lang, n.kind, str(n.message)) for n in notes] == [
        ("ru", "markers", "the Russian version has [ii] where the source and Turkish have [i]"),
        (
            "ru",
            "urls",
            "the Russian version has https://ex.org/ru/b where the source and Turkish have https://ex.org/en/a",
        ),
        (
            "ru",
            "glossary",
            "the Russian version lacks the glossary term 'Совет Безопасности' for 'Security Council', which Turkish have",
        ),
    ]


def test_ledger_lists_numbers_of_every_version(project: Project) -> None:
    three_versions(project)
    result = project.run("ledger", "arms")
    assert result.exit_code == 0, result.output
    text = result.output
    assert (
        "block 2 · paragraph · numbers !\n  en    36.2 · 2024\n  tr    2024 · 36,2\n  ru    32,6 · 2024"
        in text
    )
    assert "numbers\n  en    2023\n  tr    2023\n  ru    2023" in text
    assert "numbers\n  en    1,250.5\n  tr    1.250,5\n  ru    1 250,5" in text  # drafted figures
    assert "· markers\n  en    [i]\n  tr    [i]\n  ru    [i]" in text


def test_ledger_of_an_unknown_article_is_an_error(project: Project) -> None:
    three_versions(project)
    result = project.run("ledger", "nope")
    assert result.exit_code == 1
    assert "nope" in result.output


def test_dismissed_finding_no_longer_blocks_compile(project: Project) -> None:
    three_versions(project)
    fill(
        project,
        "ru",
        RU
        | {
            "Production rose by 36.2% in 2024, says the report.[i]": "По данным доклада, производство выросло на 36,2% в 2024 году.[i]"
        },
    )
    wrong = "Rapora göre üretim 2024'te %36,2 arttı."  # the marker dropped
    fill(project, "tr", TR | {"Production rose by 36.2% in 2024, says the report.[i]": wrong})
    result = project.run("compile")
    assert result.exit_code == 1, result.output
    assert "tr/arms: not published" in result.output
    assert not (project.root / "public" / "tr" / "arms.html").exists()

    path = project.po("tr", "arms")
    po = catalog.load(path)
    entry = po.find("Production rose by 36.2% in 2024, says the report.[i]")
    found = check_pair(entry.msgid, entry.msgstr, "en", "tr")
    assert [f.check for f in found] == ["markers"]
    entry.tcomment = dismissals.add(
        entry.tcomment,
        [(f.check, f.key) for f in found],
        entry.msgid,
        entry.msgstr,
        "ayse",
        "the marker moved to the footnote",
    )
    catalog.save(po, path)
    msgfmt_check(path)
    assert "# dismissed: markers " in path.read_text(encoding="utf-8")
    assert project.run("check", "--lang", "tr").exit_code == 0
    result = project.run("compile")
    assert result.exit_code == 0, result.output
    assert (project.root / "public" / "tr" / "arms.html").exists()

    # A changed translation drops the dismissal's hold: the finding is back.
    po = catalog.load(path)
    po.find(entry.msgid).msgstr = wrong + " "
    catalog.save(po, path)
    assert project.run("check", "--lang", "tr").exit_code == 1


def test_dismissal_lines_hold_for_one_text_only() -> None:
    comment = dismissals.add(
        "draft: deepl", [("numbers", "0a1b2c3d")], "src", "tgt", "ayse", "  a\nreason  "
    )
    assert comment.splitlines()[0] == "draft: deepl"
    assert comment.splitlines()[1].endswith(" ayse: a reason")
    assert set(dismissals.active(comment, "src", "tgt")) == {"0a1b2c3d"}
    assert dismissals.active(comment, "src", "other") == {}
    assert dismissals.prune(comment, "src", "other") == "draft: deepl"
    for bad in ("", "x" * 501, "zero\u200bwidth\x07"):
        try:
            dismissals.add("", [("numbers", "0a1b2c3d")], "s", "t", "u", bad)
        except dismissals.DismissalError as e:
            assert str(e)
        else:
            raise AssertionError(f"accepted {bad!r}")
