"""The Makefile passes its variables to recipes as data (issue 15: ``make report
ORG='`touch pwned`rotherham'`` ran the command), and reports any failure as exit code 2.

Each test runs the repository's Makefile in a temporary folder whose ``.venv/bin/odreport``
records the arguments it was given and then runs the real ``odreport`` on the repository.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from support import REPO

ODREPORT = Path(sys.executable).with_name("odreport")

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="needs GNU make")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A folder with the Makefile, an up-to-date stamp and a recording odreport."""
    for name in ("Makefile", "pyproject.toml", "requirements.lock"):
        shutil.copy2(REPO / name, tmp_path / name)
    bin_dir = tmp_path / ".venv" / "bin"
    bin_dir.mkdir(parents=True)
    fake = bin_dir / "odreport"
    fake.write_text(
        "#!/bin/sh\n"
        'printf "%s\\n" "$@" > "$(dirname "$0")/../../args.txt"\n'
        f'exec "{ODREPORT}" --root "{REPO}" "$@"\n',
        encoding="utf-8",
    )
    fake.chmod(0o755)
    stamp = tmp_path / ".venv" / ".installed-stamp"
    stamp.touch()
    newest = max(
        (tmp_path / n).stat().st_mtime for n in ("Makefile", "pyproject.toml", "requirements.lock")
    )
    later = newest + 10  # the stamp newer than what it depends on: make installs nothing
    os.utime(stamp, (later, later))
    return tmp_path


def _make(folder: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["make", "--no-print-directory", "-C", str(folder), *args],
        capture_output=True,
        text=True,
        timeout=300,
        env={k: v for k, v in os.environ.items() if not k.startswith("MAKE")},
    )


def _args(folder: Path) -> list[str]:
    return (folder / "args.txt").read_text(encoding="utf-8").splitlines()


HOSTILE = [
    "`touch pwned`rotherham",
    "$(touch pwned)rotherham",
    "rotherham; touch pwned",
    'rotherham" && touch pwned && echo "',
    "$(shell touch pwned)rotherham",
    "rotherham'$$(touch pwned)'",
]


@pytest.mark.parametrize("value", HOSTILE)
def test_a_hostile_organisation_name_is_data_not_a_command(folder, value):
    done = _make(folder, "report", f"ORG={value}")
    assert not (folder / "pwned").exists()
    assert not (REPO / "pwned").exists()
    assert done.returncode == 2  # odreport: unknown organisation (2); make reports 2 too
    assert _args(folder) == ["report", f"--org={value}"]
    assert "unknown organisation" in done.stderr


def test_min_group_size_is_the_threshold_and_min_group_its_former_name(folder):
    _make(folder, "report", "ORG=o", "MIN_GROUP_SIZE=5")
    assert _args(folder) == ["report", "--org=o", "--min-group-size=5"]
    _make(folder, "report", "ORG=o", "MIN_GROUP_SIZE=5", "MIN_GROUP=7")
    assert _args(folder) == ["report", "--org=o", "--min-group-size=5"]
    _make(folder, "report", "ORG=o")
    assert _args(folder) == ["report", "--org=o"]


def test_every_variable_arrives_as_one_argument_as_typed(folder):
    period = "2016-06 `touch pwned`"
    done = _make(folder, "report", "ORG=x y", f"PERIOD={period}", "MIN_GROUP=$(id)", "PUBLIC=1")
    assert done.returncode == 2
    assert not (folder / "pwned").exists()
    assert _args(folder) == [
        "report",
        "--org=x y",
        f"--period={period}",
        "--min-group-size=$(id)",
        "--public",
    ]
    _make(folder, "import-survey", "ORG=o", "SURVEY=$(touch pwned)", "FILE=-`touch pwned`.csv")
    assert not (folder / "pwned").exists()
    assert _args(folder) == [
        "import-survey",
        "--org=o",
        "--survey=$(touch pwned)",
        "--",
        "-`touch pwned`.csv",
    ]


def test_make_reports_invalid_data_as_2_after_odreport_says_3(folder):
    """GNU make turns any failing recipe into its own exit code 2; odreport's own code (3:
    input data failed validation) is in make's error line."""
    fake = folder / ".venv" / "bin" / "odreport"
    fake.write_text("#!/bin/sh\nexit 3\n", encoding="utf-8")
    done = _make(folder, "validate", "ORG=rotherham")
    assert done.returncode == 2
    assert "Error 3" in done.stderr
