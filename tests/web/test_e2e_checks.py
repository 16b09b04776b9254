"""Review that catches errors before approval, in headless Chromium: live checks, the gate, dismissals, bulk approval, the live preview."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from app.config import load_config
from app.po import catalog
from app.po.store import Store
from tests.project_fixtures import ROOT
from tests.web.browser import (  # noqa: F401
    ARTIFACTS,
    chromium,
    new_page,
    page,
    server,
    sign_in,
    watch,
)
from tests.web_fixtures import SLUG

# The fifth segment ("... foreign ministers from 47 countries ... Ukraine.[i]"), its translation
# with 47 written as 46 and the marker dropped.
WRONG = (
    "Ukrayna, Birleşik Krallık ve Amerika Birleşik Devletleri (ABD) dahil birçok ülke, Kuzey Kore"
    " ile Rusya arasındaki iddia edilen balistik füze transferlerini Birleşmiş Milletler (BM)"
    " yaptırımlarının ihlali olarak kınadı. Ortak bir açıklamada 46 ülkenin dışişleri bakanları ile"
    " Avrupa Birliği (AB) Dış Politika Şefi Josep Borrell ve ABD Dışişleri Bakanı Antony Blinken,"
    " iddia edilen silah transferlerini “en güçlü şekilde” kınayarak silahların Ukrayna'ya karşı"
    " kullanıldığını belirtti."
)
RIGHT = WRONG.replace("46", "47") + "[i]"


def project_root(tmp_path: Path) -> Path:
    return tmp_path / "project"


def catalog_entry(tmp_path: Path, index: int, slug: str = SLUG):
    store = Store(load_config(project_root(tmp_path)))
    ref = store.find("tr", slug)
    assert ref is not None
    return [e for e in store.read(ref) if not e.obsolete][index]


def paragraf(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run this tree's paragraf in the test project."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run(
        [sys.executable, "-c", "from app.cli import main; main()", *args],
        cwd=project_root(tmp_path),
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def open_segment(page, server: str, index: int, slug: str = SLUG) -> str:
    page.goto(f"{server}/review/tr/{slug}")
    key = page.locator("li.seg").nth(index).get_attribute("data-key")
    page.locator(f"#seg-{key} textarea").click()
    return key


def test_a_wrong_number_shows_before_any_save(page, server: str, tmp_path: Path) -> None:
    problems = watch(page)
    sign_in(page, server, "mehmet")
    key = open_segment(page, server, 4)
    page.keyboard.insert_text(WRONG)
    findings = page.locator(f"#seg-{key} .findings li.error")
    findings.filter(has_text="'46'").wait_for()
    text = page.locator(f"#seg-{key} .findings").inner_text()
    assert "Numbers number '47' is missing from the target" in text
    assert "Markers marker [i] is missing from the target" in text
    assert catalog_entry(tmp_path, 4).msgstr == ""  # nothing was saved
    # fixing the text clears them, still before any save
    page.locator(f"#seg-{key} textarea").fill(RIGHT)
    page.wait_for_function(
        "key => !document.querySelector(`#seg-${key} .findings li.error`)", arg=key
    )
    # for a translator, Ctrl+Enter saves a draft (the page says so) and moves on
    assert "save as draft" in page.locator(".enter-hint").inner_text()
    page.keyboard.press("Control+Enter")
    page.wait_for_function(
        "key => document.querySelector(`#seg-${key}`).dataset.state === 'draft'", arg=key
    )
    assert catalog_entry(tmp_path, 4).msgstr == RIGHT
    assert problems == []


def test_reviewer_approval_of_an_error_asks_for_an_override(
    page, server: str, tmp_path: Path
) -> None:
    problems = watch(page)
    sign_in(page, server, "ayse")
    key = open_segment(page, server, 4)
    assert page.locator(".enter-hint").inner_text() == "Ctrl+Enter: approve"
    page.keyboard.insert_text(WRONG)
    page.keyboard.press("Control+Enter")
    override = page.locator(f"#seg-{key} .override")
    override.wait_for(state="visible")
    assert "This translation has errors" in override.inner_text()
    assert "number '47' is missing from the target" in override.inner_text()
    assert page.locator(f"#seg-{key}").get_attribute("data-state") == "untranslated"
    assert catalog_entry(tmp_path, 4).msgstr == ""
    # a reason is required
    page.keyboard.press("Enter")
    override.get_by_text("A reason is required.").wait_for()
    page.keyboard.type("The source is being corrected to 46 by the editor")
    override.get_by_role("button", name="Approve anyway").click()
    page.wait_for_function(
        "key => document.querySelector(`#seg-${key}`).dataset.state === 'approved'", arg=key
    )
    assert override.is_hidden()
    entry = catalog_entry(tmp_path, 4)
    assert entry.msgstr == WRONG and not entry.fuzzy
    dismissed = [line for line in entry.tcomment.splitlines() if line.startswith("dismissed: ")]
    assert sorted(line.split()[1] for line in dismissed) == ["markers", "numbers", "numbers"]
    assert all(
        line.endswith(" ayse: The source is being corrected to 46 by the editor")
        for line in dismissed
    )
    # the findings stay visible, marked as dismissed; the history has the reason
    assert page.locator(f"#seg-{key} .findings li.dismissed").count() == 3
    page.locator(f"#seg-{key} button[data-action=history]").click()
    row = page.locator(f"#seg-{key} .history li").first
    row.wait_for()
    assert "approved over its findings" in row.inner_text()
    assert "The source is being corrected to 46 by the editor" in row.inner_text()
    # an approved, overridden text no longer blocks compile
    check = paragraf(tmp_path, "check", "--lang", "tr", "--article", SLUG)
    assert check.returncode == 0, check.stdout + check.stderr
    assert problems == []


def test_a_dismissed_finding_no_longer_blocks_compile(page, server: str, tmp_path: Path) -> None:
    problems = watch(page)
    sign_in(page, server, "ayse")
    key = open_segment(page, server, 4)
    page.keyboard.insert_text(RIGHT.replace("[i]", ""))
    page.keyboard.press("Control+s")
    page.wait_for_function(
        "key => document.querySelector(`#seg-${key}`).dataset.state === 'draft'", arg=key
    )
    finding = page.locator(f"#seg-{key} .findings li.error")
    assert finding.count() == 1 and "marker [i]" in finding.inner_text()
    finding.get_by_role("button", name="Dismiss").click()
    finding.locator("input.reason").fill("The reference list is dropped from this version")
    finding.get_by_role("button", name="Dismiss it").click()
    page.locator(f"#seg-{key} .findings li.dismissed").wait_for()
    assert (
        "dismissed by ayse: The reference list is dropped"
        in page.locator(f"#seg-{key} .findings").inner_text()
    )
    # with nothing standing, Ctrl+Enter approves without asking
    page.locator(f"#seg-{key} textarea").click()
    page.keyboard.press("Control+Enter")
    page.wait_for_function(
        "key => document.querySelector(`#seg-${key}`).dataset.state === 'approved'", arg=key
    )
    assert page.locator(f"#seg-{key} .override").is_hidden()

    compiled = paragraf(tmp_path, "compile", "--threshold", "0", "--lang", "tr")
    assert compiled.returncode == 0, compiled.stdout + compiled.stderr
    page_html = project_root(tmp_path) / "public" / "tr" / f"{SLUG}.html"
    assert "46" not in page_html.read_text(encoding="utf-8")
    assert "47 ülkenin" in page_html.read_text(encoding="utf-8")
    # the dismissal is what let it through: without it, the gate holds the version back
    path = project_root(tmp_path) / "translations" / "tr" / "LC_MESSAGES" / f"{SLUG}.po"
    po = catalog.load(path)
    entry = [e for e in po if not e.obsolete][4]
    entry.tcomment = "\n".join(
        line for line in entry.tcomment.splitlines() if not line.startswith("dismissed: ")
    )
    catalog.save(po, path)
    held = paragraf(tmp_path, "compile", "--threshold", "0", "--lang", "tr")
    assert held.returncode == 1
    assert "marker [i] is missing from the target" in held.stderr
    assert problems == []


def test_turkish_ui_speaks_turkish(chromium, server: str) -> None:
    page = new_page(chromium, "tr-TR")
    problems = watch(page)
    sign_in(page, server, "mehmet")
    key = open_segment(page, server, 4)
    assert page.locator(f"#seg-{key} .meta").inner_text().startswith("paragraf")
    assert "taslak olarak kaydet" in page.locator(".enter-hint").inner_text()
    page.keyboard.insert_text(WRONG)
    findings = page.locator(f"#seg-{key} .findings")
    findings.locator("li.error", has_text="'46'").wait_for()
    text = findings.inner_text()
    assert "Sayılar '47' sayısı çeviride eksik" in text
    assert "İşaretler [i] işareti çeviride eksik" in text
    assert "missing" not in text
    page.context.close()
    assert problems == []


def test_bulk_approval_of_drafted_figures(page, server: str, tmp_path: Path) -> None:
    problems = watch(page)
    sign_in(page, server, "ayse")
    page.goto(f"{server}/review/tr/figures")
    # the cells without words were drafted in the Turkish number form
    cells = [page.locator("li.seg textarea").nth(i).input_value() for i in range(8)]
    assert cells == ["", "", "", "", "2022", "1.250,5", "2023", "—"]
    assert page.locator("li.seg").nth(4).locator(".origin").inner_text() == "Figures (no words)"
    bulk = page.locator("#bulk-approve")
    assert bulk.inner_text() == "Approve drafts without findings (4)"
    seen: list[str] = []

    def accept(dialog) -> None:
        seen.append(dialog.message)
        dialog.accept()

    page.on("dialog", accept)
    bulk.click()
    page.locator("#bulk-status", has_text="4 approved").wait_for()
    assert seen == [
        "Approve 4 drafts without findings on this page? Each approval is recorded in the history."
    ]
    assert bulk.is_disabled()
    states = [page.locator("li.seg").nth(i).get_attribute("data-state") for i in range(8)]
    assert states == ["untranslated"] * 4 + ["approved"] * 4
    store = Store(load_config(project_root(tmp_path)))
    ref = store.find("tr", "figures")
    assert ref is not None
    approved = [e.msgstr for e in store.read(ref) if catalog.is_approved(e) and e.msgstr]
    assert approved == ["2022", "1.250,5", "2023", "—"]
    from app import db

    conn = db.connect(db.db_path(project_root(tmp_path) / "instance"))
    try:
        rows = conn.execute(
            "SELECT msgid, action, user FROM history WHERE slug = 'figures' AND done = 1"
        ).fetchall()
    finally:
        conn.close()
    assert sorted(tuple(row) for row in rows) == sorted(
        [(msgid, "approve", "ayse") for msgid in ("2022", "1,250.5", "2023", "—")]
    )
    assert problems == []


def test_preview_is_live_faithful_and_raises_no_csp_errors(page, server: str) -> None:
    problems = watch(page)
    sign_in(page, server, "ayse")
    page.goto(f"{server}/review/tr/figures")
    page.locator("#preview-toggle").click()
    panel = page.locator("#preview .preview-body")
    panel.locator("h1").wait_for()
    # what compile would publish: nothing approved yet, so the source, in its language
    assert panel.locator("h1").inner_text() == "Shells delivered"
    assert panel.locator("time").inner_text() == "11 Ocak 2024"
    assert "Compile would not publish this version yet" in panel.inner_text()
    cell = panel.locator("td").nth(1)
    assert cell.evaluate("td => getComputedStyle(td).textAlign") == "right"
    assert "1,250.5" in panel.inner_text()  # the drafted 1.250,5 is not published
    # drafts and unsaved texts, on request, marked; updated as one types
    page.locator("#preview-drafts").check()
    panel.locator("mark.draft", has_text="1.250,5").wait_for()
    title = page.locator("li.seg").first.locator("textarea")
    title.click()
    page.keyboard.type("Teslim edilen mermiler")
    panel.locator("h1", has_text="Teslim edilen mermiler").wait_for()
    page.locator("#preview-drafts").uncheck()
    panel.locator("h1", has_text="Shells delivered").wait_for()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "preview.png"))
    assert problems == []
