"""The report: plain data that the engine returns and every formatter reads."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Hop:
    """One direct import of a chain; ``line`` is the first of ``lines``, or the reported one."""

    importer: str
    imported: str
    path: str
    line: int
    lines: tuple[int, ...]


@dataclass(frozen=True)
class Violation:
    """An import statement that begins an illegal chain."""

    code: str
    contract: str
    message: str
    importer: str
    imported: str
    path: str
    line: int
    column: int
    chain: tuple[Hop, ...]
    imported_path: str = ""  # the file of ``imported`` ("" for an external package)
    suppressed: bool = False  # by a noqa comment
    baselined: bool = False  # known in the baseline file
    # What the message says beyond the chain (why it breaks the contract: "b depends back on
    # a", "through a dynamic import"), for formatters that show the chain themselves.
    detail: str = ""

    @property
    def active(self) -> bool:
        return not self.suppressed and not self.baselined

    def sort_key(self) -> tuple[str, int, int, str, str, str]:
        return (self.path, self.line, self.column, self.code, self.imported, self.contract)


@dataclass(frozen=True)
class RootCause:
    """A direct import and the violations grouped under it: each violation (with a chain) under
    the import of its reported chain that is on the most of the contract's chains (ties: the
    earlier on the chain), so an import shared by many chains gathers them. Breaking it removes
    those chains; whether the violations go too depends on their other chains (``plan`` says)."""

    importer: str
    imported: str
    path: str  # the importer's file
    lines: tuple[int, ...]
    violations: tuple[Violation, ...]


def root_causes(violations: Iterable[Violation]) -> list[RootCause]:
    """The root causes of these violations, most violations first (ties by import name)."""
    chained = [v for v in violations if v.chain]
    counts: dict[tuple[str, str], int] = {}  # import -> the chains it is on
    get = counts.get
    for violation in chained:
        chain = violation.chain
        if len(chain) == 1:  # its one import, without making a set
            edge = (chain[0].importer, chain[0].imported)
            counts[edge] = get(edge, 0) + 1
            continue
        for edge in {(h.importer, h.imported) for h in chain}:
            counts[edge] = get(edge, 0) + 1
    groups: dict[tuple[str, str], list[Violation]] = defaultdict(list)
    hops: dict[tuple[str, str], Hop] = {}
    for violation in chained:
        hop = _most_shared(violation.chain, counts)
        edge = (hop.importer, hop.imported)
        groups[edge].append(violation)
        hops.setdefault(edge, hop)
    ordered = sorted(groups, key=lambda edge: (-len(groups[edge]), edge))
    return [
        RootCause(edge[0], edge[1], hops[edge].path, hops[edge].lines, tuple(groups[edge]))
        for edge in ordered
    ]


def _most_shared(chain: tuple[Hop, ...], counts: dict[tuple[str, str], int]) -> Hop:
    """The hop of ``chain`` on the most chains (``counts``); the first of equals."""
    best = chain[0]
    if len(chain) > 1:
        most = counts[(best.importer, best.imported)]
        for hop in chain[1:]:
            count = counts[(hop.importer, hop.imported)]
            if count > most:
                best, most = hop, count
    return best


@dataclass(frozen=True)
class Problem:
    """Something that stopped part of the check (BND9xx)."""

    code: str
    message: str
    path: str | None = None
    line: int | None = None


@dataclass(frozen=True)
class DiagramNode:
    """A contract member as a diagram draws it: a module (and its descendants), on a row."""

    module: str
    label: str
    row: int  # 0 at the top: a layer, or the sources above what they may not import
    group: str = ""  # the box drawn around it (a layers contract's container)


@dataclass(frozen=True)
class Diagram:
    """A contract's structure, for pictures: its members and the allowed direction between
    them (``allowed``: pairs of node modules, drawn neutral). Illegal edges are the violations'."""

    nodes: tuple[DiagramNode, ...] = ()
    allowed: tuple[tuple[str, str], ...] = ()
    rows: tuple[str, ...] = ()  # each row's caption ("layer 1", "source modules", ...)


