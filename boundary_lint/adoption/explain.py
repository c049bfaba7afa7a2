"""``boundary-lint explain``: every shortest chain of direct imports from one module to another.

With ``as_packages`` (grimp's find_shortest_chains semantics), each name stands for the module
and its descendants: chains are found for every pair (a module of the importer, a module of the
imported), and a chain passes through no other module of either package. grimp returns chains
that share no import, found one after another; here every shortest chain of each pair is
enumerated, in name order, so the answer is the same every time.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import grimp

from boundary_lint.graph.adjacency import adjacency
from boundary_lint.graph.builder import ProjectGraph
from boundary_lint.report import Hop
from boundary_lint.rules.common import hop


class SharedModules(Exception):
    """As packages, the importer and the imported overlap (one contains the other)."""


@dataclass(frozen=True)
class PairChains:
    """The shortest chains from ``start`` to ``end``: ``count`` of them, each ``length`` imports."""

    start: str
    end: str
    length: int
    count: int
    _graph: grimp.ImportGraph = field(repr=False, compare=False)
    _barrier: frozenset[str] = field(repr=False, compare=False)  # modules a chain may not pass through
    # From ``start``, through modules that are not in the barrier.
    _distance: dict[str, int] = field(repr=False, compare=False)

    def chains(self) -> Iterator[tuple[str, ...]]:
        """Every shortest chain, in name order (lazily: there may be very many)."""
        on_a_chain = self._leading_to_end()
        imports = adjacency(self._graph)

        def extend(chain: tuple[str, ...]) -> Iterator[tuple[str, ...]]:
            last = chain[-1]
            if last == self.end:
                yield chain
                return
            for module in sorted(imports.imported_by(last)):
                if module in on_a_chain and self._distance.get(module) == len(chain):
                    yield from extend((*chain, module))

        return extend((self.start,))

    def _leading_to_end(self) -> set[str]:
        """The modules of some shortest chain: backwards from the end, one step nearer each time."""
        imports = adjacency(self._graph)
        found = {self.end}
        frontier = {self.end}
        while frontier:
            frontier = {
                importer
                for module in frontier
                for importer in imports.importers_of(module)
                if self._distance.get(importer) == self._distance[module] - 1
                and (importer == self.start or importer not in self._barrier)
            } - found
            found |= frontier
        return found


@dataclass(frozen=True)
class Explanation:
    importer: str
    imported: str
    as_packages: bool
    importer_modules: int  # how many modules the importer stands for (1, or with descendants)
    imported_modules: int
    pairs: tuple[PairChains, ...]  # shortest first, then by name

    @property
    def total(self) -> int:
        return sum(pair.count for pair in self.pairs)

    def chains(self) -> Iterator[tuple[str, ...]]:
        for pair in self.pairs:
            yield from pair.chains()


def explain(
    graph: grimp.ImportGraph, importer: str, imported: str, *, as_packages: bool = True
) -> Explanation:
    """Raises SharedModules if, as packages, one contains the other (or they are the same)."""
    imports = adjacency(graph)
    starts = imports.package(importer) if as_packages else frozenset({importer})
    ends = imports.package(imported) if as_packages else frozenset({imported})
    if starts & ends:
        raise SharedModules(f"{importer} and {imported} overlap")
    barrier = starts | ends
    pairs = []
    for start in sorted(starts):
        distance = _distances_from(graph, start, barrier)
        counts = _count_shortest(graph, start, barrier, distance)
        for end in sorted(ends & distance.keys()):
            pairs.append(PairChains(start, end, distance[end], counts[end], graph, barrier, distance))
    pairs.sort(key=lambda p: (p.length, p.start, p.end))
    return Explanation(importer, imported, as_packages, len(starts), len(ends), tuple(pairs))


def _distances_from(graph: grimp.ImportGraph, start: str, barrier: frozenset[str]) -> dict[str, int]:
    """Breadth-first from ``start``: a chain may reach a module of the barrier but not go on."""
    imports = adjacency(graph)
    distance = {start: 0}
    frontier = [start]
    while frontier:
        found = []
        for module in frontier:
            if module != start and module in barrier:
                continue
            for imported in imports.imported_by(module):
                if imported not in distance:
                    distance[imported] = distance[module] + 1
                    found.append(imported)
        frontier = found
    return distance


def _count_shortest(
    graph: grimp.ImportGraph, start: str, barrier: frozenset[str], distance: dict[str, int]
) -> dict[str, int]:
    """How many shortest chains lead from ``start`` to each module reached."""
    imports = adjacency(graph)
    count = {start: 1}
    for module in sorted(distance, key=lambda m: distance[m]):  # nearer modules first
        if module != start and module in barrier:
            continue
        for imported in imports.imported_by(module):
            if distance.get(imported) == distance[module] + 1:
                count[imported] = count.get(imported, 0) + count[module]
    return count


def chain_hops(project: ProjectGraph, chain: tuple[str, ...], root: Path) -> tuple[Hop, ...]:
    """The chain's direct imports, each with its importer's file and every line it is made on."""
    return tuple(hop(project, importer, imported, root) for importer, imported in zip(chain, chain[1:]))
