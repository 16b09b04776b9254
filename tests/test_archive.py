"""``paragraf import`` and ``paragraf align`` on the archive test set (``tests/data/archive``).

Four articles in English, Turkish and Russian, as saved WordPress pages and as a WXR
export, whose translations diverge the way real ones do (merged, split, omitted and added
paragraphs, a heading worded otherwise, a list turned into a paragraph, sentences
reordered, a number that differs), with a gold alignment (``gold.json``).
"""

from __future__ import annotations

import json
from pathlib import Path

import polib
import pytest

from app.archive.align import Item, align
from app.archive.page import read_page
from app.archive.slugs import slug_for
from app.markdown.blocks import parse_article, read_article
from app.po import catalog
from tests.project_fixtures import Project, msgfmt_check, project  # noqa: F401

DATA = Path(__file__).resolve().parent / "data" / "archive"
GOLD = json.loads((DATA / "gold.json").read_text(encoding="utf-8"))
PAGES = sorted(str(p) for p in (DATA / "pages").glob("*.html"))
CHROME = ("also available", "şu dillerde", "также доступна", "Similar Posts", "email protected",
          "Paylaş", "Поделиться", "Share this", "Tags:", "All posts by")  # fmt: skip


def body_blocks(text: str) -> list[str]:
    article = parse_article(text, path=Path("x.md"))
    return [b.text for b in article.blocks if not b.meta]


def page_blocks(path: Path, lang: str) -> list[Item]:
    page = read_page(path.read_bytes(), path.name)
    article = parse_article(f"---\ntitle: x\nlang: {lang}\n---\n\n{page.body}", path=Path("x.md"))
    return [Item(b.text, b.kind) for b in article.blocks if not b.meta]


@pytest.mark.parametrize("article", GOLD["articles"], ids=lambda a: a["id"])
def test_pages_give_the_gold_blocks_and_front_matter(article) -> None:
    for lang, page_path in article["pages"].items():
        page = read_page((DATA / page_path).read_bytes(), page_path)
        assert page.lang == lang
        assert page.title == article["title"][lang]
        assert str(page.date) == article["dates"][lang][:10]
        assert page.author == article["author"]
        assert page.slug == article["slugs"][lang] == slug_for(page.title)
        assert page.summary == ""  # the description is WordPress's cut first paragraph
        text = f"---\ntitle: x\nlang: {lang}\n---\n\n{page.body}"
        assert body_blocks(text) == article["blocks"][lang]
        assert not [mark for mark in CHROME if mark.lower() in page.body.lower()]


@pytest.mark.parametrize("article", GOLD["articles"], ids=lambda a: a["id"])
def test_alignment_matches_the_gold(article) -> None:
    source_lang = article["source_lang"]
    source = page_blocks(DATA / article["pages"][source_lang], source_lang)
    for lang, gold in article["alignment"].items():
        target = page_blocks(DATA / article["pages"][lang], lang)
        found = align(source, target, source_lang, lang)
        assert [[list(b.source), list(b.target)] for b in found.beads] == gold, lang
        assert found.score > 0.6


def imported(project: Project, *args: str) -> str:
    result = project.run("import", *args)
    assert result.exit_code == 0, result.output
    return result.output


def gold_pairs(article: dict, lang: str) -> dict[str, str]:
    """msgid → the published translation, for the gold's 1:1 pairs."""
    source_lang = article["source_lang"]
    pairs = {}
    for src, tgt in article["alignment"][lang]:
        if len(src) == 1 and len(tgt) == 1:
            pairs[article["blocks"][source_lang][src[0]]] = article["blocks"][lang][tgt[0]]
    return pairs


