"""What an article, a catalog or the content folder can hold, and what is refused (issue 9)."""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys

import polib
import pytest

from app.fsutil import open_atomic
from app.po import catalog
from tests.project_fixtures import SEED, Project, msgfmt_check, project  # noqa: F401

SLUG = SEED.stem


def article(body: str, *, meta: str = "title: T\nlang: en") -> str:
    return f"---\n{meta}\n---\n\n{body}\n"


def template(project: Project, slug: str) -> polib.POFile:
    return catalog.load(project.root / "translations" / "templates" / f"{slug}.pot")


def test_word_line_breaks_in_a_source_become_hard_breaks(project: Project) -> None:
    project.add("breaks.md", article("Birinci\x0bikinci\u2028üçüncü satır."))
    assert project.run("extract").exit_code == 0
    [entry] = [e for e in template(project, "breaks") if e.comment == "paragraph"]
    assert entry.msgid == "Birinci\nikinci\nüçüncü satır."
    assert project.run("update").exit_code == 0
    assert project.run("status").exit_code == 0  # the template stops nothing
    po = catalog.load(project.po("tr", "breaks"))
    for e in po:
        e.msgstr = e.msgid.upper()
    catalog.save(po, project.po("tr", "breaks"))
    assert project.run("compile").exit_code == 0
    built = (project.root / "public" / "tr" / "breaks.md").read_text(encoding="utf-8")
    assert "BIRINCI\\\nIKINCI\\\nÜÇÜNCÜ SATIR." in built  # published translated, not in English


@pytest.mark.parametrize("char", ["\x0c", "\x08", "\x1c", "\u2029", "\x00"])
def test_a_character_no_catalog_keeps_stops_that_article_only(project: Project, char: str) -> None:
    project.add("bad.md", article(f"One line.\n\nTwo{char}words."))
    result = project.run("extract")
    assert result.exit_code == 1
    assert f"content/bad.md:8:4: character U+{ord(char):04X}" in result.output
    assert not (project.root / "translations" / "templates" / "bad.pot").exists()
    assert (
        project.root / "translations" / "templates" / f"{SLUG}.pot"
    ).exists()  # the others go on


def test_yaml_aliases_are_refused(project: Project) -> None:
    bomb = 'a: &a ["x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a]\nc: [*b,*b,*b,*b,*b,*b]'
    project.add("bomb.md", article("Text.", meta=f"title: T\nlang: en\n{bomb}"))
    result = project.run("extract")
    assert result.exit_code == 1
    assert "content/bomb.md:4: YAML anchors and aliases" in result.output


def test_front_matter_values_are_bounded_and_typed(project: Project) -> None:
    project.add("long.md", article("Text.", meta="title: " + "x" * 10_001 + "\nlang: en"))
    project.add("date.md", article("Text.", meta="title: T\nlang: en\ndate: 2024-13-45"))
    project.add("words.md", article("Text.", meta="title: T\nlang: en\ndate: next tuesday"))
    project.add("list.md", article("Text.", meta="title: [a, b]\nlang: en"))
    result = project.run("extract")
    assert result.exit_code == 1
    assert (
        "content/long.md:2: front matter 'title' is longer than 10,000 characters" in result.output
    )
    assert "content/date.md:4: front matter 'date' is not a real date" in result.output
    assert "content/words.md:4: front matter 'date' must be a date like 2024-01-11" in result.output
    assert "content/list.md:1: front matter has no 'title'" in result.output
    assert "Traceback" not in result.output


def test_a_bom_is_accepted_and_cr_only_files_are_named(project: Project) -> None:
    (project.root / "content" / "bom.md").write_bytes("\ufeff".encode() + article("Text.").encode())
    (project.root / "content" / "mac.md").write_bytes(article("Text.").replace("\n", "\r").encode())
    result = project.run("extract")
    assert (project.root / "translations" / "templates" / "bom.pot").exists()
    assert "content/mac.md:1: the file ends its lines with CR only" in result.output


def nested(depth: int) -> str:
    return "\n".join("  " * i + f"- item {i}" for i in range(depth))


