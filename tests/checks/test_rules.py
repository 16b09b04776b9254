from __future__ import annotations

import doctest
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app import checks
from app.checks import Finding, Pair, check_pair, registry

ROOT = Path(__file__).resolve().parents[2]

NBSP, NNBSP = "\u00a0", "\u202f"

EN = (
    "Several countries, including the *United Kingdom* and the [UN](https://un.org), "
    "condemned the transfers “in the strongest possible terms”, costing $1,250.5 million, "
    "up 12%.[i] See `code` and https://example.org/x.[^1]"
)
TR = (
    "Aralarında *Birleşik Krallık* ve [BM](https://un.org) de bulunan birçok ülke, "
    "1.250,5 milyon dolara mal olan ve %12'lik artış gösteren transferleri “mümkün olan "
    "en güçlü ifadelerle” kınadı.[i] Bkz. `code` ve https://example.org/x.[^1]"
)
RU = (
    "Ряд стран, в том числе *Великобритания* и [ООН](https://un.org), «в самых "
    f"решительных выражениях» осудили передачи стоимостью 1{NBSP}250,5{NBSP}млн "
    f"долларов, что на 12{NBSP}% больше.[i] См. `code` и https://example.org/x.[^1]"
)
TERMS = [
    {"en": "UN", "tr": "BM", "ru": "ООН"},
    {"en": "United Kingdom", "tr": "Birleşik Krallık", "ru": "Великобритания"},
    {"en": "IEA", "tr": "UEA", "ru": "МЭА"},
    {"en": "EU", "tr": "AB", "ru": "ЕС"},
    {"en": "UNSC", "tr": "BMGK", "ru": "СБ ООН"},
    {"en": "Security Council", "tr": "Güvenlik Konseyi", "ru": "Совет Безопасности"},
    {"en": "book", "tr": "kitap", "ru": "книга"},
    {"en": "Istanbul", "tr": "İstanbul", "ru": "Стамбул"},
    {"en": "Iraq", "tr": "Irak", "ru": "Ирак"},
    {"en": "Christmas tree", "tr": "yılbaşı ağacı", "ru": "ёлка"},
]
LONG_EN = "The Security Council met on Tuesday to discuss the situation in the region."


def split(langs: str) -> tuple[str, str]:
    """Split ``"en>tr"`` into source and target language."""
    source_lang, target_lang = langs.split(">")
    return source_lang, target_lang


def run(name: str, source: str, target: str, langs: str) -> list[Finding]:
    """Run one check on a pair whose languages are given as ``"en>tr"``."""
    return registry()[name](Pair(source, target, *split(langs), TERMS))


