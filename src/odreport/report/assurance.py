"""Sections on assurance against the plan's frameworks: framework coverage, maturity against
targets, and the risk register."""

from __future__ import annotations

import pandas as pd
from markupsafe import Markup

from odreport.metrics.derive import MET, MISSED, NOT_YET_DUE, period_label
from odreport.report import assurance_charts, present
from odreport.report.data import ReportData
from odreport.report.templating import render

FRAMEWORK_NAMES = {  # as a heading: plural, capitalised
    "FoE": "Framework of Excellence domains",
    "AD": "Assurance domains",
    "AUTH": "Authorisation domains",
    "WCC": "World Class Commissioning competencies",
    "7S": "McKinsey 7S categories",
    "KD": "Key deliverables",
}


def framework_name(code: str) -> str:
    """A framework's domains, named as a heading (``FoE`` → ``Framework of Excellence
    domains``); unknown codes as ``<code> domains``."""
    return FRAMEWORK_NAMES.get(code, f"{code} domains")


def coverage(data: ReportData) -> Markup:
    """Framework domains the actions cover, and the gaps."""
    cov = data.coverage
    frameworks = []
    for code, part in cov.groupby("framework", sort=False):
        gaps = int((part["gap"] != "").sum())
        name = framework_name(str(code))
        frameworks.append({"name": name, "domains": len(part), "gaps": gaps})
    table = present.table(
        cov,
        "Actions supporting each framework domain",
        {
            "framework": "Framework",
            "code": "Code",
            "name": "Domain",
            "actions": "Actions",
            "off_track": "Off track",
            "gap": "Gap",
        },
        numeric=["actions", "off_track"],
    )
    return render("sections/coverage.html.j2", frameworks=frameworks, noun=data.noun, table=table)


MATURITY_COLUMNS = {
    "code": "Code",
    "domain": "Domain",
    "score": "Score",
    "maturity_level": "Maturity level",
    "target": "Target",
    "target_date": "Target date",
    "target_status": "Target status",
}


def assessed_text(assessed: str) -> str:
    """``2009-03`` → ``March 2009``; a year stays as it is."""
    if len(assessed) == 7 and assessed[4] == "-":
        return period_label(assessed)
    return assessed


def age_text(months: object, assessed: str) -> str:
    """How old an assessment is at the reporting date, in words: ``24 months old at the
    reporting date``."""
    if months is None or pd.isna(months):
        return ""
    m = int(months)
    return f"{m} month{'s' if m != 1 else ''} old at the reporting date"


def assessment_ages(data: ReportData) -> str:
    """Each assessment with a target and its age: ``March 2009, 24 months old``."""
    with_target = data.assessments[data.assessments["target"].notna()]
    out = []
    for assessed, part in with_target.groupby("assessed", sort=False):
        when = assessed_text(str(assessed))
        age = age_text(part["assessment_age_months"].iloc[0], when)
        out.append(f"{when}, {age.removesuffix(' at the reporting date')}" if age else when)
    return "; ".join(out)


def target_words(part: pd.DataFrame) -> str:
    """``5 met, 7 missed, 0 not yet due`` over the rows with a target."""
    status = part["target_status"]
    return ", ".join(f"{int((status == k).sum())} {k}" for k in (MET, MISSED, NOT_YET_DUE))


def maturity(data: ReportData) -> Markup:
    """Self-assessment or competency scores against targets, one chart per assessment: each
    target met, missed or not yet due at the reporting date, and the assessment's age."""
    figures, notes = [], []
    groups = data.assessments.groupby(["framework", "scale", "assessed"], sort=False)
    for (framework, scale, assessed), part in groups:
        part = part.drop_duplicates(["code", "target", "target_date"])
        first = part.drop_duplicates("code")
        top = 100 if scale == "percent" else max(4, float(first["score"].max()))
        unit = "%" if scale == "percent" else ""
        with_target = part[part["target"].notna()]
        when = assessed_text(str(assessed))
        alt_text = (
            f"{len(first)} {framework} domains assessed in {when}: scores from "
            f"{first['score'].min():g}{unit} to {first['score'].max():g}{unit}"
            + (
                f"; {len(with_target)} targets: {target_words(with_target)}."
                if len(with_target)
                else "; no targets set."
            )
        )
        age = age_text(part["assessment_age_months"].iloc[0], when)
        if age:
            end = " (counted from the end of the year)" if len(str(assessed)) == 4 else ""
            notes.append(
                f"The {framework} assessment dates from {when}: it is {age}{end}"
                + ("; its targets are judged on it." if len(with_target) else ".")
            )
        targets = part.sort_values("target_date").drop_duplicates("domain")
        chart_data = first[["domain", "score"]].merge(
            targets[["domain", "target"]], on="domain", how="left"
        )
        figures.append(
            present.figure(
                assurance_charts.maturity_chart(chart_data, top, f"Score ({scale})"),
                alt_text,
                part,
                f"{framework} scores, {when}",
                MATURITY_COLUMNS,
                numeric=["score", "target", "maturity_level"],
            )
        )
    return render("sections/maturity.html.j2", notes=notes, figures=figures)


