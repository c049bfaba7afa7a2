"""Rule outcomes kept from one check to the next, for a graph made from the last one checked by
changing some modules' imports (``ProjectGraph.with_sources``: the language server's edits).

A contract whose rule reads the graph only through chain searches and the set of modules
(forbidden, independence, layers) can only find something else if a changed module ``m`` can
touch one of its searches: ``m`` is a source (its imports may begin a chain), or ``m`` already
leads to a target (its imports may be on a chain), or ``m`` now imports a module that leads to
one. Otherwise every search would find the same modules at the same distances and the same
chains, so the outcome (chains of module names) is the same; the engine still makes each
finding's lines and ``noqa`` from the new graph and texts. A contract with ``ignore_imports``
is never kept: whether an entry matches an import depends on every changed import.

A contract searched again takes, search by search, the last check's answers where the changes
cannot alter them (``ChainSearch.take``): a changed module that is a source, target or blocked
module of a search is never interior to its chains, so its distances and chains stay and only
that module's first hops are found again (benchmarks/lsp_latency.py at 50,000 modules edits a
source of the layers and forbidden searches: its check 156 ms -> 44 ms, in process).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Set
from dataclasses import dataclass

from boundary_lint.config import ContractSpec
from boundary_lint.config.registry import contract_type_of
from boundary_lint.graph.builder import ProjectGraph
from boundary_lint.rules.chains import Answers, ChainSearch, offering, recording_searches
from boundary_lint.rules.common import RuleOutcome

# Rule modules that read the graph only through ChainSearch and module sets (audited).
SEARCH_ONLY_RULES = frozenset(
    {"boundary_lint.rules.forbidden", "boundary_lint.rules.independence", "boundary_lint.rules.layers"}
)


@dataclass(frozen=True)
class _Searched:
    sources: Set[str]
    targets: Set[str]
    shape: tuple[int, bool]  # how many blocked modules; direct_only
    answers: Answers

    @property
    def reaching(self) -> Mapping[str, int]:  # the targets and every module that leads to one
        return self.answers.distance

    def touched_by(self, module: str, imports: Set[str]) -> bool:
        return module in self.sources or module in self.reaching or not imports.isdisjoint(self.reaching)

    def same_inputs(self, search: ChainSearch) -> bool:
        """A rule of SEARCH_ONLY_RULES chooses its searches' inputs from the contract and the
        set of modules alone, which a derivation keeps: its n-th search has the inputs of the
        n-th of its last run. Checked all the same where it is cheap: the targets, the number of
        blocked modules, direct_only (the sources may be a view whose size is a walk over it)."""
        return _shape(search) == self.shape and search.targets == self.targets


def _searched(search: ChainSearch) -> _Searched:
    return _Searched(search.sources, search.targets, _shape(search), search.answers())


def _shape(search: ChainSearch) -> tuple[int, bool]:
    return len(search.blocked), search.direct_only


@dataclass(frozen=True)
class _Kept:
    spec: ContractSpec
    outcome: RuleOutcome
    searches: tuple[_Searched, ...]


class CheckMemo:
    """What the last check found, per contract, kept for the next (holds no graph)."""

    def __init__(self) -> None:
        self._generation: int | None = None
        self._kept: dict[str, _Kept] = {}
        # The changed modules' imports in the graph being checked; None: nothing is reusable.
        self._changes: dict[str, Set[str]] | None = None

    def begin(self, project: ProjectGraph) -> None:
        """Start a check of ``project``."""
        derivation = project.derivation
        if derivation is not None and derivation.parent == self._generation:
            self._changes = {
                m: project.graph.find_modules_directly_imported_by(m) for m in derivation.changed
            }
        else:
            self._changes = None
            self._kept.clear()
        self._generation = project.generation

    def outcome(self, spec: ContractSpec, run: Callable[[], RuleOutcome]) -> RuleOutcome:
        """The last check's outcome for ``spec`` if the changes cannot affect it, else ``run()``
        (kept for the next check if its rule is one of SEARCH_ONLY_RULES)."""
        kept = self._kept.pop(spec.id, None)
        earlier: tuple[_Searched, ...] = ()
        if kept is not None and kept.spec is spec and self._changes is not None:
            if not self._touched(kept):
                self._kept[spec.id] = kept
                return kept.outcome
            earlier = kept.searches
        with recording_searches() as searches, offering(self._offer(earlier)):
            outcome = run()  # a ContractError leaves nothing kept
        # ignore_imports entries are matched against the imports themselves (one that matches
        # nothing is reported): a contract with any is searched again on every change.
        if contract_type_of(spec).rules in SEARCH_ONLY_RULES and not spec.ignore_imports:
            searched = tuple(_searched(s) for s in searches)
            self._kept[spec.id] = _Kept(spec, outcome, searched)
        return outcome

    def _offer(self, earlier: Iterable[_Searched]) -> Callable[[ChainSearch], bool]:
        """Each search of a contract searched again takes the answers of its counterpart in the
        last check if the changes cannot alter them (``ChainSearch.take``)."""
        counterparts = iter(earlier)
        changes = self._changes or {}

        def offer(search: ChainSearch) -> bool:
            counterpart = next(counterparts, None)
            return (
                counterpart is not None
                and counterpart.same_inputs(search)
                and search.take(counterpart.answers, changes)
            )

        return offer

    def _touched(self, kept: _Kept) -> bool:
        assert self._changes is not None
        return any(s.touched_by(m, imports) for s in kept.searches for m, imports in self._changes.items())
