"""``boundary-lint graph``: the contracts' layers and modules as a diagram, illegal dependencies
in red with their number of violations. Runs the check (so the caches serve it) and prints it."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from boundary_lint.commands.common import EXIT_OK, add_config_argument, fail, load

if TYPE_CHECKING:
    from boundary_lint.commands.common import Subcommands
from boundary_lint.escaping import inert
from boundary_lint.files import write_file

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
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from boundary_lint.codes import CONFIG_ERROR
    from boundary_lint.engine import CheckOptions, check
    from boundary_lint.formatters import diagram
    from boundary_lint.formatters.html import page

    report = check(load(args), CheckOptions(contract_ids=args.contract))
    config_errors = [e for e in report.all_errors if e.code == CONFIG_ERROR]
    if config_errors:
        for problem in config_errors[1:]:
            print(f"boundary-lint: error: {inert(problem.message)}", file=sys.stderr)
        return fail(config_errors[0].message)
    views = [diagram.view(contract) for contract in report.contracts]
    if args.format == "dot":
        text = diagram.to_dot(views)
    elif args.format == "mermaid":
        text = diagram.to_mermaid(views)
    else:
        text = page(report, violations=False)
    if args.output is None:
        sys.stdout.write(text)
        return EXIT_OK
    try:
        write_file(args.output, text)
    except OSError as error:
        return fail(str(error))
    return EXIT_OK
