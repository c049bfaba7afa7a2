"""Human output: each contract kept or broken, each chain drawn with its lines, a summary.

Text from the repository is escaped as in the concise format (``printable`` file paths,
``inert`` names and messages): one item never becomes two lines, and never restyles the
terminal or reorders what is read."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from boundary_lint.escaping import inert, line_head, printable
from boundary_lint.formatters.findings import fixed_notes, shortened, summary_line
from boundary_lint.report import ContractResult, Hop, Report, Violation

Styler = Callable[[str, str], str]

_COLORS = {"red": "31", "green": "32", "yellow": "33", "bold": "1", "dim": "2"}


class _Style:
    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    def __call__(self, text: str, color: str) -> str:
        return f"\033[{_COLORS[color]}m{text}\033[0m" if self.enabled else text


PLAIN = _Style(False)


def render(report: Report, color: bool = False) -> str:
    style = _Style(color)
    out: list[str] = []
    for error in report.errors:
        where = f"{printable(error.path)}:{error.line or 1}: " if error.path else ""
        out.append(style(f"error {error.code}", "red") + f" {where}{inert(shortened(error.message))}")
    if report.errors:
        out.append("")
    for contract in report.contracts:
        out.extend(_contract(contract, style))
    out.extend(f"note: {inert(n)}" for n in report.notes)
    out.extend(f"note: {printable(f.path)}:{f.line}: {inert(f.message)}" for f in fixed_notes(report))
    out.append(style(summary_line(report), "green" if report.kept else "red"))
    return "\n".join(out) + "\n"


def _contract(contract: ContractResult, style: _Style) -> list[str]:
    status = style("KEPT  ", "green") if contract.kept else style("BROKEN", "red")
    out = [f"{status} {style(inert(contract.name), 'bold')} [{inert(contract.id)}, {inert(contract.type)}]"]
    if contract.instructions and not contract.kept:
        out.extend(
            f"  instructions: {inert(line)}" for line in contract.instructions.splitlines() if line.strip()
        )
    for problem in (*contract.findings, *contract.errors):
        out.append(f"  {style(problem.code, 'red')} {inert(shortened(problem.message))}")
    for warning in contract.warnings:
        out.append(f"  {style('warning', 'yellow')} {inert(warning)}")
    for violation in contract.active_violations:
        out.extend(_violation(violation, style))
    out.extend(_root_causes(contract, style))
    suppressed = sum(v.suppressed for v in contract.violations)
    baselined = sum(v.baselined and not v.suppressed for v in contract.violations)
    if suppressed:
        out.append(style(f"  ({suppressed} suppressed by noqa)", "dim"))
    if baselined:
        out.append(style(f"  ({baselined} known in the baseline)", "dim"))
    out.append("")
    return out


ROOT_CAUSES_SHOWN = 5


def _root_causes(contract: ContractResult, style: _Style) -> list[str]:
    """The imports that gather several violations, most first: where a fix starts."""
    shared = [cause for cause in contract.root_causes() if len(cause.violations) > 1]
    if not shared:
        return []
    out = [
        "  root causes (an import on the chains of several violations; `boundary-lint plan` for the fewest to break):"
    ]
    width = len(str(len(shared[0].violations)))
    for cause in shared[:ROOT_CAUSES_SHOWN]:
        where = style(f"{printable(cause.path)}:{', '.join(map(str, cause.lines))}", "dim")
        count = f"{len(cause.violations):>{width}} violations"
        out.append(f"    {count}  {inert(cause.importer)} -> {inert(cause.imported)}  {where}")
    if len(shared) > ROOT_CAUSES_SHOWN:
        out.append(style(f"    ({len(shared) - ROOT_CAUSES_SHOWN} more in --format json or html)", "dim"))
    return out


def _violation(v: Violation, style: _Style) -> list[str]:
    kind = "imports" if len(v.chain) <= 1 else "imports, through a chain,"
    where = f"  {line_head(v.path)}:{v.line}:{v.column}: {style(v.code, 'red')}"
    if not v.chain:
        return [f"{where} {inert(shortened(v.message))}"]
    head = f"{where} {inert(v.importer)} {kind} {inert(v.imported)}"
    return [head, *chain_lines(v.chain, style, reported_first=True)]


def chain_lines(hops: Sequence[Hop], style: Styler = PLAIN, reported_first: bool = False) -> list[str]:
    """One line a hop: the import, then its importer's file and the lines it is made on (for
    the first hop of a violation, only the reported line)."""
    arrows = [f"{inert(h.importer)} -> {inert(h.imported)}" for h in hops]
    width = max(map(len, arrows))
    out = []
    for hop, arrow in zip(hops, arrows):
        lines = str(hop.line) if reported_first and hop is hops[0] else ", ".join(map(str, hop.lines))
        out.append(f"      {arrow:<{width}}  {style(f'{printable(hop.path)}:{lines}', 'dim')}")
    return out
