"""Output formats: each a function of the report, returning the text to write."""

from __future__ import annotations

from collections.abc import Callable

from boundary_lint.formatters import concise, gerrit, github, json_format, junit, sarif, text, zuul
from boundary_lint.report import Report

Formatter = Callable[[Report, bool], str]

FORMATTERS: dict[str, Formatter] = {
    "text": text.render,
    "concise": concise.render,
    "json": json_format.render,
    "sarif": sarif.render,
    "junit": junit.render,
    "github": github.render,
    "gerrit": gerrit.render,
    "zuul": zuul.render,
}
