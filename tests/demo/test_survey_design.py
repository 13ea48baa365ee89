"""What the illustrative surveys ask, of whom and when."""

from __future__ import annotations

from odreport.demo.survey_design import (
    DIRECTORATES,
    POPULATION,
    PULSE_QUESTIONS,
    PULSE_WAVES,
    STAFF_GROUPS,
    TEXT,
    question_row,
)


def test_the_population_is_the_directorates_headcount_two_of_them_tiny():
    assert sum(d.headcount for d in DIRECTORATES) == POPULATION
    assert sum(d.headcount < 11 for d in DIRECTORATES) == 2
    assert all(len(d.bands) == len(STAFF_GROUPS) for d in DIRECTORATES)


def test_one_pulse_question_is_designed_to_improve_and_waves_are_in_order():
    assert [q.ref for q in PULSE_QUESTIONS if q.levels is not None] == ["Q6"]
    fielded = [w.fielded for w in PULSE_WAVES]
    assert fielded == sorted(fielded) and len(fielded) == 5


def test_a_question_row_says_its_wording_is_illustrative():
    closed = next(q for q in PULSE_QUESTIONS if q.scale != TEXT)
    row = question_row("pulse", closed, "seed 1")
    assert row["question_ref"] == closed.ref and row["higher_is_better"] == "yes"
    assert row["source"].startswith("seed 1: wording illustrative")
    text = next(q for q in PULSE_QUESTIONS if q.scale == TEXT)
    assert question_row("pulse", text, "seed 1")["higher_is_better"] == ""
