"""Local notebooks: found in file-name order, run after the standard sections, placed under
"Local analysis", part of provenance and the fingerprint; a failing one stops the run."""

from __future__ import annotations

import re

import nbformat
import pytest

from odreport.cli import main
from odreport.errors import RenderError
from odreport.publish import local, manifest
from odreport.publish.builder import build_report
from support import REPO

PARAMETERS = (
    "from odreport.report.parameters import preset\n\n"
    'org = preset("org", "example")\n'
    'period = preset("period")\n'
    'processed_dir = preset("processed_dir")'
)
LOAD = "from odreport import report\nfrom odreport.report import local\n\ndata = report.load(processed_dir)"
CHART = (
    "import altair as alt\n\n"
    'frame = data.themes[["theme", "items"]]\n'
    'chart = alt.Chart(frame).mark_bar().encode(x="items:Q", y="theme:N")\n'
    "report.show(\n"
    "    local.figure(chart, f\"Items by theme at {data.facts['period_label']}\", frame, "
    '"Items by theme", numeric=["items"])\n'
    ")"
)


def _notebook(project, name: str, *sources: str, parameters: bool = True, markdown=()):
    nb = nbformat.v4.new_notebook()
    nb.metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    for i, source in enumerate(sources):
        cell = nbformat.v4.new_code_cell(source)
        cell.id = f"c{i}"
        if i == 0 and parameters:
            cell.metadata["tags"] = ["parameters"]
        nb.cells.append(cell)
    for text in markdown:
        nb.cells.append(nbformat.v4.new_markdown_cell(text, id=f"m{len(nb.cells)}"))
    folder = project.notebooks / "local" / "example"
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, folder / name)
    return folder / name


def test_notebooks_are_found_in_file_name_order_for_their_organisation(example_project):
    assert local.notebooks(example_project, "example") == []
    b = _notebook(example_project, "b.ipynb", PARAMETERS)
    a = _notebook(example_project, "a.ipynb", PARAMETERS)
    (a.parent / ".hidden.ipynb").write_text("{}", encoding="utf-8")
    (a.parent / "notes.txt").write_text("", encoding="utf-8")
    other = example_project.notebooks / "local" / "dorset"
    other.mkdir(parents=True)
    (other / "c.ipynb").write_text("{}", encoding="utf-8")
    assert local.notebooks(example_project, "example") == [a, b]
    assert local.facts(example_project, "example") == [
        {"name": "a", "file": "notebooks/local/example/a.ipynb"},
        {"name": "b", "file": "notebooks/local/example/b.ipynb"},
    ]


def test_the_anchor_is_the_registrys_local_analysis_cell_in_the_report_notebook():
    nb = nbformat.read(REPO / "notebooks" / "governance_report.ipynb", as_version=4)
    cells = [c.source for c in nb.cells]
    assert local.ANCHOR in cells
    assert cells[cells.index(local.ANCHOR) + 1] == "report.show(report.data_quality(data))"


def test_a_local_notebook_is_part_of_its_organisations_fingerprint_only(example_project):
    request = {"org": "example", "period": ""}
    before = manifest.fingerprint(example_project, "example", request)
    path = _notebook(example_project, "a.ipynb", PARAMETERS)
    after = manifest.fingerprint(example_project, "example", request)
    assert after != before
    _notebook(example_project, "a.ipynb", PARAMETERS, "x = 1")
    assert manifest.fingerprint(example_project, "example", request) != after
    path.unlink()
    assert manifest.fingerprint(example_project, "example", request) == before
    other = example_project.notebooks / "local" / "dorset"
    other.mkdir(parents=True)
    (other / "c.ipynb").write_text("{}", encoding="utf-8")
    assert manifest.fingerprint(example_project, "example", request) == before


def _text(html: str) -> str:
    return re.sub(
        r"\s+", " ", re.sub(r"<[^>]+>", " ", re.sub(r"<svg.*?</svg>", "", html, flags=re.S))
    )


@pytest.mark.e2e
def test_a_local_notebook_with_a_chart_is_shown_under_local_analysis_reproducibly(
    example_project,
):
    project = example_project
    _notebook(
        project,
        "01-items.ipynb",
        PARAMETERS,
        LOAD,
        CHART,
        markdown=["# Note\nWritten by *us*: <script>x</script> jane@example.nhs.uk"],
    )
    _notebook(
        project, "02-plain.ipynb", PARAMETERS, LOAD, 'report.show(local.paragraphs("Second."))'
    )
    report = build_report(project, "example")
    html = report.read_text(encoding="utf-8")
    section = html[html.index('<h2 id="local-analysis">') : html.index('<h2 id="data-quality">')]
    first = section.index('<h3 id="local-01-items">01-items</h3>')
    second = section.index('<h3 id="local-02-plain">02-plain</h3>')
    assert first < second
    items = section[first:second]
    assert "From notebooks/local/example/01-items.ipynb" in items
    assert '<figure class="chart"><div class="chart-svg"><svg aria-label="Items by theme' in items
    assert "<figcaption>Items by theme at December 2025</figcaption>" in items
    # a Markdown cell is shown as narrative is: sanitised, redacted, headings under the name's
    assert "<h4>Note</h4>" in items and "<em>us</em>: &lt;script&gt;x&lt;/script&gt;" in items
    assert "jane@" not in html and "<script" not in html
    assert "<p>Second.</p>" in section[second:]
    assert '<a href="#local-analysis">Local analysis</a>' in html  # in the contents
    # the notebooks are code of the report: in its provenance
    assert "<td>notebooks/local/example/01-items.ipynb</td>" in html
    # the executed notebook holds them too, after the Local analysis cell
    executed = nbformat.read(report.with_suffix(".ipynb"), as_version=4)
    sources = [c.source for c in executed.cells]
    assert sources[sources.index(local.ANCHOR) + 1] == "# notebooks/local/example/01-items.ipynb"
    # byte-reproducible
    again = build_report(project, "example", force=True).read_bytes()
    assert again == report.read_bytes()


@pytest.mark.e2e
def test_a_failing_local_notebook_stops_the_run_naming_notebook_and_cell(example_project, capsys):
    project = example_project
    report = build_report(project, "example")
    before = report.read_bytes()
    _notebook(project, "01-fine.ipynb", PARAMETERS, LOAD, 'report.show(local.paragraphs("Fine."))')
    _notebook(project, "02-broken.ipynb", PARAMETERS, LOAD, "total = 0", "share = 1 / total")
    code = main(["--root", str(project.root), "report", "--org", "example"])
    assert code == 1
    err = capsys.readouterr().err
    assert err.startswith(
        "error: notebooks/local/example/02-broken.ipynb: cell 4 failed: ZeroDivisionError: "
        "division by zero"
    )
    assert report.read_bytes() == before  # nothing published: the previous report stands
    assert not list(report.parent.glob("local-*.ipynb"))


@pytest.mark.e2e
def test_a_local_notebook_without_parameters_or_loading_from_elsewhere_stops_the_run(
    example_project,
):
    project = example_project
    path = _notebook(project, "01-no-parameters.ipynb", "x = 1", parameters=False)
    with pytest.raises(RenderError, match=r"01-no-parameters\.ipynb: no cell tagged 'parameters'"):
        build_report(project, "example")
    path.unlink()
    _notebook(
        project,
        "01-elsewhere.ipynb",
        PARAMETERS,
        "from IPython.display import HTML, display",
        'display(HTML(\'<img src="https://example.org/x.png" alt="x">\'))',
    )
    with pytest.raises(RenderError, match=r"01-elsewhere\.ipynb: cell 3: its output runs a script"):
        build_report(project, "example")
