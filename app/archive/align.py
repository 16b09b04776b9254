"""Aligning a published translation with its source, block by block (or sentence by sentence).

Gale and Church's dynamic programme over lengths (characters of the plain text; the
ratio is the article's own), with beads 1:1, 1:0, 0:1, 2:1, 1:2, 3:1 and 1:3 (a list
turned into a paragraph), and anchors: numbers compared by value across locales
(``36.2`` = ``36,2``), footnote and reference markers, URLs (their language code made
generic), glossary terms, and names kept in Latin letters. A heading aligns with a
heading. Each bead gets a confidence in 0–1 (:attr:`Bead.score`) from how well its
lengths and anchors agree; the whole alignment a score (source characters in agreeing
beads), which tells a translation from another text.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from .. import langs
from ..checks.markup_rules import generic_url
from ..checks.plain import HOLE, reduce
from ..checks.terms import fold, found

__all__ = ["Alignment", "Bead", "Item", "align"]

# Prior probabilities of the bead shapes (Gale & Church 1993, with 3:1 and 1:3 added).
PRIORS = {(1, 1): 0.89, (1, 0): 0.005, (0, 1): 0.005, (2, 1): 0.045, (1, 2): 0.045,
          (3, 1): 0.005, (1, 3): 0.005}  # fmt: skip
VARIANCE = 12.0  # of the target length per source character (translations reword freely)
BAND = 8  # how far from the diagonal a path may go, in blocks
MAX_DELTA = 8.0  # standard deviations of length beyond which a bead is not considered
_NAME = re.compile(r"\b[A-Z][A-Za-z]{1,}(?:[-'][A-Za-z]+)*\b")


@dataclass(frozen=True)
class Item:
    """A block (or sentence) to align: its text and kind."""

    text: str
    kind: str = "paragraph"


@dataclass(frozen=True)
class Bead:
    """Source items aligned with target items (either side may be empty), and the confidence."""

    source: tuple[int, ...]
    target: tuple[int, ...]
    score: float
    anchors: int = 0  # anchors both sides share
    conflicts: int = 0  # anchors one side has and the other lacks

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.source), len(self.target)


@dataclass(frozen=True)
class Alignment:
    """The beads in order, covering every item of both sides once, and the whole's score."""

    beads: tuple[Bead, ...]
    score: float


@dataclass(frozen=True)
class _Features:
    length: int
    numbers: frozenset[Decimal]
    markers: frozenset[str]
    urls: frozenset[str]
    names: frozenset[str]
    terms: frozenset[int]
    kind: str


@lru_cache(maxsize=65536)
def _features(
    text: str, kind: str, lang: str, codes: tuple[str, ...], terms: tuple[tuple[str, str], ...]
) -> _Features:
    reduced = reduce(text, langs.base(lang))
    plain = reduced.plain.replace(HOLE, " ")
    values: set[Decimal] = set()
    for number in reduced.numbers:
        if number.kind in ("number", "ordinal"):
            values |= number.values | number.scaled
    folded = (plain, fold(plain, langs.base(lang)))
    hits = frozenset(
        index for index, (term, term_lang) in enumerate(terms)
        if term and term_lang == langs.base(lang) and found(term, term_lang, True, folded)
    )  # fmt: skip
    return _Features(
        length=max(1, len(" ".join(plain.split()))),
        numbers=frozenset(values),
        markers=frozenset(reduced.markers),
        urls=frozenset(generic_url(url, codes) for url in reduced.urls),
        names=frozenset(n for n in _NAME.findall(plain) if len(n) > 2 or n.isupper()),
        terms=hits,
        kind=kind,
    )


def _merge(parts: Sequence[_Features]) -> _Features:
    if len(parts) == 1:
        return parts[0]
    return _Features(
        length=sum(p.length for p in parts),
        numbers=frozenset().union(*(p.numbers for p in parts)),
        markers=frozenset().union(*(p.markers for p in parts)),
        urls=frozenset().union(*(p.urls for p in parts)),
        names=frozenset().union(*(p.names for p in parts)),
        terms=frozenset().union(*(p.terms for p in parts)),
        kind="+".join(p.kind for p in parts),
    )


