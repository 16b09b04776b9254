"""``paragraf draft``: figures and the memory first, then DeepL through the real client over HTTP, through the cache."""

from __future__ import annotations

import re
import socket

import polib
import pytest

from app.mt.placeholders import protect
from app.po import catalog
from tests.deepl_server import AUTH_KEY, FakeDeepL, billable, deepl_server  # noqa: F401
from tests.project_fixtures import SEED, Project, msgfmt_check, project  # noqa: F401

SLUG = SEED.stem
SHARED = next(
    line
    for line in SEED.read_text(encoding="utf-8").splitlines()
    if line.startswith("Indeed, North Korea")
)
LINKED = 'See [the report](https://example.org/r?a=1&b=2 "Report") and *its annex*.[i] Also `code` and https://un.org/x.[^1]'


def article(title: str, paragraphs: list[str], lang: str = "en") -> str:
    body = "\n\n".join(paragraphs)
    return f"---\ntitle: {title}\nlang: {lang}\ndate: 2024-02-01\n---\n\n{body}\n"


def prepare(project: Project) -> None:
    assert project.run("extract").exit_code == 0
    assert project.run("update").exit_code == 0


def approve_all(project: Project, lang: str, slug: str, fn) -> None:
    path = project.po(lang, slug)
    po = catalog.load(path)
    for entry in po:
        entry.msgstr = fn(entry.msgid)
    catalog.save(po, path)


@pytest.fixture
def with_deepl(deepl_server: FakeDeepL, monkeypatch: pytest.MonkeyPatch) -> FakeDeepL:
    monkeypatch.setenv("DEEPL_AUTH_KEY", AUTH_KEY)
    monkeypatch.setenv("DEEPL_SERVER_URL", deepl_server.url)
    return deepl_server


