"""The exit codes of every command and front end: 0 nothing found (every contract kept), 1
something found (a contract broken, a file unanalysable, a diff to apply), 2 a usage or
configuration error, or the tool itself failed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from boundary_lint.codes import CONFIG_ERROR

if TYPE_CHECKING:
    from boundary_lint.report import Report

OK, FOUND, ERROR = 0, 1, 2
INTERRUPTED = 130  # as a shell reports SIGINT


def of_report(report: Report) -> int:
    """What ``check`` exits with: a configuration error stops the vote (2), else kept or not."""
    if any(problem.code == CONFIG_ERROR for problem in report.all_errors):
        return ERROR
    return OK if report.kept else FOUND
