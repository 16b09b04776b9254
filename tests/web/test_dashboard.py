"""The dashboard: articles × languages, progress in words, newest first, language filter."""

from __future__ import annotations

import re

from tests.web_fixtures import SLUG, refresh, save_body, segment

NEWER = """---
title: Kış geldi <script>x</script>
lang: tr
date: 2024-12-01
---

İstanbul'da ilk kar yağdı.
"""


def percents(html: str) -> dict[tuple[str, str], int]:
    found = re.findall(
        r'data-lang="(\w+)" data-slug="([\w.-]+)">.*?data-percent="(\d+)"', html, re.DOTALL
    )
    return {(lang, slug): int(p) for lang, slug, p in found}


def test_dashboard_shows_every_catalog_with_progress(as_user) -> None:
    s = as_user("admin")
    html = s.client.get("/").get_data(as_text=True)
    assert "Allegations of North Korea-Russia Arms Trade" in html
    assert percents(html) == {("tr", SLUG): 0, ("ru", SLUG): 0}
    assert html.count('<svg class="bar"') == 2
    assert "messages" not in percents(html)


def test_progress_is_counted_in_words_and_changes_after_a_save(as_user, web_project) -> None:
    s = as_user("tr_reviewer")
    seg = segment(web_project, "tr", 3)  # the first body paragraph: 59 of 955 words
    s.post_json(f"/review/tr/{SLUG}/save", save_body(seg, "Kuzey Kore yalnız kaldı.", "approve"))
    html = s.client.get("/").get_data(as_text=True)
    assert percents(html) == {("tr", SLUG): 6}
    assert re.search(r'<rect class="approved" x="0" y="0" width="6\.\d\d"', html)
    assert "59 / 0 / 896" in html


def test_a_user_sees_only_their_languages(as_user) -> None:
    s = as_user("ru_translator")
    html = s.client.get("/").get_data(as_text=True)
    assert set(percents(html)) == {("ru", SLUG)}
    assert s.client.get("/?lang=tr").status_code == 403
    assert s.client.get("/?lang=de").status_code == 404
    assert set(percents(s.client.get("/?lang=ru").get_data(as_text=True))) == {("ru", SLUG)}


def test_filter_by_language_and_newest_first(as_user, web_project) -> None:
    (web_project.content_dir / "kis.md").write_text(NEWER, encoding="utf-8")
    refresh(web_project)
    s = as_user("admin")
    html = s.client.get("/").get_data(as_text=True)
    assert html.index("Kış geldi") < html.index("Allegations of North Korea")
    assert "Kış geldi &lt;script&gt;" in html
    assert set(percents(html)) == {("tr", SLUG), ("ru", SLUG), ("en", "kis"), ("ru", "kis")}
    only_en = percents(s.client.get("/?lang=en").get_data(as_text=True))
    assert set(only_en) == {("en", "kis")}


def test_users_without_languages_get_a_hint(as_user, web_project) -> None:
    from tests.web_fixtures import add_accounts

    add_accounts(web_project, {"idle": ("translator", ())})
    s = as_user("idle")
    assert "ask an admin" in s.client.get("/").get_data(as_text=True)


def test_dashboard_in_turkish_and_russian(as_user) -> None:
    s = as_user("admin")
    tr = s.client.get("/", headers={"Accept-Language": "tr"}).get_data(as_text=True)
    assert "Makaleler" in tr and "Türkçe" in tr and "Rusça" in tr
    ru = s.client.get("/", headers={"Accept-Language": "ru"}).get_data(as_text=True)
    assert "Статьи" in ru and "Турецкий" in ru


def test_a_broken_catalog_is_shown_not_a_server_error(as_user, web_project) -> None:
    from tests.web_fixtures import catalog_file

    path = catalog_file(web_project, "ru")
    path.write_text(
        path.read_text(encoding="utf-8").replace('msgstr ""', 'msgstr "unclosed', 1),
        encoding="utf-8",
    )
    s = as_user("admin")
    response = s.client.get("/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "unreadable catalog" in html
    assert percents(html) == {("tr", SLUG): 0}  # the other language still works
    page = s.client.get(f"/review/ru/{SLUG}")
    assert page.status_code == 500
    assert f"{SLUG}.po:" in page.get_data(as_text=True) and "not valid PO syntax" in page.get_data(
        as_text=True
    )
