"""A graph's direct imports and packages, fetched from grimp once per module and kept, per graph.

The chain searches of a check ask about the same modules many times, and the language server's
checks ask about the same graph again after each edit. A graph is either never changed once
asked about (a copy has ignored imports removed before any search) or changed in place by
``ProjectGraph.edit_sources``, which tells its adjacency what it changed (``edited``): a cached
answer never outlives the imports it was read from.
"""

from __future__ import annotations

import weakref
from collections.abc import Mapping, Set

import grimp


class Adjacency:
    """It holds its graph weakly: it is the value of a cache keyed weakly by that graph, and a
    strong reference would keep every graph ever searched alive."""

    def __init__(self, graph: grimp.ImportGraph) -> None:
        self._graph = weakref.ref(graph)
        self._imported: dict[str, set[str]] = {}
        self._importers: dict[str, set[str]] = {}
        self._packages: dict[str, frozenset[str]] = {}

    @property
    def graph(self) -> grimp.ImportGraph:
        graph = self._graph()
        if graph is None:  # only once nothing that may ask holds the graph any more
            raise ReferenceError("the graph of this adjacency is gone")
        return graph

    def imported_by(self, module: str) -> set[str]:
        found = self._imported.get(module)
        if found is None:
            found = self._imported[module] = self.graph.find_modules_directly_imported_by(module)
        return found

    def importers_of(self, module: str) -> set[str]:
        found = self._importers.get(module)
        if found is None:
            found = self._importers[module] = self.graph.find_modules_that_directly_import(module)
        return found

    def package(self, module: str) -> frozenset[str]:
        """The module and, unless it is squashed (external), all its descendants."""
        found = self._packages.get(module)
        if found is None:
            if self.graph.is_module_squashed(module):
                found = frozenset({module})
            else:
                found = frozenset({module} | self.graph.find_descendants(module))
            self._packages[module] = found
        return found

    def _edited(self, imports: Mapping[str, tuple[Set[str], Set[str]]], modules_added: bool) -> None:
        # Sets already handed out stay as they were (a search may still be reading one): the
        # changed ones are replaced, not mutated.
        for importer, (before, after) in imports.items():
            if importer in self._imported:
                self._imported[importer] = set(after)
            for imported in before - after:
                if imported in self._importers:
                    self._importers[imported] = self._importers[imported] - {importer}
            for imported in after - before:
                if imported in self._importers:
                    self._importers[imported] = self._importers[imported] | {importer}
        if modules_added:  # a new (internal, unsquashed) module is a descendant of packages known
            self._packages.clear()


_ADJACENCY: weakref.WeakKeyDictionary[grimp.ImportGraph, Adjacency] = weakref.WeakKeyDictionary()


def adjacency(graph: grimp.ImportGraph) -> Adjacency:
    """The adjacency of a graph, shared by everything that reads it."""
    found = _ADJACENCY.get(graph)
    if found is None:
        found = _ADJACENCY[graph] = Adjacency(graph)
    return found


def edited(
    graph: grimp.ImportGraph, imports: Mapping[str, tuple[Set[str], Set[str]]], modules_added: bool
) -> None:
    """``graph`` was changed in place: each importer of ``imports`` imported the modules of its
    first set and now imports those of its second; ``modules_added``: modules were added. Its
    adjacency, if it has one, is brought up to date."""
    found = _ADJACENCY.get(graph)
    if found is not None:
        found._edited(imports, modules_added)
