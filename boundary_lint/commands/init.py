"""``boundary-lint init``: propose a contracts file that today's code keeps (adoption starts green)."""

from __future__ import annotations

import argparse
import datetime
import json
import os
import re
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from boundary_lint.commands.common import EXIT_OK, fail
from boundary_lint.errors import UserError
from boundary_lint.escaping import inert
from boundary_lint.files import WriteError, write_file
from boundary_lint.formatters.findings import plural

if TYPE_CHECKING:
    from boundary_lint.adoption.init import LayersProposal, Proposal
    from boundary_lint.commands.common import Subcommands
    from boundary_lint.graph.packages import SearchPath


def add_parser(commands: Subcommands) -> None:
    parser = commands.add_parser(
        "init", help="propose contracts (layers in today's dependency order) that today's code keeps"
    )
    parser.add_argument(
        "packages",
        nargs="*",
        metavar="PACKAGE",
        help="root package(s) to propose contracts for (default: the project's own packages: those its "
        "build configuration names, else those in the current directory, src/ and the build "
        "configuration's package directories)",
    )
    parser.add_argument(
        "--source-root",
        action="append",
        type=Path,
        default=[],
        metavar="DIR",
        dest="source_roots",
        help="directory holding the packages (repeatable; default: where `check` would look for them)",
    )
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--output", type=Path, metavar="FILE", help="write the proposal here instead of stdout"
    )
    where.add_argument(
        "--pyproject",
        action="store_true",
        help="add the proposal to ./pyproject.toml as [tool.boundary_lint], keeping the rest of the file "
        "as it is (needs tomlkit: pip install 'boundary-lint[init]')",
    )
    parser.add_argument("--force", action="store_true", help="with --output: overwrite an existing file")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from boundary_lint.adoption.init import propose
    from boundary_lint.graph.builder import build_project_graph
    from boundary_lint.graph.discovery import discover_project
    from boundary_lint.graph.packages import SearchPath, show

    if args.output and args.output.exists() and not args.force:
        return fail(f"{args.output} exists: give --force to overwrite it")
    if len(set(args.packages)) != len(args.packages):
        return fail("a package is named twice")
    cwd = Path.cwd()
    pyproject = cwd / "pyproject.toml"
    original = None
    if args.pyproject:
        original = _read_pyproject(pyproject)
    search = SearchPath.for_project(
        cwd, tuple(p.resolve() for p in args.source_roots) or None, root_name="the current directory"
    )
    packages = args.packages or project_packages(search)
    if not packages:
        looked = ", ".join(
            f"{show(place.directory, search.root)} ({place.origin})" for place in search.project_places()
        )
        return fail(
            f"no packages found in the project (looked in {looked}): name them, as in "
            "`boundary-lint init PACKAGE`"
        )
    located = [search.locate(package) for package in packages]
    project = build_project_graph(tuple(packages), search, files=discover_project(tuple(packages), search))
    if not args.packages:
        for found in located:
            print(f"boundary-lint: found {found.describe(search.root)}", file=sys.stderr)
    proposal = propose(project.graph, packages)
    for package, reason in proposal.skipped:
        print(f"boundary-lint: note: no layers contract for {package}: {reason}", file=sys.stderr)
    if not proposal.contracts:
        return fail("nothing to propose: a layers contract needs a package with at least two children")
    for contract in proposal.contracts:
        if contract.ignored:
            breaks = (
                "1 import breaks" if len(contract.ignored) == 1 else f"{len(contract.ignored)} imports break"
            )
            they = "it is" if len(contract.ignored) == 1 else "they are"
            print(
                f"boundary-lint: {contract.package}: {breaks} every order; {they} listed in ignore_imports",
                file=sys.stderr,
            )
    for problem in project.problems:
        print(
            f"boundary-lint: warning: {inert(f'{problem.path}: {problem.message}')} "
            "(its imports are not in the proposal)",
            file=sys.stderr,
        )
    base = args.output.resolve().parent if args.output else cwd
    roots = search.explicit_roots() or tuple(dict.fromkeys(r for p in located for r in p.import_roots))
    form = Form(
        command=" ".join(["boundary-lint init", *args.packages]),
        check_command="boundary-lint check"
        if args.pyproject
        else f"boundary-lint check --config {args.output.name if args.output else 'FILE'}",
        table="tool.boundary_lint" if args.pyproject else "",
    )
    text = render(
        proposal,
        packages,
        form,
        [_relative(root, base) for root in roots],
        len(project.module_files),
        project.graph.count_imports(),
    )
    if args.pyproject:
        return _write_pyproject(pyproject, original, text)
    if not args.output:
        sys.stdout.write(text)
        return EXIT_OK
    try:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        write_file(args.output, text)
    except WriteError as error:
        return fail(str(error))
    except OSError as error:
        return fail(f"{args.output}: cannot write: {error.strerror}")
    print(
        f"boundary-lint: wrote {args.output}; check it with: boundary-lint check --config {args.output}",
        file=sys.stderr,
    )
    return EXIT_OK


