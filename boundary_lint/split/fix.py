"""``boundary-lint fix``: rewrite every reference to a moved module's old path, in place, in
any file of the repository, changing nothing else: every other byte (line endings, a
byte-order mark, a PEP 263 encoding) is kept.

Text first: every dotted path and file path that names an old path (graph.mentions) becomes the
new one, in code, strings, comments, docstrings and every other text file. Python needs more
only where the old path is not written out: a relative import that resolves to an old path
(made absolute) and ``from trove import guestagent`` (which must become an import of the new
module). Those are found with ``ast`` and rewritten with libcst, a concrete-syntax-tree rewrite
that keeps formatting and comments; only files that have one are parsed with libcst. Running
it twice changes nothing the second time."""

from __future__ import annotations

import ast
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from boundary_lint.config import Move
from boundary_lint.graph.mentions import OldPaths, configuration_lines, decode, find_move, renamed
from boundary_lint.graph.noqa import NOQA, is_suppressed
from boundary_lint.graph.package_lists import SETUP_CFG, add_missing_packages
from boundary_lint.graph.references import resolve_relative
from boundary_lint.rules.moved import MOVED_CODES

if TYPE_CHECKING:
    import libcst as cst

_NEWLINE = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class FixResult:
    data: bytes  # the file's new bytes
    changes: int  # references rewritten
    encoding: str  # the file's, for showing a diff in it
    parsed: bool = False  # whether libcst had to parse it


class NotFixable(Exception):
    """A Python file that may import an old path without spelling it (a relative import, a
    ``from`` import of its package) but does not parse: its imports cannot be read, so it is
    left alone."""


def fix_file(
    data: bytes, python: bool, module: str, is_package: bool, old_paths: OldPaths, name: str = ""
) -> FixResult:
    """The rewritten bytes of one file. ``module`` is its module name ("" for a file that is
    not a module of the root packages, whose relative imports cannot be resolved); ``name``
    its file name (a setup.cfg also gets the moves' new top-level packages listed). Raises
    graph.mentions.NotText for a file that is not text, NotFixable for Python whose imports
    must be read but that does not parse."""
    decoded = decode(data, python)
    text, changes, parsed = decoded.text, 0, False
    if python:
        if may_import_by_last_part(text, old_paths.moves) and needs_import_rewrite(
            _parse(text), module, is_package, old_paths.moves
        ):
            text, changes = rewrite_imports(text, module, is_package, old_paths.moves)
            parsed = True
    kept_lines = (configuration_lines(text) if not python else set()) | suppressed_lines(text)
    text, mentions = old_paths.rewrite(text, kept_lines)
    if name == SETUP_CFG:
        text, added = add_missing_packages(text, old_paths.moves)
        mentions += added
    if not changes and not mentions:
        return FixResult(data, 0, decoded.encoding, parsed)
    return FixResult(decoded.encode(text), changes + mentions, decoded.encoding, parsed)


def _parse(text: str) -> ast.Module:
    try:
        return ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError) as error:  # RecursionError: nested too deep
        raise NotFixable(f"does not parse: {error}") from None


def suppressed_lines(text: str) -> set[int]:
    """Lines whose ``# noqa: CODES`` names a moved contract's code (``BND203``, ``BND2``):
    ``check`` does not report their old paths (a compatibility shim that must keep one, say),
    so ``fix`` keeps them too. A bare ``# noqa`` (there for another tool's warning, an unused
    import say) does not keep an old path: the moved module is no longer there."""
    if "noqa" not in text.lower():
        return set()
    kept = set()
    for number, line in enumerate(_NEWLINE.split(text), 1):
        match = NOQA.search(line)
        if match is not None and match.group("codes") and any(is_suppressed(c, [line]) for c in MOVED_CODES):
            kept.add(number)
    return kept


@functools.lru_cache(maxsize=64)
def _import_pattern(moves: tuple[Move, ...]) -> re.Pattern[str]:
    parents = sorted({m.old.rpartition(".")[0] for m in moves} - {""})
    alternatives = [r"\.+[\w.]*", *(re.escape(p) for p in parents)]
    return re.compile(r"\bfrom\s+(?:" + "|".join(alternatives) + r")\s+import\b")


def may_import_by_last_part(text: str, moves: Sequence[Move]) -> bool:
    """Whether the text has a relative import or a ``from`` import of an old path's package:
    the only imports that can name an old path without spelling it (a fast test on the text,
    before the syntax tree is walked)."""
    return _import_pattern(tuple(moves)).search(text) is not None


