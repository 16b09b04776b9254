"""Requests of a bounded size: how many texts, and how many bytes of JSON, one request may carry."""

from __future__ import annotations

import json
from collections.abc import Sequence

__all__ = ["DEFAULT_OVERHEAD", "MAX_BODY_BYTES", "MAX_TEXTS", "json_size", "plan_batches"]

MAX_TEXTS = 50
MAX_BODY_BYTES = 128 * 1024
#: Body bytes reserved for the parameters besides ``text`` when the caller does not say.
DEFAULT_OVERHEAD = 2048


def plan_batches(
    texts: Sequence[str],
    *,
    overhead: int = DEFAULT_OVERHEAD,
    max_texts: int = MAX_TEXTS,
    max_bytes: int = MAX_BODY_BYTES,
) -> list[list[int]]:
    """Group indices of ``texts`` into requests of at most ``max_texts`` texts and ``max_bytes``.

    ``overhead`` is the size of the JSON body without the texts.  A text too large for any
    request still gets a batch of its own (DeepL will refuse it with a 413).

    >>> [len(batch) for batch in plan_batches(["a"] * 120)]
    [50, 50, 20]
    >>> plan_batches(["a" * 60, "b" * 60, "c"], overhead=10, max_bytes=140)
    [[0, 1], [2]]
    """
    batches: list[list[int]] = []
    batch: list[int] = []
    size = overhead
    for index, text in enumerate(texts):
        cost = json_size(text)
        if batch and (len(batch) >= max_texts or size + 2 + cost > max_bytes):
            batches.append(batch)
            batch, size = [], overhead
        size += cost + (2 if batch else 0)  # ", " between list items
        batch.append(index)
    if batch:
        batches.append(batch)
    return batches


def json_size(value: object) -> int:
    """Bytes ``value`` takes in the JSON body that ``requests`` sends (ASCII-escaped)."""
    return len(json.dumps(value).encode())