# (check, source, target, "source>target") where the check must report a problem
TRUE_POSITIVES = [
    ("markers", "The vote failed.[i]", "Oylama başarısız oldu.", "en>tr"),
    ("markers", "See the report.[^1]", "См. доклад.[^1][^1]", "en>ru"),
    ("markers", "Karar alındı.[ii]", "Решение принято.[iii]", "tr>ru"),
    ("markers", "Ёлка[^note] стоит.", "Ağaç duruyor.[^not]", "ru>tr"),
    ("urls", "the [UN](https://un.org)", "[BM](https://un.org.tr)", "en>tr"),
    ("urls", "Подробнее: https://example.org/x.", "Ayrıntılar sitede.", "ru>tr"),
    ("urls", "Bkz. <https://örnek.org/ş>", "См. <https://örnek.org/s>", "tr>ru"),
    ("urls", "[Ref][un-charter]", "[Устав][устав-оон]", "en>ru"),
    ("markup", "**United Kingdom** and", "**Birleşik Krallık* ve", "en>tr"),
    ("markup", "the [UN](https://un.org)", "[ООН(https://un.org)", "en>ru"),
    ("markup", "Run `paragraf check`.", "Выполните `paragraf проверка`.", "en>ru"),
    ("markup", "_İstanbul_ ve _Ankara_", "_Стамбул_ и _Анкара", "tr>ru"),
    ("markup", "Use `pip` here.", "Burada `pip kullanın.", "en>tr"),
    ("numbers", "costing $1,250.5 million", "1.205,5 milyon dolara mal olan", "en>tr"),
    ("numbers", "up 12%", f"выросли на 21{NBSP}%", "en>ru"),
    ("numbers", "%12'lik artış", f"рост на 12,5{NBSP}%", "tr>ru"),
    ("numbers", "1,250 people", "1,250 kişi", "en>tr"),
    ("numbers", "10.01.2024 года", "11.01.2024 tarihinde", "ru>tr"),
    ("numbers", "in 2024", "в 2023 году", "en>ru"),
    ("numbers", "at 10:30", "saat 10.45'te", "en>tr"),
    ("numbers", "в 12 345 случаях", "12.346 vakada", "ru>tr"),
    ("identical", "İstanbul'da ışıklar söndü.", "İstanbul'da ışıklar söndü.", "tr>ru"),
    ("identical", "Ёлка стоит во дворе.", "Ёлка стоит во дворе.", "ru>en"),
    ("whitespace", " Şehir uyuyor.", "Город спит.", "tr>ru"),
    ("whitespace", "Ёлка стоит.", "Ağaç duruyor. ", "ru>tr"),
    ("double-space", "Şu an ışıklar yanıyor.", "Сейчас  горят огни.", "tr>ru"),
    ("double-space", "Ёлка стоит.", "Ağaç  duruyor.", "ru>tr"),
    ("quotes", "He said “no”.", "Он сказал “нет”.", "en>ru"),
    ("quotes", "He said “no”.", 'Он сказал "нет".', "en>ru"),
    ("quotes", "Он сказал «нет».", "«Hayır» dedi.", "ru>tr"),
    ("quotes", "Он сказал «нет».", "He said „no“.", "ru>en"),
    ("quotes", "Он сказал «нет».", 'O "hayır" dedi.', "ru>tr"),
    ("glossary", "The UNSC met.", "Güvenlik Konseyi toplandı.", "en>tr"),
    ("glossary", "BMGK'nin kararı", "решение Совбеза", "tr>ru"),
    ("glossary", "Ёлка стоит.", "Çam ağacı duruyor.", "ru>tr"),
    ("glossary", "İSTANBUL'DA kar", "Снег в столице", "tr>ru"),
    ("glossary", "IRAK'ta seçim", "Elections in Baghdad", "tr>en"),
    ("glossary", "the EU", "ABD", "en>tr"),
    ("length", LONG_EN, "Evet.", "en>tr"),
    ("length", LONG_EN, "Совет Безопасности собрался. " * 6, "en>ru"),
    (
        "length",
        "Совет Безопасности собрался во вторник, чтобы обсудить ситуацию.",
        "Toplandı.",
        "ru>tr",
    ),
]

