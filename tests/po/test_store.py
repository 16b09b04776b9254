"""app.po.store: where templates and catalogs live, which names are valid, the lock."""

from __future__ import annotations

import fcntl
import os
import threading

import pytest

from app.errors import CatalogError
from app.po.store import Store
from tests.web_fixtures import SLUG, make_project


@pytest.fixture
def config(tmp_path):
    return make_project(tmp_path / "p")


def test_find_checks_names_against_what_exists(config) -> None:
    store = Store(config)
    ref = store.find("tr", SLUG)
    assert (
        ref is not None
        and ref.source_lang == "en"
        and ref.display.endswith(f"tr/LC_MESSAGES/{SLUG}.po")
    )
    for lang, slug in (
        ("en", SLUG),
        ("de", SLUG),
        ("tr", "nope"),
        ("tr", "../pyproject"),
        ("tr", ".hidden"),
    ):
        assert store.find(lang, slug) is None
    assert store.slugs() == [SLUG]
    assert [r.lang for r in store.catalogs()] == ["tr", "ru"]


def test_lock_files_live_in_instance(config) -> None:
    store = Store(config)
    ref = store.find("tr", SLUG)
    assert ref is not None
    expected = config.instance_dir / "locks" / "tr" / "LC_MESSAGES" / f"{SLUG}.po.lock"
    assert store._lock_path(ref) == expected
    # a reference built elsewhere, to the same file by another spelling, gets the same lock
    other = ref._replace(
        path=config.root / "translations" / "tr" / ".." / "tr" / "LC_MESSAGES" / f"{SLUG}.po"
    )
    assert store._lock_path(other) == expected
    with pytest.raises(CatalogError, match="not under"):
        store._lock_path(ref._replace(path=config.root / "pyproject.toml"))


def test_the_lock_excludes_other_holders(config) -> None:
    store = Store(config)
    ref = store.find("tr", SLUG)
    order: list[str] = []
    waiting = threading.Event()
    with store.lock(ref):
        worker = threading.Thread(target=lambda: _locked_append(store, ref, order, waiting))
        worker.start()
        waiting.wait()
        worker.join(timeout=0.5)  # a broken lock lets it finish here
        assert worker.is_alive() and order == []
        order.append("holder done")
    worker.join()
    assert order == ["holder done", "worker"]
    # and another process sees it held
    with store.lock(ref):
        fd = os.open(store._lock_path(ref), os.O_RDWR)
        try:
            with pytest.raises(BlockingIOError):
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        finally:
            os.close(fd)


def _locked_append(store, ref, order, waiting) -> None:
    waiting.set()
    with store.lock(ref):
        order.append("worker")
