"""Benchmark odreport on this machine, in one run, against the issue's targets (`make bench`).

Synthetic organisations (``odreport.demo.synthetic``, seeded) are written into a temporary project
laid out like the test projects (the repository's ``notebooks/`` and ``expectations/``, empty
``data/`` and ``reports/``); nothing is written into the repository except the results file.
The measures, each printed as it completes:

1. one report, ours, cold: ``odreport --root TMP report --org synth-000 --force`` as a new
   process, what ``make report`` costs (median of ``--repeats``; the first run validates the
   inputs, the others find that result in the validation cache, ``odreport.checks.cache``, as
   a forced re-render of unchanged inputs does; the first run is recorded too);
2. one report, ours, warm batch worker: ``odreport.publish.builder.build(..., force=True)`` in this
   process with a session keeping one kernel (``Session(keep_kernels=True)``), as a batch worker
   runs it after a warm-up call (median); then the same with the validation cache off
   (``cache_validation=False``), as a batch of organisations never validated before runs;
3. the naive chain on the same notebook and derived data: the ``papermill`` CLI then
   ``jupyter nbconvert --to html --no-input`` (median of the sums), and both ratios;
4. an unchanged re-run: ``odreport --root TMP report --org synth-000`` (median);
5. ``make reports WORKERS=n FORCE=1`` over ``--orgs`` organisations (none validated before),
   then an unchanged ``make reports``; the package's own environment is used as it is (``-o``
   keeps make from reinstalling it when ``.venv/.installed-stamp`` is older than
   ``pyproject.toml``);
6. ``--survey-rows`` respondent-level survey rows (``odreport.demo.surveys.generate_responses``)
   written as CSV, then read, validated with the Great Expectations suites and aggregated
   (``surveys.question_results``) in a fresh child process: time per step and that process's
   own peak resident set (``VmHWM``; its ``ru_maxrss`` is recorded too, but on Linux it starts
   from this benchmark process's resident set at the fork);
7. the profile of synth-000's report (``make profile``, ``odreport.publish.profiling``): its
   longest items are printed after the table, every item is in the results file.

Targets (issue 18): one report (cold) at most 0.40 of the naive chain's time; a warm report at
most 1.0 s; an unchanged re-run at most 0.5 s; 100 organisations in at most 60 s at 2 workers;
1,000,000 survey rows read, validated and aggregated in at most 10 s with a peak of at most
800 MiB. The size-bound ones are judged only at those sizes. The machine's load average is
recorded at the start and the end (a busy machine makes every figure slower). The script
prints a table and writes every
measurement (each repetition too) to ``--out``. It exits 0 when a target is missed (the table
says so) and 1 when a step itself failed, naming the step; the steps that do not depend on a
failed one still run.

    python scripts/bench.py [--orgs 100] [--repeats 5] [--workers 2] [--survey-rows 1000000]
                            [--out reports/benchmarks.json] [--keep]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent  # the same environment's odreport, papermill and jupyter
NOTEBOOK = Path("notebooks") / "governance_report.ipynb"
STAMP = ".venv/.installed-stamp"  # the Makefile's install stamp (never remade by the benchmark)
ORG = "synth-000"  # the organisation of the single-report measures
SURVEY_ORG = "survey-bench"
SURVEY_THEMES = 7  # generate_responses' questions refer to themes T1..T7
GB = 1_000_000_000
PROFILE_TOP = 8  # items of each view of the profile printed after the table

Measures = dict[str, Any]


class StepFailed(Exception):
    """A benchmark step itself failed (as opposed to a target being missed)."""

    def __init__(self, step: str, message: str) -> None:
        super().__init__(f"{step}: {message}")
        self.step = step
        self.message = message


# --- pure helpers ----------------------------------------------------------------------------


def median(values: list[float]) -> float:
    """The median of ``values`` (at least one)."""
    if not values:
        raise ValueError("median of no values")
    return float(statistics.median(values))


def org_name(i: int) -> str:
    """``synth-000``, ``synth-001``, ...: the i-th synthetic organisation."""
    return f"synth-{i:03d}"


def maxrss_mib(ru_maxrss: int, system: str = sys.platform) -> float:
    """``ru_maxrss`` in MiB: Linux reports KiB, macOS bytes."""
    return ru_maxrss / 2**20 if system == "darwin" else ru_maxrss / 2**10


def parse_vm_hwm(status: str) -> float | None:
    """The ``VmHWM`` (peak resident set) of a ``/proc/<pid>/status`` text, in MiB."""
    match = re.search(r"^VmHWM:\s+(\d+) kB$", status, re.MULTILINE)
    return int(match.group(1)) / 2**10 if match else None


def period_of(report: str) -> str:
    """The period of a report path: ``reports/synth-000/2024-11/report.html`` → ``2024-11``."""
    period = Path(report.strip()).parent.name
    if not re.fullmatch(r"\d{4}-\d{2}", period):
        raise ValueError(f"not a report path: {report!r}")
    return period


_SUMMARY_RE = re.compile(
    r"^(?P<total>\d+) reports?: (?P<rendered>\d+) rendered, (?P<up_to_date>\d+) up to date, "
    r"(?P<failed>\d+) failed in (?P<seconds>[\d.]+) s$"
)


def parse_batch_summary(output: str) -> dict[str, float]:
    """The counts of ``odreport reports``' last summary line
    (``3 reports: 3 rendered, 0 up to date, 0 failed in 41.0 s``); empty if there is none."""
    for line in reversed(output.splitlines()):
        match = _SUMMARY_RE.match(line.strip())
        if match:
            return {
                k: (float(v) if k == "seconds" else int(v)) for k, v in match.groupdict().items()
            }
    return {}


def outcome_lines(output: str) -> list[str]:
    """The per-report lines of ``odreport reports``' output (``synth-000: rendered ... (9.1 s)``),
    without make's own lines and the summary."""
    return [
        line
        for line in output.splitlines()
        if re.match(r"^[a-z0-9][a-z0-9-]*( \d{4}-\d{2})?: (rendered|up to date|failed)\b", line)
    ]


