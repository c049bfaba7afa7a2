"""A self-contained HTML report: inline CSS and an inline SVG diagram per contract, the summary,
and every violation with its chain hop by hop. Nothing is fetched (no scripts, fonts or URLs),
so the file can be archived as a CI artifact and opened or printed anywhere."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import PurePath

from boundary_lint.escaping import html_text
from boundary_lint.formatters import diagram
from boundary_lint.formatters.findings import fixed_notes, plural, summary_line
from boundary_lint.formatters.plan import statements
from boundary_lint.report import ContractPlan, ContractResult, Hop, Problem, Report, Violation

Cut = frozenset[tuple[str, str]]  # a contract's planned imports, (importer, imported)
NO_CUT: Cut = frozenset()

CSS = """
:root { --red: #c62828; --green: #2e7d32; --grey: #757575; --line: #e0e0e0; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1240px; padding: 24px; color: #212121; background: #fff;
       font: 14px/1.45 'DejaVu Sans', 'Helvetica Neue', Arial, sans-serif; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 0 0 4px; }
code, .mono, .chain, .where { font-family: 'DejaVu Sans Mono', Menlo, Consolas, monospace; font-size: 12.5px; }
.meta { color: var(--grey); margin: 0 0 12px; }
.summary { font-weight: bold; padding: 8px 12px; border-radius: 4px; }
.summary.kept { background: #e8f5e9; color: var(--green); }
.summary.broken { background: #ffebee; color: var(--red); }
.badge { display: inline-block; min-width: 64px; text-align: center; font-size: 12px; font-weight: bold;
         padding: 1px 6px; border-radius: 3px; color: #fff; vertical-align: 2px; }
.badge.kept { background: var(--green); }
.badge.broken { background: var(--red); }
table { border-collapse: collapse; width: 100%; }
table.violations { table-layout: fixed; }
table.violations col.code { width: 130px; }
table.violations col.where { width: 36%; }
td { overflow-wrap: anywhere; }
th, td { text-align: left; vertical-align: top; padding: 5px 8px; border-bottom: 1px solid var(--line); }
th { font-size: 12px; color: var(--grey); font-weight: normal; text-transform: uppercase; }
td.number { text-align: right; font-variant-numeric: tabular-nums; }
section.contract { margin-top: 32px; padding-top: 12px; border-top: 3px solid var(--line); }
section.contract.broken { border-top-color: var(--red); }
figure { margin: 12px 0; overflow-x: auto; }
svg.diagram { max-width: 100%; height: auto; }
.legend { color: var(--grey); font-size: 12px; margin: 4px 0 12px; }
.legend .swatch { display: inline-block; width: 28px; vertical-align: middle; margin: 0 4px 0 12px;\
 border-top: 2px solid; }
.legend .allowed { border-color: #9e9e9e; }
.legend .illegal { border-color: var(--red); }
.code { color: var(--red); font-weight: bold; white-space: nowrap; }
ol.chain { margin: 0; padding-left: 20px; }
ol.chain li { margin: 0; }
.arrow { color: var(--red); }
.loc { color: var(--grey); }
tr.quiet td { color: var(--grey); }
tr.quiet .code { color: var(--grey); }
.tag { font-size: 11px; border: 1px solid var(--grey); border-radius: 3px; padding: 0 4px; margin-left: 6px; }
.problem { color: var(--red); }
.instructions { white-space: pre-line; background: #fff8e1; padding: 6px 10px; border-radius: 4px; }
details.group { border-bottom: 1px solid var(--line); }
details.group summary { cursor: pointer; padding: 6px 4px; }
details.group[open] summary { font-weight: bold; }
.nothing { color: var(--grey); font-style: italic; }
@media print {
  body { padding: 0; max-width: none; }
  section.contract { break-before: auto; }
  tr, figure { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
}
"""

# Only pages with a plan carry these rules: the check page stays as it is.
PLAN_CSS = """
:root { --purple: #6a1b9a; }
div.plan { border-left: 4px solid var(--purple); background: #f3e5f5; padding: 6px 12px; margin: 8px 0 12px; }
div.plan h3 { font-size: 15px; margin: 2px 0 6px; color: var(--purple); }
ol.cut { margin: 0 0 4px; padding-left: 22px; }
ol.cut li { margin: 2px 0; }
.removes { color: var(--purple); font-weight: bold; margin-left: 6px; }
.break-here { display: inline-block; font-size: 11px; font-weight: bold; color: #fff; background: var(--purple);
              border-radius: 3px; padding: 0 5px; margin-left: 6px; }
ol.chain li.cut { background: #f3e5f5; outline: 1px dashed var(--purple); }
.legend .cut { border-color: var(--purple); border-top-style: dashed; }
"""


def render(report: Report, color: bool = False) -> str:
    return page(report, violations=True)


def page(report: Report, *, violations: bool, plans: Sequence[ContractPlan] | None = None) -> str:
    """The whole report; without ``violations``, only the summary and the diagrams. With
    ``plans``, each planned contract's cut too: drawn in its diagram, and with ``violations``
    listed at the top of its section and marked "break here" on the chains."""
    state = "kept" if report.kept else "broken"
    by_id = {plan.id: plan for plan in plans or ()}
    heading = "contracts" if not violations else "plan" if plans is not None else "report"
    body = [
        "<header>",
        f"<h1>boundary-lint {heading}</h1>",
        f'<p class="meta">boundary-lint {html_text(report.tool_version)} &middot; '
        f"{html_text(_project_name(report))} &middot; "
        f"{report.modules} modules, {report.imports} imports</p>",
        f'<p class="summary {state}">{html_text(summary_line(report))}</p>',
        "</header>",
        _contracts_table(report),
    ]
    if report.errors:
        body.append("<section><h2>Errors</h2>" + _problems(report.errors) + "</section>")
    for number, contract in enumerate(report.contracts):
        body.append(_contract(contract, number, violations, by_id.get(contract.id)))
    body.extend(f'<p class="meta">note: {html_text(note)}</p>' for note in report.notes)
    body.extend(
        f'<p class="meta">note: {html_text(f"{f.path}:{f.line}: {f.message}")}</p>'
        for f in fixed_notes(report)
    )
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>boundary-lint: {html_text(summary_line(report))}</title>\n"
        f"<style>{CSS}{PLAN_CSS if plans is not None else ''}</style>\n</head>\n"
        "<body>\n" + "\n".join(body) + "\n</body>\n</html>\n"
    )


def _project_name(report: Report) -> str:
    """The project root's own name: the page is shared, the machine's directories are not."""
    return PurePath(report.root).name or report.root


def _contracts_table(report: Report) -> str:
    rows = []
    for number, c in enumerate(report.contracts):
        suppressed = sum(v.suppressed for v in c.violations)
        baselined = sum(v.baselined and not v.suppressed for v in c.violations)
        rows.append(
            f'<tr>{_badge(c)}<td><a href="#contract-{number}">{html_text(c.name)}</a> '
            f'<span class="meta mono">{html_text(c.id)}</span></td><td>{html_text(c.type)}</td>'
            f'<td class="number">{len(c.active_violations)}</td><td class="number">{suppressed}</td>'
            f'<td class="number">{baselined}</td><td class="number">{len(c.errors)}</td></tr>'
        )
    head = (
        "<tr><th>status</th><th>contract</th><th>type</th><th>violations</th>"
        "<th>suppressed</th><th>baselined</th><th>errors</th></tr>"
    )
    return f'<table class="contracts"><thead>{head}</thead><tbody>{"".join(rows)}</tbody></table>'


def _badge(contract: ContractResult) -> str:
    state = "kept" if contract.kept else "broken"
    return f'<td><span class="badge {state}">{state.upper()}</span></td>'


def _contract(contract: ContractResult, number: int, violations: bool, plan: ContractPlan | None) -> str:
    state = "kept" if contract.kept else "broken"
    cut: Cut = frozenset((c.importer, c.imported) for c in plan.cut) if plan else NO_CUT
    picture = diagram.view(contract)
    if cut:
        picture = diagram.with_cuts(picture, cut)
    svg = diagram.to_svg(picture, id_prefix=f"d{number}")
    parts = [
        f'<section class="contract {state}" id="contract-{number}">',
        f'<h2><span class="badge {state}">{state.upper()}</span> {html_text(contract.name)}</h2>',
        f'<p class="meta"><span class="mono">{html_text(contract.id)}</span> &middot; '
        f"{html_text(contract.type)} &middot; "
        f"{plural(len(contract.active_violations), 'violation')}</p>",
    ]
    if plan is not None and violations:
        parts.append(_plan(plan))
    if contract.instructions and not contract.kept:
        parts.append(f'<p class="instructions"><b>instructions:</b> {html_text(contract.instructions)}</p>')
    if svg:
        parts.append(f"<figure>{svg}</figure>")
        parts.append(
            '<p class="legend"><span class="swatch allowed"></span>allowed direction'
            '<span class="swatch illegal"></span>illegal dependency, with its number of violations (import lines)'
            + (
                '<span class="swatch cut"></span>the plan breaks imports here, with their number'
                if picture.cuts
                else ""
            )
            + "</p>"
        )
    else:
        parts.append('<p class="nothing">No modules to draw for this contract.</p>')
    if picture.undrawn:
        parts.append(
            f'<p class="meta">{plural(picture.undrawn, "violation")} not drawn: no contract member at '
            "their end (a module in no layer, a name in a string, a module importing itself).</p>"
        )
    if picture.unplaced_cuts:
        parts.append(
            f'<p class="meta">{plural(len(picture.unplaced_cuts), "cut import")} not drawn (no arrow between two '
            f"boxes): {html_text('; '.join(picture.unplaced_cuts))}</p>"
        )
    if contract.findings or contract.errors:
        parts.append(_problems([*contract.findings, *contract.errors]))
    parts.extend(f'<p class="meta">warning: {html_text(w)}</p>' for w in contract.warnings)
    if violations and contract.violations:
        parts.append(_grouped_violations(contract, cut))
    parts.append("</section>")
    return "\n".join(parts)


def _plan(plan: ContractPlan) -> str:
    """The contract's cut, ranked: each import with its statements and what it alone removes."""
    if plan.unplanned:
        return f'<p class="meta">no plan: {html_text(plan.unplanned)}</p>'
    if not plan.cut:
        return '<p class="meta">plan: no import to break</p>'
    bound = "a minimum" if plan.exact else "an upper bound (union of exact per-part cuts)"
    items = "".join(
        f'<li class="cut" data-import="{html_text(f"{c.importer} -> {c.imported}")}">'
        f'<span class="mono">{html_text(c.importer)}</span> <span class="arrow">&rarr;</span> '
        f'<span class="mono">{html_text(c.imported)}</span> <span class="loc">{html_text(statements(c))}</span>'
        f'<span class="removes">removes {c.removes}</span></li>'
        for c in plan.cut
    )
    return (
        f'<div class="plan"><h3>Plan: break {plural(len(plan.cut), "import")}, {bound}</h3>'
        f'<ol class="cut">{items}</ol><p class="legend">removes N: breaking that import alone removes N '
        f"violations. {_BREAK_HERE} marks each of these imports on the chains below. "
        "Verified: the contract is kept with these imports ignored.</p></div>"
    )


def _grouped_violations(contract: ContractResult, cut: Cut) -> str:
    """The violations under their root causes, most first, then those on no import and those
    suppressed or baselined: each group collapsed, its summary the place to fix."""
    groups = []
    for cause in contract.root_causes():
        lines = ", ".join(map(str, cause.lines))
        summary = (
            f"{plural(len(cause.violations), 'violation')} through "
            f'<span class="mono">{html_text(cause.importer)}</span> <span class="arrow">&rarr;</span> '
            f'<span class="mono">{html_text(cause.imported)}</span> '
            f'<span class="loc">{html_text(cause.path)}:{lines}</span>'
            + (_BREAK_HERE if (cause.importer, cause.imported) in cut else "")
        )
        groups.append((summary, list(cause.violations)))
    unchained = [v for v in contract.active_violations if not v.chain]
    if unchained:
        groups.append((f"{plural(len(unchained), 'violation')} on no import", unchained))
    quiet = [v for v in contract.violations if not v.active]
    if quiet:
        groups.append((f"{plural(len(quiet), 'violation')} suppressed or baselined", quiet))
    return "".join(
        f'<details class="group"><summary>{summary}</summary>{_violations(members, cut)}</details>'
        for summary, members in groups
    )


def _violations(violations: list[Violation], cut: Cut) -> str:
    columns = '<colgroup><col class="code"><col class="where"><col></colgroup>'
    head = "<tr><th>code</th><th>where</th><th>chain (each import, in its file)</th></tr>"
    rows = "".join(_violation(v, cut) for v in violations)
    return f'<table class="violations">{columns}<thead>{head}</thead><tbody>{rows}</tbody></table>'


def _violation(v: Violation, cut: Cut) -> str:
    tags = (' <span class="tag">noqa</span>' if v.suppressed else "") + (
        ' <span class="tag">baseline</span>' if v.baselined and not v.suppressed else ""
    )
    quiet = "" if v.active else " quiet"
    if v.chain:
        hops = "".join(_hop(hop, index == 0, cut) for index, hop in enumerate(v.chain))
        detail = f'<ol class="chain">{hops}</ol>'
        if v.detail:
            detail += f'<div class="meta">{html_text(v.detail)}</div>'
    else:
        detail = f'<div class="mono">{html_text(v.message)}</div>'
    return (
        f'<tr class="violation{quiet}"><td class="code">{html_text(v.code)}{tags}</td>'
        f'<td class="where">{html_text(v.path)}:{v.line}:{v.column}</td><td>{detail}</td></tr>'
    )


_BREAK_HERE = '<span class="break-here">break here</span>'


def _hop(hop: Hop, first: bool, cut: Cut) -> str:
    lines = str(hop.line) if first else ", ".join(map(str, hop.lines))
    planned = (hop.importer, hop.imported) in cut
    return (
        ('<li class="cut">' if planned else "<li>")
        + f'<span class="mono">{html_text(hop.importer)}</span> <span class="arrow">&rarr;</span> '
        f'<span class="mono">{html_text(hop.imported)}</span> '
        f'<span class="loc">{html_text(hop.path)}:{lines}</span>{_BREAK_HERE if planned else ""}</li>'
    )


def _problems(problems: list[Problem]) -> str:
    items = "".join(
        f'<li class="problem"><span class="code">{html_text(p.code)}</span> '
        + (f'<span class="where">{html_text(p.path)}:{p.line or 1}</span> ' if p.path else "")
        + f"{html_text(p.message)}</li>"
        for p in problems
    )
    return f"<ul>{items}</ul>"
