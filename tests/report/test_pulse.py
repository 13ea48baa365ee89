"""Pulse surveys over time (odreport.report.pulse): XmR only with enough waves, limits
clipped to 0-100%, a one-question theme score left out."""

from __future__ import annotations

import pandas as pd

from odreport.report import pulse


def _waves(values, measure="Q1", theme="T1", higher_is_better=True, target=None):
    waves = [f"{2019 + (i + 7) // 12}-{(i + 7) % 12 + 1:02d}" for i in range(len(values))]
    return pd.DataFrame(
        {
            "measure": measure,
            "measure_label": f"{measure} label",
            "theme_ref": theme,
            "wave": waves,
            "value": values,
            "higher_is_better": higher_is_better,
            "target": target,
        }
    )


def test_too_few_waves_are_listed_not_charted():
    assert pulse.pulse_xmr(_waves([60.0, 57.0, 56.0])) is None


def test_enough_waves_give_an_xmr_with_limits_inside_0_to_100():
    result = pulse.pulse_xmr(_waves([96.0, 99.0, 95.0, 99.0, 97.0, 99.0, 96.0, 98.0]))
    assert result is not None
    assert 0 <= result.lcl <= result.mean <= result.ucl <= 100


def test_a_theme_score_of_one_question_is_left_out():
    trend = pd.concat(
        [
            _waves([60.0, 61.0], "Q1", "T1"),
            _waves([60.0, 61.0], "theme:T1", "T1"),  # T1 has one question: the same series
            _waves([50.0, 52.0], "Q2", "T2"),
            _waves([40.0, 42.0], "Q3", "T2"),
            _waves([45.0, 47.0], "theme:T2", "T2"),
        ]
    )
    shown = [points["measure"].iloc[0] for points in pulse.shown_measures(trend)]
    assert shown == ["Q1", "Q2", "Q3", "theme:T2"]


def _series(*measures):
    return pd.concat(measures).assign(series="pulse", base=300)


def test_the_charts_of_a_series_have_their_data_in_one_table_a_column_per_wave():
    # Q1 over 5 waves (Aug 2019 .. Dec 2020 in steps of a month: Aug, Sep, Oct, Nov, Dec 2019);
    # Q2 has only 3 waves: listed, not charted, so not in the table
    trend = _series(
        _waves([60.0, 57.0, 56.0, 56.0, 57.0], "Q1", "T1"),
        _waves([40.0, 41.0, 42.0], "Q2", "T2"),
    )
    table = pulse.trend_table("pulse", trend)
    assert table.headings == ("Measure", "Aug 2019", "Sep 2019", "Oct 2019", "Nov 2019", "Dec 2019")
    assert [[c.text for c in row] for row in table.rows] == [
        ["Q1 label", "60% (300)", "57% (300)", "56% (300)", "56% (300)", "57% (300)"]
    ]
    assert table.rows[0][0].header and all(c.numeric for c in table.rows[0][1:])
    assert table.caption.startswith("Data of the pulse charts above")
    assert pulse.trend_table("pulse", _series(_waves([40.0, 41.0], "Q2", "T2"))) is None


def test_a_suppressed_wave_and_a_special_cause_point_in_the_series_table():
    # 8 waves of 10 or 11, then 40: beyond the upper limit, an improvement (higher is better);
    # the second wave suppressed (no value)
    values = [10.0, None, 11.0, 10.0, 11.0, 10.0, 11.0, 10.0, 40.0]
    trend = _series(_waves(values, "Q1", "T1"))
    table = pulse.trend_table("pulse", trend)  # 9 waves: a row per measure and wave
    assert table.headings == ("Measure", "Wave", "Percent favourable (base)")
    cells = [row[2].text for row in table.rows]
    assert cells[1] == "suppressed"
    assert cells[-1] == "40% (300)\nimprovement: point outside the limits"
    # mean of the 8 values 14.125; the moving range of 30 screened out, mean moving range 1:
    # limits 14.125 ± 2.66, so 10 is below the lower limit, and the first 7 below the mean
    assert cells[0] == (
        "10% (300)\nconcern: point outside the limits; 7 points in a row on one side of the mean"
    )
    assert pulse.point_text(55.5, 30.0) == "56% (30)"


def test_a_special_cause_is_printed_on_its_own_line_under_the_value():
    from odreport.report.templating import render

    values = [10.0, 11.0, 10.0, 11.0, 10.0, 40.0]  # 6 waves: a column per wave
    trend = _series(_waves(values, "Q1", "T1"))
    series = pulse.Series(
        "pulse", 6, pulse.series_measures(trend), pulse.trend_table("pulse", trend)
    )
    html = render(
        "sections/measure_charts.html.j2", figures=[], series=[series], baseline=13, min_points=5
    )
    assert '<td class="num">40% (300)<br>improvement: point outside the limits</td>' in html
    assert "The chart's data are in a table after it." in html
