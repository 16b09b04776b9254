"""``paragraf draft``: the translation memory first, then DeepL through the real client over HTTP."""

from __future__ import annotations

import re
import socket

import polib
import pytest

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


def test_deepl_drafts_every_empty_entry_and_a_rerun_bills_nothing(
    project: Project, with_deepl: FakeDeepL
) -> None:
    prepare(project)
    result = project.run("draft")
    assert result.exit_code == 0, result.output
    requests = with_deepl.translate_requests()
    assert len(requests) == 2  # 20 entries per language: one batch each
    for request in requests:
        assert request.params["source_lang"] == "EN"
        assert request.params["tag_handling"] == "xml"
        assert request.params["tag_handling_version"] == "v2"
        assert len(request.texts) <= 50
    assert {r.params["target_lang"] for r in requests} == {"TR", "RU"}
    billed = sum(billable(s, True) for s in requests[0].texts)  # text outside the tags
    for lang in ("tr", "ru"):
        po = polib.pofile(str(project.po(lang, SLUG)))
        assert all(e.msgstr and e.fuzzy and e.tcomment == "draft: deepl" for e in po)
        assert po.find("Ibıd.").msgstr.startswith(f"⟨{lang}⟩")
        msgfmt_check(project.po(lang, SLUG))
    assert f"{billed} characters billed" in result.output
    again = project.run("draft")
    assert again.exit_code == 0
    assert len(with_deepl.translate_requests()) == 2  # nothing sent
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
    assert len(with_deepl.translate_requests()) == 1  # only Turkish, only this article


def test_context_is_the_neighbouring_paragraphs(project: Project, with_deepl: FakeDeepL) -> None:
    paragraphs = [f"Paragraph number {i} of the long article." for i in range(60)]
    project.add("long.md", article("Long", paragraphs))
    prepare(project)
    assert project.run("draft", "--article", "long", "--lang", "ru").exit_code == 0
    first, second = with_deepl.translate_requests()
    assert len(first.texts) == 50 and len(second.texts) == 11  # title + 60 paragraphs
    assert "Paragraph number 48 " in second.params["context"]  # the paragraph before the batch
    assert "Paragraph number 49 " in first.params["context"]  # the paragraph after it


def test_identical_texts_are_sent_once_per_run(project: Project, with_deepl: FakeDeepL) -> None:
    project.add("a.md", article("A", [SHARED]))
    project.add("b.md", article("B", [SHARED]))
    prepare(project)
    assert project.run("draft", "--lang", "tr", "--article", "a", "--article", "b").exit_code == 0
    sent = [text for r in with_deepl.translate_requests() for text in r.texts]
    assert sum(SHARED in text for text in sent) == 1
    for slug in ("a", "b"):
        assert polib.pofile(str(project.po("tr", slug))).find(SHARED).tcomment == "draft: deepl"


def test_dry_run_sends_nothing_and_prints_the_bill(project: Project, with_deepl: FakeDeepL) -> None:
    prepare(project)
    before = project.snapshot()
    result = project.run("draft", "--dry-run")
    assert result.exit_code == 0
    assert with_deepl.translate_requests() == []
    assert project.snapshot() == before
    estimate = re.search(
        r"tr: 0 without words, 0 from memory; DeepL would get 21 segment\(s\), (\d+) characters billed",
        result.output,
    )
    assert estimate, result.output
    real = project.run("draft", "--lang", "tr")
    assert f"{estimate.group(1)} characters billed" in real.output  # the dry run predicts the bill


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


def test_quota_exceeded_keeps_finished_batches(project: Project, with_deepl: FakeDeepL) -> None:
    project.add(
        "long.md",
        article("Long", [f"Paragraph number {i} of the long article." for i in range(60)]),
    )
    prepare(project)
    with_deepl.fail_next(456, path="/v2/translate")
    # The first request fails: nothing drafted, everything remains.
    result = project.run("draft", "--article", "long", "--lang", "tr")
    assert result.exit_code == 1
    assert "quota exceeded" in result.output
    assert "61 segment(s) remain undrafted" in result.output
    # Now the quota runs out after the first batch of 50.
    with_deepl.character_limit = (
        with_deepl.character_count
        + sum(len(f"Paragraph number {i} of the long article.") for i in range(49))
        + len("Long")
    )
    result = project.run("draft", "--article", "long", "--lang", "tr")
    assert result.exit_code == 1
    assert "11 segment(s) remain undrafted" in result.output
    po = polib.pofile(str(project.po("tr", "long")))
    assert len([e for e in po if e.msgstr]) == 50
    msgfmt_check(project.po("tr", "long"))


def test_a_413_split_then_a_456_keeps_and_never_rebills_the_first_half(
    project: Project, with_deepl: FakeDeepL
) -> None:
    paragraphs = [f"Paragraph {i:02} of the split article." for i in range(20)]
    project.add("split.md", article("Split", paragraphs))
    prepare(project)
    texts = ["Split", *paragraphs]  # 21 segments: one request, refused as too large
    with_deepl.fail_next(413, path="/v2/translate")
    half = texts[:10]  # the first half of the split fits the quota, the second does not
    with_deepl.character_limit = with_deepl.character_count + sum(map(len, half)) + 3
    result = project.run("draft", "--article", "split", "--lang", "tr")
    assert result.exit_code == 1 and "11 segment(s) remain undrafted" in result.output
    po = polib.pofile(str(project.po("tr", "split")))
    assert sorted(e.msgid for e in po if e.msgstr) == sorted(half)  # kept, though the call failed
    billed_before = with_deepl.character_count
    with_deepl.character_limit = 1_000_000
    result = project.run("draft", "--article", "split", "--lang", "tr")
    assert result.exit_code == 0, result.output
    sent = [t for r in with_deepl.translate_requests()[-1:] for t in r.params["text"]]
    assert len(sent) == 11 and not set(half) & {t for t in sent}
    assert with_deepl.character_count - billed_before == sum(map(len, texts[10:]))


def test_server_errors_and_refused_connections_are_clear(
    project: Project, with_deepl: FakeDeepL, monkeypatch
) -> None:
    prepare(project)
    with_deepl.fail_next(503, times=10, path="/v2/translate")
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


def test_too_large_request_is_split(project: Project, with_deepl: FakeDeepL) -> None:
    prepare(project)
    with_deepl.fail_next(413, path="/v2/translate")
    result = project.run("draft", "--lang", "ru")
    assert result.exit_code == 0, result.output
    assert all(e.msgstr for e in polib.pofile(str(project.po("ru", SLUG))))
    statuses = [r.status for r in with_deepl.translate_requests()]
    assert statuses[0] == 413 and statuses[1:] == [200, 200]


def test_glossary_is_synced_once_and_used(project: Project, with_deepl: FakeDeepL) -> None:
    glossary = project.root / "translations" / "glossary.csv"
    glossary.parent.mkdir(parents=True, exist_ok=True)
    glossary.write_text(
        "en,tr,ru\nUNSC,BMGK,СБ ООН\nNorth Korea,Kuzey Kore,КНДР\n", encoding="utf-8"
    )
    prepare(project)
    assert project.run("draft", "--lang", "tr").exit_code == 0
    assert len(with_deepl.glossary_requests("POST")) == 1
    [request] = with_deepl.translate_requests()
    assert request.params.get("glossary_id")
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
