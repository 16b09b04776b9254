"""Alignment at scale: precision and recall against a known alignment, and the time for 1,000 article pairs.

    .venv/bin/python bench/align_bench.py [--articles 1000] [--seed 7]

Takes the benchmarks' own English articles (``bench/corpus.py``) and makes of each a
"published translation" into Turkish whose alignment is known: every block rewritten
(its words reversed, its length changed by up to ±25%, its numbers in the Turkish form,
markers, URLs and names kept), and diverging the way real translations do: paragraphs
merged (5%), split at a sentence (5%), omitted (3%), translators' notes added (3%),
sentences reordered (10%), and a number changed (3%, which must never be approved).
Prints the time :func:`app.archive.align.align` takes over every pair, the precision of
the pairs ``paragraf align`` would approve, the recall of the 1:1 pairs, and how many of
the changed numbers were flagged. The fixtures' own figures come from
``tests/test_archive.py``.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import corpus  # noqa: E402

from app.archive.align import Item, align  # noqa: E402
from app.archive.fill import propose  # noqa: E402
from app.markdown.blocks import read_article  # noqa: E402
from app.sentences import split  # noqa: E402

_WORD = re.compile(r"(?<![\[\]/(.\w])[a-z]{3,}(?![\w\])])")
_NUMBER = re.compile(
    r"(?<![\w.,/])(\d{1,3})(?:,(\d{3}))?\.(\d)(?![\d])|(?<![\w.,/])(\d{1,3}),(\d{3})(?![\d.,])"
)


def turkish_numbers(text: str) -> str:
    def convert(m: re.Match[str]) -> str:
        if m.group(4):
            return f"{m.group(4)}.{m.group(5)}"
        whole = m.group(1) + (f".{m.group(2)}" if m.group(2) else "")
        return f"{whole},{m.group(3)}"

    return _NUMBER.sub(convert, text)


_KEPT = re.compile(r"\]\([^)]*\)|https?://\S+")
_PERCENT = re.compile(r"(\d+(?:,\d+)?)%")


def pseudo(text: str, rng: random.Random) -> str:
    """A 'translation': lower-case words reversed, the length changed, numbers Turkish.

    Link destinations and URLs stay as they are; ``12,5%`` becomes ``%12,5``.
    """
    pieces, last = [], 0
    for kept in _KEPT.finditer(text):
        pieces.append(_words(text[last : kept.start()], rng))
        pieces.append(kept.group())
        last = kept.end()
    pieces.append(_words(text[last:], rng))
    return "".join(pieces)


def _words(text: str, rng: random.Random) -> str:
    out = _WORD.sub(lambda m: m.group()[::-1] + ("lar" if rng.random() < 0.2 else ""), text)
    factor = rng.uniform(0.8, 1.25)
    words = out.split(" ")
    if factor < 1 and len(words) > 8:
        for _ in range(int(len(words) * (1 - factor) / 2)):
            pos = rng.randrange(1, len(words) - 1)
            if _WORD.fullmatch(words[pos]):
                del words[pos]
    elif factor > 1:
        for _ in range(int(len(words) * (factor - 1) / 2)):
            words.insert(rng.randrange(1, len(words)), rng.choice(["ise", "bile", "oldukça", "da"]))
    return _PERCENT.sub(r"%\1", turkish_numbers(" ".join(words)))


def translate(items: list[Item], rng: random.Random):
    """The target blocks and the gold beads (source indices, target indices, number changed)."""
    target: list[Item] = []
    gold: list[tuple[tuple[int, ...], tuple[int, ...], bool]] = []
    i = 0
    while i < len(items):
        item = items[i]
        roll = rng.random()
        para = item.kind == "paragraph"
        nxt = items[i + 1] if i + 1 < len(items) else None
        if para and nxt is not None and nxt.kind == "paragraph" and roll < 0.05:
            target.append(Item(pseudo(item.text, rng) + " " + pseudo(nxt.text, rng), "paragraph"))
            gold.append(((i, i + 1), (len(target) - 1,), False))
            i += 2
            continue
        sentences = split(item.text, "en")
        if para and len(sentences) >= 2 and roll < 0.10:
            cut = len(sentences) // 2
            target.append(Item(pseudo(" ".join(sentences[:cut]), rng), "paragraph"))
            target.append(Item(pseudo(" ".join(sentences[cut:]), rng), "paragraph"))
            gold.append(((i,), (len(target) - 2, len(target) - 1), False))
        elif para and roll < 0.13:
            gold.append(((i,), (), False))  # omitted
        elif para and roll < 0.16:
            target.append(Item(pseudo(item.text, rng), "paragraph"))
            gold.append(((i,), (len(target) - 1,), False))
            target.append(
                Item(
                    "*Çevirmenin notu: bu bölüm özgün metinde yoktur ve okur için eklenmiştir.*",
                    "paragraph",
                )
            )
            gold.append(((), (len(target) - 1,), False))
        else:
            text = item.text
            if para and len(sentences) >= 3 and roll < 0.26:
                order = list(sentences)
                rng.shuffle(order)
                text = " ".join(order)
            translated = pseudo(text, rng)
            changed = False
            if para and 0.26 <= roll < 0.29:
                numbers = list(re.finditer(r"(?<![\d.,])\d{2,3}(?![\d.,%])", translated))
                if numbers:
                    m = rng.choice(numbers)
                    translated = (
                        translated[: m.start()] + str(int(m.group()) + 7) + translated[m.end() :]
                    )
                    changed = True
            target.append(Item(translated, item.kind))
            gold.append(((i,), (len(target) - 1,), changed))
        i += 1
    return target, gold


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        src = corpus.write(Path(tmp), args.articles, repeat=0.10)
        pairs = []
        for path in sorted(src.glob("*.md")):
            article = read_article(path)
            items = [Item(b.text, b.kind) for b in article.blocks if not b.meta]
            target, gold = translate(items, rng)
            pairs.append((items, target, gold))
    start = time.perf_counter()
    alignments = [align(items, target, "en", "tr") for items, target, _ in pairs]
    seconds = time.perf_counter() - start
    approved = correct = one_to_one = found = changed = flagged = beads_right = beads = 0
    for (items, target, gold), alignment in zip(pairs, alignments, strict=True):
        proposals, _omitted, _added, _mismatches = propose(items, target, alignment, "en", "tr", ())
        gold_text = {}
        changed_ids = set()
        for s, t, num in gold:
            if len(s) == 1 and len(t) == 1:
                gold_text[items[s[0]].text] = target[t[0]].text
                if num:
                    changed_ids.add(items[s[0]].text)
        got = {(b.source, b.target) for b in alignment.beads}
        beads += len(gold)
        beads_right += sum((s, t) in got for s, t, _ in gold)
        for msgid, proposal in proposals.items():
            if proposal.approve:
                approved += 1
                correct += gold_text.get(msgid) == proposal.text and msgid not in changed_ids
        for msgid, text in gold_text.items():
            if msgid in changed_ids:
                changed += 1
                flagged += msgid in proposals and not proposals[msgid].approve
                continue
            one_to_one += 1
            found += (
                msgid in proposals and proposals[msgid].approve and proposals[msgid].text == text
            )
    blocks = sum(len(items) for items, _, _ in pairs)
    print(f"{len(pairs)} article pairs, {blocks} source blocks")
    print(
        f"align(): {seconds:.2f} s for all pairs ({1000 * seconds / len(pairs):.1f} ms per pair; target ≤ 10 s per 1,000)"
    )
    print(f"beads exactly as known: {beads_right}/{beads} ({100 * beads_right / beads:.1f}%)")
    print(
        f"approved pairs correct (precision): {correct}/{approved} ({100 * correct / approved:.2f}%; target ≥ 99%)"
    )
    print(
        f"1:1 pairs approved (recall): {found}/{one_to_one} ({100 * found / one_to_one:.1f}%; target ≥ 95%)"
    )
    print(f"changed numbers never approved: {flagged}/{changed}")


if __name__ == "__main__":
    main()
