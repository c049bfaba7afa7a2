"""``independence``: the listed modules must not import each other, directly or indirectly."""

from __future__ import annotations

import grimp

from boundary_lint.codes import INDEPENDENCE_DIRECT, INDEPENDENCE_INDIRECT
from boundary_lint.config import IndependenceSpec
from boundary_lint.report import Diagram
from boundary_lint.rules.chains import Excluding
from boundary_lint.rules.common import (
    NearestFindings,
    RuleContext,
    RuleOutcome,
    as_package,
    check_no_shared_descendants,
    package_findings,
    resolve_expressions,
)
from boundary_lint.rules.outlines import resolved, stacked


def check(spec: IndependenceSpec, context: RuleContext) -> RuleOutcome:
    graph = context.graph
    modules = sorted(resolve_expressions(graph, spec.modules, "modules"))
    check_no_shared_descendants(modules, "modules")
    outcome = RuleOutcome()
    # A first hop may begin chains to several of the modules: one violation, the nearest.
    nearest = NearestFindings()
    listed = frozenset().union(*(as_package(graph, m) for m in modules))
    for imported in modules:
        # Every other listed module's package imports this one illegally.
        sources = Excluding(listed, as_package(graph, imported))
        package_findings(
            graph,
            sources,
            imported,
            (INDEPENDENCE_DIRECT, INDEPENDENCE_INDIRECT),
            listed=listed,
            into=nearest,
        )
    outcome.findings = nearest.findings()
    outcome.findings.sort(key=lambda f: f.chain)
    return outcome


def outline(spec: IndependenceSpec, graph: grimp.ImportGraph) -> Diagram:
    """The modules on one row."""
    return stacked([resolved(graph, spec.modules)], ("independent modules",), allowed=False)
