"""Output formats: each a function of the report, returning the text to write."""

from __future__ import annotations

from collections.abc import Callable

from boundary_lint.formatters import concise, json_format, text
from boundary_lint.report import Report

Formatter = Callable[[Report, bool], str]

FORMATTERS: dict[str, Formatter] = {
    "text": text.render,
    "concise": concise.render,
    "json": json_format.render,
}
