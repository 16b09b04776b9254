"""Start-up of every paragraf command on a one-article project (part of ``make bench``).

    .venv/bin/python bench/startup.py

Each command runs 7 times in a fresh process; printed: the median wall time, beside a bare
``python -c "import yaml, polib"``, against the target of 150 ms.
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
PARAGRAF = [
    PY,
    "-c",
    "import sys; sys.path.insert(0, sys.argv.pop(1)); from app.cli import main; main()",
    str(ROOT),
]
PYPROJECT = (
    '[project]\nname = "b"\nversion = "0"\n\n[tool.paragraf]\nlanguages = ["en", "tr", "ru"]\n'
)
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


def report(work: Path, rounds: int = 7) -> None:
    if work.exists():
        shutil.rmtree(work)
    (work / "content").mkdir(parents=True)
    (work / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    (work / "content" / "start-up.md").write_text(ARTICLE, encoding="utf-8")
    for verb in ("extract", "update", "compile"):
        subprocess.run(PARAGRAF + [verb], cwd=work, capture_output=True, check=True)
    peer = statistics.median(wall([PY, "-c", "import yaml, polib"], work) for _ in range(rounds))
    print("| command | start-up ms (median) | target |")
    print("|---|---:|---:|")
    print(f'| python -c "import yaml, polib" (peer) | {1000 * peer:.0f} | |')
    for command in COMMANDS:
        ms = 1000 * statistics.median(wall(PARAGRAF + command, work) for _ in range(rounds))
        mark = "" if ms <= 150 else " (missed)"
        print(f"| paragraf {' '.join(command)} | {ms:.0f}{mark} | ≤ 150 |")


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as tmp:
        report(Path(tmp) / "startup")
