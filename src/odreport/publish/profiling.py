"""Where a report's time goes: ``make profile ORG=x`` (and the top items in ``make bench``).

Three views of one organisation's report, each a list of :class:`Item` (what, seconds):

- **cold**: ``odreport report --force`` as a new process would run it (imports, the kernel
  started while the inputs are validated in a process of its own, the report rendered
  meanwhile), with the validation cache bypassed: each step the build announces, timed in the
  thread that reached it (the report rendered during validation marks its steps ``ahead:``);
- **warm**: the same report in a process that has built it once already, keeping its kernel
  (a batch worker), every step run one after the other so that each is timed alone:
  reading, each validation suite (Great Expectations' run of it), the rest of validation,
  derivation, writing and auditing the derived tables, each notebook cell (run in the
  kernel), the organisation's local notebooks, the notebook normalised for audit, the HTML
  export, the commit;
- **cells**: the notebook's cells run again in this process on the report's derived tables,
  each timed, and each chart's SVG render within them (what the kernel spends its time on).

Timers only (no sampling profiler): the items are wall-clock seconds, on a shared machine
best compared with a profile taken in the same minute.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import re
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from odreport.paths import Project, check_org, find_root


@dataclass(frozen=True)
class Item:
    """One timed item: what it was, its seconds, and the view it belongs to."""

    view: str
    what: str
    seconds: float


class _Clock:
    """Items in order of completion; steps timed from the previous step of the same thread."""

    def __init__(self, view: str) -> None:
        self.view = view
        self.items: list[Item] = []
        self.last: dict[str, float] = {}
        self.start = time.perf_counter()

    def add(self, what: str, seconds: float) -> None:
        self.items.append(Item(self.view, what, round(seconds, 4)))

    def step(self, name: str) -> None:
        """A build's checkpoint: the time since the previous one of its thread (``ahead:``
        steps run in another thread than the rest)."""
        lane = "ahead" if name.startswith("ahead:") else "main"
        now = time.perf_counter()
        self.add(f"step {name}", now - self.last.get(lane, self.last.get("main", self.start)))
        self.last[lane] = now


@contextlib.contextmanager
def _timed(owner: object, name: str, label: Callable[..., str], clock: _Clock) -> Iterator[None]:
    """Time every call of ``owner.name`` in the block as an item labelled ``label(*args)``."""
    original = getattr(owner, name)

    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            clock.add(label(*args, **kwargs), time.perf_counter() - start)

    setattr(owner, name, wrapper)
    try:
        yield
    finally:
        setattr(owner, name, original)


def _suite_name(batch, suite, *args, **kwargs) -> str:
    return "validate: suite " + re.sub(r"-\d+$", "", suite.name)


def profile_warm(project: Project, org: str, period: str | None = None) -> list[Item]:
    """The warm view (see the module's notes): the report built once to warm up, then again,
    step by step, with the validation cache bypassed."""
    from great_expectations.datasource.fluent.interfaces import Batch

    from odreport.publish import builder, local, render
    from odreport.publish.session import Session

    clock = _Clock("warm")
    with Session(keep_kernels=True, speculate=False, cache_validation=False) as session:
        builder.build(project, org, period, force=True, session=session)
        session.hook = clock.step
        clock.last = {"main": time.perf_counter()}
        with contextlib.ExitStack() as timers:
            for owner, name, label in (
                (Batch, "validate", _suite_name),
                (builder, "read_inputs", lambda *a, **k: "read inputs"),
                (builder, "derive_tables", lambda *a, **k: "derive tables"),
                (builder, "write_tables", lambda *a, **k: "write derived tables"),
                (builder, "audit_written", lambda *a, **k: "audit survey tables as written"),
                (local, "include", lambda *a, **k: "local notebooks run and placed"),
                (render, "for_audit", lambda *a, **k: "notebook normalised for audit"),
                (render, "export_html", lambda *a, **k: "export HTML (nbconvert)"),
            ):
                timers.enter_context(_timed(owner, name, label, clock))
            start = time.perf_counter()
            builder.build(project, org, period, force=True, session=session)
            clock.add("total: warm report", time.perf_counter() - start)
    return clock.items


def profile_cells(project: Project, org: str, period: str | None = None) -> list[Item]:
    """The cells view: the report notebook's cells run in this process on the derived tables
    of the report built last (build it first), each timed, with each chart's render."""
    import nbformat

    from odreport.publish.pipeline import NOTEBOOK
    from odreport.report import charts

    folders = sorted(p.parent for p in project.processed.glob(f"{org}/*/summary.json"))
    folders = [f for f in folders if period is None or f.name == period]
    if not folders:
        raise FileNotFoundError(f"no derived tables for {org}: build its report first")
    folder = folders[-1]
    clock = _Clock("cells")
    nb = nbformat.read(project.notebooks / NOTEBOOK, as_version=4)
    names = {"org": org, "period": folder.name, "processed_dir": str(folder)}
    current = {"cell": ""}

    def chart_label(*args, **kwargs) -> str:
        return f"chart in {current['cell']}"

    code = [c for c in nb.cells if c.cell_type == "code"]
    start = time.perf_counter()
    charts.warm_up()  # as the kernel does before its first report (publish.kernels.WARM_UP)
    clock.add("vl-convert started (before the first report only)", time.perf_counter() - start)
    with (
        _timed(charts, "to_svg", chart_label, clock),
        contextlib.redirect_stdout(io.StringIO()),
        contextlib.chdir(project.root),  # as the kernel runs them
    ):
        for index, cell in enumerate(code):
            source = cell.source
            if "parameters" in cell.metadata.get("tags", []):
                exec(compile(source, f"cell-{index}", "exec"), names)
                names.update(org=org, period=folder.name, processed_dir=str(folder))
                continue
            first = source.strip().splitlines()[0] if source.strip() else ""
            current["cell"] = f"cell {index}: {first[:60]}"
            start = time.perf_counter()
            exec(compile(source, f"cell-{index}", "exec"), names)
            clock.add(current["cell"], time.perf_counter() - start)
    return clock.items


COLD_CODE = """
import json, sys, time
start = time.perf_counter()
from odreport.publish.profiling import cold_in_this_process
items = cold_in_this_process(sys.argv[1], sys.argv[2], sys.argv[3] or None, start)
print(json.dumps(items))
"""


def cold_in_this_process(root: str, org: str, period: str | None, start: float) -> list[dict]:
    """The cold view, in a fresh process (:func:`profile_cold` runs this): what
    ``odreport report --force`` does, its steps timed; ``start`` is when the process began
    its imports."""
    from odreport.publish.builder import build
    from odreport.publish.session import Session

    clock = _Clock("cold")
    clock.add("import odreport (publish)", time.perf_counter() - start)
    clock.last = {"main": time.perf_counter()}
    begin = time.perf_counter()
    with Session(validate_apart=True, cache_validation=False, checkpoint=clock.step) as session:
        build(Project(Path(root)), org, period, force=True, session=session)
    clock.add("total: cold report (after imports)", time.perf_counter() - begin)
    return [asdict(i) for i in clock.items]


def profile_cold(project: Project, org: str, period: str | None = None) -> list[Item]:
    """The cold view, measured in a new Python process."""
    done = subprocess.run(
        [sys.executable, "-c", COLD_CODE, str(project.root), org, period or ""],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        tail = " | ".join(done.stderr.strip().splitlines()[-3:])
        raise RuntimeError(f"the cold profile failed: {tail}")
    return [Item(**fields) for fields in json.loads(done.stdout.strip().splitlines()[-1])]


def profile(project: Project, org: str, period: str | None = None) -> list[Item]:
    """All three views of ``org``'s report (renders it three times, forced)."""
    check_org(project, org)
    return (
        profile_cold(project, org, period)
        + profile_warm(project, org, period)
        + profile_cells(project, org, period)
    )


def top(items: list[Item], n: int = 12, view: str | None = None) -> list[Item]:
    """The ``n`` longest items (of ``view``), totals left out."""
    chosen = [i for i in items if (view is None or i.view == view)]
    chosen = [i for i in chosen if not i.what.startswith("total:")]
    return sorted(chosen, key=lambda i: -i.seconds)[:n]


def table(items: list[Item]) -> str:
    """Items as lines: ``view  seconds  what``."""
    return "\n".join(f"{i.view:<5}  {i.seconds:7.3f} s  {i.what}" for i in items)


def main(argv: list[str] | None = None) -> int:
    """``python -m odreport.publish.profiling --org x [--period YYYY-MM] [--json FILE]``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--org", required=True)
    parser.add_argument("--period", default="")
    parser.add_argument("--root", type=Path, default=None)
    parser.add_argument("--json", type=Path, default=None, help="write every item here too")
    args = parser.parse_args(argv)
    project = Project(args.root.resolve() if args.root else find_root())
    items = profile(project, args.org, args.period or None)
    for view in ("cold", "warm", "cells"):
        mine = [i for i in items if i.view == view]
        print(f"\n{view}: every item in order")
        print(table(mine))
        print(f"\n{view}: the longest items")
        print(table(top(mine)))
    if args.json:
        args.json.write_text(json.dumps([asdict(i) for i in items], indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
