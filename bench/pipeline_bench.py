"""Benchmark the article pipeline against po4a on the same corpus.

Make the corpus with the shared generator, then run this script:

    python3 ../shared/bench/make_corpus.py --articles 1000 --out /tmp/corpus
    python3 bench/pipeline_bench.py --corpus /tmp/corpus

It times, in one process, on the corpus's ``src/`` articles (English, translated
into Turkish and Russian):

1. extract + update from nothing (templates and two catalogs per article);
2. compile from nothing (Markdown, HTML and .mo), after pseudo-translating every entry;
3. a rerun of extract + update + compile after every catalog was edited (by the
   pseudo-translation), then one with no change;
4. extract + update after the corpus's editing pass (``src-v2/``);

and runs po4a (Debian's package, ``Text`` module in Markdown mode) on a sample of
the same articles: ``po4a-updatepo`` for both languages (catalogs from nothing) and
``po4a-translate`` for both (compile), reporting per-article times and ratios.
Peak memory is this process's maximum resident set size.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import polib

ROOT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT_DIR))  # this tree's app, not an installed copy

from app.build import compile_all  # noqa: E402
from app.config import load_config  # noqa: E402
from app.extract import extract_all  # noqa: E402
from app.po import catalog  # noqa: E402
from app.update import update_all  # noqa: E402

PYPROJECT = (
    '[project]\nname = "bench"\nversion = "0"\n\n[tool.paragraf]\nlanguages = ["en", "tr", "ru"]\n'
)
PO4A = ["-f", "text", "-o", "markdown", "-M", "UTF-8"]


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def pseudo_translate(folder: Path) -> None:
    """Approve every entry of every catalog under ``folder`` with a visible pseudo-translation."""
    for path in folder.rglob("*.po"):
        po = catalog.load(path)
        for entry in po:
            entry.msgstr = f"⟦ {entry.msgid}"
        catalog.save(po, path)


def run_paragraf(corpus: Path, articles: list[Path], work: Path) -> dict[str, float]:
    """Time paragraf's jobs on ``articles``; return seconds per job."""
    work.mkdir(parents=True)
    (work / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    content = work / "content"
    content.mkdir()
    for path in articles:
        shutil.copy(path, content / path.name)
    config = load_config(work)

    def extract_update() -> None:
        for report in (extract_all(config), update_all(config)):
            assert not report.errors, report.errors[:3]

    def everything() -> None:
        extract_update()
        assert not compile_all(config).errors

    figures = {"extract+update from nothing": timed(extract_update)}
    pseudo_translate(work / "translations")
    figures["compile from nothing"] = timed(lambda: compile_all(config))
    # Every catalog changed since update last saw it: update re-reads and re-merges them all.
    figures["rerun after all catalogs edited"] = timed(everything)
    figures["rerun, no change"] = timed(everything)
    for path in articles:
        edited = corpus / "src-v2" / path.name
        if edited.exists():
            shutil.copy(edited, content / path.name)
    figures["extract+update after edits"] = timed(extract_update)
    fuzzy = sum(
        len(polib.pofile(str(p)).fuzzy_entries()) for p in (work / "translations").rglob("*.po")
    )
    figures["fuzzy entries after edits"] = fuzzy
    return figures


def run_po4a(articles: list[Path], work: Path) -> dict[str, float]:
    """Time po4a on ``articles``: catalogs for tr and ru from nothing, then translating both."""
    figures = {"extract+update from nothing": 0.0, "compile from nothing": 0.0}
    work.mkdir(parents=True)
    for path in articles:
        folder = work / path.stem
        folder.mkdir()
        start = time.perf_counter()
        for lang in ("tr", "ru"):
            subprocess.run(
                ["po4a-updatepo", *PO4A, "-m", str(path), "-p", str(folder / f"{lang}.po")],
                check=True,
                capture_output=True,
            )
        figures["extract+update from nothing"] += time.perf_counter() - start
        for lang in ("tr", "ru"):
            po = polib.pofile(str(folder / f"{lang}.po"))
            for entry in po:
                entry.msgstr = f"⟦ {entry.msgid}"
            po.save()
        start = time.perf_counter()
        for lang in ("tr", "ru"):
            subprocess.run(
                [
                    "po4a-translate",
                    *PO4A,
                    "-m",
                    str(path),
                    "-p",
                    str(folder / f"{lang}.po"),
                    "-l",
                    str(folder / f"{lang}.md"),
                    "-L",
                    "UTF-8",
                    "-k",
                    "0",
                ],
                check=True,
                capture_output=True,
            )
        figures["compile from nothing"] += time.perf_counter() - start
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--corpus", type=Path, required=True, help="folder written by make_corpus.py"
    )
    parser.add_argument(
        "--articles", type=int, default=0, help="use only the first N articles (0: all)"
    )
    parser.add_argument(
        "--po4a-sample", type=int, default=40, help="articles to run po4a on (0: skip po4a)"
    )
    args = parser.parse_args()
    articles = sorted((args.corpus / "src").glob("*.md"))
    if args.articles:
        articles = articles[: args.articles]
    n = len(articles)
    with tempfile.TemporaryDirectory(prefix="paragraf-bench-") as tmp:
        ours = run_paragraf(args.corpus, articles, Path(tmp) / "paragraf")
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        sample = articles[: args.po4a_sample]
        peer = run_po4a(sample, Path(tmp) / "po4a") if sample else {}
    print(f"corpus: {args.corpus} ({n} articles; po4a on the first {len(sample)})")
    print(
        f"{'job':32} {'paragraf total':>15} {'ms/article':>11} {'po4a ms/article':>16} {'po4a/paragraf':>14}"
    )
    for job, seconds in ours.items():
        if job.startswith("fuzzy"):
            continue
        per = 1000 * seconds / n
        line = f"{job:32} {seconds:14.2f}s {per:11.2f}"
        if job in peer:
            theirs = 1000 * peer[job] / len(sample)
            line += f" {theirs:16.1f} {theirs / per:13.1f}x"
        print(line)
    print(f"fuzzy entries after the editing pass: {ours['fuzzy entries after edits']}")
    print(f"peak memory (paragraf, in process): {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
