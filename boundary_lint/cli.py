"""The command line: one module per command (boundary_lint/commands), each adding its parser
and running it. Here only what they share: the parser, the exit code of a failure described
for the user (printed once, as one line), and standard output whose reader may leave."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from typing import NoReturn, TextIO, cast

from boundary_lint import __version__, exit_codes
from boundary_lint.commands.common import fail
from boundary_lint.errors import UserError

# Each command's module, in the order ``--help`` lists them.
COMMANDS = {
    "check": "boundary_lint.commands.check",
    "fix": "boundary_lint.commands.fix",
    "closure": "boundary_lint.commands.closure",
    "runtime": "boundary_lint.commands.runtime",
    "graph": "boundary_lint.commands.graph",
    "plan": "boundary_lint.commands.plan",
    "explore": "boundary_lint.commands.explore",
    "init": "boundary_lint.commands.init",
    "explain": "boundary_lint.commands.explain",
    "lsp": "boundary_lint.lsp.command",
}


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The parser of every command, or of ``only`` that one: the other commands' modules
    (and what they import) are then not loaded, a fifth of a warm check's time."""
    parser = argparse.ArgumentParser(
        prog="boundary-lint", description="Check import-boundary contracts on a Python code base."
    )
    parser.add_argument("--version", action="version", version=f"boundary-lint {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, module in COMMANDS.items():
        if only is None or name == only:
            importlib.import_module(module).add_parser(commands)
    return parser


def run() -> NoReturn:
    """The console script: ``main``, then exit without tearing down the interpreter. Freeing a
    large project's graph and report object by object takes longer than the OS takes to
    reclaim the whole process (0.2 s of a 7 s run at 50,000 modules), as mypy also does."""
    code = main()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (BrokenPipeError, OSError, ValueError):  # the reader went away (or closed it: lsp)
            pass
    os._exit(code)


def main(argv: Sequence[str] | None = None) -> int:
    arguments = sys.argv[1:] if argv is None else list(argv)
    # Only a command's name can come first but --version and --help: a command's parser is
    # all that is needed to run it, and --version needs none.
    first = arguments[0] if arguments else None
    parser = build_parser(first if first in COMMANDS else "" if first == "--version" else None)
    args = parser.parse_args(arguments)
    if args.command is None:
        parser.print_help(sys.stderr)
        return exit_codes.ERROR
    stdout = sys.stdout
    sys.stdout = cast(TextIO, _ReaderMayLeave(stdout))
    try:
        return int(args.run(args))
    except KeyboardInterrupt:
        return exit_codes.INTERRUPTED
    except UserError as error:
        return fail(error.describe())
    except OSError as error:  # a file that cannot be read or written, named by the error
        return fail(str(error))
    except Exception as error:  # a bug of ours: say so in one line, exit 2, never a traceback
        if os.environ.get("BOUNDARY_LINT_DEBUG"):
            raise
        print(
            f"boundary-lint: internal error: {type(error).__name__}: {error} "
            "(set BOUNDARY_LINT_DEBUG=1 for the traceback, and please report it)",
            file=sys.stderr,
        )
        return exit_codes.ERROR
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
