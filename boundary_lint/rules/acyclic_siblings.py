"""``acyclic_siblings``: no dependency cycles between the children of the given packages.

Every import between two siblings that lie on a cycle of the siblings' dependency graph is
reported (import-linter nominates some of them as "cycle breakers"; which ones is a choice,
and we report all so the result does not depend on that choice)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

import grimp

from boundary_lint.codes import SIBLING_CYCLE
from boundary_lint.config import AcyclicSiblingsSpec
from boundary_lint.report import Diagram
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
    component = _strongly_connected(imports.keys())
    findings: list[Finding] = []
    for (downstream, upstream), pairs in sorted(imports.items()):
        if component[downstream] == component[upstream]:
            back = upstream.rpartition(".")[2]
            detail = f"{back} depends back on {downstream.rpartition('.')[2]} (siblings in {ancestor})"
            findings.extend(Finding(SIBLING_CYCLE, pair, detail) for pair in sorted(pairs))
    return findings


def _strongly_connected(edges: Iterable[tuple[str, str]]) -> dict[str, int]:
    """Tarjan's algorithm, iterative; returns each node's component number."""
    successors: dict[str, list[str]] = defaultdict(list)
    for a, b in sorted(edges):
        successors[a].append(b)
        successors[b]
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    component: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    for root in sorted(successors):
        if root in index:
            continue
        work = [(root, iter(successors[root]))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component[member] = index[node]
                        if member == node:
                            break
            elif child not in index:
                index[child] = low[child] = len(index)
                stack.append(child)
                on_stack.add(child)
                work.append((child, iter(successors[child])))
            elif child in on_stack:
                low[node] = min(low[node], index[child])
    return component


def outline(spec: AcyclicSiblingsSpec, graph: grimp.ImportGraph) -> Diagram:
    """No declared nodes: a diagram draws the modules the violations name."""
    return Diagram()