# (check, source, target, "source>target") where the check must stay silent
TRUE_NEGATIVES = [
    ("markers", "Iran[i] and Iraq[ii] agreed.", "Irak[ii] ve İran[i] anlaştı.", "en>tr"),
    ("markers", "the IEA report[iv]", "Uluslararası Enerji Ajansı[iv]'na göre", "en>tr"),
    ("markers", "«Ёлки»[^note] и[i] дом", "Ev[i] ve “Ağaçlar”[^note]", "ru>tr"),
    ("markers", "“[I]t is over,” he said.", "“Всё кончено”, — сказал он.", "en>ru"),
    ("markers", "Read [i](https://x.org/i).", "Oku: https://x.org/i", "en>tr"),
    (
        "urls",
        "[Security Council](https://un.org/sc 'Security Council')",
        "[Совет Безопасности](https://un.org/sc 'Совет Безопасности')",
        "en>ru",
    ),
    ("urls", "See https://example.org/x.", "Bkz. https://example.org/x'te.", "en>tr"),
    (
        "urls",
        "Bkz. [Vikipedi](https://tr.wikipedia.org/wiki/Ankara_(il)).",
        "См. https://tr.wikipedia.org/wiki/Ankara_(il).",
        "tr>ru",
    ),
    ("urls", "Write to <ofis@örnek.org>[^1].", "Пишите на <ofis@örnek.org>[^1].", "en>ru"),
    ("markup", "Use `a*b` and **bold**.", "`a*b` ve **kalın** kullanın.", "en>tr"),
    ("markup", "Fiyat* değişti.", "Цена* изменилась.", "tr>ru"),
    ("markup", "*Reuters* reported", "*Reuters*'a göre", "en>tr"),
    ("markup", "Ёлка и snake_case", "Ağaç ve snake_case, 5 * 3", "ru>tr"),
    ("markup", "See [the report][un-2024].", "Bkz. [rapor][un-2024]'da.", "en>tr"),
    ("numbers", "costing $1,250.5 million, up 12%", "1.250,5 milyon dolara, %12'lik", "en>tr"),
    ("numbers", "costing $1,250.5 million, up 12%", f"1{NBSP}250,5 млн, 12{NBSP}%", "en>ru"),
    ("numbers", "costing $1,250.5 million", f"1{NNBSP}250,5 млн", "en>ru"),
    ("numbers", "costing $1,250.5 million", "1 250,5 млн", "en>ru"),
    ("numbers", "1.250,5 milyon, %12", "1 250,5 млн, 12 %", "tr>ru"),
    ("numbers", "1,000,000 and 0.5", "1.000.000 ve 0,5", "en>tr"),
    ("numbers", "in 2024, with 12 votes", "2024'te 12 oyla", "en>tr"),
    ("numbers", "in 2024", "в 2024 году", "en>ru"),
    ("numbers", "January 10, 2024", "10.01.2024", "en>tr"),
    ("numbers", "10.01.2024 года", "10 Ocak 2024'te", "ru>tr"),
    ("numbers", "on 01/10/2024", "10.01.2024", "en>ru"),
    ("numbers", "2024-01-10", "10.01.2024", "en>tr"),
    ("numbers", "at 10:30", "saat 10.30'da", "en>tr"),
    ("numbers", "saat 14.00'te", "at 14:00", "tr>en"),
    ("numbers", "Телефон: +90 212 555 12 34", "Telefon: +90 212 555 12 34", "ru>tr"),
    ("numbers", "в 12 345 случаях", "in 12,345 cases", "ru>en"),
    ("numbers", "1&nbsp;000 ёлок", "1.000 ağaç", "ru>tr"),
    (
        "numbers",
        "[^12] `x = 3` https://x.org/2024/5",
        "[^12] `x = 3` https://x.org/2024/5",
        "en>ru",
    ),
    ("numbers", "G20 and COVID-19", "G20 ve COVID-19'un", "en>tr"),
    ("numbers", "%12'lik artış", "12% increase", "tr>en"),
    ("identical", "https://example.org/ğış", "https://example.org/ğış", "en>tr"),
    ("identical", "1.250,5", "1.250,5", "tr>ru"),
    ("identical", "[^1] `код`", "[^1] `код`", "ru>en"),
    ("identical", "Şehir uyuyor.", "Город спит.", "tr>ru"),
    ("whitespace", " Şehir uyuyor. ", " Город спит. ", "tr>ru"),
    ("whitespace", "Ёлка стоит.", "Ağaç duruyor.", "ru>tr"),
    ("double-space", "Şu  an ışıklar yanıyor.", "Сейчас  горят огни.", "tr>ru"),
    ("double-space", "1 000 ёлок", f"1{NBSP}000 ağaç", "ru>tr"),
    ("quotes", "He said “no”.", "Он сказал «нет», а потом «„нет“, и всё».", "en>ru"),
    ("quotes", "Он сказал «нет».", "“Hayır” dedi; BM'nin ‘resmî’ tutumu.", "ru>tr"),
    (
        "quotes",
        'Set `x="a"` and <a href="https://x.org">x</a>.',
        'Задайте `x="a"` и <a href="https://x.org">x</a>.',
        "en>ru",
    ),
    ("quotes", 'a 12" screen', '12" ekran', "en>tr"),
    ("glossary", "The IEA and the EU", "МЭА и ЕС", "en>ru"),
    ("glossary", "The IEA and the EU", "UEA ve AB'nin", "en>tr"),
    ("glossary", "the UN", "BM'nin", "en>tr"),
    ("glossary", "The UNSC met.", "BMGK'nin toplantısı", "en>tr"),
    ("glossary", "The UNSC met.", "Собрание СБ ООН", "en>ru"),
    ("glossary", "The Security Council met.", "Заседание Совета Безопасности", "en>ru"),
    ("glossary", "The Security Council met.", "Güvenlik Konseyi'nin toplantısı", "en>tr"),
    ("glossary", "a book", "kitabı", "en>tr"),
    ("glossary", "a book", "книгу", "en>ru"),
    ("glossary", "Стамбул", "İSTANBUL'UN", "ru>tr"),
    ("glossary", "ирак", "IRAK'TA", "ru>tr"),
    ("glossary", "Ёлка", "Елки", "tr>ru"),
    ("glossary", "the un-named", "adı verilmemiş", "en>tr"),
    ("glossary", "Елки стоят", "Ağaçlar duruyor", "ru>tr"),
    (
        "length",
        LONG_EN,
        "Güvenlik Konseyi bölgedeki durumu görüşmek için salı günü toplandı.",
        "en>tr",
    ),
    (
        "length",
        LONG_EN,
        "Совет Безопасности собрался во вторник, чтобы обсудить ситуацию в регионе.",
        "en>ru",
    ),
    ("length", "Yes.", "Да, конечно, именно так и есть, без сомнений.", "en>ru"),
    ("length", "[Ёлка](https://example.org/a/very/long/path/to/a/page)", "Ağaç", "ru>tr"),
]


