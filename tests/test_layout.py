"""The package's layout: stages import only from the stages before them, the README's Layout
block names every module, and every module has a test module mirroring its path."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from support import REPO

PACKAGE = REPO / "src" / "odreport"
# Order of the stages; a module may import from its own stage and the ones before it.
STAGES = ["", "inputs", "checks", "metrics", "report", "publish", "demo", "cli"]
SHARED = {"errors", "paths", "files", "__init__"}  # top-level modules every stage may use
# Modules whose tests live elsewhere for now (each named with where they are tested).
TESTED_ELSEWHERE = {
    "errors": "exit codes in tests/test_cli.py",
    "paths": "tests/test_cli.py and every project fixture",
    "inputs/questions": "tests/metrics/test_surveys.py (question metadata per wave)",
    "publish/provenance": "tests/publish/test_pipeline.py (provenance section)",
    "demo/progress": "tests/test_organisations.py (committed demonstration files)",
}


def modules() -> list[str]:
    """Every module as ``stage/name`` (or ``name`` at the top), ``__init__`` files excluded."""
    return sorted(
        str(p.relative_to(PACKAGE).with_suffix(""))
        for p in PACKAGE.rglob("*.py")
        if p.name != "__init__.py"
    )


def stage_of(dotted: str) -> str:
    """The stage of ``odreport.<stage>.<module>``; shared top-level modules have stage ''."""
    parts = dotted.split(".")[1:]
    if not parts or parts[0] in SHARED or parts[0] not in STAGES:
        return ""  # a shared module, or a name defined in odreport/__init__.py
    return parts[0]


def imported(path: Path) -> set[str]:
    """The odreport modules a file imports (``from odreport.x import y`` counts y too, as y may
    be a module)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("odreport")}
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("odreport"):
            found.add(node.module)
            if node.module == "odreport":
                found |= {f"odreport.{a.name}" for a in node.names}
    return found


@pytest.mark.parametrize("module", modules())
def test_a_stage_imports_only_from_the_stages_before_it(module):
    me = stage_of("odreport." + module.replace("/", "."))
    later = [
        m
        for m in imported(PACKAGE / f"{module}.py")
        if STAGES.index(stage_of(m)) > STAGES.index(me)
    ]
    assert not later, f"{module} imports from a later stage: {later}"


def test_the_stage_rule_would_catch_an_import_from_a_later_stage(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("from odreport.publish.pipeline import build\n", encoding="utf-8")
    assert STAGES.index(stage_of(next(iter(imported(bad))))) > STAGES.index("metrics")


def test_the_readme_layout_names_every_module():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = readme.split("## Layout", 1)[1].split("\n## ", 1)[0]
    missing = [m for m in modules() if not re.search(rf"\b{re.escape(Path(m).name)}\.py\b", block)]
    assert not missing, f"README Layout does not name: {missing}"
    stages = [s for s in STAGES if s and s != "cli"]
    assert all(f"{s}/" in block for s in stages)


def test_every_module_has_a_test_module_mirroring_its_path():
    missing = [
        m
        for m in modules()
        if m not in TESTED_ELSEWHERE
        and not (REPO / "tests" / Path(m).parent / f"test_{Path(m).name}.py").exists()
    ]
    assert not missing, f"no tests/<stage>/test_<module>.py for: {missing}"
    stale = [m for m in TESTED_ELSEWHERE if (PACKAGE / f"{m}.py").exists() is False]
    assert not stale, f"TESTED_ELSEWHERE names modules that no longer exist: {stale}"
