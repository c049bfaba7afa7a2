"""``forbidden``: source modules must not import forbidden modules, directly or indirectly."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Set

import grimp

from boundary_lint.codes import FORBIDDEN_DIRECT, FORBIDDEN_INDIRECT
from boundary_lint.config import ForbiddenSpec
from boundary_lint.report import Diagram
from boundary_lint.rules.chains import ChainSearch, Excluding
from boundary_lint.rules.common import (
    ContractError,
    Finding,
    RuleContext,
    RuleOutcome,
    as_package,
    has_wildcard,
    resolve_expressions,
)
from boundary_lint.rules.outlines import resolved, stacked


def check(spec: ForbiddenSpec, context: RuleContext) -> RuleOutcome:
    graph = context.graph
    sources = resolve_expressions(graph, spec.source_modules, "source_modules")
    forbidden = _forbidden_modules(spec, context)

    def members(module: str) -> frozenset[str]:
        return frozenset(as_package(graph, module) if spec.as_packages else {module})

    # Sources that overlap a forbidden module are not forbidden from importing it (as in
    # import-linter); forbidden modules with the same overlapping sources are searched together.
    # Each search's sources are every source's members but the overlapping sources' own, a
    # view rather than a copy: "every integration may import no other" (import-linter issue
    # 260) has as many source sets as integrations, each nearly all of the modules.
    all_members = frozenset().union(*(members(s) for s in sources))
    targets_by_excluded: dict[frozenset[str], set[str]] = defaultdict(set)
    for target in forbidden:
        targets_by_excluded[_overlapping(target, sources, spec.as_packages)] |= members(target)
    # Needed only where some source is excluded: walking every source's members costs a
    # noticeable part of a large tree's check (0.17 s at 50,000 modules) otherwise.
    owners = _owners_of_shared_members(sources, members) if any(targets_by_excluded) else {}
    best: dict[tuple[str, str], tuple[str, ...]] = {}
    for excluded, targets in sorted(targets_by_excluded.items(), key=lambda kv: sorted(kv[1])):
        search_sources = _sources_without(all_members, excluded, members, owners)
        if search_sources is None:
            continue
        search = ChainSearch(graph, search_sources, targets, direct_only=spec.allow_indirect_imports)
        for source, first in search.first_hops():
            chain = search.chain(source, first)
            known = best.get((source, first))
            if known is None or (len(chain), chain[-1], chain) < (len(known), known[-1], known):
                best[(source, first)] = chain
    findings = [
        Finding(FORBIDDEN_DIRECT if len(c) == 2 else FORBIDDEN_INDIRECT, c) for _, c in sorted(best.items())
    ]
    return RuleOutcome(findings=findings)


def _overlapping(target: str, sources: Set[str], as_packages: bool) -> frozenset[str]:
    """The sources that overlap ``target``: itself, and as packages its ancestors and
    descendants."""
    found = {target} & sources
    if as_packages:
        parts = target.split(".")
        found |= {".".join(parts[:i]) for i in range(1, len(parts))} & sources
        found |= {s for s in sources if s.startswith(target + ".")}
    return frozenset(found)


def _owners_of_shared_members(
    sources: Set[str], members: Callable[[str], frozenset[str]]
) -> dict[str, set[str]]:
    """For each module belonging to more than one source (as packages, ``a`` and ``a.b``),
    the sources it belongs to."""
    owners: dict[str, set[str]] = defaultdict(set)
    for source in sources:
        for module in members(source):
            owners[module].add(source)
    return {module: found for module, found in owners.items() if len(found) > 1}


def _sources_without(
    all_members: frozenset[str],
    excluded: frozenset[str],
    members: Callable[[str], frozenset[str]],
    owners: dict[str, set[str]],
) -> Set[str] | None:
    """The members of every source but the excluded ones (a module that another source also
    holds stays), or None if there are none."""
    if not excluded:
        return all_members or None
    removed = {m for e in excluded for m in members(e) if m not in owners or owners[m] <= excluded}
    if all_members <= removed:
        return None
    return Excluding(all_members, removed)


def _forbidden_modules(spec: ForbiddenSpec, context: RuleContext) -> set[str]:
    graph = context.graph
    modules: set[str] = set()
    for expression in spec.forbidden_modules:
        if has_wildcard(expression):
            modules |= set(graph.find_matching_modules(expression))
        elif context.is_internal(expression):
            modules |= resolve_expressions(graph, [expression], "forbidden_modules")
        elif not context.include_external_packages:
            raise ContractError(
                "forbidden_modules",
                f"{expression!r} is outside the root packages: set include_external_packages = true "
                "to forbid external packages",
            )
        elif "." in expression:
            raise ContractError(
                "forbidden_modules",
                f"{expression!r}: only whole external packages can be forbidden, not their submodules",
            )
        elif expression in graph.modules:
            modules.add(expression)
    return modules


def outline(spec: ForbiddenSpec, graph: grimp.ImportGraph) -> Diagram:
    """The source modules above the forbidden modules."""
    rows = [resolved(graph, spec.source_modules), resolved(graph, spec.forbidden_modules)]
    return stacked(rows, ("source modules", "forbidden modules"), allowed=False)