def test_import_pages_writes_sources_and_fills_catalogs(project: Project) -> None:
    output = imported(project, *PAGES)
    assert (
        "import: 4 article(s) imported, 8 translation(s) aligned: 111 pair(s) approved, 9 draft(s),"
        " 2 omitted, 2 added, 2 mismatch(es)" in output
    )
    assert "added in en, with no source: '*Translator’s note" in output
    approved = correct = one_to_one = found = 0
    for article in GOLD["articles"]:
        source_lang, slug = article["source_lang"], article["slugs"][article["source_lang"]]
        source = read_article(project.root / "content" / f"{slug}.md")
        assert source.lang == source_lang and source.meta["title"] == article["title"][source_lang]
        assert [b.text for b in source.blocks if not b.meta] == article["blocks"][source_lang]
        for lang in article["alignment"]:
            path = project.po(lang, slug)
            msgfmt_check(path)
            po = catalog.load(path)
            gold = gold_pairs(article, lang)
            mismatch = article.get("number_mismatch", {}).get(lang)
            for entry in po:
                if entry.comment.split(", ")[0] in ("title", "summary", "author"):
                    continue  # front matter: aligned by key
                if catalog.is_approved(entry) and entry.msgstr:
                    approved += 1
                    correct += gold.get(entry.msgid) == entry.msgstr
                    assert catalog.alignment_score(entry) is not None
            for msgid, text in gold.items():
                if mismatch and msgid == article["blocks"][source_lang][mismatch["source_block"]]:
                    entry = po.find(msgid)
                    assert entry.msgstr == text and entry.fuzzy  # found, never approved
                    continue
                one_to_one += 1
                entry = po.find(msgid)
                found += entry is not None and entry.msgstr == text and catalog.is_approved(entry)
            title = po.find(article["title"][source_lang])
            assert title.msgstr == article["title"][lang] and catalog.is_approved(title)
    assert correct == approved  # precision of approved pairs: 100% on the test set
    assert found / one_to_one >= 0.95, (found, one_to_one)


def test_number_mismatch_is_a_draft_with_its_finding(project: Project) -> None:
    imported(project, *PAGES)
    article = GOLD["articles"][0]
    mismatch = article["number_mismatch"]["ru"]
    slug = article["slugs"]["en"]
    entry = catalog.load(project.po("ru", slug)).find(
        article["blocks"]["en"][mismatch["source_block"]]
    )
    assert entry.fuzzy and mismatch["target"] in entry.msgstr
    check = project.run("check", "--lang", "ru", "--article", slug)
    assert f"number '{mismatch['source']}' is missing from the target" in check.output


def test_export_imports_the_same_articles(project: Project, tmp_path: Path, monkeypatch) -> None:
    output = imported(project, str(DATA / "export.xml"))
    assert (
        "skipped: " in output
        and "item 5318 (attachment" in output
        and "item 6790 (post, draft)" in output
    )
    assert "8 translation(s) aligned: 111 pair(s) approved" in output
    other = Project(tmp_path / "pages")
    (other.root / "content").mkdir(parents=True)
    (other.root / "pyproject.toml").write_text((project.root / "pyproject.toml").read_text())
    monkeypatch.chdir(other.root)
    imported(other, *PAGES)
    for article in GOLD["articles"]:
        name = f"{article['slugs'][article['source_lang']]}.md"
        assert (project.root / "content" / name).read_text() == (
            other.root / "content" / name
        ).read_text()


def test_export_without_languages_imports_posts_and_says_what_is_missing(project: Project) -> None:
    output = imported(project, str(DATA / "export-no-languages.xml"))
    assert "2 post(s) with no language group" in output
    assert "post 4812: no language in the export; its text is tr" in output
    assert "post 5317: no language in the export; its text is en" in output
    tr = read_article(
        project.root / "content" / "montro-sozlesmesi-ve-karadenizde-guvenlik-dengesi.md"
    )
    assert tr.lang == "tr"


def test_align_fills_keeps_and_replaces(project: Project) -> None:
    article = GOLD["articles"][0]
    slug = article["slugs"]["en"]
    imported(project, str(DATA / article["pages"]["en"]))
    result = project.run("align", slug, "tr", str(DATA / article["pages"]["tr"]))
    assert result.exit_code == 0, result.output
    assert "14 approved, 2 draft(s)" in result.output
    path = project.po("tr", slug)
    before = path.read_bytes()
    again = project.run("align", slug, "tr", str(DATA / article["pages"]["tr"]))
    assert "16 already translated, kept (--replace to overwrite)" in again.output
    assert path.read_bytes() == before
    po = catalog.load(path)
    entry = next(e for e in po if catalog.is_approved(e) and len(e.msgid) > 100)
    entry.msgstr = "Elle düzeltilmiş çeviri."
    catalog.save(po, path)
    replaced = project.run("align", slug, "tr", str(DATA / article["pages"]["tr"]), "--replace")
    assert replaced.exit_code == 0
    assert catalog.load(path).find(entry.msgid).msgstr != "Elle düzeltilmiş çeviri."


