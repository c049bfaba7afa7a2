"""``boundary-lint fix``: rewrite references to moved modules (the ``moved`` contracts), in
every file the contracts cover, keeping every other byte; never through a symbolic link, never
outside the project."""

from __future__ import annotations

import argparse
import difflib
import os
import stat
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from boundary_lint.commands.common import EXIT_ERROR, EXIT_FOUND, EXIT_OK, add_config_argument, fail, load
from boundary_lint.files import replace_file

if TYPE_CHECKING:
    from collections.abc import Mapping
    from types import ModuleType

    from boundary_lint.commands.common import Subcommands
    from boundary_lint.config import Config, Move, MovedSpec
    from boundary_lint.graph.mentions import OldPaths
    from boundary_lint.graph.repository import CoveredFile, RepositoryFiles


def add_parser(commands: Subcommands) -> None:
    parser = commands.add_parser(
        "fix", help="rewrite every reference to a moved module (needs libcst: boundary-lint[fix])"
    )
    add_config_argument(parser)
    parser.add_argument(
        "--diff",
        action="store_true",
        help="print the changes as a diff instead of writing them (exit 1 if any)",
    )
    parser.add_argument(
        "--verbose",
        action="store_true",
        help="say which files were read, parsed and skipped, and the time taken",
    )
    parser.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="only these files, or the files under these directories (default: every file the moved contracts cover)",
    )
    parser.set_defaults(run=run)


@dataclass
class _Tally:
    listed: int = 0
    read: int = 0
    parsed: int = 0
    changed: int = 0
    failed: int = 0
    skipped: list[str] = field(default_factory=list)


def run(args: argparse.Namespace) -> int:
    import importlib.util

    from boundary_lint.config import ConfigError, MovedSpec
    from boundary_lint.engine import discover

    if importlib.util.find_spec("libcst") is None:  # imported only if an import must be rewritten
        return fail("`boundary-lint fix` needs libcst: pip install 'boundary-lint[fix]'")
    from boundary_lint.split import fix as fixer

    started = time.perf_counter()
    config = load(args)
    specs = [c for c in config.contracts if isinstance(c, MovedSpec)]
    if not specs:
        raise ConfigError("no `moved` contract: nothing to fix", path=config.path)
    files = discover(config)
    from boundary_lint.graph.repository import list_repository

    repository = list_repository(config.root)
    tally = _Tally(skipped=list(repository.skipped))
    wanted = [Path(os.path.abspath(path)) for path in args.paths]
    missing = next((path for path in args.paths if not os.path.lexists(path)), None)
    if missing is not None:
        return fail(f"{missing}: no such file or directory")
    for file, moves in _files_and_moves(config, specs, repository, files.module_files):
        if wanted and not any(file.path == path or file.path.is_relative_to(path) for path in wanted):
            continue
        tally.listed += 1
        _fix_one(file, moves, config, args.diff, tally, fixer)
    if args.verbose:
        for note in tally.skipped:
            print(f"boundary-lint fix: skipped {note}", file=sys.stderr)
        print(
            f"boundary-lint fix: {tally.listed} files covered ({repository.source}), {tally.read} contain an old path, "
            f"{tally.parsed} parsed with libcst; {time.perf_counter() - started:.2f}s",
            file=sys.stderr,
        )
    verb = "to change" if args.diff else "changed"
    print(
        f"boundary-lint fix: {tally.changed} file{'s' if tally.changed != 1 else ''} {verb}", file=sys.stderr
    )
    if tally.failed:
        return EXIT_ERROR
    return EXIT_FOUND if args.diff and tally.changed else EXIT_OK


def _files_and_moves(
    config: Config, specs: list[MovedSpec], repository: RepositoryFiles, module_files: Mapping[str, Path]
) -> list[tuple[CoveredFile, tuple[Move, ...]]]:
    """Each covered file with the moves of the contracts that cover it."""
    from boundary_lint.graph.repository import covered_files

    moves_of: dict[Path, tuple[CoveredFile, tuple[Move, ...]]] = {}
    for spec in specs:
        for file in covered_files(repository, spec.include, spec.exclude, module_files):
            known = moves_of.get(file.path)
            moves_of[file.path] = (file, (known[1] if known else ()) + spec.moves)
    return sorted(moves_of.values(), key=lambda item: item[0].shown)


