"""What every contract type shares: findings, module expressions, ignored imports."""

from __future__ import annotations

from collections.abc import Iterable, Set
from dataclasses import dataclass, field
from pathlib import Path

import grimp

from boundary_lint.config import AlertLevel, ContractSpec
from boundary_lint.graph.adjacency import adjacency
from boundary_lint.graph.builder import ProjectGraph
from boundary_lint.graph.discovery import relative_path
from boundary_lint.graph.references import ReferenceIndex
from boundary_lint.report import Hop
from boundary_lint.rules.chains import ChainSearch


class ContractError(Exception):
    """The contract cannot be checked on this graph (a module it names does not exist, ...)."""

    def __init__(self, key: str, message: str) -> None:
        self.key = key
        self.message = message
        super().__init__(message)


@dataclass(frozen=True)
class Finding:
    """An illegal chain in module terms: ``chain[0]`` makes the import, ``chain[-1]`` is the
    forbidden end. The engine turns it into one violation per import statement of the first hop."""

    code: str
    chain: tuple[str, ...]
    detail: str = ""
    # For findings that are not import chains (a moved path in a string, say): where, and what.
    line: int = 0
    column: int = 0
    name: str = ""
    # For findings in a file that is not a module (an entry point in setup.cfg): that file.
    path: Path | None = None


class NearestFindings:
    """One finding per first hop (``chain[:2]``) when several searches (one per pair of layers
    or of independent modules) find chains that begin with the same import: the shortest, then
    the one ending at the lowest name, then the first chain in name order. Each import statement
    is then reported once per contract, with the nearest forbidden module, the same way every
    time. Findings about a module rather than an import (one-module chains) are kept as they are.

    Kept as the searches go, not collected and then sorted out: where a shared module leads to
    every listed package (Home Assistant's helpers reach most integrations), each first hop
    would otherwise be found once per package, hundreds of thousands of chains in memory."""

    def __init__(self) -> None:
        self._best: dict[tuple[str, str], Finding] = {}
        self._others: list[Finding] = []

    def may_improve(self, first_hop: tuple[str, str], length: int) -> bool:
        """Whether a chain of ``length`` modules beginning with ``first_hop`` could replace the
        one known (so that a longer one need not even be built)."""
        known = self._best.get(first_hop)
        return known is None or length <= len(known.chain)

    def add(self, finding: Finding) -> None:
        chain = finding.chain
        if len(chain) < 2:
            self._others.append(finding)
            return
        known = self._best.get((chain[0], chain[1]))
        if known is None or (len(chain), chain[-1], chain) < (len(known.chain), known.chain[-1], known.chain):
            self._best[(chain[0], chain[1])] = finding

    def findings(self) -> list[Finding]:
        return [*self._others, *self._best.values()]


@dataclass
class RuleOutcome:
    findings: list[Finding] = field(default_factory=list)
    # Problems that make the contract broken without an import to point at.
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # A verdict with no import to point at, as its message: a custom contract type broke.
    broken: list[str] = field(default_factory=list)
    # Findings that exist only through dynamic imports (set by the engine).
    dynamic_findings: set[Finding] = field(default_factory=set)


@dataclass(frozen=True)
class RuleContext:
    graph: grimp.ImportGraph
    root_packages: tuple[str, ...]
    include_external_packages: bool
    references: ReferenceIndex | None = None  # for rules that read sources, not only imports
    project_root: Path | None = None  # where custom contract classes are imported from

    def is_internal(self, module: str) -> bool:
        return any(module == r or module.startswith(r + ".") for r in self.root_packages)


def hop(project: ProjectGraph, importer: str, imported: str, root: Path) -> Hop:
    """The direct import as a report shows it: the importer's file and every line."""
    path = project.path_of(importer)
    return hop_at(project, importer, imported, relative_path(path, root) if path else "")


def hop_at(project: ProjectGraph, importer: str, imported: str, path: str) -> Hop:
    """``hop`` with the importer's file as reports show it (``path``) known."""
    lines = tuple(project.import_lines(importer, imported))
    return Hop(importer, imported, path, lines[0] if lines else 0, lines)


def has_wildcard(expression: str) -> bool:
    return "*" in expression


def resolve_expression(graph: grimp.ImportGraph, expression: str, key: str) -> set[str]:
    """Modules an expression names. A plain name must exist; a wildcard may match nothing
    (as in import-linter)."""
    if has_wildcard(expression):
        return set(graph.find_matching_modules(expression))
    if expression not in graph.modules:
        raise ContractError(key, f"module {expression!r} does not exist")
    return {expression}


def resolve_expressions(graph: grimp.ImportGraph, expressions: Iterable[str], key: str) -> set[str]:
    modules: set[str] = set()
    for expression in expressions:
        modules |= resolve_expression(graph, expression, key)
    return modules


def as_package(graph: grimp.ImportGraph, module: str) -> frozenset[str]:
    """The module and, unless it is squashed (external), all its descendants."""
    return adjacency(graph).package(module)


def check_no_shared_descendants(modules: Iterable[str], key: str) -> None:
    """As grimp does for layers and independent modules: none may contain another."""
    ordered = sorted(modules)
    for outer, inner in zip(ordered, ordered[1:]):
        if inner.startswith(outer + "."):
            raise ContractError(key, f"modules have shared descendants: {outer} contains {inner}")


def remove_ignored_imports(graph: grimp.ImportGraph, spec: ContractSpec) -> RuleOutcome:
    """Remove ``ignore_imports`` from the (copied) graph; report expressions that match nothing."""
    outcome = RuleOutcome()
    unmatched = []
    to_remove: set[tuple[str, str]] = set()
    for expression in spec.ignore_imports:
        matches = graph.find_matching_direct_imports(import_expression=expression)
        if not matches:
            unmatched.append(expression)
        to_remove.update((m["importer"], m["imported"]) for m in matches)
    for importer, imported in sorted(to_remove):
        graph.remove_import(importer=importer, imported=imported)
    level = spec.unmatched_ignore_imports_alerting
    for expression in unmatched:
        message = f"ignore_imports entry {expression!r} matched no import"
        if level is AlertLevel.ERROR:
            outcome.errors.append(message)
        elif level is AlertLevel.WARN:
            outcome.warnings.append(message)
    return outcome


def package_findings(
    graph: grimp.ImportGraph,
    sources: Set[str],
    imported: str,
    codes: tuple[str, str],
    *,
    listed: Set[str],
    into: NearestFindings,
) -> None:
    """Chains from ``sources`` (the importer packages' modules) to the package ``imported``,
    added to ``into``. A chain through any other listed package (``listed``: every listed
    package's modules) is that package's, not this pair's, so no chain passes through one: one
    search serves every importer of the same package."""
    search = ChainSearch(graph, sources, as_package(graph, imported), listed)
    direct, indirect = codes
    for first_hop in search.first_hops():
        if into.may_improve(first_hop, search.chain_length(first_hop[1])):
            chain = search.chain(*first_hop)
            into.add(Finding(direct if len(chain) == 2 else indirect, chain))
