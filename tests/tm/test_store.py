"""Tests for app.tm: storage, exact and fuzzy lookup, the candidate index, TMX and PO exchange."""

from __future__ import annotations

import doctest
import random
import sqlite3
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import polib
import pytest
from rapidfuzz import fuzz, process

from app.errors import ParagrafError
from app.tm import Match, Pair, TMError, diff_words, normalize_lang
from app.tm import index as tm_index
from app.tm import store as tm_module
from app.tm.store import TranslationMemory

EN = "The council approved the new budget for the city library on Monday evening."
TR = "Belediye meclisi, pazartesi akşamı şehir kütüphanesi için yeni bütçeyi onayladı."
RU = "В понедельник вечером совет утвердил новый бюджет городской библиотеки."
TR_SPECIAL = "Iğdır'da ışık: İstanbul ve Şırnak'tan «güzel» haberler & <notlar> geldi."
RU_SPECIAL = "Ёлки-палки, «ёжик» & <пёс> прочёл статью про Ёкнокарту."

WORDS = (
    "river bridge city market report archive station harbour museum library council budget "
    "winter summer village mountain island festival season teacher student history language"
).split()


@pytest.fixture
def memory(tmp_path: Path) -> Iterator[TranslationMemory]:
    with TranslationMemory(tmp_path / "paragraf.sqlite3") as tm:
        yield tm


def paragraph(rng: random.Random, words: int = 40) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def perturb(rng: random.Random, text: str, changes: int) -> str:
    words = text.split(" ")
    for i in rng.sample(range(len(words)), changes):
        words[i] = rng.choice(WORDS)
    return " ".join(words)


def test_doctests() -> None:
    assert doctest.testmod(tm_module).failed == 0


# --------------------------------------------------------------------------- storing and exact


def test_exact_match_finds_identical_source_only(memory: TranslationMemory) -> None:
    assert memory.add_pair("en", "tr", EN, TR, "budget")
    assert memory.exact(EN, "en", "tr") == Match(100.0, EN, TR, "budget")
    assert memory.exact(EN + " ", "en-US", "tr-TR") == Match(100.0, EN, TR, "budget")
    assert memory.exact(EN.replace("Monday", "Tuesday"), "en", "tr") is None
    assert memory.exact(EN, "en", "ru") is None


def test_exact_match_ignores_unicode_normalization(memory: TranslationMemory) -> None:
    memory.add_pair("ru", "en", RU_SPECIAL, "Fir sticks.")
    decomposed = unicodedata.normalize("NFD", RU_SPECIAL)
    assert decomposed != RU_SPECIAL
    found = memory.exact(decomposed, "ru", "en")
    assert found is not None and found.source == RU_SPECIAL


def test_exact_prefers_the_newest_translation(memory: TranslationMemory) -> None:
    memory.add_pair("en", "tr", EN, "eski çeviri", "old")
    memory.add_pair("en", "tr", EN, TR, "new")
    assert memory.exact(EN, "en", "tr") == Match(100.0, EN, TR, "new")
    assert memory.count("en", "tr") == 2


def test_a_pair_is_stored_once(memory: TranslationMemory) -> None:
    assert memory.add_pair("en", "tr", EN, TR)
    assert not memory.add_pair("en", "tr", f"  {EN}\n", TR)
    assert memory.count() == 1


def test_unit_gives_every_ordered_pair_including_tr_ru(memory: TranslationMemory) -> None:
    assert memory.add_unit({"en": EN, "tr": TR, "ru": RU}, "a00001") == 6
    assert memory.language_pairs() == {
        (a, b): 1 for a in ("en", "tr", "ru") for b in ("en", "tr", "ru") if a != b
    }
    assert memory.exact(TR, "tr", "ru") == Match(100.0, TR, RU, "a00001")
    found = memory.search(RU.replace("вечером", "утром"), "ru", "tr")
    assert [m.target for m in found] == [TR]


