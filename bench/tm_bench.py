"""Translation-memory benchmark: load a corpus's TM into SQLite, fuzzy search against brute force.

    python3 /work/shared/bench/make_corpus.py --articles 1000 --tm-pairs 200000 --out /tmp/corpus
    python bench/tm_bench.py --corpus /tmp/corpus

``tm.tsv`` (``source<TAB>target<TAB>lang``, English sources) is loaded into a fresh SQLite file
as ``en→lang`` pairs (``--one-pair``: all of them as ``en→tr``, so one index holds every pair).
Each query of ``tm-queries.txt`` is searched in every language pair, through
:meth:`TranslationMemory.search` and through ``rapidfuzz.process.extractOne`` over all the sources
of that pair, in this process. Printed: load and index-build times, p50/p95 per lookup for both,
the speed ratio, agreement on the best match where brute force scores ≥ 75, and peak RSS.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from rapidfuzz import fuzz, process

ROOT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT_DIR))  # this tree's app, not an installed copy

from app.tm import Pair  # noqa: E402
from app.tm.store import TranslationMemory  # noqa: E402


@dataclass
class Run:
    """Timings (seconds) and agreement counts of one benchmark run."""

    fast: list[float] = field(default_factory=list)
    slow: list[float] = field(default_factory=list)
    high: int = 0
    agree: int = 0
    misses: list[str] = field(default_factory=list)


def read_pairs(tsv: Path, one_pair: bool, sources: dict[str, list[str]]) -> Iterator[Pair]:
    """The pairs of ``tm.tsv``; each source is also appended to ``sources[lang]``."""
    with open(tsv, encoding="utf-8") as f:
        next(f)  # header
        for line in f:
            source, target, lang = line.rstrip("\n").split("\t")
            lang = "tr" if one_pair else lang
            sources.setdefault(lang, []).append(source)
            yield Pair("en", lang, source, target, "bench")


def percentile(values: list[float], q: float) -> float:
    """The ``q``-th percentile (0–100) of ``values``, nearest rank."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


def peak_rss_mb() -> float:
    """The peak resident set size of this process in MB."""
    kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return kb / 1024 if sys.platform != "darwin" else kb / 1024 / 1024


def compare(tm: TranslationMemory, queries: list[str], sources: dict[str, list[str]]) -> Run:
    """Search every query in every language pair, indexed and by brute force."""
    run = Run()
    for query in queries:
        for lang, choices in sorted(sources.items()):
            t0 = time.perf_counter()
            found = tm.search(query, "en", lang)
            run.fast.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            best = process.extractOne(query, choices, scorer=fuzz.ratio)
            run.slow.append(time.perf_counter() - t0)
            if best is None or best[1] < 75:
                continue
            run.high += 1
            if found and (found[0].source == best[0] or found[0].score == best[1]):
                run.agree += 1
            else:
                got = f"{found[0].score:.1f}" if found else "nothing"
                run.misses.append(f"  en→{lang}: brute force {best[1]:.1f}, index {got}")
    return run


def report(run: Run, queries: int, pairs: int) -> None:
    """Print the lookup figures of ``run``."""
    p50f, p95f = percentile(run.fast, 50) * 1e3, percentile(run.fast, 95) * 1e3
    p50s, p95s = percentile(run.slow, 50) * 1e3, percentile(run.slow, 95) * 1e3
    mean_f, mean_s = statistics.mean(run.fast) * 1e3, statistics.mean(run.slow) * 1e3
    print(f"lookups: {queries} queries × {pairs} language pairs = {len(run.fast)}")
    print(f"search:      p50 {p50f:8.2f} ms   p95 {p95f:8.2f} ms   mean {mean_f:8.2f} ms")
    print(f"brute force: p50 {p50s:8.2f} ms   p95 {p95s:8.2f} ms   mean {mean_s:8.2f} ms")
    print(f"speed ratio: {p50s / p50f:.0f}× at p50, {sum(run.slow) / sum(run.fast):.0f}× in total")
    share = f"{100 * run.agree / run.high:.1f}%" if run.high else "n/a"
    print(f"agreement on the best match (brute force ≥ 75): {run.agree}/{run.high} = {share}")
    for miss in run.misses:
        print(miss)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its figures."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, required=True, help="folder with tm.tsv, tm-queries.txt")
    ap.add_argument("--queries", type=int, default=None, help="use only the first N queries")
    ap.add_argument("--one-pair", action="store_true", help="load every pair as en→tr")
    args = ap.parse_args(argv)

    queries = (args.corpus / "tm-queries.txt").read_text(encoding="utf-8").splitlines()
    queries = [q for q in queries if q.strip()][: args.queries]
    sources: dict[str, list[str]] = {}
    with tempfile.TemporaryDirectory() as tmp, TranslationMemory(Path(tmp) / "tm.sqlite3") as tm:
        t0 = time.perf_counter()
        loaded = tm.add_pairs(read_pairs(args.corpus / "tm.tsv", args.one_pair, sources))
        load_s = time.perf_counter() - t0
        print(f"load: {loaded:,} pairs into SQLite in {load_s:.1f} s")
        build_s = 0.0
        for lang in sorted(sources):
            t0 = time.perf_counter()
            tm.warm("en", lang)
            spent = time.perf_counter() - t0
            build_s += spent
            print(f"index en→{lang}: {len(sources[lang]):,} pairs in {spent:.1f} s")
        run = compare(tm, queries, sources)
    report(run, len(queries), len(sources))
    print(f"load {load_s:.1f} s, index build {build_s:.1f} s, peak RSS {peak_rss_mb():.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
