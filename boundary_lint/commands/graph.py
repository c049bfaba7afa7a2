"""``boundary-lint graph``: the contracts' layers and modules as a diagram, illegal dependencies
in red with their number of violations. Runs the check (so the caches serve it) and prints it."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from boundary_lint.commands.common import add_config_argument, emit, fail, load

if TYPE_CHECKING:
    from boundary_lint.commands.common import Subcommands
    from boundary_lint.config import Config
    from boundary_lint.report import ContractPlan, Report
from boundary_lint.escaping import inert

FORMATS = ("dot", "mermaid", "html")


def add_parser(commands: Subcommands) -> None:
    parser = commands.add_parser("graph", help="the contracts as a diagram (dot, Mermaid or HTML)")
    add_config_argument(parser)
    parser.add_argument(
        "--contract", action="append", default=[], metavar="ID", help="draw only this contract (repeatable)"
    )
    parser.add_argument("--format", choices=FORMATS, default="dot")
    parser.add_argument(
        "--output", type=Path, metavar="FILE", help="write the diagram here instead of stdout"
    )
    parser.add_argument(
        "--plan", action="store_true", help="draw the imports `boundary-lint plan` would break (slower)"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from boundary_lint.codes import CONFIG_ERROR
    from boundary_lint.engine import CheckOptions, check
    from boundary_lint.formatters import diagram
    from boundary_lint.formatters.html import page

    config = load(args)
    report = check(config, CheckOptions(contract_ids=args.contract))
    config_errors = [e for e in report.all_errors if e.code == CONFIG_ERROR]
    if config_errors:
        for problem in config_errors[1:]:
            print(f"boundary-lint: error: {inert(problem.message)}", file=sys.stderr)
        return fail(config_errors[0].message)
    plans = _plans(config, args.contract, report) if args.plan else None
    views = [diagram.view(contract) for contract in report.contracts]
    if plans is not None:
        cuts = {plan.id: [(c.importer, c.imported) for c in plan.cut] for plan in plans}
        views = [diagram.with_cuts(v, cuts.get(c.id, ())) for v, c in zip(views, report.contracts)]
    if args.format == "dot":
        text = diagram.to_dot(views)
    elif args.format == "mermaid":
        text = diagram.to_mermaid(views)
    else:
        text = page(report, violations=False, plans=plans)
    return emit(text, args.output)


def _plans(config: Config, contract_ids: list[str], report: Report) -> list[ContractPlan]:
    """The broken contracts' plans (as ``boundary-lint plan`` makes them, verified)."""
    from boundary_lint.engine import CheckOptions, load_graph, select_contracts
    from boundary_lint.planning.plan import plan_broken

    specs = select_contracts(config, contract_ids)
    return plan_broken(config, load_graph(config, CheckOptions()), specs, report)