def test_unit_leaves_out_empty_texts(memory: TranslationMemory) -> None:
    assert memory.add_unit({"en": EN, "tr": TR, "ru": "  "}, "a") == 2
    assert memory.count("ru") == 0 and memory.count(tgt_lang="ru") == 0


def test_invalid_pairs_are_refused(memory: TranslationMemory) -> None:
    with pytest.raises(TMError, match="two languages"):
        memory.add_pair("en", "en-GB", EN, EN)
    with pytest.raises(TMError, match="empty text"):
        memory.add_pair("en", "tr", EN, " ")
    with pytest.raises(TMError, match="invalid language code 'english'"):
        memory.add_pair("english", "tr", EN, TR)
    with pytest.raises(TMError, match="two texts in 'en'"):
        memory.add_unit({"en-US": EN, "en-GB": EN, "tr": TR})
    assert issubclass(TMError, ParagrafError)
    assert memory.count() == 0


def test_add_pairs_is_one_transaction(memory: TranslationMemory) -> None:
    pairs = [Pair("en", "tr", EN, TR), Pair("en", "tr", "Second.", "")]
    with pytest.raises(TMError):
        memory.add_pairs(pairs)
    assert memory.count() == 0


def test_rebuild_replaces_everything(memory: TranslationMemory) -> None:
    memory.add_unit({"en": EN, "tr": TR}, "old")
    assert memory.search(EN, "en", "tr")  # builds the index
    stored = memory.rebuild([({"en": "A different paragraph about rivers.", "ru": RU}, "new")])
    assert stored == 2
    assert memory.count() == 2
    assert memory.count("en", "tr") == 0
    assert memory.search(EN, "en", "tr") == []
    assert memory.exact("A different paragraph about rivers.", "en", "ru") is not None


def test_clear_empties_the_memory(memory: TranslationMemory) -> None:
    memory.add_unit({"en": EN, "tr": TR})
    memory.clear()
    assert memory.count() == 0 and memory.search(EN, "en", "tr") == []


def test_remove_origin_takes_pairs_out_of_every_lookup(tmp_path: Path) -> None:
    db = tmp_path / "paragraf.sqlite3"
    with TranslationMemory(db) as memory:
        memory.add_unit({"en": EN, "tr": TR, "ru": RU}, "budget-article")
        memory.add_unit({"en": "Introduction", "tr": "Giriş"}, "budget-article")
        memory.add_unit({"en": "Further reading", "tr": "Ek okumalar"}, "other-article")
        assert memory.search("Introductions", "en", "tr")  # index built, short text held in it
        with TranslationMemory(db) as other:  # another request removes the article
            assert other.remove_origin("budget-article") == 8
            assert other.remove_origin("budget-article") == 0
        assert memory.search("Introductions", "en", "tr") == []
        assert memory.search(EN, "en", "tr") == [] and memory.exact(EN, "en", "tr") is None
        assert memory.count() == 2


def test_replace_origin_swaps_an_articles_pairs(memory: TranslationMemory) -> None:
    memory.add_unit({"en": EN, "tr": "eski"}, "a1")
    memory.add_unit({"en": EN, "tr": TR}, "a2")
    assert memory.search(EN, "en", "tr", threshold=100)[0].target == TR
    assert memory.replace_origin(
        "a2", [{"en": EN, "ru": RU}, {"en": "Introduction", "tr": "Giriş"}]
    )
    assert [m.target for m in memory.search(EN, "en", "tr", threshold=100)] == ["eski"]
    assert memory.exact(EN, "en", "ru") == Match(100.0, EN, RU, "a2")
    assert memory.language_pairs() == {
        ("en", "tr"): 2,
        ("tr", "en"): 2,
        ("en", "ru"): 1,
        ("ru", "en"): 1,
    }