def test_nothing_nested_is_dropped_silently(project: Project) -> None:
    project.add("ten.md", article(nested(10)))
    project.add("deep.md", article(nested(1000)))
    project.add("quotes.md", article("\n".join(">" * (i + 1) + f" q {i}" for i in range(20))))
    result = project.run("extract")
    items = [e.msgid for e in template(project, "ten") if e.comment == "list item"]
    assert items == [f"item {i}" for i in range(10)]  # all ten, not nine
    quotes = [e for e in template(project, "quotes") if e.comment == "quote"]
    assert len(quotes) == 20
    assert result.exit_code == 1 and "content/deep.md:" in result.output
    assert "nested deeper than paragraf can extract" in result.output
    assert not (project.root / "translations" / "templates" / "deep.pot").exists()


def test_symlinks_out_of_the_project_dangling_and_looping_are_reported(
    project: Project, tmp_path_factory
) -> None:
    outside = tmp_path_factory.mktemp("elsewhere") / "secret.md"
    outside.write_text(article("Secret draft."), encoding="utf-8")
    content = project.root / "content"
    (content / "out.md").symlink_to(outside)
    (content / "gone.md").symlink_to(content / "missing.md")
    (content / "loop.md").symlink_to(content / "loop.md")
    (content / "inside.md").symlink_to(content / SEED.name)
    result = project.run("extract")
    assert result.exit_code == 1
    assert "content/out.md: a link to" in result.output and "outside the project" in result.output
    assert "content/gone.md: a link to" in result.output and "does not exist" in result.output
    assert "content/loop.md: a link that loops back on itself" in result.output
    assert "Traceback" not in result.output
    assert not (project.root / "translations" / "templates" / "out.pot").exists()


def test_a_file_name_that_cannot_be_a_reference_is_reported(project: Project) -> None:
    project.add("with space.md", article("Text."))
    result = project.run("extract")
    assert (
        result.exit_code == 1
        and "'content/with space.md': a file name with spaces" in result.output
    )


def test_hard_breaks_keep_a_crlf_file_crlf(project: Project) -> None:
    (project.root / "content" / "crlf.md").write_bytes(
        article("Line one\\\nline two.").replace("\n", "\r\n").encode()
    )
    project.run("extract")
    project.run("update")
    po = catalog.load(project.po("tr", "crlf"))
    for e in po:
        e.msgstr = "Bir\niki" if "\n" in e.msgid else "Başlık"
    catalog.save(po, project.po("tr", "crlf"))
    project.run("compile", "--threshold", "0")
    built = (project.root / "public" / "tr" / "crlf.md").read_bytes()
    assert b"Bir\\\r\niki" in built and b"\n" not in built.replace(b"\r\n", b"")


def test_a_line_ending_in_a_backslash_keeps_its_break(project: Project) -> None:
    project.add("bs.md", article("C:\\\\temp is a folder\\\nand so on."))
    project.run("extract")
    project.run("update")
    po = catalog.load(project.po("tr", "bs"))
    for e in po:
        e.msgstr = "C:\\\\\nklasör" if "\n" in e.msgid else "Başlık"
    catalog.save(po, project.po("tr", "bs"))
    project.run("compile", "--threshold", "0")
    built = (project.root / "public" / "tr" / "bs.md").read_text(encoding="utf-8")
    assert "C:\\\\  \nklasör" in built  # two spaces: a backslash would escape the backslash
    html = (project.root / "public" / "tr" / "bs.html").read_text(encoding="utf-8")
    assert "C:\\<br>" in html


def test_a_line_end_inside_a_code_span_is_no_hard_break(project: Project) -> None:
    project.add("code.md", article("Run `grep -r  \nfoo` now."))
    project.run("extract")
    [entry] = [e for e in template(project, "code") if e.comment == "paragraph"]
    assert entry.msgid == "Run `grep -r foo` now."


