"""Where a report's time goes (odreport.publish.profiling): the items' order and selection, and
the cells view on a real report's derived tables (the cold and warm views render with a kernel:
run by `make profile` and `make bench`)."""

from __future__ import annotations

from odreport.publish import pipeline, profiling
from odreport.publish.profiling import Item


def test_top_is_the_longest_items_without_totals():
    items = [
        Item("warm", "total: warm report", 9.0),
        Item("warm", "step validated", 0.5),
        Item("warm", "derive tables", 0.7),
        Item("cold", "step validated", 3.0),
        Item("warm", "export HTML (nbconvert)", 0.2),
    ]
    assert [i.what for i in profiling.top(items, 2, view="warm")] == [
        "derive tables",
        "step validated",
    ]
    assert profiling.top(items, 1) == [Item("cold", "step validated", 3.0)]
    assert profiling.table(items[1:2]) == "warm     0.500 s  step validated"


def test_the_cells_view_times_each_cell_and_each_chart(example_project):
    checked = pipeline.load_and_validate(example_project, "example")
    period = pipeline.resolve_period(checked.inputs, None)
    derived = pipeline.derive_tables(example_project, checked, period)
    pipeline.write_processed(example_project, "example", period, derived)

    items = profiling.profile_cells(example_project, "example")
    cells = [i.what for i in items if i.what.startswith("cell ")]
    charts = [i for i in items if i.what.startswith("chart in cell ")]
    assert any("report.status_by_theme(data)" in c for c in cells)
    assert any("report.provenance(data)" in c for c in cells)
    assert charts and all(i.seconds > 0 for i in charts)
    # every chart is drawn within a cell: a cell lasts at least as long as its charts
    for cell in {c.what.removeprefix("chart in ") for c in charts}:
        inside = sum(c.seconds for c in charts if c.what == f"chart in {cell}")
        (whole,) = [i.seconds for i in items if i.what == cell]
        assert whole >= inside
