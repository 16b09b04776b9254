"""End to end in headless Chromium: sign in, translate and approve with the keyboard, see progress.

Uses Debian's ``chromium`` through Playwright (``playwright install`` cannot download
browsers here). Screenshots are kept under ``tests/artifacts/`` (git-ignored).
"""

from __future__ import annotations

from tests.web.browser import ARTIFACTS, chromium, focused_segment, page, server  # noqa: F401
from tests.web_fixtures import PASSWORD, SLUG


def test_translate_and_approve_with_the_keyboard(page, server: str) -> None:
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)

    page.goto(f"{server}/")
    page.fill("#name", "ayse")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{server}/")
    cell = page.locator(f'a.progress-link[data-lang="tr"][data-slug="{SLUG}"]')
    assert cell.locator(".counts").inner_text() == "0 / 0 / 955"

    cell.click()
    page.wait_for_url(f"{server}/review/tr/{SLUG}")
    segments = page.locator("li.seg")
    assert segments.count() == 21
    keys = [segments.nth(i).get_attribute("data-key") for i in range(4)]
    assert focused_segment(page) == keys[0]  # the first unfinished segment has the focus

    translations = [
        "Kuzey Kore-Rusya Silah Ticareti İddiaları",
        "Onlarca ülke, Pyongyang'ı BM yaptırımlarını ihlal ederek Ukrayna'daki savaş için"
        " Moskova'ya balistik füze sağlamakla suçluyor.",
        "Zeki Talustan Gülten",
    ]
    for i, text in enumerate(translations):
        page.keyboard.type(text)
        page.keyboard.press("Control+Enter")
        page.wait_for_function(
            "key => document.querySelector(`#seg-${key}`).dataset.state === 'approved'", arg=keys[i]
        )
        page.wait_for_function(
            "key => document.activeElement.closest('li.seg')?.dataset.key === key", arg=keys[i + 1]
        )
    assert page.locator(f"#seg-{keys[0]} .badge").inner_text() == "Approved"
    assert page.locator("#percent").inner_text() == "3%"

    # Ctrl+S keeps a draft, without leaving the page
    page.keyboard.type("Kuzey Kore *taslak* çeviri.[i]")
    page.keyboard.press("Control+s")
    page.wait_for_function(
        "key => document.querySelector(`#seg-${key}`).dataset.state === 'draft'", arg=keys[3]
    )
    assert page.url == f"{server}/review/tr/{SLUG}"
    # Ctrl+Shift+Down goes to the next segment that is not approved
    page.keyboard.press("Control+ArrowUp")
    assert focused_segment(page) == keys[2]
    page.keyboard.press("Control+Shift+ArrowDown")
    assert focused_segment(page) == keys[3]
    page.keyboard.press("Control+ArrowUp")
    page.keyboard.press("Control+ArrowUp")
    page.keyboard.press("Control+ArrowDown")
    assert focused_segment(page) == keys[2]

    ARTIFACTS.mkdir(exist_ok=True)
    page.evaluate("() => window.scrollTo(0, 0)")
    page.screenshot(path=str(ARTIFACTS / "review.png"))

    page.goto(f"{server}/")
    counts = cell.locator(".counts").inner_text()
    assert counts == "30 / 59 / 866"  # words: approved / draft / untranslated
    assert float(cell.locator("rect.approved").get_attribute("width")) > 2
    assert float(cell.locator("rect.draft").get_attribute("width")) > 0
    page.screenshot(path=str(ARTIFACTS / "dashboard.png"))
    assert problems == []


def test_conflict_keeps_the_typed_text_and_history_restores(page, server: str, tmp_path) -> None:
    from app.config import load_config
    from app.po.edit import Version, edit_entry
    from app.po.store import Store

    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(f"{server}/auth/login")
    page.fill("#name", "ayse")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{server}/")
    page.goto(f"{server}/review/tr/{SLUG}")
    key = page.locator("li.seg").first.get_attribute("data-key")
    editor = page.locator(f"#seg-{key} textarea")

    # someone else saves the same segment after the page was opened
    store = Store(load_config(tmp_path / "project"))
    ref = store.find("tr", SLUG)
    assert ref is not None
    msgid = store.read(ref)[0].msgid
    edit_entry(store, ref, msgid, base=Version("", "untranslated"), text="Başkasının başlığı")

    editor.click()
    page.keyboard.type("Benim başlığım")
    page.keyboard.press("Control+s")
    conflict = page.locator(f"#seg-{key} .conflict")
    conflict.wait_for(state="visible")
    assert "Başkasının başlığı" in conflict.inner_text()
    assert editor.input_value() == "Benim başlığım"  # the typed text stays
    assert page.locator(f"#seg-{key} .conflict del").count() >= 1
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator(f"#seg-{key}").screenshot(path=str(ARTIFACTS / "conflict.png"))

    conflict.get_by_role("button", name="Keep mine").click()
    page.keyboard.press("Control+Enter")
    page.wait_for_function(
        "key => document.querySelector(`#seg-${key}`).dataset.state === 'approved'", arg=key
    )
    assert store.read(ref)[0].msgstr == "Benim başlığım"

    page.locator(f"#seg-{key} button[data-action=history]").click()
    history = page.locator(f"#seg-{key} .history li")
    history.first.wait_for()
    assert history.count() == 1  # the other save went around the UI, so it has no history row
    assert "Benim başlığım" in history.first.inner_text()
    page.locator(f"#seg-{key} textarea").fill("Geçici metin")
    page.keyboard.press("Control+s")
    page.wait_for_function(
        "key => document.querySelector(`#seg-${key}`).dataset.state === 'draft'", arg=key
    )
    page.wait_for_function(
        "key => document.querySelectorAll(`#seg-${key} .history li`).length === 2", arg=key
    )
    page.locator(f"#seg-{key} .history li").nth(1).get_by_role("button").click()
    page.wait_for_function(
        "key => document.querySelector(`#seg-${key} textarea`).value === 'Benim başlığım'"
        " && document.querySelectorAll(`#seg-${key} .history li`).length === 3",
        arg=key,
    )
    assert store.read(ref)[0].msgstr == "Benim başlığım"
    assert problems == []
