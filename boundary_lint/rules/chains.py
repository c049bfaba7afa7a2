"""Find every import that begins an illegal chain, with one reachability search per contract part.

An illegal chain runs from a source module to a target module through *interior* modules that
are neither sources, nor targets, nor blocked. Requiring the interior to avoid sources means a
chain that passes through another source module belongs to that module (it is reported where
it leaves the sources for the last time); avoiding targets makes the chain end at the nearest
target.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Set
from contextlib import contextmanager
from dataclasses import dataclass

import grimp

from boundary_lint.graph.adjacency import adjacency


class Excluding(Set[str]):
    """``base - excluded`` without building it: a search's sources when they are every listed
    module but the target's (independence), asked only whether they contain a module."""

    def __init__(self, base: Set[str], excluded: Set[str]) -> None:
        self.base = base
        self.excluded = excluded

    def __contains__(self, module: object) -> bool:
        return module in self.base and module not in self.excluded

    def __iter__(self) -> Iterator[str]:
        return (m for m in self.base if m not in self.excluded)

    def __len__(self) -> int:
        return sum(1 for _ in self)


# Lists that every search made while they are open is added to (``recording_searches``).
_RECORDERS: list[list[ChainSearch]] = []


@contextmanager
def recording_searches() -> Iterator[list[ChainSearch]]:
    """Every search the rules make while open, in order: the planner reads each contract
    part's sources, targets and blocked modules from them, as the rule itself chose them."""
    searches: list[ChainSearch] = []
    _RECORDERS.append(searches)
    try:
        yield searches
    finally:
        # By identity: recorders nest (rules.reuse records inside the planner's), and two
        # lists with the same searches are equal.
        del _RECORDERS[next(i for i, r in enumerate(_RECORDERS) if r is searches)]


# The innermost is asked by each new search whether it may take earlier answers (``offering``).
_OFFERS: list[Callable[[ChainSearch], bool]] = []


@contextmanager
def offering(offer: Callable[[ChainSearch], bool]) -> Iterator[None]:
    """While open, each new search is handed to ``offer`` before it searches: True if ``offer``
    gave it earlier answers (``ChainSearch.take``), which it then keeps."""
    _OFFERS.append(offer)
    try:
        yield
    finally:
        _OFFERS.remove(offer)


@dataclass(frozen=True)
class Answers:
    """What a search found, without its graph: kept from one check to the next (rules.reuse)."""

    distance: dict[str, int]
    chains: dict[str, tuple[str, ...]]
    hops: set[tuple[str, str]] | None  # None: never asked for


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
        self.graph = graph  # keeps the adjacency's graph alive as long as the search
        self.adjacency = adjacency(graph)
        self.sources = sources
        self.targets = targets
        self.blocked = blocked
        self.direct_only = direct_only
        self._chains: dict[str, tuple[str, ...]] = {}
        self._hops: set[tuple[str, str]] | None = None
        self.distance: dict[str, int]
        if not (_OFFERS and _OFFERS[-1](self)):
            self.distance = {target: 0 for target in targets} if direct_only else self._distances_to_targets()
        for recorder in _RECORDERS:
            recorder.append(self)

    def imported_by(self, module: str) -> set[str]:
        return self.adjacency.imported_by(module)

    def answers(self) -> Answers:
        return Answers(self.distance, self._chains, self._hops)

    def take(self, earlier: Answers, changes: Mapping[str, Set[str]]) -> bool:
        """Take the answers of a search with the same inputs on the graph as it was before each
        module of ``changes`` came to import what it imports now, unless that can alter them:
        a changed module that may be interior and led to a target, or does now. Else the
        distances (a changed source, target or blocked module is never interior) and so the
        chains are the same; of the first hops, only the changed modules' are found again."""
        distance = earlier.distance
        if any(
            self.may_pass(m) and (m in distance or not i.isdisjoint(distance)) for m, i in changes.items()
        ):
            return False
        self.distance, self._chains = distance, earlier.chains
        if earlier.hops is not None:
            hops = {hop for hop in earlier.hops if hop[0] not in changes}
            hops.update(
                (m, r)
                for m, imports in changes.items()
                if m in self.sources
                for r in imports
                if r in distance
            )
            self._hops = hops
        return True

    def may_pass(self, module: str) -> bool:
        return module not in self.sources and module not in self.targets and module not in self.blocked

    def _distances_to_targets(self) -> dict[str, int]:
        """Breadth-first, backwards from the targets, through modules that may be interior."""
        distance = {target: 0 for target in self.targets}
        queue = deque(self.targets)
        importers_of, targets, blocked = self.adjacency.importers_of, self.targets, self.blocked
        sources: Set[str] = self.sources
        if isinstance(sources, Excluding) and sources.base is blocked:  # independence: blocked already
            sources = frozenset()
        while queue:
            module = queue.popleft()
            step = distance[module] + 1
            for importer in importers_of(module):
                # may_pass, inlined: a search visits every importer of what it reaches.
                if (
                    importer not in distance
                    and importer not in blocked
                    and importer not in targets
                    and importer not in sources
                ):
                    distance[importer] = step
                    queue.append(importer)
        return distance

    def first_hops(self) -> Iterator[tuple[str, str]]:
        """(source, imported) for every direct import that begins an illegal chain, sorted.
        Found backwards, from the modules that lead to a target: there are usually far fewer
        of those than sources."""
        if self._hops is None:
            self._hops = {
                (source, reached)
                for reached in self.distance  # the targets, and the modules that may lead to one
                for source in self.adjacency.importers_of(reached)
                if source in self.sources
            }
        return iter(sorted(self._hops))

    def chain_length(self, first: str) -> int:
        """How many modules ``chain(source, first)`` holds, without building it."""
        return self.distance[first] + 2

    def chain(self, source: str, first: str) -> tuple[str, ...]:
        """The chain for a first hop: to the nearest target (ties: lowest name), and of the
        shortest chains to it the one that is first in name order. Deterministic."""
        if first not in self._chains:
            self._chains[first] = self._shortest_from(first)
        return (source, *self._chains[first])

    def _next_steps(self, module: str) -> list[str]:
        step = self.distance[module] - 1
        return sorted(
            m
            for m in self.imported_by(module)
            if self.distance.get(m) == step and (step == 0 or self.may_pass(m))
        )

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


def strongly_connected(nodes: Iterable[str], edges: Iterable[tuple[str, str]]) -> list[list[str]]:
    """The strongly connected components of the graph of ``nodes`` (every end of ``edges`` is
    one too) and ``edges``: Tarjan's algorithm, iterative (a chain of thousands of modules must
    not exhaust Python's stack). Each component sorted, the components in order: deterministic."""
    successors: dict[str, list[str]] = defaultdict(list)
    for importer, imported in sorted(edges):
        successors[importer].append(imported)
        successors[imported]
    for node in nodes:
        successors[node]
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []
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
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    components.append(sorted(component))
            elif child not in index:
                index[child] = low[child] = len(index)
                stack.append(child)
                on_stack.add(child)
                work.append((child, iter(successors[child])))
            elif child in on_stack:
                low[node] = min(low[node], index[child])
    return sorted(components)
