"""Atomic writes, as readable as the umask allows (not mkstemp's 0600), and JSON files read back
without trusting them (odreport.files)."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pytest

from odreport import files
from odreport.files import TEMP_PREFIX, DamagedFile, atomic_write, read_json


def test_an_atomic_write_replaces_the_file_whole_and_leaves_no_temporary_file(tmp_path):
    path = tmp_path / "figures.json"
    path.write_text("old", encoding="utf-8")
    atomic_write(path, "new ✓")
    assert path.read_text(encoding="utf-8") == "new ✓"
    atomic_write(path, b"\x00bytes")
    assert path.read_bytes() == b"\x00bytes"
    assert os.listdir(tmp_path) == ["figures.json"]


def test_an_atomic_write_gets_the_permissions_of_a_new_file(tmp_path):
    mask = os.umask(0o022)
    try:
        path = atomic_write(tmp_path / "manifest.json", "{}")
    finally:
        os.umask(mask)
    assert path.stat().st_mode & 0o777 == 0o644  # mkstemp alone would give 0600


def test_a_failed_atomic_write_leaves_the_old_file(tmp_path):
    path = tmp_path / "figures.json"
    path.write_text("old", encoding="utf-8")
    with pytest.raises(TypeError):
        atomic_write(path, 42)  # not text or bytes: fails half-way
    assert path.read_text(encoding="utf-8") == "old"
    assert not [p for p in os.listdir(tmp_path) if p.startswith(TEMP_PREFIX)]


def _is_pair(value) -> bool:
    return isinstance(value, dict) and isinstance(value["a"], int)


def test_a_missing_file_is_none_without_a_warning(tmp_path, recwarn):
    assert read_json(tmp_path / "absent.json", _is_pair, "pair") is None
    assert not recwarn.list


def test_a_good_file_is_read(tmp_path):
    path = tmp_path / "pair.json"
    path.write_text(json.dumps({"a": 1}), encoding="utf-8")
    assert read_json(path, _is_pair, "pair") == {"a": 1}


@pytest.mark.parametrize(
    ("content", "why"),
    [
        ("{not json", "not JSON"),
        ("[1, 2]", "not the expected structure"),  # valid JSON, wrong shape (check raises)
        ('{"a": "one"}', "not the expected structure"),
        (b"\xff\xfe", "unreadable"),
    ],
    ids=["not json", "a list", "wrong type", "not utf-8"],
)
def test_a_damaged_file_is_a_warning_naming_it_and_reads_as_missing(tmp_path, content, why):
    path = tmp_path / "reports" / "x" / "pair.json"
    path.parent.mkdir(parents=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    with pytest.warns(DamagedFile) as caught:
        assert read_json(path, _is_pair, "pair", root=tmp_path) is None
    message = str(caught[0].message)
    assert message.startswith("reports/x/pair.json: damaged pair (")
    assert why in message


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


def test_atomic_write_text_and_bytes_with_the_umask_mode(tmp_path: Path, umask):
    umask(0o022)
    out = atomic_write(tmp_path / "index.html", "<p>café</p>\n")
    assert out.read_bytes() == "<p>café</p>\n".encode()
    assert out.stat().st_mode & 0o777 == 0o644
    umask(0o007)
    atomic_write(out, b"%PDF-1.4\n")
    assert out.read_bytes() == b"%PDF-1.4\n"
    assert out.stat().st_mode & 0o777 == 0o660
    assert [p.name for p in out.parent.iterdir()] == ["index.html"]  # no temporary left


def test_make_readable_undoes_mkdtemp_and_mkstemp_privacy(tmp_path: Path, umask):
    umask(0o022)
    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    fd, name = tempfile.mkstemp(dir=tmp_path)
    os.close(fd)
    assert folder.stat().st_mode & 0o777 == 0o700
    assert files.make_readable(folder).stat().st_mode & 0o777 == 0o755
    assert files.make_readable(Path(name)).stat().st_mode & 0o777 == 0o644
