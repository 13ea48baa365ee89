"""The measures table (Making Data Count: variation and assurance icons, XmR only where it
applies) and, in an appendix, the charts of the measures.

Each function prepares what its section shows and renders ``templates/sections/<id>.html.j2``;
the section's heading comes from :mod:`odreport.report.registry`; the counting rules are
stated once in :mod:`odreport.report.progress`.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from odreport.metrics import spc
from odreport.metrics.derive import (
    period_short,
)
from odreport.report import present, spc_charts
from odreport.report.data import ReportData
from odreport.report.present import Cell, Table
from odreport.report.templating import render

# --- measures (Making Data Count) ----------------------------------------------------------------


@dataclass(frozen=True)
class Measure:
    """One row of the table of measures (as an integrated performance report shows them)."""

    name: str
    latest: str
    variation: spc.Icon | None
    variation_text: str  # the icon's label, or why the measure has none
    assurance: spc.Icon | None
    assurance_text: str
    target: str
    note: str


def xmr_note(result: spc.XmR, unit: str = "") -> str:
    """The limits of an XmR analysis in words, with what the reader must know: trial limits,
    screened moving ranges, zero-width limits, clipped limits."""

    def one(x: float) -> str:
        return f"{x:.1f}".replace("-0.0", "0.0")

    parts = [
        f"{len(result.points)} points; mean {one(result.mean)}{unit}, "
        f"{'trial limits' if result.trial else 'limits'} {one(result.lcl)}{unit} to "
        f"{one(result.ucl)}{unit}."
    ]
    if result.clipped:
        parts.append(
            " and ".join(f"the {c} limit" for c in result.clipped).capitalize()
            + " is clipped to the measure's natural range."
        )
    if result.screening:
        parts.append(result.screening)
    if result.no_flags_reason:
        parts.append(f"No special-cause flags: {result.no_flags_reason}.")
    return " ".join(parts)


NOT_SPC = {
    spc.CUMULATIVE: "a running total",
    spc.STOCK: "a stock that carries over",
}


def not_spc(kind: str, points: int) -> str:
    """Why a measure has no XmR chart, briefly (the reasons are in the section's text and
    :func:`odreport.metrics.spc.xmr_fitness`)."""
    fitness = spc.xmr_fitness(kind, points)
    if fitness.fit:
        return ""
    if kind in NOT_SPC:
        return f"Not charted as SPC: {NOT_SPC[kind]}."
    return f"Not charted as SPC: {fitness.reason}."


def _flow(data: ReportData) -> tuple[list[int], list[str]]:
    """Items completed in each reporting period after the first (values, period labels)."""
    flow = data.completions.dropna(subset=["completed_in_period"])
    return [int(v) for v in flow["completed_in_period"]], [period_short(p) for p in flow["period"]]


def completions_xmr(data: ReportData) -> spc.XmR | None:
    """The XmR analysis of items completed per period (a flow: higher is better, never below
    0), when :func:`odreport.metrics.spc.xmr_fitness` allows it."""
    values, labels = _flow(data)
    if not values or not spc.xmr_fitness(spc.FLOW, len(values)).fit:
        return None
    return spc.xmr(values, labels, improvement="up", lower_bound=0)


def completions_name(data: ReportData) -> str:
    """``Actions completed in the period``."""
    return f"{data.noun.capitalize()}s completed in the period"


def completions_measure(data: ReportData) -> Measure | None:
    """Items completed in each reporting period (a flow): an XmR analysis when there are
    enough periods, else its values."""
    values, labels = _flow(data)
    if not values:
        return None
    name = completions_name(data)
    latest = f"{values[-1]} in {labels[-1]}"
    result = completions_xmr(data)
    if result is None:
        listed = ", ".join(f"{v} in {lab}" for v, lab in zip(values, labels, strict=True))
        reason = not_spc(spc.FLOW, len(values))
        return Measure(name, latest, None, reason, None, "no target", "none", listed + ".")
    icon = spc.variation_icon(result)
    return Measure(name, latest, icon, icon.label, None, "no target", "none", xmr_note(result))


def completions_figure(data: ReportData) -> present.Figure | None:
    """The XmR chart of items completed per period (``None`` when it may not be drawn)."""
    result = completions_xmr(data)
    if result is None:
        return None
    name = completions_name(data)
    return present.figure(
        spc_charts.xmr_chart(result, "Completed in the period"),
        spc.describe(result, name),
        result.points.assign(value=result.points["value"].map(lambda v: f"{v:g}")),
        f"{name} by reporting period",
        {
            "label": "Period",
            "value": "Completed",
            "variation": "Variation",
            "rules": "Special-cause rule",
        },
        numeric=["value"],
    )


def stock_measures(data: ReportData) -> list[Measure]:
    """Share complete (a running total) and items overdue (a stock): listed with their latest
    value and why they are not read as XmR charts."""
    cur = data.facts["current"]
    n = len(data.facts.get("periods") or [data.facts["period"]])
    return [
        Measure(
            f"Share of {data.noun}s complete",
            f"{cur['share_complete']}% ({cur['complete']} of {cur['items']})",
            None,
            not_spc(spc.CUMULATIVE, n),
            None,
            "no target",
            "none",
            "Read against the plan's trajectory.",
        ),
        Measure(
            f"{data.noun.capitalize()}s overdue",
            str(cur["overdue"]),
            None,
            not_spc(spc.STOCK, n),
            None,
            "no target",
            "none",
            "Overdue items stay overdue until done; see Exceptions.",
        ),
    ]


def measure_rows(data: ReportData) -> list[Measure]:
    """Every measure of the report: the plan's flow and stocks, then each pulse-survey measure
    (:func:`odreport.report.pulse.pulse_measures`)."""
    from odreport.report.pulse import pulse_measures

    rows = []
    flow = completions_measure(data)
    if flow is not None:
        rows.append(flow)
    return rows + stock_measures(data) + pulse_measures(data)


def measures_table(rows: list[Measure]) -> Table:
    """The measures as a table: each icon as inline SVG with its label beside it."""

    def icon_cell(icon: spc.Icon | None, label: str) -> Cell:
        return Cell(label, icon=present.icon_svg(icon.key) if icon else None)

    return Table(
        "Measures: latest value, variation and assurance (Making Data Count)",
        ("Measure", "Latest", "Variation", "Assurance", "Target", "Limits and notes"),
        tuple(
            (
                Cell(m.name, header=True),
                Cell(m.latest),
                icon_cell(m.variation, m.variation_text),
                icon_cell(m.assurance, m.assurance_text),
                Cell(m.target),
                Cell(m.note),
            )
            for m in rows
        ),
    )


def measures(data: ReportData) -> Markup:
    """A summary table of measures, as an integrated performance report shows them: latest
    value, variation icon and assurance icon (with their words), target, limits. The charts
    are in an appendix (:func:`measure_charts`)."""
    return render(
        "sections/measures.html.j2",
        summary=measures_table(measure_rows(data)),
        charts=has_measure_charts(data),
        min_points=spc.MIN_POINTS,
        baseline=spc.BASELINE,
    )


def has_measure_charts(data: ReportData) -> bool:
    """Whether any measure has a chart: completions per period with enough points, or a pulse
    survey series."""
    return completions_xmr(data) is not None or not data.survey_trends.empty


def measure_charts(data: ReportData) -> Markup:
    """The appendix of the measures: the XmR chart of items completed per period, and each
    pulse series' measures across waves (an XmR chart, or the values listed under
    :data:`odreport.metrics.spc.MIN_POINTS` waves)."""
    from odreport.report.pulse import pulse_series

    flow = completions_figure(data)
    return render(
        "sections/measure_charts.html.j2",
        figures=[flow] if flow is not None else [],
        series=pulse_series(data),
        baseline=spc.BASELINE,
        min_points=spc.MIN_POINTS,
    )
