"""``boundary-lint fix``: rewrite every reference to a moved module's old path, in place.

A concrete-syntax-tree rewrite (libcst), so formatting and comments are kept and nothing but the
references changes: dotted attribute chains and import statements naming an old path (the
chain ``trove.guestagent`` becomes ``troveguest`` wherever it appears), relative imports that
resolve to an old path (made absolute), ``from trove import guestagent`` (which must become an
import of the new module), and strings naming an old path. Running it twice changes nothing
the second time."""

from __future__ import annotations

import ast
from collections.abc import Sequence
from dataclasses import dataclass

import libcst as cst

from boundary_lint.config import Move
from boundary_lint.graph.references import resolve_relative
from boundary_lint.rules.moved import find_move, renamed


@dataclass(frozen=True)
class FixResult:
    text: str
    changes: int


def fix_source(text: str, module: str, is_package: bool, moves: Sequence[Move]) -> FixResult:
    """The rewritten text and how many references changed. Raises libcst's ParserSyntaxError
    for text that does not parse."""
    tree = cst.parse_module(text)
    rewriter = MoveRewriter(module, is_package, tuple(moves))
    new_tree = tree.visit(rewriter)
    return FixResult(new_tree.code, rewriter.changes)


def _dotted(node: cst.CSTNode | None) -> str | None:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        base = _dotted(node.value)
        return f"{base}.{node.attr.value}" if base else None
    return None



class MoveRewriter(cst.CSTTransformer):
    def __init__(self, module: str, is_package: bool, moves: tuple[Move, ...]) -> None:
        super().__init__()
        self.module = module
        self.is_package = is_package
        self.moves = moves
        self.old_paths = {m.old: m for m in moves}
        self.changes = 0

    def leave_Attribute(self, original: cst.Attribute, updated: cst.Attribute) -> cst.BaseExpression:
        move = self.old_paths.get(_dotted(original) or "")
        if move is None:
            return updated
        self.changes += 1
        return cst.parse_expression(move.new)

    def leave_SimpleString(self, original: cst.SimpleString, updated: cst.SimpleString) -> cst.SimpleString:
        try:
            value = ast.literal_eval(original.value)
        except (ValueError, SyntaxError):
            return updated
        if not isinstance(value, str):
            return updated
        name, colon, attribute = value.partition(":")
        move = find_move(name, self.moves)
        if move is None or original.value[len(original.prefix) + len(original.quote):].count("\\"):
            return updated
        self.changes += 1
        new_value = renamed(name, move) + colon + attribute
        return updated.with_changes(value=f"{original.prefix}{original.quote}{new_value}{original.quote}")

    def leave_ImportFrom(self, original: cst.ImportFrom, updated: cst.ImportFrom):  # type: ignore[no-untyped-def]
        base = _dotted(updated.module) if updated.module else None
        if updated.relative:
            base = resolve_relative(self.module, self.is_package, len(updated.relative), base)
            if base is None:
                return updated
            move = find_move(base, self.moves)
            if move is not None:  # a relative import of an old path: make it absolute
                self.changes += 1
                new = renamed(base, move)
                module = cst.ensure_type(cst.parse_expression(new), cst.Attribute) if "." in new else cst.Name(new)
                updated = updated.with_changes(relative=[], module=module)
                return updated
        if base is None or isinstance(updated.names, cst.ImportStar):
            return updated
        return self._split_moved_names(base, updated)

    def leave_SimpleStatementLine(self, original: cst.SimpleStatementLine, updated: cst.SimpleStatementLine):  # type: ignore[no-untyped-def]
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

    def _split_moved_names(self, base: str, node: cst.ImportFrom):  # type: ignore[no-untyped-def]
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
            local = cst.ensure_type(alias.asname.name, cst.Name).value if alias.asname else str(_dotted(alias.name))
            parent, _, last = move.new.rpartition(".")
            asname = None if last == local else cst.AsName(name=cst.Name(local))
            if parent:
                module = cst.ensure_type(cst.parse_expression(parent), cst.Attribute) if "." in parent else cst.Name(parent)
                statements.append(cst.ImportFrom(module=module, names=[cst.ImportAlias(name=cst.Name(last), asname=asname)]))
            else:
                statements.append(cst.Import(names=[cst.ImportAlias(name=cst.Name(last), asname=asname)]))
        return cst.FlattenSentinel(statements)

