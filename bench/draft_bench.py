"""Benchmark drafting against the DeepL-compatible test server: requests, characters billed and saved, wall time.

    .venv/bin/python bench/draft_bench.py                     # the benchmarks' own corpus (10% repeats)
    .venv/bin/python bench/draft_bench.py --corpus /tmp/corpus   # or the shared corpus of the peer figures

Takes the corpus's articles in order until their Turkish catalogs hold at least
``--segments`` empty entries, and runs ``paragraf draft --lang tr`` through the real
``deepl`` client against ``tests/deepl_server.py`` on 127.0.0.1, twice:

1. a first pass over the new catalogs;
2. a second pass after a reviewer rejected every draft (each entry emptied again).

For each it prints the requests sent, the characters billed, the characters the cache
saved, and the wall time. Last, one new 20-paragraph article is drafted into Turkish and
Russian with every answer delayed by ``--latency`` (a DeepL round trip), for its wall time. Run it in an older checkout of paragraf to compare with the
previous behaviour (figures it does not count print as 0).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from app.config import load_config  # noqa: E402
from app.draft import draft_all  # noqa: E402
from app.extract import extract_all  # noqa: E402
from app.mt.deepl import DeepLEngine  # noqa: E402
from app.po import catalog  # noqa: E402
from app.update import update_all  # noqa: E402
from tests.deepl_server import AUTH_KEY, FakeDeepL  # noqa: E402

PYPROJECT = (
    '[project]\nname = "bench"\nversion = "0"\n\n[tool.paragraf]\nlanguages = ["en", "tr", "ru"]\n'
)


def setup(corpus: Path, work: Path, segments: int) -> tuple[int, int]:
    """Copy articles until ``segments`` Turkish entries; return (articles, entries)."""
    (work / "content").mkdir(parents=True)
    (work / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    sources = sorted((corpus / "src").glob("*.md"))
    config = load_config(work)
    copied = 0
    for path in sources:
        shutil.copy(path, work / "content" / path.name)
        copied += 1
        if copied % 10 == 0 or copied == len(sources):
            assert not extract_all(config).errors
            pots = list((work / "translations" / "templates").glob("*.pot"))
            total = sum(len(catalog.load(p)) for p in pots)
            if total >= segments:
                break
    assert not extract_all(config).errors
    assert not update_all(config).errors
    entries = sum(len(catalog.load(p)) for p in (work / "translations" / "tr").rglob("*.po"))
    return copied, entries


def reject_all(work: Path) -> None:
    """Empty every Turkish entry, as a reviewer rejecting each draft would."""
    for path in (work / "translations" / "tr").rglob("*.po"):
        po = catalog.load(path)
        for entry in po:
            entry.msgstr, entry.flags, entry.tcomment = "", [], ""
        catalog.save(po, path)


def run(config, server: FakeDeepL) -> dict[str, float]:
    engine = DeepLEngine.from_env(config)
    before = len(server.translate_requests())
    billed_before = server.character_count
    start = time.perf_counter()
    with engine:
        report = draft_all(config, langs=["tr"], engine=engine)
    seconds = time.perf_counter() - start
    assert not report.errors, report.errors
    tally = report.tallies["tr"]
    return {
        "requests": len(server.translate_requests()) - before,
        "billed": server.character_count - billed_before,
        "saved": getattr(tally, "saved", 0),
        "drafted": tally.machine,
        "seconds": seconds,
    }


def one_article(latency: float) -> tuple[int, float]:
    """A 20-paragraph article drafted into Turkish and Russian, each request answered after ``latency``."""
    import corpus as own

    with tempfile.TemporaryDirectory(prefix="paragraf-draft-one-") as tmp:
        work = Path(tmp)
        (work / "content").mkdir()
        (work / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
        rng = own.random.Random(7)
        paragraphs = [own.paragraph(rng, []) for _ in range(20)]
        text = "---\ntitle: One article\nlang: en\n---\n\n" + "\n\n".join(paragraphs) + "\n"
        (work / "content" / "one.md").write_text(text, encoding="utf-8")
        config = load_config(work)
        assert not extract_all(config).errors and not update_all(config).errors
        server = FakeDeepL().start()
        try:
            server.stall_next(latency, times=10_000)
            os.environ["DEEPL_AUTH_KEY"], os.environ["DEEPL_SERVER_URL"] = AUTH_KEY, server.url
            engine = DeepLEngine.from_env(config)
            start = time.perf_counter()
            with engine:
                report = draft_all(config, engine=engine)
            seconds = time.perf_counter() - start
            assert not report.errors, report.errors
            return len(server.translate_requests()), seconds
        finally:
            server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, help="a corpus folder (default: bench/corpus.py's)")
    parser.add_argument("--segments", type=int, default=2000)
    parser.add_argument(
        "--latency", type=float, default=0.2, help="seconds per answer for the one-article run"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="paragraf-draft-bench-") as tmp:
        corpus = args.corpus
        if corpus is None:
            import corpus as own

            corpus = Path(tmp) / "corpus"
            own.write(corpus, articles=400, repeat=0.10)
        work = Path(tmp) / "work"
        articles, entries = setup(corpus, work, args.segments)
        config = load_config(work)
        server = FakeDeepL(character_limit=100_000_000).start()
        try:
            os.environ["DEEPL_AUTH_KEY"] = AUTH_KEY
            os.environ["DEEPL_SERVER_URL"] = server.url
            first = run(config, server)
            reject_all(work)
            second = run(config, server)
        finally:
            server.stop()
    print(
        f"corpus: {args.corpus or 'bench/corpus.py, 10% repeated paragraphs'}; {articles} articles, {entries} Turkish entries"
    )
    for name, figures in (("first pass", first), ("after rejecting every draft", second)):
        print(
            f"{name}: {figures['drafted']} drafted, {figures['requests']} requests,"
            f" {figures['billed']} characters billed, {figures['saved']} saved by the cache,"
            f" {figures['seconds']:.2f} s"
        )
    requests, seconds = one_article(args.latency)
    print(
        f"one 20-paragraph article into tr and ru, {args.latency * 1000:.0f} ms per answer:"
        f" {requests} requests, {seconds:.2f} s"
    )


if __name__ == "__main__":
    main()