def _anchors(source: _Features, target: _Features, term_rows: Sequence[int]) -> tuple[int, int]:
    """Anchors shared and anchors in conflict (on one side only, where the other could have them)."""
    shared = conflicts = 0
    for mine, theirs in (
        (source.numbers, target.numbers),
        (source.markers, target.markers),
        (source.urls, target.urls),
    ):
        shared += len(mine & theirs)
        conflicts += len(mine ^ theirs)
    shared += len(source.names & target.names)  # a name may be written otherwise: no conflict
    source_rows = {term_rows[i] for i in source.terms}
    target_rows = {term_rows[i] for i in target.terms}
    shared += len(source_rows & target_rows)
    return shared, conflicts


def _stray_cost(parts: Sequence[tuple[_Features, int]], other: _Features) -> float:
    """The cost of merging in a block that has none of the other side's anchors.

    ``parts``: each merged block and the anchors it shares with the other side. In a true
    merge every part's numbers, names and markers are in the other side; an added note or
    an omitted paragraph swallowed by a merge shares none.
    """
    cost = 0.0
    for part, shared in parts:
        own = len(part.numbers) + len(part.markers) + len(part.urls)
        if other.names:  # names are shared only where both sides write them in Latin letters
            own += len(part.names)
        if shared == 0:
            cost += 4.0 if own else 2.0
    return cost


def _length_delta(source: int, target: int, ratio: float) -> float:
    mean = (source + target / ratio) / 2
    return (target - source * ratio) / math.sqrt(max(mean, 1.0) * VARIANCE)


def _normal_tail(delta: float) -> float:
    """Two-sided tail probability of a standard normal beyond ``|delta|``."""
    return math.erfc(abs(delta) / math.sqrt(2))


def _kinds_cost(source: _Features, target: _Features, shape: tuple[int, int]) -> float:
    heads = ("heading" in source.kind, "heading" in target.kind)
    if shape != (1, 1):
        return 8.0 if any(heads) else 0.0  # a heading never merges with another block
    if heads[0] != heads[1]:
        return 6.0
    if (source.kind == "reference") != (target.kind == "reference"):
        return 2.0
    return 0.0


def _score(delta: float, shared: int, conflicts: int, shape: tuple[int, int]) -> float:
    """A bead's confidence: lengths that agree, anchors that agree, the shape's plainness."""
    if 0 in shape:
        return 0.0
    length = math.exp(-delta * delta / 8)
    anchors = (shared + 1) / (shared + 2 * conflicts + 1) if shared or conflicts else 0.75
    plain = 1.0 if shape == (1, 1) else 0.7
    return round(length * anchors * plain, 3)


