"""``boundary-lint init``: propose a contracts file that today's code keeps (adoption starts green)."""

from __future__ import annotations

import argparse
import datetime
import json
import os
import sys
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING

from boundary_lint.commands.common import EXIT_OK, fail
from boundary_lint.escaping import inert
from boundary_lint.formatters.text import plural

if TYPE_CHECKING:
    from boundary_lint.adoption import LayersProposal, Proposal


def add_parser(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = commands.add_parser(
        "init", help="propose a contracts file (layers in today's dependency order) that today's code keeps"
    )
    parser.add_argument("packages", nargs="+", metavar="PACKAGE", help="root package(s) to propose contracts for")
    parser.add_argument(
        "--source-root", action="append", type=Path, default=[], metavar="DIR", dest="source_roots",
        help="directory holding the packages (repeatable; default: the current directory, and ./src "
        "if a package is there)",
    )
    parser.add_argument("--output", type=Path, metavar="FILE", help="write the proposal here instead of stdout")
    parser.add_argument("--force", action="store_true", help="with --output: overwrite an existing file")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from boundary_lint.adoption import propose
    from boundary_lint.graph.builder import build_project_graph
    from boundary_lint.graph.packages import PackageNotFound

    if args.output and args.output.exists() and not args.force:
        return fail(f"{args.output} exists: give --force to overwrite it")
    if len(set(args.packages)) != len(args.packages):
        return fail("a package is named twice")
    source_roots = tuple(p.resolve() for p in args.source_roots) or default_source_roots(args.packages, Path.cwd())
    try:
        project = build_project_graph(tuple(args.packages), source_roots)
    except PackageNotFound as error:
        return fail(str(error))
    proposal = propose(project.graph, args.packages)
    for package, reason in proposal.skipped:
        print(f"boundary-lint: note: no layers contract for {package}: {reason}", file=sys.stderr)
    if not proposal.contracts:
        return fail("nothing to propose: a layers contract needs a package with at least two children")
    for contract in proposal.contracts:
        if contract.ignored:
            breaks = "1 import breaks" if len(contract.ignored) == 1 else f"{len(contract.ignored)} imports break"
            they = "it is" if len(contract.ignored) == 1 else "they are"
            print(f"boundary-lint: {contract.package}: {breaks} every order; {they} listed in ignore_imports",
                  file=sys.stderr)
    for problem in project.problems:
        print(f"boundary-lint: warning: {inert(f'{problem.path}: {problem.message}')} (its imports are not in the proposal)",
              file=sys.stderr)
    base = args.output.resolve().parent if args.output else Path.cwd()
    text = render(proposal, args, [_relative(root, base) for root in source_roots],
                  len(project.module_files), project.graph.count_imports())
    if not args.output:
        sys.stdout.write(text)
        return EXIT_OK
    try:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(text, encoding="utf-8")
    except OSError as error:
        return fail(f"{args.output}: cannot write: {error.strerror}")
    print(f"boundary-lint: wrote {args.output}; check it with: boundary-lint check --config {args.output}",
          file=sys.stderr)
    return EXIT_OK


def default_source_roots(packages: list[str], cwd: Path) -> tuple[Path, ...]:
    """The current directory and ``src`` (the src layout): those that hold a package, else the
    current directory (for the message that the package is not there)."""
    from boundary_lint.graph.packages import PackageNotFound, locate_package

    def holds_a_package(directory: Path) -> bool:
        for package in packages:
            try:
                if locate_package(package, (directory,)):
                    return True
            except PackageNotFound:
                continue
        return False

    return tuple(d for d in (cwd, cwd / "src") if d.is_dir() and holds_a_package(d)) or (cwd,)


def _relative(path: Path, base: Path) -> str:
    """As a configuration file names a source root: relative to the file's directory."""
    return Path(os.path.relpath(path, base)).as_posix()


def render(proposal: Proposal, args: argparse.Namespace, source_roots: list[str], modules: int, imports: int) -> str:
    """The proposal as a native TOML contracts file, with comments for the person adopting it."""
    packages = args.packages
    target = args.output.name if args.output else "FILE"
    lines = [
        *_comment(
            f"Proposed by `boundary-lint init {' '.join(packages)}` on {datetime.date.today().isoformat()}, "
            f"from the imports of the code as it was then ({modules} modules, {imports} imports). Each root "
            "package's children are layers in the order their imports already have (a child that imports "
            "another is above it; children in one layer joined by '|' import each other in neither "
            "direction), so that code keeps these contracts:"
        ),
        f"#     boundary-lint check --config {target}",
        *_comment(
            "passes, and fails when a change imports against that order. Edit this file when you decide "
            "what the order should be rather than what it is (move a layer; join siblings with ':' to let "
            "them import each other), when you add a top-level subpackage (the contracts are exhaustive: "
            "it must be placed in a layer), and whenever an import listed in ignore_imports is gone: "
            "delete its entry (an entry that matches no import is an error)."
        ),
        f"root_packages = {_toml_list(packages)}",
        f"source_roots = {_toml_list(source_roots)}",
    ]
    lines.extend(f"# No layers contract for {package}: {reason}." for package, reason in proposal.skipped)
    for contract in proposal.contracts:
        lines.append("")
        lines.extend(_contract(contract))
    return "\n".join(lines) + "\n"


def _contract(contract: LayersProposal) -> list[str]:
    package = contract.package
    out = [
        "[[contracts]]",
        f"id = {_toml_string(package + '-layers')}",
        f"name = {_toml_string(f'The children of {package}, in the order of their imports')}",
        'type = "layers"',
        f"containers = {_toml_list([package])}",
        "exhaustive = true",
        "layers = [",
        *(f"    {_toml_string(' | '.join(layer))}," for layer in contract.layers),
        "]",
    ]
    if contract.ignored:
        cycles = "; ".join(", ".join(cycle) for cycle in contract.cycles)
        how = "the fewest possible" if contract.exact else "the fewest found (too many orders to try them all)"
        note = (
            f"{plural(len(contract.ignored), 'import')} ({plural(contract.ignored_statements, 'import statement')}) "
            f"break{'s' if len(contract.ignored) == 1 else ''} every "
            f"order of these layers, because these children import each other round a cycle: {cycles}. "
            f"The order above breaks {how}; those imports are ignored so that today's code keeps the "
            "contract. Each is a place to break a cycle: remove it from the code, then from this list."
        )
        out.extend(_comment(note))
        out.extend([
            "ignore_imports = [",
            *(f"    {_toml_string(f'{importer} -> {imported}')}," for importer, imported in contract.ignored),
            "]",
        ])
    return out


def _comment(text: str) -> list[str]:
    return textwrap.wrap(text, width=99, initial_indent="# ", subsequent_indent="# ", break_on_hyphens=False)


def _toml_string(text: str) -> str:
    return json.dumps(text)  # module names and our own text: JSON's escapes are TOML's


def _toml_list(items: list[str]) -> str:
    return "[" + ", ".join(_toml_string(item) for item in items) + "]"