def test_not_a_translation_is_refused_and_nothing_written(project: Project) -> None:
    a1, a2 = GOLD["articles"][0], GOLD["articles"][1]
    slug = a1["slugs"]["en"]
    imported(project, str(DATA / a1["pages"]["en"]))
    path = project.po("tr", slug)
    before = path.read_bytes()
    result = project.run("align", slug, "tr", str(DATA / a2["pages"]["tr"]))
    assert result.exit_code == 1
    assert "not a translation of" in result.output and "alignment score" in result.output
    assert path.read_bytes() == before


def test_bad_input_names_the_file_and_writes_nothing(project: Project, tmp_path: Path) -> None:
    empty = tmp_path / "empty.html"
    empty.write_text("<html lang='en'><body><nav>Home</nav></body></html>", encoding="utf-8")
    feed = tmp_path / "feed.xml"
    feed.write_text(
        "<?xml version='1.0'?><rss version='2.0'><channel></channel></rss>", encoding="utf-8"
    )
    before = sorted(p.name for p in (project.root / "content").iterdir())
    for args, message in (
        ((str(empty),), "empty.html: no article body found"),
        ((str(feed),), "feed.xml: not a WordPress export (WXR)"),
        (
            (str(DATA / "pages" / "a1-en.html"), "--lang", "de"),
            "its language 'de' is not one of the project's",
        ),
        ((str(tmp_path / "missing.html"),), "missing.html: cannot be read"),
    ):
        result = project.run("import", *args)
        assert result.exit_code == 1, args
        assert message in result.output, (message, result.output)
    assert sorted(p.name for p in (project.root / "content").iterdir()) == before
    imported(project, str(DATA / "pages" / "a1-en.html"))
    content = project.root / "content" / f"{GOLD['articles'][0]['slugs']['en']}.md"
    content.write_text(content.read_text() + "\nAn editor's addition.\n")
    again = project.run("import", str(DATA / "pages" / "a1-en.html"))
    assert again.exit_code == 1 and "exists already; give --replace" in again.output


def test_the_memory_learns_the_archive_at_sentence_level(project: Project) -> None:
    imported(project, *PAGES)
    article = GOLD["articles"][3]  # Moldova: en → tr, every pair 1:1
    paragraph, translation = article["blocks"]["en"][0], article["blocks"]["tr"][0]
    from app.sentences import split

    first = split(paragraph, "en")[0]
    result = project.run("tm", "search", first, "--from", "en", "--to", "tr")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("100%")
    target = result.output.splitlines()[2].removeprefix("  target: ")
    assert target in split(translation, "tr")
    new = f"{first} A sentence nobody has written before, about something else entirely."
    result = project.run("tm", "search", new, "--from", "en", "--to", "tr")
    assert "sentence 1: 100%" in result.output and target in result.output


def test_review_queue_shows_aligned_drafts(project: Project, monkeypatch) -> None:
    from app import create_app, users
    from tests.web_fixtures import Session, add_accounts

    imported(project, *PAGES)
    monkeypatch.setattr(users, "PASSWORD_METHOD", "pbkdf2:sha256:1000")
    add_accounts(project.config, {"ayse": ("reviewer", ("tr",))})
    app = create_app({"TESTING": True, "PROJECT_ROOT": project.root, "ADMIN_BOOTSTRAP": False})
    s = Session(app.test_client())
    assert s.login("ayse").status_code == 302
    dashboard = s.client.get("/?lang=tr").get_data(as_text=True)
    slug = GOLD["articles"][0]["slugs"]["en"]
    assert "2 aligned to check" in dashboard and f"/review/tr/{slug}?filter=aligned" in dashboard
    queue = s.client.get(f"/review/tr/{slug}?filter=aligned").get_data(as_text=True)
    assert queue.count('<li class="seg ') == 2
    assert "aligned 0." in queue and "Aligned, check these" in queue
    whole = polib.pofile(str(project.po("tr", slug)))
    assert sum(1 for e in whole if e.fuzzy) == 2