# Directory names that setuptools' automatic discovery never takes for a package in a flat
# layout (setuptools.discovery.FlatLayoutPackageFinder): tests, docs, tools and the like.
NOT_SHIPPED = frozenset(
    {
        "ci",
        "bin",
        "doc",
        "docs",
        "documentation",
        "manpages",
        "news",
        "newsfragments",
        "changelog",
        "test",
        "tests",
        "unit_test",
        "unit_tests",
        "example",
        "examples",
        "scripts",
        "tools",
        "util",
        "utils",
        "python",
        "build",
        "dist",
        "venv",
        "env",
        "requirements",
        "tasks",
        "fabfile",
        "site_scons",
        "benchmark",
        "benchmarks",
        "exercise",
        "exercises",
    }
)


def project_packages(search: SearchPath) -> list[str]:
    """The project's own root packages: those its build configuration names, else the regular
    packages in its own places (its directory, less what setuptools' flat-layout discovery
    leaves out, src/ and the build configuration's directories) that setuptools' find
    ``include``/``exclude`` patterns keep; never site-packages'."""
    from boundary_lint.graph.build_config import read_build_config

    declared = read_build_config(search.root)
    if declared.packages:
        return declared.packages
    names: list[str] = []
    for place in search.project_places():
        if place.package is not None:
            candidates = [place.package] if (place.directory / "__init__.py").is_file() else []
        else:
            candidates = _packages_in(place.directory, flat=place.directory == search.root)
        names.extend(name for name in candidates if name not in names and declared.ships(name))
    return names


def _packages_in(directory: Path, flat: bool) -> list[str]:
    try:
        entries = sorted(os.listdir(directory))
    except OSError:
        return []
    return [
        name
        for name in entries
        if name.isidentifier()
        and not name.startswith("_")
        and not (flat and name in NOT_SHIPPED)
        and (directory / name / "__init__.py").is_file()
    ]


def _relative(path: Path, base: Path) -> str:
    """As a configuration file names a source root: relative to the file's directory."""
    return Path(os.path.relpath(path, base)).as_posix()


@dataclass(frozen=True)
class Form:
    """How the proposal is written: the commands its comments name, and its table (empty for
    a contracts file of its own, ``tool.boundary_lint`` in pyproject.toml)."""

    command: str
    check_command: str
    table: str


