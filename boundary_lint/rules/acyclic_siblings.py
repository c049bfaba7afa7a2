"""``acyclic_siblings``: no dependency cycles between the children of the given packages.

Every import between two siblings that lie on a cycle of the siblings' dependency graph is
reported (import-linter nominates some of them as "cycle breakers"; which ones is a choice,
and we report all so the result does not depend on that choice)."""

from __future__ import annotations

from collections import defaultdict

import grimp

from boundary_lint.codes import SIBLING_CYCLE
from boundary_lint.collector import no_collection
from boundary_lint.config import AcyclicSiblingsSpec
from boundary_lint.report import Diagram
from boundary_lint.rules.chains import strongly_connected
from boundary_lint.rules.common import ContractError, Finding, RuleContext, RuleOutcome, resolve_expressions

# (importer, imported): one import between two modules
Import = tuple[str, str]
# per package, the imports between its children, by (importer's child, imported's child)
SiblingImports = dict[str, dict[Import, list[Import]]]


def check(spec: AcyclicSiblingsSpec, context: RuleContext) -> RuleOutcome:
    graph = context.graph
    ancestors = _resolve_all(graph, spec.ancestors, "ancestors")
    skipped = _resolve_all(graph, spec.skip_descendants, "skip_descendants")
    outcome = RuleOutcome()
    with no_collection():  # tens of thousands of imports filed, as many findings: no cycles
        between = sibling_imports(graph)
        for ancestor in sorted(ancestors):
            _check_recursively(graph, between, ancestor, spec.depth, skipped, outcome)
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
    graph: grimp.ImportGraph,
    between: SiblingImports,
    ancestor: str,
    depth: int,
    skipped: set[str],
    outcome: RuleOutcome,
) -> None:
    children = graph.find_children(ancestor)
    if len(children) >= 2:
        outcome.findings.extend(_cycle_imports(ancestor, between.get(ancestor, {})))
    if depth:
        for child in sorted(children - skipped):
            _check_recursively(graph, between, child, depth - 1, skipped, outcome)


def sibling_imports(graph: grimp.ImportGraph) -> SiblingImports:
    """Every import filed under the one package whose children it joins: the deepest package
    holding both ends, when neither end is that package's child's ancestor-or-self (an
    import of a module's own package, or of its own descendant, joins no siblings). One pass
    over the graph, instead of one over each package's descendants for every package
    checked (a generated tree of 10,000 modules has 723 packages, ten levels deep)."""
    between: SiblingImports = defaultdict(lambda: defaultdict(list))
    for importer in graph.modules:
        importer_parts = importer.split(".")
        for imported in graph.find_modules_directly_imported_by(importer):
            imported_parts = imported.split(".")
            shared = _shared_prefix(importer_parts, imported_parts)
            if 0 < shared < min(len(importer_parts), len(imported_parts)):
                ancestor = ".".join(importer_parts[:shared])
                siblings = (
                    f"{ancestor}.{importer_parts[shared]}",
                    f"{ancestor}.{imported_parts[shared]}",
                )
                between[ancestor][siblings].append((importer, imported))
    return between


def _shared_prefix(first: list[str], second: list[str]) -> int:
    shared = 0
    for a, b in zip(first, second):
        if a != b:
            break
        shared += 1
    return shared


def _cycle_imports(ancestor: str, imports: dict[Import, list[Import]]) -> list[Finding]:
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
