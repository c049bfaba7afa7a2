"""``boundary-lint explore``: the package tree as one offline HTML page to drill into (or one
level as DOT/Mermaid text), with the contracts' violations on its arrows."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from boundary_lint.commands.common import add_config_argument, emit, fail, load

if TYPE_CHECKING:
    from boundary_lint.commands.common import Subcommands
    from boundary_lint.config import Config, ContractSpec
    from boundary_lint.graph.builder import ProjectGraph
    from boundary_lint.planning.cut import Edge
    from boundary_lint.report import Report

FORMATS = ("html", "dot", "mermaid")


def add_parser(commands: Subcommands) -> None:
    parser = commands.add_parser("explore", help="an offline page to drill into the package tree")
    parser.add_argument("package", nargs="?", default="", help="the package shown first (default: the roots)")
    add_config_argument(parser)
    parser.add_argument("--format", choices=FORMATS, default="html")
    parser.add_argument("--output", type=Path, metavar="FILE", help="write here instead of stdout")
    parser.add_argument("--import-totals", action="store_true", help="dot/mermaid: label arrows with totals")
    parser.add_argument("--cycle-breakers", action="store_true", help="dot/mermaid: mark cycle breakers")
    parser.add_argument(
        "--plan", action="store_true", help="html: mark the imports `boundary-lint plan` would break (slower)"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from boundary_lint.engine import CheckOptions, check_graph, load_graph, select_contracts
    from boundary_lint.explore.data import explore_data
    from boundary_lint.graph.source import SourceIndex

    config = load(args)
    options = CheckOptions()
    graph = load_graph(config, options)
    if args.package and args.package not in graph.graph.modules:
        return fail(f"{args.package} is not a module of the graph")
    specs = select_contracts(config, options.contract_ids)
    report = check_graph(config, graph, specs, options, SourceIndex())
    cuts = _planned_cuts(config, graph, specs, report) if args.plan else []
    data = explore_data(graph, report, config.root, args.package, cuts)
    text = _render(data, args)
    return emit(text, args.output)


def _planned_cuts(
    config: Config, graph: ProjectGraph, specs: list[ContractSpec], report: Report
) -> list[Edge]:
    """The imports the plans of the broken contracts break (each checked by the engine)."""
    from boundary_lint.planning.plan import plan_broken

    plans = plan_broken(config, graph, specs, report)
    return sorted({(cut.importer, cut.imported) for plan in plans for cut in plan.cut})


def _render(data: dict[str, Any], args: argparse.Namespace) -> str:
    from boundary_lint.formatters import explore_html, explore_text
    from boundary_lint.formatters.layout import level

    if args.format == "html":
        return explore_html.page(data)
    view = level(data, args.package)
    if args.format == "dot":
        return explore_text.to_dot(view, args.import_totals, args.cycle_breakers)
    return explore_text.to_mermaid(view, args.import_totals, args.cycle_breakers)
