"""Tests for app.deepl_engine and app.glossary, driving the real deepl client over HTTP."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import deepl
import pytest

from app.config import config_from_mapping
from app.errors import ConfigError, ParagrafError
from app.mt import Segment
from app.mt import deepl as deepl_module
from app.mt.batches import MAX_BODY_BYTES, json_size, plan_batches
from app.mt.deepl import (
    DeepLAuthError,
    DeepLConnectionError,
    DeepLEngine,
    DeepLRequestError,
    DeepLUnavailable,
    QuotaExceeded,
)
from app.mt.placeholders import IGNORE_TAGS, NON_SPLITTING_TAGS, protect
from app.termbase import GlossaryError, load_terms
from tests.deepl_server import AUTH_KEY, RETRIES, FakeDeepL, billable, deepl_server, fake_translate  # noqa: F401

EXAMPLE = (
    "Several countries, including the *United Kingdom* and the "
    '[UN](https://un.org "UN"), condemned it “in the strongest possible terms”.[i] '
    "See `code` and https://example.org/x?a=1&b=2.[^1]"
)
TERMS = (
    "en,tr,ru\n"
    "ceasefire,ateşkes,перемирие\n"
    "Grand National Assembly,Büyük Millet Meclisi,\n"
    ",,\n"
    "parliament,meclis,парламент\n"
)


@pytest.fixture
def engine(deepl_server: FakeDeepL) -> Iterator[DeepLEngine]:
    """An engine talking to the fake server, Russian formal and Turkish informal."""
    with DeepLEngine(
        AUTH_KEY, deepl_server.url, formality={"ru": "more", "tr": "less", "en": "more"}
    ) as engine:
        yield engine


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- plan_batches -----------------------------------------------------------------------


def test_plan_batches_counts_texts() -> None:
    batches = plan_batches(["a"] * 120)
    assert [len(b) for b in batches] == [50, 50, 20]
    assert [i for b in batches for i in b] == list(range(120))


def test_plan_batches_measures_json_bytes() -> None:
    russian = "ё" * 10_000  # 6 bytes each once JSON-escaped
    assert json_size(russian) == 60_002
    assert plan_batches([russian] * 5, overhead=100) == [[0, 1], [2, 3], [4]]
    assert plan_batches([], overhead=100) == []


def test_plan_batches_gives_an_oversized_text_its_own_batch() -> None:
    assert plan_batches(["x" * 200_000, "y"]) == [[0], [1]]


# --- translating ------------------------------------------------------------------------


def test_round_trip_keeps_markdown(engine: DeepLEngine, deepl_server: FakeDeepL) -> None:
    result = engine.translate_batch([EXAMPLE], "en", "tr")
    (text,) = result.texts
    assert text.startswith("⟨tr⟩ lareveS seirtnuoc")
    for kept in ["*detinU modgniK*", '](https://un.org "UN")', "[i]", "`code`", "[^1]"]:
        assert kept in text
    assert "https://example.org/x?a=1&b=2.[^1]" in text
    sent = deepl_server.translate_requests()[0].texts[0]
    assert sent == protect(EXAMPLE).xml
    assert text == protect(EXAMPLE).restore(
        fake_translate(sent, "TR", tag_handling="xml", ignore_tags=IGNORE_TAGS)
    )
    assert result.billed_characters == billable(sent, True)  # tags are not billed
    assert result.requests == 1


def test_parameters_sent(engine: DeepLEngine, deepl_server: FakeDeepL) -> None:
    engine.translate_batch(["Hello *world*."], "en", "ru", context="An article about Ankara.")
    (request,) = deepl_server.translate_requests()
    assert request.headers["Authorization"] == f"DeepL-Auth-Key {AUTH_KEY}"
    assert request.params == {
        "text": ['Hello <em id="1">world</em>.'],
        "source_lang": "EN",
        "target_lang": "RU",
        "formality": "more",
        "context": "An article about Ankara.",
        "tag_handling": "xml",
        "tag_handling_version": "v2",
        "ignore_tags": list(IGNORE_TAGS),
        "non_splitting_tags": list(NON_SPLITTING_TAGS),
        "preserve_formatting": True,
        "show_billed_characters": True,
    }


@pytest.mark.parametrize(
    ("target", "code", "formality"),
    [("tr", "TR", "prefer_less"), ("en", "EN-GB", "prefer_more"), ("ru", "RU", "more")],
)
def test_formality_only_prefer_values_where_unsupported(
    engine: DeepLEngine, deepl_server: FakeDeepL, target: str, code: str, formality: str
) -> None:
    source = "ru" if target == "en" else "en"
    assert engine.translate_batch(["Good morning."], source, target).texts[0].startswith("⟨")
    (request,) = deepl_server.translate_requests()
    assert (request.params["target_lang"], request.params["formality"]) == (code, formality)
    assert request.status == 200


def test_server_refuses_plain_formality_for_turkish(deepl_server: FakeDeepL) -> None:
    """The reason for prefer_*: DeepL answers 400 to formality=less for Turkish."""
    with closing(deepl.DeepLClient(AUTH_KEY, server_url=deepl_server.url)) as client:
        with pytest.raises(deepl.DeepLException, match="formality"):
            client.translate_text("Hi", source_lang="EN", target_lang="TR", formality="less")


def test_default_formality_and_english_variant(deepl_server: FakeDeepL, tmp_path: Path) -> None:
    settings = config_from_mapping(
        tmp_path, {"formality": {"tr": "default"}, "english_variant": "EN-US"}
    )
    env = {"DEEPL_AUTH_KEY": AUTH_KEY, "DEEPL_SERVER_URL": deepl_server.url}
    engine = DeepLEngine.from_env(settings, environ=env)
    assert engine is not None
    with engine:
        engine.translate_batch(["Merhaba."], "tr", "en")
        engine.translate_batch(["Hello."], "en", "tr")
    first, second = deepl_server.translate_requests()
    assert first.params["target_lang"] == "EN-US" and "formality" not in first.params
    assert "formality" not in second.params and "context" not in second.params


def test_texts_without_words_are_not_sent(engine: DeepLEngine, deepl_server: FakeDeepL) -> None:
    texts = ["https://example.org", "`x = 1`", "[^1]", "  ", "Real *text*."]
    result = engine.translate_batch(texts, "en", "tr")
    assert result.texts[:4] == texts[:4]
    assert result.texts[4] == "⟨tr⟩ laeR *txet*."
    assert [r.texts for r in deepl_server.translate_requests()] == [['Real <em id="1">text</em>.']]
    assert engine.translate_batch([], "en", "tr") == type(result)([], 0, 0)


def test_batches_of_at_most_fifty(engine: DeepLEngine, deepl_server: FakeDeepL) -> None:
    texts = [f"Sentence number {i}." for i in range(120)]
    result = engine.translate_batch(texts, "en", "tr")
    assert result.requests == 3
    assert sorted(len(r.texts) for r in deepl_server.translate_requests()) == [20, 50, 50]
    assert result.texts[119] == "⟨tr⟩ ecnetneS rebmun 119."
    assert result.billed_characters == sum(len(t) for t in texts)


def test_batches_under_128_kib(engine: DeepLEngine, deepl_server: FakeDeepL) -> None:
    texts = [f"«Ёлка» {i} " + "ёжик " * 1_000 for i in range(12)]  # ≈ 30 KB of JSON each
    result = engine.translate_batch(texts, "ru", "en", context="Новости")
    sizes = [r.body_size for r in deepl_server.translate_requests()]
    assert all(r.status == 200 for r in deepl_server.translate_requests())
    assert max(sizes) <= MAX_BODY_BYTES and len(sizes) == result.requests == 3
    assert sorted(sizes)[1] > MAX_BODY_BYTES - json_size(texts[0])  # all but the last are filled
    assert result.texts[3].startswith("⟨en-gb⟩ «аклЁ» 3 кижё")


# --- faults -----------------------------------------------------------------------------


def test_413_splits_the_batch_and_goes_on(engine: DeepLEngine, deepl_server: FakeDeepL) -> None:
    deepl_server.fail_next(413)
    result = engine.translate_batch(["one", "two", "three", "four"], "en", "tr")
    assert result.texts == ["⟨tr⟩ eno", "⟨tr⟩ owt", "⟨tr⟩ eerht", "⟨tr⟩ ruof"]
    assert [len(r.texts) for r in deepl_server.translate_requests()] == [4, 2, 2]
    assert result.requests == 3


def test_413_for_a_single_text_names_it(engine: DeepLEngine, deepl_server: FakeDeepL) -> None:
    deepl_server.fail_next(413, times=3)
    with pytest.raises(DeepLRequestError, match="'one'.*split that paragraph"):
        engine.translate_batch(["one", "two"], "en", "tr")


def test_403_names_the_key_variable(deepl_server: FakeDeepL) -> None:
    with DeepLEngine("wrong-key", deepl_server.url) as engine:
        with pytest.raises(DeepLAuthError, match="DEEPL_AUTH_KEY") as caught:
            engine.translate_batch(["Hello."], "en", "tr")
    assert isinstance(caught.value, ParagrafError)
    assert deepl_server.requests[0].status == 403


def test_403_from_a_fault(engine: DeepLEngine, deepl_server: FakeDeepL) -> None:
    deepl_server.fail_next(403)
    with pytest.raises(DeepLAuthError, match="403"):
        engine.translate_batch(["Hello."], "en", "tr")


def test_456_raises_quota_exceeded_keeping_finished_work(
    engine: DeepLEngine, deepl_server: FakeDeepL, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(deepl_module, "MAX_CONCURRENT", 1)  # the requests in order
    texts = [f"Text {i:02}." for i in range(60)]  # 8 characters each, one context: 2 requests
    deepl_server.character_limit = 50 * 8 + 5
    with pytest.raises(QuotaExceeded, match="456") as caught:
        engine.translate([Segment(t, "Same context") for t in texts], "en", "tr")
    partial = caught.value.partial
    assert partial is not None and partial.billed == 400 and partial.requests == 2
    kept = [d.text if d else None for d in partial.drafts]
    assert kept[:50] == [f"⟨tr⟩ txeT {i:02}." for i in range(50)] and kept[50:] == [None] * 10
    assert engine.usage() == (400, 405)


def test_a_413_split_then_a_456_keeps_the_half_already_translated(
    engine: DeepLEngine, deepl_server: FakeDeepL
) -> None:
    texts = [f"Text {i:02}." for i in range(20)]
    deepl_server.fail_next(413)  # the whole batch is refused as too large: split in two
    deepl_server.character_limit = 10 * 8 + 5  # the first half fits the quota, the second not
    with pytest.raises(QuotaExceeded) as caught:
        engine.translate([Segment(t, "Same context") for t in texts], "en", "tr")
    partial = caught.value.partial
    assert partial is not None
    assert [d is not None for d in partial.drafts] == [True] * 10 + [False] * 10
    assert partial.billed == 80 and partial.requests == 3


def test_456_from_a_fault(engine: DeepLEngine, deepl_server: FakeDeepL) -> None:
    deepl_server.fail_next(456)
    with pytest.raises(QuotaExceeded):
        engine.translate_batch(["Hello."], "en", "tr")
    assert len(deepl_server.translate_requests()) == 1  # the client does not retry a 456


@pytest.mark.parametrize("status", [429, 500, 503])
def test_retryable_errors_give_up_after_the_client_retries(
    engine: DeepLEngine, deepl_server: FakeDeepL, status: int
) -> None:
    deepl_server.fail_next(status, times=RETRIES + 1)
    with pytest.raises(DeepLUnavailable, match=f"{status}.*after {RETRIES} retries"):
        engine.translate_batch(["Hello."], "en", "tr")
    assert len(deepl_server.translate_requests()) == RETRIES + 1


def test_a_transient_429_is_retried_by_the_client(
    engine: DeepLEngine, deepl_server: FakeDeepL
) -> None:
    deepl_server.fail_next(429)
    result = engine.translate_batch(["Hello."], "en", "tr")
    assert result.texts == ["⟨tr⟩ olleH."]
    assert result.requests == 1 and len(deepl_server.translate_requests()) == 2


def test_connection_refused_names_the_url(deepl_server: FakeDeepL) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    with DeepLEngine(AUTH_KEY, url) as engine:
        with pytest.raises(DeepLConnectionError, match=f"DeepL at {url}.*DEEPL_SERVER_URL"):
            engine.translate_batch(["Hello."], "en", "tr")


def test_timeout_names_the_url(
    engine: DeepLEngine, deepl_server: FakeDeepL, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(deepl.http_client, "min_connection_timeout", 0.2)
    deepl_server.stall_next(1.0, times=RETRIES + 1)
    with pytest.raises(DeepLConnectionError, match=deepl_server.url):
        engine.translate_batch(["Hello."], "en", "tr")


# --- configuration ----------------------------------------------------------------------


def test_from_env() -> None:
    assert DeepLEngine.from_env(environ={}) is None
    assert DeepLEngine.from_env(environ={"DEEPL_AUTH_KEY": "  "}) is None
    with pytest.raises(ConfigError, match="DEEPL_SERVER_URL"):
        DeepLEngine.from_env(environ={"DEEPL_AUTH_KEY": "k", "DEEPL_SERVER_URL": "localhost"})
    engine = DeepLEngine.from_env(environ={"DEEPL_AUTH_KEY": "abc:fx"})
    assert engine is not None
    with engine:
        assert engine.server_url == "https://api-free.deepl.com"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"formality": {"tr": "formal"}}, r"formality\.tr: must be one of .*'formal'"),
        ({"english_variant": "EN-AU"}, "english_variant"),
    ],
)
def test_bad_settings(kwargs: dict, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        DeepLEngine(AUTH_KEY, "http://127.0.0.1:9", **kwargs)


# --- the glossary -----------------------------------------------------------------------


def test_load_terms(tmp_path: Path) -> None:
    path = tmp_path / "glossary.csv"
    path.write_text("\ufeffEN, tr ,ru\n" + TERMS.split("\n", 1)[1] + '"a, b",c\n', encoding="utf-8")
    assert load_terms(path) == [
        {"en": "ceasefire", "tr": "ateşkes", "ru": "перемирие"},
        {"en": "Grand National Assembly", "tr": "Büyük Millet Meclisi"},
        {"en": "parliament", "tr": "meclis", "ru": "парламент"},
        {"en": "a, b", "tr": "c"},
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", r":1: the first row must name the languages"),
        ("en,turkish\n", r":1: column 2 of the header must be a language code .*'turkish'"),
        ("en,tr,en\n", r":1: language 'en' appears twice"),
        ("en,tr\na,b\nx,y,z\n", r":3: 3 cells but the header names 2 languages"),
        ('en,tr\na,"b\tc"\n', r":2: the 'tr' term 'b\\tc' contains '\\t'"),
        ('en,tr\na,"b\n', r":\d: not valid CSV"),
    ],
)
def test_load_terms_errors_name_file_and_line(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "glossary.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(GlossaryError, match=message) as caught:
        load_terms(path)
    assert str(caught.value).startswith(str(path))


def test_load_terms_file_errors(tmp_path: Path) -> None:
    with pytest.raises(GlossaryError, match="glossary file not found"):
        load_terms(tmp_path / "missing.csv")
    path = tmp_path / "latin1.csv"
    path.write_bytes("en,tr\nIğdır,x\n".encode() + "café\n".encode("latin-1"))
    with pytest.raises(GlossaryError, match=r":3: not UTF-8"):
        load_terms(path)


def test_glossary_created_once_and_used(
    engine: DeepLEngine, deepl_server: FakeDeepL, tmp_path: Path
) -> None:
    path = tmp_path / "glossary.csv"
    path.write_text(TERMS, encoding="utf-8")
    glossary_id = engine.sync_glossary(path)
    assert glossary_id is not None
    assert engine.sync_glossary(path) == glossary_id
    assert len(deepl_server.glossary_requests("POST")) == 1
    (glossary,) = deepl_server.glossaries.values()
    assert glossary["name"].startswith("paragraf-")
    pairs = {(d["source_lang"], d["target_lang"]): d["entries"] for d in glossary["dictionaries"]}
    assert set(pairs) == {("en", "tr"), ("tr", "en"), ("en", "ru"), ("ru", "en"), ("tr", "ru"), ("ru", "tr")}  # fmt: skip
    assert pairs["en", "ru"] == {"ceasefire": "перемирие", "parliament": "парламент"}
    assert pairs["tr", "en"]["Büyük Millet Meclisi"] == "Grand National Assembly"

    result = engine.translate_batch(["The ceasefire held."], "en", "tr", glossary_id=glossary_id)
    assert result.texts == ["⟨tr⟩ ehT ateşkes dleh."]
    assert deepl_server.translate_requests()[0].params["glossary_id"] == glossary_id


def test_glossary_reuploaded_after_a_change(
    engine: DeepLEngine, deepl_server: FakeDeepL, tmp_path: Path
) -> None:
    path = tmp_path / "glossary.csv"
    path.write_text(TERMS, encoding="utf-8")
    first = engine.sync_glossary(path)
    with closing(deepl.DeepLClient(AUTH_KEY, server_url=deepl_server.url)) as client:
        entries = deepl.api_data.MultilingualGlossaryDictionaryEntries("en", "tr", {"a": "b"})
        other = client.create_multilingual_glossary("someone else's", [entries])
    path.write_text(TERMS + "truce,mütareke,\n", encoding="utf-8")
    second = engine.sync_glossary(path)
    assert second not in (None, first)
    assert set(deepl_server.glossaries) == {second, other.glossary_id}
    assert [r.path for r in deepl_server.glossary_requests("DELETE")] == [f"/v3/glossaries/{first}"]
    result = engine.translate_batch(["A truce."], "en", "tr", glossary_id=second)
    assert result.texts == ["⟨tr⟩ A mütareke."]


def test_glossary_without_the_pair_is_not_sent(
    engine: DeepLEngine, deepl_server: FakeDeepL, tmp_path: Path
) -> None:
    path = tmp_path / "glossary.csv"
    path.write_text("en,tr,ru\nceasefire,ateşkes,\n", encoding="utf-8")
    glossary_id = engine.sync_glossary(path)
    assert glossary_id is not None
    assert len(deepl_server.glossaries[glossary_id]["dictionaries"]) == 2
    engine.translate_batch(["The ceasefire."], "en", "ru", glossary_id=glossary_id)
    assert "glossary_id" not in deepl_server.translate_requests()[0].params


def test_empty_glossary_removes_stale_ones(
    engine: DeepLEngine, deepl_server: FakeDeepL, tmp_path: Path
) -> None:
    path = tmp_path / "glossary.csv"
    path.write_text(TERMS, encoding="utf-8")
    assert engine.sync_glossary(path) is not None
    path.write_text("en,tr,ru\n,,\n", encoding="utf-8")
    assert engine.sync_glossary(path) is None
    assert deepl_server.glossaries == {}


def test_glossary_errors_are_paragraf_errors(deepl_server: FakeDeepL, tmp_path: Path) -> None:
    path = tmp_path / "glossary.csv"
    path.write_text(TERMS, encoding="utf-8")
    with DeepLEngine("wrong-key", deepl_server.url) as engine:
        with pytest.raises(DeepLAuthError, match="DEEPL_AUTH_KEY"):
            engine.sync_glossary(path)


def test_projects_sharing_a_key_keep_their_own_glossaries(
    deepl_server: FakeDeepL, tmp_path: Path
) -> None:
    path = tmp_path / "glossary.csv"
    path.write_text(TERMS, encoding="utf-8")
    news = DeepLEngine(AUTH_KEY, deepl_server.url, project="News")
    news_ru = DeepLEngine(AUTH_KEY, deepl_server.url, project="news-ru")
    try:
        mine = news.sync_glossary(path)
        theirs = news_ru.sync_glossary(path)
        assert mine != theirs and len(deepl_server.glossaries) == 2
        assert deepl_server.glossaries[mine]["name"].startswith("paragraf-news-")
        path.write_text(TERMS + "ICBM,KBF,МБР\n", encoding="utf-8")
        changed = news.sync_glossary(path)  # replaces only its own earlier glossary
        assert set(deepl_server.glossaries) == {changed, theirs}
    finally:
        news.close()
        news_ru.close()


def test_segments_with_their_own_contexts_go_in_concurrent_requests(
    engine: DeepLEngine, deepl_server: FakeDeepL
) -> None:
    segments = [Segment(f"Paragraph {i}.", f"Around paragraph {i}") for i in range(12)]
    segments.append(Segment("Shares a context.", "Around paragraph 3"))
    deepl_server.stall_next(0.2, times=12)  # each answer waits, so requests overlap
    batch = engine.translate(segments, "en", "tr")
    requests = deepl_server.translate_requests()
    assert len(requests) == 12 and batch.requests == 12
    contexts = {r.params["context"]: r.texts for r in requests}
    assert contexts["Around paragraph 3"] == ["Paragraph 3.", "Shares a context."]
    assert contexts["Around paragraph 7"] == ["Paragraph 7."]
    assert [d.text for d in batch.drafts if d][:2] == ["⟨tr⟩ hpargaraP 0.", "⟨tr⟩ hpargaraP 1."]
    assert 1 < deepl_server.max_in_flight <= deepl_module.MAX_CONCURRENT


def test_a_lost_link_around_a_name_is_put_back(
    engine: DeepLEngine, deepl_server: FakeDeepL
) -> None:
    deepl_server.drop_next(r'</?a id="1">')
    # a name (here G7, which the test server keeps as it is) the engine did not translate
    [draft] = engine.translate([Segment("Ask the [G7](https://g7.org) now.")], "en", "tr").drafts
    assert draft is not None and draft.lost == ()
    assert draft.text == "⟨tr⟩ ksA eht [G7](https://g7.org) won."
