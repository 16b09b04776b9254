"""The labeled Turkish and Russian translations: each pair gives exactly the findings it is labeled with.

The set (``tests/data/checks``) holds realistic translations of sentences like the
think tank's, each either correct or with known defects; ``bench/checks_bench.py``
prints the same comparison as a table of true and false positives.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from app.checks import check_pair, registry

DATA = Path(__file__).resolve().parent.parent / "data" / "checks"
PAIRS = [
    pytest.param(path.stem, json.loads(line), id=f"{path.stem}:{number}")
    for path in sorted(DATA.glob("*.jsonl"))
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
    if line.strip()
]


def test_set_is_large_and_covers_every_error_check() -> None:
    for lang in ("tr", "ru"):
        rows = [row for stem, row in (p.values for p in PAIRS) if stem == lang]
        assert len(rows) >= 50
        labeled = {name for row in rows for name in row["expect"]}
        errors = {name for name, c in registry().items() if c.severity == "error"}
        assert errors <= labeled
        assert sum(1 for row in rows if not row["expect"]) >= 20  # correct pairs too


@pytest.mark.parametrize(("lang", "row"), PAIRS)
def test_labeled_pair(lang: str, row: dict[str, Any]) -> None:
    found = check_pair(row["source"], row["target"], "en", lang)
    assert sorted({f.check for f in found}) == sorted(set(row["expect"])), (row["note"], found)
