"""Start-up of every paragraf command on a one-article project (part of ``make bench``).

    .venv/bin/python bench/startup.py [--rounds 9]

Each command runs ``--rounds`` times in a fresh process, each time right after the peer,
a bare ``python -c "import yaml, polib"`` (what any PO tool in Python starts with): printed
are the medians of both and the median of the per-round ratios, against the target of
150 ms.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import PARAGRAF, PY, PYPROJECT, mark  # noqa: E402

PEER = [PY, "-c", "import yaml, polib"]
TARGET_MS = 150
ARTICLE = "---\ntitle: Start-up\nlang: en\n---\n\nOne paragraph, with 36.2% of it.[i]\n\n[i] A source, https://example.org/x\n"
COMMANDS = [
    ["--help"],
    ["extract"],
    ["update"],
    ["draft", "--dry-run"],
    ["compile"],
    ["check"],
    ["check", "--consistency"],
    ["status"],
    ["ledger", "start-up"],
    ["tm", "search", "One paragraph", "--from", "en", "--to", "tr"],
    ["user", "list"],
    ["import", "--help"],
    ["align", "--help"],
    ["rename", "--help"],
    ["serve", "--help"],
]


def wall(argv: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def report(work: Path, rounds: int = 9) -> list[str]:
    """Print the table; return the commands that missed the target."""
    (work / "content").mkdir(parents=True, exist_ok=True)
    (work / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    (work / "content" / "start-up.md").write_text(ARTICLE, encoding="utf-8")
    for verb in ("extract", "update", "compile"):
        subprocess.run(PARAGRAF + [verb], cwd=work, capture_output=True, check=True)
    print(f'Start-up, one-article project, {rounds} rounds; peer: `python -c "{PEER[2]}"`\n')
    print("| command | ms (median) | peer ms | ratio to the peer | target ≤ 150 ms |")
    print("|---|---:|---:|---:|---|")
    missed = []
    for command in COMMANDS:
        argv = PARAGRAF + command
        wall(argv, work)  # the page cache warm for both
        ours, peer, ratios = [], [], []
        for _ in range(rounds):
            a, b = wall(argv, work), wall(PEER, work)
            ours.append(1000 * a)
            peer.append(1000 * b)
            ratios.append(a / b)
        median = statistics.median(ours)
        if median > TARGET_MS:
            missed.append(" ".join(command))
        print(
            f"| paragraf {' '.join(command)} | {median:.0f} | {statistics.median(peer):.0f}"
            f" | {statistics.median(ratios):.1f}× | {mark(median, TARGET_MS)} |"
        )
    return missed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=9)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        report(Path(tmp), args.rounds)


if __name__ == "__main__":
    main()
