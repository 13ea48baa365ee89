"""The BRAG categories of an item's progress: Complete (blue), On track (green), At risk
(amber), Off track (red), Not started (grey), and Not rated where a status has no RAG rating."""

from __future__ import annotations

COMPLETE, ON_TRACK, AT_RISK, OFF_TRACK, NOT_STARTED, NOT_RATED = (
    "Complete",
    "On track",
    "At risk",
    "Off track",
    "Not started",
    "Not rated",
)
BRAG_ORDER = [COMPLETE, ON_TRACK, AT_RISK, OFF_TRACK, NOT_STARTED, NOT_RATED]
NO_STATUS = "No status reported"  # the status of an item with no progress row in the period
NO_LEAD = "No lead named"  # the lead of an item whose source names none
_RAG_TO_BRAG = {
    "Blue": COMPLETE,
    "Green": ON_TRACK,
    "Amber": AT_RISK,
    "Red": OFF_TRACK,
    "Grey": NOT_STARTED,
}


def brag(status: str | None, rag: str | None) -> str:
    """The BRAG category of an item from its status and RAG rating."""
    if status == "Complete" or rag == "Blue":
        return COMPLETE
    if status in ("Not started", "Proposed"):
        return NOT_STARTED
    return _RAG_TO_BRAG.get(rag or "", NOT_RATED)
