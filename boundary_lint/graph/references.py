"""Every place a file names a module: imports, dotted attribute chains, strings, and
dynamic-import calls. Static imports are grimp's business; these are what it does not see, and
what a module move must rewrite."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from boundary_lint.graph.source import SourceIndex

IMPORT, ATTRIBUTE, STRING, DYNAMIC = "import", "attribute", "string", "dynamic"

_DOTTED = re.compile(r"^[A-Za-z_]\w*(\.[A-Za-z_]\w*)+$")

# Calls that import a module named by their first argument, and what the argument names:
# "module" (the module itself) or "object" (an attribute of a module: drop the last part).
_IMPORTERS = {
    "import_module": "module",  # importlib, oslo.utils importutils
    "__import__": "module",
    "try_import": "module",  # oslo.utils importutils
    "import_versioned_module": "module",
    "import_class": "object",
    "import_object": "object",
    "import_any": "module",
}


@dataclass(frozen=True)
class Reference:
    kind: str  # IMPORT, ATTRIBUTE, STRING or DYNAMIC
    name: str  # the absolute dotted name referred to
    line: int
    column: int  # 1-based
    call: str = ""  # for DYNAMIC: the function called
    text: str = ""  # for DYNAMIC: the string argument as written (a module or a class path)
    context: str = ""  # for STRING: "default" (an option's default=) or "patch" (a mock.patch target)


def module_references(tree: ast.Module, module: str, is_package: bool) -> list[Reference]:
    """All references in a module's tree, in source order."""
    found = list(_walk(tree, module, is_package))
    return sorted(found, key=lambda r: (r.line, r.column, r.kind, r.name))


def resolve_relative(module: str, is_package: bool, level: int, name: str | None) -> str | None:
    """``from ..x import y`` inside ``module``: the absolute name of ``..x`` (None if it
    climbs out of the root package)."""
    package = module if is_package else module.rpartition(".")[0]
    parts = package.split(".") if package else []
    if level - 1 > len(parts) - 1:
        return None
    base = parts[: len(parts) - (level - 1)]
    return ".".join([*base, name] if name else base) or None


def _note_string_contexts(call: ast.Call, contexts: dict[int, str]) -> None:
    """Strings in the places code names classes and modules by string: option defaults
    (``cfg.StrOpt(..., default='a.b.C')``) and mock.patch targets. (ast.walk visits a call
    before its arguments, so they are noted in time.)"""
    for keyword in call.keywords:
        if keyword.arg == "default":
            contexts[id(keyword.value)] = "default"
    callee = _callee_name(call.func)
    if call.args and (callee == "patch" or callee.endswith(".patch") or ".patch." in callee):
        contexts[id(call.args[0])] = "patch"


def _callee_name(node: ast.expr) -> str:
    """``a.b.c`` for a called name or attribute chain ("" for anything else)."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return ""
    return ".".join([node.id, *reversed(parts)])


def _walk(tree: ast.Module, module: str, is_package: bool) -> Iterator[Reference]:
    inner_attributes: set[int] = set()
    contexts: dict[int, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Reference(IMPORT, alias.name, alias.lineno, alias.col_offset + 1)
        elif isinstance(node, ast.ImportFrom):
            base = (
                node.module
                if not node.level
                else resolve_relative(module, is_package, node.level, node.module)
            )
            if base is None:
                continue
            for alias in node.names:
                name = base if alias.name == "*" else f"{base}.{alias.name}"
                yield Reference(IMPORT, name, alias.lineno, alias.col_offset + 1)
        elif isinstance(node, ast.Attribute) and id(node) not in inner_attributes:
            dotted = _dotted(node, inner_attributes)
            if dotted and "." in dotted:
                yield Reference(ATTRIBUTE, dotted, node.lineno, node.col_offset + 1)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value.split(":")[0] if node.value.count(":") == 1 else node.value
            if _DOTTED.match(text):
                yield Reference(
                    STRING, text, node.lineno, node.col_offset + 1, context=contexts.get(id(node), "")
                )
        elif isinstance(node, ast.Call):
            _note_string_contexts(node, contexts)
            dynamic = _dynamic_import(node)
            if dynamic:
                yield dynamic


def _dotted(node: ast.expr, inner: set[int]) -> str | None:
    """``a.b.c`` for an attribute chain rooted at a name; marks the inner links as seen."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
        if isinstance(node, ast.Attribute):
            inner.add(id(node))
    if not isinstance(node, ast.Name):
        return None
    return ".".join([node.id, *reversed(parts)])


def _dynamic_import(call: ast.Call) -> Reference | None:
    function = call.func
    name = (
        function.attr
        if isinstance(function, ast.Attribute)
        else function.id
        if isinstance(function, ast.Name)
        else None
    )
    if name not in _IMPORTERS or not call.args:
        return None
    argument = call.args[0]
    if not isinstance(argument, ast.Constant) or not isinstance(argument.value, str):
        return None
    target = argument.value
    if not _DOTTED.match(target) and not target.isidentifier():
        return None
    if _IMPORTERS[name] == "object":
        target = target.rpartition(".")[0]
        if not target:
            return None
    callee = _callee_name(function) or name
    return Reference(DYNAMIC, target, call.lineno, call.col_offset + 1, callee, argument.value)


def defined_names(tree: ast.Module) -> set[str]:
    """Names a module defines at its top level (functions, classes, assignments, imports,
    including those under top-level if/try blocks)."""
    names: set[str] = set()
    pending: list[ast.stmt] = list(tree.body)
    while pending:
        node = pending.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                names.update(n.id for n in ast.walk(target) if isinstance(n, ast.Name))
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((a.asname or a.name).split(".")[0] for a in node.names)
        elif isinstance(node, (ast.If, ast.Try, ast.With)):
            pending.extend(node.body)
            pending.extend(getattr(node, "orelse", []))
            pending.extend(getattr(node, "finalbody", []))
            for handler in getattr(node, "handlers", []):
                pending.extend(handler.body)
    return names


class ReferenceIndex:
    """The references of each module of a project, scanned once each (from the source index,
    so an unsaved editor buffer is seen as typed)."""

    def __init__(self, module_files: Mapping[str, Path], sources: SourceIndex) -> None:
        self.module_files = module_files
        self.sources = sources
        self._found: dict[str, list[Reference]] = {}

    def defined_in(self, module: str) -> set[str]:
        tree = self.sources.tree(self.module_files[module])
        return defined_names(tree) if tree else set()

    def resolve(self, name: str) -> tuple[str | None, bool]:
        """The module ``name`` lies in (its longest prefix that is a module of the project),
        and whether the rest, if any, starts with a name that module defines."""
        parts = name.split(".")
        for length in range(len(parts), 0, -1):
            module = ".".join(parts[:length])
            if module in self.module_files:
                return module, length == len(parts) or parts[length] in self.defined_in(module)
        return None, False

    def of(self, module: str) -> list[Reference]:
        if module not in self._found:
            path = self.module_files[module]
            tree = self.sources.tree(path)
            self._found[module] = module_references(tree, module, path.name == "__init__.py") if tree else []
        return self._found[module]
