"""Concordance search at 1,000 articles: the FTS5 index beside a scan of every parsed catalog.

    .venv/bin/python bench/search_bench.py [--articles 1000] [--queries 200] [--corpus DIR]

A project of ``--articles`` articles (``bench/corpus.py``, or ``--corpus DIR`` with a
``src/``), extracted and updated, every Turkish entry translated (a third approved).
Timed in this process: the first search (it builds the index from every catalog); two
seconds later the next one (every catalog was written less than two seconds before it
was indexed, so each is hashed again: the racy rule); then ``--queries`` searches (words
of the corpus, one to three per query, some with a language or state filter) through
:func:`app.search.search` for the 50 best, the path ``paragraf search`` and the search
page take, the index's freshness check included; then nine searches, each after a
catalog was saved (a re-read of that catalog). The peer, in the same process
on the same queries: a scan of every catalog already parsed in memory, folded the same
way, which is what a search without an index does at best. Reported: p50/p95 per
query, the ratio to the peer, and whether both found the same segments (every match,
untimed).
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import corpus  # noqa: E402
from harness import PYPROJECT, mark, percentile  # noqa: E402

TARGET_P95_MS = 50.0


def make_project(root: Path, articles: int, source: Path | None) -> None:
    import shutil

    from app.config import load_config
    from app.extract import extract_all
    from app.po import catalog
    from app.po.store import Store
    from app.update import update_all

    (root / "content").mkdir(parents=True)
    (root / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    src = source if source is not None else corpus.write(root / "corpus", articles, 0.10)
    for path in sorted(src.glob("*.md"))[:articles]:
        shutil.copy(path, root / "content" / path.name)
    config = load_config(root)
    extract_all(config)
    update_all(config)
    store = Store(config)
    for ref in store.catalogs(["tr"]):
        po = store.read(ref)
        for n, entry in enumerate(po):
            entry.msgstr = "TR " + entry.msgid.translate(corpus.TR)
            entry.flags = [] if n % 3 == 0 else ["fuzzy"]
        catalog.save(po, ref.path)


def queries(root: Path, count: int, seed: int = 7) -> list[tuple[str, str | None, str | None]]:
    """(text, lang, state) triples drawn from the corpus' own words."""
    rng = random.Random(seed)
    words = sorted(
        {
            w
            for path in (root / "content").glob("*.md")
            for w in re.findall(r"[A-Za-z]{5,}", path.read_text())
        }
    )
    found = []
    for n in range(count):
        text = " ".join(rng.sample(words, rng.choice((1, 1, 2, 3))))
        lang = "tr" if n % 4 == 1 else None
        state = "approved" if n % 4 == 2 else None
        found.append((text, lang, state))
    return found


def scan(parsed, text: str, lang: str | None, state: str | None) -> set[tuple[str, str]]:
    """The peer: every entry of every parsed catalog, folded, each word at a word start."""
    from app.po import catalog
    from app.search import Query, fold

    words = Query.parse(text).words
    patterns = [re.compile(rf"(?<![^\W_]){re.escape(w)}") for w in words]
    hits = set()
    for ref, po in parsed:
        if lang is not None and ref.lang != lang:
            continue
        for entry in po:
            if entry.obsolete or not entry.msgid:
                continue
            if state is not None and catalog.state(entry) != state:
                continue
            for field in (fold(entry.msgid), fold(entry.msgstr)):
                if all(p.search(field) for p in patterns):
                    hits.add((ref.slug, entry.msgid))
                    break
    return hits


def report(tmp: Path, articles: int, count: int, source: Path | None) -> int:
    from app import db
    from app.config import load_config
    from app.po.store import Store
    from app.search import RACY_NS, search

    root = tmp / "project"
    make_project(root, articles, source)
    config = load_config(root)
    store = Store(config)
    db.init_schema(db.db_path(config.instance_dir))
    conn = db.connect(db.db_path(config.instance_dir))
    started = time.perf_counter()
    search(conn, store, "council")
    first = time.perf_counter() - started
    time.sleep(RACY_NS / 1e9)
    started = time.perf_counter()
    search(conn, store, "council")  # the catalogs written just before the build: hashed
    settle = time.perf_counter() - started
    parsed = [(ref, store.read(ref)) for ref in store.catalogs()]
    asked = queries(root, count)
    ours, peer, same = [], [], 0
    for text, lang, state in asked:
        langs = [lang] if lang else None
        t0 = time.perf_counter()
        search(conn, store, text, langs=langs, state=state)  # the page's 50 best
        t1 = time.perf_counter()
        expected = scan(parsed, text, lang, state)
        t2 = time.perf_counter()
        ours.append((t1 - t0) * 1000)
        peer.append((t2 - t1) * 1000)
        _, every = search(conn, store, text, langs=langs, state=state, limit=100_000)
        same += {(h.slug, h.source) for h in every if h.slug} == expected
    from app.po import catalog

    after_save = []
    for ref in list(store.catalogs(["tr"]))[:9]:  # nine saves, each followed by a search
        po = store.read(ref)
        po[0].msgstr += " güncellendi"
        catalog.save(po, ref.path)
        t0 = time.perf_counter()
        search(conn, store, "güncellendi")
        after_save.append((time.perf_counter() - t0) * 1000)
    conn.close()
    p95 = percentile(ours, 95)
    ratio = statistics.median(p / o for p, o in zip(peer, ours, strict=True))
    print(f"\nConcordance search: {articles} articles, {len(parsed)} catalogs, {count} queries\n")
    print("| step | p50 ms | p95 ms | target | |")
    print("|---|---:|---:|---|---|")
    print(f"| first search (builds the index) | {first * 1000:.0f} | | | |")
    print(
        f"| next search, 2 s later (hashes the catalogs written just before) | {settle * 1000:.0f} | | | |"
    )
    print(
        f"| search (freshness check included) | {statistics.median(ours):.1f} | {p95:.1f}"
        f" | p95 ≤ {TARGET_P95_MS:.0f} ms | {mark(p95, TARGET_P95_MS)} |"
    )
    print(
        f"| search after a catalog was saved (9 saves) | {statistics.median(after_save):.1f}"
        f" | max {max(after_save):.1f} | | |"
    )
    print(
        f"| peer: scan of every parsed catalog | {statistics.median(peer):.1f}"
        f" | {percentile(peer, 95):.1f} | | {ratio:.0f}× slower (median of per-query ratios) |"
    )
    print(f"| same segments found as the scan | {same}/{count} | | | |")
    return int(p95 > TARGET_P95_MS)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--corpus", type=Path, help="a corpus folder with src/")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="paragraf-search-") as tmp:
        source = args.corpus / "src" if args.corpus else None
        report(Path(tmp), args.articles, args.queries, source)


if __name__ == "__main__":
    main()
