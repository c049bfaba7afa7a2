"""Minimum cuts of one contract part: the fewest direct imports (module pairs) whose removal
leaves no illegal chain from its sources to its targets.

A part is a search as the rule made it (``rules.chains.ChainSearch``): a chain starts in the
sources, passes only through modules that may be interior (neither sources, targets nor
blocked) and ends in the targets. The flow network holds exactly the imports such a chain can
use, each of capacity 1, so its minimum cut is the smallest set of imports that breaks every
chain. networkx (the ``plan`` extra) computes the maximum flow.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Set
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from boundary_lint.rules.chains import ChainSearch

Edge = tuple[str, str]
_SOURCE, _SINK = " source", " sink"  # no module name holds a space


def chain_imports(search: ChainSearch) -> list[Edge]:
    """Every direct import that some chain of the search may use, sorted."""
    edges = []
    for reached in search.distance:  # the targets, and the interior modules that lead to one
        for importer in search.adjacency.importers_of(reached):
            if importer in search.sources or (importer in search.distance and importer not in search.targets):
                if not search.direct_only or reached in search.targets:
                    edges.append((importer, reached))
    return sorted(edges)


def minimum_cut(search: ChainSearch) -> set[Edge]:
    """A minimum set of imports breaking every chain of the search: of all minimum cuts, the
    one nearest the targets (unique, so the plan is the same on every run)."""
    import networkx as nx  # type: ignore[import-untyped]
    from networkx.algorithms.flow import edmonds_karp  # type: ignore[import-untyped]

    edges = chain_imports(search)
    if not edges:
        return set()
    network: Any = nx.DiGraph()
    for importer, imported in edges:
        network.add_edge(importer, imported, capacity=1)
    starts = sorted({a for a, _ in edges if a in search.sources})
    ends = sorted({b for _, b in edges if b in search.targets})
    if not starts or not ends:
        return set()
    for importer in starts:
        network.add_edge(_SOURCE, importer)  # no capacity: unbounded
    for imported in ends:
        network.add_edge(imported, _SINK)
    residual = edmonds_karp(network, _SOURCE, _SINK)
    sink_side = _reaching_sink(residual)
    cut = {(a, b) for a, b in edges if a not in sink_side and b in sink_side}
    assert len(cut) == residual.graph["flow_value"], "a minimum cut has the size of the maximum flow"
    return cut


def _reaching_sink(residual: Any) -> set[str]:
    """The modules that can still reach the sink in the residual network."""
    reached = {_SINK}
    queue = deque([_SINK])
    while queue:
        node = queue.popleft()
        for before, attributes in residual.pred[node].items():
            if before not in reached and attributes["capacity"] - attributes["flow"] > 0:
                reached.add(before)
                queue.append(before)
    return reached


def first_hops_without(search: ChainSearch, removed: Set[Edge]) -> set[Edge]:
    """The imports that begin a chain of the search once ``removed`` are gone."""
    reaching = set(search.targets)
    queue = deque(search.targets)
    while queue and not search.direct_only:
        module = queue.popleft()
        for importer in search.adjacency.importers_of(module):
            if importer not in reaching and search.may_pass(importer) and (importer, module) not in removed:
                reaching.add(importer)
                queue.append(importer)
    return {
        (source, reached)
        for reached in reaching
        for source in search.adjacency.importers_of(reached)
        if source in search.sources and (source, reached) not in removed
    }


def union_of(cuts: Iterable[set[Edge]]) -> set[Edge]:
    found: set[Edge] = set()
    for cut in cuts:
        found |= cut
    return found
