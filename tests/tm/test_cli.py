"""``paragraf tm``: rebuilding from the catalogs, searching, and exchanging TMX and PO files."""

from __future__ import annotations

import polib

from app.po import catalog
from tests.project_fixtures import SEED, Project, project  # noqa: F401

SLUG = SEED.stem
FIRST = next(
    line
    for line in SEED.read_text(encoding="utf-8").splitlines()
    if line.startswith("North Korea has")
)


def approve(project: Project, lang: str, fn) -> None:
    path = project.po(lang, SLUG)
    po = catalog.load(path)
    for entry in po:
        entry.msgstr = fn(entry.msgid)
    catalog.save(po, path)


def test_rebuild_gives_every_language_pair_including_turkish_russian(project: Project) -> None:
    project.run("extract")
    project.run("update")
    approve(project, "tr", lambda s: f"TR {s}")
    approve(project, "ru", lambda s: f"RU {s}")
    result = project.run("tm", "rebuild")
    assert result.exit_code == 0, result.output
    for pair in ("tr→ru: 21 pairs", "ru→tr: 21 pairs"):  # paragraphs, through English
        assert pair in result.output
    # with English: the 21 paragraphs, and the sentences of those with more than one
    from app.sentences import split

    sentences = sum(
        len(split(e.msgid, "en"))
        for e in polib.pofile(str(project.po("tr", SLUG)))
        if len(split(e.msgid, "en")) > 1
    )
    for pair in ("en→tr", "tr→en", "en→ru", "ru→en"):
        assert f"{pair}: {21 + sentences} pairs" in result.output


def test_search_shows_score_origin_and_word_diff(project: Project) -> None:
    project.run("extract")
    project.run("update")
    approve(project, "tr", lambda s: f"TR {s}")
    query = FIRST.replace("largely isolated", "widely isolated")
    result = project.run("tm", "search", query, "--from", "en", "--to", "tr")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].endswith(f"%  {SLUG}") and int(lines[0].split("%")[0]) >= 95
    assert "[-largely-]{+widely+}" in lines[1]
    assert lines[2] == f"  target: TR {FIRST}"
    assert (
        "no match"
        in project.run(
            "tm", "search", "Completely unrelated words.", "--from", "en", "--to", "tr"
        ).output
    )


def test_memory_follows_catalog_edits_without_a_rebuild(project: Project) -> None:
    project.run("extract")
    project.run("update")
    search = ("tm", "search", FIRST, "--from", "en", "--to", "ru")
    assert "no match" in project.run(*search).output
    approve(project, "ru", lambda s: f"RU {s}")  # as Poedit or git pull would
    assert f"target: RU {FIRST}" in project.run(*search).output


def test_export_then_import_round_trip(project: Project, tmp_path, monkeypatch) -> None:
    project.run("extract")
    project.run("update")
    approve(project, "tr", lambda s: f"Türkçe: {s} ı İ ş ğ")
    tmx = tmp_path / "out.tmx"
    result = project.run("tm", "export", "--from", "en", "--to", "tr", str(tmx))
    assert result.exit_code == 0
    written = int(result.output.split("wrote ")[1].split(" pairs")[0])
    assert written > 21  # the 21 paragraphs and their aligned sentences
    assert '<tmx version="1.4">' in tmx.read_text(encoding="utf-8")
    other = Project(tmp_path / "other")
    (other.root / "content").mkdir(parents=True)
    (other.root / "pyproject.toml").write_text((project.root / "pyproject.toml").read_text())
    monkeypatch.chdir(other.root)
    result = other.run("tm", "import", str(tmx))
    assert result.exit_code == 0, result.output
    assert f"{2 * written} pairs imported" in result.output  # both directions of each unit
    for pair in ("en-tr", "tr-en"):  # indexed and saved: the first lookup does not build it
        assert (other.root / "instance" / "tm-index" / pair / "meta.json").is_file()
    found = other.run("tm", "search", FIRST, "--from", "en", "--to", "tr")
    assert f"target: Türkçe: {FIRST} ı İ ş ğ" in found.output


def test_po_import_counts_what_it_skips(project: Project, tmp_path) -> None:
    po = polib.POFile()
    po.metadata = {"Language": "ru", "Content-Type": "text/plain; charset=UTF-8"}
    po.append(polib.POEntry(msgid="Good morning", msgstr="Доброе утро"))
    po.append(polib.POEntry(msgid="Draft", msgstr="Черновик", flags=["fuzzy"]))
    po.append(polib.POEntry(msgid="Empty", msgstr=""))
    po.append(polib.POEntry(msgid="Menu", msgstr="Меню", msgctxt="nav"))
    po.append(
        polib.POEntry(
            msgid="%d file",
            msgid_plural="%d files",
            msgstr_plural={0: "файл", 1: "файла", 2: "файлов"},
        )
    )
    po.append(polib.POEntry(msgid="Old", msgstr="Старое", obsolete=True))
    path = tmp_path / "other-project.po"
    po.save(str(path))
    result = project.run("tm", "import", str(path))
    assert result.exit_code == 0, result.output
    assert "2 pairs imported" in result.output
    assert "5 of 6 entries skipped" in result.output
    for reason in ("fuzzy: 1", "msgctxt: 1", "obsolete: 1", "plural: 1", "untranslated: 1"):
        assert reason in result.output
    assert (
        "Доброе утро"
        in project.run("tm", "search", "Good morning", "--from", "en", "--to", "ru").output
    )


def test_import_of_a_broken_tmx_names_file_and_line(project: Project, tmp_path) -> None:
    bad = tmp_path / "bad.tmx"
    bad.write_text(
        '<?xml version="1.0"?>\n<tmx version="1.4">\n<body>\n<tu>\n</body>\n', encoding="utf-8"
    )
    result = project.run("tm", "import", str(bad))
    assert result.exit_code == 1
    assert f"Error: {bad}:5" in result.output
