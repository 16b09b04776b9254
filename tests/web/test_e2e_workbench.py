"""The translator's workbench in headless Chromium: search, comments, the glossary at hand, assignments."""

from __future__ import annotations

from pathlib import Path

from tests.web.browser import (  # noqa: F401
    ARTIFACTS,
    chromium,
    focused_segment,
    new_page,
    page,
    server,
    sign_in,
    watch,
)
from tests.web_fixtures import SLUG


def test_search_finds_a_term_in_another_article_and_opens_it(page, server: str) -> None:
    problems = watch(page)
    sign_in(page, server, "mehmet")
    page.goto(f"{server}/review/tr/{SLUG}")
    page.keyboard.press("Control+Shift+F")  # from inside the segment editor
    assert page.evaluate("() => document.activeElement.id") == "search-box"
    page.keyboard.type("DELİVERİES")  # Turkish capitals fold as a reader expects
    page.keyboard.press("Enter")
    page.wait_for_url(f"{server}/search?q=*")
    hit = page.locator("li.search-hit").filter(has_text="Deliveries rose in 2023.")
    assert hit.locator("mark").first.inner_text() == "Deliveries"
    assert "figures" in hit.locator(".meta").inner_text()
    page.screenshot(path=str(ARTIFACTS / "search.png"))
    hit.locator("a.open-segment").click()
    page.wait_for_url(f"{server}/review/tr/figures#seg-*")
    key = page.url.rsplit("#seg-", 1)[1]
    page.wait_for_function(
        f"() => document.activeElement.closest('li.seg')?.dataset.key === '{key}'"
    )
    assert "Deliveries rose in 2023." in page.locator(f"#seg-{key} .source").inner_text()
    assert focused_segment(page) == key
    assert problems == []


def test_a_question_reaches_the_editors_dashboard_and_is_resolved(chromium, server: str) -> None:
    translator = new_page(chromium)
    problems = watch(translator)
    sign_in(translator, server, "mehmet")
    translator.goto(f"{server}/review/tr/{SLUG}")
    seg = translator.locator("li.seg").nth(4)
    key = seg.get_attribute("data-key")
    seg.locator("textarea.editor").click()
    translator.keyboard.press("Alt+C")
    seg.locator(".comment-kind").select_option("question")
    seg.locator(".comment-text").fill("“Ortak açıklama” mı, “ortak bildiri” mi?")
    seg.locator("button[data-comment=post]").click()
    seg.locator(".thread.open").wait_for()
    assert "mehmet" in seg.locator(".thread").inner_text()

    editor = new_page(chromium)
    problems += watch(editor)
    sign_in(editor, server, "ayse")
    question = editor.locator("section.questions li").filter(has_text="Ortak açıklama")
    assert "mehmet" in question.inner_text()
    editor.screenshot(path=str(ARTIFACTS / "questions.png"))
    question.locator("a").click()
    editor.wait_for_url(f"{server}/review/tr/{SLUG}#seg-{key}")
    thread = editor.locator(f"#seg-{key} .thread")
    thread.locator(".reply-text").fill("Ortak açıklama.")
    thread.locator("button[data-comment=reply]").click()
    thread.locator("li").filter(has_text="Ortak açıklama.").wait_for()
    editor.locator(f"#seg-{key} button[data-comment=resolve]").click()
    editor.locator(f"#seg-{key} .thread:not(.open)").wait_for()
    editor.goto(f"{server}/")
    assert editor.locator("section.questions").count() == 0
    translator.reload()
    assert "ayse" in translator.locator(f"#seg-{key} .thread").inner_text()
    assert problems == []
    translator.context.close()
    editor.context.close()


def test_a_glossary_term_is_inserted_with_a_click(page, server: str, tmp_path: Path) -> None:
    glossary = tmp_path / "project" / "translations" / "glossary.csv"
    glossary.write_text("en,tr,ru\nUnited Nations,Birleşmiş Milletler,ООН\n", encoding="utf-8")
    problems = watch(page)
    sign_in(page, server, "mehmet")
    page.goto(f"{server}/review/tr/{SLUG}")
    seg = page.locator("li.seg").filter(has=page.locator("button[data-action=term]")).first
    button = seg.locator("button[data-action=term]")
    assert "United Nations" in seg.locator(".source").inner_text()
    editor = seg.locator("textarea.editor")
    editor.click()
    editor.press("End")
    page.keyboard.type("Kuzey Kore ve")
    button.click()
    assert editor.input_value() == "Kuzey Kore ve Birleşmiş Milletler"
    assert problems == []


def test_an_assignment_appears_under_my_work(chromium, server: str) -> None:
    editor = new_page(chromium)
    problems = watch(editor)
    sign_in(editor, server, "ayse")
    form = editor.locator("form.assign-form")
    form.locator("select[name=slug]").select_option(SLUG)
    form.locator("select[name=lang]").select_option("tr")
    form.locator("select[name=translator]").select_option("mehmet")
    form.locator("select[name=reviewer]").select_option("ayse")
    form.locator("input[name=due]").fill("2020-03-01")
    form.locator("button[type=submit]").click()
    editor.locator(".flash").filter(has_text="Assigned").wait_for()
    translator = new_page(chromium)
    problems += watch(translator)
    sign_in(translator, server, "mehmet")
    work = translator.locator("section.my-work")
    assert "Allegations of North Korea-Russia Arms Trade" in work.inner_text()
    assert "overdue" in work.inner_text()
    translator.screenshot(path=str(ARTIFACTS / "my-work.png"))
    work.locator("a").first.click()
    translator.wait_for_url(f"{server}/review/tr/{SLUG}")
    assert problems == []
    editor.context.close()
    translator.context.close()


def test_a_reviewer_replaces_in_the_browser_then_undoes(page, server: str, tmp_path: Path) -> None:
    from app.config import load_config
    from app.po import catalog
    from app.po.store import Store

    problems = watch(page)
    sign_in(page, server, "ayse")
    page.goto(f"{server}/review/tr/{SLUG}")
    seg = page.locator("li.seg").nth(4)
    seg.locator("textarea.editor").click()
    page.keyboard.insert_text("BM ve ABD, BM'nin kararı")
    seg.locator("button[data-action=save]").click()
    seg.locator(".status").filter(has_text="Saved").wait_for()
    page.locator("a", has_text="Replace").first.click()
    page.fill("input[name=find]", "BM")
    page.fill("input[name=replace]", "Birleşmiş Milletler")
    page.click("button[value=preview]")
    assert page.locator(".replace-list li").count() == 1
    assert "Birleşmiş Milletler" in page.locator(".replace-list ins").first.inner_text()
    page.click("button[value=apply]")
    page.locator(".replace-done").filter(has_text="1 translation replaced").wait_for()
    store = Store(load_config(tmp_path / "project"))
    ref = store.find("tr", SLUG)
    entry = [e for e in store.read(ref) if not e.obsolete][4]
    assert entry.msgstr == "Birleşmiş Milletler ve ABD, Birleşmiş Milletler'nin kararı"
    page.click("button[value=undo]")
    page.locator(".replace-done").filter(has_text="1 change undone").wait_for()
    entry = [e for e in store.read(ref) if not e.obsolete][4]
    assert entry.msgstr == "BM ve ABD, BM'nin kararı" and catalog.state(entry) == "draft"
    assert problems == []
