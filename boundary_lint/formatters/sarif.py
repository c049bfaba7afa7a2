"""SARIF 2.1.0: one rule per BND code, one result per violation or error, each chain as a
code flow, noqa-suppressed violations as in-source suppressions."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from boundary_lint.codes import CODES
from boundary_lint.report import Report, Violation

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
RULE_IDS = sorted(CODES)


def _location(path: str, line: int, column: int = 1, message: str | None = None) -> dict[str, Any]:
    location: dict[str, Any] = {
        "physicalLocation": {
            "artifactLocation": {"uri": path, "uriBaseId": "%SRCROOT%"},
            "region": {"startLine": max(line, 1), "startColumn": max(column, 1)},
        }
    }
    if message:
        location["message"] = {"text": message}
    return location


def _result(code: str, message: str, path: str, line: int, column: int, violation: Violation | None) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": code,
        "ruleIndex": RULE_IDS.index(code),
        "level": "error",
        "message": {"text": message},
        "locations": [_location(path, line, column)],
    }
    if violation is not None and violation.chain:
        result["partialFingerprints"] = {
            "boundaryLintChain/v1": f"{violation.contract}:{'>'.join([violation.importer] + [h.imported for h in violation.chain])}"
        }
        result["codeFlows"] = [{"threadFlows": [{"locations": [
            {"location": _location(h.path, h.line, 1, f"{h.importer} imports {h.imported}")} for h in violation.chain
        ]}]}]
        if violation.suppressed:
            result["suppressions"] = [{"kind": "inSource", "justification": "# noqa"}]
    return result


def as_data(report: Report) -> dict[str, Any]:
    results = [
        _result(v.code, v.message, v.path, v.line, v.column, v)
        for c in report.contracts
        for v in c.violations
    ]
    problems = [*(f for c in report.contracts for f in c.findings), *report.all_errors]
    results.extend(_result(p.code, p.message, p.path or ".", p.line or 1, 1, None) for p in problems)
    rules = [
        {"id": code, "name": CODES[code].name, "shortDescription": {"text": CODES[code].summary},
         "defaultConfiguration": {"level": "error"}}
        for code in RULE_IDS
    ]
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "boundary-lint", "version": report.tool_version, "rules": rules}},
            "originalUriBaseIds": {"%SRCROOT%": {"uri": Path(report.root).as_uri() + "/"}},
            "results": results,
        }],
    }


def render(report: Report, color: bool = False) -> str:
    return json.dumps(as_data(report), indent=2) + "\n"