@pytest.mark.parametrize(("name", "source", "target", "langs"), TRUE_POSITIVES)
def test_true_positive(name: str, source: str, target: str, langs: str) -> None:
    assert run(name, source, target, langs)
    assert name in {finding.check for finding in check_pair(source, target, *split(langs), TERMS)}


@pytest.mark.parametrize(("name", "source", "target", "langs"), TRUE_NEGATIVES)
def test_true_negative(name: str, source: str, target: str, langs: str) -> None:
    assert run(name, source, target, langs) == []


@pytest.mark.parametrize(
    ("source", "target", "langs"),
    [
        (EN, TR, "en>tr"),
        (EN, RU, "en>ru"),
        (TR, RU, "tr>ru"),
        (RU, TR, "ru>tr"),
        (TR, EN, "tr>en"),
        (RU, EN, "ru>en"),
    ],
)
def test_good_translation_has_no_findings(source: str, target: str, langs: str) -> None:
    assert check_pair(source, target, *split(langs), TERMS) == []


def test_bad_translation_reports_each_problem() -> None:
    target = TR.replace("1.250,5", "1.205,5").replace("[i]", "").replace("“", '"').replace("”", '"')
    found = [(f.check, f.severity, f.message) for f in check_pair(EN, target, "en", "tr", TERMS)]
    assert found == [
        ("markers", "error", "marker [i] is missing from the target"),
        ("numbers", "error", "number '1,250.5' is missing from the target"),
        (
            "numbers",
            "error",
            "number '1.205,5' in the target (read as 1205.5) is not in the source",
        ),
        ("quotes", "warning", 'quotation marks " are not Turkish style; use “ ”'),
    ]


@pytest.mark.parametrize("target", ["", "   "])
def test_empty_target_gives_no_findings(target: str) -> None:
    assert check_pair(EN, target, "en", "ru") == []


def test_messages_name_what_changed() -> None:
    [repeated] = run("markers", "Ёлка.[^1]", "Ağaç.[^1][^1]", "ru>tr")
    assert repeated.message == "marker [^1] is repeated in the target"
    [changed] = run("urls", "[BM](https://un.org)", "[ООН](https://un.ru)", "tr>ru")
    assert changed.message == "link target changed: 'https://un.org' became 'https://un.ru'"
    [number] = run("numbers", "1,250 people", "1,250 kişi", "en>tr")[1:]
    assert number.message == "number '1,250' in the target (read as 1.250) is not in the source"


def test_blank_glossary_cells_are_ignored() -> None:
    terms = [{"en": " ", "tr": "ağaç"}, {"en": "UN", "tr": "  "}, {"en": "UN"}]
    assert check_pair("the UN", "ağaç", "en", "tr", terms) == []