_OLD_PATHS: dict[tuple[Move, ...], OldPaths] = {}


def _fix_one(
    file: CoveredFile, moves: tuple[Move, ...], config: Config, diff: bool, tally: _Tally, fixer: ModuleType
) -> None:
    from boundary_lint.graph.mentions import NotText, OldPaths
    from boundary_lint.graph.repository import read_file
    from boundary_lint.rules.moved import is_python, may_refer

    old_paths = _OLD_PATHS.get(moves)
    if old_paths is None:
        old_paths = _OLD_PATHS[moves] = OldPaths(moves)
    python = is_python(file.path)
    try:
        data = read_file(file.path)
    except OSError as error:
        tally.skipped.append(f"{file.shown}: cannot be read ({error.strerror})")
        return
    if not may_refer(file.path, data, old_paths):
        return
    tally.read += 1
    try:
        result = fixer.fix_file(
            data, python, file.module or "", file.path.name == "__init__.py", old_paths, file.path.name
        )
    except NotText as error:
        tally.skipped.append(f"{file.shown}: {error}")
        return
    except fixer.NotFixable as error:
        print(f"{file.shown}: not fixed: {str(error).splitlines()[0]}", file=sys.stderr)
        tally.failed += 1
        return
    tally.parsed += result.parsed
    if result.data == data:
        return
    refusal = _refusal(file, config)
    if refusal:
        print(f"{file.shown}: not fixed: {refusal}", file=sys.stderr)
        tally.failed += 1
        return
    tally.changed += 1
    if diff:
        _show_diff(file.shown, data, result.data, result.encoding)
    else:
        try:
            _write_atomically(file.path, data, result.data)
        except OSError as error:
            print(f"{file.shown}: not fixed: {error}", file=sys.stderr)
            tally.failed += 1
            tally.changed -= 1
            return
    verb = "would rewrite" if diff else "rewrote"
    print(
        f"{file.shown}: {verb} {result.changes} reference{'s' if result.changes != 1 else ''}",
        file=sys.stderr,
    )


def _refusal(file: CoveredFile, config: Config) -> str | None:
    """Why the file must not be written: reached through a symbolic link, or outside the
    project (the configuration's directory) without being a module of its root packages."""
    through_link = "reached through a symbolic link (fix the file it points to instead)"
    if file.path.is_relative_to(config.root):
        if os.path.realpath(file.path) != os.path.join(os.path.realpath(config.root), file.shown):
            return through_link
    elif not file.module:
        return "outside the project"
    elif os.path.realpath(file.path) != os.path.join(os.path.realpath(file.path.parent), file.path.name):
        return through_link
    return None


def _write_atomically(path: Path, old: bytes, new: bytes) -> None:
    """Write ``new`` to a temporary file beside ``path`` with its permissions, then rename it
    over ``path``: a reader sees the old file or the new one, never half of it, and a symbolic
    link put in its place meanwhile is replaced, not followed. A file that changed since it
    was read is left alone."""
    st = os.lstat(path)
    if not stat.S_ISREG(st.st_mode):
        raise OSError("no longer a regular file")
    from boundary_lint.graph.repository import read_file

    if read_file(path) != old:
        raise OSError("changed while being fixed")
    replace_file(path, new, stat.S_IMODE(st.st_mode))


def _show_diff(shown: str, old: bytes, new: bytes, encoding: str) -> None:
    """A unified diff of the file's own bytes: its line endings and encoding, as ``git diff``
    shows them (so a CRLF file's diff shows no line-ending change, and applies as a patch)."""
    before = _lines(old.decode(encoding, "surrogateescape"))
    after = _lines(new.decode(encoding, "surrogateescape"))
    out = sys.stdout.buffer
    sys.stdout.flush()
    for number, line in enumerate(difflib.unified_diff(before, after, f"a/{shown}", f"b/{shown}")):
        data = line.encode("utf-8" if number < 2 else encoding, "surrogateescape")  # the headers name files
        out.write(data)
        if not data.endswith(b"\n"):
            out.write(b"\n\\ No newline at end of file\n")
    out.flush()


def _lines(text: str) -> list[str]:
    """Lines ending at \\n only (keeping a \\r before it): str.splitlines would also split at
    form feeds and other separators, which a diff must not."""
    lines = text.split("\n")
    return [line + "\n" for line in lines[:-1]] + ([lines[-1]] if lines[-1] else [])
