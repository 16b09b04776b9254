"""The benchmarks' own corpus: deterministic English articles like the think tank's, in Markdown.

    .venv/bin/python bench/corpus.py --articles 200 --repeat 0.10 --out /tmp/paragraf-corpus

Writes ``OUT/src/aNNNNN.md`` (and ``OUT/src-v2/``, the same articles after a light
editing pass: two paragraphs reworded, one removed, one added, for update runs):
articles with front matter (title, date, author, summary),
sub-headings, 6–14 paragraphs with emphasis, links, footnote markers (``[i]``, ``[ii]``)
and numbers, a table in every fifth article, and a references list. A share
``--repeat`` of the paragraphs are verbatim copies of a paragraph of an earlier article
(boilerplate, a quoted statement, a paragraph reused in a follow-up). The same arguments
write the same bytes. The benchmarks take this folder, or the shared corpus of the peer
figures (``--corpus``), which has the same layout.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

WORDS = """the of and to in that is was for on with as by at from which this be are has have
its their it an or were been not but after also more than about over into between under
against during while since both other new first last two three many several most""".split()
NOUNS = """country government ministry sanctions missile treaty council report statement
agreement pipeline border region economy budget election referendum army navy shipment
analysts officials ministers parliament court opposition talks summit delegation market
exports imports energy gas oil grain security weapons ammunition convention strait""".split()
NAMES = """Ankara Moscow Kyiv Pyongyang Seoul Tokyo Brussels Washington Beijing Chisinau
Tbilisi Baku Yerevan Tehran Istanbul Odesa Geneva Vienna""".split()
ORGS = ["the United Nations", "the European Union", "NATO", "the OSCE", "the IAEA", "the G7"]
ROMAN = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii"]


def sentence(rng: random.Random, markup: bool = True) -> str:
    words = [rng.choice(WORDS if rng.random() < 0.55 else NOUNS) for _ in range(rng.randint(8, 22))]
    if rng.random() < 0.5:
        words.insert(rng.randrange(len(words)), rng.choice(NAMES))
    if rng.random() < 0.3:
        words.insert(rng.randrange(len(words)), rng.choice(ORGS))
    if rng.random() < 0.35:
        words.insert(rng.randrange(len(words)), f"{rng.randint(2, 999)}")
    if rng.random() < 0.15:
        words.insert(rng.randrange(len(words)), f"{rng.randint(1, 99)}.{rng.randint(0, 9)}%")
    if markup and rng.random() < 0.15:
        i = rng.randrange(len(words) - 1)
        words[i] = f"*{words[i]}*"
    if markup and rng.random() < 0.1:
        i = rng.randrange(len(words))
        words[i] = f"[{words[i]}](https://example.org/{rng.randint(1, 9999)})"
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


def paragraph(rng: random.Random, markers: list[str]) -> str:
    text = " ".join(sentence(rng) for _ in range(rng.randint(2, 6)))
    if rng.random() < 0.4 and len(markers) < len(ROMAN):
        markers.append(ROMAN[len(markers)])
        text += f"[{markers[-1]}]"
    return text


def article(number: int, rng: random.Random, pool: list[str], repeat: float) -> str:
    markers: list[str] = []
    title = " ".join(rng.choice(NOUNS).capitalize() for _ in range(rng.randint(3, 6)))
    lines = [
        "---",
        f"title: {title}",
        "lang: en",
        f"date: 2024-{rng.randint(1, 12):02}-{rng.randint(1, 28):02}",
        f"author: {rng.choice(NAMES)} {rng.choice(NOUNS).capitalize()}",
        f'summary: "{sentence(rng, markup=False)}"',
        "---",
        "",
    ]
    for section in range(rng.randint(1, 3)):
        lines += [f"## {' '.join(rng.choice(NOUNS).capitalize() for _ in range(3))}", ""]
        for _ in range(rng.randint(3, 5)):
            if pool and rng.random() < repeat:
                text = rng.choice(pool)  # a paragraph of an earlier article, verbatim
            else:
                text = paragraph(rng, markers)
                pool.append(text)
            lines += [text, ""]
        if section == 0 and number % 5 == 0:
            lines += ["| Year | Shipments | Share |", "|------|----------:|------:|"]
            for year in range(2020, 2020 + rng.randint(2, 4)):
                lines.append(
                    f"| {year} | {rng.randint(1, 9)},{rng.randint(100, 999)} | {rng.randint(1, 99)}% |"
                )
            lines.append("")
    for marker in markers:
        lines += [
            f"[{marker}] {sentence(rng)} https://example.org/source/{rng.randint(1, 99999)}",
            "",
        ]
    return "\n".join(lines)


def edited(text: str, rng: random.Random) -> str:
    """The article after a light editing pass: a few paragraphs reworded, one added, one removed."""
    head, _, body = text.partition("\n---\n")
    blocks = body.split("\n\n")
    paragraphs = [
        i for i, b in enumerate(blocks) if b and b[0].isupper() and not b.startswith(("|", "#"))
    ]
    for i in rng.sample(paragraphs, k=min(2, len(paragraphs))):
        words = blocks[i].split(" ")
        j = rng.randrange(len(words))
        if words[j].isalpha():
            words[j] = rng.choice(NOUNS)
        blocks[i] = " ".join(words)
    if paragraphs and rng.random() < 0.5:
        del blocks[rng.choice(paragraphs)]
    if rng.random() < 0.5:
        blocks.insert(min(len(blocks), 3), paragraph(rng, []))
    return head + "\n---\n" + "\n\n".join(blocks)


def write(out: Path, articles: int, repeat: float, seed: int = 20261201) -> Path:
    """Write the corpus under ``out/src`` and its edited copy under ``out/src-v2``; return ``src``."""
    rng = random.Random(seed)
    src, v2 = out / "src", out / "src-v2"
    src.mkdir(parents=True, exist_ok=True)
    v2.mkdir(parents=True, exist_ok=True)
    pool: list[str] = []
    for number in range(1, articles + 1):
        text = article(number, rng, pool, repeat)
        (src / f"a{number:05}.md").write_text(text, encoding="utf-8")
        (v2 / f"a{number:05}.md").write_text(edited(text, rng), encoding="utf-8")
    return src


RU = str.maketrans("abcdefghijklmnoprstuvyz", "абцдефгхийклмнопрстувыз")
TR = str.maketrans("scgiou", "şçğıöü")


def near(text: str, rng: random.Random, changes: int) -> str:
    """``text`` with ``changes`` of its plain words replaced: a near duplicate."""
    words = text.split(" ")
    plain = [i for i, w in enumerate(words) if w.isalpha()]
    for i in rng.sample(plain, k=min(changes, len(plain))):
        words[i] = rng.choice(NOUNS)
    return " ".join(words)


def write_tm(out: Path, pairs: int, queries: int, seed: int = 20261201) -> None:
    """Write ``out/tm.tsv`` and ``out/tm-queries.txt`` as the shared generator does.

    ``tm.tsv`` (``source<TAB>target<TAB>lang``, a header line first): a quarter of the
    corpus's paragraphs (up to ``pairs // 4``) verbatim, a tenth near duplicates of
    others, the rest new paragraphs; each pair ``en→tr`` or ``en→ru`` at random, its
    target a pseudo-translation. ``tm-queries.txt``: ``queries`` paragraphs of the corpus.
    """
    rng = random.Random(seed + 3)
    paragraphs = list(
        dict.fromkeys(
            text
            for path in sorted((out / "src").glob("*.md"))
            for block in path.read_text(encoding="utf-8").partition("\n---\n")[2].split("\n\n")
            if (text := block.strip()) and text[0].isupper() and "\n" not in text
        )
    )
    chosen = rng.sample(paragraphs, k=min(len(paragraphs), pairs // 4 + pairs // 10))
    exact = min(len(chosen) * 5 // 7, pairs // 4)
    with open(out / "tm.tsv", "w", encoding="utf-8") as tsv:
        tsv.write("source\ttarget\tlang\n")
        for number in range(pairs):
            if number < len(chosen):
                text = chosen[number] if number < exact else near(chosen[number], rng, 3)
            else:
                text = paragraph(rng, [])
            lang = rng.choice(("tr", "ru"))
            target = text.translate(TR if lang == "tr" else RU)
            tsv.write(f"{text}\t{target}\t{lang}\n")
    picked = rng.sample(paragraphs, k=min(queries, len(paragraphs)))
    (out / "tm-queries.txt").write_text("".join(q + "\n" for q in picked), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--repeat", type=float, default=0.10, help="share of repeated paragraphs")
    parser.add_argument("--seed", type=int, default=20261201)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    src = write(args.out, args.articles, args.repeat, args.seed)
    print(f"wrote {args.articles} articles to {src}")


if __name__ == "__main__":
    main()