@pytest.fixture
def no_deepl(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DEEPL_AUTH_KEY", raising=False)
    monkeypatch.delenv("DEEPL_SERVER_URL", raising=False)


def test_memory_drafts_without_a_key(project: Project, no_deepl) -> None:
    project.add("second.md", article("Second", [SHARED, "Something new."]))
    prepare(project)
    approve_all(project, "tr", SLUG, lambda s: f"TR {s}")
    result = project.run("draft")
    assert result.exit_code == 0, result.output
    assert "DeepL is not configured" in result.output
    assert "DEEPL_AUTH_KEY" in result.output
    entry = polib.pofile(str(project.po("tr", "second"))).find(SHARED)
    assert entry.msgstr == f"TR {SHARED}"
    assert entry.fuzzy
    assert entry.tcomment == f"draft: tm {SLUG}"
    # Russian has nothing approved: nothing to take from the memory.
    assert polib.pofile(str(project.po("ru", "second"))).find(SHARED).msgstr == ""
    assert "tr: 0 without words, 1 from memory" in result.output
    msgfmt_check(project.po("tr", "second"))


def drafted(project: Project, lang: str, slug: str) -> dict[str, polib.POEntry]:
    return {e.msgid: e for e in polib.pofile(str(project.po(lang, slug))) if e.msgstr}


def test_deepl_drafts_every_empty_entry_and_a_rerun_bills_nothing(
    project: Project, with_deepl: FakeDeepL
) -> None:
    prepare(project)
    result = project.run("draft")
    assert result.exit_code == 0, result.output
    requests = with_deepl.translate_requests()
    assert len(requests) == 2 * 21  # each segment with its own context: one request each
    for request in requests:
        assert request.params["source_lang"] == "EN"
        assert request.params["tag_handling"] == "xml"
        assert request.params["tag_handling_version"] == "v2"
        assert len(request.texts) == 1
    assert {r.params["target_lang"] for r in requests} == {"TR", "RU"}
    billed = sum(billable(r.texts[0], True) for r in requests if r.params["target_lang"] == "TR")
    for lang in ("tr", "ru"):
        po = polib.pofile(str(project.po(lang, SLUG)))
        assert all(e.msgstr and e.fuzzy and e.tcomment == "draft: deepl" for e in po)
        assert po.find("Ibıd.").msgstr.startswith(f"⟨{lang}⟩")
        msgfmt_check(project.po(lang, SLUG))
    assert (
        f"tr: 0 without words, 0 from memory, 21 by DeepL in 21 request(s), {billed} characters billed, 0 from the cache (0 characters saved)"
        in result.output
    )
    again = project.run("draft")
    assert again.exit_code == 0
    assert len(with_deepl.translate_requests()) == 42  # nothing sent
    assert "nothing to draft" in again.output and "0 characters billed" in again.output


def test_inline_markdown_survives_deepl(project: Project, with_deepl: FakeDeepL) -> None:
    project.add("links.md", article("Links", [LINKED, "[^1]: A note."]))
    prepare(project)
    assert project.run("draft", "--article", "links", "--lang", "tr").exit_code == 0
    draft = polib.pofile(str(project.po("tr", "links"))).find(LINKED).msgstr
    for kept in (
        '(https://example.org/r?a=1&b=2 "Report")',
        "[i]",
        "`code`",
        "https://un.org/x",
        "[^1]",
    ):
        assert kept in draft
    assert draft.count("*") == 2
    assert (
        "[eht troper](https://example.org" in draft
    )  # the link text was translated (words reversed)
    assert {r.params["target_lang"] for r in with_deepl.translate_requests()} == {"TR"}


def test_each_segment_gets_its_own_neighbours_as_context(
    project: Project, with_deepl: FakeDeepL
) -> None:
    paragraphs = [f"Paragraph number {i} of the long article." for i in range(60)]
    project.add("long.md", article("Long", paragraphs))
    prepare(project)
    assert project.run("draft", "--article", "long", "--lang", "ru").exit_code == 0
    requests = with_deepl.translate_requests()
    assert len(requests) == 61  # the title and 60 paragraphs
    by_text = {r.texts[0]: r.params.get("context", "") for r in requests}
    for i in (0, 1, 30, 59):
        context = by_text[f"Paragraph number {i} of the long article."].split("\n\n")
        expected = ["Long"] + [
            f"Paragraph number {j} of the long article."
            for j in range(i - 2, i + 3)
            if 0 <= j < 60 and j != i
        ]
        assert context == expected, (i, context)
    assert by_text["Long"].split("\n\n") == paragraphs[:2]  # the title: the blocks after it


def test_a_paragraph_repeated_in_two_articles_is_billed_once_over_two_runs(
    project: Project, with_deepl: FakeDeepL
) -> None:
    project.add("a.md", article("A", [SHARED, "Only in A."]))
    project.add("b.md", article("B", ["Only in B.", SHARED]))
    prepare(project)
    assert project.run("draft", "--lang", "tr", "--article", "a").exit_code == 0
    second = project.run("draft", "--lang", "tr", "--article", "b")
    assert second.exit_code == 0, second.output
    sent = [r.texts[0] for r in with_deepl.translate_requests()]
    assert sum(SHARED in text for text in sent) == 1  # its context differs, its text does not
    assert "1 from the cache" in second.output
    assert f"({billable(protect(SHARED).xml, True)} characters saved)" in second.output
    for slug in ("a", "b"):
        assert drafted(project, "tr", slug)[SHARED].tcomment == "draft: deepl"


def test_rejected_drafts_are_drafted_again_from_the_cache(
    project: Project, with_deepl: FakeDeepL
) -> None:
    prepare(project)
    first = project.run("draft", "--lang", "tr")
    assert first.exit_code == 0
    sent = len(with_deepl.translate_requests())
    approve_all(project, "tr", SLUG, lambda s: "")  # a reviewer rejects every draft
    again = project.run("draft", "--lang", "tr")
    assert again.exit_code == 0, again.output
    assert len(with_deepl.translate_requests()) == sent  # nothing sent
    assert "21 by DeepL in 0 request(s), 0 characters billed, 21 from the cache" in again.output
    assert all(e.msgstr and e.fuzzy for e in polib.pofile(str(project.po("tr", SLUG))))


def test_dry_run_sends_nothing_and_prints_the_bill(project: Project, with_deepl: FakeDeepL) -> None:
    prepare(project)
    before = project.snapshot()
    result = project.run("draft", "--dry-run")
    assert result.exit_code == 0
    assert with_deepl.translate_requests() == []
    assert project.snapshot() == before
    estimate = re.search(
        r"tr: 0 without words, 0 from memory; DeepL would get 21 segment\(s\), (\d+) characters"
        r" billed, 0 from the cache \(dry run\)",
        result.output,
    )
    assert estimate, result.output
    assert "warning" not in result.output
    real = project.run("draft", "--lang", "tr")
    assert f"{estimate.group(1)} characters billed" in real.output  # the dry run predicts the bill
    # the Turkish drafts are cached now: the next estimate counts only Russian
    again = project.run("draft", "--dry-run")
    assert "ru: 0 without words, 0 from memory; DeepL would get 21 segment(s)" in again.output


def test_dry_run_warns_when_the_quota_left_is_too_small(
    project: Project, with_deepl: FakeDeepL
) -> None:
    prepare(project)
    with_deepl.character_count, with_deepl.character_limit = 499_000, 500_000
    result = project.run("draft", "--dry-run")
    assert result.exit_code == 0
    warning = re.search(
        r"warning: DeepL would bill (\d+) characters, more than the 1000 left this billing period"
        r" \(499000 of 500000 used\)",
        result.output,
    )
    assert warning, result.output


def test_a_budget_stops_sending_and_says_what_is_left(
    project: Project, with_deepl: FakeDeepL
) -> None:
    prepare(project)
    result = project.run("draft", "--lang", "tr", "--max-characters", "1000")
    assert result.exit_code == 0, result.output
    billed = sum(billable(r.texts[0], True) for r in with_deepl.translate_requests())
    assert 0 < billed <= 1000
    assert with_deepl.character_count == billed
    left = re.search(r"; (\d+) left empty", result.output)
    assert left and int(left.group(1)) == 21 - len(drafted(project, "tr", SLUG))
    assert "the budget of 1000 characters is reached" in result.output
    # the configured per-run budget works the same way
    pyproject = project.root / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text(encoding="utf-8") + "max_characters = 1\n", encoding="utf-8"
    )
    again = project.run("draft", "--lang", "tr")
    assert "the budget of 1 characters is reached" in again.output
    assert with_deepl.character_count == billed


