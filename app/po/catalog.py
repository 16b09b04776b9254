"""PO catalogs: loading and saving (through :mod:`app.po.pofile`), merging, states, statistics.

States are gettext's own: *untranslated* (empty msgstr), *draft* (``#, fuzzy``)
and *approved* (translated, not fuzzy). Every file is written through
:func:`save`, so formatting never churns: loading and saving an unchanged catalog
gives the same bytes, and each write is atomic.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import polib

from ..errors import CatalogError
from ..fsutil import write_if_changed
from .pofile import WRAP_WIDTH, body, check_article_catalog, dump, head, parse

FUZZY_CUTOFF = 60.0  # rapidfuzz ratio from which a changed block keeps its old translation
DRAFT_PREFIX = "draft: "
#: The translator comment of an entry filled by aligning a published translation: its score.
ALIGNED_PREFIX = "aligned "
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


def now_stamp() -> str:
    """The current time as a PO header date."""
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M+0000")


def load(path: Path, *, display: str | None = None) -> polib.POFile:
    """Parse the article catalog or template at ``path``; errors name the file and line."""
    name = display or str(path)
    po = read(path, name)
    check_article_catalog(po, name)
    return po


def read(path: Path, name: str) -> polib.POFile:
    """Parse any PO file at ``path`` strictly (:mod:`app.po.pofile`)."""
    try:
        data = path.read_bytes()
    except FileNotFoundError as e:
        raise CatalogError(
            f"{name}: no such catalog; run 'paragraf extract' and 'paragraf update'"
        ) from e
    return from_bytes(data, name)


def from_bytes(data: bytes, name: str) -> polib.POFile:
    """Parse a PO file's bytes strictly; errors name ``name`` and the line."""
    if not data.strip():
        raise CatalogError(
            f"{name}: the file is empty; restore it from git, or delete it and run"
            " 'paragraf update' to start it over"
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        raise CatalogError(f"{name}:{line}: not UTF-8; catalogs must be saved as UTF-8") from e
    return parse(text.removeprefix("\ufeff"), name)


def parse_bytes(data: bytes, name: str) -> polib.POFile:
    """:func:`load` for bytes already read: an article catalog, checked as one."""
    po = from_bytes(data, name)
    check_article_catalog(po, name)
    return po


def save(po: polib.POFile, path: Path, *, check: bool = False) -> bool:
    """Write ``po`` to ``path`` atomically unless it already holds the same bytes.

    With ``check`` nothing is written: the answer says whether it would be.
    """
    if check:
        try:
            return path.read_bytes() != dump(po)
        except FileNotFoundError:
            return True
    return write_if_changed(path, dump(po), sync=True)


def save_stamped(po: polib.POFile, path: Path, date_key: str, *, check: bool = False) -> bool:
    """Save ``po``, setting header ``date_key`` to now only if the content otherwise changed.

    With ``check`` nothing is written: the answer says whether it would be.
    """
    entries = body(po)
    try:
        if path.read_bytes() == head(po) + entries:
            return False
    except FileNotFoundError:
        pass
    if check:
        return True
    po.metadata[date_key] = now_stamp()
    return write_if_changed(path, head(po) + entries, sync=True)


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
        "Language-Team": _english_name(lang) if lang else "",
        "Language": lang or "",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "X-Source-Language": source_lang,
        "Generated-By": "paragraf",
    }
    if lang:
        from babel.messages.plurals import get_plural

        plural = get_plural(lang)
        meta["Plural-Forms"] = f"nplurals={plural.num_plurals}; plural={plural.plural_expr};"
    return {key: value or "" for key, value in meta.items()}


def source_language(po: polib.POFile) -> str:
    """The article's source language recorded in a template's or catalog's header."""
    return po.metadata.get("X-Source-Language", "")


def is_approved(entry: polib.POEntry) -> bool:
    """Translated and not fuzzy: what compile publishes."""
    return bool(entry.msgstr) and not entry.fuzzy and not entry.obsolete


def alignment_score(entry: polib.POEntry) -> float | None:
    """The score of an entry filled by aligning a published translation (None: not aligned)."""
    for line in entry.tcomment.split("\n") if entry.tcomment else ():
        if line.startswith(ALIGNED_PREFIX):
            try:
                return float(line[len(ALIGNED_PREFIX) :])
            except ValueError:
                return None
    return None


def _english_name(lang: str) -> str:
    from babel import Locale  # loaded when a catalog is made, not for reading one

    return str(Locale.parse(lang).english_name)


def provenance(entry: polib.POEntry) -> str | None:
    """The ``draft: …`` translator comment of a draft, without the prefix."""
    for line in entry.tcomment.split("\n"):
        if line.startswith(DRAFT_PREFIX):
            return line[len(DRAFT_PREFIX) :]
    return None


