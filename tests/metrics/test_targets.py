"""Assessment targets judged at the reporting date."""

from __future__ import annotations

import pandas as pd

from odreport.metrics import targets


def test_targets_are_met_missed_or_not_yet_due():
    # South Staffordshire's WCC targets (section 2.3): level 2 in all ten by 2010 and level 3
    # in competencies 5 and 6 by 2009; scores from the March 2009 panel (section 7.3.1).
    scores = [2, 2, 1, 2, 1, 1, 1, 1, 2, 2]
    rows = [("WCC", str(i + 1), "2009-03", s, 2, "2010") for i, s in enumerate(scores)]
    rows += [("WCC", "5", "2009-03", 1, 3, "2009"), ("WCC", "6", "2009-03", 1, 3, "2009")]
    rows += [("AUTH", "1", "2011", 32, None, None)]  # no target: no judgement
    a = pd.DataFrame(
        rows, columns=["framework", "code", "assessed", "score", "target", "target_date"]
    )
    # At June 2010: 2009 has passed, 2010 has not (due 31 December 2010)
    judged = targets.target_status(a, "2010-06")
    assert targets.target_counts(judged) == {"met": 5, "missed": 2, "not yet due": 5}
    assert judged.iloc[10][["target_status", "target_due"]].tolist() == ["missed", "2009-12-31"]
    assert judged.iloc[2]["target_status"] == "not yet due"  # competency 3: 1 against 2
    assert judged.iloc[0]["target_status"] == "met"
    assert pd.isna(judged.iloc[12]["target_status"])
    # At March 2011 every target date has passed: 5 met, 7 missed
    assert targets.target_counts(targets.target_status(a, "2011-03")) == {
        "met": 5,
        "missed": 7,
        "not yet due": 0,
    }
    assert targets.target_status(None, "2011-03").empty
    # the March 2009 panel is 15 months old at June 2010; Darlington's 2011 diagnostic (end
    # of 2011 at the latest) is -18 months, i.e. after June 2010
    assert judged["assessment_age_months"].tolist()[:1] == [15]
    assert judged["assessment_age_months"].tolist()[-1] == -18
    # a target date given as a month
    month = targets.target_status(a.assign(target_date="2010-05"), "2010-06")
    assert month.iloc[2][["target_due", "target_status"]].tolist() == ["2010-05-31", "missed"]
