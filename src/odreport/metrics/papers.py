"""A paper's cover sheet: the particulars a person decides, and the assurance level the data
propose.

**Particulars** (:func:`particulars`) come from the optional input ``papers.csv``, one row per
meeting keyed by its date (``meeting_date``): agenda item, title, report of, author,
presenter, purpose, an assurance level that overrides the proposed one, the organisation's
words for the assurance levels, strategic objectives, Board Assurance Framework risks,
implications (quality, equality, finance, legal) and previous consideration. A field with no
value is ``None``: the report shows it as "not provided", never a made-up value.

**Proposed assurance level** (:func:`proposed_assurance`), on the internal-audit scale
substantial, reasonable, limited, no assurance:

1. From the trajectory gap, the share of the items due by now that are not complete:
   at most 10% substantial; at most 25% reasonable; at most 50% limited; more than 50% no
   assurance. With nothing due yet, reasonable (delivery cannot yet be shown).
2. One level lower (never below no assurance) when the data are incomplete: a known gap in the
   plan's items in the source document (a ``source_notes`` row of kind ``gap`` on the themes,
   objectives, actions, milestones or progress tables: :func:`plan_gaps`), any item with no
   status reported, or data stale for the meeting.

The author may set another level in ``papers.csv`` (``assurance_level``); the report then shows
the level set and the level the rule proposes, with its reasons.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from odreport.inputs.tables import Inputs

FIELDS = (
    "agenda_item",
    "title",
    "report_of",
    "author",
    "presenter",
    "purpose",
    "assurance_level",
    "assurance_wording",
    "strategic_objectives",
    "baf_risks",
    "quality_implications",
    "equality_implications",
    "finance_implications",
    "legal_implications",
    "previous_consideration",
)
"""The fields of ``papers.csv`` a person decides (besides ``meeting_date`` and ``source``)."""

PURPOSES = ("decision", "approval", "discussion", "assurance", "information")
LEVELS = ("substantial", "reasonable", "limited", "no assurance")
"""The assurance levels, highest first (internal-audit wording)."""
GAP_BANDS = (0.10, 0.25, 0.50)  # the largest gap share of substantial, reasonable, limited
PLAN_TABLES = ("themes", "objectives", "actions", "milestones", "progress")


def _value(value: object) -> str | None:
    if value is None:
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    text = str(value).strip()
    return text or None


def particulars(inputs: Inputs, meeting: dict | None) -> dict:
    """The ``papers.csv`` row for ``meeting`` (as the summary records it: its ``date``), as
    ``{field: text or None}`` for every field of :data:`FIELDS`, with ``provided`` (whether
    a row was found), ``meeting_date`` and ``source``. Without a meeting or a row, every
    field is ``None``."""
    out: dict = {f: None for f in FIELDS}
    out |= {"provided": False, "meeting_date": None, "source": None}
    table = inputs.get("papers")
    if not meeting or table is None or table.empty:
        return out
    dates = pd.to_datetime(table["meeting_date"]).dt.date.astype(str)
    rows = table[dates == meeting["date"]]
    if rows.empty:
        return out
    row = rows.iloc[0]
    out |= {f: _value(row.get(f)) for f in FIELDS}
    out |= {"provided": True, "meeting_date": meeting["date"], "source": _value(row["source"])}
    return out


@dataclass(frozen=True)
class Assurance:
    """A proposed assurance level (an index into :data:`LEVELS`) and why."""

    level: int
    reasons: tuple[str, ...]

    @property
    def name(self) -> str:
        return LEVELS[self.level]


def gap_level(due: int, gap: int) -> tuple[int, str]:
    """Step 1 of the rule: the level the trajectory gap gives, and the reason in words."""
    if due == 0:
        return 1, "nothing is due yet under the plan's timescales, so delivery cannot yet be shown"
    share = gap / due
    level = next((i for i, top in enumerate(GAP_BANDS) if share <= top), len(GAP_BANDS))
    percent = int(share * 100 + 0.5)
    verb = "is" if gap == 1 else "are"
    return level, f"{gap} of the {due} items due by now {verb} not complete ({percent}%)"


def plan_gaps(notes: pd.DataFrame) -> int:
    """The known gaps in the plan's items: ``source_notes`` rows of kind ``gap`` on one of
    :data:`PLAN_TABLES` (a gap elsewhere, such as lost audiences, leaves the figures whole)."""
    if notes.empty:
        return 0
    return int(((notes["kind"] == "gap") & notes["table"].isin(PLAN_TABLES)).sum())


def proposed_assurance(
    due: int, gap: int, known_gaps: int = 0, no_status: int = 0, stale: bool = False
) -> Assurance:
    """The assurance level the data propose (the rule in this module's docstring)."""
    level, reason = gap_level(due, gap)
    reasons = [reason]
    incomplete = []
    if known_gaps:
        incomplete.append(
            f"{known_gaps} known gap{'s' if known_gaps != 1 else ''} in the plan's items in the "
            "source document"
        )
    if no_status:
        incomplete.append(
            f"{no_status} item{'s' if no_status != 1 else ''} with no status reported"
        )
    if stale:
        incomplete.append("data stale for the meeting")
    if incomplete:
        level = min(level + 1, len(LEVELS) - 1)
        reasons.append("one level lower for incomplete data: " + ", ".join(incomplete))
    return Assurance(level, tuple(reasons))


def level_names(wording: str | None) -> tuple[str, ...]:
    """The organisation's names of the four levels (``papers.csv`` ``assurance_wording``,
    highest first, separated by "; "), else the internal-audit words, capitalised."""
    if wording:
        names = tuple(w.strip() for w in wording.split(";"))
        if len(names) == len(LEVELS) and all(names):
            return names
    return tuple(level.capitalize() for level in LEVELS)
