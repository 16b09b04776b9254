"""What the benchmarks share: running a command for its wall time and peak memory, percentiles."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
#: this tree's command line, not an installed copy
PARAGRAF = [
    PY,
    "-c",
    "import sys; sys.path.insert(0, sys.argv.pop(1)); from app.cli import main; main()",
    str(ROOT),
]
PYPROJECT = (
    '[project]\nname = "bench"\nversion = "0"\n\n[tool.paragraf]\nlanguages = ["en", "tr", "ru"]\n'
)
TIME = shutil.which("time") or "/usr/bin/time"


@dataclass
class Run:
    seconds: float
    rss_mb: float  # the largest process's peak (GNU time's %M)
    output: str = ""
    tree_mb: float = 0.0  # with tree=True: the peak of the process tree's summed PSS


class TreeMemory:
    """Samples the proportional set size (PSS: shared pages split between their sharers)
    of a process and all its descendants, summed, every 20 ms; keeps the peak."""

    def __init__(self, pid: int) -> None:
        import threading

        self.pid, self.peak = pid, 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.thread.start()

    def _sample(self) -> None:
        import psutil

        while not self.stop.wait(0.02):
            try:
                root = psutil.Process(self.pid)
                procs = [root, *root.children(recursive=True)]
            except psutil.Error:
                continue
            total = 0
            for proc in procs:
                try:
                    total += proc.memory_full_info().pss
                except psutil.Error:
                    pass
            self.peak = max(self.peak, total)

    def done(self) -> float:
        self.stop.set()
        self.thread.join()
        return self.peak / 2**20


def run(argv: list[str], cwd: Path, ok: tuple[int, ...] = (0,), *, tree: bool = False) -> Run:
    """Run one process; its wall time, peak resident memory and output (stdout then stderr).

    The memory is GNU time's ``%M``: a child's own ``ru_maxrss`` would count the pages of
    this (large) process it was forked from, before it exec'd. ``tree``: also sample the
    summed memory of the process and its workers (:class:`TreeMemory`).
    """
    with (
        tempfile.TemporaryFile() as out,
        tempfile.TemporaryFile() as err,
        tempfile.NamedTemporaryFile("r") as rss,
    ):
        start = time.perf_counter()
        proc = subprocess.Popen(
            [TIME, "-f", "%M", "-o", rss.name, *argv], cwd=cwd, stdout=out, stderr=err
        )
        sampler = TreeMemory(proc.pid) if tree else None
        proc.wait()
        tree_mb = sampler.done() if sampler else 0.0
        seconds = time.perf_counter() - start
        out.seek(0)
        err.seek(0)
        text = out.read().decode("utf-8", "replace") + err.read().decode("utf-8", "replace")
        if proc.returncode not in ok:
            raise RuntimeError(f"{' '.join(argv[-4:])} failed ({proc.returncode}): {text[-800:]}")
        kilobytes = int(rss.read().strip().splitlines()[-1])
    return Run(seconds, kilobytes / 1024, text, tree_mb)


def sequence(steps: list[tuple[list[str], Path]]) -> Run:
    """Several processes one after the other: summed time, the highest peak memory."""
    runs = [run(argv, cwd) for argv, cwd in steps]
    return Run(sum(r.seconds for r in runs), max(r.rss_mb for r in runs))


def percentile(values: list[float], q: float) -> float:
    """The ``q``-th percentile (0–100) of ``values``, nearest rank."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


def mark(value: float, target: float) -> str:
    """``value`` against an upper bound ``target``: "met" or "missed"."""
    return "met" if value <= target else "**missed**"