def test_a_dropped_marker_at_a_sentence_end_is_put_back(
    project: Project, with_deepl: FakeDeepL
) -> None:
    ends = "Moscow denied it.[i] Pyongyang said nothing.[ii]"
    inside = "He called it “a lie”[iii] and left."
    project.add("markers.md", article("Markers", [ends, inside]))
    prepare(project)
    with_deepl.drop_next(r'<x id="[0-9]+" ?/>', times=10)  # every answer loses its markers
    result = project.run("draft", "--article", "markers", "--lang", "tr")
    assert result.exit_code == 0, result.output
    done = drafted(project, "tr", "markers")
    assert done[ends].msgstr == "⟨tr⟩ wocsoM deined ti.[i] gnaygnoyP dias gnihton.[ii]"
    assert "[iii]" not in done[inside].msgstr  # where it went inside the sentence is a guess
    assert "tr: 1 draft(s) need their markers checked" in result.output
    check = project.run("check", "--lang", "tr", "--article", "markers")
    assert "marker [iii] is missing from the target" in check.output


def test_bad_key_changes_nothing(project: Project, with_deepl: FakeDeepL, monkeypatch) -> None:
    project.add("second.md", article("Second", [SHARED]))
    prepare(project)
    approve_all(project, "tr", SLUG, lambda s: f"TR {s}")  # the memory could draft second.md
    monkeypatch.setenv("DEEPL_AUTH_KEY", "wrong-key")
    before = project.snapshot()
    result = project.run("draft")
    assert result.exit_code == 1
    assert "DEEPL_AUTH_KEY" in result.output
    assert project.snapshot() == before


def test_quota_exceeded_keeps_what_was_received_and_never_rebills_it(
    project: Project, with_deepl: FakeDeepL
) -> None:
    paragraphs = [f"Paragraph number {i} of the long article." for i in range(60)]
    project.add("long.md", article("Long", paragraphs))
    prepare(project)
    # the quota runs out mid-run: some requests are answered, then 456
    with_deepl.character_limit = with_deepl.character_count + 20 * len(paragraphs[0])
    result = project.run("draft", "--article", "long", "--lang", "tr")
    assert result.exit_code == 1
    assert "quota exceeded" in result.output
    answered = {r.texts[0] for r in with_deepl.translate_requests() if r.status == 200}
    kept = drafted(project, "tr", "long")
    assert 0 < len(kept) < 61 and set(kept) == answered  # everything paid for is in the catalog
    assert f"{61 - len(kept)} segment(s) remain undrafted" in result.output
    msgfmt_check(project.po("tr", "long"))
    billed_before = with_deepl.character_count
    with_deepl.character_limit = 1_000_000
    result = project.run("draft", "--article", "long", "--lang", "tr")
    assert result.exit_code == 0, result.output
    resent = [r.texts[0] for r in with_deepl.translate_requests() if r.status == 200]
    assert len(resent) == 61 and set(resent[len(answered) :]).isdisjoint(answered)
    assert with_deepl.character_count - billed_before == sum(
        billable(t, True) for t in resent[len(answered) :]
    )


