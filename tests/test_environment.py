"""The dependency pins agree: pyproject.toml, requirements.lock and environment.yml."""

from __future__ import annotations

import re
import tomllib

from support import REPO


def _pins(lines) -> dict[str, str]:
    out = {}
    for line in lines:
        m = re.match(r"^\s*(?:-\s*)?([A-Za-z0-9_.\-]+)==([^\s#]+)", line)
        if m:
            out[m[1].lower().replace("_", "-")] = m[2]
    return out


def _pyproject() -> dict[str, str]:
    data = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    deps = data["project"]["dependencies"] + data["project"]["optional-dependencies"]["dev"]
    assert all("==" in d for d in deps), "every direct dependency is pinned with =="
    return _pins(deps)


def test_environment_yml_lists_the_same_pins_as_pyproject():
    env = (REPO / "environment.yml").read_text(encoding="utf-8").splitlines()
    pip_pins = _pins(line for line in env if "==" in line)
    assert pip_pins == _pyproject()
    assert any(re.match(r"^\s*-\s*python=3\.11", line) for line in env)


def test_lock_pins_every_direct_dependency_at_the_same_version():
    lock = _pins((REPO / "requirements.lock").read_text(encoding="utf-8").splitlines())
    for name, ver in _pyproject().items():
        assert lock.get(name) == ver, f"{name}: pyproject {ver}, lock {lock.get(name)}"


def test_required_packages_are_direct_dependencies():
    pins = _pyproject()
    for name in ("jupyterlab", "papermill", "nbconvert", "pandas", "altair", "great-expectations"):
        assert name in pins
