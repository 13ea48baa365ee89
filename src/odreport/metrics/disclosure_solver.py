"""Solving the disclosure audit: each suppressed figure's range, minimised and maximised
subject to every published equation (linear programmes with :func:`scipy.optimize.linprog` and
HiGHS), bracketed first by a few probe solutions."""

from __future__ import annotations

import hashlib
import math
from typing import TYPE_CHECKING

import numpy as np

from odreport.metrics.disclosure_terms import AuditResult, DisclosureError, Finding, Target

if TYPE_CHECKING:  # annotations only: the solver needs neither module at run time
    from odreport.metrics.published_equations import Published
    from odreport.metrics.survey_system import SurveySystem

PROBES = 6  # probe solutions before groups are solved one by one
TOLERANCE = 1e-6


def _matrix(system: SurveySystem, published: Published):
    from scipy.sparse import csr_matrix

    rows, cols, data, rhs = [], [], [], []
    for i, (c, coef, value) in enumerate(system.structure()):
        rows += [i] * len(c)
        cols += c.tolist()
        data += coef.tolist()
        rhs.append(value)
    base = len(rhs)
    for j, (c, value, _) in enumerate(published.equations):
        rows += [base + j] * len(c)
        cols += c.tolist()
        data += [1.0] * len(c)
        rhs.append(value)
    matrix = csr_matrix((data, (rows, cols)), shape=(len(rhs), system.size))
    return matrix, np.array(rhs, dtype=float)


def _alternating(targets: list[tuple[Target, np.ndarray]]) -> np.ndarray:
    """+1, -1, +1, ... over the suppressed groups of each grouping (by name), the same sign for
    a group in every question."""
    names: dict[str, list[str]] = {}
    for t, _ in targets:
        names.setdefault(t.group_by, [])
        if t.group not in names[t.group_by]:
            names[t.group_by].append(t.group)
    sign = {
        (gb, g): 1.0 if i % 2 == 0 else -1.0
        for gb, groups in names.items()
        for i, g in enumerate(sorted(groups))
    }
    return np.array([sign[(t.group_by, t.group)] for t, _ in targets])


def _inward(low: float, high: float) -> tuple[float, float]:
    """A range of counts rounded inwards to whole numbers."""
    lo = math.ceil(low - TOLERANCE) if not math.isinf(low) else low
    hi = math.floor(high + TOLERANCE) if not math.isinf(high) else high
    return lo, hi


_CACHE: dict[str, tuple[dict, list]] = {}
"""Audits already solved in this process, by a digest of their equations, targets and
threshold: the same tables audited again (read back after writing, say) cost no solving."""


def solve(
    system: SurveySystem, published: Published, min_group_size: int, result: AuditResult
) -> None:
    """Bracket every target's range; add a finding for each narrower than ``min_group_size``."""
    if not published.targets:
        return
    matrix, rhs = _matrix(system, published)
    _check_truth(system, published, matrix, rhs)
    key = _digest(system, published, matrix, rhs, min_group_size)
    if key in _CACHE:
        widths, findings = _CACHE[key]
        result.widths.update(widths)
        result.findings.extend(findings)
        return
    low, high = _bracket(system, published, matrix, rhs, min_group_size, result)
    widths, findings = {}, []
    for i, (target, _) in enumerate(published.targets):
        lo, hi = _inward(low[i], high[i])
        widths[target] = hi - lo
        if hi - lo < min_group_size:
            findings.append(Finding(target, lo, hi))
    if len(_CACHE) > 256:  # a batch worker audits many reports: keep the last ones only
        _CACHE.clear()
    _CACHE[key] = (widths, findings)
    result.widths.update(widths)
    result.findings.extend(findings)


def _check_truth(system: SurveySystem, published: Published, matrix, rhs: np.ndarray) -> None:
    """The published figures must be the answers' own: else the audit would prove nothing."""
    if np.allclose(matrix @ system.truth, rhs, atol=1e-6):
        return
    bad = [
        published.equations[i - (len(rhs) - len(published.equations))][2]
        for i in np.flatnonzero(~np.isclose(matrix @ system.truth, rhs, atol=1e-6))
        if i >= len(rhs) - len(published.equations)
    ]
    raise DisclosureError(
        f"survey {system.survey_id}: published figures do not match the answers "
        f"({'; '.join(bad[:3]) or 'structure'})"
    )


def _digest(
    system: SurveySystem, published: Published, matrix, rhs: np.ndarray, min_group_size: int
) -> str:
    """A digest of the equations, targets and threshold: the key of :data:`_CACHE`."""
    digest = hashlib.sha256()
    for part in (matrix.indptr, matrix.indices, matrix.data, rhs, system.truth):
        digest.update(np.ascontiguousarray(part).tobytes())
    for target, cols in published.targets:
        digest.update(repr(target).encode())
        digest.update(np.ascontiguousarray(cols).tobytes())
    digest.update(str(min_group_size).encode())
    return digest.hexdigest()


def _bracket(
    system: SurveySystem,
    published: Published,
    matrix,
    rhs: np.ndarray,
    min_group_size: int,
    result: AuditResult,
) -> tuple[np.ndarray, np.ndarray]:
    """The lowest and highest value of each target over the solutions found: first a few
    probe solutions, then, for each target not yet proven wide enough, its own minimum and
    maximum."""
    from scipy.optimize import linprog

    objectives = np.zeros((len(published.targets), system.size))
    for i, (_, cols) in enumerate(published.targets):
        objectives[i, cols] = 1.0
    low = objectives @ system.truth
    high = low.copy()

    def run(c: np.ndarray) -> np.ndarray | None:
        result.linear_programmes += 1
        res = linprog(c, A_eq=matrix, b_eq=rhs, bounds=(0, None), method="highs-ipm")
        if res.status == 0:
            return res.x
        if res.status == 3:  # unbounded
            return None
        raise DisclosureError(
            f"survey {system.survey_id}: the audit's linear programme failed ({res.message})"
        )

    def seen(x: np.ndarray) -> None:
        values = objectives @ x
        np.minimum(low, values, out=low)
        np.maximum(high, values, out=high)

    def proven() -> np.ndarray:
        lo, hi = np.ceil(low - TOLERANCE), np.floor(high + TOLERANCE)
        return hi - lo >= min_group_size

    rng = np.random.default_rng(20251124)
    alternate = _alternating(published.targets)
    for k in range(PROBES):
        if proven().all():
            break
        open_ = ~proven()
        if k < 2:  # each group pushed up once and down once, its neighbours the other way
            weights = alternate * (1.0 if k == 0 else -1.0) * open_
        else:
            weights = rng.choice([-1.0, 1.0], size=len(low)) * open_
        x = run(weights @ objectives)
        if x is not None:
            seen(x)
    for i in np.argsort(high - low, kind="stable"):
        if proven()[i]:
            continue
        x = run(-objectives[i])
        if x is None:
            high[i] = math.inf
        else:
            seen(x)
        if proven()[i]:
            continue
        x = run(objectives[i])
        if x is not None:
            seen(x)
    return low, high
