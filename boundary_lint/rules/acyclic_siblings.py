"""``acyclic_siblings``: no dependency cycles between the children of the given packages.

Every import between two siblings that lie on a cycle of the siblings' dependency graph is
reported (import-linter nominates some of them as "cycle breakers"; which ones is a choice,
and we report all so the result does not depend on that choice)."""

from __future__ import annotations

from collections import defaultdict

import grimp

from boundary_lint.codes import SIBLING_CYCLE
from boundary_lint.config import AcyclicSiblingsSpec
from boundary_lint.report import Diagram
from boundary_lint.rules.chains import strongly_connected
from boundary_lint.rules.common import ContractError, Finding, RuleContext, RuleOutcome, resolve_expressions


def check(spec: AcyclicSiblingsSpec, context: RuleContext) -> RuleOutcome:
    graph = context.graph
    ancestors = _resolve_all(graph, spec.ancestors, "ancestors")
    skipped = _resolve_all(graph, spec.skip_descendants, "skip_descendants")
    outcome = RuleOutcome()
    for ancestor in sorted(ancestors):
        _check_recursively(graph, ancestor, spec.depth, skipped, outcome)
    outcome.findings.sort(key=lambda f: f.chain)
    return outcome


def _resolve_all(graph: grimp.ImportGraph, expressions: tuple[str, ...], key: str) -> set[str]:
    modules: set[str] = set()
    for expression in expressions:
        matched = resolve_expressions(graph, [expression], key)
        if not matched:
            raise ContractError(key, f"{expression!r} matches no module")
        modules |= matched
    return modules


def _check_recursively(
    graph: grimp.ImportGraph, ancestor: str, depth: int, skipped: set[str], outcome: RuleOutcome
) -> None:
    children = graph.find_children(ancestor)
    if len(children) >= 2:
        outcome.findings.extend(_cycle_imports(graph, ancestor))
    if depth:
        for child in sorted(children - skipped):
            _check_recursively(graph, child, depth - 1, skipped, outcome)


def _cycle_imports(graph: grimp.ImportGraph, ancestor: str) -> list[Finding]:
    prefix_length = len(ancestor.split(".")) + 1

    def child_of(module: str) -> str:
        return ".".join(module.split(".")[:prefix_length])

    imports: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    for importer in graph.find_descendants(ancestor):
        for imported in graph.find_modules_directly_imported_by(importer):
            if imported.startswith(ancestor + ".") and child_of(imported) != child_of(importer):
                imports[(child_of(importer), child_of(imported))].append((importer, imported))
    component = {m: n for n, members in enumerate(strongly_connected((), imports)) for m in members}
    findings: list[Finding] = []
    for (downstream, upstream), pairs in sorted(imports.items()):
        if component[downstream] == component[upstream]:
            back = upstream.rpartition(".")[2]
            detail = f"{back} depends back on {downstream.rpartition('.')[2]} (siblings in {ancestor})"
            findings.extend(Finding(SIBLING_CYCLE, pair, detail) for pair in sorted(pairs))
    return findings


def outline(spec: AcyclicSiblingsSpec, graph: grimp.ImportGraph) -> Diagram:
    """No declared nodes: a diagram draws the modules the violations name."""
    return Diagram()
