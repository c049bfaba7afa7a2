"""SARIF 2.1.0: one rule per BND code, one result per violation or error, each chain as a
code flow. Violations suppressed by noqa carry an in-source suppression; with a baseline, every
result has a ``baselineState`` (``new``, or ``unchanged`` with an external suppression for a
known violation), and fixed baseline entries are BND905 results (notes, errors with
``--strict-baseline``) at their line of the baseline file.

Artifact URIs are relative references, percent-encoded (RFC 3986): a ``#`` or ``%`` in a file
name is part of the name, not a fragment or an escape."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from boundary_lint.codes import CODES, FIXED_BASELINE_ENTRY, catalogued
from boundary_lint.escaping import printable, uri_reference
from boundary_lint.formatters.findings import fixed_notes, shortened
from boundary_lint.report import ContractResult, Report, Violation

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def _rule_ids() -> list[str]:
    """Every catalogued code, in order (a registered contract type may have added some)."""
    return sorted(CODES)


def _rule_index(code: str) -> int:
    return _rule_ids().index(catalogued(code).code)


def _text(text: str) -> dict[str, str]:
    return {"text": printable(shortened(text))}


def _location(path: str, line: int, column: int = 1, message: str | None = None) -> dict[str, Any]:
    location: dict[str, Any] = {
        "physicalLocation": {
            "artifactLocation": {"uri": uri_reference(path), "uriBaseId": "%SRCROOT%"},
            "region": {"startLine": max(line, 1), "startColumn": max(column, 1)},
        }
    }
    if message:
        location["message"] = _text(message)
    return location


def _result(
    code: str, message: str, path: str | None, line: int, column: int, level: str = "error"
) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": code,
        "ruleIndex": _rule_index(code),
        "level": level,
        "message": _text(message),
    }
    if path:  # an error about no file in particular has no location
        result["locations"] = [_location(path, line, column)]
    return result


def _violation(v: Violation, contract: ContractResult, report: Report) -> dict[str, Any]:
    result = _result(v.code, v.message, v.path, v.line, v.column)
    properties = {"contract": contract.id, "contractName": printable(contract.name)}
    if contract.instructions:
        properties["instructions"] = printable(shortened(contract.instructions))
    result["properties"] = properties
    if v.chain:
        result["partialFingerprints"] = {
            "boundaryLintChain/v1": f"{v.contract}:{'>'.join([v.importer] + [h.imported for h in v.chain])}"
        }
        result["codeFlows"] = [
            {
                "threadFlows": [
                    {
                        "locations": [
                            {"location": _location(h.path, h.line, 1, f"{h.importer} imports {h.imported}")}
                            for h in v.chain
                        ]
                    }
                ]
            }
        ]
    suppressions = []
    if v.suppressed:
        suppressions.append({"kind": "inSource", "status": "accepted", "justification": "# noqa"})
    if v.baselined and not v.suppressed:
        justification = printable(f"known in the baseline {report.baseline}")
        suppressions.append({"kind": "external", "status": "accepted", "justification": justification})
    if suppressions:
        result["suppressions"] = suppressions
    if report.baseline is not None:
        result["baselineState"] = "unchanged" if v.baselined else "new"
    return result


def as_data(report: Report) -> dict[str, Any]:
    results = [_violation(v, c, report) for c in report.contracts for v in c.violations]
    problems = [*(f for c in report.contracts for f in c.findings), *report.all_errors]
    results.extend(_result(p.code, p.message, p.path, p.line or 1, 1) for p in problems)
    results.extend(
        _result(FIXED_BASELINE_ENTRY, f.message, f.path, f.line, 1, level="note") for f in fixed_notes(report)
    )
    rules = [
        {
            "id": code,
            "name": CODES[code].name,
            "shortDescription": {"text": CODES[code].summary},
            "defaultConfiguration": {"level": "error"},
        }
        for code in _rule_ids()
    ]
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": {"name": "boundary-lint", "version": report.tool_version, "rules": rules}},
                "originalUriBaseIds": {"%SRCROOT%": {"uri": Path(report.root).as_uri() + "/"}},
                "results": results,
            }
        ],
    }


def render(report: Report, color: bool = False) -> str:
    return json.dumps(as_data(report), indent=2) + "\n"