def test_server_errors_and_refused_connections_are_clear(
    project: Project, with_deepl: FakeDeepL, monkeypatch
) -> None:
    prepare(project)
    with_deepl.fail_next(503, times=1000, path="/v2/translate")
    result = project.run("draft", "--lang", "tr")
    assert result.exit_code == 1
    assert "503" in result.output or "unavailable" in result.output.lower()
    assert (
        "tr: 0 without words, 0 from memory, 0 by DeepL" in result.output
    )  # the summary is still printed
    assert "21 segment(s) remain undrafted" in result.output and "; 21 left empty" in result.output
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("DEEPL_SERVER_URL", f"http://127.0.0.1:{port}")
    result = project.run("draft", "--lang", "tr")
    assert result.exit_code == 1
    assert f"http://127.0.0.1:{port}" in result.output


def test_glossary_is_synced_once_and_used(project: Project, with_deepl: FakeDeepL) -> None:
    glossary = project.root / "translations" / "glossary.csv"
    glossary.parent.mkdir(parents=True, exist_ok=True)
    glossary.write_text(
        "en,tr,ru\nUNSC,BMGK,СБ ООН\nNorth Korea,Kuzey Kore,КНДР\n", encoding="utf-8"
    )
    prepare(project)
    assert project.run("draft", "--lang", "tr").exit_code == 0
    assert len(with_deepl.glossary_requests("POST")) == 1
    assert all(r.params.get("glossary_id") for r in with_deepl.translate_requests())
    po = polib.pofile(str(project.po("tr", SLUG)))
    assert "Kuzey Kore" in po.find(next(e.msgid for e in po if "North Korea" in e.msgid)).msgstr
    assert project.run("draft", "--lang", "ru").exit_code == 0
    assert len(with_deepl.glossary_requests("POST")) == 1  # unchanged file: not uploaded again


def test_a_broken_catalog_of_another_language_does_not_stop_drafting(
    project: Project, no_deepl
) -> None:
    prepare(project)
    tr = project.po("tr", SLUG)
    tr.write_text(
        tr.read_text(encoding="utf-8").replace('msgstr ""', 'msgstr "unclosed', 1), encoding="utf-8"
    )
    result = project.run("draft", "--lang", "ru")
    assert result.exit_code == 0, result.output
    assert f"warning: translations/tr/LC_MESSAGES/{SLUG}.po:" in result.output
    assert "ru: 0 without words, 0 from memory; 21 left empty" in result.output
    assert project.run("draft", "--lang", "tr").exit_code == 1  # the broken one itself is an error


def test_two_clones_sharing_a_key_keep_their_own_glossaries(
    project: Project, with_deepl: FakeDeepL, tmp_path, monkeypatch
) -> None:
    import shutil

    glossary = project.root / "translations" / "glossary.csv"
    glossary.parent.mkdir(parents=True, exist_ok=True)
    glossary.write_text("en,tr,ru\nUNSC,BMGK,СБ ООН\n", encoding="utf-8")
    clone = tmp_path / "clone"
    shutil.copytree(project.root, clone)
    (clone / "translations" / "glossary.csv").write_text("en,tr,ru\nUN,BM,ООН\n", encoding="utf-8")
    prepare(project)
    assert project.run("draft", "--lang", "tr").exit_code == 0
    monkeypatch.chdir(clone)
    other = Project(clone)
    prepare(other)
    assert other.run("draft", "--lang", "tr").exit_code == 0
    assert len(with_deepl.glossaries) == 2  # the clone did not delete the first one
    monkeypatch.chdir(project.root)
    assert project.run("draft", "--lang", "ru").exit_code == 0
    assert len(with_deepl.glossary_requests("POST")) == 2  # and the first one is still in use
