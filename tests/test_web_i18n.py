"""The UI's own catalogs: complete, current with the code, compiled at start."""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest
from babel.messages.frontend import CommandLineInterface

from app.i18n import compile_ui_catalogs
from tests.project_fixtures import ROOT

TEMPLATE = ROOT / "translations" / "messages.pot"
_PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def test_messages_template_is_current(tmp_path: Path) -> None:
    out = tmp_path / "messages.pot"
    CommandLineInterface().run(
        ["pybabel", "-q", "extract", "-F", str(ROOT / "babel.cfg"), "--ignore-dirs", ".* ._ content",
         "-o", str(out), str(ROOT)]
    )  # fmt: skip
    fresh = {e.msgid for e in polib.pofile(str(out))}
    committed = {e.msgid for e in polib.pofile(str(TEMPLATE))}
    assert fresh == committed, "run the pybabel extract/update lines in babel.cfg"


@pytest.mark.parametrize("lang", ["tr", "ru"])
def test_every_ui_string_is_translated(lang: str) -> None:
    po = polib.pofile(str(ROOT / "translations" / lang / "LC_MESSAGES" / "messages.po"))
    template = {e.msgid for e in polib.pofile(str(TEMPLATE))}
    active = [e for e in po if not e.obsolete]
    assert {e.msgid for e in active} == template
    assert not [e.msgid for e in active if not e.msgstr or e.fuzzy]
    for e in active:
        assert sorted(_PLACEHOLDER.findall(e.msgid)) == sorted(_PLACEHOLDER.findall(e.msgstr)), (
            e.msgid
        )


def test_article_templates_folder_holds_no_ui_catalog() -> None:
    assert not (ROOT / "translations" / "templates" / "messages.pot").exists()


def test_ui_catalogs_compile_into_instance(tmp_path: Path) -> None:
    from app.config import load_config

    config = load_config(ROOT)
    langs = compile_ui_catalogs(config, tmp_path)
    assert sorted(langs) == ["ru", "tr"]
    mo = tmp_path / "ru" / "LC_MESSAGES" / "messages.mo"
    assert polib.mofile(str(mo)).find("Sign in").msgstr == "Войти"
    before = mo.stat().st_mtime_ns
    compile_ui_catalogs(config, tmp_path)
    assert mo.stat().st_mtime_ns == before  # unchanged bytes are not rewritten
