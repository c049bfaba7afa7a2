"""``boundary-lint init``'s proposal: a layers contract per root package that today's code keeps.

A root package's children (its top-level subpackages and modules) become layers in the order
their imports already have: a child that imports another sits above it. Where imports go round
a cycle, no order keeps every import; the order that breaks the fewest import statements is
chosen, and the imports it breaks go into ``ignore_imports``, so that adoption starts green.

Everything here is a function of the import graph: nothing is read from disk.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import grimp

from boundary_lint.graph.adjacency import adjacency
from boundary_lint.rules.chains import strongly_connected

Pair = tuple[str, str]  # (importer, imported) modules: one direct import
Edge = tuple[str, str]  # (child, child): the first depends on the second

# Cycles of at most this many children are ordered exactly (dynamic programming over subsets,
# 2^n states); larger ones by a heuristic whose result is improved window by window.
EXACT_LIMIT = 16
WINDOW = 9


@dataclass
class ChildGraph:
    """How a package's children depend on each other: an edge A -> B when a module of A
    begins a chain to a module of B that passes through no child (directly, or through the
    package's own ``__init__`` or other root packages), as a layers contract sees it. Each
    edge keeps the imports that begin it, and how many import statements those are."""

    children: list[str]
    pairs: dict[Edge, set[Pair]] = field(default_factory=dict)
    statements: dict[Pair, int] = field(default_factory=dict)

    def weight(self, edge: Edge) -> int:
        return sum(self.statements[pair] for pair in self.pairs.get(edge, ()))

    def without(self, ignored: set[Pair]) -> dict[Edge, set[Pair]]:
        """The edges that remain once ``ignored`` imports are gone."""
        remaining = {edge: pairs - ignored for edge, pairs in self.pairs.items()}
        return {edge: pairs for edge, pairs in remaining.items() if pairs}


@dataclass(frozen=True)
class LayersProposal:
    package: str
    layers: tuple[tuple[str, ...], ...]  # top to bottom; each a group of child names (tails)
    ignored: tuple[Pair, ...]  # imports that break every order, sorted
    ignored_statements: int
    exact: bool  # every cycle was ordered with the proven fewest broken statements
    cycles: tuple[tuple[str, ...], ...]  # the children of each cycle that broke something


@dataclass(frozen=True)
class Proposal:
    contracts: tuple[LayersProposal, ...]
    skipped: tuple[tuple[str, str], ...]  # (package, why it has no contract)


def propose(graph: grimp.ImportGraph, packages: Sequence[str]) -> Proposal:
    contracts, skipped = [], []
    for package in packages:
        children = sorted(graph.find_children(package))
        if len(children) < 2:
            what = "one child" if children else "no children"
            skipped.append((package, f"it has {what}, so there are no layers to order"))
            continue
        contracts.append(propose_layers(graph, package, children))
    return Proposal(tuple(contracts), tuple(skipped))


def propose_layers(graph: grimp.ImportGraph, package: str, children: list[str]) -> LayersProposal:
    dependencies = child_graph(graph, children)
    ignored: set[Pair] = set()
    exact = True
    cycles = []
    weights = {edge: dependencies.weight(edge) for edge in dependencies.pairs}
    for component in strongly_connected(children, weights):
        if len(component) < 2:
            continue
        order, proven = order_cycle(component, weights)
        exact = exact and proven
        position = {child: index for index, child in enumerate(order)}
        broken = [
            edge
            for edge in weights
            if edge[0] in position and edge[1] in position and position[edge[1]] < position[edge[0]]
        ]
        if broken:
            cycles.append(tuple(component))
        for edge in broken:
            ignored |= dependencies.pairs[edge]
    levels = layer_levels(children, set(dependencies.without(ignored)))
    prefix = len(package) + 1
    layers = tuple(tuple(child[prefix:] for child in level) for level in levels)
    return LayersProposal(
        package=package,
        layers=layers,
        ignored=tuple(sorted(ignored)),
        ignored_statements=sum(dependencies.statements[pair] for pair in ignored),
        exact=exact,
        cycles=tuple(cycles),
    )


def child_graph(graph: grimp.ImportGraph, children: list[str]) -> ChildGraph:
    """The dependencies between ``children`` (siblings), as their layers contract sees them:
    a chain from one child to another counts when it passes through no child at all."""
    imports = adjacency(graph)
    owner: dict[str, str] = {}
    for child in children:
        for module in imports.package(child):
            owner[module] = child
    # Modules outside every child that lead to a child without entering another: the
    # package's own __init__, other root packages.
    leads_to = _unlisted_reach(graph, children, owner)
    result = ChildGraph(children)
    for module in sorted(owner):
        importer_child = owner[module]
        for imported in sorted(imports.imported_by(module)):
            targets = [owner[imported]] if imported in owner else sorted(leads_to.get(imported, ()))
            for target in targets:
                if target == importer_child:
                    continue
                pair = (module, imported)
                result.pairs.setdefault((importer_child, target), set()).add(pair)
                if pair not in result.statements:
                    details = graph.get_import_details(importer=module, imported=imported)
                    result.statements[pair] = max(1, len({d["line_number"] for d in details}))
    return result


def _unlisted_reach(
    graph: grimp.ImportGraph, children: list[str], owner: Mapping[str, str]
) -> dict[str, set[str]]:
    """For each module outside the children, the children it reaches through modules that are
    outside them too: breadth-first backwards from each child's importers."""
    imports = adjacency(graph)
    reach: dict[str, set[str]] = defaultdict(set)
    for child in children:
        seen: set[str] = set()
        frontier = list(imports.package(child))
        while frontier:
            found = []
            for module in frontier:
                for importer in imports.importers_of(module):
                    if importer not in owner and importer not in seen:
                        seen.add(importer)
                        found.append(importer)
            frontier = found
        for module in seen:
            reach[module].add(child)
    return reach


def order_cost(order: Sequence[str], weights: Mapping[Edge, int]) -> int:
    """What an order (top to bottom) breaks: the weight of every import of a higher child by a
    lower one."""
    position = {node: index for index, node in enumerate(order)}
    return sum(
        weight
        for (importer, imported), weight in weights.items()
        if importer in position and imported in position and position[imported] < position[importer]
    )


def order_cycle(nodes: Sequence[str], weights: Mapping[Edge, int]) -> tuple[list[str], bool]:
    """An order of ``nodes`` (top to bottom) that breaks the least weight, and whether it is
    proven the least (small cycles) or the best a heuristic found (large ones)."""
    nodes = sorted(nodes)
    if len(nodes) <= EXACT_LIMIT:
        return _exact_order(nodes, weights), True
    order = min(
        (_greedy_order(nodes, weights), sorted(nodes, key=lambda n: _balance(n, nodes, weights))),
        key=lambda o: order_cost(o, weights),
    )
    while True:
        improved = _improve_windows(_improve_by_moves(order, weights), weights)
        if order_cost(improved, weights) >= order_cost(order, weights):
            return order, False
        order = improved


def _exact_order(nodes: list[str], weights: Mapping[Edge, int]) -> list[str]:
    """Dynamic programming over the sets of nodes placed on top: a node placed next (below
    them) breaks its imports of every node already placed. Ties go to the order first in name
    order, so the result is stable."""
    count = len(nodes)
    full = (1 << count) - 1
    # up_cost[x][S]: what x breaks when the set S is above it, built one bit at a time.
    up_cost = []
    for x in nodes:
        into = [weights.get((x, other), 0) for other in nodes]
        table = [0] * (1 << count)
        for subset in range(1, 1 << count):
            low_bit = subset & -subset
            table[subset] = table[subset ^ low_bit] + into[low_bit.bit_length() - 1]
        up_cost.append(table)
    best = [-1] * (1 << count)
    choice = [0] * (1 << count)
    best[0] = 0
    for placed in range(full + 1):
        cost = best[placed]
        if cost < 0:
            continue
        for i in range(count):
            bit = 1 << i
            if placed & bit:
                continue
            total = cost + up_cost[i][placed]
            after = placed | bit
            if best[after] < 0 or total < best[after]:
                best[after] = total
                choice[after] = i
    order = []
    placed = full
    while placed:
        i = choice[placed]
        order.append(nodes[i])
        placed ^= 1 << i
    order.reverse()
    return order


def _balance(node: str, nodes: Sequence[str], weights: Mapping[Edge, int]) -> tuple[int, str]:
    """Sort key putting the nodes that mostly import (dependents) first, then by name."""
    out = sum(weights.get((node, other), 0) for other in nodes)
    into = sum(weights.get((other, node), 0) for other in nodes)
    return (into - out, node)


def _greedy_order(nodes: Sequence[str], weights: Mapping[Edge, int]) -> list[str]:
    """Eades, Lin and Smyth's heuristic, weighted: nodes that import nothing left go to the
    bottom, nodes nothing left imports to the top, else the most-dependent node to the top."""
    remaining = set(nodes)
    top: list[str] = []
    bottom: list[str] = []

    def out(n: str) -> int:
        return sum(weights.get((n, m), 0) for m in remaining if m != n)

    def into(n: str) -> int:
        return sum(weights.get((m, n), 0) for m in remaining if m != n)

    while remaining:
        sinks = sorted(n for n in remaining if out(n) == 0)
        sources = sorted(n for n in remaining if into(n) == 0 and n not in sinks)
        if sinks or sources:
            bottom.extend(reversed(sinks))
            top.extend(sources)
            remaining -= set(sinks) | set(sources)
            continue
        chosen = max(sorted(remaining), key=lambda n: out(n) - into(n))
        top.append(chosen)
        remaining.discard(chosen)
    return top + bottom[::-1]


def _improve_by_moves(order: list[str], weights: Mapping[Edge, int]) -> list[str]:
    """Move one node at a time to the position where the order breaks least, until no move helps."""
    order = list(order)
    cost = order_cost(order, weights)
    improved = True
    while improved:
        improved = False
        for node in sorted(order):
            rest = [n for n in order if n != node]
            candidates = [rest[:i] + [node] + rest[i:] for i in range(len(rest) + 1)]
            best = min(candidates, key=lambda o: order_cost(o, weights))
            best_cost = order_cost(best, weights)
            if best_cost < cost:
                order, cost, improved = best, best_cost, True
    return order


def _improve_windows(order: list[str], weights: Mapping[Edge, int]) -> list[str]:
    """Reorder each run of WINDOW consecutive nodes exactly: what it breaks with the nodes
    outside the run does not depend on the order inside it."""
    order = list(order)
    for start in range(0, max(1, len(order) - WINDOW + 1)):
        window = order[start : start + WINDOW]
        reordered = _exact_order(sorted(window), weights)
        if order_cost(reordered, weights) < order_cost(window, weights):
            order[start : start + WINDOW] = reordered
    return order


def layer_levels(nodes: Iterable[str], edges: set[Edge]) -> list[list[str]]:
    """Layers, top to bottom, of an acyclic dependency graph: a node that imports nothing is in
    the bottom layer, any other one layer above the highest it imports. Nodes in one layer
    depend on each other in neither direction."""
    imported_by: dict[str, set[str]] = defaultdict(set)
    for importer, imported in edges:
        imported_by[importer].add(imported)
    level: dict[str, int] = {}

    def level_of(node: str) -> int:
        # Iterative depth-first search: the graph has no cycles left.
        work = [node]
        while work:
            current = work[-1]
            pending = [m for m in sorted(imported_by[current]) if m not in level]
            if pending:
                work.extend(pending)
                continue
            work.pop()
            level[current] = 1 + max((level[m] for m in imported_by[current]), default=-1)
        return level[node]

    by_level: dict[int, list[str]] = defaultdict(list)
    for node in sorted(nodes):
        by_level[level_of(node)].append(node)
    return [sorted(by_level[i]) for i in sorted(by_level, reverse=True)]
