"""Zuul's ``file_comments`` mapping, as ``zuul_return`` accepts it (docs/ci.md shows how).

Zuul drops every comment of a build if any entry has a key other than line, message, level and
range, so nothing else is written."""

from __future__ import annotations

import json

from boundary_lint.formatters.findings import review_comments
from boundary_lint.report import Report


def render(report: Report, color: bool = False) -> str:
    return json.dumps(review_comments(report, level_key=True), indent=2, sort_keys=True) + "\n"
