"""The BRAG category of an item from its status and RAG rating."""

from __future__ import annotations

from odreport.metrics import status


def test_brag_mapping():
    assert status.brag("Complete", "Green") == "Complete"
    assert status.brag("In progress", "Blue") == "Complete"
    assert status.brag("Proposed", None) == "Not started"
    assert status.brag("In progress", "Red") == "Off track"
    assert status.brag("In progress", "Amber") == "At risk"
    assert status.brag("Ongoing", "Green") == "On track"
    assert status.brag("In progress", None) == "Not rated"
