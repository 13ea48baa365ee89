"""Typed exceptions, one per kind of failure, each with the exit code the CLI returns."""

from __future__ import annotations


class OdReportError(Exception):
    """Any failure of the pipeline (exit code 1)."""

    exit_code = 1


class UsageError(OdReportError):
    """The user asked for something that does not exist or is malformed (exit code 2)."""

    exit_code = 2


class UnknownOrganisation(UsageError):
    """No folder for the organisation under ``data/raw/``."""


class UnknownPeriod(UsageError):
    """No progress snapshot for the requested period."""


class DataValidationError(OdReportError):
    """Input data failed a critical check (exit code 3).

    ``problems`` holds one human-readable line per problem.
    """

    exit_code = 3

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


class RenderError(OdReportError):
    """Executing or exporting the report notebook failed (exit code 1)."""
