"""``independence``: the listed modules must not import each other, directly or indirectly."""

from __future__ import annotations

import itertools
from collections import defaultdict

import grimp

from boundary_lint.codes import INDEPENDENCE_DIRECT, INDEPENDENCE_INDIRECT
from boundary_lint.config import IndependenceSpec
from boundary_lint.report import Diagram
from boundary_lint.rules.chains import ChainSearch, Excluding
from boundary_lint.rules.common import (
    Finding,
    RuleContext,
    RuleOutcome,
    as_package,
    check_no_shared_descendants,
    resolve_expressions,
)
from boundary_lint.rules.outlines import resolved, stacked


def check(spec: IndependenceSpec, context: RuleContext) -> RuleOutcome:
    graph = context.graph
    modules = sorted(resolve_expressions(graph, spec.modules, "modules"))
    check_no_shared_descendants(modules, "modules")
    listed = frozenset().union(*(as_package(graph, m) for m in modules))
    # Every other listed module's package imports this one illegally: one search per module,
    # whose chains may not pass through any listed package (such a chain is that package's).
    searches = [
        ChainSearch(graph, Excluding(listed, as_package(graph, m)), as_package(graph, m), listed)
        for m in modules
    ]
    owner = {member: m for m in modules for member in as_package(graph, m)}
    outcome = RuleOutcome(findings=_nearest(searches, modules, owner))
    outcome.findings.sort(key=lambda f: f.chain)
    return outcome


def _nearest(searches: list[ChainSearch], modules: list[str], owner: dict[str, str]) -> list[Finding]:
    """One finding per first hop (source, reached) that begins a chain to another listed
    package: the nearest, as NearestFindings chooses (the shortest chain, then the lowest end,
    then the first chain in name order). Found per reached module, not per search: a module
    that many searches reach (Home Assistant's config_entries reaches most integrations) has
    its importers looked at once, not once per search (700,000 pairs there)."""
    reaching: dict[str, list[tuple[int, int]]] = defaultdict(list)  # reached -> (distance, search)
    for number, search in enumerate(searches):
        for reached, distance in search.distance.items():
            reaching[reached].append((distance, number))
    findings = []
    for reached, entries in reaching.items():
        best = _two_nearest(searches, reached, entries)
        for source in searches[best[0]].adjacency.importers_of(reached):
            package = owner.get(source)
            if package is None:  # not listed: an interior module, not a source
                continue
            # A source is every search's but its own package's: the nearest, else the next.
            chosen = best[0] if modules[best[0]] != package else (best[1] if len(best) > 1 else None)
            if chosen is not None:
                chain = searches[chosen].chain(source, reached)
                code = INDEPENDENCE_DIRECT if len(chain) == 2 else INDEPENDENCE_INDIRECT
                findings.append(Finding(code, chain))
    return findings


def _two_nearest(searches: list[ChainSearch], reached: str, entries: list[tuple[int, int]]) -> list[int]:
    """The two searches (of distinct modules) whose chains from ``reached`` rank first: by
    length, end and the chain itself. Only the nearest distances' chains are built."""
    entries.sort()
    ranked: list[int] = []
    for _, group in itertools.groupby(entries, key=lambda entry: entry[0]):
        tails = [(searches[n].chain("", reached)[1:], n) for _, n in group]
        ranked.extend(n for _, n in sorted(tails, key=lambda tail: (tail[0][-1], tail[0])))
        if len(ranked) >= 2:
            break
    return ranked[:2]


def outline(spec: IndependenceSpec, graph: grimp.ImportGraph) -> Diagram:
    """The modules on one row."""
    return stacked([resolved(graph, spec.modules)], ("independent modules",), allowed=False)
