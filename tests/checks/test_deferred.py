"""Deferred imports (odreport.checks.deferred): a module is imported at its first use, not before."""

from __future__ import annotations

import subprocess
import sys
import textwrap

HEAVY = """\
import os
with open(os.environ["LOG"], "a") as fh:
    fh.write("imported\\n")


def twice(x):
    return 2 * x
"""

SCRIPT = """\
import os
from odreport.checks.deferred import defer, is_deferred


def imported():
    return open(os.environ["LOG"]).read().split().count("imported")


print(defer("heavy"), defer("no_such_module_anywhere"))
import heavy  # what a library does when it is imported
print(imported(), is_deferred("heavy"))
print(heavy.twice(4))  # the first use
print(imported(), is_deferred("heavy"))
from heavy import sub
print(sub.NAME, heavy.twice(5), imported())
print(defer("heavy"))  # imported already: nothing to defer
"""


def test_a_deferred_module_is_imported_at_its_first_use_only(tmp_path):
    (tmp_path / "heavy").mkdir()
    (tmp_path / "heavy" / "__init__.py").write_text(HEAVY, encoding="utf-8")
    (tmp_path / "heavy" / "sub.py").write_text("NAME = 'sub'\n", encoding="utf-8")
    log = tmp_path / "log.txt"
    log.write_text("", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(SCRIPT)],
        cwd=tmp_path,
        env={"PYTHONPATH": str(tmp_path), "LOG": str(log)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "True False",
        "0 True",  # imported by name, not yet run
        "8",
        "1 False",
        "sub 10 1",  # run once only
        "False",
    ]


def test_validation_leaves_the_modules_gx_imports_but_never_uses_unimported():
    """A whole validation (the new-organisation template against the suites) in a fresh
    process: the modules deferred are still not imported at the end."""
    from support import REPO, TEMPLATE

    code = (
        "from pathlib import Path\n"
        "from odreport.checks import validate\n"
        "from odreport.checks.deferred import is_deferred\n"
        "from odreport.inputs.tables import read_inputs\n"
        f"suites = Path({str(REPO / 'expectations')!r})\n"
        f"validate.validate_inputs(read_inputs(Path({str(TEMPLATE)!r}), suites), suites)\n"
        "print([is_deferred(name) for name in validate.DEFERRED])"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[True, True]"  # scipy.stats, altair


LEAVE_OUT = """\
import sys
from odreport.checks.deferred import leave_out

print(leave_out("heavy", before="library"))
try:
    import heavy
except ImportError:
    print("not installed")
import json
print(leave_out("other", before="json"))  # too late: the library is imported already
"""


def test_a_module_left_out_looks_not_installed(tmp_path):
    (tmp_path / "heavy.py").write_text("X = 1\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-c", LEAVE_OUT],
        cwd=tmp_path,
        env={"PYTHONPATH": str(tmp_path)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["True", "not installed", "False"]


def test_odreport_leaves_out_jsonschemas_iri_checker():
    code = "import sys, odreport\nprint(sys.modules['rfc3987_syntax'])"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "None"
