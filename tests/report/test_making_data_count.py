"""The measures table and the charts of the measures (odreport.report.making_data_count)."""

from __future__ import annotations

import re
from html import escape

import pytest

from odreport.report import making_data_count
from odreport.report.data import report_data


def _flow(make_rows, values):
    periods = [f"{2015 + (i + 6) // 12}-{(i + 6) % 12 + 1:02d}" for i in range(len(values) + 1)]
    return make_rows(
        "completions",
        {"period": periods[0], "completed_in_period": None},
        *[
            {"period": p, "completed_in_period": v}
            for p, v in zip(periods[1:], values, strict=True)
        ],
    )


def _row(html: str, name: str) -> str:
    return re.search(rf'<tr><th scope="row">{re.escape(name)}</th>(.*?)</tr>', html).group(1)


def _pulse(make_rows, values, higher_is_better=True, target=None):
    return make_rows(
        "survey_trends",
        *[
            {"series": "pulse", "measure": "Q1", "measure_label": "Q1 I feel stressed"}
            | {"theme_ref": "T1", "wave": f"2016-{m:02d}", "survey_id": f"p{m}", "value": v}
            | {"base": 100, "higher_is_better": higher_is_better, "target": target}
            for m, v in zip(range(1, len(values) + 1), values, strict=True)
        ],
    )


def test_a_flow_with_too_few_points_has_no_limits(example):
    # completions: February 0, March 1 (January has no earlier period): 2 points
    html = making_data_count.measures(example)
    row = _row(html, "Actions completed in the period")
    assert row.startswith("<td>1 in Mar 2016</td>")
    assert "Not charted as SPC: 2 points: at least 5 are needed." in row
    assert "0 in Feb 2016, 1 in Mar 2016." in row
    assert "<svg" not in row


def test_running_totals_and_stocks_are_never_xmr_charts(example):
    html = making_data_count.measures(example)
    share = _row(html, "Share of actions complete")
    assert share.startswith("<td>25% (1 of 4)</td>")
    assert "<td>Not charted as SPC: a running total.</td>" in share
    overdue = _row(html, "Actions overdue")
    assert overdue.startswith("<td>1</td>")
    assert "<td>Not charted as SPC: a stock that carries over.</td>" in overdue
    assert "appendix Charts of the measures" not in html  # the only flow has too few points
    assert not making_data_count.has_measure_charts(example)


@pytest.mark.parametrize(
    ("values", "icon", "label", "note"),
    [
        # mean 2.4; moving ranges 1, 1, 1, 1: limits 2.4 ± 2.66, lower clipped at 0; the
        # latest (2) is inside: common cause
        (
            [2, 3, 2, 3, 2],
            "common-cause",
            "Common cause variation",
            "5 points; mean 2.4, trial limits 0.0 to 5.1. The lower limit is clipped to the "
            "measure's natural range.",
        ),
        # mean 27/7 = 3.857; moving ranges 1 ×5 and 9: their mean 2.333, cut-off 7.62, so 9 is
        # screened: mean moving range 1, upper limit 6.517; 12 is above it: higher is better
        (
            [2, 3, 2, 3, 2, 3, 12],
            "improvement-high",
            "Special cause variation: improving (higher values)",
            "7 points; mean 3.9, trial limits 1.2 to 6.5. 1 moving range of 3.267 × the mean "
            "moving range or more was left out of the limits (screened).",
        ),
        # mean 33/7 = 4.714; moving ranges 1 ×5 and 6 (cut-off 5.99: screened); lower limit
        # 4.714 − 2.66 = 2.054; 0 is below it: fewer completions is a concern
        (
            [5, 6, 5, 6, 5, 6, 0],
            "concern-low",
            "Special cause variation: concerning (lower values)",
            "7 points; mean 4.7, trial limits 2.1 to 7.4. 1 moving range of 3.267 × the mean "
            "moving range or more was left out of the limits (screened).",
        ),
        # every moving range 0: limits of zero width, no flags, and the report says why
        (
            [3, 3, 3, 3, 3],
            "common-cause",
            "Common cause variation",
            "5 points; mean 3.0, trial limits 3.0 to 3.0. No special-cause flags: the process "
            "limits have zero width (every moving range is zero), so no point can be judged "
            "special cause.",
        ),
    ],
)
def test_completions_icons_worked_by_hand(facts, tables, make_rows, values, icon, label, note):
    tables["completions"] = _flow(make_rows, values)
    html = making_data_count.measures(report_data(facts, **tables))
    row = _row(html, "Actions completed in the period")
    assert f'class="mdc-icon mdc-{icon}"' in row
    assert f'<span class="mdc-label">{label}</span>' in row
    assert f'aria-label="{label}"' in row  # the icon's own text alternative
    assert f"<td>{escape(note)}</td>" in row
    assert "The charts of these measures are in the appendix Charts of the measures." in html
    appendix = making_data_count.measure_charts(report_data(facts, **tables))
    assert appendix.count("<figure") == 1
    assert "<caption>Actions completed in the period by reporting period</caption>" in appendix


@pytest.mark.parametrize(
    ("values", "higher", "target", "variation", "assurance"),
    [
        # lower is better. Mean 346/7 = 49.43; moving ranges 2 ×5 and 12 (cut-off 11.98:
        # screened), so limits 49.43 ± 5.32; 40 is below 44.11: improving, low
        ([50, 52, 50, 52, 50, 52, 40], False, None, "improvement-low", None),
        # mean 368/7 = 52.57; moving ranges 2 ×5 and 10 (mean 3.333, cut-off 10.89: kept);
        # upper limit 52.57 + 8.87 = 61.44; 62 is above it: concerning, high
        ([50, 52, 50, 52, 50, 52, 62], False, None, "concern-high", None),
        # higher is better. Mean 60.8, moving ranges 2: limits 55.48 to 66.12. A target of 50
        # is below the lower limit: the process consistently passes it; 80 is above the upper
        # limit: it consistently fails; 61 is inside: it hits and misses
        ([60, 62, 60, 62, 60], True, 50.0, "common-cause", "assurance-pass"),
        ([60, 62, 60, 62, 60], True, 80.0, "common-cause", "assurance-fail"),
        ([60, 62, 60, 62, 60], True, 61.0, "common-cause", "assurance-hit-and-miss"),
    ],
)
def test_survey_icons_worked_by_hand(
    facts, tables, make_rows, values, higher, target, variation, assurance
):
    tables["survey_trends"] = _pulse(make_rows, values, higher, target)
    html = making_data_count.measures(report_data(facts, **tables))
    row = _row(html, "Q1 I feel stressed")
    month = ["May", "Jun", "Jul"][len(values) - 5]  # waves from January 2016, one a month
    assert row.startswith(f"<td>{values[-1]}% in {month} 2016 (base 100)</td>")
    assert f'class="mdc-icon mdc-{variation}"' in row
    if assurance is None:
        assert "<td>no target</td><td>none</td>" in row
    else:
        assert f'class="mdc-icon mdc-{assurance}"' in row
        assert f"<td>{target:g}%</td>" in row


def test_a_survey_measure_with_few_waves_has_no_icons(facts, tables, make_rows):
    tables["survey_trends"] = _pulse(make_rows, [50, 55, 60], True, 70.0)
    row = _row(making_data_count.measures(report_data(facts, **tables)), "Q1 I feel stressed")
    assert "<svg" not in row
    assert "Not charted as SPC: 3 points: at least 5 are needed." in row
    assert "<td>none: no process limits</td><td>70%</td>" in row


# --- exceptions, changes ----------------------------------------------------------------------
