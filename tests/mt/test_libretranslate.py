"""The LibreTranslate engine against a server on 127.0.0.1 that speaks LibreTranslate's documented API."""

from __future__ import annotations

import polib
import pytest

from app.config import config_from_mapping
from app.errors import ConfigError
from app.mt import Segment, machine_engine, machine_label
from app.mt.libretranslate import LibreTranslateEngine, LibreTranslateError
from app.po import catalog
from tests.libretranslate_server import (  # noqa: F401
    API_KEY,
    FakeLibreTranslate,
    libretranslate_server,
)
from tests.project_fixtures import SEED, Project, msgfmt_check, project  # noqa: F401

EXAMPLE = (
    'See the [report](https://example.org/r "R") and *its annex*.[i] Also `code`, https://un.org/x.'
)


@pytest.fixture
def engine(libretranslate_server: FakeLibreTranslate):
    engine = LibreTranslateEngine(libretranslate_server.url, API_KEY)
    try:
        yield engine
    finally:
        engine.close()


def test_round_trip_keeps_markdown(engine, libretranslate_server: FakeLibreTranslate) -> None:
    batch = engine.translate([Segment(EXAMPLE, "ignored"), Segment("Hello.")], "en", "tr")
    first, second = (d.text for d in batch.drafts if d)
    assert first == (
        '⟪tr⟫ eeS eht [troper](https://example.org/r "R") dna *sti xenna*.[i] oslA `code`,'
        " https://un.org/x."
    )
    assert second == "⟪tr⟫ olleH."
    [request] = libretranslate_server.translate_requests()
    assert request.params["source"] == "en" and request.params["target"] == "tr"
    assert request.params["format"] == "html" and request.params["api_key"] == API_KEY
    assert request.params["q"] == [
        'See the <a id="1">report</a> and <em id="2">its annex</em>.<x id="3"></x> Also'
        ' <x id="4"></x>, <x id="5"></x>.',
        "Hello.",
    ]
    assert "context" not in request.params  # LibreTranslate takes none
    assert batch.requests == 1 and batch.billed == len("See the report and its annex. Also , .") + 6


def test_a_lost_marker_at_the_end_is_put_back(engine, libretranslate_server) -> None:
    libretranslate_server.drop_next(r'<x id="[0-9]+"></x>')
    [draft] = engine.translate([Segment("Moscow denied it.[i]")], "en", "ru").drafts
    assert draft is not None and draft.text == "⟪ru⟫ wocsoM deined ti.[i]" and draft.lost == ()


def test_key_errors(libretranslate_server: FakeLibreTranslate) -> None:
    for key in ("", "wrong"):
        engine = LibreTranslateEngine(libretranslate_server.url, key)
        with pytest.raises(LibreTranslateError, match="LIBRETRANSLATE_API_KEY") as caught:
            engine.translate([Segment("Hello.")], "en", "tr")
        assert caught.value.partial is not None and caught.value.partial.drafts == [None]
        engine.close()
    assert [r.status for r in libretranslate_server.translate_requests()] == [400, 403]


def test_429_and_500_are_retried_then_named(engine, libretranslate_server) -> None:
    libretranslate_server.fail_next(429, times=2)
    assert engine.translate([Segment("Hello.")], "en", "tr").drafts[0] is not None
    libretranslate_server.fail_next(500, times=10)
    with pytest.raises(LibreTranslateError, match="failed \\(500: Cannot translate text\\)"):
        engine.translate([Segment("Hello.")], "en", "tr")


def test_an_unknown_pair_and_an_unreachable_server_are_clear(engine) -> None:
    with pytest.raises(LibreTranslateError, match="does not translate en into de"):
        engine.translate([Segment("Hello.")], "en", "de")
    gone = LibreTranslateEngine("http://127.0.0.1:9", API_KEY)
    with pytest.raises(
        LibreTranslateError, match="cannot reach LibreTranslate at http://127.0.0.1:9"
    ):
        gone.check()
    with pytest.raises(ConfigError, match="LIBRETRANSLATE_URL"):
        LibreTranslateEngine("127.0.0.1:5000")


def test_engines_are_chosen_per_language_pair(tmp_path) -> None:
    config = config_from_mapping(
        tmp_path,
        {"languages": ["en", "tr", "ru"], "engines": {"en-ru": "libretranslate", "en-tr": "none"}},
    )
    env = {"DEEPL_AUTH_KEY": "k", "LIBRETRANSLATE_URL": "http://127.0.0.1:1"}
    assert machine_label(config, "en", "ru", env) == "LibreTranslate"
    assert machine_label(config, "en", "tr", env) is None
    assert machine_label(config, "tr", "ru", env) == "DeepL"  # not listed: DeepL
    assert machine_label(config, "en", "ru", {"DEEPL_AUTH_KEY": "k"}) is None  # no server set
    engine = machine_engine(config, "en", "ru", env)
    assert isinstance(engine, LibreTranslateEngine)
    engine.close()
    for engines, message in (
        ({"en-de": "deepl"}, "not a pair of the configured languages"),
        ({"en-ru": "google"}, "must be one of deepl, libretranslate, none"),
    ):
        with pytest.raises(ConfigError, match=message):
            config_from_mapping(tmp_path, {"languages": ["en", "tr", "ru"], "engines": engines})


def test_draft_with_libretranslate_for_one_pair(
    project: Project, libretranslate_server: FakeLibreTranslate, monkeypatch
) -> None:
    pyproject = project.root / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text(encoding="utf-8") + 'engines = { "en-ru" = "libretranslate" }\n',
        encoding="utf-8",
    )
    monkeypatch.delenv("DEEPL_AUTH_KEY", raising=False)
    monkeypatch.setenv("LIBRETRANSLATE_URL", libretranslate_server.url)
    monkeypatch.setenv("LIBRETRANSLATE_API_KEY", API_KEY)
    assert project.run("extract").exit_code == 0
    assert project.run("update").exit_code == 0
    result = project.run("draft")
    assert result.exit_code == 0, result.output
    assert "DeepL is not configured" in result.output  # en-tr is DeepL's, and it has no key
    assert (
        "ru: 0 without words, 0 from memory, 21 by LibreTranslate in 1 request(s)" in result.output
    )
    assert "characters sent" in result.output  # a self-hosted server bills nothing
    ru = polib.pofile(str(project.po("ru", SEED.stem)))
    assert all(e.msgstr.startswith("⟪ru⟫") and e.fuzzy for e in ru)
    assert {e.tcomment for e in ru} == {"draft: libretranslate"}
    assert all(not e.msgstr for e in polib.pofile(str(project.po("tr", SEED.stem))))
    msgfmt_check(project.po("ru", SEED.stem))
    # a rejected draft comes back from the cache, nothing sent
    sent = len(libretranslate_server.translate_requests())
    path = project.po("ru", SEED.stem)
    po = catalog.load(path)
    for entry in po:
        entry.msgstr, entry.flags, entry.tcomment = "", [], ""
    catalog.save(po, path)
    again = project.run("draft", "--lang", "ru")
    assert "21 by LibreTranslate in 0 request(s)" in again.output
    assert len(libretranslate_server.translate_requests()) == sent
