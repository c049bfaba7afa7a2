"""``boundary-lint plan``: for each broken contract, the fewest direct imports to break, ranked
by the violations each removes, verified by the engine before it is printed."""

from __future__ import annotations

import argparse
import sys

from boundary_lint.commands.common import EXIT_OK, add_config_argument, load

FORMATS = ("text", "json", "toml")


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
    render = {"text": formats.to_text, "json": formats.to_json, "toml": formats.to_toml}[args.format]
    sys.stdout.write(render(plans))
    return EXIT_OK
