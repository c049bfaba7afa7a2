"""``boundary-lint closure``: what to deploy for packages to import (the blueprint's rsync)."""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from boundary_lint.commands.common import EXIT_ERROR, EXIT_OK, add_config_argument, fail, load

if TYPE_CHECKING:
    from boundary_lint.commands.common import Subcommands
from boundary_lint.escaping import inert

FORMATS = ("list", "files", "rsync", "json", "requirements")


def add_parser(commands: Subcommands) -> None:
    parser = commands.add_parser("closure", help="what must be deployed for packages to import")
    add_config_argument(parser)
    parser.add_argument("packages", nargs="+", metavar="PACKAGE")
    parser.add_argument("--format", choices=FORMATS, default="list")
    parser.add_argument(
        "--why", metavar="MODULE", help="print the shortest chain of imports that pulls MODULE in"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from boundary_lint.engine import CheckOptions, load_graph
    from boundary_lint.graph.dynamic import with_dynamic_imports
    from boundary_lint.graph.references import ReferenceIndex
    from boundary_lint.graph.source import SourceIndex
    from boundary_lint.split.closure import compute_closure, rsync_filter

    config = load(args)
    # Third-party packages are part of what a deployment needs: always see them.
    config = dataclasses.replace(config, include_external_packages=True)
    project = load_graph(config, CheckOptions())
    project, _ = with_dynamic_imports(
        project, ReferenceIndex(project.module_files, SourceIndex()), strings=config.string_imports
    )
    closure = compute_closure(project, args.packages)
    root = config.root
    if args.why:
        chain = closure.why(args.why)
        if chain is None and args.why in closure.ancestors_only:
            print(f"{args.why}: needed for its __init__.py, as a package containing deployed modules")
        elif chain is None:
            return fail(f"{args.why} is not in the closure of {', '.join(args.packages)}")
        else:
            print(" -> ".join(chain))
        return EXIT_OK
    relative = [f.relative_to(root).as_posix() if f.is_relative_to(root) else str(f) for f in closure.files]
    if args.format == "list":
        sys.stdout.write("".join(f"{m}\n" for m in closure.modules))
    elif args.format == "files":
        sys.stdout.write("".join(f"{f}\n" for f in relative))
    elif args.format == "rsync":
        outside = [f for f in closure.files if not f.is_relative_to(root)]
        if outside:
            return fail(f"{outside[0]} is outside the project root {root}: an rsync filter cannot name it")
        sys.stdout.write(rsync_filter(closure.files, root))
    elif args.format == "requirements":
        return _print_requirements(
            args.packages, closure.external, config.root, config.root_packages, project.module_files
        )
    else:
        data = {
            "modules": closure.modules,
            "files": relative,
            "external": closure.external,
            "bytes": closure.bytes,
        }
        sys.stdout.write(json.dumps(data, indent=2) + "\n")
    return EXIT_OK if closure.modules else EXIT_ERROR


def _print_requirements(
    packages: list[str],
    imports: list[str],
    root: Path,
    root_packages: tuple[str, ...],
    module_files: Mapping[str, Path],
) -> int:
    """The project's requirement lines that the closure's third-party imports need."""
    from boundary_lint.graph.entry_points import build_directories
    from boundary_lint.split.requirements import (
        installed_distributions,
        needed_requirements,
        project_requirements,
        render,
    )

    directories = [root, *build_directories(root_packages, module_files)]
    requirements, problems = project_requirements(directories)
    for problem in problems:
        print(f"boundary-lint: warning: requirements not read: {inert(str(problem))}", file=sys.stderr)
    if not requirements:
        searched = ", ".join(str(d) for d in dict.fromkeys(directories))
        return fail(
            f"no requirements found (requirements.txt, setup.cfg [options] install_requires, "
            f"pyproject.toml [project] dependencies) in {searched}"
        )
    needed = needed_requirements(imports, requirements, installed_distributions)
    sys.stdout.write(render(needed, packages, len(requirements)))
    uncovered = len(needed.unlisted) + len(needed.unmapped)
    if uncovered:
        print(
            f"boundary-lint: {uncovered} imported package(s) not covered by the project's requirements "
            "(listed as comments at the end)",
            file=sys.stderr,
        )
    return EXIT_OK