def test_fenced_code_keeps_its_language_class(project: Project) -> None:
    project.add("fence.md", article("```python\nprint(1)\n```"))
    project.run("extract")
    project.run("update")
    project.run("compile", "--threshold", "0")
    html = (project.root / "public" / "en" / "fence.html").read_text(encoding="utf-8")
    assert '<code class="language-python">' in html


def prepared(project: Project) -> None:
    assert project.run("extract").exit_code == 0
    assert project.run("update").exit_code == 0
    po = catalog.load(project.po("tr", SLUG))
    for e in po:
        e.msgstr = f"TR {e.msgid}"
    catalog.save(po, project.po("tr", SLUG))
    project.run("update")


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda t: "", "the file is empty"),
        (lambda t: t[: t.rindex('msgstr "TR')], "the last entry has no msgstr"),
        (lambda t: t[: t.index("\n\n", t.index("TR ") + 500) + 1], "translation(s) are gone"),
        (lambda t: t + '\nmsgid ""\nmsgstr "Language: tr\\n"\n', "a second header entry"),
        (lambda t: t + '\n#~ msgid "x\n#~ msgstr "y"\n', "not valid PO syntax"),
    ],
)
def test_a_broken_catalog_is_refused_never_rewritten(project: Project, damage, message) -> None:
    prepared(project)
    path = project.po("tr", SLUG)
    broken = damage(path.read_text(encoding="utf-8"))
    path.write_text(broken, encoding="utf-8")
    result = project.run("update")
    assert result.exit_code == 1 and message in result.output
    assert path.read_text(encoding="utf-8") == broken  # not rewritten
    assert result.output.count("wrote") == 0 or "ru/LC_MESSAGES" not in result.output


def test_a_deleted_catalog_that_held_translations_is_refused(project: Project) -> None:
    prepared(project)
    project.po("tr", SLUG).unlink()
    result = project.run("update")
    assert (
        result.exit_code == 1
        and "is missing, but it held 21 when paragraf last wrote it" in result.output
    )
    assert not project.po("tr", SLUG).exists()


def test_crash_debris_is_swept_by_the_next_command_and_ignored_by_git(project: Project) -> None:
    prepared(project)
    folder = project.po("tr", SLUG).parent
    stale = folder / f".{SLUG}.po.k1ll3d.tmp"
    stale.write_text("half a catalog")
    busy = folder / f".{SLUG}.po.wr1t1ng.tmp"
    busy.write_text("being written")
    fd = os.open(busy, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX)  # another process is still writing this one
    try:
        project.run("status")
        assert not stale.exists() and busy.exists()
    finally:
        os.close(fd)
    ignored = subprocess.run(
        [
            "git",
            "check-ignore",
            "-q",
            "--no-index",
            f"translations/tr/LC_MESSAGES/.{SLUG}.po.x.tmp",
        ],
        cwd=SEED.parent.parent,
    )
    assert ignored.returncode == 0


def test_an_interrupted_write_leaves_no_file_and_no_debris(tmp_path) -> None:
    target = tmp_path / "x.po"
    with pytest.raises(KeyboardInterrupt), open_atomic(target) as f:
        f.write(b"half")
        raise KeyboardInterrupt
    assert list(tmp_path.iterdir()) == []
    code = (
        "import os, sys; from pathlib import Path; from app.fsutil import open_atomic\n"
        "with open_atomic(Path(sys.argv[1])) as f:\n"
        "    f.write(b'half'); f.flush(); os.kill(os.getpid(), 9)"
    )
    subprocess.run([sys.executable, "-c", code, str(target)], cwd=SEED.parent.parent, check=False)
    assert not target.exists()
    debris = list(tmp_path.iterdir())
    assert len(debris) == 1 and debris[0].name.startswith(".x.po.")
    from app.fsutil import sweep

    assert sweep([tmp_path]) == debris and list(tmp_path.iterdir()) == []


def test_msgfmt_accepts_catalogs_made_from_hard_texts(project: Project) -> None:
    project.add("hard.md", article('«Ёлка» \\"quoted\\" \ufeff and\x0bbreak, tab\there.'))
    prepared(project)
    for lang in ("tr", "ru"):
        msgfmt_check(project.po(lang, "hard"))
