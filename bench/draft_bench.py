"""Benchmark drafting against the DeepL-compatible test server.

    python3 ../shared/bench/make_corpus.py --articles 1000 --out /tmp/corpus
    python3 bench/draft_bench.py --corpus /tmp/corpus [--segments 2000]

Takes the corpus's articles in order until their Turkish catalogs hold at least
``--segments`` empty entries, runs ``paragraf draft --lang tr`` through the real
``deepl`` client against ``tests/deepl_server.py`` on 127.0.0.1, and prints the
requests sent against the number of 50-text batches needed (batches never mix
articles, since DeepL's context is the article's; identical texts are sent once),
the wall time, the characters billed, and the same for an immediate rerun, which
must send nothing and bill 0 characters.
"""

from __future__ import annotations

import argparse
import math
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import polib

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.config import load_config  # noqa: E402
from app.draft import draft_all  # noqa: E402
from app.extract import extract_all  # noqa: E402
from app.mt.deepl import DeepLEngine  # noqa: E402
from app.po.store import Store  # noqa: E402
from app.update import update_all  # noqa: E402
from tests.deepl_server import AUTH_KEY, FakeDeepL  # noqa: E402

PYPROJECT = (
    '[project]\nname = "bench"\nversion = "0"\n\n[tool.paragraf]\nlanguages = ["en", "tr", "ru"]\n'
)


def setup(corpus: Path, work: Path, segments: int) -> tuple[int, int]:
    """Copy articles until ``segments`` entries; return (segments, batches needed)."""
    (work / "content").mkdir(parents=True)
    (work / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    config = load_config(work)
    total = batches = 0
    seen: set[str] = set()
    for path in sorted((corpus / "src").glob("*.md")):
        shutil.copy(path, work / "content" / path.name)
        report = extract_all(config)
        assert not report.errors, report.errors
        pot = polib.pofile(str(Store(config).template_path(_slug(work, path))))
        fresh = [e.msgid for e in pot if e.msgid not in seen]
        seen.update(fresh)
        total += len(pot)
        batches += math.ceil(len(fresh) / 50)
        if total >= segments:
            break
    assert not update_all(config).errors
    return total, batches


def _slug(work: Path, path: Path) -> str:
    from app.markdown.blocks import read_article

    return read_article(work / "content" / path.name).slug


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--corpus", type=Path, required=True, help="folder written by make_corpus.py"
    )
    parser.add_argument("--segments", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="paragraf-draft-bench-") as tmp:
        work = Path(tmp)
        segments, needed = setup(args.corpus, work, args.segments)
        config = load_config(work)
        server = FakeDeepL().start()
        try:
            os.environ["DEEPL_AUTH_KEY"] = AUTH_KEY
            os.environ["DEEPL_SERVER_URL"] = server.url
            runs = []
            for _ in range(2):
                engine = DeepLEngine.from_env(config)
                before = len(server.translate_requests())
                start = time.perf_counter()
                with engine:
                    report = draft_all(config, langs=["tr"], engine=engine)
                seconds = time.perf_counter() - start
                assert not report.errors, report.errors
                tally = report.tallies.get("tr")
                runs.append(
                    (
                        len(server.translate_requests()) - before,
                        seconds,
                        tally.billed if tally else 0,
                    )
                )
        finally:
            server.stop()
    (requests, seconds, billed), (re_requests, re_seconds, re_billed) = runs
    print(f"corpus: {args.corpus}; {segments} Turkish segments to draft")
    print(
        f"first run: {requests} requests (50-text batches needed: {needed}), {seconds:.2f}s, {billed} characters billed"
    )
    print(f"rerun:     {re_requests} requests, {re_seconds:.2f}s, {re_billed} characters billed")


if __name__ == "__main__":
    main()
