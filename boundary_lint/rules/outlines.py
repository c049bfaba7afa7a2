"""What the contract types' outlines share: an outline is a contract's members as rows of
nodes, from its configuration and the modules that exist; the engine stores it in the report
and the diagrams draw it. Each rule module's ``outline`` builds its own with these."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import grimp

from boundary_lint.report import Diagram, DiagramNode
from boundary_lint.rules.common import resolve_expressions


def resolved(graph: grimp.ImportGraph, expressions: Iterable[str]) -> list[str]:
    """The modules named; a plain name that is not in the graph (an external package the graph
    leaves out) is drawn as written."""
    names: set[str] = set()
    for expression in expressions:
        names |= resolve_expressions(graph, [expression], "") if "*" in expression else {expression}
    return sorted(names)


def stacked(rows: Sequence[list[str]], captions: tuple[str, ...], *, allowed: bool) -> Diagram:
    """Rows of modules; with ``allowed``, each module of a row may import each of the next."""
    nodes = [DiagramNode(module, module, number) for number, row in enumerate(rows) for module in row]
    edges = [(a, b) for upper, lower in zip(rows, rows[1:]) for a in upper for b in lower] if allowed else []
    return Diagram(tuple(unique(nodes)), tuple(edges), captions)


def unique(nodes: Iterable[DiagramNode]) -> list[DiagramNode]:
    """The first node of each module (a module listed twice is drawn once)."""
    seen: dict[str, DiagramNode] = {}
    for node in nodes:
        seen.setdefault(node.module, node)
    return list(seen.values())
