"""``boundary-lint fix``: rewrite references to moved modules (the ``moved`` contracts)."""

from __future__ import annotations

import argparse
import difflib
import sys
from pathlib import Path

from boundary_lint.commands.common import EXIT_ERROR, EXIT_FOUND, EXIT_OK, add_config_argument, fail, load


def add_parser(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = commands.add_parser(
        "fix", help="rewrite every reference to a moved module (needs libcst: boundary-lint[fix])"
    )
    add_config_argument(parser)
    parser.add_argument("--diff", action="store_true", help="print the changes as a diff instead of writing them (exit 1 if any)")
    parser.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="only these files (default: the whole project)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from boundary_lint.config import ConfigError, MovedSpec
    from boundary_lint.engine import CheckOptions, load_graph

    try:
        import libcst

        from boundary_lint.fixer import fix_source
    except ImportError:
        return fail("`boundary-lint fix` needs libcst: pip install 'boundary-lint[fix]'")
    try:
        config = load(args)
        moves = [move for c in config.contracts if isinstance(c, MovedSpec) for move in c.moves]
        if not moves:
            raise ConfigError("no `moved` contract: nothing to fix", path=config.path)
        project = load_graph(config, CheckOptions())
    except ConfigError as error:
        return fail(error.describe())
    wanted = {path.resolve() for path in args.paths}
    changed = failed = 0
    for module, path in sorted(project.module_files.items()):
        if wanted and path not in wanted:
            continue
        shown = path.relative_to(config.root).as_posix() if path.is_relative_to(config.root) else str(path)
        try:
            text = path.read_text(encoding="utf-8")
            result = fix_source(text, module, path.name == "__init__.py", moves)
        except (OSError, UnicodeDecodeError, libcst.ParserSyntaxError) as error:
            print(f"{shown}: not fixed: {str(error).splitlines()[0]}", file=sys.stderr)
            failed += 1
            continue
        if result.text == text:
            continue
        changed += 1
        if args.diff:
            sys.stdout.writelines(difflib.unified_diff(
                text.splitlines(keepends=True), result.text.splitlines(keepends=True), f"a/{shown}", f"b/{shown}"))
        else:
            path.write_text(result.text, encoding="utf-8")
        verb = "would rewrite" if args.diff else "rewrote"
        plural = "s" if result.changes != 1 else ""
        print(f"{shown}: {verb} {result.changes} reference{plural}", file=sys.stderr)
    print(f"boundary-lint fix: {changed} file{'s' if changed != 1 else ''} {'to change' if args.diff else 'changed'}", file=sys.stderr)
    if failed:
        return EXIT_ERROR
    return EXIT_FOUND if args.diff and changed else EXIT_OK
