"""The UI's own catalogs: complete, current with the code, and compiled in the package."""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest
from babel.messages.frontend import CommandLineInterface

from app.web.i18n import TRANSLATIONS
from tests.project_fixtures import ROOT

TEMPLATE = TRANSLATIONS / "messages.pot"
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
    po = polib.pofile(str(TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po"))
    template = {e.msgid for e in polib.pofile(str(TEMPLATE))}
    active = [e for e in po if not e.obsolete]
    assert {e.msgid for e in active} == template
    forms = {
        e.msgid: list(e.msgstr_plural.values()) if e.msgid_plural else [e.msgstr] for e in active
    }
    assert not [e.msgid for e in active if not all(forms[e.msgid]) or e.fuzzy]
    assert all(len(forms[e.msgid]) == (2 if lang == "tr" else 3) for e in active if e.msgid_plural)
    for e in active:
        for form in forms[e.msgid]:
            assert sorted(_PLACEHOLDER.findall(e.msgid)) == sorted(_PLACEHOLDER.findall(form)), (
                e.msgid
            )


@pytest.mark.parametrize("lang", ["tr", "ru"])
def test_committed_mo_matches_its_po(lang: str) -> None:
    """The wheel ships compiled catalogs: each .mo says what its .po says."""
    folder = TRANSLATIONS / lang / "LC_MESSAGES"
    po = {
        e.msgid: e.msgstr or e.msgstr_plural
        for e in polib.pofile(str(folder / "messages.po"))
        if e.translated()
    }
    mo = {
        e.msgid: e.msgstr or e.msgstr_plural
        for e in polib.mofile(str(folder / "messages.mo"))
        if e.msgid
    }
    assert mo == po, "run: pybabel compile -d app/web/translations -D messages"
    assert (
        polib.mofile(str(TRANSLATIONS / "ru" / "LC_MESSAGES" / "messages.mo"))
        .find("Sign in")
        .msgstr
        == "Войти"
    )
