"""The notebooks' parameters: defaults preset through ODREPORT_<NAME> (``odreport lab``)."""

from __future__ import annotations

import pytest

from odreport.report.parameters import NAMES, preset, variable


def test_each_parameter_has_its_variable():
    assert [variable(n) for n in NAMES] == [
        "ODREPORT_ORG",
        "ODREPORT_PERIOD",
        "ODREPORT_PROCESSED_DIR",
    ]
    with pytest.raises(KeyError, match="not a report parameter: 'orgg'"):
        variable("orgg")


def test_preset_reads_the_variable_else_the_default(monkeypatch):
    monkeypatch.delenv("ODREPORT_PERIOD", raising=False)
    assert preset("period") == ""
    assert preset("period", "2016-06") == "2016-06"
    monkeypatch.setenv("ODREPORT_PERIOD", "2016-05")
    assert preset("period", "2016-06") == "2016-05"
    monkeypatch.setenv("ODREPORT_PERIOD", "")  # set but blank: the default
    assert preset("period", "2016-06") == "2016-06"
