"""Pulse surveys over time: each question's and theme's percent favourable by wave, read as an
XmR chart (Making Data Count) when there are enough waves, and the measures they add to the
table of measures."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from odreport.metrics import spc
from odreport.metrics.derive import period_short
from odreport.report import present, spc_charts
from odreport.report.data import ReportData
from odreport.report.making_data_count import Measure, xmr_note
from odreport.report.present import count_text, pct_text


@dataclass(frozen=True)
class TrendMeasure:
    """One pulse measure across waves: an XmR figure, or (too few waves) its values."""

    label: str
    figure: present.Figure | None
    table: present.Table | None
    sentence: str


@dataclass(frozen=True)
class Series:
    """The trends of one pulse series: its measures, and the data of those charted as one
    table (``None`` when none is charted)."""

    name: str
    waves: int
    measures: tuple[TrendMeasure, ...]
    table: present.Table | None = None

    @property
    def charted(self) -> int:
        """How many of the measures are drawn as XmR charts."""
        return sum(m.figure is not None for m in self.measures)


def pulse_series(data: ReportData) -> list[Series]:
    """The trends of each pulse series with data."""
    ov = data.survey_overview
    out = []
    for name, waves in ov[ov["series"] != ""].groupby("series", sort=False):
        trend = data.survey_trends[data.survey_trends["series"] == name]
        if not trend.empty:
            out.append(
                Series(str(name), len(waves), series_measures(trend), trend_table(str(name), trend))
            )
    return out


WIDE_WAVES = 8  # up to this many waves the table has a column per wave, else a row per wave


def point_text(value: object, base: object, variation: str = spc.COMMON, rules: str = "") -> str:
    """One measure's result in one wave as the table of a series shows it: ``60% (304)``, with
    a special-cause point's variation and rule on a line of its own; ``suppressed`` for a wave
    without a value (:mod:`odreport.metrics.survey_trends`: a suppressed wave has none)."""
    if value is None or pd.isna(value):
        return "suppressed"
    shown = f"{pct_text(value)} ({count_text(base)})"
    if variation != spc.COMMON:
        shown += f"\n{variation}: {rules}" if rules else f"\n{variation}"
    return shown


def trend_table(name: str, trend: pd.DataFrame) -> present.Table | None:
    """The data of a series' XmR charts in one table: percent favourable (base) of each charted
    measure in each wave, a special-cause point's variation and rule under its value. One row
    per measure and a column per wave (a blank cell: the measure was not in that wave), or over
    :data:`WIDE_WAVES` waves a row per measure and wave; ``None`` when no measure is charted."""
    rows = []
    for points in shown_measures(trend):
        result = pulse_xmr(points)
        if result is None:
            continue
        label = str(points["measure_label"].iloc[0])
        special = dict(
            zip(
                result.points["label"],
                zip(result.points["variation"], result.points["rules"], strict=True),
                strict=True,
            )
        )
        for wave, value, base in zip(points["wave"], points["value"], points["base"], strict=True):
            wave_label = period_short(wave)
            variation, rules = special.get(wave_label, (spc.COMMON, ""))
            rows.append((label, wave, wave_label, point_text(value, base, variation, rules)))
    if not rows:
        return None
    frame = pd.DataFrame(rows, columns=["measure", "wave", "wave_label", "cell"])
    caption = (
        f"Data of the {name} charts above (a point of special-cause variation has its "
        "variation and rule under its value): percent favourable (base) by measure and wave"
    )
    waves = sorted(set(frame["wave"]))
    if len(waves) > WIDE_WAVES:
        return present.table(
            frame,
            caption,
            {"measure": "Measure", "wave_label": "Wave", "cell": TREND_TITLE + " (base)"},
            numeric=["cell"],
            row_header="measure",
        )
    labels = [period_short(w) for w in waves]
    wide = frame.pivot_table(
        index="measure", columns="wave_label", values="cell", aggfunc="first", sort=False
    )
    wide = wide.reindex(columns=labels).fillna("").reset_index()
    return present.table(
        wide,
        caption,
        {"measure": "Measure"} | {w: w for w in labels},
        numeric=labels,
        row_header="measure",
    )


def series_measures(trend: pd.DataFrame) -> tuple[TrendMeasure, ...]:
    """Every measure of a series shown as a trend; a theme with one question is left out (its
    score is that question's)."""
    return tuple(trend_measure(points) for points in shown_measures(trend))


def shown_measures(trend: pd.DataFrame) -> list[pd.DataFrame]:
    """The waves of each measure of a series that is shown (a theme score with one question is
    that question's, so it is left out)."""
    questions = trend[~trend["measure"].str.startswith("theme:")]
    per_theme = questions.groupby("theme_ref")["measure"].nunique()
    out = []
    for measure, points in trend.groupby("measure", sort=False):
        if str(measure).startswith("theme:") and per_theme.get(points["theme_ref"].iloc[0], 0) < 2:
            continue
        out.append(points)
    return out


TREND_TITLE = "Percent favourable"
TREND_HEIGHT = 90  # px: the plot of a series' small multiples (a lone XmR chart's is 220)
LEGEND_BESIDE = 8  # up to this many waves a chart's legends are beside it (the chart shorter)


def pulse_xmr(points: pd.DataFrame) -> spc.XmR | None:
    """The XmR analysis of one measure's waves (percent favourable, an independent measure
    each wave): limits clipped to 0–100%; ``None`` when :func:`odreport.metrics.spc.xmr_fitness`
    does not allow it (too few waves shown)."""
    shown = points[points["value"].notna()]
    if not spc.xmr_fitness(spc.INDEPENDENT, len(shown)).fit:
        return None
    first = shown.iloc[0]
    return spc.xmr(
        shown["value"].astype(float).tolist(),
        [period_short(w) for w in shown["wave"]],
        improvement="up" if bool(first["higher_is_better"]) else "down",
        target=None if pd.isna(first["target"]) else float(first["target"]),
        lower_bound=0,
        upper_bound=100,
    )


def trend_measure(points: pd.DataFrame) -> TrendMeasure:
    """One measure's waves: an XmR chart when it may be read as one
    (:func:`pulse_xmr`), else the values listed."""
    label = points["measure_label"].iloc[0]
    shown = points[points["value"].notna()]
    result = pulse_xmr(points)
    if result is None:
        listed = ", ".join(
            f"{pct_text(v)} in {period_short(w)}"
            for w, v in zip(shown["wave"], shown["value"], strict=True)
        )
        sentence = f"{label}: {listed}."
        if len(shown) < len(points):
            sentence += f" {len(points) - len(shown)} wave(s) suppressed."
        table = points.assign(
            wave_label=points["wave"].map(period_short),
            value_text=points["value"].map(pct_text),
            base_text=points["base"].map(count_text),
        )
        return TrendMeasure(
            label,
            None,
            present.table(
                table,
                f"{label} by wave",
                {"wave_label": "Wave", "value_text": TREND_TITLE, "base_text": "Base"},
                numeric=["value_text", "base_text"],
            ),
            sentence,
        )
    figure = present.figure(
        spc_charts.xmr_chart(
            result,
            TREND_TITLE,
            target=result.target,
            trial=result.trial,
            height=TREND_HEIGHT,
            legend_right=len(result.points) <= LEGEND_BESIDE,
            x_title="Wave",
        ),
        spc.describe(result, label, "%"),
        result.points.assign(
            value=result.points["value"].map(pct_text),
            base=shown["base"].map(count_text).tolist(),
        ),
        f"{label} by wave",
        {
            "label": "Wave",
            "value": TREND_TITLE,
            "base": "Base",
            "variation": "Variation",
            "rules": "Special-cause rule",
        },
        numeric=["value", "base"],
    )
    return TrendMeasure(label, figure, None, "")


def pulse_measures(data: ReportData) -> list[Measure]:
    """Each pulse-survey measure as a row of the table of measures: latest wave, variation
    and assurance icons (when it may be read as an XmR chart), target."""
    out = []
    for name in dict.fromkeys(data.survey_trends["series"]):
        trend = data.survey_trends[data.survey_trends["series"] == name]
        for points in shown_measures(trend):
            shown = points[points["value"].notna()]
            label = points["measure_label"].iloc[0]
            target = points["target"].iloc[0]
            target_text = "none" if pd.isna(target) else pct_text(target)
            if shown.empty:
                continue
            last = shown.iloc[-1]
            latest = (
                f"{pct_text(last['value'])} in {period_short(last['wave'])} "
                f"(base {count_text(last['base'])})"
            )
            result = pulse_xmr(points)
            if result is None:
                reason = spc.xmr_fitness(spc.INDEPENDENT, len(shown)).reason
                assurance = "no target" if pd.isna(target) else "none: no process limits"
                out.append(
                    Measure(
                        label,
                        latest,
                        None,
                        f"Not charted as SPC: {reason}.",
                        None,
                        assurance,
                        target_text,
                        "",
                    )
                )
                continue
            icon = spc.variation_icon(result)
            assured = spc.assurance_icon(result)
            out.append(
                Measure(
                    label,
                    latest,
                    icon,
                    icon.label,
                    assured,
                    assured.label if assured else "no target",
                    target_text,
                    xmr_note(result, "%"),
                )
            )
    return out
