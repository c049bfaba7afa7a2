"""Machine-readable output, schema_version 1 (see docs/output.md)."""

from __future__ import annotations

from typing import Any

from boundary_lint.formatters.indented_json import dumps
from boundary_lint.report import ContractResult, Hop, Problem, Report, Violation

SCHEMA_VERSION = 1


def _hop(hop: Hop) -> dict[str, Any]:
    return {
        "importer": hop.importer,
        "imported": hop.imported,
        "path": hop.path,
        "line": hop.line,
        "lines": list(hop.lines),
    }


def _violation(v: Violation, hops: dict[Hop, dict[str, Any]]) -> dict[str, Any]:
    """``hops``: each hop's data so far, shared by the chains it is on (encoded once)."""
    return {
        "code": v.code,
        "message": v.message,
        "importer": v.importer,
        "imported": v.imported,
        "path": v.path,
        "line": v.line,
        "column": v.column,
        "suppressed": v.suppressed,
        "baselined": v.baselined,
        "chain": [hops[h] if h in hops else hops.setdefault(h, _hop(h)) for h in v.chain],
    }


def _root_causes(contract: ContractResult) -> list[dict[str, Any]]:
    """Each root cause with its violations as indices into the contract's ``violations``."""
    index = {id(v): number for number, v in enumerate(contract.violations)}
    return [
        {
            "importer": cause.importer,
            "imported": cause.imported,
            "path": cause.path,
            "lines": list(cause.lines),
            "violations": [index[id(v)] for v in cause.violations],
        }
        for cause in contract.root_causes()
    ]


def _problem(p: Problem) -> dict[str, Any]:
    return {"code": p.code, "message": p.message, "path": p.path, "line": p.line}


def as_data(report: Report) -> dict[str, Any]:
    hops: dict[Hop, dict[str, Any]] = {}
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "boundary-lint", "version": report.tool_version},
        "kept": report.kept,
        "contracts": [
            {
                "id": c.id,
                "name": c.name,
                "type": c.type,
                "kept": c.kept,
                "instructions": c.instructions,
                "violations": [_violation(v, hops) for v in c.violations],
                "root_causes": _root_causes(c),
                "findings": [_problem(f) for f in c.findings],
                "errors": [_problem(e) for e in c.errors],
                "warnings": list(c.warnings),
            }
            for c in report.contracts
        ],
        "errors": [_problem(e) for e in report.all_errors],
        "summary": report.summary(),
        "fixed": [str(entry) for entry in report.fixed],
    }


def render(report: Report, color: bool = False) -> str:
    return dumps(as_data(report)) + "\n"
