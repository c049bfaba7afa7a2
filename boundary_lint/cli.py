"""The command line: ``boundary-lint check`` and friends. Gathers input, calls the engine,
hands the report to a formatter, and turns the outcome into an exit code."""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, NoReturn, TextIO, cast
from pathlib import Path

from boundary_lint import __version__
from boundary_lint.commands import closure, explain, fix, graph, init, runtime
from boundary_lint.escaping import inert

if TYPE_CHECKING:
    from boundary_lint.config import Config
    from boundary_lint.engine import CheckOptions
    from boundary_lint.graph.discovery import ProjectFiles
    from boundary_lint.report import Report

EXIT_KEPT, EXIT_BROKEN, EXIT_ERROR = 0, 1, 2
FORMATS = ("text", "concise", "json", "sarif", "junit", "github", "gerrit", "zuul", "html")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="boundary-lint", description="Check import-boundary contracts on a Python code base."
    )
    parser.add_argument("--version", action="version", version=f"boundary-lint {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    check = commands.add_parser("check", help="check the contracts; exit 0 kept, 1 broken, 2 error")
    check.add_argument("--config", type=Path, help="configuration file (default: discovered upwards from here)")
    check.add_argument("--contract", action="append", default=[], metavar="ID", help="check only this contract (repeatable)")
    check.add_argument("--format", choices=FORMATS, default="text")
    check.add_argument("--output", type=Path, metavar="FILE", help="write the report here instead of stdout")
    check.add_argument("--no-cache", action="store_true", help="neither read nor write the import cache")
    check.add_argument("--cache-dir", type=Path, metavar="DIR", help="cache directory (overrides cache_dir)")
    check.add_argument("--disable-noqa", action="store_true", help="report violations even on '# noqa' lines")
    check.add_argument("--verbose", action="store_true", help="print timings and graph size to stderr")
    check.add_argument(
        "--no-progress", action="store_true",
        help="never show progress (shown by default on a terminal's stderr during long work)",
    )
    check.add_argument("--baseline", type=Path, metavar="FILE", help="fail only on violations not in this baseline")
    check.add_argument("--write-baseline", type=Path, metavar="FILE", help="record today's violations in FILE")
    check.add_argument("--strict-baseline", action="store_true", help="with --baseline: also fail while fixed entries remain in it")
    check.add_argument(
        "--new-since", metavar="REV",
        help="report only violations that were not there at the git revision REV (the changed "
        "files are the named paths, or those git diff REV lists); the pre-commit hook uses HEAD",
    )
    check.add_argument(
        "paths", nargs="*", type=Path, metavar="PATH",
        help="report only violations whose chain passes through these files; a directory means "
        "every project file under it, and paths covering the whole project ('.') narrow nothing "
        "(the whole project is always analysed)",
    )
    check.set_defaults(run=run_check)
    for command in (fix, closure, runtime, graph, init, explain):
        command.add_parser(commands)
    return parser


def run() -> NoReturn:
    """The console script: ``main``, then exit without tearing down the interpreter. Freeing a
    large project's graph and report object by object takes longer than the OS takes to
    reclaim the whole process (0.2 s of a 7 s run at 50,000 modules), as mypy also does."""
    code = main()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (BrokenPipeError, OSError):  # the reader went away: nothing left to tell it
            pass
    os._exit(code)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_ERROR
    stdout = sys.stdout
    sys.stdout = cast(TextIO, _ReaderMayLeave(stdout))
    try:
        return int(args.run(args))
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # a bug of ours: say so in one line, exit 2, never a traceback
        if os.environ.get("BOUNDARY_LINT_DEBUG"):
            raise
        print(
            f"boundary-lint: internal error: {type(error).__name__}: {error} "
            "(set BOUNDARY_LINT_DEBUG=1 for the traceback, and please report it)",
            file=sys.stderr,
        )
        return EXIT_ERROR
    finally:
        sys.stdout = stdout


class _ReaderMayLeave:
    """Standard output whose reader may go away (``check | head -1``, ``check | true``): the
    rest of the output has nowhere to go, which is not a failure of the command, so it goes on
    and its exit status is the one it would have had (kept is 0, broken 1). A closed pipe is
    neither a broken contract nor an error."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text)
        except BrokenPipeError:
            self._reader_left()
            return len(text)

    def flush(self) -> None:
        try:
            self._stream.flush()
        except BrokenPipeError:
            self._reader_left()

    def _reader_left(self) -> None:
        # What is still buffered, and whatever follows, goes to /dev/null from now on.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, self._stream.fileno())
        os.close(devnull)

    def __getattr__(self, name: str) -> object:
        return getattr(self._stream, name)


def _print_unanalysed(files: ProjectFiles, root: Path) -> None:
    from boundary_lint.graph.discovery import relative_path

    for directory, count in files.unanalysed_directories():
        print(
            f"boundary-lint: not analysed: {relative_path(Path(directory), root)}: {count} Python "
            f"file{'s' if count > 1 else ''} in a directory without __init__.py inside a package "
            "(grimp and import-linter skip it too; add an __init__.py to check them)",
            file=sys.stderr,
        )


def run_check(args: argparse.Namespace) -> int:
    from boundary_lint.filters.paths import PathError, check_paths_exist, limit_to_files, named_files
    from boundary_lint.filters.baseline import BaselineError, apply_baseline, fixed_entry_errors, read_baseline, render_baseline
    from boundary_lint.filters.new_since import ChangeError
    from boundary_lint.config import ConfigError, require_config
    from boundary_lint.codes import CONFIG_ERROR
    from boundary_lint.engine import CheckOptions, check, discover
    from boundary_lint.formatters import formatter
    from boundary_lint.progress import TerminalProgress, no_progress

    started = time.perf_counter()
    progress = TerminalProgress(sys.stderr) if _shows_progress(args) else None
    try:
        check_paths_exist(args.paths)
        config = require_config(Path.cwd(), args.config)
        files = discover(config)
        named = named_files(args.paths, files.module_files.values(), config.path,
                            f"root packages: {', '.join(config.root_packages)}")
        options = CheckOptions(
            contract_ids=args.contract,
            use_cache=not args.no_cache,
            cache_dir=args.cache_dir.absolute() if args.cache_dir else None,  # a link there is not followed
            disable_noqa=args.disable_noqa,
            progress=progress or no_progress,
        )
        report = check(config, options, files)
        if args.write_baseline:  # with --contract, the other contracts' entries are kept
            earlier = read_baseline(args.write_baseline) if args.contract and args.write_baseline.exists() else None
            _write(args.write_baseline, render_baseline(report, earlier))
        if args.baseline:
            apply_baseline(report, read_baseline(args.baseline), every_contract=not args.contract)
        if args.new_since:
            report = _introduced(report, config, options, files, _compared_revision(args.new_since), named)
        if named is not None:
            report = limit_to_files(report, config.root, named)
        if args.strict_baseline:  # after limiting: the baseline file is rarely a named path
            report.errors.extend(fixed_entry_errors(report))
    except (ConfigError, BaselineError, OSError, PathError, ChangeError) as error:
        return _fail(error.describe() if isinstance(error, ConfigError) else str(error))
    finally:
        if progress is not None:
            progress.close()  # the progress line is gone before any output or message
    color = args.output is None and args.format == "text" and _stdout_is_color_terminal()
    rendered = formatter(args.format)(report, color)
    if args.output:
        try:
            _write(args.output, rendered)
        except OSError as error:
            return _fail(str(error))
    else:
        sys.stdout.write(rendered)
        sys.stdout.flush()
    if args.verbose:
        elapsed = time.perf_counter() - started
        print(f"boundary-lint: configuration: {config.path}", file=sys.stderr)
        print(
            f"boundary-lint: {report.modules} modules, {report.imports} imports; "
            f"checked {len(report.contracts)} contracts in {elapsed:.3f}s",
            file=sys.stderr,
        )
        _print_unanalysed(files, config.root)
        _print_locations(config)
    if args.output or args.format != "text":  # notes (cache not written, ...) are in text only
        for note in report.notes:
            print(f"boundary-lint: warning: {inert(note)}", file=sys.stderr)
    config_errors = [e for e in report.all_errors if e.code == CONFIG_ERROR]
    if config_errors:
        if args.output or args.format != "text":  # not already in front of a person
            for problem in config_errors:
                print(f"boundary-lint: error: {inert(problem.message)}", file=sys.stderr)
        return EXIT_ERROR
    if args.write_baseline:
        return EXIT_KEPT
    return EXIT_KEPT if report.kept else EXIT_BROKEN


def _compared_revision(revision: str) -> str:
    """``pre-commit run --from-ref A --to-ref B`` (a CI job, a pre-push hook) checks the changes
    from A to B, and HEAD is B there: the hook's ``--new-since HEAD`` then means ``A...B``."""
    from_ref, to_ref = os.environ.get("PRE_COMMIT_FROM_REF"), os.environ.get("PRE_COMMIT_TO_REF")
    return f"{from_ref}...{to_ref}" if revision == "HEAD" and from_ref and to_ref else revision


def _introduced(report: Report, config: Config, options: CheckOptions, files: ProjectFiles, revision: str,
                named: set[Path] | None) -> Report:
    from boundary_lint.filters.new_since import only_introduced
    from boundary_lint.engine import load_graph, select_contracts

    project = load_graph(config, options, files)  # the import cache makes this cheap
    return only_introduced(report, config, project, select_contracts(config, options.contract_ids),
                           options, revision, named)


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


def _write(path: Path, text: str) -> None:
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


def _fail(message: str) -> int:
    print(f"boundary-lint: error: {inert(message)}", file=sys.stderr)
    return EXIT_ERROR
