"""Where an import statement sits in its file: column and the lines it spans.

grimp gives the line an import starts on; flake8 wants a column, and ``# noqa`` may sit on any
line of a statement that spans several. Both front ends use these functions, so they agree."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Statement:
    column: int  # 1-based
    lines: tuple[str, ...]  # the statement's physical lines


def import_statements(tree: ast.AST) -> dict[int, tuple[int, int]]:
    """line -> (0-based column, end line) of the first import statement starting on each line."""
    found: dict[int, tuple[int, int]] = {}
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            known = found.get(node.lineno)
            if known is None or node.col_offset < known[0]:
                found[node.lineno] = (node.col_offset, node.end_lineno or node.lineno)
    return found


class SourceIndex:
    """Reads and parses files lazily, once each."""

    def __init__(self) -> None:
        self._files: dict[Path, tuple[list[str], dict[int, tuple[int, int]]]] = {}

    def add(self, path: Path, text: str) -> None:
        """Use ``text`` for ``path`` instead of the file (an unsaved editor buffer)."""
        try:
            statements = import_statements(ast.parse(text))
        except (SyntaxError, ValueError):
            statements = {}
        self._files[path] = (text.splitlines(), statements)

    def _load(self, path: Path) -> tuple[list[str], dict[int, tuple[int, int]]]:
        if path not in self._files:
            try:
                source = path.read_bytes()
                lines = source.decode("utf-8", "replace").splitlines()
                statements = import_statements(ast.parse(source))
            except (OSError, SyntaxError, ValueError):
                lines, statements = [], {}
            self._files[path] = (lines, statements)
        return self._files[path]

    def statement(self, path: Path, line: int) -> Statement:
        lines, statements = self._load(path)
        column, end = statements.get(line, (None, line))
        text = tuple(lines[line - 1 : end]) if 0 < line <= len(lines) else ()
        if column is None:  # not found by the parser: fall back to the indentation
            first = text[0] if text else ""
            column = len(first) - len(first.lstrip())
        return Statement(column + 1, text)
