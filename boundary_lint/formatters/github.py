"""GitHub Actions workflow commands: one ``::error`` annotation per violation or error."""

from __future__ import annotations

from boundary_lint.formatters.findings import entries
from boundary_lint.report import Report


def escape_data(text: str) -> str:
    """As the Actions toolkit escapes a command's message."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """As the Actions toolkit escapes a command's property values."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render(report: Report, color: bool = False) -> str:
    out = []
    for e in entries(report):
        title = f"{e.code} {e.contract}" if e.contract else e.code
        properties = ",".join(
            f"{key}={escape_property(value)}"
            for key, value in (("file", e.path), ("line", str(e.line)), ("col", str(e.column)), ("title", title))
        )
        out.append(f"::error {properties}::{escape_data(e.message)}\n")
    return "".join(out)
