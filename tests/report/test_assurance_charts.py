"""The risk heat map's bands and grid (odreport.report.assurance_charts)."""

from __future__ import annotations

import pandas as pd
import pytest

from odreport.report import assurance_charts


@pytest.mark.parametrize(
    ("rating", "band"),
    [(1, "Green"), (6, "Green"), (8, "Amber"), (12, "Amber"), (15, "Red"), (25, "Red")],
)
def test_risk_bands_follow_the_nhs_five_by_five_matrix(rating, band):
    assert assurance_charts.risk_band(rating) == band


def test_the_risk_grid_counts_each_risk_once_per_stage():
    risks = pd.DataFrame(
        {
            "risk_ref": ["R1", "R2", "R3"],
            "severity": [4, 4, 2],
            "likelihood": [5, 5, 1],
            "residual_severity": [3, 2, 2],
            "residual_likelihood": [2, 1, 1],
        }
    )
    grid = assurance_charts.risk_grid(risks)
    assert len(grid) == 50  # 25 cells, inherent and residual
    assert grid.groupby("stage")["risks"].sum().to_dict() == {"Inherent": 3, "Residual": 3}
    cell = grid[(grid["stage"] == "Inherent") & (grid["severity"] == 4) & (grid["likelihood"] == 5)]
    assert cell[["risks", "refs", "band"]].values.tolist() == [[2, "R1, R2", "Red"]]  # 4 × 5 = 20
    low = grid[(grid["stage"] == "Residual") & (grid["severity"] == 2) & (grid["likelihood"] == 1)]
    assert low[["risks", "refs", "band"]].values.tolist() == [[2, "R2, R3", "Green"]]  # 2 × 1
