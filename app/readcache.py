"""Parsed files kept between requests, keyed by what ``os.stat`` says about the file.

For pages only: an edit always re-reads its catalog under the lock. The key holds the
inode, so a file replaced atomically (as :func:`app.catalog.save` does) is a new key.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import Generic, TypeVar

T = TypeVar("T")


class StatCache(Generic[T]):
    """``load(path)`` results for the most recently used ``maxsize`` files."""

    def __init__(self, load: Callable[[Path], T], maxsize: int = 256) -> None:
        self._load = load
        self._maxsize = maxsize
        self._items: OrderedDict[Path, tuple[tuple[int, int, int], T]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, path: Path) -> T:
        """What ``load`` gives for ``path``, parsed again only if the file changed."""
        st = os.stat(path)
        key = (st.st_ino, st.st_mtime_ns, st.st_size)
        with self._lock:
            hit = self._items.get(path)
            if hit is not None and hit[0] == key:
                self._items.move_to_end(path)
                return hit[1]
        value = self._load(path)
        with self._lock:
            self._items[path] = (key, value)
            self._items.move_to_end(path)
            while len(self._items) > self._maxsize:
                self._items.popitem(last=False)
        return value

    def clear(self) -> None:
        """Forget everything."""
        with self._lock:
            self._items.clear()
