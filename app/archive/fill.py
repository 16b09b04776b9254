"""An aligned translation written into its catalog: approved where certain, drafts elsewhere.

A 1:1 bead whose confidence reaches :data:`APPROVE_AT`, whose kinds agree and whose
pair has no error-level finding (numbers, markers, URLs…) is approved: the text was
published, so it was approved once. Every entry gets the translator comment ``aligned
<score>``. Merges (2:1, 3:1) are split among their source blocks by aligning sentences,
splits (1:2) joined; both, and anything less certain, become drafts with their score.
An omitted source block stays empty; an added target block is reported. Nothing already
translated is overwritten unless asked; the catalog is written once, atomically.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from .. import sentences
from ..checks import check_pair
from ..po import catalog
from ..po.edit import apply
from ..po.store import CatalogRef, Store
from .align import Alignment, Bead, Item, align

__all__ = ["APPROVE_AT", "Filled", "fill", "front_matter_pairs", "meta_proposals", "propose"]

APPROVE_AT = 0.55


@dataclass
class Filled:
    """What filling a catalog did."""

    approved: int = 0
    drafts: int = 0
    omitted: int = 0
    kept: int = 0  # entries already translated, left as they were
    mismatches: int = 0  # pairs whose numbers, markers or URLs disagree
    added: list[str] = field(default_factory=list)  # target blocks with no source


@dataclass(frozen=True)
class _Proposal:
    text: str
    score: float
    approve: bool


def propose(
    source: Sequence[Item],
    target: Sequence[Item],
    alignment: Alignment,
    source_lang: str,
    target_lang: str,
    terms: Sequence[Mapping[str, str]],
) -> tuple[dict[str, _Proposal], int, list[str], int]:
    """msgid → proposed translation; the omitted count, the added texts, the mismatches."""
    proposals: dict[str, _Proposal] = {}
    omitted = mismatches = 0
    added: list[str] = []
    for bead in alignment.beads:
        shape = bead.shape
        if shape[1] == 0:
            omitted += len(bead.source)
        elif shape[0] == 0:
            added.extend(target[j].text for j in bead.target)
        elif shape == (1, 1):
            msgid, text = source[bead.source[0]].text, target[bead.target[0]].text
            errors = [
                f
                for f in check_pair(msgid, text, source_lang, target_lang, terms)
                if f.severity == "error"
            ]
            mismatches += any(f.check in ("numbers", "markers", "urls") for f in errors)
            same_kind = (source[bead.source[0]].kind == "heading") == (
                target[bead.target[0]].kind == "heading"
            )
            approve = bead.score >= APPROVE_AT and not errors and same_kind
            proposals.setdefault(msgid, _Proposal(text, bead.score, approve))
        elif shape[1] == 1:
            for msgid, text in _split(source, target, bead, source_lang, target_lang):
                proposals.setdefault(msgid, _Proposal(text, bead.score, False))
        else:
            joined = " ".join(target[j].text for j in bead.target)
            proposals.setdefault(source[bead.source[0]].text, _Proposal(joined, bead.score, False))
    return proposals, omitted, added, mismatches


def _split(
    source: Sequence[Item], target: Sequence[Item], bead: Bead, source_lang: str, target_lang: str
) -> list[tuple[str, str]]:
    """A merged target block shared among its source blocks by aligning their sentences."""
    text = target[bead.target[0]].text
    owners: list[int] = []
    parts: list[Item] = []
    for k in bead.source:
        for sentence in sentences.split(source[k].text, source_lang) or (source[k].text,):
            owners.append(k)
            parts.append(Item(sentence, "sentence"))
    translated = [Item(s, "sentence") for s in sentences.split(text, target_lang)]
    inner = align(parts, translated, source_lang, target_lang)
    shares: dict[int, list[str]] = {k: [] for k in bead.source}
    last = bead.source[0]
    for sub in inner.beads:
        if sub.source:
            last = owners[sub.source[-1]]
        for j in sub.target:
            shares[last].append(translated[j].text)
    if all(shares.values()):
        return [(source[k].text, " ".join(shares[k])) for k in bead.source]
    return [(source[bead.source[0]].text, text)]  # cannot be shared: all of it on the first


def meta_proposals(
    pairs: Mapping[str, str], source_lang: str, target_lang: str
) -> dict[str, _Proposal]:
    """Front-matter pairs (title, summary, author: aligned by key), approved unless a check objects."""
    proposals = {}
    for msgid, text in pairs.items():
        errors = [
            f for f in check_pair(msgid, text, source_lang, target_lang) if f.severity == "error"
        ]
        proposals[msgid] = _Proposal(text, 1.0, not errors)
    return proposals


def fill(
    store: Store, ref: CatalogRef, proposals: Mapping[str, _Proposal], *, replace: bool
) -> Filled:
    """Write ``proposals`` (msgid → translation) into the catalog, under its lock, in one write."""
    result = Filled()
    with store.lock(ref):
        po = store.read(ref)
        for entry in po:
            if entry.obsolete or not entry.msgid:
                continue
            proposal = proposals.get(entry.msgid)
            if proposal is None:
                continue
            if entry.msgstr and not replace:
                result.kept += 1
                continue
            apply(entry, proposal.text, "approved" if proposal.approve else "draft")
            lines = [
                line
                for line in (entry.tcomment.split("\n") if entry.tcomment else [])
                if not line.startswith(catalog.ALIGNED_PREFIX)
            ]
            entry.tcomment = "\n".join([f"{catalog.ALIGNED_PREFIX}{proposal.score:.2f}", *lines])
            if proposal.approve:
                result.approved += 1
            else:
                result.drafts += 1
        if result.approved or result.drafts:
            store.save(ref, po)
    return result


def front_matter_pairs(
    source_meta: Mapping[str, object], target_meta: Mapping[str, object], keys: Sequence[str]
) -> dict[str, str]:
    """msgid → translation for the translatable front-matter keys both versions have."""
    pairs = {}
    for key in keys:
        mine, theirs = source_meta.get(key), target_meta.get(key)
        if isinstance(mine, str) and isinstance(theirs, str) and mine.strip() and theirs.strip():
            pairs[mine] = theirs
    return pairs
