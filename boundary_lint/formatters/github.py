"""GitHub Actions workflow commands: one ``::error`` annotation per violation or error, and a
``::notice`` per fixed baseline entry (an error with ``--strict-baseline``)."""

from __future__ import annotations

from boundary_lint.codes import FIXED_BASELINE_ENTRY
from boundary_lint.escaping import github_data, github_property
from boundary_lint.formatters.findings import entries, fixed_notes, shortened
from boundary_lint.report import Report


def command(name: str, message: str, path: str | None, line: int, column: int | None, title: str) -> str:
    place = (("file", path), ("line", str(line)), ("col", str(column) if column else None)) if path else ()
    properties = ",".join(
        f"{key}={github_property(value)}" for key, value in (*place, ("title", title)) if value is not None
    )
    return f"::{name} {properties}::{github_data(shortened(message))}\n"


def render(report: Report, color: bool = False) -> str:
    out = [
        command(
            "error", e.message, e.path, e.line, e.column, f"{e.code} {e.contract}" if e.contract else e.code
        )
        for e in entries(report)
    ]
    out.extend(
        command("notice", f.message, f.path, f.line, None, FIXED_BASELINE_ENTRY) for f in fixed_notes(report)
    )
    return "".join(out)
