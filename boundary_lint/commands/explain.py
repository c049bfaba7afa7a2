"""``boundary-lint explain``: how one module comes to import another (every shortest chain)."""

from __future__ import annotations

import argparse
import difflib
import sys
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from boundary_lint.commands.common import EXIT_FOUND, EXIT_OK, add_config_argument, fail, load
from boundary_lint.formatters.findings import plural
from boundary_lint.formatters.text import chain_lines

if TYPE_CHECKING:
    from boundary_lint.adoption.explain import Explanation
    from boundary_lint.commands.common import Subcommands

EXIT_NO_CHAIN = EXIT_FOUND  # 1: the importer does not import the imported


def add_parser(commands: Subcommands) -> None:
    parser = commands.add_parser(
        "explain", help="every shortest chain of imports from one module to another, with lines"
    )
    add_config_argument(parser)
    parser.add_argument("importer", metavar="IMPORTER")
    parser.add_argument("imported", metavar="IMPORTED")
    parser.add_argument(
        "--as-modules",
        action="store_true",
        help="treat IMPORTER and IMPORTED as single modules (default: as packages, each with its "
        "descendants, as grimp's find_shortest_chains and import-linter's contracts do)",
    )
    parser.add_argument(
        "--max",
        type=_count,
        default=20,
        metavar="N",
        help="print at most N chains (default 20; 0: all of them)",
    )
    parser.set_defaults(run=run)


def _count(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return value


def run(args: argparse.Namespace) -> int:
    from boundary_lint.adoption.explain import SharedModules, chain_hops, explain
    from boundary_lint.engine import load_checked_graph

    config = load(args)
    project = load_checked_graph(config)
    if args.importer == args.imported:
        return fail(f"{args.importer} is both the importer and the imported: give two modules")
    modules = project.graph.modules
    for name in (args.importer, args.imported):
        if name not in modules:
            return fail(_unknown(name, modules, config.root_packages))
    try:
        found = explain(project.graph, args.importer, args.imported, as_packages=not args.as_modules)
    except SharedModules:
        return fail(
            f"{args.importer} and {args.imported} overlap as packages (one contains the other): "
            "give --as-modules, or two modules that do not contain each other"
        )
    if not found.pairs:
        print(f"{args.importer} does not import {args.imported}, directly or indirectly")
        return EXIT_NO_CHAIN
    print(_headline(found))
    shown = 0
    for chain in found.chains():
        if args.max and shown == args.max:
            break
        print()
        print(f"{chain[0]} -> {chain[-1]}, {plural(len(chain) - 1, 'import')}:")
        sys.stdout.writelines(f"{line}\n" for line in chain_lines(chain_hops(project, chain, config.root)))
        shown += 1
    if shown < found.total:
        print(f"\n... and {plural(found.total - shown, 'more chain')} (--max {args.max}; --max 0 prints all)")
    return EXIT_OK


def _headline(found: Explanation) -> str:
    text = f"{found.importer} imports {found.imported}: {plural(found.total, 'shortest chain')}"
    if found.as_packages and (found.importer_modules > 1 or found.imported_modules > 1):
        text += (
            f" between {plural(len(found.pairs), 'pair')} of modules (as packages: each name with its "
            "descendants, and no chain passes through another of their modules; --as-modules: "
            "the modules alone)"
        )
    elif not found.as_packages:
        text += " (as modules: descendants not included)"
    return text


def _unknown(name: str, modules: Iterable[str], root_packages: Sequence[str]) -> str:
    close = difflib.get_close_matches(name, sorted(modules), n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return f"{name!r} is not a module of the project ({', '.join(root_packages)}){hint}"