def test_many_removals_rebuild_the_index(
    memory: TranslationMemory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tm_index, "TAIL_MAX", 3)
    rng = random.Random(5)
    texts = [paragraph(rng) for _ in range(12)]
    for i, text in enumerate(texts):
        memory.add_pair("en", "tr", text, f"tr {i}", f"a{i % 2}")
    memory.warm("en", "tr")
    assert memory.remove_origin("a0") == 6
    for i, text in enumerate(texts):
        found = memory.search(text, "en", "tr", limit=1)
        assert [m.target for m in found] == ([] if i % 2 == 0 else [f"tr {i}"])


def test_works_on_a_connection_it_does_not_own(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "shared.sqlite3", isolation_level=None)
    conn.row_factory = sqlite3.Row
    try:
        conn.execute("CREATE TABLE users (id INTEGER PRIMARY KEY)")
        with TranslationMemory(conn) as memory:
            memory.add_unit({"en": EN, "tr": TR}, "x")
            assert memory.search(EN, "en", "tr")[0].target == TR
        assert conn.execute("SELECT COUNT(*) FROM tm_pair").fetchone()[0] == 2  # still open
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert {t for t in tables if not t.startswith("sqlite_")} == {"users", "tm_pair", "tm_meta"}
    finally:
        conn.close()


def test_lookups_use_their_indexes(tmp_path: Path) -> None:
    db = tmp_path / "paragraf.sqlite3"
    TranslationMemory(db).close()
    conn = sqlite3.connect(db)
    try:
        for sql, args, index in [
            (tm_module._BY_SOURCE, ("en", "tr", 1), "tm_pair_texts"),
            (tm_module._AFTER, ("en", "tr", 0, 10), "tm_pair_order"),
        ]:
            plan = " ".join(r[3] for r in conn.execute("EXPLAIN QUERY PLAN " + sql, args))
            assert f"USING INDEX {index} (src_lang=? AND tgt_lang=? AND" in plan
    finally:
        conn.close()


# --------------------------------------------------------------------------- fuzzy search


def test_search_ranks_by_ratio_best_first(memory: TranslationMemory) -> None:
    rng = random.Random(1)
    base = paragraph(rng)
    variants = [perturb(rng, base, n) for n in (1, 3, 6)]
    for n, text in enumerate([base, *variants]):
        memory.add_pair("en", "tr", text, f"çeviri {n}", f"a{n}")
    query = perturb(rng, base, 2)
    found = memory.search(query, "en", "tr", limit=3, threshold=0)
    expected = sorted((fuzz.ratio(query, t) for t in [base, *variants]), reverse=True)[:3]
    assert [m.score for m in found] == expected
    assert all(isinstance(m.score, float) for m in found)
    assert found[0].score == max(expected)


def test_search_respects_threshold_and_limit(memory: TranslationMemory) -> None:
    memory.add_pair("en", "tr", EN, TR)
    memory.add_pair("en", "tr", "Completely unrelated words about mountain weather.", "Hava.")
    near = EN.replace("new budget", "annual plan")
    score = fuzz.ratio(near, EN)
    assert 70 < score < 95
    assert [m.source for m in memory.search(near, "en", "tr", threshold=score)] == [EN]
    assert memory.search(near, "en", "tr", threshold=score + 0.1) == []
    assert len(memory.search(near, "en", "tr", limit=1, threshold=0)) == 1
    assert memory.search(near, "en", "tr", limit=0) == []
    assert memory.search("   ", "en", "tr") == []


def test_search_finds_short_texts(memory: TranslationMemory) -> None:
    memory.add_pair("en", "tr", "Introduction", "Giriş")
    memory.add_pair("en", "tr", "Further reading", "Ek okumalar")
    found = memory.search("Introductions", "en", "tr")
    assert [(m.source, m.target) for m in found] == [("Introduction", "Giriş")]


