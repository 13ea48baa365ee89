"""Outputs written whole, and as readable as the user's umask allows (not mkstemp's 0600)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from odreport.publish import files


@pytest.fixture
def umask():
    """Set the process umask for one test, restored afterwards."""
    old = os.umask(0o022)
    yield lambda mask: os.umask(mask)
    os.umask(old)


def test_current_umask_is_read_without_changing_it(umask):
    umask(0o027)
    assert files.current_umask() == 0o027
    assert files.current_umask() == 0o027  # still the same after being read
    umask(0o002)
    assert files.current_umask() == 0o002


@pytest.mark.parametrize(
    ("mask", "file_mode", "folder_mode"),
    [(0o022, 0o644, 0o755), (0o002, 0o664, 0o775), (0o077, 0o600, 0o700)],
)
def test_default_mode_is_what_the_umask_allows(umask, mask, file_mode, folder_mode):
    umask(mask)
    assert files.default_mode() == file_mode
    assert files.default_mode(folder=True) == folder_mode


def test_write_atomic_text_and_bytes_with_the_umask_mode(tmp_path: Path, umask):
    umask(0o022)
    out = files.write_atomic(tmp_path / "sub" / "index.html", "<p>café</p>\n")
    assert out.read_bytes() == "<p>café</p>\n".encode()
    assert out.stat().st_mode & 0o777 == 0o644
    umask(0o007)
    files.write_atomic(out, b"%PDF-1.4\n")
    assert out.read_bytes() == b"%PDF-1.4\n"
    assert out.stat().st_mode & 0o777 == 0o660
    assert [p.name for p in out.parent.iterdir()] == ["index.html"]  # no temporary left


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path):
    out = files.write_atomic(tmp_path / "manifest.json", "{}\n")
    with pytest.raises(TypeError):
        files.write_atomic(out, 42)  # type: ignore[arg-type]
    assert out.read_text() == "{}\n"
    assert [p.name for p in tmp_path.iterdir()] == ["manifest.json"]


def test_make_readable_undoes_mkdtemp_and_mkstemp_privacy(tmp_path: Path, umask):
    umask(0o022)
    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    fd, name = tempfile.mkstemp(dir=tmp_path)
    os.close(fd)
    assert folder.stat().st_mode & 0o777 == 0o700
    assert files.make_readable(folder).stat().st_mode & 0o777 == 0o755
    assert files.make_readable(Path(name)).stat().st_mode & 0o777 == 0o644
