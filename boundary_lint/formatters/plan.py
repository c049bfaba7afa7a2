"""A plan (``boundary-lint plan``) as text, JSON or a TOML ``ignore_imports`` ratchet: functions
of the plans only."""

from __future__ import annotations

import json
from collections.abc import Sequence

from boundary_lint.report import ContractPlan, CutImport, Violation

PLAN_SCHEMA_VERSION = "1.0"
CHAINS_SHOWN = 3  # evidence per cut import in text; JSON carries every chain


def statements(cut: CutImport) -> str:
    return ", ".join(f"{s.path}:{s.line}" for s in cut.statements)


def _chain(violation: Violation) -> str:
    return " -> ".join([violation.chain[0].importer, *(h.imported for h in violation.chain)])


def to_text(plans: Sequence[ContractPlan]) -> str:
    lines = []
    for plan in plans:
        head = f"{plan.id} ({plan.name}, {plan.type}): {plan.violations} violation(s)"
        if plan.unplanned:
            lines += [head, f"  {plan.unplanned}", ""]
            continue
        if not plan.cut:
            lines += [f"{head}: kept, nothing to break", ""]
            continue
        bound = "a minimum" if plan.exact else "an upper bound (union of exact per-part cuts)"
        lines.append(f"{head}; break {len(plan.cut)} import(s), {bound}:")
        for number, cut in enumerate(plan.cut, 1):
            lines.append(f"  {number}. {cut.importer} -> {cut.imported}  removes {cut.removes} alone")
            lines.append(f"     at {statements(cut)}")
            for violation in cut.violations[:CHAINS_SHOWN]:
                lines.append(f"     root cause of {violation.path}:{violation.line}: {_chain(violation)}")
            if len(cut.violations) > CHAINS_SHOWN:
                lines.append(f"     ... and {len(cut.violations) - CHAINS_SHOWN} more violation(s)")
        lines.append("  verified: the contract is kept with these imports ignored")
        lines.append("")
    return "\n".join(lines)


def _cut_json(cut: CutImport) -> dict[str, object]:
    return {
        "importer": cut.importer,
        "imported": cut.imported,
        "statements": [{"path": s.path, "line": s.line} for s in cut.statements],
        "removes": cut.removes,
        "root_cause_of": [
            {"path": v.path, "line": v.line, "chain": [v.chain[0].importer, *(h.imported for h in v.chain)]}
            for v in cut.violations
        ],
    }


def to_json(plans: Sequence[ContractPlan]) -> str:
    data = {
        "schema_version": PLAN_SCHEMA_VERSION,
        "contracts": [
            {
                "id": plan.id,
                "name": plan.name,
                "type": plan.type,
                "violations": plan.violations,
                "exact": plan.exact,
                "verified": plan.verified,
                "parts": plan.parts,
                "unplanned": plan.unplanned or None,
                "cut": [_cut_json(c) for c in plan.cut],
            }
            for plan in plans
        ],
    }
    return json.dumps(data, indent=2) + "\n"


def to_toml(plans: Sequence[ContractPlan]) -> str:
    """Each planned contract's ``ignore_imports`` to add, as a ratchet to start from: delete an
    entry once its import is gone."""
    lines = ["# boundary-lint plan: ignore_imports that keep each contract (a ratchet: delete as you fix)"]
    for plan in plans:
        if not plan.cut:
            continue
        lines += ["", f"# contract {plan.id!r}: {plan.violations} violation(s)", "ignore_imports = ["]
        for cut in plan.cut:
            lines.append(
                f'    "{cut.importer} -> {cut.imported}",  # hides {len(cut.violations)}; {statements(cut)}'
            )
        lines.append("]")
    return "\n".join(lines) + "\n"
