"""Minimum cuts of one contract part: the fewest direct imports (module pairs) whose removal
leaves no illegal chain from its sources to its targets.

A part is a search as the rule made it (``rules.chains.ChainSearch``): a chain starts in the
sources, passes only through modules that may be interior (neither sources, targets nor
blocked) and ends in the targets. The flow network holds exactly the imports such a chain can
use, each of capacity 1, so its minimum cut is the smallest set of imports that breaks every
chain. The maximum flow is computed here (Dinic's algorithm on plain dicts): a generic library
spends most of its time building its graph, and an independence contract has a search per
module listed.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Iterable, Sequence, Set
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from boundary_lint.rules.chains import ChainSearch

Edge = tuple[str, str]
_SOURCE, _SINK = " source", " sink"  # no module name holds a space


def uses(search: ChainSearch, importer: str, imported: str) -> bool:
    """Whether a chain of the search may use the import ``importer -> imported``."""
    if imported not in search.distance or (search.direct_only and imported not in search.targets):
        return False
    return importer in search.sources or (importer in search.distance and importer not in search.targets)


def chain_imports(search: ChainSearch) -> list[Edge]:
    """Every direct import that some chain of the search may use, sorted."""
    return sorted(
        (importer, reached)
        for reached in search.distance  # the targets, and the interior modules that lead to one
        for importer in search.adjacency.importers_of(reached)
        if uses(search, importer, reached)
    )


def minimum_cut(search: ChainSearch) -> set[Edge]:
    """A minimum set of imports breaking every chain of the search: of all minimum cuts, the
    one nearest the targets (unique, so the plan is the same on every run).

    Sources only import into the network and targets are only imported, so all sources are one
    node and all targets another: an interior module's capacity from the sources is the number
    of sources importing it. The network is then the interior alone, usually small."""
    edges = chain_imports(search)
    direct = {(a, b) for a, b in edges if a in search.sources and b in search.targets}
    network = _Network()
    for importer, imported in edges:
        if (importer, imported) not in direct:
            network.add(
                _SOURCE if importer in search.sources else importer,
                _SINK if imported in search.targets else imported,
            )
    flow = network.maximum_flow()
    sink_side = network.reaching_sink()
    # Sources are not nodes of the network (so never on the sink side), targets are the sink.
    cut = {(a, b) for a, b in edges if a not in sink_side and (b in search.targets or b in sink_side)}
    assert len(cut) == flow + len(direct), "a minimum cut has the size of the maximum flow"
    return cut


class _Network:
    """A flow network on plain dicts with integer capacities: Dinic's algorithm (a breadth-first
    level graph, then depth-first blocking flows), iterative."""

    def __init__(self) -> None:
        self.residual: dict[str, dict[str, int]] = defaultdict(dict)

    def add(self, tail: str, head: str) -> None:
        """One more unit of capacity from ``tail`` to ``head``."""
        self.residual[tail][head] = self.residual[tail].get(head, 0) + 1
        self.residual[head].setdefault(tail, 0)

    def maximum_flow(self) -> int:
        total = 0
        while (levels := self._levels()) is not None:
            total += self._blocking_flow(levels)
        return total

    def _levels(self) -> dict[str, int] | None:
        levels = {_SOURCE: 0}
        queue = deque([_SOURCE])
        while queue:
            node = queue.popleft()
            for after, capacity in self.residual[node].items():
                if capacity > 0 and after not in levels:
                    levels[after] = levels[node] + 1
                    queue.append(after)
        return levels if _SINK in levels else None

    def _blocking_flow(self, levels: dict[str, int]) -> int:
        """Augmenting paths along the levels until none is left, each of the smallest capacity
        on it; a node that leads nowhere is not tried again in this phase."""
        total = 0
        next_edges = {node: iter(list(self.residual[node])) for node in levels}
        current: dict[str, str | None] = dict.fromkeys(levels)
        path = [_SOURCE]
        while path:
            node = path[-1]
            if node == _SINK:
                pushed = min(self.residual[a][b] for a, b in zip(path, path[1:]))
                for a, b in zip(path, path[1:]):
                    self.residual[a][b] -= pushed
                    self.residual[b][a] += pushed
                total += pushed
                path = [_SOURCE]
                continue
            after = current[node]
            if after is None or self.residual[node][after] <= 0 or levels.get(after) != levels[node] + 1:
                after = next(
                    (
                        m
                        for m in next_edges[node]
                        if self.residual[node][m] > 0 and levels.get(m) == levels[node] + 1
                    ),
                    None,
                )
                current[node] = after
            if after is None:  # a dead end: back up, and never come here again this phase
                path.pop()
                levels[node] = -1
                continue
            path.append(after)
        return total

    def reaching_sink(self) -> set[str]:
        """The nodes that can still reach the sink in the residual network."""
        reached = {_SINK}
        queue = deque([_SINK])
        while queue:
            node = queue.popleft()
            for before in self.residual[node]:  # every edge has its reverse listed
                if before not in reached and self.residual[before][node] > 0:
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


def lost_first_hops(search: ChainSearch, edge: Edge, found: Set[Edge]) -> Set[Edge]:
    """The first hops of ``found`` (the search's) that it no longer finds without ``edge``, an
    import its chains may use. Searched again only when it could change what leads to a target."""
    importer, imported = edge
    if importer in search.sources:  # the edge is a first hop; what leads to a target is unchanged
        return {edge} & found
    distance = search.distance[importer]
    if any(  # a shorter way on from the importer cannot pass through it, so it still leads
        search.distance.get(after, distance) < distance
        for after in search.adjacency.imported_by(importer)
        if after != imported and (after in search.targets or search.may_pass(after))
    ):
        return set()
    return found - first_hops_without(search, {edge})


def without_redundant(cut: set[Edge], searches: Sequence[ChainSearch]) -> set[Edge]:
    """The cut less each import the others make unnecessary, tried in name order: a part's
    minimum cut can hold an import that another part's cut already shuts off (Kedro: one part
    cuts ``kedro -> kedro.ipython``, another an import of ``kedro.ipython``'s). Given that the
    whole cut leaves every search without chains, only the searches that may use an import
    can find one again when it is put back."""
    imported = {b for _, b in cut}
    reaching: dict[str, list[ChainSearch]] = defaultdict(list)  # imported -> the searches it is in
    for search in searches:
        for module in imported & search.distance.keys():
            reaching[module].append(search)
    kept = set(cut)
    for edge in sorted(cut):
        kept.discard(edge)
        if any(_finds_again(search, edge, kept) for search in reaching[edge[1]]):
            kept.add(edge)
    return kept


def _finds_again(search: ChainSearch, edge: Edge, removed: Set[Edge]) -> bool:
    """Whether, with ``removed`` gone and ``edge`` back, the search has a chain: as it had none
    without ``edge``, one through it, from a source to its importer and on from its imported to
    a target (two small searches, where ``first_hops_without`` would search from every target)."""
    importer, imported = edge
    return (
        uses(search, importer, imported)
        and _leads_to_a_target(search, imported, removed)
        and _reached_from_a_source(search, importer, removed)
    )


def _leads_to_a_target(search: ChainSearch, module: str, removed: Set[Edge]) -> bool:
    seen = {module}
    queue = deque([module])
    while queue:
        current = queue.popleft()
        if current in search.targets:
            return True
        for after in search.adjacency.imported_by(current):
            # search.distance: the targets and the interior modules that lead to one.
            if after in search.distance and after not in seen and (current, after) not in removed:
                seen.add(after)
                queue.append(after)
    return False


def _reached_from_a_source(search: ChainSearch, module: str, removed: Set[Edge]) -> bool:
    if module in search.sources:
        return True
    seen = {module}
    queue = deque([module])
    while queue:
        current = queue.popleft()
        for before in search.adjacency.importers_of(current):
            if before in seen or (before, current) in removed:
                continue
            if before in search.sources:
                return True
            if search.may_pass(before):
                seen.add(before)
                queue.append(before)
    return False


def union_of(cuts: Iterable[set[Edge]]) -> set[Edge]:
    found: set[Edge] = set()
    for cut in cuts:
        found |= cut
    return found