def render(
    proposal: Proposal, packages: list[str], form: Form, source_roots: list[str], modules: int, imports: int
) -> str:
    """The proposal as native TOML, with comments for the person adopting it."""
    lines = [f"[{form.table}]"] if form.table else []
    lines += [
        *_comment(
            f"Proposed by `{form.command}` on {datetime.date.today().isoformat()}, "
            f"from the imports of the code as it was then ({modules} modules, {imports} imports). Each root "
            "package's children are layers in the order their imports already have (a child that imports "
            "another is above it; children in one layer joined by '|' import each other in neither "
            "direction), so that code keeps these contracts:"
        ),
        f"#     {form.check_command}",
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
    header = f"[[{form.table}.contracts]]" if form.table else "[[contracts]]"
    for contract in proposal.contracts:
        lines.append("")
        lines.extend([header, *_contract(contract)])
    return "\n".join(lines) + "\n"


class InitError(UserError):
    pass


def _read_pyproject(path: Path) -> str:
    """The file's text ("" if there is none); refuses one that already holds our section, and
    says what to install when tomlkit is missing (before any work is done)."""
    try:
        import tomlkit  # noqa: F401
    except ImportError:
        raise InitError(
            f"{path}: writing pyproject.toml needs tomlkit: pip install 'boundary-lint[init]'"
        ) from None
    try:
        text = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        return ""
    except UnicodeDecodeError as error:
        raise InitError(f"{path}: not valid UTF-8 ({error.reason})") from None
    except OSError as error:
        raise InitError(f"{path}: cannot read: {error.strerror}") from None
    import tomllib

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise InitError(f"{path}: invalid TOML: {error}") from None
    tool = data.get("tool")
    if isinstance(tool, dict) and "boundary_lint" in tool:
        raise InitError(
            f"{path} already has [tool.boundary_lint]: remove it first, or write the "
            "proposal to a file of its own with --output"
        )
    return text


def _write_pyproject(path: Path, original: str | None, section: str) -> int:
    try:
        merged = merge_into_pyproject(original or "", section)
    except InitError as error:
        return fail(f"{path}: {error}")
    try:
        with path.open("w", encoding="utf-8", newline="") as file:
            file.write(merged)
    except OSError as error:
        return fail(f"{path}: cannot write: {error.strerror}")
    print(
        f"boundary-lint: added [tool.boundary_lint] to {path}; check it with: boundary-lint check",
        file=sys.stderr,
    )
    return EXIT_OK


def merge_into_pyproject(original: str, section: str) -> str:
    """``original`` with the ``[tool.boundary_lint]`` table of ``section`` added where tomlkit
    puts it (beside the other ``[tool.*]`` tables), every other byte kept as it was. Only the
    blank lines around the added table and its line endings (the file's own) are ours."""
    import tomlkit
    import tomlkit.exceptions

    newline = "\r\n" if "\r\n" in original else "\n"
    try:
        document = tomlkit.parse(original)
        tool = document.get("tool")
        if tool is None:
            document["tool"] = tomlkit.table(is_super_table=True)
        elif not isinstance(tool, dict):
            raise InitError("'tool' is not a table")
        document["tool"]["boundary_lint"] = tomlkit.parse(section)["tool"]["boundary_lint"]
        placed = tomlkit.dumps(document)
    except tomlkit.exceptions.TOMLKitError as error:
        raise InitError(f"cannot add [tool.boundary_lint]: {error}") from None
    # Where tomlkit put the table: the original up to its header, and all of it after.
    for header in re.finditer(r"^\[tool\.boundary_lint\]", placed, re.MULTILINE):
        at = len(os.path.commonprefix([original, placed[: header.start()]]))
        if placed.endswith(original[at:]):
            break
    else:
        raise InitError("cannot add [tool.boundary_lint] without changing the rest of the file")
    before, after = original[:at], original[at:]
    lead = (
        ""
        if not before or before.endswith(newline * 2)
        else newline
        if before.endswith(newline)
        else newline * 2
    )
    trail = newline if after and not after.startswith(("\n", "\r\n")) else ""
    merged = before + lead + section.replace("\n", newline) + trail + after
    _check_merged(original, merged, section)
    return merged


def _check_merged(original: str, merged: str, section: str) -> None:
    """The file now holds our table, and everything it held before, unchanged."""
    import tomllib

    before, after, ours = (tomllib.loads(text) for text in (original, merged, section))
    table = after.get("tool", {}).pop("boundary_lint", None)
    if not after["tool"] and "tool" not in before:
        del after["tool"]
    if table != ours["tool"]["boundary_lint"] or after != before:
        raise InitError("cannot add [tool.boundary_lint] without changing the rest of the file")


def _contract(contract: LayersProposal) -> list[str]:
    package = contract.package
    out = [
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
        how = (
            "the fewest possible" if contract.exact else "the fewest found (too many orders to try them all)"
        )
        note = (
            f"{plural(len(contract.ignored), 'import')} ({plural(contract.ignored_statements, 'import statement')}) "
            f"break{'s' if len(contract.ignored) == 1 else ''} every "
            f"order of these layers, because these children import each other round a cycle: {cycles}. "
            f"The order above breaks {how}; those imports are ignored so that today's code keeps the "
            "contract. Each is a place to break a cycle: remove it from the code, then from this list."
        )
        out.extend(_comment(note))
        out.extend(
            [
                "ignore_imports = [",
                *(
                    f"    {_toml_string(f'{importer} -> {imported}')},"
                    for importer, imported in contract.ignored
                ),
                "]",
            ]
        )
    return out


def _comment(text: str) -> list[str]:
    return textwrap.wrap(text, width=99, initial_indent="# ", subsequent_indent="# ", break_on_hyphens=False)


def _toml_string(text: str) -> str:
    return json.dumps(text)  # module names and our own text: JSON's escapes are TOML's


def _toml_list(items: list[str]) -> str:
    return "[" + ", ".join(_toml_string(item) for item in items) + "]"
