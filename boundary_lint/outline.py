"""Each contract's outline for diagrams: its members as rows of nodes, from its configuration and
the modules that exist. The engine stores it in the report; boundary_lint.diagram draws it.

- layers: one row per layer, top to bottom, its modules side by side; per container (a group);
  each layer allows the next one down (neutral edges).
- forbidden: the source modules above the forbidden modules.
- independence: the modules on one row.
- protected: the allowed importers above the protected modules, which they may import.
- moved: the old paths above the new ones (an edge for each move).
- acyclic_siblings, references: no declared nodes; a diagram draws the modules its violations
  name (siblings on a cycle), and a dead reference has nothing to point at.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import grimp

from boundary_lint.config import (
    ContractSpec,
    ForbiddenSpec,
    IndependenceSpec,
    LayersSpec,
    MovedSpec,
    ProtectedSpec,
)
from boundary_lint.report import Diagram, DiagramNode
from boundary_lint.rules.common import ContractError, resolve_expressions


def outline(spec: ContractSpec, graph: grimp.ImportGraph) -> Diagram:
    """The contract's nodes; an empty diagram if its modules cannot be resolved (the check has
    already reported why)."""
    try:
        return _outline(spec, graph)
    except ContractError:
        return Diagram()


def _outline(spec: ContractSpec, graph: grimp.ImportGraph) -> Diagram:
    if isinstance(spec, LayersSpec):
        return _layers(spec, graph)
    if isinstance(spec, ForbiddenSpec):
        rows = [_resolved(graph, spec.source_modules), _resolved(graph, spec.forbidden_modules)]
        return _stacked(rows, ("source modules", "forbidden modules"), allowed=False)
    if isinstance(spec, IndependenceSpec):
        return _stacked([_resolved(graph, spec.modules)], ("independent modules",), allowed=False)
    if isinstance(spec, ProtectedSpec):
        rows = [_resolved(graph, spec.allowed_importers), _resolved(graph, spec.protected_modules)]
        return _stacked(rows, ("allowed importers", "protected modules"), allowed=True)
    if isinstance(spec, MovedSpec):
        nodes = [DiagramNode(m.old, m.old, 0) for m in spec.moves]
        nodes += [DiagramNode(m.new, m.new, 1) for m in spec.moves]  # a path both old and new: once, as old
        moves = tuple((m.old, m.new) for m in spec.moves)
        return Diagram(tuple(_unique(nodes)), moves, ("old paths", "new paths"))
    return Diagram()


def _resolved(graph: grimp.ImportGraph, expressions: Iterable[str]) -> list[str]:
    """The modules named; a plain name that is not in the graph (an external package the graph
    leaves out) is drawn as written."""
    names: set[str] = set()
    for expression in expressions:
        names |= resolve_expressions(graph, [expression], "") if "*" in expression else {expression}
    return sorted(names)


def _stacked(rows: Sequence[list[str]], captions: tuple[str, ...], *, allowed: bool) -> Diagram:
    """Rows of modules; with ``allowed``, each module of a row may import each of the next."""
    nodes = [DiagramNode(module, module, number) for number, row in enumerate(rows) for module in row]
    edges = [(a, b) for upper, lower in zip(rows, rows[1:]) for a in upper for b in lower] if allowed else []
    return Diagram(tuple(_unique(nodes)), tuple(edges), captions)


def _layers(spec: LayersSpec, graph: grimp.ImportGraph) -> Diagram:
    containers: list[str | None] = [None]
    if spec.containers:
        containers = [*sorted(resolve_expressions(graph, spec.containers, "containers"))]
    nodes: list[DiagramNode] = []
    allowed: list[tuple[str, str]] = []
    for container in containers:
        above: list[str] = []
        for number, layer in enumerate(spec.layers):
            names = [f"{container}.{m.tail}" if container else m.tail for m in layer.modules]
            present = [n for n, m in zip(names, layer.modules) if n in graph.modules or not m.optional]
            nodes.extend(DiagramNode(n, n.removeprefix(f"{container}."), number, container or "") for n in present)
            if present:  # an empty (optional) layer passes the direction on to the next
                allowed.extend((a, b) for a in above for b in present)
                above = present
    captions = tuple(_layer_caption(number, spec) for number in range(len(spec.layers)))
    return Diagram(tuple(_unique(nodes)), tuple(allowed), captions)


def _layer_caption(number: int, spec: LayersSpec) -> str:
    layer = spec.layers[number]
    marks = [word for word, on in (("closed", layer.closed), ("not independent", not layer.independent and len(layer.modules) > 1)) if on]
    return f"layer {number + 1}" + (f" ({', '.join(marks)})" if marks else "")


def _unique(nodes: Iterable[DiagramNode]) -> list[DiagramNode]:
    """The first node of each module (a module listed twice is drawn once)."""
    seen: dict[str, DiagramNode] = {}
    for node in nodes:
        seen.setdefault(node.module, node)
    return list(seen.values())
