"""``boundary-lint lsp``: the language server over stdio (needs the ``lsp`` extra)."""

from __future__ import annotations

import argparse

from boundary_lint.commands.common import EXIT_OK, add_config_argument
from boundary_lint.errors import UserError


class MissingExtraError(UserError):
    """The language server's libraries are not installed."""


def add_parser(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = commands.add_parser(
        "lsp", help="a language server over stdio (pip install 'boundary-lint[lsp]')"
    )
    add_config_argument(parser)  # initializationOptions.config, if the client sends it, wins
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    try:
        from boundary_lint.lsp.server import serve
    except ImportError as error:
        raise MissingExtraError(
            f"the language server needs pygls: pip install 'boundary-lint[lsp]' ({error})"
        ) from error
    serve(args.config.resolve() if args.config is not None else None)
    return EXIT_OK
