"""Cross-version consistency: each block's numbers, markers, URLs and glossary terms in every version.

A pair check compares one translation with its source. Here every language version of
a block is compared with the source *and with the others*, so a note can say which
versions agree: "the Russian version has 32,6 where the source and the Turkish version
have 36,2", or, when every translation agrees against the source, that the source may
be the one to fix. Numbers are compared by value (each read in its own language,
:mod:`app.checks.numbers`), URLs with their language codes made generic.

:func:`article_notes` gives the notes of an article's catalogs (``paragraf check
--consistency``, and the review page beside each segment); :func:`ledger` the
article's numbers and names across all versions (``paragraf ledger``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import polib

from . import langs as languages
from .checks import N_, Message, render, say
from .checks.markup_rules import generic_url
from .checks.numbers import differences as number_differences
from .checks.numbers import show
from .checks.plain import Text, reduce
from .checks.terms import fold, found
from .errors import CatalogError
from .po.store import Store
from .project import Report

__all__ = ["Note", "Ledger", "article_notes", "compare", "ledger"]


@dataclass(frozen=True)
class Note:
    """One disagreement of a block's versions: which version, what kind, and the message."""

    msgid: str
    lang: str  # the version that disagrees (the source language: the source may be wrong)
    kind: str  # numbers, markers, urls, glossary
    message: Message
    where: str = ""  # path:line of the entry in that version's catalog (or in the source)

    def __str__(self) -> str:
        return f"{self.where}: consistency {self.kind}: {self.message}"

    def text(self, gettext: Callable[[str], str], locale: str) -> str:
        """The message in a UI language."""
        return render(self.message.template, self.message.params, gettext, locale)


@dataclass(frozen=True)
class _Item:
    """A number, marker or URL as one version writes it; equal items may be written apart."""

    shown: str
    values: frozenset[object]


def _numbers(text: Text) -> list[_Item]:
    return [
        _Item(show(n.text), frozenset(n.values | n.scaled))
        for n in text.numbers
        if n.kind == "number"
    ]


def _items(kind: str, text: Text, codes: Sequence[str]) -> list[_Item]:
    if kind == "numbers":
        return _numbers(text)
    if kind == "markers":
        return [_Item(m, frozenset([m])) for m in text.markers]
    return [_Item(url, frozenset([generic_url(url, codes)])) for url in text.urls]


def _unmatched(mine: Sequence[_Item], theirs: Sequence[_Item]) -> list[_Item]:
    """My items that no distinct item of theirs has the value of."""
    pool = list(theirs)
    left = []
    for item in mine:
        match = next((i for i, other in enumerate(pool) if item.values & other.values), None)
        if match is None:
            left.append(item)
        else:
            del pool[match]
    return left


def compare(
    versions: Mapping[str, str],
    source_lang: str,
    terms: Sequence[Mapping[str, str]] = (),
    msgid: str = "",
) -> list[Note]:
    """The notes on one block: ``versions`` maps each language (the source's included) to its text."""
    codes = list(versions)
    reduced = {lang: reduce(text, languages.base(lang)) for lang, text in versions.items()}
    source = reduced[source_lang]
    targets = [lang for lang in versions if lang != source_lang and versions[lang].strip()]
    notes: list[Note] = []
    for kind in ("numbers", "markers", "urls"):
        if kind == "numbers" and not _numbers_differ(source, [reduced[t] for t in targets]):
            continue
        items = {lang: _items(kind, reduced[lang], codes) for lang in versions}
        notes.extend(_kind_notes(kind, items, source_lang, targets, msgid))
    notes.extend(_term_notes(versions, reduced, source_lang, targets, terms, msgid))
    return notes


def _numbers_differ(source: Text, targets: Sequence[Text]) -> bool:
    """Whether a target's numbers differ from the source's (by the pair check's own rule)."""
    return any(number_differences(source.readings, t.readings) != ([], []) for t in targets)


