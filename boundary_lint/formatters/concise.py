"""``path:line:col: CODE message``: flake8's shape, which Zuul turns into review comments."""

from __future__ import annotations

from boundary_lint.formatters.findings import entries
from boundary_lint.report import Report


def render(report: Report, color: bool = False) -> str:
    return "".join(f"{e.path}:{e.line}:{e.column}: {e.code} {e.message}\n" for e in entries(report))
