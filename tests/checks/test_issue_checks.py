"""The checks review found missing or wrong, each with a true positive and a true negative in Turkish and Russian."""

from __future__ import annotations

import pytest

from app.checks import check_pair


def messages(source: str, target: str, lang: str, name: str) -> list[str]:
    return [f.message for f in check_pair(source, target, "en", lang) if f.check == name]


@pytest.mark.parametrize(
    ("lang", "bad", "good"),
    [
        ("tr", "**Yeni kurallar Mayıs'ta", "**Yeni kurallar** Mayıs'ta"),
        ("ru", "**Новые правила с мая", "**Новые правила** с мая"),
        ("tr", "*Yeni** kurallar Mayıs'ta", "*Yeni* kurallar Mayıs'ta"),
    ],
)
def test_emphasis_balanced_by_commonmark(lang: str, bad: str, good: str) -> None:
    source = "**New rules** from May"
    assert messages(source, bad, lang, "markup")
    assert not messages(source, good, lang, "markup")


def test_stars_that_are_not_emphasis_pass() -> None:
    source = "Rated 5 * 3 stars"
    assert not messages(source, "5 * 3 yıldız", "tr", "markup")
    assert not messages(source, "5 * 3 звезды", "ru", "markup")


@pytest.mark.parametrize(
    ("lang", "text"), [("tr", "Rapora atıfta bulunuldu."), ("ru", "Доклад цитировали.")]
)
def test_markers_doubled_dropped_moved(lang: str, text: str) -> None:
    source = "The report was cited.[i]"
    assert messages(source, text + "[i][i]", lang, "markers") == [
        "marker [i] is repeated in the target"
    ]
    assert messages(source, text, lang, "markers") == ["marker [i] is missing from the target"]
    assert messages(source, text + "[i]", lang, "markers") == []
    two = "Moscow denied it.[i] Pyongyang said nothing."
    moved = {
        "tr": "Moskova reddetti. Pyongyang sustu.[i]",
        "ru": "Москва отрицала. Пхеньян молчал.[i]",
    }
    kept = {
        "tr": "Moskova reddetti.[i] Pyongyang sustu.",
        "ru": "Москва отрицала.[i] Пхеньян молчал.",
    }
    assert messages(two, moved[lang], lang, "marker-place") == [
        "marker [i] moved from sentence 1 to sentence 2"
    ]
    assert messages(two, kept[lang], lang, "marker-place") == []


@pytest.mark.parametrize(
    ("lang", "wrong", "expected", "right"),
    [
        ("tr", "1,250.5 ton", "'1.250,5'", "1.250,5 ton"),
        ("ru", "1,250.5 тонны", "'1 250,5'", "1 250,5 тонны"),
        ("tr", "3.5 ton", "'3,5'", "3,5 ton"),
        ("ru", "3.5 тонны", "'3,5'", "3,5 тонны"),
    ],
)
def test_number_in_the_wrong_locale_form(lang: str, wrong: str, expected: str, right: str) -> None:
    source = "1,250.5 tonnes" if "250" in wrong else "3.5 tonnes"
    found = messages(source, wrong, lang, "number-format")
    language = {"tr": "Turkish", "ru": "Russian"}[lang]
    assert found == [
        f"number '{wrong.split()[0]}' is not written the {language} way; write {expected}"
    ]
    assert messages(source, right, lang, "number-format") == []
    assert messages(source, right, lang, "numbers") == []


def test_percent_sign_side_follows_the_locale() -> None:
    assert messages("Inflation hit 12%.", "Enflasyon 12% oldu.", "tr", "number-format") == [
        "number '12%' is not written the Turkish way; write '%12'"
    ]
    assert messages("Inflation hit 12%.", "Enflasyon %12 oldu.", "tr", "number-format") == []
    assert messages("Inflation hit 12%.", "Инфляция 12% достигла.", "ru", "number-format") == []


def test_english_target_in_continental_form() -> None:
    assert messages("1.250,5 ton", "1.250,5 tonnes", "en", "number-format") == []  # a copy
    found = [
        f.message
        for f in check_pair("1.250,5 ton", "1.250,5 tonnes", "tr", "en")
        if f.check == "number-format"
    ]
    assert found == ["number '1.250,5' is not written the English way; write '1,250.5'"]


def test_dates_and_times_are_not_number_forms() -> None:
    assert (
        messages("On 10.01.2024 at 10.30", "10.01.2024'te saat 10.30'da", "tr", "number-format")
        == []
    )
    assert messages("On 10.01.2024", "10.01.2024 года", "ru", "number-format") == []


@pytest.mark.parametrize(("lang", "target"), [("tr", "Üçüncü sevkiyat"), ("ru", "Третья партия")])
def test_spelled_out_ordinal(lang: str, target: str) -> None:
    assert messages("The 3rd shipment", target, lang, "numbers") == []
    assert messages("The 3rd shipment and 40 shells", target, lang, "numbers") == [
        "number '40' is missing from the target"
    ]


@pytest.mark.parametrize(
    ("lang", "good", "bad"), [("tr", "10 bin", "100 bin"), ("ru", "10 тыс.", "100 тыс.")]
)
def test_scale_words(lang: str, good: str, bad: str) -> None:
    assert messages("10,000 shells", good, lang, "numbers") == []
    assert messages("10,000 shells", bad, lang, "numbers")


@pytest.mark.parametrize("lang", ["tr", "ru"])
def test_localized_urls(lang: str) -> None:
    source = "[Report](https://ex.org/en/r?lang=en)"
    assert (
        messages(
            source,
            f"[R](https://ex.org/{lang}/r?lang={lang})",
            "tr" if lang == "tr" else "ru",
            "urls",
        )
        == []
    )
    assert messages(source, "[R](https://ex.org/de/r?lang=en)", lang, "urls") == [
        "link target changed: 'https://ex.org/en/r?lang=en' became 'https://ex.org/de/r?lang=en'"
    ]


@pytest.mark.parametrize("lang", ["tr", "ru"])
def test_proper_name_may_be_identical(lang: str) -> None:
    assert messages("Reuters", "Reuters", lang, "identical") == []
    assert messages("Kim Jong Un", "Kim Jong Un", lang, "identical") == []
    assert messages("the arms trade", "the arms trade", lang, "identical") == [
        "target is identical to the source"
    ]


def test_figures_keep_urls_code_and_markers_as_they_are() -> None:
    from app.checks.number_forms import localize
    from app.mt.figures import draft_of

    assert localize("1,250.5 and 12.5%", "en", "tr") == "1.250,5 and %12,5"
    kept = "https://example.org/source/10668?a=1%20b `x = 12500` [12]"
    assert localize(kept, "en", "tr") == kept
    draft = draft_of("https://example.org/report/10668", "en", "ru")
    assert draft is not None and draft.text == "https://example.org/report/10668"