def _kind_notes(
    kind: str,
    items: Mapping[str, list[_Item]],
    source_lang: str,
    targets: Sequence[str],
    msgid: str,
) -> list[Note]:
    source = items[source_lang]
    missing = {lang: _unmatched(source, items[lang]) for lang in targets}
    added = {lang: _unmatched(items[lang], source) for lang in targets}
    notes: list[Note] = []
    # Every translation agrees against the source: the source may be what to fix.
    if len(targets) >= 2 and all(missing[t] or added[t] for t in targets):
        first = targets[0]
        if all(
            _same(missing[t], missing[first]) and _same(added[t], added[first]) for t in targets
        ):
            notes.append(
                Note(
                    msgid,
                    source_lang,
                    kind,
                    say(
                        N_(
                            "every version (%(languages)s) has %(theirs)s where the source has"
                            " %(ours)s: check the source"
                        ),
                        languages=",".join(targets),
                        theirs=_shown(added[first]) or "—",
                        ours=_shown(missing[first]) or "—",
                    ),
                )
            )
            return notes
    for lang in targets:
        if not (missing[lang] or added[lang]):
            continue
        agree = [
            other
            for other in targets
            if other != lang and not _unmatched(missing[lang], items[other])
        ]
        params: dict[str, object] = {"language": lang}
        if missing[lang] and added[lang]:
            template = N_("the %(language)s version has %(theirs)s where the source has %(ours)s")
            if agree:
                template = N_(
                    "the %(language)s version has %(theirs)s where the source and"
                    " %(languages)s have %(ours)s"
                )
            params |= {"theirs": _shown(added[lang]), "ours": _shown(missing[lang])}
        elif missing[lang]:
            template = N_("the %(language)s version lacks %(ours)s, which the source has")
            if agree:
                template = N_(
                    "the %(language)s version lacks %(ours)s, which the source and"
                    " %(languages)s have"
                )
            params |= {"ours": _shown(missing[lang])}
        else:
            template = N_("the %(language)s version has %(theirs)s, which the source lacks")
            params |= {"theirs": _shown(added[lang])}
        if agree:
            params["languages"] = ",".join(agree)
        notes.append(Note(msgid, lang, kind, say(template, **params)))
    return notes


def _same(mine: Sequence[_Item], theirs: Sequence[_Item]) -> bool:
    return len(mine) == len(theirs) and not _unmatched(mine, theirs)


def _shown(items: Sequence[_Item]) -> str:
    return ", ".join(item.shown for item in items)


def _term_notes(
    versions: Mapping[str, str],
    reduced: Mapping[str, Text],
    source_lang: str,
    targets: Sequence[str],
    terms: Sequence[Mapping[str, str]],
    msgid: str,
) -> list[Note]:
    """Glossary terms of the source that a version lacks while another version has its own."""
    base = languages.base(source_lang)
    source = (reduced[source_lang].plain, fold(reduced[source_lang].plain, base))
    notes = []
    for row in terms:
        term = row.get(base, "").strip()
        if not term or not found(term, base, False, source):
            continue
        has = {}
        for lang in targets:
            wanted = row.get(languages.base(lang), "").strip()
            if wanted:
                plain = reduced[lang].plain
                has[lang] = found(
                    wanted, languages.base(lang), True, (plain, fold(plain, languages.base(lang)))
                )
        for lang, present in has.items():
            if present:
                continue
            agree = [other for other, there in has.items() if there and other != lang]
            params: dict[str, object] = {
                "language": lang,
                "term": repr(row[languages.base(lang)]),
                "source": repr(term),
            }
            template = N_(
                "the %(language)s version lacks the glossary term %(term)s for %(source)s"
            )
            if agree:
                template = N_(
                    "the %(language)s version lacks the glossary term %(term)s for %(source)s,"
                    " which %(languages)s have"
                )
                params["languages"] = ",".join(agree)
            notes.append(Note(msgid, lang, "glossary", say(template, **params)))
    return notes


def _versions(
    store: Store, slug: str, report: Report
) -> tuple[str, dict[str, polib.POFile]] | None:
    """The article's source language and the catalog of each of its versions."""
    if not store.has_template(slug):
        report.fail(f"no article {slug!r}: its template is missing; run 'paragraf extract' first")
        return None
    try:
        source_lang = store.source_language(slug)
    except CatalogError as e:
        report.fail(e)
        return None
    catalogs = {}
    for ref, po in store.readable(report, slugs=[slug], cached=True):
        catalogs[ref.lang] = po
    return source_lang, catalogs


def article_notes(
    store: Store,
    slug: str,
    report: Report,
    terms: Sequence[Mapping[str, str]] = (),
) -> list[Note]:
    """The notes on every block of an article that has a translation in any version."""
    found_versions = _versions(store, slug, report)
    if found_versions is None:
        return []
    source_lang, catalogs = found_versions
    blocks: dict[str, dict[str, str]] = {}
    where: dict[tuple[str, str], str] = {}
    for lang, po in catalogs.items():
        display = store.ref(lang, slug, source_lang).display
        for entry in po:
            if entry.obsolete or not entry.msgid or not entry.msgstr:
                continue
            blocks.setdefault(entry.msgid, {source_lang: entry.msgid})[lang] = entry.msgstr
            where[(lang, entry.msgid)] = f"{display}:{entry.linenum or 1}"
            if entry.occurrences:
                where[(source_lang, entry.msgid)] = ":".join(entry.occurrences[0])
    notes = []
    for msgid, texts in blocks.items():
        for note in compare(texts, source_lang, terms, msgid):
            place = where.get((note.lang, msgid), slug)
            notes.append(Note(note.msgid, note.lang, note.kind, note.message, place))
    return notes


