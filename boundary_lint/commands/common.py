"""What the commands share: finding the configuration, reporting a failure."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from boundary_lint.config import Config

EXIT_OK, EXIT_FOUND, EXIT_ERROR = 0, 1, 2


def add_config_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", type=Path, help="configuration file (default: discovered upwards from here)")


def load(args: argparse.Namespace) -> Config:
    """The configuration named by ``--config``, or discovered; raises ConfigError."""
    from boundary_lint.config import ConfigError, discover_config, load_config

    config = load_config(args.config) if args.config else discover_config(Path.cwd())
    if config is None:
        raise ConfigError(
            "no configuration found: give --config, or add [tool.boundary_lint] to "
            "pyproject.toml or [boundary_lint] to setup.cfg / tox.ini"
        )
    return config


def fail(message: str) -> int:
    print(f"boundary-lint: error: {message}", file=sys.stderr)
    return EXIT_ERROR
