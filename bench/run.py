"""``make bench``: every verb of paragraf beside every peer installable here, in one run, one table.

    .venv/bin/python bench/run.py [--articles 1000] [--corpus DIR] [--rounds 3]
        [--po4a-sample 50] [--scale-articles 5000] [--tm-pairs 1000000] [--tm-queries 100]
        [--skip peers,scale,startup,load,tm,ui,search]

The corpus is the benchmarks' own (``bench/corpus.py``, seeded: the same bytes on every
machine), or ``--corpus DIR`` with ``src/`` and ``src-v2/`` (the shared generator's
layout, on which the peer figures were taken; its ``tm.tsv`` too, if it has one). Every
job runs as its own process on the same files, paragraf and each peer in turn, round
after round, who goes first alternating; a job's figure is the median over the rounds of
its wall time per article, its peak resident memory is GNU ``time``'s ``%M`` (the
largest process), and each ratio is the median of the per-round ratios. Printed: one
table with the command line of each peer, then the memory of each verb at
``--scale-articles`` (the largest process and the whole tree with its workers), the
start-up of every command (``bench/startup.py``), the catalog load per entry beside
Babel's ``read_po`` (``bench/catalog_load.py``), the translation memory at
``--tm-pairs`` beside brute force (``bench/tm_scale.py``), the review UI against a live
server (``bench/ui_live.py``), concordance search (``bench/search_bench.py``), and the
targets missed.

Jobs, per article (one English article, its Turkish and Russian catalogs):

- **extract + update from nothing**: ``paragraf extract && paragraf update``; peers:
  Translate Toolkit (``md2po`` then ``pot2po`` per language), mdpo's ``md2po``
  (template only), po4a (``po4a-updatepo`` per language, on ``--po4a-sample`` articles,
  beside paragraf on the same sample);
- **compile from nothing** (every entry approved): ``paragraf compile`` writes the
  Markdown, an HTML page per language and the ``.mo`` files; peers: Translate Toolkit
  ``po2md``, mdpo's ``po2md`` (Markdown only), ``msgfmt`` and ``pybabel compile``
  (``.mo`` only), po4a (``po4a-translate`` per language, on the sample);
- **reruns with no change**: ``paragraf extract && paragraf update && paragraf
  compile``, twice, more than two seconds after the writes: the first hashes the files
  the pipeline wrote (a file's mtime cannot vouch for it until two seconds after its
  record), the second only stats them;
- **update after the edit pass** (``src-v2``: fuzzy matches and ``#|``): ``paragraf
  extract && paragraf update``; peers: ``msgmerge`` per catalog, Translate Toolkit
  ``pot2po -t``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))

from harness import PARAGRAF, PY, PYPROJECT, Run, mark, run, sequence  # noqa: E402

from app.project import Stamps  # noqa: E402

LANGS = ("tr", "ru")


@dataclass
class Job:
    name: str
    articles: int
    ours: list[Run] = field(default_factory=list)
    peers: dict[str, tuple[str, int, list[Run]]] = field(
        default_factory=dict
    )  # name → (cmd, n, runs)

    def add_peer(self, name: str, command: str, articles: int, result: Run) -> None:
        self.peers.setdefault(name, (command, articles, []))[2].append(result)


def ms(r: Run, n: int) -> float:
    return 1000 * r.seconds / n


# --- the corpus and projects -----------------------------------------------------------


def corpus_dir(args: argparse.Namespace, tmp: Path) -> Path:
    if args.corpus:
        return args.corpus
    import corpus

    out = tmp / "corpus"
    corpus.write(out, args.articles, repeat=0.10)
    return out


def project(work: Path, sources: list[Path]) -> Path:
    if work.exists():
        shutil.rmtree(work)
    (work / "content").mkdir(parents=True)
    (work / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    for path in sources:
        shutil.copy(path, work / "content" / path.name)
    return work


def approve_everything(work: Path) -> None:
    """Approve every entry with a pseudo-translation the quality gate accepts."""
    from app.checks.number_forms import localize
    from app.po import catalog

    for path in (work / "translations").rglob("*.po"):
        lang = path.parent.parent.name
        po = catalog.load(path)
        for entry in po:
            entry.msgstr = localize(entry.msgid, "en", lang)
            entry.flags = []
        catalog.save(po, path)


def pseudo_po(folder: Path) -> None:
    """Fill every PO file under ``folder`` (a peer's catalogs) the same way."""
    import polib

    for path in folder.rglob("*.po"):
        po = polib.pofile(str(path))
        for entry in po:
            entry.msgstr = entry.msgid
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
        po.save(str(path))


# --- paragraf's jobs and the peers -----------------------------------------------------


def paragraf_round(work: Path, sources: list[Path], v2: Path, jobs: dict[str, Job]) -> None:
    project(work, sources)
    n = len(sources)
    jobs["extract"].ours.append(
        sequence([(PARAGRAF + ["extract"], work), (PARAGRAF + ["update"], work)])
    )
    approve_everything(work)
    jobs["compile"].ours.append(run(PARAGRAF + ["compile"], work))
    every_verb = [(PARAGRAF + [verb], work) for verb in ("extract", "update", "compile")]
    # A file written less than Stamps.RACY_SECONDS before its record is hashed again (its
    # mtime cannot tell): the first rerun hashes what the pipeline wrote, the next only stats.
    time.sleep(Stamps.RACY_SECONDS + 0.1)
    jobs["rerun-first"].ours.append(sequence(every_verb))
    jobs["rerun"].ours.append(sequence(every_verb))
    for path in sources:
        edited = v2 / path.name
        if edited.exists():
            shutil.copy(edited, work / "content" / path.name)
    extract, update = run(PARAGRAF + ["extract"], work), run(PARAGRAF + ["update"], work)
    jobs["update"].ours.append(
        Run(extract.seconds + update.seconds, max(extract.rss_mb, update.rss_mb))
    )
    jobs["update"].add_peer("paragraf (update only)", "", n, update)


TT_MD2PO = [PY, "-m", "translate.convert.md2po"]
TT_POT2PO = [PY, "-m", "translate.convert.pot2po"]
TT_PO2MD = [PY, "-m", "translate.convert.po2md"]


def translate_toolkit_round(
    work: Path, sources: list[Path], v2: Path, jobs: dict[str, Job]
) -> None:
    if work.exists():
        shutil.rmtree(work)
    src, pot = work / "src", work / "pot"
    src.mkdir(parents=True)
    for path in sources:
        shutil.copy(path, src / path.name)
    n = len(sources)
    steps = [(TT_MD2PO + ["--progress=none", "-P", "-i", str(src), "-o", str(pot)], work)]
    steps += [
        (TT_POT2PO + ["--progress=none", "-i", str(pot), "-o", str(work / lang)], work)
        for lang in LANGS
    ]
    jobs["extract"].add_peer(
        "Translate Toolkit", "md2po -P; pot2po (per language)", n, sequence(steps)
    )
    pseudo_po(work)
    steps = [
        (
            TT_PO2MD
            + [
                "--progress=none",
                "-i",
                str(work / lang),
                "-t",
                str(src),
                "-o",
                str(work / f"out-{lang}"),
            ],
            work,
        )
        for lang in LANGS
    ]
    jobs["compile"].add_peer("Translate Toolkit", "po2md -t (per language)", n, sequence(steps))
    src2, pot2 = work / "src2", work / "pot2"
    src2.mkdir()
    for path in sources:
        shutil.copy(v2 / path.name if (v2 / path.name).exists() else path, src2 / path.name)
    steps = [(TT_MD2PO + ["--progress=none", "-P", "-i", str(src2), "-o", str(pot2)], work)]
    steps += [
        (
            TT_POT2PO
            + [
                "--progress=none",
                "-t",
                str(work / lang),
                "-i",
                str(pot2),
                "-o",
                str(work / f"{lang}2"),
            ],
            work,
        )
        for lang in LANGS
    ]
    jobs["update"].add_peer(
        "Translate Toolkit", "md2po -P; pot2po -t (per language)", n, sequence(steps)
    )


MDPO_EXTRACT = """
import sys
from pathlib import Path
from mdpo.md2po import markdown_to_pofile
out = Path(sys.argv[2])
out.mkdir(exist_ok=True)
for path in sorted(Path(sys.argv[1]).glob("*.md")):
    markdown_to_pofile(str(path), po_filepath=str(out / (path.stem + ".pot")), save=True)
"""
MDPO_COMPILE = """
import sys
from pathlib import Path
from mdpo.po2md import pofile_to_markdown
src, pos, out = (Path(a) for a in sys.argv[1:4])
out.mkdir(exist_ok=True)
for path in sorted(src.glob("*.md")):
    pofile_to_markdown(str(path), str(pos / (path.stem + ".po")), save=str(out / path.name))
"""


def mdpo_round(work: Path, sources: list[Path], jobs: dict[str, Job]) -> None:
    if work.exists():
        shutil.rmtree(work)
    src = work / "src"
    src.mkdir(parents=True)
    for path in sources:
        shutil.copy(path, src / path.name)
    n = len(sources)
    jobs["extract"].add_peer(
        "mdpo",
        "md2po (template only)",
        n,
        run([PY, "-c", MDPO_EXTRACT, str(src), str(work / "pot")], work),
    )
    pos = work / "po"
    pos.mkdir()
    for pot in (work / "pot").glob("*.pot"):
        shutil.copy(pot, pos / (pot.stem + ".po"))
    pseudo_po(pos)
    result = run([PY, "-c", MDPO_COMPILE, str(src), str(pos), str(work / "out")], work)
    # one language's Markdown per run: a paragraf compile makes two, so the peer's time doubles
    jobs["compile"].add_peer(
        "mdpo", "po2md (Markdown only, ×2 languages)", n, Run(2 * result.seconds, result.rss_mb)
    )


def gettext_round(work: Path, paragraf_work: Path, jobs: dict[str, Job], n: int) -> None:
    """msgmerge, msgfmt and pybabel compile on paragraf's own catalogs."""
    if work.exists():
        shutil.rmtree(work)
    shutil.copytree(paragraf_work / "translations", work)
    catalogs = sorted(p for p in work.rglob("*.po"))
    templates = work / "templates"
    steps = [
        (
            [
                "msgmerge",
                "-q",
                "--no-wrap",
                "-o",
                str(p) + ".new",
                str(p),
                str(templates / (p.stem + ".pot")),
            ],
            work,
        )
        for p in catalogs
    ]
    jobs["update"].add_peer("msgmerge", "msgmerge per catalog (update only)", n, sequence(steps))
    steps = [(["msgfmt", "-o", str(p.with_suffix(".mo")), str(p)], work) for p in catalogs]
    jobs["compile"].add_peer("msgfmt", "msgfmt per catalog (.mo only)", n, sequence(steps))
    domains = " ".join(sorted({p.stem for p in catalogs}))
    # pybabel takes "12%" in a msgid for a Python placeholder and says so (exit 1), but writes every .mo
    result = run(
        [str(Path(PY).with_name("pybabel")), "-q", "compile", "-d", str(work), "-D", domains],
        work,
        ok=(0, 1),
    )
    jobs["compile"].add_peer(
        "pybabel compile", "pybabel compile -D <all slugs> (.mo only)", n, result
    )


PO4A = ["-f", "text", "-o", "markdown", "-M", "UTF-8"]


def po4a_round(work: Path, sources: list[Path], jobs: dict[str, Job]) -> None:
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    n = len(sources)
    steps = [
        (["po4a-updatepo", *PO4A, "-m", str(p), "-p", str(work / f"{p.stem}.{lang}.po")], work)
        for p in sources
        for lang in LANGS
    ]
    jobs["extract"].add_peer(
        "po4a", f"po4a-updatepo (per language; {n} articles)", n, sequence(steps)
    )
    pseudo_po(work)
    steps = [
        (
            [
                "po4a-translate",
                *PO4A,
                "-k",
                "0",
                "-m",
                str(p),
                "-p",
                str(work / f"{p.stem}.{lang}.po"),
                "-l",
                str(work / f"{p.stem}.{lang}.md"),
            ],
            work,
        )
        for p in sources
        for lang in LANGS
    ]
    jobs["compile"].add_peer(
        "po4a", f"po4a-translate (per language; {n} articles)", n, sequence(steps)
    )


def paragraf_sample(work: Path, sources: list[Path], jobs: dict[str, Job]) -> None:
    """paragraf on po4a's sample too: po4a's ratio is taken on the same articles."""
    project(work, sources)
    n = len(sources)
    jobs["extract"].add_peer(
        "paragraf (po4a's sample)",
        "",
        n,
        sequence([(PARAGRAF + ["extract"], work), (PARAGRAF + ["update"], work)]),
    )
    approve_everything(work)
    jobs["compile"].add_peer("paragraf (po4a's sample)", "", n, run(PARAGRAF + ["compile"], work))


# --- report ----------------------------------------------------------------------------

TARGETS = {"extract": 6.0, "compile": 5.0, "update": 8.0, "rerun-first": None, "rerun": 0.5}
#: (job, peer) → how many times faster than the peer paragraf should be (issue 14)
RATIO_TARGETS = {
    ("extract", "Translate Toolkit"): 3.0,
    ("extract", "mdpo"): 1 / 1.5,  # within 1.5× of its template-only extraction
    ("extract", "po4a"): 10.0,
    ("compile", "mdpo"): 1.0,  # ahead of its Markdown-only po2md
    ("compile", "po4a"): 10.0,
    ("update", "msgmerge"): 5.0,
}
TITLES = {
    "extract": "extract + update from nothing",
    "compile": "compile from nothing (Markdown, HTML, .mo)",
    "update": "update after the edit pass",
    "rerun-first": "first rerun after the writes (hashes them: their mtimes are too recent)",
    "rerun": "no-change rerun, every verb",
}


def report(jobs: dict[str, Job]) -> list[str]:
    """Print the pipeline table; return the targets missed."""
    print(
        "| job | paragraf ms/article | peak RSS | target | peer | peer ms/article | peer RSS | paragraf is |"
    )
    print("|---|---:|---:|---|---|---:|---:|---:|")
    missed = []
    for key, job in jobs.items():
        ours = statistics.median(ms(r, job.articles) for r in job.ours)
        rss = max(r.rss_mb for r in job.ours)
        target = TARGETS[key]
        verdict = "" if target is None else f"≤ {target}: {mark(ours, target)}"
        if target is not None and ours > target:
            missed.append(TITLES[key])
        first = True
        peers = {k: v for k, v in job.peers.items() if not k.startswith("paragraf")}
        basis = {  # a peer that does part of the job is set beside that part of paragraf's
            "po4a": job.peers.get("paragraf (po4a's sample)"),
            "msgmerge": job.peers.get("paragraf (update only)"),
        }
        if not peers:
            print(f"| {TITLES[key]} | {ours:.2f} | {rss:.0f} MB | {verdict} | — | | | |")
        for name, (command, n, runs) in peers.items():
            theirs = statistics.median(ms(r, n) for r in runs)
            mine = [ms(r, job.articles) for r in job.ours]
            own = basis.get(name)
            if own is not None:
                mine = [ms(r, own[1]) for r in own[2]]
                what = "on the same articles" if name == "po4a" else "its update alone"
                command += f"`; paragraf {what}: {statistics.median(mine):.2f}"
            else:
                command += "`"
            ratios = [ms(p, n) / m for p, m in zip(runs, mine, strict=False) if m]
            ratio = statistics.median(ratios) if ratios else float("nan")
            head = (
                f"| {TITLES[key]} | {ours:.2f} | {rss:.0f} MB | {verdict} " if first else "| | | | "
            )
            faster = f"{ratio:.1f}× faster" if ratio >= 1 else f"{1 / ratio:.1f}× slower"
            wanted = RATIO_TARGETS.get((key, name))
            if wanted is not None:
                goal = f"≥ {wanted:.0f}× faster" if wanted >= 1 else f"≤ {1 / wanted:.1f}× slower"
                met = ratio >= wanted
                faster += f" (target {goal}: {'met' if met else '**missed**'})"
                if not met:
                    missed.append(f"{TITLES[key]} against {name}")
            print(
                f"{head}| {name}: `{command} | {theirs:.2f} | {max(r.rss_mb for r in runs):.0f} MB | {faster} |"
            )
            first = False
    return missed


def memory_at_scale(work: Path, articles: int) -> list[str]:
    """The pipeline on ``articles`` articles, once: each verb's peak memory against 300 MB."""
    import corpus

    folder = work / "corpus"
    corpus.write(folder, articles, repeat=0.10)
    project(work / "project", sorted((folder / "src").glob("*.md")))
    steps = [("extract", None), ("update", None), ("compile", approve_everything)]
    print(
        f"Memory at scale: {articles:,} articles (bench/corpus.py), each verb once from nothing\n"
    )
    print(
        "| verb | s | ms/article | largest process | the whole tree (PSS, workers included) | target ≤ 300 MB |"
    )
    print("|---|---:|---:|---:|---:|---|")
    peak = 0.0
    for verb, before in steps:
        if before is not None:
            before(work / "project")
        result = run(PARAGRAF + [verb], work / "project", tree=True)
        peak = max(peak, result.rss_mb, result.tree_mb)
        print(
            f"| {verb} | {result.seconds:.1f} | {1000 * result.seconds / articles:.2f}"
            f" | {result.rss_mb:.0f} MB | {result.tree_mb:.0f} MB"
            f" | {mark(max(result.rss_mb, result.tree_mb), 300)} |"
        )
    return ["pipeline memory at scale"] if peak > 300 else []


# --- main ------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--corpus", type=Path)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--po4a-sample", type=int, default=50)
    parser.add_argument("--scale-articles", type=int, default=5000)
    parser.add_argument("--tm-pairs", type=int, default=1_000_000)
    parser.add_argument("--tm-queries", type=int, default=100)
    parser.add_argument(
        "--skip", default="", help="comma-separated: peers, scale, startup, load, tm, ui, search"
    )
    args = parser.parse_args()
    skip = set(filter(None, args.skip.split(",")))
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="paragraf-bench-") as tmp_name:
        tmp = Path(tmp_name)
        corpus = corpus_dir(args, tmp)
        sources = sorted((corpus / "src").glob("*.md"))[: args.articles]
        v2 = corpus / "src-v2"
        n = len(sources)
        jobs = {key: Job(key, n) for key in TITLES}
        print(
            f"corpus: {corpus if args.corpus else 'bench/corpus.py (seeded)'}; {n} articles;"
            f" {args.rounds} rounds; {os.cpu_count()} cores",
            flush=True,
        )
        for round_number in range(args.rounds):
            order: list[Callable[[], None]] = [
                lambda: paragraf_round(tmp / "paragraf", sources, v2, jobs)
            ]
            if "peers" not in skip:
                order += [
                    lambda: translate_toolkit_round(tmp / "tt", sources, v2, jobs),
                    lambda: mdpo_round(tmp / "mdpo", sources, jobs),
                    lambda: po4a_round(tmp / "po4a", sources[: args.po4a_sample], jobs),
                    lambda: paragraf_sample(tmp / "sample", sources[: args.po4a_sample], jobs),
                ]
            if round_number % 2:
                order.reverse()  # alternate who goes first
            for step in order:
                step()
            if "peers" not in skip:
                gettext_round(tmp / "gettext", tmp / "paragraf", jobs, n)
            print(f"round {round_number + 1} done", flush=True)
        print()
        missed = report(jobs)
        if "scale" not in skip:
            print()
            missed += memory_at_scale(tmp / "scale", args.scale_articles)
        if "startup" not in skip:
            import startup

            print()
            missed += [f"start-up of {c}" for c in startup.report(tmp / "startup")]
        if "load" not in skip:
            import catalog_load

            print()
            missed += catalog_load.report(tmp / "paragraf" / "translations")
        if "tm" not in skip:
            import tm_scale

            print()
            missed += tm_scale.report(tmp / "tm", args.tm_pairs, args.tm_queries, args.corpus)
        if "ui" not in skip:
            import ui_live

            print()
            missed += ui_live.report(tmp / "ui")
        if "search" not in skip:
            import search_bench

            print()
            if search_bench.report(tmp / "search", args.articles, 200, sources[0].parent):
                missed.append("search p95")
    print(f"\nTargets missed: {', '.join(missed) if missed else 'none'}")
    print(f"(make bench took {(time.perf_counter() - started) / 60:.0f} min)")


if __name__ == "__main__":
    main()