def test_search_sees_pairs_added_after_the_index_was_built(tmp_path: Path) -> None:
    db = tmp_path / "paragraf.sqlite3"
    with TranslationMemory(db) as first:
        first.add_pair("en", "tr", EN, TR)
        assert first.search(EN, "en", "tr")
        with TranslationMemory(db) as second:  # another request, same process
            second.add_pair("en", "tr", RU_SPECIAL.replace("Ё", "E"), "yeni")
        assert first.search(RU_SPECIAL.replace("Ё", "E"), "en", "tr")[0].target == "yeni"
        with TranslationMemory(db) as third:
            third.clear()
        assert first.search(EN, "en", "tr") == []


def test_many_late_additions_rebuild_the_index(
    memory: TranslationMemory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tm_index, "TAIL_MAX", 3)
    rng = random.Random(2)
    memory.add_pair("en", "tr", paragraph(rng), "ilk")
    memory.warm("en", "tr")
    texts = [paragraph(rng) for _ in range(10)]
    memory.add_pairs(Pair("en", "tr", t, f"tr {i}") for i, t in enumerate(texts))
    for i, text in enumerate(texts):
        assert memory.search(perturb(rng, text, 2), "en", "tr")[0].target == f"tr {i}"


def test_search_agrees_with_brute_force(memory: TranslationMemory) -> None:
    """Near and distant edits of stored paragraphs: the best match is brute force's best."""
    rng = random.Random(3)
    sources = [paragraph(rng, rng.randint(20, 120)) for _ in range(3000)]
    sources += [perturb(rng, s, 3) for s in sources[:300]]  # near duplicates compete
    memory.add_pairs(Pair("en", "ru", s, f"перевод {i}") for i, s in enumerate(sources))
    checked = 0
    for _ in range(60):
        original = rng.choice(sources)
        query = perturb(rng, original, rng.randint(1, len(original.split()) // 3))
        _text, best, _i = process.extractOne(query, sources, scorer=fuzz.ratio)
        found = memory.search(query, "en", "ru", limit=1)
        if best >= 75:
            checked += 1
            assert found and found[0].score == best
    assert checked >= 30


def test_repeated_boilerplate_is_still_an_exact_hit(memory: TranslationMemory) -> None:
    rng = random.Random(4)
    boiler = paragraph(rng, 30)
    memory.add_pairs(
        Pair("en", "tr", perturb(rng, boiler, 1) + f" Note {i}.", f"not {i}") for i in range(400)
    )
    memory.add_pair("en", "tr", boiler, "kalıp")
    found = memory.search(boiler, "en", "tr", limit=1)
    assert found == [Match(100.0, boiler, "kalıp", "")]


# --------------------------------------------------------------------------- TMX


def test_tmx_round_trip_keeps_pairs(tmp_path: Path, memory: TranslationMemory) -> None:
    memory.add_unit({"en": EN, "tr": TR, "ru": RU}, "a00001")
    memory.add_unit({"en": "Line one\nline two", "tr": TR_SPECIAL, "ru": RU_SPECIAL}, "a00002")
    memory.add_pair("en", "tr", "Carriage\rreturn & «quotes»", "Satır\rbaşı", "a00003")
    path = tmp_path / "out" / "en-tr.tmx"
    assert memory.export_tmx(path, "en", "tr") == 3

    root = ET.parse(path).getroot()
    header = root.find("header")
    assert root.get("version") == "1.4" and header is not None
    for attribute in ("creationtool", "creationtoolversion", "segtype", "o-tmf", "adminlang"):
        assert header.get(attribute)
    assert header.get("srclang") == "en" and header.get("datatype") == "plaintext"

    with TranslationMemory(tmp_path / "other.sqlite3") as other:
        report = other.import_file(path)
        assert (report.entries, report.imported, report.duplicates) == (3, 6, 0)
        assert list(other.pairs("en", "tr")) == list(memory.pairs("en", "tr"))
        assert other.exact(TR_SPECIAL, "tr", "en") is not None
        again = other.import_file(path)
        assert (again.imported, again.duplicates) == (0, 6)


def test_tmx_import_normalizes_languages_and_inline_codes(tmp_path: Path) -> None:
    path = tmp_path / "vendor.tmx"
    path.write_text(
        """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE tmx SYSTEM "tmx14.dtd">
<tmx version="1.4">
  <header creationtool="X" creationtoolversion="1" segtype="sentence" o-tmf="x"
          adminlang="en-US" srclang="en-US" datatype="html">
    <prop type="x-note">header props are ignored</prop>
  </header>
  <body>
    <tu tuid="1">
      <note>a note</note>
      <tuv xml:lang="en-US">
        <seg>Read the <bpt i="1">**</bpt>full<ept i="1">**</ept> report<ph>[i]</ph>.</seg>
      </tuv>
      <tuv xml:lang="tr-TR">
        <seg>Raporun <bpt i="1">**</bpt>tamamını<ept i="1">**</ept> okuyun<ph>[i]</ph>.</seg>
      </tuv>
      <tuv xml:lang="RU-ru"><seg>Прочтите <hi type="b">весь</hi> доклад.</seg></tuv>
    </tu>
    <tu tuid="2">
      <tuv xml:lang="en"><seg>Only English here.</seg></tuv>
    </tu>
    <tu tuid="3">
      <tuv xml:lang="en"><seg>English.</seg></tuv>
      <tuv xml:lang="de-DE"><seg>Deutsch.</seg></tuv>
    </tu>
    <tu tuid="4">
      <tuv xml:lang="tr"><seg>   </seg></tuv>
      <tuv xml:lang="en"><seg>Empty Turkish.</seg></tuv>
    </tu>
  </body>
</tmx>
""",
        encoding="utf-8",
    )
    with TranslationMemory(tmp_path / "paragraf.sqlite3") as memory:
        report = memory.import_file(path, languages=["en", "tr", "ru"])
        assert report.entries == 4 and report.imported == 6
        assert report.skipped == {"no translation": 2, "other languages": 1}
        assert "6 pairs imported" in str(report) and "other languages: 1" in str(report)
        found = memory.exact("Read the **full** report[i].", "en", "tr")
        assert found == Match(
            100.0, "Read the **full** report[i].", "Raporun **tamamını** okuyun[i].", "vendor.tmx"
        )
        assert memory.exact("Прочтите весь доклад.", "ru", "en") is not None


@pytest.mark.parametrize(
    ("body", "line", "message"),
    [
        ("<tu>\n<tuv xml:lang='en'><seg>a</seg></tuv>\n</tuvv>", 7, "not well-formed XML"),
        ("<tu>\n<tuv><seg>a</seg></tuv>\n</tu>", 6, "without xml:lang"),
        ("<tu>\n<tuv xml:lang='en'>\n<seg>a</seg><seg>b</seg></tuv></tu>", 7, "more than one"),
        ("<tu><tuv xml:lang='en'>\n<seg>a <b>bold</b></seg></tuv></tu>", 6, "unexpected <b>"),
    ],
)
def test_malformed_tmx_names_file_and_line(
    tmp_path: Path, memory: TranslationMemory, body: str, line: int, message: str
) -> None:
    path = tmp_path / "broken.tmx"
    path.write_text(
        '<?xml version="1.0"?>\n<tmx version="1.4">\n<header srclang="en"/>\n<body>\n'
        + body
        + "\n</body></tmx>\n",
        encoding="utf-8",
    )
    with pytest.raises(TMError, match=message) as caught:
        memory.import_file(path)
    assert str(caught.value).startswith(f"{path}:{line}:")
    assert memory.count() == 0


def test_import_refuses_what_it_cannot_read(tmp_path: Path, memory: TranslationMemory) -> None:
    with pytest.raises(TMError, match="no such file"):
        memory.import_file(tmp_path / "missing.tmx")
    notes = tmp_path / "notes.txt"
    notes.write_text("plain text", encoding="utf-8")
    with pytest.raises(TMError, match="unknown format"):
        memory.import_file(notes)
    html = tmp_path / "page.tmx"
    html.write_text("<html><body/></html>", encoding="utf-8")
    with pytest.raises(TMError, match=r"page.tmx:1: not a TMX file"):
        memory.import_file(html)


def test_export_refuses_characters_xml_cannot_hold(
    tmp_path: Path, memory: TranslationMemory
) -> None:
    memory.add_pair("en", "tr", "Bell\x07 character", "Zil")
    target = tmp_path / "out.tmx"
    with pytest.raises(TMError, match="not allowed in XML"):
        memory.export_tmx(target, "en", "tr")
    assert not target.exists() and list(tmp_path.glob("*.tmp")) == []


# --------------------------------------------------------------------------- PO


def write_po(path: Path, language: str | None) -> None:
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    if language:
        po.metadata["Language"] = language
    entries = [
        polib.POEntry(msgid=EN, msgstr=TR),
        polib.POEntry(msgid=TR_SPECIAL, msgstr=TR_SPECIAL.upper()),
        polib.POEntry(msgid="Untranslated.", msgstr=""),
        polib.POEntry(msgid="Draft.", msgstr="Taslak.", flags=["fuzzy"]),
        polib.POEntry(msgid="Open", msgstr="Aç", msgctxt="verb"),
        polib.POEntry(
            msgid="%d file", msgid_plural="%d files", msgstr_plural={0: "%d dosya", 1: "%d dosya"}
        ),
        polib.POEntry(msgid="Gone.", msgstr="Gitti.", obsolete=True),
        polib.POEntry(msgid="Gone and fuzzy.", msgstr="Gitti.", obsolete=True, flags=["fuzzy"]),
    ]
    po.extend(entries)
    po.save(str(path))


def test_po_import_takes_usable_entries_and_counts_the_rest(tmp_path: Path) -> None:
    path = tmp_path / "elsewhere.po"
    write_po(path, "tr_TR")
    with TranslationMemory(tmp_path / "paragraf.sqlite3") as memory:
        report = memory.import_file(path)
        assert report.entries == 8 and report.imported == 4 and report.duplicates == 0
        assert report.skipped == {
            "untranslated": 1,
            "fuzzy": 1,
            "msgctxt": 1,
            "plural": 1,
            "obsolete": 2,
        }
        assert report.skipped_total == 6
        assert memory.exact(EN, "en", "tr") == Match(100.0, EN, TR, "elsewhere.po")
        assert memory.exact(TR, "tr", "en") is not None
        assert memory.exact("Draft.", "en", "tr") is None
        again = memory.import_file(path, origin="second")
        assert (again.imported, again.duplicates) == (0, 4)


def test_po_import_needs_a_target_language(tmp_path: Path, memory: TranslationMemory) -> None:
    path = tmp_path / "nolang.po"
    write_po(path, None)
    with pytest.raises(TMError, match=r"nolang.po: the PO header has no 'Language'"):
        memory.import_file(path)
    report = memory.import_file(path, source_lang="ru", target_lang="tr")
    assert report.imported == 4 and memory.count("ru", "tr") == 2
    skipped = memory.import_file(path, target_lang="tr", languages=["en", "ru"])
    assert skipped.imported == 0 and skipped.skipped["other languages"] == 2


def test_po_syntax_error_names_file_and_line(tmp_path: Path, memory: TranslationMemory) -> None:
    path = tmp_path / "broken.po"
    path.write_text(
        'msgid ""\nmsgstr ""\n"Language: ru\\n"\n\nmsgid "a"\nmsgstr "b"\n\nmsgid "c"\nbogus "d"\n',
        encoding="utf-8",
    )
    with pytest.raises(TMError) as caught:
        memory.import_file(path)
    assert str(caught.value).startswith(f"{path}:9: ")


# --------------------------------------------------------------------------- helpers


def test_diff_words_marks_removed_and_added_words() -> None:
    assert diff_words("the old text", "the new text") == "the [-old-]{+new+} text"
    assert diff_words("İstanbul'da yağmur", "İstanbul'da kar yağışı") == (
        "İstanbul'da [-yağmur-]{+kar yağışı+}"
    )
    assert diff_words("same", "same") == "same"
    assert diff_words("", "added") == "{+added+}"


def test_normalize_lang() -> None:
    assert [normalize_lang(c) for c in ("en-US", "tr_TR", "RU", " ru-RU ")] == [
        "en",
        "tr",
        "ru",
        "ru",
    ]
    with pytest.raises(TMError, match="invalid language code"):
        normalize_lang("*all*")


# --------------------------------------------------------------------------- the saved index


def forget_built_indexes(db: Path) -> None:
    """As a new process would start: nothing built in memory."""
    tm_module.SHARED.drop(str(db))


def test_the_index_is_saved_and_reused_by_the_next_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = random.Random(8)
    db = tmp_path / "paragraf.sqlite3"
    sources = [paragraph(rng, rng.randint(20, 60)) for _ in range(200)] + ["Short one."]
    with TranslationMemory(db) as memory:
        memory.add_pairs(Pair("en", "tr", s, f"tr {i}") for i, s in enumerate(sources))
        queries = [perturb(rng, s, 2) for s in sources[:20]] + ["Short one!"]
        before = [memory.search(q, "en", "tr", limit=3) for q in queries]
    assert (tmp_path / "tm-index" / "en-tr" / "meta.json").is_file()
    forget_built_indexes(db)

    def no_build(*_args: object) -> None:
        raise AssertionError("the saved index should have been used")

    monkeypatch.setattr(tm_index.Index, "build", no_build)
    with TranslationMemory(db) as memory:
        assert [memory.search(q, "en", "tr", limit=3) for q in queries] == before
        memory.add_pair("en", "tr", "A pair stored after the index was saved.", "sonra")
        forget_built_indexes(db)
        found = memory.search("A pair stored after the index was saved", "en", "tr", limit=1)
        assert [m.target for m in found] == ["sonra"]


def test_a_saved_index_that_no_longer_holds_is_rebuilt(tmp_path: Path) -> None:
    db = tmp_path / "paragraf.sqlite3"
    folder = tmp_path / "tm-index" / "en-tr"
    with TranslationMemory(db) as memory:
        memory.add_pair("en", "tr", EN, TR)
        assert memory.search(EN, "en", "tr")
        memory.rebuild([({"en": EN.replace("Monday", "Friday"), "tr": "cuma"}, "a.md")])
        forget_built_indexes(db)  # the saved index belongs to the memory before the rebuild
        assert [m.target for m in memory.search(EN, "en", "tr", threshold=90)] == ["cuma"]
        for broken in ('{"version": 1}', "not json"):
            (folder / "meta.json").write_text(broken, encoding="utf-8")
            forget_built_indexes(db)
            assert [m.target for m in memory.search(EN, "en", "tr", threshold=90)] == ["cuma"]
        (folder / "postings.npy").write_bytes(b"truncated")
        forget_built_indexes(db)
        assert [m.target for m in memory.search(EN, "en", "tr", threshold=90)] == ["cuma"]


def test_an_index_that_cannot_be_saved_stays_in_memory(tmp_path: Path) -> None:
    db = tmp_path / "paragraf.sqlite3"
    (tmp_path / "tm-index").write_text("a file where the folder would go", encoding="utf-8")
    with TranslationMemory(db) as memory:
        memory.add_pair("en", "tr", EN, TR)
        assert [m.target for m in memory.search(EN, "en", "tr")] == [TR]