def fmt_s(seconds: float) -> str:
    """Seconds for the table: ``0.42 s``, ``7.81 s``, ``153.2 s``."""
    return f"{seconds:.1f} s" if seconds >= 100 else f"{seconds:.2f} s"


@dataclass(frozen=True)
class Target:
    """A target from the issue: ``value <= limit`` (inclusive) or ``value < limit``."""

    key: str  # where the value is: measure key and field, e.g. "rerun.median_s"
    limit: float
    inclusive: bool
    text: str  # as shown in the table
    sizes: tuple[tuple[str, int], ...] = ()  # settings the target is stated for

    def applies(self, settings: dict[str, Any]) -> bool:
        """Whether the run was made at the sizes the target is stated for."""
        return all(settings.get(name) == value for name, value in self.sizes)

    def met(self, value: float | None, settings: dict[str, Any]) -> bool | None:
        """True/False; ``None`` when there is no value or the target does not apply."""
        if value is None or not self.applies(settings):
            return None
        return value <= self.limit if self.inclusive else value < self.limit


TARGETS: dict[str, Target] = {  # issue 18's
    "report_vs_naive": Target("ratios.cold_over_naive", 0.4, True, "≤ 0.40"),
    "warm": Target("report_warm.median_s", 1.0, True, "≤ 1.0 s"),
    "rerun": Target("rerun.median_s", 0.5, True, "≤ 0.5 s"),
    "batch": Target(
        "batch.seconds",
        60.0,
        True,
        "≤ 60 s (100 orgs, 2 workers)",
        (("orgs", 100), ("workers", 2)),
    ),
    "survey_total": Target(
        "survey.total_s",
        10.0,
        True,
        "≤ 10 s (1,000,000 rows)",
        (("survey_rows", 1_000_000),),
    ),
    "survey_peak": Target(
        "survey.peak_rss_mib",
        800.0,
        True,
        "≤ 800 MiB (1,000,000 rows)",
        (("survey_rows", 1_000_000),),
    ),
}


