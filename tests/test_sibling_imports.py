"""``sibling_imports`` files every import in one pass: the same as looking, for each package,
at the imports between the descendants of two of its different children (as the rule did,
one pass per package), on random graphs."""

from __future__ import annotations

import grimp
from hypothesis import given, settings
from hypothesis import strategies as st

from boundary_lint.rules.acyclic_siblings import sibling_imports

# Modules of a small tree three levels deep under one root, with sibling-looking names.
_MODULES = st.sampled_from(
    ["r", "r.a", "r.b", "r.ab", "r.a.x", "r.a.y", "r.b.x", "r.b.x.deep", "r.ab.x", "r.a.x.z"]
)
_IMPORTS = st.lists(st.tuples(_MODULES, _MODULES), max_size=25)


def _per_package(graph: grimp.ImportGraph) -> dict[str, dict[tuple[str, str], set[tuple[str, str]]]]:
    found: dict[str, dict[tuple[str, str], set[tuple[str, str]]]] = {}
    for package in graph.modules:
        depth = package.count(".") + 1

        def child_of(module: str, depth: int = depth) -> str:
            return ".".join(module.split(".")[: depth + 1])

        inside = {m for m in graph.modules if m.startswith(package + ".")}
        for importer in sorted(inside):
            for imported in graph.find_modules_directly_imported_by(importer) & inside:
                if child_of(importer) != child_of(imported):
                    pairs = found.setdefault(package, {})
                    pairs.setdefault((child_of(importer), child_of(imported)), set()).add(
                        (importer, imported)
                    )
    return found


@settings(max_examples=200, deadline=None)
@given(imports=_IMPORTS)
def test_one_pass_files_imports_as_one_pass_per_package(imports: list[tuple[str, str]]) -> None:
    graph = grimp.ImportGraph()
    for module in ["r", "r.a", "r.b", "r.ab", "r.a.x", "r.a.y", "r.b.x", "r.b.x.deep", "r.ab.x", "r.a.x.z"]:
        graph.add_module(module)
    for importer, imported in imports:
        if importer != imported:
            graph.add_import(importer=importer, imported=imported)
    filed = {
        package: {siblings: set(pairs) for siblings, pairs in by_siblings.items()}
        for package, by_siblings in sibling_imports(graph).items()
        if by_siblings
    }
    assert filed == _per_package(graph)
