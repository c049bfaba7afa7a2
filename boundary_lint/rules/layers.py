"""``layers``: lower layers must not import higher ones; ``|`` siblings not each other; and no
import may skip a closed layer (grimp's closed layers, import-linter issue 245)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

import grimp

from boundary_lint.codes import (
    CLOSED_LAYER_SKIPPED_DIRECT,
    CLOSED_LAYER_SKIPPED_INDIRECT,
    LAYER_UPWARD_DIRECT,
    LAYER_UPWARD_INDIRECT,
    UNDECLARED_LAYER,
)
from boundary_lint.config import LayersSpec
from boundary_lint.report import Diagram, DiagramNode
from boundary_lint.rules.common import (
    ContractError,
    Finding,
    NearestFindings,
    RuleContext,
    RuleOutcome,
    as_package,
    check_no_shared_descendants,
    package_findings,
    resolve_expressions,
)
from boundary_lint.rules.outlines import unique


def check(spec: LayersSpec, context: RuleContext) -> RuleOutcome:
    graph = context.graph
    outcome = RuleOutcome()
    # A first hop may begin chains to several layers (or, with containers, in several
    # containers): it is one violation, reported with the nearest.
    nearest = NearestFindings()
    containers = sorted(resolve_expressions(graph, spec.containers, "containers"))
    for name in containers:
        if not context.is_internal(name):
            raise ContractError("containers", f"{name!r} is not in the root packages")
    # Containers that match nothing leave no layers to check (as in import-linter).
    scopes: list[str | None] = list(containers) if spec.containers else [None]
    for container in scopes:
        layers = _layer_modules(spec, graph, container)
        _check_layers_share_nothing(spec, layers)
        listed = frozenset().union(*(as_package(graph, m) for layer in layers for m in layer))
        importers: dict[tuple[str, tuple[str, str]], list[str]] = defaultdict(list)
        for importer, imported, codes in _illegal_pairs(spec, layers):
            importers[(imported, codes)].append(importer)
        for (imported, codes), packages in sorted(importers.items()):
            sources = frozenset().union(*(as_package(graph, m) for m in packages))
            package_findings(graph, sources, imported, codes, listed=listed, into=nearest)
    outcome.findings = nearest.findings()
    if spec.exhaustive:
        outcome.findings.extend(_undeclared(spec, graph, containers))
    outcome.findings.sort(key=lambda f: f.chain)
    return outcome


def _check_layers_share_nothing(spec: LayersSpec, layers: list[list[str]]) -> None:
    """As grimp: no layer may contain another layer's module, nor an independent sibling
    another (siblings joined by ``:`` may nest)."""
    owner = {module: index for index, layer in enumerate(layers) for module in layer}
    ordered = sorted(owner)
    for i, outer in enumerate(ordered):
        for inner in ordered[i + 1 :]:
            if not inner.startswith(outer + "."):
                break
            if owner[outer] != owner[inner] or spec.layers[owner[outer]].independent:
                check_no_shared_descendants([outer, inner], "layers")


def _layer_modules(spec: LayersSpec, graph: grimp.ImportGraph, container: str | None) -> list[list[str]]:
    """Each layer's existing modules (absolute names); a missing required one is an error."""
    layers = []
    for layer in spec.layers:
        modules = []
        for module in layer.modules:
            name = f"{container}.{module.tail}" if container else module.tail
            if name in graph.modules:
                modules.append(name)
            elif not module.optional:
                where = f" in container {container!r}" if container else ""
                raise ContractError("layers", f"layer module {name!r}{where} does not exist")
        layers.append(modules)
    return layers


def _illegal_pairs(spec: LayersSpec, layers: list[list[str]]) -> Iterator[tuple[str, str, tuple[str, str]]]:
    """(importer package, imported package, codes) for every forbidden direction."""
    upward = (LAYER_UPWARD_DIRECT, LAYER_UPWARD_INDIRECT)
    for higher_index, higher in enumerate(layers):
        if spec.layers[higher_index].independent:
            for a in higher:
                for b in higher:
                    if a != b:
                        yield a, b, upward
        for lower_index in range(higher_index + 1, len(layers)):
            for high in higher:
                for low in layers[lower_index]:
                    yield low, high, upward
            # A closed layer is closed even where none of its (optional) modules exist, as in
            # grimp: no chain can pass through it there, so none may skip it.
            closed_between = any(spec.layers[k].closed for k in range(higher_index + 1, lower_index))
            if closed_between:
                for high in higher:
                    for low in layers[lower_index]:
                        yield high, low, (CLOSED_LAYER_SKIPPED_DIRECT, CLOSED_LAYER_SKIPPED_INDIRECT)


def _undeclared(spec: LayersSpec, graph: grimp.ImportGraph, containers: list[str]) -> list[Finding]:
    declared = {m.tail for layer in spec.layers for m in layer.modules} | set(spec.exhaustive_ignores)
    return [
        Finding(
            UNDECLARED_LAYER,
            (child,),
            f"is not listed as a layer of the exhaustive contract (container {container})",
        )
        for container in containers
        for child in sorted(graph.find_children(container))
        if child.rpartition(".")[2] not in declared
    ]


def outline(spec: LayersSpec, graph: grimp.ImportGraph) -> Diagram:
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
            nodes.extend(
                DiagramNode(n, n.removeprefix(f"{container}."), number, container or "") for n in present
            )
            if present:  # an empty (optional) layer passes the direction on to the next
                allowed.extend((a, b) for a in above for b in present)
                above = present
    captions = tuple(_layer_caption(number, spec) for number in range(len(spec.layers)))
    return Diagram(tuple(unique(nodes)), tuple(allowed), captions)


def _layer_caption(number: int, spec: LayersSpec) -> str:
    layer = spec.layers[number]
    marks = [
        word
        for word, on in (
            ("closed", layer.closed),
            ("not independent", not layer.independent and len(layer.modules) > 1),
        )
        if on
    ]
    return f"layer {number + 1}" + (f" ({', '.join(marks)})" if marks else "")
