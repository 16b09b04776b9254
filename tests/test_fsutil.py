"""Atomic writes keep permissions and leave nothing behind."""

from __future__ import annotations

import os
import stat

import pytest

from app.fsutil import open_atomic, write_atomic, write_if_changed


def test_a_new_file_gets_the_umasks_permissions_not_mkstemps(tmp_path) -> None:
    write_atomic(tmp_path / "a.po", b"x")
    umask = os.umask(0o022)
    os.umask(umask)
    assert stat.S_IMODE(os.stat(tmp_path / "a.po").st_mode) == 0o666 & ~umask


def test_a_replaced_file_keeps_its_permissions(tmp_path) -> None:
    path = tmp_path / "b.po"
    path.write_bytes(b"old")
    os.chmod(path, 0o664)
    assert write_if_changed(path, b"new")
    assert path.read_bytes() == b"new"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o664


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path) -> None:
    path = tmp_path / "c.po"
    path.write_bytes(b"old")
    with pytest.raises(RuntimeError), open_atomic(path) as f:
        f.write(b"half")
        raise RuntimeError("interrupted")
    assert path.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.po"]