def needs_import_rewrite(tree: ast.Module, module: str, is_package: bool, moves: Sequence[Move]) -> bool:
    """Whether an import names an old path without writing it out: relatively, or as a name
    imported from its package (``from trove import guestagent``)."""
    for node in ast.walk(tree):
        if not isinstance(node, ast.ImportFrom):
            continue
        base = resolve_relative(module, is_package, node.level, node.module) if node.level else node.module
        if base is None:
            continue
        if node.level and find_move(base, moves):
            return True
        if not find_move(base, moves) and any(find_move(f"{base}.{a.name}", moves) for a in node.names):
            return True
    return False


def rewrite_imports(text: str, module: str, is_package: bool, moves: Sequence[Move]) -> tuple[str, int]:
    """Rewrite the imports ``needs_import_rewrite`` finds, with libcst (imported here: most
    runs never need it, and importing it costs more than the rest of a run)."""
    import libcst

    try:
        tree = libcst.parse_module(text)
    except libcst.ParserSyntaxError as error:
        raise NotFixable(f"libcst cannot parse it: {str(error).splitlines()[0]}") from None
    rewriter = _rewriter_class()(module, is_package, tuple(moves))
    return tree.visit(rewriter).code, rewriter.changes


def _dotted(node: cst.CSTNode | None) -> str | None:
    import libcst as cst

    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        base = _dotted(node.value)
        return f"{base}.{node.attr.value}" if base else None
    return None


@functools.cache
def _rewriter_class() -> Any:
    """The libcst transformer, defined on first use so that libcst is imported only then."""
    import libcst as cst

    class MoveRewriter(cst.CSTTransformer):
        def __init__(self, module: str, is_package: bool, moves: tuple[Move, ...]) -> None:
            super().__init__()
            self.module = module
            self.is_package = is_package
            self.moves = moves
            self.old_paths = {m.old: m for m in moves}
            self.changes = 0

        def leave_ImportFrom(self, original: cst.ImportFrom, updated: cst.ImportFrom) -> Any:
            base = _dotted(updated.module) if updated.module else None
            if updated.relative:
                base = resolve_relative(self.module, self.is_package, len(updated.relative), base)
                if base is None:
                    return updated
                move = find_move(base, self.moves)
                if move is not None:  # a relative import of an old path: make it absolute
                    self.changes += 1
                    new = renamed(base, move)
                    module = (
                        cst.ensure_type(cst.parse_expression(new), cst.Attribute)
                        if "." in new
                        else cst.Name(new)
                    )
                    updated = updated.with_changes(relative=[], module=module)
                    return updated
            if base is None or isinstance(updated.names, cst.ImportStar):
                return updated
            return self._split_moved_names(base, updated)

        def leave_SimpleStatementLine(
            self, original: cst.SimpleStatementLine, updated: cst.SimpleStatementLine
        ) -> Any:
            """An import split in two goes on two lines, not one line joined by ``;``."""
            if len(original.body) != 1 or len(updated.body) == 1:
                return updated
            lines = [
                cst.SimpleStatementLine(body=[statement.with_changes(semicolon=cst.MaybeSentinel.DEFAULT)])
                for statement in updated.body
            ]
            lines[0] = lines[0].with_changes(leading_lines=updated.leading_lines)
            lines[-1] = lines[-1].with_changes(trailing_whitespace=updated.trailing_whitespace)
            return cst.FlattenSentinel(lines)

        def _split_moved_names(self, base: str, node: cst.ImportFrom) -> Any:
            """``from trove import guestagent``: the name itself moved, so it is imported from
            its new place in a statement of its own."""
            assert not isinstance(node.names, cst.ImportStar)
            kept: list[cst.ImportAlias] = []
            moved: list[tuple[cst.ImportAlias, Move]] = []
            for alias in node.names:
                move = self.old_paths.get(f"{base}.{_dotted(alias.name)}")
                if move is None:
                    kept.append(alias)
                else:
                    moved.append((alias, move))
            if not moved:
                return node
            statements: list[cst.BaseSmallStatement] = []
            if kept:
                names = [a.with_changes(comma=cst.MaybeSentinel.DEFAULT) for a in kept]
                statements.append(node.with_changes(names=names, lpar=None, rpar=None))
            for alias, move in moved:
                self.changes += 1
                local = (
                    cst.ensure_type(alias.asname.name, cst.Name).value
                    if alias.asname
                    else str(_dotted(alias.name))
                )
                parent, _, last = move.new.rpartition(".")
                asname = None if last == local else cst.AsName(name=cst.Name(local))
                if parent:
                    module = (
                        cst.ensure_type(cst.parse_expression(parent), cst.Attribute)
                        if "." in parent
                        else cst.Name(parent)
                    )
                    statements.append(
                        cst.ImportFrom(
                            module=module, names=[cst.ImportAlias(name=cst.Name(last), asname=asname)]
                        )
                    )
                else:
                    statements.append(cst.Import(names=[cst.ImportAlias(name=cst.Name(last), asname=asname)]))
            return cst.FlattenSentinel(statements)

    return MoveRewriter
