"""What the commands share: finding the configuration, writing the result, reporting a failure."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from boundary_lint import exit_codes
from boundary_lint.escaping import inert

if TYPE_CHECKING:
    from boundary_lint.config import Config

EXIT_OK, EXIT_FOUND, EXIT_ERROR = exit_codes.OK, exit_codes.FOUND, exit_codes.ERROR

if TYPE_CHECKING:
    # What ``add_parser`` receives: argparse names the class only privately.
    Subcommands = argparse._SubParsersAction[argparse.ArgumentParser]


def add_config_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--config", type=Path, help="configuration file (default: discovered upwards from here)"
    )


def load(args: argparse.Namespace) -> Config:
    """The configuration named by ``--config``, or found as every front end finds it (see
    ``config.loading``); raises ConfigError."""
    from boundary_lint.config import require_config

    return require_config(Path.cwd(), args.config)


def fail(message: str) -> int:
    print(f"boundary-lint: error: {inert(message)}", file=sys.stderr)
    return EXIT_ERROR


def emit(text: str, output: Path | None) -> int:
    """Write a command's result to ``output``, or to standard output if None."""
    if output is None:
        sys.stdout.write(text)
        return EXIT_OK
    from boundary_lint.files import write_file

    try:
        write_file(output, text)
    except OSError as error:
        return fail(str(error))
    return EXIT_OK
