"""Sections on assurance against the plan's frameworks: framework coverage, maturity against
targets, and the risk register."""

from __future__ import annotations

from markupsafe import Markup

from odreport.report import charts, present
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
}


def maturity(data: ReportData) -> Markup:
    """Self-assessment or competency scores against targets, one chart per assessment."""
    figures = []
    groups = data.assessments.groupby(["framework", "scale", "assessed"], sort=False)
    for (framework, scale, assessed), part in groups:
        part = part.drop_duplicates(["code", "target", "target_date"])
        first = part.drop_duplicates("code")
        top = 100 if scale == "percent" else max(4, float(first["score"].max()))
        unit = "%" if scale == "percent" else ""
        with_target = part[part["target"].notna()]
        met = int((with_target["score"] >= with_target["target"]).sum())
        alt_text = (
            f"{len(first)} {framework} domains assessed in {assessed}: scores from "
            f"{first['score'].min():g}{unit} to {first['score'].max():g}{unit}"
            + (f"; {met} of {len(with_target)} targets already met." if len(with_target) else ".")
        )
        targets = part.sort_values("target_date").drop_duplicates("domain")
        chart_data = first[["domain", "score"]].merge(
            targets[["domain", "target"]], on="domain", how="left"
        )
        figures.append(
            present.figure(
                charts.maturity_chart(chart_data, top, f"Score ({scale})"),
                alt_text,
                part,
                f"{framework} scores, {assessed}",
                MATURITY_COLUMNS,
                numeric=["score", "target", "maturity_level"],
            )
        )
    return render("sections/figures.html.j2", figures=figures, tables=[])


RISK_RED = 15  # a rating of 15 or more is red on the NHS 5 × 5 matrix
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


def risk(data: ReportData) -> Markup:
    """Inherent and residual risk on severity × likelihood heat maps, with the register."""
    r = data.risks
    grid = charts.risk_grid(r)
    high = int((r["rating"] >= RISK_RED).sum())
    residual_high = int((r["residual_rating"] >= RISK_RED).sum())
    figure = present.figure(
        charts.risk_heatmap(grid),
        f"{len(r)} risks: {high} rated red ({RISK_RED} or more) before mitigation, "
        f"{residual_high} after mitigation.",
        grid[grid["risks"] > 0],
        "Risks per severity and likelihood",
        {
            "stage": "Stage",
            "severity": "Severity",
            "likelihood": "Likelihood",
            "risks": "Risks",
            "refs": "Refs",
            "band": "Band",
        },
        numeric=["severity", "likelihood", "risks"],
    )
    register = present.table(
        r, "Risk register as published", RISK_COLUMNS, numeric=RISK_NUMBERS, row_header="risk_ref"
    )
    return render("sections/figures.html.j2", figures=[figure], tables=[register])