def align(
    source: Sequence[Item],
    target: Sequence[Item],
    source_lang: str,
    target_lang: str,
    terms: Sequence[Mapping[str, str]] = (),
) -> Alignment:
    """Align ``target`` (a translation) with ``source``: monotonic beads of the shapes in :data:`PRIORS`."""
    codes = (langs.base(source_lang), langs.base(target_lang))
    flat: list[tuple[str, str]] = []
    rows: list[int] = []
    for row_index, row in enumerate(terms):
        for lang in codes:
            value = (row.get(lang) or "").strip()
            if value:
                flat.append((value, lang))
                rows.append(row_index)
    term_key = tuple(flat)
    src = [_features(i.text, i.kind, source_lang, codes, term_key) for i in source]
    tgt = [_features(i.text, i.kind, target_lang, codes, term_key) for i in target]
    n, m = len(src), len(tgt)
    total_src = sum(f.length for f in src) or 1
    ratio = (sum(f.length for f in tgt) or 1) / total_src
    inf = float("inf")
    cost = [[inf] * (m + 1) for _ in range(n + 1)]
    back: list[list[tuple[int, int, float, int, int] | None]] = [
        [None] * (m + 1) for _ in range(n + 1)
    ]
    cost[0][0] = 0.0
    slope = m / n if n else 0.0
    merged_src = lru_cache(maxsize=None)(lambda a, b: _merge(src[a:b]))
    merged_tgt = lru_cache(maxsize=None)(lambda a, b: _merge(tgt[a:b]))
    anchors = lru_cache(maxsize=None)(
        lambda a, b, c, d: _anchors(merged_src(a, b), merged_tgt(c, d), rows)
    )
    for i in range(n + 1):
        centre = i * slope
        low, high = max(0, int(centre) - BAND), min(m, int(centre) + BAND + 1)
        if n and i == n:
            high = m
        for j in range(low, high + 1):
            if i == 0 and j == 0:
                continue
            best = cost[i][j]
            for (di, dj), prior in PRIORS.items():
                pi, pj = i - di, j - dj
                if pi < 0 or pj < 0 or cost[pi][pj] == inf:
                    continue
                s = merged_src(pi, i) if di else None
                t = merged_tgt(pj, j) if dj else None
                ls, lt = (s.length if s else 0), (t.length if t else 0)
                delta = _length_delta(ls, lt, ratio)
                if di and dj:
                    if abs(delta) > MAX_DELTA:
                        continue  # lengths that far apart never make the best path
                    step = -math.log(max(_normal_tail(delta), 1e-300)) - math.log(prior)
                else:  # an omitted or added block: its length says nothing about it
                    step = -math.log(prior)
                shared = conflicts = 0
                if s is not None and t is not None:
                    shared, conflicts = anchors(pi, i, pj, j)
                    step += 1.5 * conflicts - 2.0 * shared + _kinds_cost(s, t, (di, dj))
                    if di > 1:
                        step += _stray_cost(
                            [(src[k], anchors(k, k + 1, pj, j)[0]) for k in range(pi, i)], t
                        )
                    if dj > 1:
                        step += _stray_cost(
                            [(tgt[k], anchors(pi, i, k, k + 1)[0]) for k in range(pj, j)], s
                        )
                total = cost[pi][pj] + step
                if total < best:
                    best = total
                    cost[i][j] = total
                    back[i][j] = (di, dj, delta, shared, conflicts)
    beads: list[Bead] = []
    i, j = n, m
    while i or j:
        step_back = back[i][j]
        if step_back is None:  # outside the band: cannot happen with BAND over the lengths
            raise ValueError("no alignment path")
        di, dj, delta, shared, conflicts = step_back
        beads.append(
            Bead(
                tuple(range(i - di, i)),
                tuple(range(j - dj, j)),
                _score(delta, shared, conflicts, (di, dj)),
                shared,
                conflicts,
            )
        )
        i, j = i - di, j - dj
    beads.reverse()
    agreeing = sum(
        bead.score * sum(src[k].length for k in bead.source) for bead in beads if bead.target
    )
    return Alignment(tuple(beads), round(agreeing / total_src, 3))


#: A sentence pair enters the memory only at this confidence or above.
SENTENCE_PAIR_AT = 0.6


def sentence_pairs(
    source: str, target: str, source_lang: str, target_lang: str
) -> list[tuple[str, str]]:
    """The sentences of a paragraph and its translation that align 1:1 with confidence.

    Nothing when either side is one sentence (the paragraph pair says it all already).
    """
    from ..sentences import split

    mine, theirs = split(source, source_lang), split(target, target_lang)
    if len(mine) < 2 or len(theirs) < 2:
        return []
    found = align(
        [Item(s, "sentence") for s in mine], [Item(t, "sentence") for t in theirs],
        source_lang, target_lang,
    )  # fmt: skip
    return [
        (mine[bead.source[0]], theirs[bead.target[0]])
        for bead in found.beads
        if bead.shape == (1, 1) and bead.score >= SENTENCE_PAIR_AT
    ]
