"""Survey trends read per measure: a change in points for few waves, XmR variation for enough."""

from __future__ import annotations

import pandas as pd

from odreport.metrics.survey_trends import MIN_TREND_POINTS, trend_analysis, trend_sentence


def _points(values: list[float | None]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "wave": [f"2020-{i + 1:02d}" for i in range(len(values))],
            "value": pd.array(values, dtype="Float64"),
            "higher_is_better": True,
            "target": None,
        }
    )


def test_two_waves_give_the_change_in_points():
    assert trend_sentence(_points([50.0, None, 62.4])) == "+12 points since 2020-01 (2 waves)"
    assert trend_sentence(_points([50.0])) == ""
    assert trend_analysis(_points([50.0, 60.0])) is None


def test_enough_waves_give_the_variation_of_the_latest():
    values = [50.0] * (MIN_TREND_POINTS - 1) + [90.0]
    values = [v + (i % 2) for i, v in enumerate(values)]  # a little common-cause variation
    sentence = trend_sentence(_points(values))
    assert sentence.startswith(f"{len(values)} waves; latest: ")
    assert "improvement" in sentence
    assert trend_analysis(_points(values)) is not None
