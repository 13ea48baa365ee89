"""The pure helpers of scripts/bench.py (no rendering: the benchmark itself is `make bench`)."""

from __future__ import annotations

import importlib.util
import sys

import pytest

from support import REPO


def _bench():
    spec = importlib.util.spec_from_file_location("bench", REPO / "scripts" / "bench.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("bench", module)
    spec.loader.exec_module(module)
    return module


bench = _bench()

FULL = {"orgs": 100, "repeats": 5, "workers": 2, "survey_rows": 1_000_000}
SMALL = {"orgs": 3, "repeats": 2, "workers": 2, "survey_rows": 20_000}


def _measures(
    cold=8.0, naive=20.0, warm=0.9, rerun=0.45, batch=55.0, total=3.5, peak=700.0
) -> dict:
    measures = {
        "report_cold": {"seconds": [cold, cold], "median_s": cold, "first_s": cold + 2},
        "report_warm": {
            "seconds": [warm, warm],
            "median_s": warm,
            "uncached_median_s": warm + 0.5,
        },
        "naive": {"seconds": [naive, naive], "median_s": naive},
        "rerun": {"seconds": [rerun], "median_s": rerun, "rerendered": False},
        "batch": {"orgs": 100, "workers": 2, "seconds": batch, "rerun_seconds": 3.0},
        "survey": {
            "rows": 1_000_000,
            "read_s": 1.0,
            "validate_s": 2.0,
            "aggregate_s": 0.5,
            "total_s": total,
            "peak_rss_mib": peak,
        },
    }
    measures["ratios"] = bench.ratios(measures)
    return measures


def test_median():
    assert bench.median([3.0, 1.0, 2.0]) == 2.0
    assert bench.median([4.0, 1.0]) == 2.5
    with pytest.raises(ValueError):
        bench.median([])


def test_names_paths_and_units():
    assert [bench.org_name(i) for i in (0, 7, 99)] == ["synth-000", "synth-007", "synth-099"]
    assert bench.period_of("reports/synth-000/2024-11/report.html\n") == "2024-11"
    with pytest.raises(ValueError):
        bench.period_of("reports/index.html")
    assert bench.maxrss_mib(2048, "linux") == 2.0  # KiB
    assert bench.maxrss_mib(2 * 2**20, "darwin") == 2.0  # bytes
    status = "Name:\tpython\nVmPeak:\t  900 kB\nVmHWM:\t    2048 kB\nVmRSS:\t 1024 kB\n"
    assert bench.parse_vm_hwm(status) == 2.0
    assert bench.parse_vm_hwm("Name:\tpython\n") is None
    assert bench.fmt_s(0.4213) == "0.42 s"
    assert bench.fmt_s(153.24) == "153.2 s"


def test_parse_batch_summary():
    out = (
        "make: Entering directory '/work/main'\n"
        "synth-000: rendered reports/synth-000/2024-11/report.html (9.1 s)\n"
        "3 reports: 2 rendered, 1 up to date, 0 failed in 31.6 s\n"
        "make: Leaving directory '/work/main'\n"
    )
    assert bench.parse_batch_summary(out) == {
        "total": 3,
        "rendered": 2,
        "up_to_date": 1,
        "failed": 0,
        "seconds": 31.6,
    }
    assert bench.outcome_lines(out) == [
        "synth-000: rendered reports/synth-000/2024-11/report.html (9.1 s)"
    ]
    one = bench.parse_batch_summary("1 report: 0 rendered, 1 up to date, 0 failed in 0.9 s")
    assert one["up_to_date"] == 1
    assert bench.parse_batch_summary("error: no such organisation") == {}


def test_target_boundaries_and_sizes():
    ratio, warm, rerun, batch = (
        bench.TARGETS[k] for k in ("report_vs_naive", "warm", "rerun", "batch")
    )
    assert ratio.met(0.40, SMALL) is True  # at most 0.40 of the naive chain
    assert ratio.met(0.41, SMALL) is False
    assert warm.met(1.0, SMALL) is True and warm.met(1.01, SMALL) is False
    assert rerun.met(0.5, SMALL) is True  # at most 0.5 s
    assert rerun.met(0.51, SMALL) is False
    assert rerun.met(None, SMALL) is None
    assert batch.met(60.0, FULL) is True
    assert batch.met(60.0, SMALL) is None  # stated for 100 organisations only
    assert batch.met(60.1, FULL) is False
    total, peak = bench.TARGETS["survey_total"], bench.TARGETS["survey_peak"]
    assert total.met(10.0, FULL) is True and total.met(10.1, FULL) is False
    assert peak.met(800.0, FULL) is True and peak.met(801.0, FULL) is False
    assert peak.met(100.0, SMALL) is None  # stated for 1,000,000 rows only


def test_evaluate_targets_met_and_missed():
    met = bench.evaluate_targets(_measures(), FULL)
    assert {k: v["met"] for k, v in met.items()} == {
        "report_vs_naive": True,
        "warm": True,
        "rerun": True,
        "batch": True,
        "survey_total": True,
        "survey_peak": True,
    }
    assert met["report_vs_naive"]["value"] == pytest.approx(0.4)
    missed = bench.evaluate_targets(
        _measures(cold=15, warm=2, rerun=2, batch=900, total=30, peak=2500), FULL
    )
    assert not any(v["met"] for v in missed.values())
    small = bench.evaluate_targets(_measures(), SMALL)
    assert small["batch"]["applies"] is False and small["batch"]["met"] is None
    assert small["survey_peak"]["met"] is None and small["survey_total"]["met"] is None
    partial = bench.evaluate_targets({"report_cold": {"median_s": 3.0}}, FULL)
    assert all(v["value"] is None and v["met"] is None for v in partial.values())


def test_table_has_every_measure_and_verdict():
    measures = _measures(cold=15.0)
    table = bench.format_table(
        bench.table_rows(measures, FULL, bench.evaluate_targets(measures, FULL))
    )
    lines = table.splitlines()
    assert lines[0].split() == ["measure", "value", "target", "met"]
    assert set(lines[1]) <= {"-", " "}
    ratio = next(line for line in lines if "ratio ours cold / naive" in line)
    assert "0.75" in ratio and ratio.endswith("NO")
    warm = next(line for line in lines if "warm batch worker" in line)
    assert "0.90 s" in warm and warm.endswith("yes")
    assert any("validating every time" in line and "1.40 s" in line for line in lines)
    assert any("first run" in line and "17.00 s" in line for line in lines)
    rerun = next(line for line in lines if line.startswith("unchanged re-run"))
    assert "0.45 s" in rerun and rerun.endswith("yes")
    assert any(line.startswith("100 organisations, make reports, 2 workers") for line in lines)
    total = next(line for line in lines if "1,000,000 survey rows: total" in line)
    assert "3.50 s" in total and total.endswith("yes")
    assert any("1,000,000 survey rows: peak memory" in line for line in lines)
    assert len({len(line) for line in lines[:2]}) == 1  # the rule spans the header


def test_profile_lines_list_the_longest_items_of_each_view():
    measures = {
        "profile": {
            "top": {
                "cold": [{"view": "cold", "what": "step validated", "seconds": 2.5}],
                "warm": [{"view": "warm", "what": "derive tables", "seconds": 0.25}],
            }
        }
    }
    assert bench.profile_lines(measures) == [
        "profile, cold: the 1 longest items (synth-000)",
        "    2.500 s  step validated",
        "profile, warm: the 1 longest items (synth-000)",
        "    0.250 s  derive tables",
    ]
    assert bench.profile_lines({}) == []


def test_table_of_a_small_or_failed_run():
    measures = _measures()
    rows = bench.table_rows(measures, SMALL, bench.evaluate_targets(measures, SMALL))
    batch = next(r for r in rows if "make reports" in r.measure and r.target)
    assert bench.format_table([batch]).splitlines()[-1].endswith("n/a")
    only_cold = {"report_cold": {"median_s": 9.0}}
    rows = bench.table_rows(only_cold, SMALL, bench.evaluate_targets(only_cold, SMALL))
    assert [r.value for r in rows] == ["9.00 s"]
    failed = [{"step": "make reports", "message": "exited 2"}]
    rows = bench.table_rows(only_cold, SMALL, bench.evaluate_targets(only_cold, SMALL), failed)
    assert rows[-1] == bench.Row("make reports", "FAILED")


def test_arguments():
    args = bench.parse_args([])
    assert (args.orgs, args.repeats, args.workers, args.survey_rows) == (100, 5, 2, 1_000_000)
    assert args.out == REPO / "reports" / "benchmarks.json"
    assert not args.keep
    with pytest.raises(SystemExit):
        bench.parse_args(["--repeats", "0"])


def test_a_failed_step_skips_what_needs_it_and_the_rest_goes_on(tmp_path, capsys):
    def fails(b):
        raise bench.StepFailed("one report, ours, cold", "exited 3: bad data")

    steps = [
        bench.Step("setup", "setup", lambda b: {"orgs": 1}),
        bench.Step("report_cold", "cold", fails, ("setup",)),
        bench.Step(
            "rerun", "re-run", lambda b: pytest.fail("ran without its report"), ("report_cold",)
        ),
        bench.Step("batch", "batch", lambda b: {"seconds": 1.0}, ("setup",)),
    ]
    b = bench.Bench(tmp_path, SMALL, {})
    measures, failures = bench.run_steps(b, steps)
    assert set(measures) == {"setup", "batch", "ratios"}
    assert failures == [{"step": "one report, ours, cold", "message": "exited 3: bad data"}]
    assert "re-run: skipped (report_cold failed)" in capsys.readouterr().out


def test_main_names_the_failed_step_and_exits_1(tmp_path, monkeypatch, capsys):
    def fails(b):
        assert (b.root / "expectations").is_dir() and (b.root / "data" / "raw").is_dir()
        raise bench.StepFailed("make reports", "exited 2: synth-001: failed")

    monkeypatch.setenv("ODREPORT_ROOT", str(tmp_path / "unused"))  # restored afterwards
    monkeypatch.setattr(bench, "STEPS", [bench.Step("batch", "make reports", fails)])
    out = tmp_path / "b.json"
    assert bench.main(["--out", str(out)]) == 1
    results = bench.json.loads(out.read_text(encoding="utf-8"))
    assert results["failed"] == [{"step": "make reports", "message": "exited 2: synth-001: failed"}]
    assert results["measures"] == {} and results["code_changed_during_run"] is False
    assert "error: step failed: make reports: exited 2" in capsys.readouterr().err
