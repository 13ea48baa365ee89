"""Survey comments as the report shows them: identical or near-identical comments grouped
(counted once, "n respondents said …"), a few groups per question in the body, the rest in
the survey appendix."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from odreport.report.data import ReportData

BODY_COMMENT_GROUPS = 3  # comment groups per question in the body; the rest in the appendix


SIMILAR = 0.9  # comments this similar (difflib ratio of their normalised text) are one group


@dataclass(frozen=True)
class CommentGroup:
    """Identical or near-identical comments, counted once: the first one written, and how
    many respondents wrote it (or nearly)."""

    text: str
    count: int

    @property
    def said(self) -> str:
        """``4 respondents said: “…”``; a single comment as it is."""
        if self.count == 1:
            return self.text
        return f"{self.count} respondents said: “{self.text}”"


@dataclass(frozen=True)
class CommentsOn:
    """The comments given to one question, grouped (:func:`group_comments`)."""

    question_ref: str
    question: str
    comments: int  # comments written
    groups: tuple[CommentGroup, ...]


def normalised(comment: str) -> str:
    """A comment as compared for grouping: case folded, punctuation and repeated spaces
    dropped."""
    words = re.sub(r"[^\w\s]", " ", comment.casefold())
    return " ".join(words.split())


def group_comments(comments: Sequence[str], similar: float = SIMILAR) -> list[CommentGroup]:
    """Comments grouped: identical comments after :func:`normalised`, or near-identical ones
    (a :class:`difflib.SequenceMatcher` ratio of at least ``similar`` with the group's first
    comment), are one group. Groups come most frequent first, then in the order first written;
    each shows its first comment as written."""
    groups: list[list] = []  # [key, first text, count]
    for comment in comments:
        key = normalised(comment)
        for group in groups:
            if key == group[0] or SequenceMatcher(None, key, group[0]).ratio() >= similar:
                group[2] += 1
                break
        else:
            groups.append([key, comment, 1])
    order = sorted(range(len(groups)), key=lambda i: (-groups[i][2], i))
    return [CommentGroup(groups[i][1], groups[i][2]) for i in order]


def grouped_comments(data: ReportData, sid: str) -> list[CommentsOn]:
    """The survey's comments (redacted) under their question, grouped."""
    com = data.survey_comments[data.survey_comments["survey_id"] == sid]
    return [
        CommentsOn(
            str(ref),
            part["question"].iloc[0],
            len(part),
            tuple(group_comments(part["comment"].tolist())),
        )
        for ref, part in com.groupby("question_ref", sort=False)
    ]


def split_comments(
    questions: list[CommentsOn], first: int = BODY_COMMENT_GROUPS
) -> tuple[tuple[CommentsOn, ...], tuple[CommentsOn, ...]]:
    """The first ``first`` groups of each question (the body) and the rest (the appendix)."""
    body, rest = [], []
    for q in questions:
        body.append(CommentsOn(q.question_ref, q.question, q.comments, q.groups[:first]))
        if len(q.groups) > first:
            rest.append(CommentsOn(q.question_ref, q.question, q.comments, q.groups[first:]))
    return tuple(body), tuple(rest)
