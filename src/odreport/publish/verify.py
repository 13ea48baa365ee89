"""`make verify`: an auditor's check that a published report is what its inputs and code give.

A report's provenance (recorded in its ``report.ipynb`` by :mod:`odreport.publish.normalise`)
names every input file with its SHA-256, the code version, the parameters and the library
versions. :func:`verify` checks each of them against what is here now, then renders the report
again in a temporary folder, from those inputs and that code, and compares the bytes of
``report.html`` and ``report.ipynb`` with the published ones. Nothing in the project is
written.

The code named ``git <commit>`` is checked out from the project's repository into the
temporary folder, and the re-render imports the package from there; code with uncommitted
changes (``+dirty``) cannot be re-created, so such a report cannot be verified. Outside git
(``odreport <version>``) the installed package and the project's notebook and suites are used,
after their checksums are compared with the provenance.
"""

from __future__ import annotations

import html
import itertools
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from odreport.errors import UnknownPeriod, UsageError
from odreport.paths import PERIOD_RE, Project, check_org
from odreport.publish.normalise import recorded_provenance
from odreport.publish.provenance import code_version, library_versions, relative, sha256

STEMS = ("report", "report-public")  # the full report and its public version

# Runs in a fresh process whose ``odreport`` is the code being verified (PYTHONPATH).
RERENDER = """
import json, sys
from pathlib import Path
from odreport.paths import Project
try:
    from odreport.publish.builder import build_report
except ImportError:  # code from before the builder module
    from odreport.publish.pipeline import build_report
args = json.loads(sys.argv[1])
build_report(Project(Path(args.pop("root"))), args.pop("org"), args.pop("period"), force=True,
             **args)
"""


@dataclass
class Verdict:
    """The outcome of verifying one organisation's published report(s)."""

    verified: list[str] = field(default_factory=list)  # reports that re-rendered identically
    problem: str = ""  # the first thing that did not match (empty when all verified)

    @property
    def ok(self) -> bool:
        return not self.problem and bool(self.verified)


class Mismatch(Exception):
    """Something the provenance names does not match what is here (one line, for the user)."""


def report_folder(project: Project, org: str, period: str | None) -> Path:
    """``reports/<org>/<period>/`` (default: the latest period with a published report).

    Raises :class:`UnknownPeriod` when there is no such report."""
    check_org(project, org)
    if period:
        if not PERIOD_RE.match(period):
            raise UsageError(f"period must look like YYYY-MM (found {period!r})")
        folder = project.report_dir(org, period)
        if any((folder / f"{stem}.html").is_file() for stem in STEMS):
            return folder
    published = sorted(
        p.parent.name
        for p in project.reports.glob(f"{org}/*/*.html")
        if PERIOD_RE.match(p.parent.name) and p.stem in STEMS
    )
    if period or not published:
        found = f"; published: {', '.join(sorted(set(published)))}" if published else ""
        raise UnknownPeriod(
            f"no published report for {org}" + (f" in {period}" if period else "") + found
        )
    return project.report_dir(org, published[-1])


def verify(project: Project, org: str, period: str | None = None) -> Verdict:
    """Verify the report (and its public version, if published) of ``org`` for ``period``.

    Returns a :class:`Verdict`: the reports verified, or the first problem found (an input
    whose checksum no longer matches, a library of another version, code that cannot be
    re-created, or the first section of the report whose bytes differ)."""
    folder = report_folder(project, org, period)
    verdict = Verdict()
    for stem in STEMS:
        if not (folder / f"{stem}.html").is_file():
            continue
        name = relative(folder / f"{stem}.html", project.root)
        try:
            _verify_one(project, org, folder, stem)
        except Mismatch as exc:
            verdict.problem = f"{name}: {exc}"
            return verdict
        verdict.verified.append(name)
    return verdict