RISK_NUMBERS = [
    "severity",
    "likelihood",
    "rating",
    "residual_severity",
    "residual_likelihood",
    "residual_rating",
]
RISK_COLUMNS = {
    "risk_ref": "Ref",
    "risk": "Risk",
    "severity": "S",
    "likelihood": "L",
    "rating": "Rating",
    "rag": "RAG",
    "mitigation": "Mitigation",
    "residual_severity": "Residual S",
    "residual_likelihood": "Residual L",
    "residual_rating": "Residual rating",
    "residual_rag": "Residual RAG",
}
RAG_BANDS = ("Red", "Amber", "Green")


def rag_counts(values: pd.Series) -> str:
    """``9 Red`` or ``2 Red, 7 Amber``: the RAG ratings as published, blanks left out."""
    counts = values[values != ""].value_counts()
    shown = [f"{int(counts[b])} {b}" for b in RAG_BANDS if b in counts]
    shown += [f"{int(n)} {b}" for b, n in counts.items() if b not in RAG_BANDS]
    return ", ".join(shown) if shown else "none rated"


def risk_disagreements(risks: pd.DataFrame) -> list[str]:
    """Each published rating that is not severity × likelihood, and each published RAG that is
    not the band of its published rating, before and after mitigation, in words."""
    out = []
    for r in risks.to_dict("records"):
        for stage, s, lk, rating, rag in (
            ("", "severity", "likelihood", "rating", "rag"),
            (
                "residual ",
                "residual_severity",
                "residual_likelihood",
                "residual_rating",
                "residual_rag",
            ),
        ):
            if pd.isna(r[s]) or pd.isna(r[lk]) or pd.isna(r[rating]):
                continue
            product = int(r[s]) * int(r[lk])
            said = []
            if int(r[rating]) != product:
                said.append(
                    f"its published {stage}rating, {int(r[rating])}, is not severity × "
                    f"likelihood ({int(r[s])} × {int(r[lk])} = {product}); the heat map places "
                    f"it in the {int(r[s])} × {int(r[lk])} cell ({assurance_charts.risk_band(product)})"
                )
            band = assurance_charts.risk_band(int(r[rating]))
            if r[rag] and r[rag] != band:
                said.append(
                    f"its published {stage}RAG, {r[rag]}, is not the band of its published "
                    f"rating ({band} for {int(r[rating])})"
                )
            if said:
                out.append(f"{r['risk_ref']}: " + "; ".join(said) + ".")
    return out


def risk(data: ReportData) -> Markup:
    """Inherent and residual risk on severity × likelihood heat maps; the counts are the RAG
    ratings as published (the rule of the register), and every published value that disagrees
    with its parts is flagged."""
    r = data.risks
    grid = assurance_charts.risk_grid(r)
    before, after = rag_counts(r["rag"]), rag_counts(r["residual_rag"])
    figure = present.figure(
        assurance_charts.risk_heatmap(grid),
        f"{len(r)} risks by severity and likelihood. RAG as published: {before} before "
        f"mitigation; {after} after mitigation.",
        grid[grid["risks"] > 0],
        "Risks per severity and likelihood",
        {
            "stage": "Stage",
            "severity": "Severity",
            "likelihood": "Likelihood",
            "risks": "Risks",
            "refs": "Refs",
            "band": "Band of the cell",
        },
        numeric=["severity", "likelihood", "risks"],
    )
    return render(
        "sections/risk.html.j2",
        risks=len(r),
        before=before,
        after=after,
        disagreements=risk_disagreements(r),
        figure=figure,
    )


def risk_register(data: ReportData) -> Markup:
    """The risk register as published (the appendix)."""
    register = present.table(
        data.risks,
        "Risk register as published",
        RISK_COLUMNS,
        numeric=RISK_NUMBERS,
        row_header="risk_ref",
    )
    return render("sections/figures.html.j2", figures=[], tables=[register])
