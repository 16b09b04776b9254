"""PO catalogs: loading, the one writer, updating from a template, and statistics.

States are gettext's own: *untranslated* (empty msgstr), *draft* (``#, fuzzy``)
and *approved* (translated, not fuzzy). Every file is written through
:func:`save`, so formatting never churns: loading and saving an unchanged catalog
gives the same bytes, and each write is atomic.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import polib
from babel import Locale
from babel.messages.plurals import get_plural
from rapidfuzz import fuzz, process

from ..errors import CatalogError
from ..fsutil import write_if_changed

# No wrapping (like ``msgcat --no-wrap``): a msgid is a whole paragraph, and wrapped it
# reflows on every edit, so a one-word change would rewrite many lines of the diff.
# It is also what makes writing fast: polib spends most of its time in textwrap.
WRAP_WIDTH = 0
FUZZY_CUTOFF = 60.0  # rapidfuzz ratio from which a changed block keeps its old translation
DRAFT_PREFIX = "draft: "
OWNED_HEADERS = frozenset(
    {
        "Project-Id-Version",
        "POT-Creation-Date",
        "Language",
        "Plural-Forms",
        "MIME-Version",
        "Content-Type",
        "Content-Transfer-Encoding",
        "X-Source-Language",
    }
)
_UNSET_DATE = "YEAR-MO-DA HO:MI+ZONE"
# A line that is none of: blank, a comment, a keyword with a quoted string, a quoted string.
# polib accepts some broken lines (an unclosed string, say) that GNU msgfmt rejects, and
# reads escapes other than \\ \" \n \t \r as text, which its writer would then double.
_STRING = r'"(?:[^"\\\n]|\\[\\"ntr])*"'  # the escapes polib reads back unchanged
_BAD_LINE = re.compile(
    r"^(?![ \t]*\r?$|[ \t]*#|[ \t]*(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)[ \t]+"
    + _STRING
    + r"[ \t]*\r?$|[ \t]*"
    + _STRING
    + r"[ \t]*\r?$).*$",
    re.MULTILINE,
)


def now_stamp() -> str:
    """The current time as a PO header date."""
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M+0000")


def load(path: Path, *, display: str | None = None) -> polib.POFile:
    """Parse the PO or POT file at ``path``; errors name the file and line."""
    name = display or str(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError as e:
        raise CatalogError(
            f"{name}: no such catalog; run 'paragraf extract' and 'paragraf update'"
        ) from e
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        raise CatalogError(f"{name}:{line}: not UTF-8; catalogs must be saved as UTF-8") from e
    bad = _BAD_LINE.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        raise CatalogError(
            f"{name}:{line}: not valid PO syntax: {bad.group(0)[:60]!r}; fix the line by hand"
            " (msgfmt -c shows the problem; write characters such as \\a or \\x41 as themselves)"
            " or restore the file from git"
        )
    try:
        po = polib.pofile(text, wrapwidth=WRAP_WIDTH)
    except (OSError, ValueError) as e:
        where = re.search(r"line (\d+)", str(e))
        raise CatalogError(
            f"{name}:{where.group(1) if where else 1}: {e}; fix the file by hand"
            " (msgfmt -c shows the problem) or restore it from git"
        ) from e
    _check_duplicates(po, name, text.split("\n"))
    return po


def _msgid_line(entry: polib.POEntry, lines: list[str]) -> int:
    """The line of an entry's ``msgid`` (polib's ``linenum`` is that of its first comment)."""
    start = entry.linenum or 1
    for index in range(max(start - 1, 0), len(lines)):
        if lines[index].startswith("msgid "):
            return index + 1
    return start


def _check_duplicates(po: polib.POFile, name: str, lines: list[str]) -> None:
    """Raise on two active entries with the same msgctxt and msgid (polib's own check is
    quadratic), or on plural translations of a singular msgid, which update would drop."""
    seen: set[tuple[str | None, str]] = set()
    for entry in po:
        if entry.obsolete:
            continue
        if entry.msgid_plural or entry.msgctxt is not None:
            what = "a plural entry" if entry.msgid_plural else "msgctxt"
            raise CatalogError(
                f"{name}:{_msgid_line(entry, lines)}: {what} in an article catalog, where update"
                " would drop it; article blocks have one msgid and one msgstr"
            )
        if entry.msgstr_plural and not entry.msgid_plural:
            raise CatalogError(
                f"{name}:{_msgid_line(entry, lines)}: msgstr[N] without msgid_plural for {entry.msgid[:60]!r};"
                ' write the translation as msgstr "…" (msgfmt -c shows the problem)'
            )
        key = (entry.msgctxt, entry.msgid)
        if key in seen:
            raise CatalogError(
                f"{name}:{_msgid_line(entry, lines)}: duplicate msgid {entry.msgid[:60]!r}; merge the two entries"
                " by hand (msgfmt -c shows both) or restore the file from git"
            )
        seen.add(key)


def _dump_entries(po: polib.POFile) -> str:
    """The entries of ``po`` as PO text: active ones in order, then the obsolete ones."""
    active = [e.__unicode__(WRAP_WIDTH) for e in po if not e.obsolete]
    obsolete = [e.__unicode__(WRAP_WIDTH) for e in po if e.obsolete]
    return "\n".join(active + obsolete)


def _dump(po: polib.POFile, entries: str) -> bytes:
    comment = (
        "".join(
            "#\n" if not line else f"#{line}\n" if line[:1] in ",:" else f"# {line}\n"
            for line in po.header.split("\n")
        )
        if po.header
        else ""
    )
    head = comment + po.metadata_as_entry().__unicode__(WRAP_WIDTH)
    return (f"{head}\n{entries}\n" if entries else f"{head}\n").encode("utf-8")


def dump(po: polib.POFile) -> bytes:
    """Serialize ``po`` the one way paragraf writes catalogs (polib's format, unwrapped)."""
    return _dump(po, _dump_entries(po))


def save(po: polib.POFile, path: Path) -> bool:
    """Write ``po`` to ``path`` atomically unless it already holds the same bytes."""
    return write_if_changed(path, dump(po), sync=True)


def save_stamped(po: polib.POFile, path: Path, date_key: str) -> bool:
    """Save ``po``, setting header ``date_key`` to now only if the content otherwise changed."""
    entries = _dump_entries(po)
    data = _dump(po, entries)
    try:
        if path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    po.metadata[date_key] = now_stamp()
    return write_if_changed(path, _dump(po, entries), sync=True)


def header(
    slug: str, *, source_lang: str, lang: str | None, creation: str, revision: str
) -> dict[str, str]:
    """The header of a template (``lang`` None) or of a catalog in ``lang``."""
    meta = {
        "Project-Id-Version": slug,
        "Report-Msgid-Bugs-To": "",
        "POT-Creation-Date": creation,
        "PO-Revision-Date": revision if lang else _UNSET_DATE,
        "Last-Translator": "",
        "Language-Team": Locale.parse(lang).english_name if lang else "",
        "Language": lang or "",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "X-Source-Language": source_lang,
        "Generated-By": "paragraf",
    }
    if lang:
        plural = get_plural(lang)
        meta["Plural-Forms"] = f"nplurals={plural.num_plurals}; plural={plural.plural_expr};"
    return {key: value or "" for key, value in meta.items()}


def source_language(po: polib.POFile) -> str:
    """The article's source language recorded in a template's or catalog's header."""
    return po.metadata.get("X-Source-Language", "")


def is_approved(entry: polib.POEntry) -> bool:
    """Translated and not fuzzy: what compile publishes."""
    return bool(entry.msgstr) and not entry.fuzzy and not entry.obsolete


def provenance(entry: polib.POEntry) -> str | None:
    """The ``draft: …`` translator comment of a draft, without the prefix."""
    for line in entry.tcomment.splitlines():
        if line.startswith(DRAFT_PREFIX):
            return line[len(DRAFT_PREFIX) :]
    return None


def merge(
    template: polib.POFile, old: polib.POFile | None, lang: str, *, revision: str
) -> polib.POFile:
    """The catalog in ``lang`` for ``template``, keeping every translation of ``old``.

    A msgid found in ``old`` (active or obsolete) keeps its translation and state.
    A new msgid close to a removed one (rapidfuzz ratio >= FUZZY_CUTOFF) takes that
    translation as a draft, with the removed text as ``#| msgid``. A removed msgid
    whose translation found no new home, or was approved, stays as an obsolete ``#~``
    entry, so a source edit that is reverted gets its approved translation back.
    """
    slug = template.metadata.get("Project-Id-Version", "")
    po = polib.POFile(wrapwidth=WRAP_WIDTH)
    po.header = (
        old.header
        if old is not None and old.header
        else f"{Locale.parse(lang).english_name} translations for {slug}."
    )
    ours = header(
        slug,
        source_lang=source_language(template),
        lang=lang,
        creation=template.metadata.get("POT-Creation-Date", ""),
        revision=old.metadata.get("PO-Revision-Date", revision) if old is not None else revision,
    )
    # Fields a translator's tool sets (Last-Translator, Language-Team, X-Generator…) are kept.
    po.metadata = dict(old.metadata) if old is not None else {}
    for key, value in ours.items():
        if key in OWNED_HEADERS or not po.metadata.get(key):
            po.metadata[key] = value
    # Active entries win over obsolete ones with the same msgid.
    previous = {e.msgid: e for e in sorted(old or (), key=lambda e: not e.obsolete)}
    wanted = {t.msgid for t in template}
    pending: list[polib.POEntry] = []
    for t in template:
        entry = polib.POEntry(msgid=t.msgid, occurrences=list(t.occurrences), comment=t.comment)
        match = previous.get(t.msgid)
        if match is not None:
            _carry(entry, match, changed=False)
        else:
            pending.append(entry)
        po.append(entry)
    removed = [e for msgid, e in previous.items() if msgid not in wanted and e.msgstr]
    used = _match_changed(pending, removed)
    for entry in removed:
        # An approved translation carried to a changed block as a draft is also kept as it
        # was, obsolete: if the source goes back, or the draft is rewritten, it is not lost.
        if entry.msgid not in used or is_approved(entry):
            po.append(
                polib.POEntry(
                    msgid=entry.msgid,
                    msgstr=entry.msgstr,
                    tcomment=entry.tcomment,
                    flags=list(entry.flags),
                    obsolete=True,
                )
            )
    return po


def _carry(entry: polib.POEntry, old: polib.POEntry, *, changed: bool) -> None:
    """Give ``entry`` the translation of ``old``; a changed source makes it a draft."""
    entry.msgstr = old.msgstr
    entry.tcomment = old.tcomment
    entry.flags = [f for f in old.flags if f == "fuzzy"]
    entry.previous_msgid = old.previous_msgid
    if changed:
        if "fuzzy" not in entry.flags:
            entry.flags.append("fuzzy")
        # Keep the text the translation was made for when the old entry was itself a changed draft.
        entry.previous_msgid = old.previous_msgid or old.msgid
    elif not old.fuzzy:
        entry.previous_msgid = None


def _match_changed(pending: list[polib.POEntry], removed: list[polib.POEntry]) -> set[str]:
    """Pair new msgids with the closest removed ones; return the removed msgids used."""
    used: set[str] = set()
    if not pending or not removed:
        return used
    choices = [e.msgid for e in removed]
    for entry in pending:
        best = process.extractOne(
            entry.msgid, choices, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF
        )
        if best is not None:
            old = removed[best[2]]
            _carry(entry, old, changed=True)
            used.add(old.msgid)
    return used


@dataclass
class Stats:
    """Counts of a catalog's entries and their source words, by state."""

    approved: int = 0
    draft: int = 0
    untranslated: int = 0
    approved_words: int = 0
    draft_words: int = 0
    untranslated_words: int = 0

    @property
    def total(self) -> int:
        """Number of active entries."""
        return self.approved + self.draft + self.untranslated

    @property
    def words(self) -> int:
        """Source words of all active entries."""
        return self.approved_words + self.draft_words + self.untranslated_words

    def percent_approved(self) -> float:
        """Share of entries approved, in percent (an empty catalog is complete)."""
        return 100.0 * self.approved / self.total if self.total else 100.0

    def as_dict(self) -> dict[str, float | int]:
        """The counts and the percentage as plain values, for JSON."""
        return {
            "approved": self.approved,
            "draft": self.draft,
            "untranslated": self.untranslated,
            "approved_words": self.approved_words,
            "draft_words": self.draft_words,
            "untranslated_words": self.untranslated_words,
            "total": self.total,
            "words": self.words,
            "percent": round(self.percent_approved(), 1),
        }


def state(entry: polib.POEntry) -> str:
    """``approved``, ``draft`` or ``untranslated``."""
    if not entry.msgstr:
        return "untranslated"
    return "draft" if entry.fuzzy else "approved"


def stats(entries: Iterable[polib.POEntry]) -> Stats:
    """Count active ``entries`` and their source words by state."""
    result = Stats()
    for entry in entries:
        if entry.obsolete:
            continue
        name = state(entry)
        words = len(entry.msgid.split())
        setattr(result, name, getattr(result, name) + 1)
        setattr(result, f"{name}_words", getattr(result, f"{name}_words") + words)
    return result