def _verify_one(project: Project, org: str, folder: Path, stem: str) -> None:
    notebook = folder / f"{stem}.ipynb"
    where = relative(notebook, project.root)
    if not notebook.is_file():
        raise Mismatch(f"{where}, which records the provenance, is missing")
    try:
        prov = recorded_provenance(notebook)
    except ValueError as exc:
        raise Mismatch(f"{where} is not a readable notebook ({exc})") from None
    if not prov:
        raise Mismatch(f"{where} records no provenance (made before `make verify`): render it again")
    try:
        check_inputs(project, org, prov)
        check_versions(prov)
        with tempfile.TemporaryDirectory(prefix="odreport-verify-") as tmp:
            root, code = prepare_copy(project, org, prov, Path(tmp) / "project")
            check_code_files(root, prov)
            rerender(root, org, prov, public=stem != "report", code=code)
            again = root / relative(folder, project.root)
            compare(folder / f"{stem}.html", again / f"{stem}.html")
            compare(notebook, again / f"{stem}.ipynb")
    except (KeyError, TypeError, AttributeError) as exc:
        raise Mismatch(f"the provenance in {where} is incomplete ({exc!r} missing)") from None


def _checksums(entries: list[dict], root: Path, kind: str) -> None:
    for entry in entries:
        path = root / entry["file"]
        if not path.is_file():
            raise Mismatch(f"{kind} {entry['file']} is missing (its SHA-256 was {entry['sha256']})")
        now = sha256(path)
        if now != entry["sha256"]:
            raise Mismatch(
                f"{kind} {entry['file']} no longer matches the provenance "
                f"(SHA-256 {now}, recorded {entry['sha256']})"
            )


def check_inputs(project: Project, org: str, prov: dict) -> None:
    """Every input the provenance lists is here with the same SHA-256, and no other input
    would be read now (raises :class:`Mismatch`)."""
    _checksums(prov["inputs"], project.root, "input")
    from odreport.inputs.tables import read_inputs

    recorded = {entry["file"] for entry in prov["inputs"]}
    read = read_inputs(project.raw_dir(org), project.expectations)
    added = sorted({relative(p, project.root) for p in read.files.values()} - recorded)
    if added:
        raise Mismatch(f"input {added[0]} is not in the provenance (added since)")


def check_versions(prov: dict) -> None:
    """Python and the libraries that shape the report are the versions recorded."""
    now = library_versions()
    for name, recorded in sorted(prov["versions"].items()):
        if now.get(name) != recorded:
            raise Mismatch(
                f"the report was made with {name} {recorded}; this environment has "
                f"{name} {now.get(name, 'not installed')}"
            )


def check_code_files(root: Path, prov: dict) -> None:
    """The notebook and suites of the code being re-rendered are those recorded."""
    _checksums(prov["code_files"], root, "code file")


def _git(root: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(root), *args], capture_output=True, text=True, timeout=120
    )
    if done.returncode != 0:
        raise Mismatch(f"git {args[0]} failed: {(done.stderr.strip().splitlines() or [''])[-1]}")
    return done.stdout.strip()


def prepare_copy(project: Project, org: str, prov: dict, dest: Path) -> tuple[Path, Path | None]:
    """A project in ``dest`` holding the code the provenance names and the organisation's
    inputs; returns its root and the ``src`` folder to import the package from (``None``: the
    installed package). Raises :class:`Mismatch` when that code cannot be re-created."""
    recorded = prov["code_version"]
    if recorded.endswith("+dirty"):
        raise Mismatch(
            f"the report was made from code with uncommitted changes ({recorded}), which "
            "cannot be re-created: commit, render again, then verify"
        )
    if recorded.startswith("git "):
        commit = recorded.removeprefix("git ")
        if not (project.root / ".git").exists():
            raise Mismatch(f"the report was made by {recorded}, but this project is not in git")
        _git(project.root, "cat-file", "-e", f"{commit}^{{commit}}")
        subprocess.run(
            ["git", "clone", "--quiet", "--shared", "--no-checkout", str(project.root), str(dest)],
            check=True,
            capture_output=True,
            timeout=300,
        )
        _git(dest, "checkout", "--quiet", commit)
        code = dest / "src" if (dest / "src" / "odreport").is_dir() else None
    else:
        now = code_version(project.root)
        if now != recorded:
            raise Mismatch(f"the report was made by {recorded}; this checkout is {now}")
        for name in ("notebooks", "expectations"):
            shutil.copytree(project.root / name, dest / name)
        code = None
    raw = dest / "data" / "raw" / org
    shutil.rmtree(raw, ignore_errors=True)
    shutil.copytree(project.raw_dir(org), raw)
    for name in ("data/processed", "reports"):
        (dest / name).mkdir(parents=True, exist_ok=True)
    return dest, code


