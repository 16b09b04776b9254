"""Loading catalogs: paragraf's strict parser beside Babel's ``read_po`` and polib (``make bench``).

    .venv/bin/python bench/catalog_load.py [--articles 200] [--rounds 5] [--translations DIR]

The catalogs are ``DIR/<lang>/LC_MESSAGES/*.po`` of a project (by default one made here
from ``bench/corpus.py``: extracted, updated, every entry translated). Each round reads
the files' bytes once, then parses all of them with each loader in turn, in this
process, the order alternating between rounds: paragraf's ``catalog.parse_bytes``
(every line checked, an error names the file and line), Babel's
``pofile.read_po(abort_invalid=True)`` (which also refuses a malformed catalog) and
``polib.pofile``. Printed: µs per entry (median over the rounds) and the ratio of each
peer per round (target: paragraf within 1.5× of Babel).
"""

from __future__ import annotations

import argparse
import io
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import PARAGRAF, PYPROJECT, ROOT  # noqa: E402

sys.path.insert(0, str(ROOT))


def make_project(work: Path, articles: int) -> Path:
    """A project of ``articles`` corpus articles with translated catalogs; its translations."""
    import corpus

    corpus.write(work / "corpus", articles, repeat=0.10)
    project = work / "project"
    (project / "content").mkdir(parents=True)
    (project / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    for path in sorted((work / "corpus" / "src").glob("*.md")):
        (project / "content" / path.name).write_bytes(path.read_bytes())
    for verb in ("extract", "update"):
        subprocess.run(PARAGRAF + [verb], cwd=project, check=True, capture_output=True)
    from app.po import catalog

    for path in (project / "translations").rglob("*.po"):
        po = catalog.load(path)
        for entry in po:
            entry.msgstr = entry.msgid.upper()
        catalog.save(po, path)
    return project / "translations"


def report(translations: Path, rounds: int = 5) -> list[str]:
    """Print the table; return the targets missed."""
    import polib
    from babel.messages import pofile

    from app.po import catalog

    files = [(p, p.read_bytes()) for p in sorted(translations.glob("*/LC_MESSAGES/*.po"))]
    entries = sum(len(catalog.parse_bytes(data, str(p))) for p, data in files)

    def ours() -> None:
        for path, data in files:
            catalog.parse_bytes(data, str(path))

    def babel() -> None:
        for _path, data in files:
            pofile.read_po(io.BytesIO(data), abort_invalid=True)

    def polib_() -> None:
        for _path, data in files:
            polib.pofile(data.decode("utf-8"))

    loaders: dict[str, Callable[[], None]] = {
        "paragraf catalog.parse_bytes": ours,
        "babel read_po(abort_invalid=True)": babel,
        "polib.pofile": polib_,
    }
    times: dict[str, list[float]] = {name: [] for name in loaders}
    for number in range(rounds):
        order = list(loaders.items())
        for name, load in order if number % 2 == 0 else reversed(order):
            start = time.perf_counter()
            load()
            times[name].append(1e6 * (time.perf_counter() - start) / entries)
    mine = times["paragraf catalog.parse_bytes"]
    print(f"Catalog load: {len(files)} catalogs, {entries:,} entries, {rounds} rounds\n")
    print("| loader | µs/entry (median) | paragraf is | target |")
    print("|---|---:|---:|---|")
    missed = []
    for name, values in times.items():
        ratio = statistics.median(a / b for a, b in zip(mine, values, strict=True))
        if name.startswith("paragraf"):
            print(f"| {name} | {statistics.median(values):.1f} | | |")
            continue
        verdict = ""
        if name.startswith("babel"):
            verdict = "≤ 1.5× babel: " + ("met" if ratio <= 1.5 else "**missed**")
            if ratio > 1.5:
                missed.append("catalog load")
        speed = f"{ratio:.2f}× its time"
        print(f"| {name} | {statistics.median(values):.1f} | {speed} | {verdict} |")
    return missed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--translations", type=Path, help="a project's translations/ folder")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="paragraf-load-") as tmp:
        translations = args.translations or make_project(Path(tmp), args.articles)
        report(translations, args.rounds)


if __name__ == "__main__":
    main()
