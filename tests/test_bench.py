"""The benchmarks run from a clone: each one, on a small corpus, prints its table.

Their figures are not asserted (speed is measured by ``make bench``, not by tests); what
is asserted is that every benchmark still runs against the current code and reports
every row, so that ``make bench`` does not rot between runs.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def bench(script: str, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / script), *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def test_the_pipeline_benchmark_prints_every_job() -> None:
    out = bench("run.py", "--articles", "30", "--rounds", "1",
                "--skip", "peers,scale,startup,tm,ui,search")  # fmt: skip
    for title in (
        "extract + update from nothing",
        "compile from nothing (Markdown, HTML, .mo)",
        "first rerun after the writes",
        "no-change rerun, every verb",
        "update after the edit pass",
        "paragraf catalog.parse_bytes",
        "babel read_po(abort_invalid=True)",
    ):
        assert f"| {title}" in out
    assert "Targets missed:" in out


def test_the_memory_benchmark_compares_with_brute_force() -> None:
    out = bench("tm_scale.py", "--pairs", "3000", "--queries", "4")
    assert "Translation memory: 3,000 pairs" in out
    for row in ("import into SQLite", "one-off `tm search`", "lookup in one process",
                "brute force", "same best as brute force"):  # fmt: skip
        assert row in out


def test_the_ui_benchmark_talks_to_a_live_server() -> None:
    out = bench("ui_live.py", "--segments", "30", "--requests", "5", "--tm-pairs", "2000")
    for row in ("first suggestion after the start", "review page", "| save |",
                "live check", "suggestions", "saving for 5 s", "server peak RSS"):  # fmt: skip
        assert row in out
    saved = re.search(r"\| (\d+) saved, (\d+) conflicts", out)
    assert saved is not None and int(saved.group(1)) > 0


def test_the_start_up_benchmark_runs_every_command() -> None:
    out = bench("startup.py", "--rounds", "1")
    assert out.count("| paragraf ") == 15


def test_the_search_benchmark_compares_with_a_scan() -> None:
    out = bench("search_bench.py", "--articles", "20", "--queries", "10")
    for row in ("first search (builds the index)", "next search, 2 s later",
                "search (freshness check included)",
                "search after a catalog was saved", "peer: scan of every parsed catalog"):  # fmt: skip
        assert row in out
    assert "| same segments found as the scan | 10/10 |" in out
