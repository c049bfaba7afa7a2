"""``protected``: only the allowed importers may directly import the protected modules."""

from __future__ import annotations

import grimp

from boundary_lint.codes import PROTECTED_IMPORTED
from boundary_lint.config import ProtectedSpec
from boundary_lint.report import Diagram
from boundary_lint.rules.common import (
    ContractError,
    Finding,
    RuleContext,
    RuleOutcome,
    as_package,
    has_wildcard,
    resolve_expressions,
)
from boundary_lint.rules.outlines import resolved, stacked


def check(spec: ProtectedSpec, context: RuleContext) -> RuleOutcome:
    graph = context.graph
    outcome = RuleOutcome()
    allowed: set[str] = set()
    for expression in spec.allowed_importers:
        if has_wildcard(expression) or expression in graph.modules:
            matched = resolve_expressions(graph, [expression], "allowed_importers")
            allowed |= {
                m for module in matched for m in (as_package(graph, module) if spec.as_packages else {module})
            }
        elif spec.as_packages:  # import-linter stops here too (it looks for the descendants)
            raise ContractError("allowed_importers", f"module {expression!r} does not exist")
        else:
            # import-linter accepts such an importer when not as packages; we do too, but say so.
            outcome.warnings.append(f"allowed importer {expression!r} does not exist")
    for top in sorted(resolve_expressions(graph, spec.protected_modules, "protected_modules")):
        protected = as_package(graph, top) if spec.as_packages else {top}
        for module in sorted(protected):
            importers = graph.find_modules_that_directly_import(module) - allowed - protected
            outcome.findings.extend(
                Finding(PROTECTED_IMPORTED, (importer, module)) for importer in sorted(importers)
            )
    outcome.findings.sort(key=lambda f: f.chain)
    return outcome


def outline(spec: ProtectedSpec, graph: grimp.ImportGraph) -> Diagram:
    """The allowed importers above the protected modules, which they may import."""
    rows = [resolved(graph, spec.allowed_importers), resolved(graph, spec.protected_modules)]
    return stacked(rows, ("allowed importers", "protected modules"), allowed=True)
