"""The plan of one contract: a minimum cut per contract part (the searches its rule makes),
their union, each import ranked by the violations it alone removes, and a proof by the engine
that the contract is kept once the cut is ignored. An unverified plan is never returned."""

from __future__ import annotations

import dataclasses
from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING

from boundary_lint.engine import CheckOptions, check_graph
from boundary_lint.errors import UserError
from boundary_lint.graph.source import SourceIndex
from boundary_lint.planning.cut import (
    Edge,
    first_hops_without,
    lost_first_hops,
    minimum_cut,
    union_of,
    uses,
    without_redundant,
)
from boundary_lint.report import ContractPlan, ContractResult, CutImport, Report, Statement, Violation
from boundary_lint.rules.chains import recording_searches

if TYPE_CHECKING:
    from boundary_lint.config import Config, ContractSpec
    from boundary_lint.graph.builder import ProjectGraph
    from boundary_lint.rules.chains import ChainSearch

PLANNED_TYPES = ("forbidden", "layers", "independence", "protected")
MAX_ROUNDS = 5  # verification rounds: each adds the cut of what is still found


class PlanError(UserError):
    """A plan cannot be made or could not be verified."""


def plan_contracts(
    config: Config, project: ProjectGraph, specs: Sequence[ContractSpec]
) -> list[ContractPlan]:
    return [plan_contract(config, project, spec) for spec in specs]


def plan_broken(
    config: Config, project: ProjectGraph, specs: Sequence[ContractSpec], report: Report
) -> list[ContractPlan]:
    """The plans of the contracts the report finds broken (a kept one has nothing to break)."""
    broken = {c.id for c in report.contracts if not c.kept}
    return plan_contracts(config, project, [spec for spec in specs if spec.id in broken])


def _import_violations(result: ContractResult) -> list[Violation]:
    """The violations an import cut can remove (not a module missing from exhaustive layers)."""
    return [v for v in result.violations if v.chain]


def _run(
    config: Config, project: ProjectGraph, spec: ContractSpec, sources: SourceIndex
) -> tuple[ContractResult, list[ChainSearch]]:
    with recording_searches() as searches:
        report = check_graph(config, project, [spec], CheckOptions(use_cache=False), sources)
    return report.contracts[0], list(searches)


def plan_contract(config: Config, project: ProjectGraph, spec: ContractSpec) -> ContractPlan:
    sources = SourceIndex()  # one for every run: each reads the same files
    result, searches = _run(config, project, spec, sources)
    violations = _import_violations(result)
    plan = ContractPlan(spec.id, spec.name, result.type, len(violations))
    if result.errors:
        raise PlanError(f"contract {spec.id!r} cannot be checked: {result.errors[0].message}")
    if not violations:
        return dataclasses.replace(plan, verified=True)
    if result.type not in PLANNED_TYPES:
        return dataclasses.replace(plan, unplanned=f"no plan for contracts of type {result.type}")
    cut, exact, parts = _cut(violations, searches)
    for _ in range(MAX_ROUNDS):
        trial = dataclasses.replace(spec, ignore_imports=(*spec.ignore_imports, *_expressions(cut)))
        checked, more_searches = _run(config, project, trial, sources)
        remaining = _import_violations(checked)
        if not remaining:
            break
        more, _, more_parts = _cut(remaining, more_searches)
        cut, exact, parts = cut | more, False, parts + more_parts
    else:
        raise PlanError(f"contract {spec.id!r}: no verified plan after {MAX_ROUNDS} rounds")
    ranked = _ranked(cut, violations, searches, project, config)
    return dataclasses.replace(plan, cut=ranked, exact=exact, parts=parts, verified=True)


def _cut(violations: list[Violation], searches: list[ChainSearch]) -> tuple[set[Edge], bool, int]:
    """The union of each part's minimum cut, less the imports the others make unnecessary;
    exact when it is no larger than the largest part's (which bounds the minimum from below).
    Without searches (protected, direct-only) every violation's first import must go: exact."""
    if not searches:
        return {(v.chain[0].importer, v.chain[0].imported) for v in violations}, True, 1
    cuts = [c for c in (minimum_cut(s) for s in searches) if c]
    union = without_redundant(union_of(cuts), searches) if len(cuts) > 1 else union_of(cuts)
    return union, len(union) == max((len(c) for c in cuts), default=0), len(cuts)


def _expressions(cut: set[Edge]) -> list[str]:
    return [f"{a} -> {b}" for a, b in sorted(cut)]


def _ranked(
    cut: set[Edge],
    violations: list[Violation],
    searches: list[ChainSearch],
    project: ProjectGraph,
    config: Config,
) -> tuple[CutImport, ...]:
    """Each cut import with the violations it alone removes, most first (ties by name), and the
    violations whose chain it is the first cut import on."""
    from boundary_lint.graph.discovery import relative_path

    removes = _removes(cut, violations, searches)
    groups: dict[Edge, list[Violation]] = defaultdict(list)
    for violation in violations:
        on_chain = [(h.importer, h.imported) for h in violation.chain if (h.importer, h.imported) in cut]
        if on_chain:
            groups[on_chain[0]].append(violation)
    imports = []
    for importer, imported in cut:
        path = project.path_of(importer)
        where = relative_path(path, config.root) if path else ""
        statements = tuple(Statement(where, line) for line in project.import_lines(importer, imported))
        imports.append(
            CutImport(
                importer,
                imported,
                statements,
                removes[(importer, imported)],
                tuple(groups[(importer, imported)]),
            )
        )
    imports.sort(key=lambda c: (-c.removes, -len(c.violations), c.importer, c.imported))
    return tuple(imports)


def _removes(cut: set[Edge], violations: list[Violation], searches: list[ChainSearch]) -> dict[Edge, int]:
    """For each cut import, the violations (statements) no longer found with it alone removed:
    those whose first hop every search that found it loses. Only the searches that may use
    the import can lose one."""
    by_first_hop: dict[Edge, int] = defaultdict(int)
    for violation in violations:
        by_first_hop[(violation.chain[0].importer, violation.chain[0].imported)] += 1
    if not searches:
        return {edge: by_first_hop.get(edge, 0) for edge in cut}
    base = [first_hops_without(s, frozenset()) for s in searches]
    finders = Counter(hop for hops in base for hop in hops)
    never_found = sum(n for hop, n in by_first_hop.items() if hop not in finders)
    reaching: dict[str, list[int]] = defaultdict(list)  # module -> the searches it is in
    for number, search in enumerate(searches):
        for module in search.distance:
            reaching[module].append(number)
    found = {}
    for edge in sorted(cut):
        losing = Counter(
            hop
            for number in reaching.get(edge[1], ())
            if uses(searches[number], *edge)
            for hop in lost_first_hops(searches[number], edge, base[number])
        )
        gone = sum(by_first_hop.get(hop, 0) for hop, n in losing.items() if n == finders[hop])
        found[edge] = never_found + gone
    return found