@dataclass(frozen=True)
class FixedEntry:
    """A baseline entry that counts more violations than are found now: fixed, deletable."""

    contract: str
    code: str
    chain: tuple[str, ...]
    path: str  # the baseline file, relative to the project root when it is inside it
    line: int  # the entry's line in that file (1 when it cannot be told)

    def __str__(self) -> str:
        return f"{self.contract}: {' -> '.join(self.chain)} ({self.code})"

    @property
    def message(self) -> str:
        return f"fixed, but still in the baseline: {self} (delete the entry, or rewrite the baseline)"


@dataclass(frozen=True)
class Statement:
    path: str
    line: int


@dataclass(frozen=True)
class CutImport:
    """A direct import (module pair) of a contract's plan, with every statement that makes it.
    ``removes``: how many of the contract's violations removing it alone removes; ``violations``:
    those whose chain it is the first planned import on (its root-cause group)."""

    importer: str
    imported: str
    statements: tuple[Statement, ...]
    removes: int
    violations: tuple[Violation, ...] = ()


@dataclass(frozen=True)
class ContractPlan:
    """The fewest imports to break to keep a contract. ``exact``: a minimum (one minimum cut, or
    a union of per-part cuts no larger than the largest); otherwise an upper bound.
    ``verified``: the engine found the contract kept with the cut as ``ignore_imports``."""

    id: str
    name: str
    type: str
    violations: int
    cut: tuple[CutImport, ...] = ()
    exact: bool = True
    parts: int = 0  # the searches (contract parts) the cut breaks
    verified: bool = False
    unplanned: str = ""  # why there is no plan (a contract type the planner does not know)

    def ignore_imports(self) -> list[str]:
        return [f"{c.importer} -> {c.imported}" for c in self.cut]


# Reports are cached (as JSON, graph/cache.py); a report of another shape must not be read back as this one.
REPORT_SHAPE = "7"


@dataclass
class ContractResult:
    id: str
    name: str
    type: str
    violations: list[Violation] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # The contract is broken, but at no import line: a custom import-linter contract type gives
    # only its verdict and message (BND191, located at the configuration file).
    findings: list[Problem] = field(default_factory=list)
    instructions: str | None = None  # the contract's, shown with its violations
    diagram: Diagram = field(default_factory=Diagram)

    @property
    def active_violations(self) -> list[Violation]:
        # Violation.active, inlined: formats ask for these a few times over 30,000 violations.
        return [v for v in self.violations if not v.suppressed and not v.baselined]

    @property
    def kept(self) -> bool:
        return not self.active_violations and not self.errors and not self.findings

    def root_causes(self) -> list[RootCause]:
        """The root causes of the active violations (``root_causes``)."""
        return root_causes(self.active_violations)


@dataclass
class Report:
    tool_version: str
    root: str
    contracts: list[ContractResult] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # Size of the graph the contracts were checked on.
    modules: int = 0
    imports: int = 0
    # The baseline file applied (as FixedEntry.path), and its entries no longer found.
    baseline: str | None = None
    fixed: list[FixedEntry] = field(default_factory=list)

    @property
    def kept(self) -> bool:
        return not self.errors and all(c.kept for c in self.contracts)

    @property
    def all_errors(self) -> list[Problem]:
        return self.errors + [e for c in self.contracts for e in c.errors]

    def summary(self) -> dict[str, int]:
        violations = [v for c in self.contracts for v in c.violations]
        return {
            "contracts": len(self.contracts),
            "broken": sum(not c.kept for c in self.contracts),
            "violations": sum(v.active for v in violations),
            "suppressed": sum(v.suppressed for v in violations),
            "baselined": sum(v.baselined and not v.suppressed for v in violations),
        }
