"""Work on many articles spread over the machine's cores: forked worker processes, results in order.

A job hands :func:`run` a function of a chunk of its items; with enough items and more
than one core the chunks run in worker processes forked from this one (so they share
what is already imported and read), and the results come back in the items' order, so
the job's output reads the same whatever the number of workers. ``PARAGRAF_WORKERS``
sets the number (1: no workers).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

__all__ = ["MIN_ITEMS", "run", "workers"]

T = TypeVar("T")
R = TypeVar("R")
#: Below this many items a single process is faster than starting workers.
MIN_ITEMS = 48


def workers(items: int) -> int:
    """How many processes to use for ``items`` items."""
    configured = os.environ.get("PARAGRAF_WORKERS", "").strip()
    if configured.isdigit() and int(configured) > 0:
        wanted = int(configured)
    else:
        wanted = (
            len(os.sched_getaffinity(0))
            if hasattr(os, "sched_getaffinity")
            else os.cpu_count() or 1
        )
    if items < MIN_ITEMS:
        return 1
    return max(1, min(wanted, 8, items // (MIN_ITEMS // 2)))


def run(fn: Callable[..., R], items: Sequence[T], *args: Any) -> list[R]:
    """``fn(chunk, *args)`` for contiguous chunks of ``items``, in order; in workers if worth it."""
    count = workers(len(items))
    if count == 1:
        return [fn(list(items), *args)]
    from concurrent.futures import ProcessPoolExecutor  # imported only when workers start
    from multiprocessing import get_context

    size = -(-len(items) // count)
    chunks = [list(items[i : i + size]) for i in range(0, len(items), size)]
    with ProcessPoolExecutor(max_workers=len(chunks), mp_context=get_context("fork")) as pool:
        futures = [pool.submit(fn, chunk, *args) for chunk in chunks]
        return [future.result() for future in futures]