def merge(
    template: polib.POFile,
    old: polib.POFile | None,
    lang: str,
    *,
    revision: str,
    moves: dict[str, str] | None = None,
) -> polib.POFile:
    """The catalog in ``lang`` for ``template``, keeping every translation of ``old``.

    A msgid found in ``old`` (active or obsolete) keeps its translation and state.
    A new msgid close to a removed one (rapidfuzz ratio >= FUZZY_CUTOFF) takes that
    translation as a draft, with the removed text as ``#| msgid``. A removed msgid
    whose translation found no new home, or was approved, stays as an obsolete ``#~``
    entry, so a source edit that is reverted gets its approved translation back.
    ``moves`` receives, for each translation carried to a changed source, old msgid → new
    (the closest new block when the translation went to several).
    """
    slug = template.metadata.get("Project-Id-Version", "")
    po = polib.POFile(wrapwidth=WRAP_WIDTH)
    po.header = (
        old.header
        if old is not None and old.header
        else f"{_english_name(lang)} translations for {slug}."
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
    paired = _match_changed(pending, removed)
    used = {old_msgid for old_msgid, _ in paired.values()}
    if moves is not None:  # a block split in two: its comments go to the closer half
        for new, (old_msgid, _) in sorted(paired.items(), key=lambda item: item[1][1]):
            moves[old_msgid] = new
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
                    # a draft that comes back (an edit made again) still knows its old source
                    previous_msgid=entry.previous_msgid if entry.fuzzy else None,
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


def _match_changed(
    pending: list[polib.POEntry], removed: list[polib.POEntry]
) -> dict[str, tuple[str, float]]:
    """Pair new msgids with the closest removed ones; return new msgid → (removed msgid, score)."""
    used: dict[str, tuple[str, float]] = {}
    if not pending or not removed:
        return used
    from rapidfuzz import fuzz, process  # loaded when blocks changed, not for every update

    choices = [e.msgid for e in removed]
    for entry in pending:
        best = process.extractOne(
            entry.msgid, choices, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF
        )
        if best is not None:
            old = removed[best[2]]
            _carry(entry, old, changed=True)
            used[entry.msgid] = (old.msgid, best[1])
    return used


STATUSES = ("approved", "stale", "draft", "untranslated")


@dataclass
class Stats:
    """Counts of a catalog's active entries and their source words, by publication status.

    *stale*: the block's source changed after its translation was approved; the last
    approved translation is still what compile publishes, until a person approves a new
    one. The others are the gettext states.
    """

    approved: int = 0
    stale: int = 0
    draft: int = 0
    untranslated: int = 0
    approved_words: int = 0
    stale_words: int = 0
    draft_words: int = 0
    untranslated_words: int = 0
    aligned: int = 0  # drafts filled from a published translation, awaiting a person's check

    @property
    def total(self) -> int:
        """Number of active entries."""
        return self.approved + self.stale + self.draft + self.untranslated

    @property
    def words(self) -> int:
        """Source words of all active entries."""
        return self.approved_words + self.stale_words + self.draft_words + self.untranslated_words

    def percent(self, *statuses: str) -> float:
        """Share of the source words in ``statuses``, in percent (an empty catalog is complete)."""
        if not self.words:
            return 100.0
        return 100.0 * sum(getattr(self, f"{s}_words") for s in statuses) / self.words

    def percent_approved(self) -> float:
        """Share of the words approved: the translators' progress."""
        return self.percent("approved")

    def percent_published(self) -> float:
        """Share of the words compile publishes translated (approved or stale): the threshold's."""
        return self.percent("approved", "stale")

    def as_dict(self) -> dict[str, float | int]:
        """The counts and the percentages as plain values, for JSON."""
        data: dict[str, float | int] = {}
        for status in STATUSES:
            data[status] = getattr(self, status)
        for status in STATUSES:
            data[f"{status}_words"] = getattr(self, f"{status}_words")
        data.update(
            total=self.total,
            words=self.words,
            percent=round(self.percent_approved(), 1),
            percent_published=round(self.percent_published(), 1),
        )
        return data


def state(entry: polib.POEntry) -> str:
    """The gettext state: ``approved``, ``draft`` or ``untranslated``."""
    if not entry.msgstr:
        return "untranslated"
    return "draft" if entry.fuzzy else "approved"


def approved_before(po: polib.POFile) -> dict[str, str]:
    """msgid → translation of the obsolete entries that were approved (changed blocks' old text)."""
    return {e.msgid: e.msgstr for e in po if e.obsolete and e.msgstr and not e.fuzzy}


def status(entry: polib.POEntry, before: dict[str, str]) -> str:
    """``approved``, ``stale``, ``draft`` or ``untranslated`` (``before``: :func:`approved_before`)."""
    gettext_state = state(entry)
    if gettext_state != "approved" and entry.previous_msgid in before:
        return "stale"
    return gettext_state


def published(po: polib.POFile) -> dict[str, str]:
    """msgid → what compile publishes for it: the approved translation, else a stale one."""
    before = approved_before(po)
    table = {}
    for entry in po:
        if entry.obsolete:
            continue
        if is_approved(entry):
            table[entry.msgid] = entry.msgstr
        elif entry.previous_msgid in before:
            table[entry.msgid] = before[entry.previous_msgid]
    return table


def stats(po: polib.POFile | Iterable[polib.POEntry]) -> Stats:
    """Count the active entries of a catalog and their source words by status."""
    entries = list(po)
    before = approved_before(entries)  # type: ignore[arg-type]
    result = Stats()
    for entry in entries:
        if entry.obsolete:
            continue
        name = status(entry, before)
        if name == "draft" and alignment_score(entry) is not None:
            result.aligned += 1
        words = len(entry.msgid.split())
        setattr(result, name, getattr(result, name) + 1)
        setattr(result, f"{name}_words", getattr(result, f"{name}_words") + words)
    return result
