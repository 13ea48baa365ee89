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
