"""Find every import that begins an illegal chain, with one reachability search per contract part.

An illegal chain runs from a source module to a target module through *interior* modules that
are neither sources, nor targets, nor blocked. Requiring the interior to avoid sources means a
chain that passes through another source module belongs to that module (it is reported where
it leaves the sources for the last time); avoiding targets makes the chain end at the nearest
target.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator, Set

import grimp


class ChainSearch:
    def __init__(
        self,
        graph: grimp.ImportGraph,
        sources: Set[str],
        targets: Set[str],
        blocked: Set[str] = frozenset(),
        *,
        direct_only: bool = False,
    ) -> None:
        self.graph = graph
        self.sources = sources
        self.targets = targets
        self.blocked = blocked
        self.direct_only = direct_only
        self._imported_by: dict[str, set[str]] = {}
        self._chains: dict[str, tuple[str, ...]] = {}
        self.distance = {} if direct_only else self._distances_to_targets()

    def imported_by(self, module: str) -> set[str]:
        if module not in self._imported_by:
            self._imported_by[module] = self.graph.find_modules_directly_imported_by(module)
        return self._imported_by[module]

    def _may_pass(self, module: str) -> bool:
        return module not in self.sources and module not in self.targets and module not in self.blocked

    def _distances_to_targets(self) -> dict[str, int]:
        """Breadth-first, backwards from the targets, through modules that may be interior."""
        distance = {target: 0 for target in self.targets}
        queue = deque(self.targets)
        while queue:
            module = queue.popleft()
            for importer in self.graph.find_modules_that_directly_import(module):
                if importer not in distance and self._may_pass(importer):
                    distance[importer] = distance[module] + 1
                    queue.append(importer)
        return distance

    def first_hops(self) -> Iterator[tuple[str, str]]:
        """(source, imported) for every direct import that begins an illegal chain, sorted."""
        for source in sorted(self.sources):
            for imported in sorted(self.imported_by(source)):
                if imported in self.targets:
                    yield source, imported
                elif imported in self.distance and self._may_pass(imported):
                    yield source, imported

    def chain(self, source: str, first: str) -> tuple[str, ...]:
        """The chain for a first hop: to the nearest target (ties: lowest name), and of the
        shortest chains to it the one that is first in name order. Deterministic."""
        if first not in self._chains:
            self._chains[first] = self._shortest_from(first)
        return (source, *self._chains[first])

    def _next_steps(self, module: str) -> list[str]:
        step = self.distance[module] - 1
        return sorted(m for m in self.imported_by(module) if self.distance.get(m) == step
                      and (step == 0 or self._may_pass(m)))

    def _shortest_from(self, start: str) -> tuple[str, ...]:
        if start in self.targets:
            return (start,)
        levels = [{start}]
        while self.distance[next(iter(levels[-1]))] > 0:
            levels.append({n for m in levels[-1] for n in self._next_steps(m)})
        end = min(levels[-1])
        reaching = {end}
        can_reach = [reaching]
        for level in reversed(levels[:-1]):
            reaching = {m for m in level if reaching.intersection(self._next_steps(m))}
            can_reach.append(reaching)
        can_reach.reverse()
        path = [start]
        for depth in range(1, len(levels)):
            path.append(next(m for m in self._next_steps(path[-1]) if m in can_reach[depth]))
        return tuple(path)
