"""The XmR chart (odreport.report.spc_charts): special causes told apart by shape as well as
colour, trial limits named as such."""

from __future__ import annotations

from odreport.metrics import spc
from odreport.report import spc_charts

LABELS = [f"W{i}" for i in range(1, 9)]


def _layers(spec: dict) -> list[dict]:
    return spec.get("layer", [spec])


def test_each_variation_has_its_own_shape_and_colour():
    assert len(set(spc_charts.SPC_SHAPES.values())) == len(spc_charts.SPC_SHAPES)
    assert len(set(spc_charts.SPC_COLOURS.values())) == len(spc_charts.SPC_COLOURS)
    assert set(spc_charts.SPC_SHAPES) == set(spc_charts.SPC_COLOURS)


def test_points_are_encoded_by_colour_and_shape_of_their_variation():
    # 8 points, the last far above the others: an improvement beyond the upper limit
    result = spc.xmr([10.0, 11.0, 10.0, 11.0, 10.0, 11.0, 10.0, 40.0], LABELS, improvement="up")
    spec = spc_charts.xmr_chart(result, "Percent favourable").to_dict(validate=False)
    points = [
        layer
        for layer in _layers(spec)
        if (layer.get("mark") or {}).get("type") == "point" or layer.get("mark") == "point"
    ]
    assert points, "the chart draws its points"
    encoding = points[0]["encoding"]
    assert encoding["color"]["field"] == encoding["shape"]["field"] == "variation"
    scale = encoding["shape"]["scale"]
    shown = dict(zip(scale["domain"], scale["range"], strict=True))
    assert shown["improvement"] == "triangle-up"
    assert all(spc_charts.SPC_SHAPES[v] == shape for v, shape in shown.items())


def test_fewer_than_12_points_are_drawn_with_trial_limits():
    result = spc.xmr([10.0, 11.0, 10.0, 11.0, 10.0], LABELS[:5], improvement="up")
    spec = str(spc_charts.xmr_chart(result, "Percent favourable").to_dict(validate=False))
    assert "trial limit" in spec and "process limit" not in spec


def test_legends_beside_a_small_multiple_keep_it_as_wide_and_make_it_shorter():
    result = spc.xmr([10.0, 11.0, 10.0, 11.0, 10.0, 11.0, 10.0, 12.0], LABELS, improvement="up")
    under = spc_charts.xmr_chart(result, "Percent favourable").to_dict(validate=False)
    beside = spc_charts.xmr_chart(
        result, "Percent favourable", height=120, legend_right=True, x_title="Wave"
    ).to_dict(validate=False)
    assert (under["width"], under["height"]) == (spc_charts.WIDTH - 80, 220)
    assert beside["width"] == spc_charts.WIDTH - 80 - spc_charts.LEGEND_WIDTH
    assert beside["height"] == 120
    x_titles = {
        layer["encoding"]["x"]["title"]
        for layer in _layers(beside)
        if "x" in layer.get("encoding", {})
    }
    assert x_titles == {"Wave"}
    legends = [
        channel.get("legend")
        for layer in _layers(beside)
        for channel in layer.get("encoding", {}).values()
        if isinstance(channel, dict) and "legend" in channel
    ]
    assert legends and all(legend == {"orient": "right"} for legend in legends)
