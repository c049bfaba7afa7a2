"""``path:line:col: CODE message``: flake8's shape, which Zuul turns into review comments.

The path is the file's own, control characters escaped (so one entry is one line, and Zuul finds
the file); nothing in the message reads as a location (so Zuul's greedy ``^(.*):(\\d+):(\\d+): ``
cannot be steered to another file or line by a name in the repository)."""

from __future__ import annotations

from boundary_lint.formatters.findings import entries, line
from boundary_lint.report import Report


def render(report: Report, color: bool = False) -> str:
    return "".join(line(e) + "\n" for e in entries(report))
