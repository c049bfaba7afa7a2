"""One file's imports, found with Python's own parser: what grimp's scanner finds, the same way.

grimp's scanner is fast because it runs on a pool of threads; that pool does not survive a
``fork`` (a flake8 ``--jobs`` worker would wait forever on threads that do not exist in it),
and it panics on a relative import that climbs above the top-level package. This module is the
single-threaded path for those cases: an unsaved editor buffer, a file grimp could not scan, a
forked worker. It follows grimp's rules (how names resolve, which imports are under
``TYPE_CHECKING``, how external packages are squashed), and ``tests/test_scanner.py`` compares
the two on real trees, import for import.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from collections.abc import Container, Iterator
from dataclasses import dataclass, field

ImportRecord = tuple[str, int, str, bool]  # imported, line number, line text, is_lazy (as cached)

_LINE_BREAK = re.compile(r"\r\n|\r|\n")  # the line ends Python's tokenizer (and grimp) count
# What grimp (Rust's ``str::trim``) strips from an import's line: Unicode White_Space, which is
# not quite ``str.isspace`` (that also counts the separators U+001C to U+001F).
_WHITESPACE = (
    "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000"
)


@dataclass(frozen=True)
class ScanContext:
    """What resolving an import needs to know of the project."""

    modules: Container[str]  # every module of the project
    roots: tuple[str, ...]  # the root packages' names
    include_external_packages: bool = False
    exclude_type_checking_imports: bool = False


@dataclass
class ScannedFile:
    records: tuple[ImportRecord, ...] = ()
    # (line, statement) of each relative import that climbs above the top-level package:
    # Python raises ImportError on it, so it imports nothing and is left out of the graph.
    beyond_top_level: list[tuple[int, str]] = field(default_factory=list)


def decode_source(data: bytes) -> str:
    """A file's text as Python reads it: in its declared encoding (UTF-8 unless a coding
    comment says otherwise), without a byte order mark. Raises SyntaxError or
    UnicodeDecodeError (a ValueError) for a file Python could not read either."""
    encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    return data.decode(encoding).removeprefix("\ufeff")


def scan_source(source: str, module: str, is_package: bool, context: ScanContext) -> ScannedFile:
    """The imports of ``module`` whose text is ``source``. Raises SyntaxError if it does not parse."""
    try:
        tree = ast.parse(source)
    except ValueError as error:  # a NUL byte, on Python versions that do not say SyntaxError
        raise SyntaxError(str(error)) from None
    except (RecursionError, MemoryError):  # nested deeper than this parser goes
        raise SyntaxError("too deeply nested for Python's parser") from None
    lines = _LINE_BREAK.split(source)
    found = ScannedFile()
    records: set[ImportRecord] = set()
    for node, type_checking in _imports(tree.body):
        if context.exclude_type_checking_imports and type_checking:
            continue
        text = lines[node.lineno - 1].strip(_WHITESPACE) if node.lineno <= len(lines) else ""
        lazy = bool(getattr(node, "is_lazy", False))  # PEP 810 ``lazy import``, where Python has it
        for name in _imported_names(node):
            absolute = _absolute_name(module, is_package, name)
            if absolute is None:
                found.beyond_top_level.append((node.lineno, text))
                continue
            imported = _internal_module(absolute, context.modules)
            if imported is None and context.include_external_packages:
                imported = _external_module(absolute, context.roots)
            if imported is not None:
                records.add((imported, node.lineno, text, lazy))
    found.records = tuple(sorted(records))
    found.beyond_top_level = sorted(set(found.beyond_top_level))
    return found


def _imports(
    statements: list[ast.stmt], type_checking: bool = False
) -> Iterator[tuple[ast.Import | ast.ImportFrom, bool]]:
    """Every import statement, with whether grimp counts it as under ``TYPE_CHECKING``: in the
    branch of an ``if``/``elif`` whose test is ``TYPE_CHECKING`` or ``x.TYPE_CHECKING``, or
    nested in one (an ``else`` branch is not)."""
    for statement in statements:
        if isinstance(statement, (ast.Import, ast.ImportFrom)):
            yield statement, type_checking
        elif isinstance(statement, ast.If):
            yield from _imports(statement.body, type_checking or _tests_type_checking(statement.test))
            yield from _imports(statement.orelse, type_checking)  # an ``elif`` is an ``if`` in here
        else:
            yield from _imports(list(_child_statements(statement)), type_checking)


def _tests_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _child_statements(statement: ast.stmt) -> Iterator[ast.stmt]:
    for name in ("body", "orelse", "finalbody"):
        yield from getattr(statement, name, ())
    for handler in getattr(statement, "handlers", ()):
        yield from handler.body
    for case in getattr(statement, "cases", ()):
        yield from case.body


def _imported_names(node: ast.Import | ast.ImportFrom) -> Iterator[str]:
    """The names as grimp's parser gives them: ``a.b``, ``..a.b`` (``from ..a import b``),
    ``.b`` (``from . import b``), ``a.*``."""
    if isinstance(node, ast.Import):
        for alias in node.names:
            yield alias.name
        return
    prefix = "." * node.level + (f"{node.module}." if node.module else "")
    for alias in node.names:
        yield prefix + alias.name


def _absolute_name(module: str, is_package: bool, name: str) -> str | None:
    """``name`` made absolute from ``module``, or None if it climbs above the top-level
    package (Python: "attempted relative import beyond top-level package")."""
    level = len(name) - len(name.lstrip("."))
    if level == 0:
        return name
    package = module.split(".") if is_package else module.split(".")[:-1]
    if level > len(package):
        return None
    base = package[: len(package) - level + 1]
    return ".".join(base) + "." + name[level:]


def _internal_module(name: str, modules: Container[str]) -> str | None:
    """The project module an imported name means: itself, or its parent (``from a import
    b`` where ``b`` is a name in ``a``)."""
    if name in modules:
        return name
    parent = name.rpartition(".")[0]
    return parent if parent and parent in modules else None


def _external_module(name: str, roots: tuple[str, ...]) -> str | None:
    """An external import as grimp keeps it: its top-level package, or, when it shares a
    namespace with a root package (``a.x`` next to root ``a.b``), the shallowest name that does
    not clash with it. None for a parent of a root package (a namespace)."""
    if any(root.startswith(name + ".") for root in roots):
        return None
    top = name.split(".")[0]
    candidates = set()
    for root in roots:
        if not root.startswith(top + "."):
            continue
        internal, external = root.split("."), name.split(".")
        shared = 0
        while shared < min(len(internal), len(external)) - 1 and external[shared] == internal[shared]:
            shared += 1
        candidates.add(".".join(external[: shared + 1]))
    if candidates:
        return max(candidates, key=lambda c: (c.count("."), c))
    return top
