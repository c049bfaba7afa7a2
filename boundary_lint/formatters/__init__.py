"""Output formats: each a function of the report, returning the text to write.

A format's module is imported only when it is used (XML and SARIF need more of the standard
library than a terminal report does)."""

from __future__ import annotations

import importlib
from collections.abc import Callable

from boundary_lint.report import Report

Formatter = Callable[[Report, bool], str]

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
