"""The explore page's data, taken once from the graph and the report. The page groups it per
package itself (every level is a grouping of the same module-level imports), so one file serves
every drill-down without a server."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from boundary_lint.graph.discovery import relative_path

if TYPE_CHECKING:
    from boundary_lint.graph.builder import ProjectGraph
    from boundary_lint.report import Report, Violation


def explore_data(
    graph: ProjectGraph,
    report: Report,
    root: Path,
    package: str = "",
    cuts: Sequence[tuple[str, str]] = (),
) -> dict[str, Any]:
    """Modules (the project's own, sorted), imports between them as [importer, imported,
    [lines]] by index, the active violations with their chains (see ``_violation``), and the
    imports a plan breaks, ``cuts``, as [importer, imported] names (``explore --plan``)."""
    modules = sorted(m for m in graph.graph.modules if graph.path_of(m) is not None)
    index = {module: i for i, module in enumerate(modules)}
    files = [_path(graph, module, root) for module in modules]
    imports: list[list[Any]] = []
    for module in modules:
        for imported in sorted(graph.graph.find_modules_directly_imported_by(module)):
            if imported in index:
                imports.append([index[module], index[imported], graph.import_lines(module, imported)])
    return {
        "package": package,
        "modules": modules,
        "files": files,
        "imports": imports,
        "violations": [_violation(v, index, files) for c in report.contracts for v in c.active_violations],
        "contracts": [{"id": c.id, "name": c.name} for c in report.contracts],
        "cuts": [list(pair) for pair in cuts],
    }


def _path(graph: ProjectGraph, module: str, root: Path) -> str:
    path = graph.path_of(module)
    return relative_path(path, root) if path else ""


def _violation(violation: Violation, index: dict[str, int], files: list[str]) -> list[Any]:
    """[contract, code, importer, imported, path, line, chain of [importer, imported, path,
    line]], modules as their index where they have one, a path as 0 where it is the importer's
    file (as it nearly always is): Home Assistant has 31,724 violations,
    and their names and messages in full made a 27 MB page. The page writes its own sentence
    from these fields."""

    def name(module: str) -> int | str:
        return index.get(module, module)

    def path(importer: str, path: str) -> int | str:
        return 0 if importer in index and files[index[importer]] == path else path

    first = violation.chain[0].importer if violation.chain else violation.importer
    return [
        violation.contract,
        violation.code,
        name(violation.importer),
        name(violation.imported),
        path(first, violation.path),
        violation.line,
        [[name(h.importer), name(h.imported), path(h.importer, h.path), h.line] for h in violation.chain],
    ]
