"""Survey comments grouped: identical and near-identical ones counted once
(odreport.report.comments)."""

from __future__ import annotations

from odreport.report import comments


def test_group_comments_counts_identical_and_near_identical_once():
    given = [
        "More notice of changes, please.",
        "Faster decisions.",
        "more notice of changes please",  # identical once case and punctuation are set aside
        "More notice of change please.",  # near-identical (one letter)
        "Faster decisions!",
        "Better IT.",
    ]
    groups = comments.group_comments(given)
    assert [(g.text, g.count) for g in groups] == [
        ("More notice of changes, please.", 3),
        ("Faster decisions.", 2),
        ("Better IT.", 1),
    ]
    assert groups[0].said == "3 respondents said: “More notice of changes, please.”"
    assert groups[2].said == "Better IT."


def test_normalised_sets_case_punctuation_and_spacing_aside():
    assert comments.normalised("  More NOTICE, please!! ") == comments.normalised(
        "more notice please"
    )
    assert comments.normalised("Faster decisions") != comments.normalised("Slower decisions")


def test_split_comments_keeps_the_first_groups_of_each_question_for_the_body():
    groups = tuple(comments.group_comments(["A", "B", "A", "C", "D"]))
    short = tuple(comments.group_comments(["E"]))
    questions = [
        comments.CommentsOn("Q1", "Any comments?", 5, groups),
        comments.CommentsOn("Q2", "Anything else?", 1, short),
    ]
    body, rest = comments.split_comments(questions, 2)
    assert [[g.text for g in q.groups] for q in body] == [["A", "B"], ["E"]]
    assert [(q.question_ref, [g.text for g in q.groups]) for q in rest] == [("Q1", ["C", "D"])]
