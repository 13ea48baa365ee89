"""Fault injection: a run stopped at any of 21 points changes nothing anywhere.

A report is built; its inputs then change, and the next build is stopped by SIGINT or SIGTERM
(sent by the session's ``checkpoint`` hook) at one point after another: before, during and
after validation (while the report is rendered ahead in another thread, and without that),
derivation, rendering and writing the index. After each stop the previous report, its derived
tables and ``reports/index.html`` are byte-identical, nothing temporary or failed is left in
``reports/``, ``data/processed/`` or the staging folder, and the next run gets as far as the
next point; the last run succeeds. Every trial shares one kept kernel (interrupted, not killed,
when a render is stopped). ``kill -9`` is in tests/publish/test_builder.py.
"""

from __future__ import annotations

import os
import signal

import pytest

from odreport.publish import staging
from odreport.publish.builder import build
from odreport.publish.interrupts import Interrupted, stop_on_signals
from odreport.publish.session import Session
from support import REPO, make_project, tree

pytestmark = pytest.mark.e2e

ORG, PERIOD = "south-staffordshire", "2011-03"  # its latest period
CELLS = 17 + 1  # the notebook's cells and the injected parameters

# (point, rendered during validation?)
POINTS = [
    ("start", True),
    ("read", True),
    ("locked", True),
    ("validating", True),
    ("ahead:derived", True),  # during validation, in the thread rendering ahead
    ("ahead:tables-staged", True),
    ("ahead:render:cell-2", True),
    (f"ahead:render:cell-{CELLS // 2}", True),
    ("ahead:rendered", True),
    ("validated", True),
    ("report-staged", True),
    ("indexing", True),
    ("index-staged", True),  # the new index is written, not yet in place
    ("validated", False),
    ("derived", False),
    ("tables-staged", False),
    ("render:cell-1", False),
    (f"render:cell-{CELLS // 2}", False),
    (f"render:cell-{CELLS - 1}", False),
    ("rendered", False),
    ("index-staged", False),
]
CHANGED = "Fault-injection commentary: this text is in the new report only."


@pytest.fixture(scope="module")
def project(tmp_path_factory, kept):
    """South Staffordshire built once; then the commentary of an off-track action changes, so
    a run that got through would change the report."""
    project = make_project(tmp_path_factory.mktemp("faults"), {ORG: REPO / "data" / "raw" / ORG})
    build(project, ORG, session=kept)
    progress = project.raw_dir(ORG) / "progress.csv"
    lines = progress.read_text(encoding="utf-8").splitlines(keepends=True)
    # an off-track action: the report shows its latest commentary among the exceptions
    row = next(
        i for i, line in enumerate(lines) if line.startswith(f"{PERIOD},") and ",Red," in line
    )
    fields = lines[row].split(",")
    fields[6] = CHANGED  # commentary: no comma, no new warning
    lines[row] = ",".join(fields)
    progress.write_text("".join(lines), encoding="utf-8")
    return project


def _state(project) -> dict[str, dict[str, str]]:
    return {
        "reports": tree(project.reports),
        "processed": tree(project.processed),
        "staging": tree(staging.workdir(project) / "staging"),
        "debug": tree(staging.debug_dir(project)),
    }


@pytest.mark.parametrize(
    ("point", "ahead"), POINTS, ids=[f"{p}{'' if a else ' (no render ahead)'}" for p, a in POINTS]
)
def test_a_run_stopped_at_any_point_changes_nothing(project, kept, point, ahead):
    before = _state(project)
    assert before["staging"] == {} and before["debug"] == {}
    n = POINTS.index((point, ahead))
    signum = (signal.SIGINT, signal.SIGTERM)[n % 2]
    seen: list[str] = []

    def stop_here(step: str) -> None:
        seen.append(step)
        if step == point:
            os.kill(os.getpid(), signum)

    # validated every time: a trial stopped after validation would otherwise leave its result
    # in the validation cache, and the next trial would not render ahead
    session = Session(
        checkpoint=stop_here, speculate=ahead, cache_validation=False, kernels=kept.kernels
    )
    with pytest.raises(Interrupted) as caught, stop_on_signals():
        build(project, ORG, force=True, session=session)
    assert caught.value.signum == signum
    assert point in seen
    assert _state(project) == before
    assert not any(step.startswith("commit") for step in seen)


def test_the_next_run_succeeds(project, kept):
    before = _state(project)
    built = build(project, ORG, session=kept)
    assert built.rendered
    assert CHANGED in built.report.read_text(encoding="utf-8")
    after = _state(project)
    assert after["reports"] != before["reports"] and after["processed"] != before["processed"]
    assert after["staging"] == {} and after["debug"] == {}