def test_numbers_ignore_urls_markers_and_code() -> None:
    pair = Pair("See [^12], `x = 3` and https://x.org/2024/5.", "Bkz. [^12].", "en", "tr")
    assert pair.src.numbers == ()


def test_registry_lists_every_check() -> None:
    assert list(registry()) == [
        "markers",
        "urls",
        "markup",
        "html",
        "numbers",
        "number-format",
        "marker-place",
        "identical",
        "whitespace",
        "double-space",
        "quotes",
        "glossary",
        "length",
    ]
    for name, check in registry().items():
        assert check.name == name
        assert check.severity in {"error", "warning"}
        assert check.description and "\n" not in check.description


def test_doctests() -> None:
    from app.checks import markup_rules, number_rules, numbers, plain, terms, text_rules

    for module in (checks, markup_rules, number_rules, numbers, plain, terms, text_rules):
        assert doctest.testmod(module).failed == 0, module.__name__


MARKDOWNISH = st.text(alphabet="ab ıİşğёЁ«»“”\"'*_`[]()^!:/.,%0123456789\u00a0-", max_size=60)


@settings(max_examples=300, database=None, deadline=None)
@given(text=MARKDOWNISH, lang=st.sampled_from(["en", "tr", "ru"]))
def test_a_copy_has_no_errors(text: str, lang: str) -> None:
    assert not [f for f in check_pair(text, text, lang, lang, TERMS) if f.severity == "error"]


@settings(max_examples=300, database=None, deadline=None)
@given(
    source=MARKDOWNISH,
    target=MARKDOWNISH,
    langs=st.sampled_from(
        ["en>tr", "en>ru", "tr>ru", "ru>en", "tr>en", "ru>tr", "en>de", "tr_TR>xx"]
    ),
)
def test_never_raises(source: str, target: str, langs: str) -> None:
    for finding in check_pair(source, target, *split(langs), TERMS):
        assert finding.check in registry()


@pytest.mark.parametrize(
    ("source", "target", "lang"),
    [
        ("Hello <b>world</b>.", "Merhaba <img src=x onerror=alert(1)> dünya.", "tr"),
        ("A plain sentence.", "Простое <script>alert(1)</script> предложение.", "ru"),
    ],
)
def test_html_added_in_a_translation_is_an_error(source: str, target: str, lang: str) -> None:
    found = [f for f in check_pair(source, target, "en", lang) if f.check == "html"]
    assert found and all(f.severity == "error" for f in found)
    assert any("not in the source" in f.message for f in found)


@pytest.mark.parametrize(
    ("target", "lang"),
    [("Merhaba <b>dünya</b>.", "tr"), ("Привет, <b>мир</b>.", "ru")],
)
def test_the_sources_html_kept_is_fine(target: str, lang: str) -> None:
    assert [
        f for f in check_pair("Hello <b>world</b>.", target, "en", lang) if f.check == "html"
    ] == []


@pytest.mark.parametrize(
    ("source", "target", "lang"),
    [
        (
            'The <abbr title="United Nations">UN</abbr> met.',
            '<abbr title="Birleşmiş Milletler">BM</abbr> toplandı.',
            "tr",
        ),
        ("Line<br>two.", "Строка<BR/>два.", "ru"),
        ("Text <!-- editor: check -->here.", "Metin <!-- editör: bak -->burada.", "tr"),
    ],
)
def test_translated_attributes_and_tag_spelling_are_not_html_errors(
    source: str, target: str, lang: str
) -> None:
    assert [f for f in check_pair(source, target, "en", lang) if f.check == "html"] == []


def test_an_event_handler_added_to_a_sources_tag_is_an_error() -> None:
    found = [
        f
        for f in check_pair("Hello <b>world</b>.", 'Привет, <b onclick="x()">мир</b>.', "en", "ru")
        if f.check == "html"
    ]
    assert any("onclick" in f.message for f in found)


def test_registry_order_does_not_depend_on_what_was_imported_first() -> None:
    code = (
        "import app.checks.text_rules, app.checks.number_rules\n"
        "from app.checks import registry\n"
        "print(' '.join(registry()))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout.split()
    assert out == list(registry())
    assert out[0] == "markers"
