"""Many writers on one catalog: threads through the web app, and worker processes through edit.

Every accepted save must be in the file, every refused one reported as a conflict, and
the file must still pass ``msgfmt -c``.
"""

from __future__ import annotations

import multiprocessing
import sqlite3
import subprocess
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from app import db
from app.config import load_config
from app.po import catalog
from app.po.edit import Version, edit_entry
from app.po.store import Store
from tests.web_fixtures import SLUG, catalog_file, save_body, segment

SAVE = f"/review/tr/{SLUG}/save"


def msgfmt_check(path: Path) -> None:
    result = subprocess.run(
        ["msgfmt", "-c", "-o", "/dev/null", str(path)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr


def test_thirty_parallel_web_writers_on_one_catalog(as_user, web_project) -> None:
    # 20 writers own one segment each; 10 more race the owner of segment 0 with the same base.
    jobs = [(i, f"Çeviri {i} — «{i}» ёжик") for i in range(20)]
    jobs += [(0, f"Yarışan {n}") for n in range(10)]
    sessions = [as_user("tr_reviewer" if n % 2 else "admin") for n in range(len(jobs))]
    tokens = [s.token("/auth/profile") for s in sessions]
    seen = [segment(web_project, "tr", i) for i in range(21)]
    barrier = threading.Barrier(len(jobs))

    def write(n: int):
        index, text = jobs[n]
        approve = n % 3 == 0  # an approval names a reason, for the segments whose text has errors
        extra = {"override": "the race is what is tested"} if approve else {}
        body = save_body(seen[index], text, "approve" if approve else "save", **extra)
        barrier.wait()
        response = sessions[n].post_json(SAVE, body, token=tokens[n])
        return index, text, response.status_code, response.json

    with ThreadPoolExecutor(len(jobs)) as pool:
        results = list(pool.map(write, range(len(jobs))))

    accepted = [(i, text) for i, text, code, _ in results if code == 200]
    conflicts = [(i, body) for i, _, code, body in results if code == 409]
    assert len(accepted) + len(conflicts) == len(jobs)
    assert sorted({i for i, _ in accepted}) == list(range(20))  # one winner per segment
    assert len(accepted) == 20 and len(conflicts) == 10
    po = catalog.load(catalog_file(web_project, "tr"))
    entries = [e for e in po if not e.obsolete]
    for index, text in accepted:
        assert entries[index].msgstr == text
    winner = dict(accepted)[0]
    for index, body in conflicts:
        assert index == 0 and body["status"] == "conflict"
        assert body["segment"]["text"] == winner  # the conflict shows the version that won
    msgfmt_check(catalog_file(web_project, "tr"))
    conn = sqlite3.connect(db.db_path(web_project.instance_dir))
    try:
        assert conn.execute("SELECT COUNT(*) FROM history").fetchone()[0] == 20
    finally:
        conn.close()


def _process_writer(root: str, jobs: list[tuple[int, str, str]]) -> list[tuple[int, str, str]]:
    """Run in a worker process: save each job through edit_entry from its own thread."""
    config = load_config(Path(root))
    store = Store(config)
    ref = store.find("tr", SLUG)
    assert ref is not None
    entries = [e for e in store.read(ref) if not e.obsolete]
    barrier = threading.Barrier(len(jobs))

    def one(job: tuple[int, str, str]) -> tuple[int, str, str]:
        index, text, state = job
        barrier.wait()
        outcome = edit_entry(
            store,
            ref,
            entries[index].msgid,
            base=Version("", "untranslated"),
            text=text,
            state=state,
        )
        return index, text, outcome.status

    with ThreadPoolExecutor(len(jobs)) as pool:
        return list(pool.map(one, jobs))


def test_worker_processes_never_lose_an_update(web_project) -> None:
    # 4 processes × 6 threads = 24 writers: 21 distinct segments, and 3 racing on segment 7.
    jobs = [(i, f"Süreç yazarı {i}", "draft" if i % 2 else "approved") for i in range(21)]
    jobs += [(7, f"Yarış {n}", "draft") for n in range(3)]
    chunks = [jobs[n::4] for n in range(4)]
    context = multiprocessing.get_context("spawn")
    with context.Pool(4) as pool:
        results = [
            r
            for part in pool.starmap(_process_writer, [(str(web_project.root), c) for c in chunks])
            for r in part
        ]
    saved = [(i, text) for i, text, status in results if status == "saved"]
    conflicts = [r for r in results if r[2] == "conflict"]
    assert sorted(i for i, _ in saved) == list(range(21))
    assert len(conflicts) == 3
    entries = [e for e in catalog.load(catalog_file(web_project, "tr")) if not e.obsolete]
    for index, text in saved:
        assert entries[index].msgstr == text
    assert all(catalog.state(e) != "untranslated" for e in entries)
    msgfmt_check(catalog_file(web_project, "tr"))
    leftovers = [
        p.name for p in catalog_file(web_project, "tr").parent.iterdir() if p.suffix != ".po"
    ]
    assert leftovers == []  # no temporary files left behind
