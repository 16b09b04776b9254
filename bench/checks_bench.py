"""True and false positives of the quality checks on labeled translations and on the bundled catalogs.

    .venv/bin/python bench/checks_bench.py [--data tests/data/checks] [--project .]

Labeled pairs are JSON lines ``{"source", "target", "expect": [check names], "note"}``
(English sources; the target language is the file's name: ``tr.jsonl``, ``ru.jsonl``).
A check that fires on a pair that expects it is a true positive, on one that does not a
false positive; one expected and silent is a false negative. The bundled catalogs are
reviewed translations, so every finding on them is counted, by check, to be read.
Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.checks import check_pair, registry  # noqa: E402


def score(path: Path) -> tuple[Counter[str], Counter[str], Counter[str], list[str], int, int]:
    """Per check: true positives, false positives, false negatives; the misses; pairs; clean pairs."""
    lang = path.stem
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    misses = []
    pairs = clean = 0
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        pair = json.loads(line)
        pairs += 1
        expected = set(pair["expect"])
        found = {f.check for f in check_pair(pair["source"], pair["target"], "en", lang)}
        clean += not expected
        for name in found & expected:
            tp[name] += 1
        for name in found - expected:
            fp[name] += 1
            misses.append(f"{path.name}:{number}: false positive {name}: {pair['note']}")
        for name in expected - found:
            fn[name] += 1
            misses.append(f"{path.name}:{number}: false negative {name}: {pair['note']}")
    return tp, fp, fn, misses, pairs, clean


def catalog_findings(project: Path) -> Counter[tuple[str, str]]:
    """Findings on every translated entry of the project's catalogs, by language and check."""
    import polib

    from app.po import catalog

    found: Counter[tuple[str, str]] = Counter()
    for po_path in sorted(project.glob("translations/*/LC_MESSAGES/*.po")):
        lang = po_path.parent.parent.name
        po = polib.pofile(str(po_path))
        source_lang = catalog.source_language(po)
        for entry in po:
            if entry.msgstr and not entry.obsolete:
                for finding in check_pair(entry.msgid, entry.msgstr, source_lang, lang):
                    found[(lang, finding.check)] += 1
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT / "tests" / "data" / "checks")
    parser.add_argument("--project", type=Path, default=ROOT)
    args = parser.parse_args()
    print("| set | check | TP | FP | FN |")
    print("|---|---|---:|---:|---:|")
    all_misses = []
    for path in sorted(args.data.glob("*.jsonl")):
        tp, fp, fn, misses, pairs, clean = score(path)
        all_misses += misses
        for name in registry():
            if tp[name] or fp[name] or fn[name]:
                print(f"| {path.stem} | {name} | {tp[name]} | {fp[name]} | {fn[name]} |")
        total = f"{sum(tp.values())} | {sum(fp.values())} | {sum(fn.values())}"
        print(f"| {path.stem} | **all** ({pairs} pairs, {clean} correct) | {total} |")
    found = catalog_findings(args.project)
    for (lang, name), n in sorted(found.items()):
        print(f"| bundled {lang} | {name} | – | {n} (to read) | – |")
    if not found:
        print("| bundled catalogs | all | – | 0 | – |")
    for miss in all_misses:
        print(miss)


if __name__ == "__main__":
    main()
