"""app.langs: one profile per language, and a generic one for a language without."""

from __future__ import annotations

import pytest

from app import langs
from app.checks import check_pair
from tests.project_fixtures import Project, project  # noqa: F401


def test_profiles_hold_the_rules_that_differ_by_language() -> None:
    tr, ru, en = langs.profile("tr-TR"), langs.profile("ru"), langs.profile("EN")
    assert tr.fold("IĞDIR İzmir") == "ığdır izmir" and en.fold("IZMIR") == "izmir"
    assert ru.fold("Ёлка") == "елка"
    assert tr.stem("kitap")[1] == "kita" and ru.stem("россия")[1] == "росс"
    assert ru.quotes == "« »" and tr.quotes == "“ ”"
    assert langs.usual_ratio("en", "ru") == pytest.approx(1.15)
    assert langs.native_name("tr") == "Türkçe" and langs.native_name("ru") == "Русский"


def test_a_language_without_a_profile_gets_generic_rules() -> None:
    de = langs.profile("de")
    assert de.quotes == "" and de.length == 1.0 and de.number_fallbacks == ()
    assert langs.missing_profiles(("en", "tr", "de")) == ["de"]
    # no quote style is known for German: «» is not a finding there, but is in Turkish
    assert [f.check for f in check_pair('Er sagte "ja".', "Er sagte «ja».", "en", "de")] == []
    assert "quotes" in [f.check for f in check_pair('He said "yes".', "«evet» dedi.", "en", "tr")]


def test_check_names_a_configured_language_without_a_profile(project: Project) -> None:
    pyproject = project.root / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text().replace('["en", "tr", "ru"]', '["en", "tr", "ru", "de"]')
    )
    project.run("extract")
    project.run("update")
    result = project.run("check")
    assert result.exit_code == 0, result.output
    assert "language 'de' has no profile in app/langs.py" in result.output
