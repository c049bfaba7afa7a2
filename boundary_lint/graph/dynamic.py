"""Literal dynamic imports as graph edges, so contracts see what no static import shows."""

from __future__ import annotations

import copy
import dataclasses
from dataclasses import dataclass, field

from boundary_lint.graph.builder import ProjectGraph
from boundary_lint.graph.references import DYNAMIC, STRING, ReferenceIndex


@dataclass
class DynamicImports:
    """The (importer, imported, line) of every added edge that no static import made."""

    lines: set[tuple[str, str, int]] = field(default_factory=set)

    def is_dynamic(self, importer: str, imported: str, line: int) -> bool:
        return (importer, imported, line) in self.lines

    def only_dynamic(self, importer: str, imported: str, lines: tuple[int, ...]) -> bool:
        return bool(lines) and all(self.is_dynamic(importer, imported, line) for line in lines)


def with_dynamic_imports(
    project: ProjectGraph, index: ReferenceIndex, *, strings: bool
) -> tuple[ProjectGraph, DynamicImports]:
    """A copy of the project whose graph also has an edge for every literal dynamic import
    (importlib, __import__, oslo.utils importutils) of a module of the project, and with
    ``strings`` for every dotted string naming one. A name pointing inside a module (a class,
    say) is an import of that module."""
    graph = copy.deepcopy(project.graph)
    dynamic = DynamicImports()
    for module in sorted(project.module_files):
        static_lines = {
            (d["imported"], d["line_number"])
            for imported in graph.find_modules_directly_imported_by(module)
            for d in graph.get_import_details(importer=module, imported=imported)
        }
        for reference in index.of(module):
            if reference.kind != DYNAMIC and not (strings and reference.kind == STRING):
                continue
            target, _ = index.resolve(reference.name)
            if target is None or target == module or (target, reference.line) in static_lines:
                continue
            how = (
                f"{reference.call}({reference.text!r})" if reference.kind == DYNAMIC else repr(reference.name)
            )
            graph.add_import(importer=module, imported=target, line_number=reference.line, line_contents=how)
            dynamic.lines.add((module, target, reference.line))
    return dataclasses.replace(project, graph=graph), dynamic
