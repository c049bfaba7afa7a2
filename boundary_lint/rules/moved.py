"""``moved``: no reference to a module's old path, in any file of the repository: imports
(absolute, relative, aliased), dotted attribute chains, strings (mock.patch targets, config
defaults, importutils paths), comments and docstrings in Python files; dotted paths and file
paths in every other text file (setup.cfg, tox.ini, paste .ini files, docs, YAML, JSON,
templates). Stale references keep arriving from open reviews long after a move."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import grimp

from boundary_lint.codes import (
    MOVED_FILE_PATH,
    MOVED_IMPORTED,
    MOVED_IN_COMMENT,
    MOVED_IN_FILE,
    MOVED_NAMED,
    MOVED_NOT_DISTRIBUTED,
    MOVED_USED,
)
from boundary_lint.config import MovedSpec
from boundary_lint.graph.mentions import (
    DOTTED,
    Decoded,
    Mention,
    NotText,
    OldPaths,
    configuration_lines,
    decode,
    find_move,
    python_prose_mentions,
    renamed,
)
from boundary_lint.graph.package_lists import SETUP_CFG, missing_packages
from boundary_lint.graph.references import ATTRIBUTE, IMPORT, STRING, module_references
from boundary_lint.graph.repository import CoveredFile, covered_files, list_repository, read_file
from boundary_lint.report import Diagram, DiagramNode
from boundary_lint.rules.common import Finding, RuleContext, RuleOutcome
from boundary_lint.rules.outlines import unique

__all__ = ["check", "find_move", "renamed", "is_python", "may_refer"]

CODES = {IMPORT: MOVED_IMPORTED, ATTRIBUTE: MOVED_USED, STRING: MOVED_NAMED}
WHAT = {IMPORT: "imports", ATTRIBUTE: "uses", STRING: "names in a string"}
MOVED_CODES = (*CODES.values(), MOVED_IN_COMMENT, MOVED_IN_FILE, MOVED_FILE_PATH, MOVED_NOT_DISTRIBUTED)


def is_python(path: Path) -> bool:
    return path.suffix in (".py", ".pyi")


def may_refer(path: Path, data: bytes, old_paths: OldPaths) -> bool:
    """The fast prefilter on a file's bytes. A setup.cfg is always read: its package list
    may lack a new package without naming any old path."""
    if is_python(path):
        return old_paths.may_refer(data)
    return old_paths.may_mention(data) or path.name == SETUP_CFG


def check(spec: MovedSpec, context: RuleContext) -> RuleOutcome:
    index = context.references
    assert index is not None and context.project_root is not None
    outcome = RuleOutcome()
    old_paths = OldPaths(spec.moves)
    repository = list_repository(context.project_root)
    for file in covered_files(repository, spec.include, spec.exclude, index.module_files):
        buffer = index.sources.buffer(file.path) if file.module else None
        python = is_python(file.path)
        try:
            data = buffer.encode("utf-8") if buffer is not None else read_file(file.path)
        except OSError:
            continue  # a module's is reported (BND903) by the graph; others are not ours to read
        if not may_refer(file.path, data, old_paths):
            continue
        try:
            decoded = Decoded(buffer, "utf-8", False) if buffer is not None else decode(data, python)
        except NotText:
            continue
        outcome.findings.extend(file_findings(file, decoded.text, python, old_paths))
    return outcome


def file_findings(file: CoveredFile, text: str, python: bool, old_paths: OldPaths) -> Iterator[Finding]:
    who = file.module or file.shown
    where = None if file.module else file.path
    own = configuration_lines(text) if not python else set()
    mentions = [m for m in old_paths.mentions(text) if m.line not in own]
    tree = _parse(text) if python else None
    if tree is not None:
        module = file.module or ""
        for reference in module_references(tree, module, file.path.name == "__init__.py"):
            move = find_move(reference.name, old_paths.moves) if reference.kind in CODES else None
            if move is None:
                continue
            detail = f"{who} {WHAT[reference.kind]} {reference.name} (now {renamed(reference.name, move)})"
            yield Finding(
                CODES[reference.kind], (who,), detail, reference.line, reference.column, reference.name, where
            )
        mentions = python_prose_mentions(text, tree, mentions)
    for mention in mentions:
        yield _mention_finding(who, where, mention, "a comment or docstring" if tree is not None else "")
    if file.path.name == SETUP_CFG:
        # as the list will be once fix has rewritten it (an entry naming an old path is renamed)
        for missing in missing_packages(old_paths.rewrite(text, own)[0], old_paths.moves):
            detail = (
                f"{who} [{missing.section}] packages does not list {missing.package}, where "
                f"{missing.move.old} moved (it would not be installed)"
            )
            yield Finding(MOVED_NOT_DISTRIBUTED, (who,), detail, missing.line, 1, missing.move.new, where)


def _mention_finding(who: str, where: Path | None, mention: Mention, place: str) -> Finding:
    if mention.form == DOTTED:
        code = MOVED_IN_COMMENT if place else MOVED_IN_FILE
        detail = f"{who} names {mention.name}{' in ' + place if place else ''} (now {mention.new})"
    else:
        code = MOVED_FILE_PATH
        detail = f"{who} names the file path {mention.written} (now {mention.new})"
    return Finding(code, (who,), detail, mention.line, mention.column, mention.name, where)


def _parse(text: str) -> ast.Module | None:
    try:
        return ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):  # nested too deep for Python too
        return None


def outline(spec: MovedSpec, graph: grimp.ImportGraph) -> Diagram:
    """The old paths above the new ones, an edge for each move."""
    nodes = [DiagramNode(m.old, m.old, 0) for m in spec.moves]
    nodes += [DiagramNode(m.new, m.new, 1) for m in spec.moves]  # a path both old and new: once, as old
    moves = tuple((m.old, m.new) for m in spec.moves)
    return Diagram(tuple(unique(nodes)), moves, ("old paths", "new paths"))