def rerender(root: Path, org: str, prov: dict, public: bool, code: Path | None) -> None:
    """Render the report again in the project at ``root``, in a fresh process (its kernel
    too) that imports the package from ``code`` (``None``: the installed one)."""
    params = prov["parameters"]
    args = {
        "root": str(root),
        "org": org,
        "period": params["period"],
        "min_group_size": params.get("min_group_size"),
        "public": public,
        "meeting": params.get("meeting"),
    }
    env = {k: v for k, v in os.environ.items() if k != "ODREPORT_ROOT"}
    if code is not None:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(code), env.get("PYTHONPATH")]))
    done = subprocess.run(
        [sys.executable, "-c", RERENDER, json.dumps(args)],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no message"])[-1]
        raise Mismatch(f"it could not be rendered again from its inputs and code: {last}")


def sections(page: str) -> list[tuple[str, str]]:
    """An HTML report cut at its second-level headings: ``(heading text, markup)`` pairs, the
    first named "the title and header" (everything before the first heading)."""
    starts = [m.start() for m in re.finditer(r"<h2\b", page)]
    bounds = [0, *starts, len(page)]
    out = []
    for i, (a, b) in enumerate(itertools.pairwise(bounds)):
        part = page[a:b]
        if i == 0:
            name = "the title and header"
        else:
            found = re.match(r"<h2\b[^>]*>(.*?)</h2>", part, flags=re.S)
            name = html.unescape(re.sub(r"<[^>]+>", "", found[1])).strip() if found else "?"
        out.append((name, part))
    return out


def first_difference(published: str, again: str) -> str:
    """Where a published report first differs from its re-rendering, in words."""
    mine, theirs = sections(published), sections(again)
    for (_, a), (name, b) in zip(mine, theirs, strict=False):
        if a != b:  # named as rendered again: the published heading may be what changed
            return f"section '{name}'"
    if len(mine) > len(theirs):
        return f"section '{mine[len(theirs)][0]}', which the re-rendered report does not have"
    return f"section '{theirs[len(mine)][0]}', missing from the published report"


def notebook_difference(published: str, again: str) -> str:
    """Where a kept notebook first differs from the re-rendered one, in words: the cell (and
    the report section it shows) or the metadata."""
    try:
        mine, theirs = json.loads(published), json.loads(again)
    except ValueError:
        return "it is not a readable notebook"
    cells_a, cells_b = mine.get("cells", []), theirs.get("cells", [])
    for i, (a, b) in enumerate(zip(cells_a, cells_b, strict=False)):
        if a != b:
            shown = "".join(
                "".join(out.get("data", {}).get("text/html", []))
                for out in b.get("outputs", [])
            )
            heading = re.search(r"<h2\b[^>]*>(.*?)</h2>", shown, flags=re.S)
            title = html.unescape(re.sub(r"<[^>]+>", "", heading[1])).strip() if heading else ""
            return f"cell {i + 1}" + (f" (section '{title}')" if title else "")
    if len(cells_a) != len(cells_b):
        return f"its number of cells ({len(cells_a)}, re-rendered {len(cells_b)})"
    if mine.get("metadata") != theirs.get("metadata"):
        return "its metadata"
    return "its layout (same content, other bytes)"


def compare(published: Path, again: Path) -> None:
    """Raise :class:`Mismatch` unless the two files have the same bytes."""
    if not again.is_file():
        raise Mismatch(f"the re-rendered report has no {again.name}")
    if published.read_bytes() == again.read_bytes():
        return
    a = published.read_text(encoding="utf-8", errors="replace")
    b = again.read_text(encoding="utf-8", errors="replace")
    where = first_difference(a, b) if published.suffix == ".html" else notebook_difference(a, b)
    raise Mismatch(
        f"{published.name} differs from the report rendered again from its inputs and code, "
        f"first in {where}"
    )
