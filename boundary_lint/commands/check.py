"""``boundary-lint check``: gather the input, run the engine, filter the report (baseline,
``--new-since``, path arguments), hand it to a formatter, and vote with the exit code."""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from boundary_lint import exit_codes
from boundary_lint.codes import CONFIG_ERROR
from boundary_lint.commands.common import add_config_argument, load
from boundary_lint.escaping import inert
from boundary_lint.formatters import FORMATS

if TYPE_CHECKING:
    from boundary_lint.commands.common import Subcommands
    from boundary_lint.config import Config
    from boundary_lint.engine import CheckOptions
    from boundary_lint.graph.discovery import ProjectFiles
    from boundary_lint.report import Report


def add_parser(commands: Subcommands) -> None:
    check = commands.add_parser("check", help="check the contracts; exit 0 kept, 1 broken, 2 error")
    add_config_argument(check)
    check.add_argument(
        "--contract", action="append", default=[], metavar="ID", help="check only this contract (repeatable)"
    )
    check.add_argument("--format", choices=FORMATS, default="text")
    check.add_argument("--output", type=Path, metavar="FILE", help="write the report here instead of stdout")
    check.add_argument("--no-cache", action="store_true", help="neither read nor write the import cache")
    check.add_argument("--cache-dir", type=Path, metavar="DIR", help="cache directory (overrides cache_dir)")
    check.add_argument("--disable-noqa", action="store_true", help="report violations even on '# noqa' lines")
    check.add_argument("--verbose", action="store_true", help="print timings and graph size to stderr")
    check.add_argument(
        "--no-progress",
        action="store_true",
        help="never show progress (shown by default on a terminal's stderr during long work)",
    )
    check.add_argument(
        "--baseline", type=Path, metavar="FILE", help="fail only on violations not in this baseline"
    )
    check.add_argument(
        "--write-baseline", type=Path, metavar="FILE", help="record today's violations in FILE"
    )
    check.add_argument(
        "--strict-baseline",
        action="store_true",
        help="with --baseline: also fail while fixed entries remain in it",
    )
    check.add_argument(
        "--new-since",
        metavar="REV",
        help="report only violations that were not there at the git revision REV (the changed "
        "files are the named paths, or those git diff REV lists); the pre-commit hook uses HEAD",
    )
    check.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="report only violations whose chain passes through these files; a directory means "
        "every project file under it, and paths covering the whole project ('.') narrow nothing "
        "(the whole project is always analysed)",
    )
    check.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from boundary_lint.filters.paths import check_paths_exist

    started = time.perf_counter()
    check_paths_exist(args.paths)
    config = load(args)
    report, files = _checked_and_filtered(args, config)
    rendered = _render(args, report)
    if args.output:
        _write(args.output, rendered)
    else:
        for piece in rendered:  # each through the stream whose reader may leave (cli)
            sys.stdout.write(piece)
        sys.stdout.flush()
    if args.verbose:
        _print_verbose(config, report, files, time.perf_counter() - started)
    return _outcome(args, report)


def _checked_and_filtered(args: argparse.Namespace, config: Config) -> tuple[Report, ProjectFiles]:
    """The report, after the filters the arguments ask for, in this order: the baseline marks
    what it knows, ``--new-since`` drops what was already there, the paths narrow to what
    concerns them, and ``--strict-baseline`` adds the fixed entries (after narrowing: the
    baseline file is rarely a named path)."""
    from boundary_lint.engine import CheckOptions, check, discover
    from boundary_lint.filters.baseline import (
        read_baseline,
        render_baseline,
        with_baseline,
        with_fixed_entry_errors,
    )
    from boundary_lint.filters.paths import limit_to_files, named_files
    from boundary_lint.progress import TerminalProgress, no_progress

    progress = TerminalProgress(sys.stderr) if _shows_progress(args) else None
    try:
        files = discover(config)
        named = named_files(
            args.paths,
            files.module_files.values(),
            config.path,
            f"root packages: {', '.join(config.root_packages)}",
        )
        options = CheckOptions(
            contract_ids=args.contract,
            use_cache=not args.no_cache,
            cache_dir=args.cache_dir.absolute() if args.cache_dir else None,  # a link there is not followed
            disable_noqa=args.disable_noqa,
            progress=progress or no_progress,
        )
        report = check(config, options, files)
        if args.write_baseline:  # with --contract, the other contracts' entries are kept
            earlier = (
                read_baseline(args.write_baseline) if args.contract and args.write_baseline.exists() else None
            )
            _write(args.write_baseline, render_baseline(report, earlier))
        if args.baseline:
            report = with_baseline(report, read_baseline(args.baseline), every_contract=not args.contract)
        if args.new_since:
            report = _introduced(report, config, options, files, _compared_revision(args.new_since), named)
        if named is not None:
            report = limit_to_files(report, config.root, named)
        if args.strict_baseline:
            report = with_fixed_entry_errors(report)
    finally:
        if progress is not None:
            progress.close()  # the progress line is gone before any output or message
    return report, files


