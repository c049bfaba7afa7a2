"""``boundary-lint runtime``: import modules for real (in a subprocess) and report every loaded
module a contract forbids them, how many loaded, and the memory the import took."""

from __future__ import annotations

import argparse
import json
import math
import sys
from typing import TYPE_CHECKING

from boundary_lint.commands.common import EXIT_FOUND, EXIT_OK, add_config_argument, fail, load

if TYPE_CHECKING:
    from boundary_lint.commands.common import Subcommands


def add_parser(commands: Subcommands) -> None:
    parser = commands.add_parser(
        "runtime",
        help="import modules in a subprocess and report forbidden modules they load (runs project code)",
    )
    add_config_argument(parser)
    parser.add_argument("modules", nargs="+", metavar="MODULE")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument(
        "--timeout", type=seconds, default=300.0, help="seconds to allow the import (default 300)"
    )
    parser.set_defaults(run=run)


def seconds(text: str) -> float:
    """A duration given on the command line: a positive, finite number of seconds."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not (math.isfinite(value) and value > 0):
        raise argparse.ArgumentTypeError(f"must be a positive number of seconds, not {text!r}")
    return value


def run(args: argparse.Namespace) -> int:
    from boundary_lint.engine import load_checked_graph, locate
    from boundary_lint.rules.common import ContractError
    from boundary_lint.split.runtime import ImportFailed, audit, import_in_subprocess

    try:
        config = load(args)
        project = load_checked_graph(config)
        unknown = [m for m in args.modules if m not in project.module_files]
        if unknown:
            return fail(f"{unknown[0]!r} is not a module of the project ({', '.join(config.root_packages)})")
        roots = tuple(dict.fromkeys(root for package in locate(config) for root in package.import_roots))
        loaded = import_in_subprocess(args.modules, roots, args.timeout)
        found = audit(config, project.graph, args.modules, loaded)
    except ContractError as error:
        return fail(f"{config.path}: {error.key}: {error.message}")
    except ImportFailed as error:
        return fail(str(error))
    if args.format == "json":
        data = {
            "modules": args.modules,
            "loaded": len(loaded.modules),
            "seconds": round(loaded.seconds, 3),
            "rss_growth_kib": loaded.rss_growth_kib,
            "forbidden": [
                {
                    "importer": f.importer,
                    "loaded": f.loaded,
                    "contract": f.contract,
                    "static_chain": list(f.static_chain) if f.static_chain else None,
                }
                for f in found
            ],
        }
        sys.stdout.write(json.dumps(data, indent=2) + "\n")
    else:
        for f in found:
            if f.static_chain is None:
                how = "no static import chain: loaded dynamically"
            elif f.static_chain[-1] != f.loaded:
                how = " -> ".join(f.static_chain) + f", inside {f.loaded}"
            else:
                how = " -> ".join(f.static_chain)
            print(f'{f.importer} loaded {f.loaded}, which "{f.contract}" forbids it ({how})')
        print(
            f"importing {', '.join(args.modules)} loaded {len(loaded.modules)} modules in "
            f"{loaded.seconds:.2f} s; peak memory grew by {loaded.rss_growth_kib / 1024:.1f} MiB; "
            f"{len(found)} forbidden"
        )
    return EXIT_FOUND if found else EXIT_OK
