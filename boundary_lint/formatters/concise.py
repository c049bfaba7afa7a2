"""``path:line:col: CODE message``: flake8's shape, which Zuul turns into review comments."""

from __future__ import annotations

from boundary_lint.report import Report


def lines(report: Report) -> list[str]:
    entries = []
    for contract in report.contracts:
        for v in contract.active_violations:
            entries.append(((v.path, v.line, v.column, v.code), f"{v.path}:{v.line}:{v.column}: {v.code} {v.message}"))
    for error in report.all_errors:
        path, line = error.path or ".", error.line or 1
        entries.append(((path, line, 1, error.code), f"{path}:{line}:1: {error.code} {error.message}"))
    return [text for _, text in sorted(entries)]


def render(report: Report, color: bool = False) -> str:
    return "".join(line + "\n" for line in lines(report))
