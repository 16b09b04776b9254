"""Atomic file writes: a temporary file in the same folder, then a rename; and the debris of a crash.

A temporary file is ``.<name>.<random>.tmp`` beside its target, locked (``flock``) for as
long as it is being written. A process killed mid-write leaves it behind; the next
command of any kind removes such files whose lock nobody holds (:func:`sweep`), and
``.gitignore`` keeps them out of git meanwhile.
"""

from __future__ import annotations

import fcntl
import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any


def _read_umask() -> int:
    """The process's umask (read once, at import: setting it to read it is not thread-safe)."""
    umask = os.umask(0o022)
    os.umask(umask)
    return umask


_NEW_FILE_MODE = 0o666 & ~_read_umask()


def _mode_for(path: Path) -> int:
    """The permissions ``path`` already has, or those the umask gives a new file."""
    try:
        return os.stat(path).st_mode & 0o7777
    except FileNotFoundError:
        return _NEW_FILE_MODE


@contextmanager
def open_atomic(
    path: Path, mode: str = "wb", *, sync: bool = False, **kwargs: Any
) -> Iterator[IO[Any]]:
    """A file that appears at ``path`` in full when the block ends, or not at all.

    It keeps the permissions of the file it replaces (a new file gets the umask's, not
    mkstemp's 0600). With ``sync`` its data reaches the disk before the rename, so even
    a power cut leaves the old or the new file: for the catalogs, which nothing can
    rebuild; compiled outputs and caches can be made again and skip the cost.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # held until closed: sweep() leaves a live write alone
        os.fchmod(fd, _mode_for(path))
        with os.fdopen(fd, mode, **kwargs) as f:
            yield f
            if sync:
                f.flush()
                os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


@contextmanager
def exclusive(lock: Path) -> Iterator[None]:
    """Hold an exclusive ``flock`` on the file ``lock`` (created if missing), across processes."""
    fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def write_atomic(path: Path, data: bytes, *, sync: bool = False) -> None:
    """Write ``data`` to ``path`` through a temporary file and ``os.replace``."""
    with open_atomic(path, sync=sync) as f:
        f.write(data)


def write_if_changed(path: Path, data: bytes, *, sync: bool = False) -> bool:
    """Write ``data`` atomically unless ``path`` already holds exactly it; say whether it wrote."""
    try:
        if path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    write_atomic(path, data, sync=sync)
    return True


_DEBRIS = re.compile(r"\..+\.[^.]+\.tmp")


def sweep(folders: list[Path]) -> list[Path]:
    """Remove the temporary files a killed process left under ``folders``; return them."""
    removed = []
    for folder in folders:
        if not folder.is_dir():
            continue
        for parent, _dirs, files in os.walk(folder):
            for name in files:
                if _DEBRIS.fullmatch(name) and _abandoned(Path(parent) / name):
                    removed.append(Path(parent) / name)
    return removed


def _abandoned(path: Path) -> bool:
    """Unlink ``path`` if no process holds its lock (it is being written otherwise)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return False
    try:
        os.unlink(path)
        return True
    except FileNotFoundError:
        return False
    finally:
        os.close(fd)
