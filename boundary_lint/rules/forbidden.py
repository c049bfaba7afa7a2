"""``forbidden``: source modules must not import forbidden modules, directly or indirectly."""

from __future__ import annotations

from collections import defaultdict

from boundary_lint.config import ForbiddenSpec
from boundary_lint.rules.chains import ChainSearch
from boundary_lint.rules.common import (
    ContractError,
    Finding,
    RuleContext,
    RuleOutcome,
    as_package,
    has_wildcard,
    resolve_expressions,
)

DIRECT, INDIRECT = "BND101", "BND102"


def check(spec: ForbiddenSpec, context: RuleContext) -> RuleOutcome:
    graph = context.graph
    sources = resolve_expressions(graph, spec.source_modules, "source_modules")
    forbidden = _forbidden_modules(spec, context)

    def members(module: str) -> frozenset[str]:
        return frozenset(as_package(graph, module) if spec.as_packages else {module})

    # Sources that overlap a forbidden module are not forbidden from importing it (as in
    # import-linter); forbidden modules sharing the same sources are searched together.
    targets_by_sources: dict[frozenset[str], set[str]] = defaultdict(set)
    for target in forbidden:
        allowed_sources = [s for s in sources if not _overlap(s, target, spec.as_packages)]
        source_modules = frozenset().union(*(members(s) for s in allowed_sources))
        if source_modules:
            targets_by_sources[source_modules] |= members(target)
    best: dict[tuple[str, str], tuple[str, ...]] = {}
    for source_modules, targets in sorted(targets_by_sources.items(), key=lambda kv: sorted(kv[1])):
        search = ChainSearch(graph, source_modules, targets, direct_only=spec.allow_indirect_imports)
        for source, first in search.first_hops():
            chain = search.chain(source, first)
            known = best.get((source, first))
            if known is None or (len(chain), chain[-1], chain) < (len(known), known[-1], known):
                best[(source, first)] = chain
    findings = [Finding(DIRECT if len(c) == 2 else INDIRECT, c) for _, c in sorted(best.items())]
    return RuleOutcome(findings=findings)


def _overlap(source: str, target: str, as_packages: bool) -> bool:
    if source == target:
        return True
    return as_packages and (source.startswith(target + ".") or target.startswith(source + "."))


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
