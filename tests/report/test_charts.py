"""Charts: dates drawn in UTC whatever the renderer's time zone, fixed number and date formats,
whole-number count axes, the trajectory."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys

import pandas as pd

from odreport.metrics.derive import COMPLETE, OFF_TRACK, ON_TRACK
from odreport.report import assurance_charts, charts

# Three dated items and a reporting date, as the report's timeline passes them (YYYY-MM-DD).
ITEMS = pd.DataFrame(
    {
        "action_ref": ["A1", "A2", "A3"],
        "start": ["2015-10-01", "2016-01-01", "2015-12-15"],
        "current_due": ["2016-03-31", "2016-09-30", "2017-03-31"],
        "brag": [COMPLETE, ON_TRACK, OFF_TRACK],
    }
)
REPORTING_DATE = "2016-06-30"

# Renders the same timeline in a fresh process: the time zone is read when the JavaScript
# engine starts, so it must be set in the environment before the process starts.
RENDER = """
import sys
import pandas as pd
from odreport.report import assurance_charts, charts
items = pd.read_json(sys.stdin, dtype=False)
sys.stdout.write(charts.to_svg(charts.timeline_chart(items, sys.argv[1])))
"""


def _render_in(tz: str) -> str:
    env = {**os.environ, "TZ": tz}
    done = subprocess.run(
        [sys.executable, "-c", RENDER, REPORTING_DATE],
        input=ITEMS.to_json(),
        capture_output=True,
        text=True,
        env=env,
        check=True,
        timeout=120,
    )
    return done.stdout


def _tick_labels(svg: str) -> list[str]:
    return re.findall(r">([A-Z][a-z]{2} \d{4})</text>", svg)


def _encodings(spec: dict):
    """Every encoding channel definition in a (layered, faceted, concatenated) spec."""
    if isinstance(spec, dict):
        for channel in (spec.get("encoding") or {}).values():
            if isinstance(channel, dict):
                yield channel
        for value in spec.values():
            if isinstance(value, (dict, list)):
                yield from _encodings(value)
    elif isinstance(spec, list):
        for value in spec:
            yield from _encodings(value)


def test_the_timeline_draws_dates_on_a_utc_scale():
    spec = charts.timeline_chart(ITEMS, REPORTING_DATE).to_dict(validate=False)
    temporal = [c for c in _encodings(spec) if c.get("type") == "temporal"]
    assert temporal, "the timeline has a time axis"
    scales = [c["scale"]["type"] for c in temporal if "scale" in c]
    assert scales == ["utc"]  # one shared x scale, declared once (the layers share it)
    assert not [c for c in temporal if "timeUnit" in c and not c["timeUnit"].startswith("utc")]


def test_the_timeline_is_the_same_in_every_time_zone():
    here = charts.to_svg(charts.timeline_chart(ITEMS, REPORTING_DATE))
    # 1 October 2015 is the first date: its month is the first tick in every zone (in
    # California a local-time axis started at 30 September and dropped "Oct 2015").
    assert _tick_labels(here)[0] == "Oct 2015"
    for tz in ("America/Los_Angeles", "Pacific/Kiritimati"):
        assert _render_in(tz) == here, tz


def test_calendar_dates_are_iso_dates_whatever_their_type():
    values = pd.Series(
        [pd.Timestamp("2015-10-01"), dt.date(2016, 3, 31), "2017-01-05", None], dtype=object
    )
    out = charts.calendar_dates(values)
    assert out.tolist()[:3] == ["2015-10-01", "2016-03-31", "2017-01-05"]
    assert pd.isna(out.iloc[3])


def test_timestamps_reach_the_chart_as_calendar_dates():
    items = ITEMS.assign(start=pd.to_datetime(ITEMS["start"]))
    spec = charts.timeline_chart(items, pd.Timestamp(REPORTING_DATE)).to_dict(validate=False)
    values = [row for data in spec["datasets"].values() for row in data]
    assert {row["start"] for row in values if "start" in row} == set(ITEMS["start"])
    assert [row["date"] for row in values if "date" in row] == [REPORTING_DATE]
    assert charts.to_svg(charts.timeline_chart(items, REPORTING_DATE)) == charts.to_svg(
        charts.timeline_chart(ITEMS, REPORTING_DATE)
    )


def test_numbers_are_formatted_in_the_named_locale():
    # default axis labels: British grouping and decimal point, whatever the process's locale
    big = pd.DataFrame({"domain": ["Leadership"], "score": [1500.0], "target": [None]})
    labels = re.findall(
        r">([^<]*)</text>", charts.to_svg(assurance_charts.maturity_chart(big, 2000, "S"))
    )
    assert labels[:11] == ["0", "200", "400", "600", "800", "1,000", "1,200", "1,400", "1,600",
                           "1,800", "2,000"]  # fmt: skip
    small = pd.DataFrame({"domain": ["Leadership"], "score": [0.5], "target": [None]})
    labels = re.findall(
        r">([^<]*)</text>", charts.to_svg(assurance_charts.maturity_chart(small, 1, "S"))
    )
    assert labels[:6] == ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"]
    assert charts.LOCALE == "en-GB"


def test_count_axes_show_whole_numbers_only():
    data = pd.DataFrame(
        {"theme": ["A", "B"], "items": [3, 1], "brag": [COMPLETE, ON_TRACK], "brag_order": [0, 1]}
    )
    spec = charts.status_by_theme_chart(data).to_dict(validate=False)
    x = next(c for c in _encodings(spec) if c.get("field") == "items" and "axis" in c)
    assert x["axis"]["values"] == [0, 1, 2, 3, 4]  # step 1 up to one past the largest bar (3)
    assert x["axis"]["format"] == "d"


def test_the_trajectory_tells_plan_from_actual_by_line_and_shape_not_colour_alone():
    frame = pd.DataFrame(
        {
            "date": ["2016-01-31", "2016-02-29", "2016-03-31", "2016-01-31", "2016-02-29"],
            "series": ["Due by then (plan)"] * 3 + ["Complete (actual)"] * 2,
            "value": [1, 2, 4, 0, 1],
        }
    )
    spec = charts.trajectory_chart(frame, "2016-02-29").to_dict()  # validates the spec
    layers = spec["layer"]
    enc = layers[0]["encoding"]
    assert enc["x"]["scale"]["type"] == "utc"
    assert enc["strokeDash"]["scale"]["range"] == [[6, 3], [1, 0]]
    assert enc["shape"]["scale"]["range"] == ["square", "circle"]
    assert layers[0]["mark"]["interpolate"] == "step-after"  # the plan is a step curve
    svg = charts.to_svg(charts.trajectory_chart(frame, "2016-02-29"))
    assert "Due by then (plan)" in svg and "Complete (actual)" in svg  # a legend with words


# Renders a chart in a fresh process whose user named a fontconfig file of their own, and says
# whether it is still named after the chart (vl-convert's font database is built then).
FONTS = """
import os, sys
from odreport.report import charts
svg = charts.to_svg(charts.status_by_theme_chart(__import__("pandas").read_json(sys.stdin)))
print(os.environ.get("FONTCONFIG_FILE"))
sys.stdout.write(svg)
"""


def test_charts_measure_text_with_vl_converts_own_fonts_and_leave_fontconfig_alone(tmp_path):
    """Charts are drawn with the fonts vl-convert carries, never the machine's: a user's
    fontconfig file that names a folder of fonts changes no chart, and stays named for anything
    else the process runs. The file the charts use instead lists no font."""
    data = pd.DataFrame(
        {
            "theme": ["Leadership and culture", "Workforce"],
            "brag": [COMPLETE, OFF_TRACK],
            "items": [3, 2],
            "brag_order": [0, 3],
        }
    )
    users = tmp_path / "fonts.conf"
    users.write_text(
        '<?xml version="1.0"?><fontconfig><dir>/usr/share/fonts</dir></fontconfig>\n',
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, "-c", FONTS],
        input=data.to_json(),
        capture_output=True,
        text=True,
        env={**os.environ, "FONTCONFIG_FILE": str(users)},
        check=True,
        timeout=120,
    )
    named, svg = done.stdout.split("\n", 1)
    assert named == str(users)
    assert svg == charts.to_svg(charts.status_by_theme_chart(data))
    assert "<dir" in charts.NO_SYSTEM_FONTS and 'prefix="relative">.</dir>' in charts.NO_SYSTEM_FONTS
