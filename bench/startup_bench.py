"""Start-up time of paragraf's commands, as a ratio to a bare Python that imports yaml and polib.

    .venv/bin/python bench/startup_bench.py [--rounds 15] [--command status] [--command --help]

Each command runs in a fresh process on a one-article project made in a temporary
folder; rounds alternate the command and the peer (``python -c "import yaml, polib"``),
so the ratio is taken round by round on the same machine state. Prints the median wall
time of each and the median of the per-round ratios.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PYPROJECT = (
    '[project]\nname = "b"\nversion = "0"\n\n[tool.paragraf]\nlanguages = ["en", "tr", "ru"]\n'
)
ARTICLE = "---\ntitle: Start-up\nlang: en\n---\n\nOne paragraph.\n"
PEER = [sys.executable, "-c", "import yaml, polib"]


def wall(argv: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(argv, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument(
        "--command", action="append", help="paragraf arguments (repeatable); default: status"
    )
    args = parser.parse_args()
    commands = [c.split() for c in (args.command or ["status"])]
    paragraf = str(Path(sys.executable).with_name("paragraf"))
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "pyproject.toml").write_text(PYPROJECT)
        (root / "content").mkdir()
        (root / "content" / "a.md").write_text(ARTICLE)
        for step in ("extract", "update"):
            subprocess.run([paragraf, step], cwd=root, check=True, capture_output=True)
        print(f"{'command':<28} {'median ms':>10} {'peer ms':>9} {'ratio':>7}")
        for command in commands:
            argv = [paragraf, *command]
            wall(argv, root), wall(PEER, root)  # warm the page cache
            ours, peer, ratios = [], [], []
            for _ in range(args.rounds):
                a, b = wall(argv, root), wall(PEER, root)
                ours.append(a)
                peer.append(b)
                ratios.append(a / b)
            name = "paragraf " + " ".join(command)
            print(
                f"{name:<28} {1000 * statistics.median(ours):>10.0f}"
                f" {1000 * statistics.median(peer):>9.0f} {statistics.median(ratios):>6.1f}×"
            )


if __name__ == "__main__":
    main()
