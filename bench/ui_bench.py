"""Benchmark the review UI: the review page of a 200-segment article, one save, and 20 saving clients.

    python bench/ui_bench.py                          # a generated 200-segment article
    python bench/ui_bench.py --corpus /tmp/corpus     # paragraphs taken from the shared corpus

The article is English, translated into Turkish: a third of its entries approved, a
third drafts (some with a changed source, so the page shows word diffs), a third
empty. Server time is measured inside the process around each request through
Flask's test client (no network, so it is the app's own time plus the WSGI call).

1. the review page, GET ``/review/tr/<slug>``: p50 and p95 over ``--pages`` requests;
   then the live check of an unsaved text (``POST …/check``), a new text each time;
2. one save (a draft of one segment, naming the version the page showed): p50 and p95
   over ``--saves`` requests, each on a new segment text;
3. 20 clients (threads, each its own session) saving segments of the same catalog at
   once for ``--seconds``: requests per second, and how many ended in a conflict.
   With ``--processes N`` the clients are spread over N worker processes instead
   (each with its own app, as under a WSGI server), which exercises the file lock.

Targets (issue 4): page p95 under 50 ms, save p95 under 30 ms.
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import re
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT_DIR))  # this tree's app, not an installed copy

PYPROJECT = (
    '[project]\nname = "bench"\nversion = "0"\n\n[tool.paragraf]\nlanguages = ["en", "tr", "ru"]\n'
)
PASSWORD = "bench password"
SLUG = "bench-article"
WORDS = (
    "the council said ministers agreed on a plan to cut emissions by half before the end"
    " of the decade while critics warned that funding remained unclear and the region's"
    " economy depended on coal exports to neighbouring countries for years to come"
).split()


def generated_paragraphs(count: int, seed: int = 7) -> list[str]:
    """Paragraphs of 30–120 words with links, emphasis, footnote markers and URLs."""
    rng = random.Random(seed)
    out = []
    for n in range(count):
        words = [rng.choice(WORDS) for _ in range(rng.randint(30, 120))]
        words[0] = words[0].capitalize()
        if n % 3 == 0:
            words[5] = f"[{words[5]}](https://example.org/{n})"
        if n % 4 == 0:
            words[9] = f"*{words[9]}*"
        if n % 5 == 0:
            words.append(f"https://news.example.com/{n}")
        out.append(" ".join(words) + f" ({n}).[{_roman(n % 12 + 1)}]")
    return out


def _roman(n: int) -> str:
    return ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii"][n - 1]


def corpus_paragraphs(corpus: Path, count: int) -> list[str]:
    """The first ``count`` distinct body paragraphs of the corpus's ``src/*.md`` articles."""
    folder = corpus / "src" if (corpus / "src").is_dir() else corpus
    seen: dict[str, None] = {}
    for path in sorted(folder.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        body = text.split("\n---", 2)[-1]
        for block in body.split("\n\n"):
            block = " ".join(block.split())
            if len(block.split()) >= 20 and not block.startswith(("#", "[", "-", "|")):
                seen.setdefault(block, None)
            if len(seen) >= count:
                return list(seen)
    raise SystemExit(f"{folder}: only {len(seen)} paragraphs found, {count} needed")


def make_project(root: Path, paragraphs: list[str]) -> None:
    """A project with one article of ``len(paragraphs) + 1`` segments, its Turkish catalog filled."""
    from app import db, users
    from app.config import load_config
    from app.extract import extract_all
    from app.po import catalog
    from app.update import update_all

    (root / "content").mkdir(parents=True)
    (root / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    article = "---\ntitle: A long article\nlang: en\ndate: 2024-05-01\n---\n\n"
    article += "\n\n".join(paragraphs) + "\n"
    (root / "content" / f"{SLUG}.md").write_text(article, encoding="utf-8")
    config = load_config(root)
    extract_all(config)
    update_all(config)
    path = config.root / "translations" / "tr" / "LC_MESSAGES" / f"{SLUG}.po"
    po = catalog.load(path)
    for n, entry in enumerate(po):
        if n % 3 == 0:
            entry.msgstr = f"Onaylı çeviri {n}: {entry.msgid[:80]}"
        elif n % 3 == 1:
            entry.msgstr = f"Taslak çeviri {n}: {entry.msgid[:60]}"
            entry.flags = ["fuzzy"]
            entry.tcomment = "draft: deepl"
            if n % 2:
                entry.previous_msgid = entry.msgid.replace("the", "a", 2)
    catalog.save(po, path)
    db.init_schema(db.db_path(config.instance_dir))
    conn = db.connect(db.db_path(config.instance_dir))
    try:
        users.add_user(conn, "bench", PASSWORD, "reviewer", ["tr"], known_langs=config.languages)
    finally:
        conn.close()


class Client:
    """A signed-in test client that keeps the version of each segment its page showed."""

    def __init__(self, app) -> None:
        self.client = app.test_client()
        page = self.client.get("/auth/login").get_data(as_text=True)
        token = re.search(r'csrf-token" content="([^"]+)', page).group(1)
        self.client.post(
            "/auth/login", data={"name": "bench", "password": PASSWORD, "csrf_token": token}
        )
        page = self.client.get(f"/review/tr/{SLUG}").get_data(as_text=True)
        self.token = re.search(r'csrf-token" content="([^"]+)', page).group(1)

    def save(self, seg: dict, text: str) -> tuple[int, dict]:
        """Save ``text`` over the version ``seg`` holds; update ``seg`` with the answer."""
        response = self.client.post(
            f"/review/tr/{SLUG}/save",
            json={
                "key": seg["key"],
                "action": "save",
                "text": text,
                "base_text": seg["text"],
                "base_state": seg["state"],
            },
            headers={"X-CSRFToken": self.token, "Accept": "application/json"},
        )
        body = response.get_json()
        if "segment" in body:
            seg["text"], seg["state"] = body["segment"]["text"], body["segment"]["state"]
        return response.status_code, body


def segments(root: Path) -> list[dict]:
    """Every segment of the Turkish catalog as the page shows it."""
    from app.po import catalog
    from app.web.segments import segment_key

    po = catalog.load(root / "translations" / "tr" / "LC_MESSAGES" / f"{SLUG}.po")
    return [
        {"key": segment_key(e.msgid), "text": e.msgstr, "state": catalog.state(e)}
        for e in po
        if not e.obsolete
    ]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def timed_ms(fn) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def bench_page(app, n: int) -> list[float]:
    client = Client(app)
    url = f"/review/tr/{SLUG}"
    for _ in range(5):
        assert client.client.get(url).status_code == 200
    return [timed_ms(lambda: client.client.get(url)) for _ in range(n)]


def bench_check(app, root: Path, n: int) -> list[float]:
    """The live check of an unsaved text (a new text each time: no cached findings)."""
    client = Client(app)
    segs = segments(root)
    url = f"/review/tr/{SLUG}/check"
    headers = {"X-CSRFToken": client.token, "Accept": "application/json"}
    times = []
    for i in range(n):
        seg = segs[i % len(segs)]
        body = {"key": seg["key"], "text": f"Yazılan metin {i}: 1,250.5 ve **kalın [i]"}
        start = time.perf_counter()
        response = client.client.post(url, json=body, headers=headers)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.get_json()
    return times


def bench_save(app, root: Path, n: int) -> list[float]:
    client = Client(app)
    segs = segments(root)
    times = []
    for i in range(n):
        seg = segs[i % len(segs)]
        text = f"Kaydedilen taslak {i}: ölçüm metni"
        start = time.perf_counter()
        code, body = client.save(seg, text)
        times.append((time.perf_counter() - start) * 1000)
        assert code == 200, body
    return times


def _clients(
    app, root: Path, ids: list[int], total: int, seconds: float, barrier
) -> tuple[int, int]:
    """Run clients ``ids`` (of ``total``) in threads; each saves its own segments."""
    segs = segments(root)
    clients = [Client(app) for _ in ids]
    counts = [[0, 0] for _ in ids]
    stop = threading.Event()

    def run(slot: int) -> None:
        mine = [s for k, s in enumerate(segs) if k % total == ids[slot]]
        i = 0
        while not stop.is_set():
            seg = mine[i % len(mine)]
            code, body = clients[slot].save(seg, f"İstemci {ids[slot]} kayıt {i}")
            counts[slot][0 if code == 200 else 1] += 1
            if code == 409:  # take the version the conflict showed and go on
                seg["text"], seg["state"] = body["segment"]["text"], body["segment"]["state"]
            i += 1

    threads = [threading.Thread(target=run, args=(k,)) for k in range(len(ids))]
    barrier.wait()
    for t in threads:
        t.start()
    time.sleep(seconds)
    stop.set()
    for t in threads:
        t.join()
    return sum(c[0] for c in counts), sum(c[1] for c in counts)


def _process_main(root: str, ids: list[int], total: int, seconds: float, barrier, queue) -> None:
    from app import create_app

    app = create_app({"PROJECT_ROOT": root, "ADMIN_BOOTSTRAP": False})
    queue.put(_clients(app, Path(root), ids, total, seconds, barrier))


def bench_concurrent(
    app, root: Path, clients: int, seconds: float, processes: int
) -> tuple[float, int, int]:
    if processes <= 1:
        barrier = threading.Barrier(1)
        start = time.perf_counter()
        ok, conflicts = _clients(app, root, list(range(clients)), clients, seconds, barrier)
        return (ok + conflicts) / (time.perf_counter() - start), ok, conflicts
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(processes)
    queue = ctx.Queue()
    groups = [list(range(clients))[p::processes] for p in range(processes)]
    workers = [
        ctx.Process(target=_process_main, args=(str(root), g, clients, seconds, barrier, queue))
        for g in groups
    ]
    for w in workers:
        w.start()
    results = [queue.get() for _ in workers]
    for w in workers:
        w.join()
    ok = sum(r[0] for r in results)
    conflicts = sum(r[1] for r in results)
    return (ok + conflicts) / seconds, ok, conflicts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, help="take paragraphs from this corpus (its src/)")
    parser.add_argument("--segments", type=int, default=200)
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--saves", type=int, default=200)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--processes", type=int, default=1)
    args = parser.parse_args()

    from app import create_app, users

    users.PASSWORD_METHOD = "pbkdf2:sha256:1000"  # signing in is not what is measured
    count = args.segments - 1  # the title is a segment too
    paragraphs = (
        corpus_paragraphs(args.corpus, count) if args.corpus else generated_paragraphs(count)
    )
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        make_project(root, paragraphs)
        app = create_app({"PROJECT_ROOT": str(root), "ADMIN_BOOTSTRAP": False})
        n = len(segments(root))
        print(f"article: {n} segments, {sum(len(p.split()) for p in paragraphs)} words")
        page = bench_page(app, args.pages)
        print(
            f"review page: p50 {statistics.median(page):.1f} ms, p95 {percentile(page, 95):.1f} ms"
            f" (target p95 < 50 ms) over {len(page)} requests"
        )
        check = bench_check(app, root, args.saves)
        print(
            f"live check:  p50 {statistics.median(check):.1f} ms, p95 {percentile(check, 95):.1f} ms"
            f" (findings and cross-version notes of an unsaved text) over {len(check)} requests"
        )
        save = bench_save(app, root, args.saves)
        print(
            f"one save:    p50 {statistics.median(save):.1f} ms, p95 {percentile(save, 95):.1f} ms"
            f" (target p95 < 30 ms) over {len(save)} requests"
        )
        rate, ok, conflicts = bench_concurrent(
            app, root, args.clients, args.seconds, args.processes
        )
        where = f"{args.processes} processes" if args.processes > 1 else "1 process"
        print(
            f"{args.clients} saving clients ({where}): {rate:.0f} saves/s"
            f" ({ok} saved, {conflicts} conflicts in {args.seconds:.0f} s)"
        )


if __name__ == "__main__":
    main()
