"""The dependency pins agree: pyproject.toml, requirements.lock and environment.yml; the lock
carries a SHA-256 for every file it allows and the Makefile installs it with --require-hashes."""

from __future__ import annotations

import re
import tomllib

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from support import REPO

LOCK = REPO / "requirements.lock"


def _pins(lines) -> dict[str, str]:
    out = {}
    for line in lines:
        m = re.match(r"^\s*(?:-\s*)?([A-Za-z0-9_.\-]+)==([^\s;#\\]+)", line)
        if m:
            out[canonicalize_name(m[1])] = m[2]
    return out


def _pyproject() -> dict:
    return tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))


def _direct() -> dict[str, str]:
    data = _pyproject()
    deps = data["project"]["dependencies"] + data["project"]["optional-dependencies"]["dev"]
    assert all("==" in d for d in deps), "every direct dependency is pinned with =="
    return _pins(deps)


def _lock_entries() -> list[tuple[str, list[str]]]:
    """Each requirement of the lock (continuation lines joined) with its hashes."""
    text = LOCK.read_text(encoding="utf-8")
    logical = re.sub(r"\\\n", " ", text).splitlines()
    entries = []
    for line in logical:
        line = line.split(" #", 1)[0].strip()
        if not line or line.startswith("#"):
            continue
        entries.append((line.split(" --hash", 1)[0].strip(), re.findall(r"--hash=(\S+)", line)))
    return entries


def _lock_pins() -> dict[str, str]:
    """The version the lock installs on this project's Python (3.11) for each package."""
    out = {}
    for requirement, _ in _lock_entries():
        req = Requirement(requirement)
        if req.marker is None or req.marker.evaluate({"python_full_version": "3.11.7"}):
            out[canonicalize_name(req.name)] = str(req.specifier).removeprefix("==")
    return out


def test_environment_yml_lists_the_same_pins_as_pyproject():
    env = (REPO / "environment.yml").read_text(encoding="utf-8").splitlines()
    pip_pins = _pins(line for line in env if "==" in line)
    assert pip_pins == _direct()
    assert any(re.match(r"^\s*-\s*python=3\.11", line) for line in env)


def test_lock_pins_every_direct_dependency_at_the_same_version():
    lock = _lock_pins()
    for name, ver in _direct().items():
        assert lock.get(name) == ver, f"{name}: pyproject {ver}, lock {lock.get(name)}"


def test_every_locked_requirement_is_pinned_and_hashed():
    entries = _lock_entries()
    assert len(entries) > 50  # the full transitive set, not only the direct dependencies
    for requirement, hashes in entries:
        req = Requirement(requirement)
        assert str(req.specifier).startswith("==") and "," not in str(req.specifier), requirement
        assert hashes, f"{requirement}: no hash"
        assert all(re.fullmatch(r"sha256:[0-9a-f]{64}", h) for h in hashes), requirement


def test_the_build_backend_is_locked_too():
    # the project is installed with --no-build-isolation: its backend comes from the lock
    locked = _lock_pins()
    for spec in _pyproject()["build-system"]["requires"]:
        req = Requirement(spec)
        name = canonicalize_name(req.name)
        assert name in locked and req.specifier.contains(locked[name]), spec
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    assert "BUILD_REQUIRES := " + " ".join(_pyproject()["build-system"]["requires"]) in makefile


def test_the_makefile_installs_the_lock_with_hashes_then_the_project_alone():
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    recipe = makefile[makefile.index("$(STAMP): ") :].split("\n\n", 1)[0]
    recipe = re.sub(r"\\\n\s*", "", recipe)
    assert re.search(r"pip install .*--require-hashes.* -r requirements\.lock", recipe)
    assert re.search(r"pip install .*--no-deps.* -e \.$", recipe, flags=re.M)
    assert "-c requirements.lock" not in recipe  # no unhashed constraint install


def test_required_packages_are_direct_dependencies():
    pins = _direct()
    for name in ("jupyterlab", "papermill", "nbconvert", "pandas", "altair", "great-expectations"):
        assert name in pins
