"""Kill the server in the middle of saves: catalogs, history and the folders stay sound.

A real server process on 127.0.0.1 takes saves from four clients, each on a segment of
its own; it is killed with SIGKILL at random moments and started again, five times.
After each start: the catalog parses and passes ``msgfmt -c``, every segment holds the
last text its client saw acknowledged (or a later one it sent), the history agrees with
the catalog and has no pending row, and no temporary file is left.
"""

from __future__ import annotations

import os
import random
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import requests

from app import db
from app.po import catalog
from tests.project_fixtures import ROOT, msgfmt_check
from tests.web_fixtures import ACCOUNTS, PASSWORD, SLUG, add_accounts, make_project, segment

SERVER = (
    "import sys\n"
    "from app import create_app, users\n"
    "users.PASSWORD_METHOD = 'pbkdf2:sha256:1000'\n"
    "app = create_app(root=sys.argv[1])\n"
    "app.run(host='127.0.0.1', port=int(sys.argv[2]), threaded=True)\n"
)
_CSRF = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(root: Path, port: int) -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, "-c", SERVER, str(root), str(port)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            requests.get(f"http://127.0.0.1:{port}/auth/login", timeout=1)
            return process
        except requests.ConnectionError:
            time.sleep(0.05)
    process.kill()
    raise AssertionError("the server did not start")


def signed_in(base: str) -> tuple[requests.Session, str]:
    client = requests.Session()
    token = _CSRF.search(client.get(f"{base}/auth/login").text).group(1)
    response = client.post(
        f"{base}/auth/login",
        data={"name": "tr_translator", "password": PASSWORD, "csrf_token": token},
        allow_redirects=False,
    )
    assert response.status_code == 302
    return client, _CSRF.search(client.get(f"{base}/auth/profile").text).group(1)


class Writer(threading.Thread):
    """Saves new texts into one segment until told to stop; remembers what was acknowledged."""

    def __init__(self, base: str, seg: dict[str, str], number: int) -> None:
        super().__init__(daemon=True)
        self.base, self.seg, self.number = base, seg, number
        self.acknowledged = seg["text"]
        self.sent: list[str] = []
        self.stop = threading.Event()

    def run(self) -> None:
        try:
            client, token = signed_in(self.base)
        except (requests.RequestException, AttributeError):
            return
        state = self.seg["state"]
        n = 0
        while not self.stop.is_set():
            n += 1
            text = f"Yazar {self.number}, sürüm {n}."
            self.sent.append(text)
            body = {"key": self.seg["key"], "text": text, "action": "save",
                    "base_text": self.acknowledged, "base_state": state}  # fmt: skip
            try:
                response = client.post(
                    f"{self.base}/review/tr/{SLUG}/save",
                    json=body,
                    headers={"X-CSRFToken": token, "Accept": "application/json"},
                    timeout=5,
                )
            except requests.RequestException:
                return  # the server was killed
            if response.status_code != 200:
                return
            self.acknowledged, state = text, response.json()["segment"]["state"]


def check_sound(root: Path, writers: list[Writer]) -> None:
    config_root = root
    path = config_root / "translations" / "tr" / "LC_MESSAGES" / f"{SLUG}.po"
    po = catalog.load(path)
    msgfmt_check(path)
    active = [e for e in po if not e.obsolete]
    conn = sqlite3.connect(db.db_path(config_root / "instance"))
    try:
        assert conn.execute("SELECT COUNT(*) FROM history WHERE done = 0").fetchone()[0] == 0
        for writer in writers:
            entry = next(e for e in active if e.msgid == writer.seg["msgid"])
            assert entry.msgstr == writer.acknowledged or entry.msgstr in writer.sent[-2:]
            row = conn.execute(
                "SELECT new_text FROM history WHERE slug = ? AND lang = 'tr' AND msgid = ?"
                " ORDER BY id DESC LIMIT 1",
                (SLUG, writer.seg["msgid"]),
            ).fetchone()
            assert (row[0] if row else "") == entry.msgstr  # history and catalog agree
    finally:
        conn.close()
    debris = [p for p in (config_root / "translations").rglob(".*.tmp")]
    assert debris == []


def test_killing_the_server_during_saves_loses_nothing(tmp_path: Path) -> None:
    config = make_project(tmp_path / "project")
    add_accounts(config, {"tr_translator": ACCOUNTS["tr_translator"]})
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    rng = random.Random(9)
    kills = 0
    for _round in range(5):
        process = start(config.root, port)
        if kills:
            check_sound(config.root, writers)  # noqa: F821 - the writers of the last round
        writers = [Writer(base, segment(config, "tr", i), i) for i in (3, 4, 5, 6)]
        for writer in writers:
            writer.start()
        time.sleep(rng.uniform(0.3, 0.8))
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        kills += 1
        for writer in writers:
            writer.stop.set()
            writer.join(timeout=10)
    process = start(config.root, port)
    try:
        check_sound(config.root, writers)
        saves = sum(len(w.sent) for w in writers)
        assert saves > 20  # the writers really wrote
    finally:
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
