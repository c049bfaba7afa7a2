"""``boundary-lint plan``: for each broken contract, the fewest direct imports to break, ranked
by the violations each removes, verified by the engine before it is printed."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from boundary_lint.commands.common import EXIT_OK, add_config_argument, load

if TYPE_CHECKING:
    from boundary_lint.config import Config
    from boundary_lint.report import ContractPlan

FORMATS = ("text", "json", "toml", "html")


def add_parser(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = commands.add_parser("plan", help="the fewest imports to break to keep each broken contract")
    add_config_argument(parser)
    parser.add_argument(
        "--contract", action="append", default=[], metavar="ID", help="plan only this contract (repeatable)"
    )
    parser.add_argument("--format", choices=FORMATS, default="text")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from boundary_lint.engine import CheckOptions, load_graph, select_contracts
    from boundary_lint.formatters import plan as formats
    from boundary_lint.planning.plan import plan_contracts

    config = load(args)
    specs = select_contracts(config, args.contract)
    plans = plan_contracts(config, load_graph(config, CheckOptions()), specs)
    if args.format == "html":
        sys.stdout.write(_page(config, args.contract, plans))
        return EXIT_OK
    render = {"text": formats.to_text, "json": formats.to_json, "toml": formats.to_toml}[args.format]
    sys.stdout.write(render(plans))
    return EXIT_OK


def _page(config: Config, contract_ids: list[str], plans: list[ContractPlan]) -> str:
    """The HTML report of the planned contracts, each with its cut (check's report, cached)."""
    from boundary_lint.engine import CheckOptions, check
    from boundary_lint.formatters.html import page

    return page(check(config, CheckOptions(contract_ids=contract_ids)), violations=True, plans=plans)