def lookup(measures: Measures, key: str) -> Any:
    """``measures["rerun"]["median_s"]`` for ``"rerun.median_s"``; ``None`` when absent."""
    value: Any = measures
    for part in key.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def evaluate_targets(measures: Measures, settings: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Every target with its value, whether it applies at these sizes, and whether it was met."""
    out = {}
    for name, target in TARGETS.items():
        value = lookup(measures, target.key)
        out[name] = {
            "measure": target.key,
            "value": value,
            "limit": target.limit,
            "comparison": "<=" if target.inclusive else "<",
            "target": target.text,
            "applies": target.applies(settings),
            "met": target.met(value, settings),
        }
    return out


@dataclass(frozen=True)
class Row:
    """One line of the results table."""

    measure: str
    value: str
    target: str = ""
    met: bool | None = None


def _met_text(row: Row) -> str:
    if not row.target:
        return ""
    return "n/a" if row.met is None else ("yes" if row.met else "NO")


def format_table(rows: list[Row]) -> str:
    """A plain-text table: measure | value | target | met."""
    header = ("measure", "value", "target", "met")
    cells = [header] + [(r.measure, r.value, r.target, _met_text(r)) for r in rows]
    widths = [max(len(c[i]) for c in cells) for i in range(4)]

    def line(c: tuple[str, ...]) -> str:
        return f"{c[0]:<{widths[0]}}  {c[1]:>{widths[1]}}  {c[2]:<{widths[2]}}  {c[3]}".rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(header), rule, *(line(c) for c in cells[1:])])


def table_rows(
    measures: Measures,
    settings: dict[str, Any],
    targets: dict[str, dict[str, Any]],
    failures: list[dict[str, str]] | None = None,
) -> list[Row]:
    """The table's rows for whatever was measured (a failed run has only some measures), then
    a row per failed step."""
    n = settings.get("repeats", 0)
    rows: list[Row] = []

    def met(name: str) -> bool | None:
        return targets[name]["met"]

    if "report_cold" in measures:
        cold = measures["report_cold"]
        rows.append(Row(f"one report, ours, cold CLI (median of {n})", fmt_s(cold["median_s"])))
        if "first_s" in cold:
            rows.append(Row("  first run (inputs not validated before)", fmt_s(cold["first_s"])))
    if "report_warm" in measures:
        warm = measures["report_warm"]
        rows.append(
            Row(
                f"one report, ours, warm batch worker (median of {n})",
                fmt_s(warm["median_s"]),
                TARGETS["warm"].text,
                met("warm"),
            )
        )
        if "uncached_median_s" in warm:
            rows.append(
                Row(
                    "  validating every time (validation cache off)",
                    fmt_s(warm["uncached_median_s"]),
                )
            )
    if "naive" in measures:
        rows.append(
            Row(
                f"naive chain: papermill + nbconvert CLIs (median of {n})",
                fmt_s(measures["naive"]["median_s"]),
            )
        )
    ratios = measures.get("ratios", {})
    if "cold_over_naive" in ratios:
        rows.append(
            Row(
                "  ratio ours cold / naive",
                f"{ratios['cold_over_naive']:.2f}",
                TARGETS["report_vs_naive"].text,
                met("report_vs_naive"),
            )
        )
    if "warm_over_naive" in ratios:
        rows.append(
            Row("  ratio ours warm / naive (information)", f"{ratios['warm_over_naive']:.2f}")
        )
    if "rerun" in measures:
        rerun = measures["rerun"]
        note = " (re-rendered!)" if rerun.get("rerendered") else ""
        rows.append(
            Row(
                f"unchanged re-run, cold CLI (median of {n}){note}",
                fmt_s(rerun["median_s"]),
                TARGETS["rerun"].text,
                met("rerun"),
            )
        )
    if "batch" in measures:
        batch = measures["batch"]
        rows.append(
            Row(
                f"{batch['orgs']} organisations, make reports, {batch['workers']} workers",
                fmt_s(batch["seconds"]),
                TARGETS["batch"].text,
                met("batch"),
            )
        )
        if "rerun_seconds" in batch:
            rows.append(Row("  second make reports, unchanged", fmt_s(batch["rerun_seconds"])))
    if "survey" in measures:
        survey = measures["survey"]
        label = f"{survey['rows']:,} survey rows"
        for step in ("read", "validate", "aggregate"):
            rows.append(Row(f"{label}: {step}", fmt_s(survey[f"{step}_s"])))
        rows.append(
            Row(
                f"{label}: total",
                fmt_s(survey["total_s"]),
                TARGETS["survey_total"].text,
                met("survey_total"),
            )
        )
        rows.append(
            Row(
                f"{label}: peak memory (RSS)",
                f"{survey['peak_rss_mib']:.0f} MiB",
                TARGETS["survey_peak"].text,
                met("survey_peak"),
            )
        )
    rows += [Row(failure["step"], "FAILED") for failure in failures or []]
    return rows


# --- running things --------------------------------------------------------------------------


@dataclass
class Bench:
    """The state of one benchmark run."""

    root: Path  # the temporary project
    settings: dict[str, Any]
    env: dict[str, str]
    period: str = ""  # the period of synth-000's report, known after the first render


def make_project(root: Path) -> Path:
    """A project in ``root`` with the repository's notebooks and suites (as the tests make)."""
    for name in ("notebooks", "expectations"):
        shutil.copytree(REPO / name, root / name)
    (root / "data" / "raw").mkdir(parents=True)
    (root / "data" / "processed").mkdir(parents=True)
    (root / "reports").mkdir()
    return root


def run(step: str, command: list[str], bench: Bench, cwd: Path | None = None) -> tuple[float, str]:
    """Run ``command``; return its wall time and standard output. Raise :class:`StepFailed`
    naming ``step`` when it exits non-zero."""
    start = time.perf_counter()
    done = subprocess.run(
        command,
        cwd=cwd or bench.root,
        env=bench.env,
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        tail = (done.stderr.strip() or done.stdout.strip()).splitlines()[-5:]
        raise StepFailed(
            step,
            f"`{' '.join(command)}` exited {done.returncode}: " + " | ".join(tail),
        )
    return seconds, done.stdout


def say(text: str) -> None:
    """Print progress at once (a full run takes minutes)."""
    print(text, flush=True)


def repeat(label: str, n: int, once: Callable[[], float]) -> list[float]:
    """Call ``once`` ``n`` times, printing each time it returns."""
    times = []
    for i in range(1, n + 1):
        seconds = once()
        times.append(seconds)
        say(f"  {label} {i}/{n}: {fmt_s(seconds)}")
    return times


def odreport(*args: str, bench: Bench) -> list[str]:
    """The ``odreport`` command on the temporary project."""
    return [str(BIN / "odreport"), "--root", str(bench.root), *args]


def setup(bench: Bench) -> Measures:
    """Write the synthetic organisations ``synth-000`` ... into the temporary project."""
    from odreport.demo.synthetic import write_synthetic_org
    from odreport.paths import Project

    project = Project(bench.root)
    start = time.perf_counter()
    for i in range(bench.settings["orgs"]):
        write_synthetic_org(project, org_name(i), seed=i)
    return {"orgs": bench.settings["orgs"], "seconds": time.perf_counter() - start}


def measure_report_cold(bench: Bench) -> Measures:
    """(1) One report with the ``odreport`` command in a new process, forced, ``repeats`` times."""
    step = "one report, ours, cold"
    command = odreport("report", "--org", ORG, "--force", bench=bench)
    reports: list[str] = []

    def once() -> float:
        seconds, out = run(step, command, bench)
        reports.append(out.strip().splitlines()[-1] if out.strip() else "")
        return seconds

    times = repeat("cold", bench.settings["repeats"], once)
    report = reports[-1]
    if not (bench.root / report).is_file():
        raise StepFailed(step, f"no report at {report!r}")
    bench.period = period_of(report)
    return {
        "command": command,
        "report": report,
        "seconds": times,
        "median_s": median(times),
        # the first run validates; the others find its result in the validation cache
        "first_s": times[0],
    }


def measure_report_warm(bench: Bench) -> Measures:
    """(2) One report with ``odreport.publish.builder.build`` in this process, after a warm-up call,
    keeping one kernel as a batch worker does (``Session(keep_kernels=True)``)."""
    from odreport.paths import Project
    from odreport.publish.builder import build
    from odreport.publish.session import Session

    step = "one report, ours, warm batch worker"
    project = Project(bench.root)

    def once(session: Session) -> float:
        start = time.perf_counter()
        try:
            built = build(project, ORG, force=True, session=session)
        except Exception as exc:
            raise StepFailed(step, f"{exc.__class__.__name__}: {exc}") from exc
        if not built.rendered:
            raise StepFailed(step, "build(force=True) did not render")
        return time.perf_counter() - start

    with Session(keep_kernels=True) as session:
        warmup = once(session)
        say(f"  warm-up: {fmt_s(warmup)}")
        times = repeat("warm", bench.settings["repeats"], lambda: once(session))
        # what a batch of organisations not validated before costs per report
        uncached = Session(cache_validation=False, kernels=session.kernels)
        plain = repeat("warm, validating", bench.settings["repeats"], lambda: once(uncached))
    return {
        "warmup_s": warmup,
        "seconds": times,
        "median_s": median(times),
        "uncached_seconds": plain,
        "uncached_median_s": median(plain),
    }


def measure_profile(bench: Bench) -> Measures:
    """(7) Where one report's time goes (``make profile``: odreport.publish.profiling), for
    synth-000: every item, and the longest of each view."""
    from dataclasses import asdict

    from odreport.paths import Project
    from odreport.publish import profiling

    items = profiling.profile(Project(bench.root), ORG)
    return {
        "items": [asdict(i) for i in items],
        "top": {
            view: [asdict(i) for i in profiling.top(items, PROFILE_TOP, view)]
            for view in ("cold", "warm", "cells")
        },
    }


def profile_lines(measures: Measures) -> list[str]:
    """The profile's longest items, per view, for the end of the output."""
    top = lookup(measures, "profile.top") or {}
    lines = []
    for view, items in top.items():
        lines.append(f"profile, {view}: the {len(items)} longest items (synth-000)")
        lines += [f"  {i['seconds']:7.3f} s  {i['what']}" for i in items]
    return lines


def measure_naive(bench: Bench) -> Measures:
    """(3) The naive chain: the papermill CLI, then ``jupyter nbconvert --to html --no-input``,
    on the same notebook and the derived data the reports above were made from."""
    step = "naive chain"
    processed = Path("data") / "processed" / ORG / bench.period
    if not (bench.root / processed).is_dir():
        raise StepFailed(step, f"no derived data in {processed}")
    out_dir = bench.root / "naive"
    out_dir.mkdir(exist_ok=True)
    executed = Path("naive") / "governance_report.ipynb"
    papermill = [
        str(BIN / "papermill"),
        str(NOTEBOOK),
        str(executed),
        "-p",
        "org",
        ORG,
        "-p",
        "period",
        bench.period,
        "-p",
        "processed_dir",
        processed.as_posix(),
    ]
    nbconvert = [str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(executed)]
    parts: dict[str, list[float]] = {"papermill_s": [], "nbconvert_s": []}

    def once() -> float:
        (bench.root / executed.with_suffix(".html")).unlink(missing_ok=True)
        first, _ = run(step, papermill, bench)
        second, _ = run(step, nbconvert, bench)
        if not (bench.root / executed.with_suffix(".html")).is_file():
            raise StepFailed(step, "nbconvert wrote no HTML")
        parts["papermill_s"].append(first)
        parts["nbconvert_s"].append(second)
        return first + second

    times = repeat("naive", bench.settings["repeats"], once)
    return {
        "commands": [papermill, nbconvert],
        **parts,
        "seconds": times,
        "median_s": median(times),
    }


def measure_rerun(bench: Bench) -> Measures:
    """(4) The same report again, nothing changed: ``odreport report`` without ``--force``."""
    step = "unchanged re-run"
    command = odreport("report", "--org", ORG, bench=bench)
    html = bench.root / "reports" / ORG / bench.period / "report.html"
    before = html.stat().st_mtime_ns
    times = repeat("re-run", bench.settings["repeats"], lambda: run(step, command, bench)[0])
    return {
        "command": command,
        "seconds": times,
        "median_s": median(times),
        "rerendered": html.stat().st_mtime_ns != before,
    }


def measure_batch(bench: Bench) -> Measures:
    """(5) Every organisation with ``make reports`` (forced), then again unchanged."""
    step = "make reports"
    if shutil.which("make") is None:
        raise StepFailed(step, "make is not installed")
    workers = bench.settings["workers"]
    stale = subprocess.run(
        ["make", "-C", str(REPO), "-q", STAMP], capture_output=True, check=False
    ).returncode
    command = ["make", "-C", str(REPO), "-o", STAMP, "reports", f"WORKERS={workers}"]
    seconds, out = run(step, [*command, "FORCE=1"], bench)
    first = parse_batch_summary(out)
    outcomes = outcome_lines(out)
    say(f"  make reports: {fmt_s(seconds)} ({', '.join(f'{k} {v}' for k, v in first.items())})")
    orgs = [org_name(i) for i in range(bench.settings["orgs"])]
    missing = [o for o in orgs if not list((bench.root / "reports" / o).glob("*/report.html"))]
    if missing:
        raise StepFailed(step, f"no report for {len(missing)} organisations, e.g. {missing[0]}")
    again, out2 = run(step, command, bench)
    second = parse_batch_summary(out2)
    say(f"  make reports, unchanged: {fmt_s(again)} ({second.get('up_to_date', '?')} up to date)")
    return {
        "command": [*command, "FORCE=1"],
        "orgs": len(orgs),
        "workers": workers,
        "seconds": seconds,
        "summary": first,
        "outcomes": outcomes,
        "rerun_command": command,
        "rerun_seconds": again,
        "rerun_summary": second,
        "stamp_stale": stale != 0,
    }


def own_maxrss_mib() -> float:
    """This process's ``ru_maxrss`` in MiB.

    On Linux it survives fork and exec: a child started from this (large) benchmark process
    starts with the parent's resident set at the fork as its maximum, so it is recorded but not
    judged.
    """
    return maxrss_mib(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def own_peak_mib() -> float:
    """This process's own peak resident set in MiB: ``VmHWM``, the peak of the process image
    since exec (Linux), else ``ru_maxrss``."""
    try:
        hwm = parse_vm_hwm(Path("/proc/self/status").read_text(encoding="utf-8"))
    except OSError:
        hwm = None
    return hwm if hwm is not None else own_maxrss_mib()


def survey_setup_child(root: str, rows: int) -> dict[str, Any]:
    """In a child process: a synthetic organisation plus ``rows`` generated survey rows as CSV."""
    from odreport.demo.surveys import generate_responses
    from odreport.demo.synthetic import write_synthetic_org
    from odreport.inputs.surveymonkey import write_responses
    from odreport.paths import Project

    project = Project(Path(root))
    folder = write_synthetic_org(project, SURVEY_ORG, seed=0, themes=SURVEY_THEMES)
    start = time.perf_counter()
    tables = generate_responses(rows, seed=1)
    generated = time.perf_counter() - start
    start = time.perf_counter()
    for name in ("surveys", "survey_scales", "survey_questions"):
        frame = tables[name].drop(columns="_row")
        frame.to_csv(folder / f"{name}.csv", index=False, lineterminator="\n")
    write_responses(tables["survey_responses"], folder / "survey_responses.csv")
    written = time.perf_counter() - start
    return {
        "generate_s": generated,
        "write_s": written,
        "peak_rss_mib": own_peak_mib(),
        "ru_maxrss_mib": own_maxrss_mib(),
        "responses_csv_mib": (folder / "survey_responses.csv").stat().st_size / 2**20,
    }


def survey_measure_child(root: str) -> dict[str, Any]:
    """In a fresh child process: read, validate and aggregate the survey organisation's inputs;
    the time of each step and the process's peak RSS after each."""
    from odreport.checks.validate import validate_inputs
    from odreport.inputs.tables import read_inputs
    from odreport.metrics import derive
    from odreport.metrics.surveys import SurveySettings, question_results
    from odreport.paths import Project

    project = Project(Path(root))
    out: dict[str, Any] = {"peak_rss_mib_after": {"start": own_peak_mib()}}
    start = time.perf_counter()
    inputs = read_inputs(project.raw_dir(SURVEY_ORG), project.expectations)
    out["read_s"] = time.perf_counter() - start
    out["peak_rss_mib_after"]["read"] = own_peak_mib()
    start = time.perf_counter()
    problems = validate_inputs(inputs, project.expectations)
    out["validate_s"] = time.perf_counter() - start
    out["peak_rss_mib_after"]["validate"] = own_peak_mib()
    period = derive.periods(inputs)[-1]
    start = time.perf_counter()
    summary, options = question_results(inputs, period, SurveySettings())
    out["aggregate_s"] = time.perf_counter() - start
    out["peak_rss_mib_after"]["aggregate"] = own_peak_mib()
    out["peak_rss_mib"] = own_peak_mib()
    out["ru_maxrss_mib"] = own_maxrss_mib()  # includes the parent's RSS at the fork
    critical = [p.line() for p in problems if p.is_critical]
    out.update(
        {
            "rows_read": len(inputs.tables.get("survey_responses", ())),
            "period": period,
            "summary_rows": len(summary),
            "option_rows": len(options),
            "critical_problems": len(critical),
            "warnings": len(problems) - len(critical),
            "first_problems": critical[:5],
        }
    )
    return out


def in_child(function: Callable[..., dict[str, Any]], *args: Any) -> dict[str, Any]:
    """Run ``function(*args)`` in a new (spawned) process, so its peak memory is its own."""
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        return pool.submit(function, *args).result()


def measure_survey(bench: Bench) -> Measures:
    """(6) Survey rows: generate and write them, then read, validate and aggregate them in a
    fresh child process (time per step, peak RSS of that process)."""
    step = "survey rows"
    rows = bench.settings["survey_rows"]
    root = make_project(bench.root / "survey-project")
    try:
        made = in_child(survey_setup_child, str(root), rows)
        say(f"  generated in {fmt_s(made['generate_s'])}, written in {fmt_s(made['write_s'])}")
        result = in_child(survey_measure_child, str(root))
    except Exception as exc:
        raise StepFailed(step, f"{exc.__class__.__name__}: {exc}") from exc
    result["rows"] = rows
    result["setup"] = made
    result["total_s"] = result["read_s"] + result["validate_s"] + result["aggregate_s"]
    if result["rows_read"] != rows:
        raise StepFailed(step, f"read {result['rows_read']} rows, expected {rows}")
    return result


# --- the run ---------------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    """The machine the numbers are from."""
    from odreport import __version__

    info: dict[str, Any] = {
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "odreport": __version__,
        "load_average_start": [round(x, 2) for x in os.getloadavg()],
    }
    try:
        meminfo = Path("/proc/meminfo").read_text(encoding="utf-8")
    except OSError:
        meminfo = ""
    total = re.search(r"^MemTotal:\s+(\d+) kB$", meminfo, re.MULTILINE)
    if total:
        info["memory_gib"] = round(int(total.group(1)) / 2**20, 1)
    return info


@dataclass(frozen=True)
class Step:
    """One measure: its key in the results, its title, what it runs, and the steps it needs."""

    key: str
    title: str
    function: Callable[[Bench], Measures]
    needs: tuple[str, ...] = ()


STEPS: list[Step] = [
    Step("setup", "write the synthetic organisations", setup),
    Step(
        "report_cold",
        "one report, ours, cold (odreport report --force)",
        measure_report_cold,
        ("setup",),
    ),
    Step(
        "report_warm",
        "one report, ours, warm batch worker (builder.build, kept kernel)",
        measure_report_warm,
        ("setup",),
    ),
    Step(
        "naive",
        "naive chain (papermill CLI + jupyter nbconvert CLI)",
        measure_naive,
        ("report_cold",),
    ),
    Step("rerun", "unchanged re-run (odreport report)", measure_rerun, ("report_cold",)),
    Step("batch", "make reports", measure_batch, ("setup",)),
    Step("survey", "survey rows: read, validate, aggregate", measure_survey),
    Step("profile", "profile of one report (make profile)", measure_profile, ("setup",)),
]


def code_digest(project_root: Path) -> str:
    """A digest of the code a report's fingerprint covers (the package, notebooks, suites):
    when it changes during a run, "unchanged" re-runs render again."""
    import hashlib

    from odreport.paths import Project
    from odreport.publish.manifest import code_files

    digest = hashlib.sha256()
    for path in code_files(Project(project_root)):
        digest.update(str(path).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def run_steps(bench: Bench, steps: list[Step]) -> tuple[Measures, list[dict[str, str]]]:
    """Run ``steps`` in order; a step whose prerequisite failed is skipped. Returns the
    measures and the failures (step and message)."""
    measures: Measures = {}
    failures: list[dict[str, str]] = []
    for step in steps:
        missing = [need for need in step.needs if need not in measures]
        if missing:
            say(f"{step.title}: skipped ({', '.join(missing)} failed)")
            continue
        say(f"{step.title} ...")
        try:
            measures[step.key] = step.function(bench)
        except StepFailed as exc:
            failures.append({"step": exc.step, "message": exc.message})
            say(f"  FAILED: {exc.message}")
            continue
        except Exception as exc:  # a bug here or in odreport: report it, go on with the rest
            failures.append({"step": step.title, "message": f"{exc.__class__.__name__}: {exc}"})
            say(f"  FAILED: {exc.__class__.__name__}: {exc}")
            continue
        measures["ratios"] = ratios(measures)
        if step.key == "survey" and measures["survey"]["critical_problems"]:
            survey = measures["survey"]
            first = survey["first_problems"][0] if survey["first_problems"] else "?"
            failures.append(
                {
                    "step": "survey rows: validation",
                    "message": f"{survey['critical_problems']} critical problems in the "
                    f"generated data, e.g. {first}",
                }
            )
    return measures, failures


def ratios(measures: Measures) -> dict[str, float]:
    """Ours (cold and warm) over the naive chain, from the medians measured so far."""
    naive = lookup(measures, "naive.median_s")
    if not naive:
        return {}
    out = {}
    for key, name in (("report_cold", "cold_over_naive"), ("report_warm", "warm_over_naive")):
        ours = lookup(measures, f"{key}.median_s")
        if ours is not None:
            out[name] = ours / naive
    return out


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orgs", type=int, default=100, help="organisations for make reports")
    parser.add_argument("--repeats", type=int, default=5, help="repetitions of timed runs")
    parser.add_argument("--workers", type=int, default=2, help="make reports WORKERS")
    parser.add_argument("--survey-rows", type=int, default=1_000_000, help="survey rows")
    parser.add_argument(
        "--out", type=Path, default=REPO / "reports" / "benchmarks.json", help="results (JSON)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary project")
    args = parser.parse_args(argv)
    for name in ("orgs", "repeats", "workers", "survey_rows"):
        if getattr(args, name) < 1:
            parser.error(f"--{name.replace('_', '-')} must be at least 1")
    return args


def main(argv: list[str] | None = None) -> int:
    """Run every measure, print the table, write the JSON; 1 if a step failed, else 0."""
    args = parse_args(argv)
    settings = {
        "orgs": args.orgs,
        "repeats": args.repeats,
        "workers": args.workers,
        "survey_rows": args.survey_rows,
    }
    started = dt.datetime.now().astimezone()
    info = machine()
    say(f"odreport benchmark, {started:%Y-%m-%d %H:%M %Z}")
    say(
        f"machine: {info['cores']} cores, {info.get('memory_gib', '?')} GiB, "
        f"Python {info['python']}, {info['platform']}, load {info['load_average_start']}"
    )
    root = Path(tempfile.mkdtemp(prefix="odreport-bench-")).resolve()
    # Everything odreport does in this run (here, in subprocesses, in kernels) uses the
    # temporary project, never the repository's data/ and reports/.
    os.environ["ODREPORT_ROOT"] = str(root)
    bench = Bench(make_project(root), settings, dict(os.environ))
    try:
        code_before = code_digest(root)
        measures, failures = run_steps(bench, STEPS)
        code_changed = code_digest(root) != code_before
    finally:
        if args.keep:
            say(f"temporary project kept: {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)
    info["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
    targets = evaluate_targets(measures, settings)
    results = {
        "date": started.isoformat(timespec="seconds"),
        "seconds": round((dt.datetime.now().astimezone() - started).total_seconds(), 1),
        "machine": info,
        "settings": settings,
        "measures": measures,
        "targets": targets,
        "code_changed_during_run": code_changed,
        "failed": failures,
    }
    say("")
    say(
        f"odreport benchmark, {started:%Y-%m-%d %H:%M %Z}; {info['cores']} cores, "
        f"Python {info['python']}, {info['platform']}"
    )
    say(format_table(table_rows(measures, settings, targets, failures)))
    say(
        f"load average (1, 5, 15 min): {info['load_average_start']} at the start, "
        f"{info['load_average_end']} at the end"
    )
    for line in profile_lines(measures):
        say(line)
    out = args.out if args.out.is_absolute() else Path.cwd() / args.out
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    say(f"results: {out}")
    if code_changed:
        say(
            "warning: odreport's code changed during the run (edited meanwhile?): "
            "reports built before and after differ in fingerprint, so re-runs may have rendered"
        )
    for failure in failures:
        print(f"error: step failed: {failure['step']}: {failure['message']}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
