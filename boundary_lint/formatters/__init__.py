"""Output formats: each a function of the report, returning the text to write.

A format's module is imported only when it is used (XML and SARIF need more of the standard
library than a terminal report does)."""

from __future__ import annotations

import importlib
from collections.abc import Callable

from boundary_lint.report import Report

Formatter = Callable[[Report, bool], str]
# The same text in pieces, to be written one after the other.
PiecesFormatter = Callable[[Report, bool], list[str]]

_MODULES = {
    "text": "text",
    "concise": "concise",
    "json": "json_format",
    "sarif": "sarif",
    "junit": "junit",
    "github": "github",
    "gerrit": "gerrit",
    "zuul": "zuul",
    "html": "html",
}
FORMATS = tuple(_MODULES)


def formatter(name: str) -> Formatter:
    module = importlib.import_module(f"boundary_lint.formatters.{_MODULES[name]}")
    render: Formatter = module.render
    return render


def pieces_formatter(name: str) -> PiecesFormatter:
    """The format's text in pieces: a format that makes large reports (json) gives them so
    (``render_pieces``), never joined into one string; the others in one piece. Without the
    cyclic collector: a format makes many strings and lists, no cycles, and a collection then
    scans every object of a large report again."""
    from boundary_lint.collector import no_collection

    module = importlib.import_module(f"boundary_lint.formatters.{_MODULES[name]}")
    pieces: PiecesFormatter | None = getattr(module, "render_pieces", None)
    render: Formatter = module.render

    def rendered(report: Report, color: bool) -> list[str]:
        with no_collection():
            return pieces(report, color) if pieces is not None else [render(report, color)]

    return rendered