@dataclass
class Ledger:
    """An article's numbers, markers, URLs and glossary terms, block by block, in every version."""

    source_lang: str
    langs: list[str]
    rows: list[tuple[int, str, str, dict[str, str], bool]] = field(default_factory=list)
    # (block number, its kind, what: numbers/markers/urls/terms, language → items, disagree)


def ledger(
    store: Store, slug: str, report: Report, terms: Sequence[Mapping[str, str]] = ()
) -> Ledger | None:
    """The ledger of ``slug``; None if its template cannot be read."""
    found_versions = _versions(store, slug, report)
    if found_versions is None:
        return None
    source_lang, catalogs = found_versions
    try:
        template = store.read_template(slug, cached=True)
    except CatalogError as e:
        report.fail(e)
        return None
    langs = [source_lang, *catalogs]
    result = Ledger(source_lang, langs)
    translations = {
        lang: {e.msgid: e.msgstr for e in po if not e.obsolete} for lang, po in catalogs.items()
    }
    for number, entry in enumerate((e for e in template if not e.obsolete and e.msgid), 1):
        kind = entry.comment.split(", ")[0] if entry.comment else ""
        texts = {source_lang: entry.msgid} | {
            lang: table.get(entry.msgid, "") for lang, table in translations.items()
        }
        reduced = {lang: reduce(text, languages.base(lang)) for lang, text in texts.items()}
        present = {lang: text for lang, text in texts.items() if text}
        differ = {note.kind for note in compare(present, source_lang, terms, entry.msgid)}
        for what, get in _LEDGER_COLUMNS:
            values = {lang: get(reduced[lang]) for lang in langs}
            if any(values.values()):
                result.rows.append((number, kind, what, values, what in differ))
        named = _named_terms(texts, reduced, source_lang, terms)
        if named[source_lang]:
            result.rows.append((number, kind, "terms", named, "glossary" in differ))
    return result


def format_ledger(found: Ledger) -> str:
    """The ledger as text: a head line per block and kind ('!' if they disagree), a line per version."""
    lines = []
    for number, kind, what, values, disagree in found.rows:
        lines.append(f"block {number} · {kind} · {what}{' !' if disagree else ''}")
        for lang in found.langs:
            lines.append(f"  {lang:<5} {values.get(lang) or '—'}")
    return "\n".join(lines) if lines else "no numbers, markers, URLs or glossary terms"


_LEDGER_COLUMNS: tuple[tuple[str, Callable[[Text], str]], ...] = (
    ("numbers", lambda t: " · ".join(show(n.text) for n in t.numbers if n.kind != "minute")),
    ("markers", lambda t: " ".join(t.markers)),
    ("urls", lambda t: " ".join(t.urls)),
)


def _named_terms(
    texts: Mapping[str, str],
    reduced: Mapping[str, Text],
    source_lang: str,
    terms: Sequence[Mapping[str, str]],
) -> dict[str, str]:
    """The glossary terms of the source found in each version, as that version writes them."""
    base = languages.base(source_lang)
    out: dict[str, list[str]] = {lang: [] for lang in texts}
    source = (reduced[source_lang].plain, fold(reduced[source_lang].plain, base))
    for row in terms:
        term = row.get(base, "").strip()
        if not term or not found(term, base, False, source):
            continue
        for lang in texts:
            wanted = row.get(languages.base(lang), "").strip()
            plain = reduced[lang].plain
            if (
                wanted
                and texts[lang]
                and found(
                    wanted,
                    languages.base(lang),
                    lang != source_lang,
                    (plain, fold(plain, languages.base(lang))),
                )
            ):
                out[lang].append(wanted)
            elif lang != source_lang and texts[lang]:
                out[lang].append(f"({wanted or term}?)")
    return {lang: " · ".join(items) for lang, items in out.items()}


def notes_by_block(notes: Iterable[Note], lang: str, source_lang: str) -> dict[str, list[Note]]:
    """The notes a version's review page shows: its own and the source's, by msgid."""
    shown: dict[str, list[Note]] = {}
    for note in notes:
        if note.lang in (lang, source_lang) or (
            note.message.params.get("languages")
            and lang in note.message.params["languages"].split(",")
        ):
            shown.setdefault(note.msgid, []).append(note)
    return shown
