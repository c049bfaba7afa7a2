"""``moved``: no reference to a module's old path, in any form: imports (absolute, relative,
aliased), dotted attribute chains, and strings (mock.patch targets, config defaults,
importutils paths). Stale references keep arriving from open reviews long after a move."""

from __future__ import annotations

from boundary_lint.config import Move, MovedSpec
from boundary_lint.graph.references import ATTRIBUTE, IMPORT, STRING
from boundary_lint.rules.common import Finding, RuleContext, RuleOutcome

CODES = {IMPORT: "BND201", ATTRIBUTE: "BND202", STRING: "BND203"}
WHAT = {IMPORT: "imports", ATTRIBUTE: "uses", STRING: "names in a string"}


def find_move(name: str, moves: tuple[Move, ...]) -> Move | None:
    """The move whose old path is ``name`` or a package of it (the longest such)."""
    matches = [m for m in moves if name == m.old or name.startswith(m.old + ".")]
    return max(matches, key=lambda m: len(m.old), default=None)


def renamed(name: str, move: Move) -> str:
    return move.new + name[len(move.old):]


def check(spec: MovedSpec, context: RuleContext) -> RuleOutcome:
    assert context.references is not None
    outcome = RuleOutcome()
    for module in sorted(context.references.module_files):
        for reference in context.references.of(module):
            if reference.kind not in CODES:
                continue
            move = find_move(reference.name, spec.moves)
            if move is None:
                continue
            detail = f"{module} {WHAT[reference.kind]} {reference.name} (now {renamed(reference.name, move)})"
            outcome.findings.append(
                Finding(CODES[reference.kind], (module,), detail, reference.line, reference.column, reference.name)
            )
    return outcome