def _render(args: argparse.Namespace, report: Report) -> list[str]:
    """The report's text in pieces, to be written one after the other."""
    from boundary_lint.formatters import pieces_formatter

    color = args.output is None and args.format == "text" and _stdout_is_color_terminal()
    return pieces_formatter(args.format)(report, color)


def _outcome(args: argparse.Namespace, report: Report) -> int:
    """Notes and configuration errors on stderr where the format did not show them, then the vote."""
    shown_to_a_person = not args.output and args.format == "text"
    if not shown_to_a_person:  # notes (cache not written, ...) are in text only
        for note in report.notes:
            print(f"boundary-lint: warning: {inert(note)}", file=sys.stderr)
    config_errors = [e for e in report.all_errors if e.code == CONFIG_ERROR]
    if config_errors and not shown_to_a_person:
        for problem in config_errors:
            print(f"boundary-lint: error: {inert(problem.message)}", file=sys.stderr)
    if args.write_baseline and not config_errors:
        return exit_codes.OK
    return exit_codes.of_report(report)


def _print_verbose(config: Config, report: Report, files: ProjectFiles, elapsed: float) -> None:
    print(f"boundary-lint: configuration: {config.path}", file=sys.stderr)
    print(
        f"boundary-lint: {report.modules} modules, {report.imports} imports; "
        f"checked {len(report.contracts)} contracts in {elapsed:.3f}s",
        file=sys.stderr,
    )
    _print_unanalysed(files, config.root)
    _print_locations(config)


def _print_unanalysed(files: ProjectFiles, root: Path) -> None:
    from boundary_lint.graph.discovery import relative_path

    for directory, count in files.unanalysed_directories():
        print(
            f"boundary-lint: not analysed: {relative_path(Path(directory), root)}: {count} Python "
            f"file{'s' if count > 1 else ''} in a directory without __init__.py inside a package "
            "(grimp and import-linter skip it too; add an __init__.py to check them)",
            file=sys.stderr,
        )


def _compared_revision(revision: str) -> str:
    """``pre-commit run --from-ref A --to-ref B`` (a CI job, a pre-push hook) checks the changes
    from A to B, and HEAD is B there: the hook's ``--new-since HEAD`` then means ``A...B``."""
    from_ref, to_ref = os.environ.get("PRE_COMMIT_FROM_REF"), os.environ.get("PRE_COMMIT_TO_REF")
    return f"{from_ref}...{to_ref}" if revision == "HEAD" and from_ref and to_ref else revision


def _introduced(
    report: Report,
    config: Config,
    options: CheckOptions,
    files: ProjectFiles,
    revision: str,
    named: set[Path] | None,
) -> Report:
    from boundary_lint.engine import load_graph, select_contracts
    from boundary_lint.filters.new_since import only_introduced

    project = load_graph(config, options, files)  # the import cache makes this cheap
    return only_introduced(
        report, config, project, select_contracts(config, options.contract_ids), options, revision, named
    )


def _print_locations(config: Config) -> None:
    """Where each root package was found (--verbose): the check found them all already."""
    from boundary_lint.config import ConfigError
    from boundary_lint.engine import locate

    try:
        located = locate(config)
    except ConfigError as error:  # the disk changed since the check
        print(f"boundary-lint: {error.describe()}", file=sys.stderr)
        return
    for package in located:
        print(f"boundary-lint: {package.describe(config.root)}", file=sys.stderr)


def _write(path: Path, text: str | list[str]) -> None:
    """Raises OSError naming the file. A symbolic link at ``path`` is replaced, not followed
    (see boundary_lint.files)."""
    from boundary_lint.files import write_file

    write_file(path, text)


def _shows_progress(args: argparse.Namespace) -> bool:
    """Progress goes to stderr, and only to a terminal: never into a pipe, a CI log or a file."""
    return not args.no_progress and _is_terminal(sys.stderr)


def _stdout_is_color_terminal() -> bool:
    return _is_terminal(sys.stdout) and "NO_COLOR" not in os.environ


def _is_terminal(stream: TextIO) -> bool:
    """A terminal that can move its cursor and show colour (not one with TERM=dumb)."""
    return stream.isatty() and os.environ.get("TERM") != "dumb"
