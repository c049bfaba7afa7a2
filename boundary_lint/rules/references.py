"""``references``: every literal dynamic import (importlib, ``__import__``, oslo.utils
importutils) names something that exists; with ``strings = true``, so does every dotted string
naming a module of the project; with ``entry_points`` (the default), so does every
``module:attr`` entry point, paste factory and the like in the project's configuration files.
Nothing imports these names until run time, so nothing else notices when the module they name
is moved or deleted."""

from __future__ import annotations

from pathlib import Path

import grimp

from boundary_lint.codes import DEAD_ENTRY_POINT, DEAD_REFERENCE
from boundary_lint.config import ReferencesSpec
from boundary_lint.graph.discovery import relative_path
from boundary_lint.graph.entry_points import (
    ObjectReference,
    build_directories,
    configuration_files,
    read_references,
)
from boundary_lint.graph.references import DYNAMIC, STRING, Reference, ReferenceIndex
from boundary_lint.report import Diagram
from boundary_lint.rules.common import Finding, RuleContext, RuleOutcome


def names_code(reference: Reference) -> bool:
    """Whether a dotted string is meant as a module or class path, not a logger name, an
    environ key or an event name that happens to share the package's prefix: it is an option's
    default, a mock.patch target, or ends in a class name."""
    return bool(reference.context) or reference.name.rpartition(".")[2][:1].isupper()


def check(spec: ReferencesSpec, context: RuleContext) -> RuleOutcome:
    index = context.references
    assert index is not None
    outcome = RuleOutcome()
    for module in sorted(index.module_files):
        dynamic_lines = set()
        for reference in index.of(module):
            if reference.kind == DYNAMIC:
                dynamic_lines.add((reference.line, reference.text))
                name, how = reference.text, f"{reference.call}() of"
            elif (
                reference.kind == STRING
                and spec.strings
                and (reference.line, reference.name) not in dynamic_lines
            ):
                if not names_code(reference):
                    continue
                name, how = reference.name, "the string"
            else:
                continue
            if not context.is_internal(name):
                continue
            found, exists = index.resolve(name)
            if exists:
                continue
            nearest = f" (the nearest module is {found})" if found else ""
            detail = f"{module}: {how} {name!r} names nothing that exists{nearest}"
            outcome.findings.append(
                Finding(DEAD_REFERENCE, (module,), detail, reference.line, reference.column, name)
            )
    if spec.entry_points and context.project_root is not None:
        check_entry_points(context, context.project_root, outcome)
    return outcome


def check_entry_points(context: RuleContext, root: Path, outcome: RuleOutcome) -> None:
    """Entry points and other ``module:attr`` references in configuration files whose module
    lies in the root packages (those of other distributions are not ours to check)."""
    index = context.references
    assert index is not None
    for path in configuration_files(root, build_directories(context.root_packages, index.module_files)):
        try:
            text = path.read_bytes().decode("utf-8-sig", "replace")
        except OSError as error:
            outcome.warnings.append(
                f"{relative_path(path, root)}: not read for entry points ({error.strerror})"
            )
            continue
        for reference in read_references(path, text):
            if not context.is_internal(reference.module):
                continue
            problem = entry_point_problem(index, reference)
            if problem:
                where = relative_path(path, root)
                detail = f"{reference.written} names nothing that exists ({problem})"
                outcome.findings.append(
                    Finding(
                        DEAD_ENTRY_POINT,
                        (where,),
                        detail,
                        reference.line,
                        reference.column,
                        reference.text,
                        path,
                    )
                )


def entry_point_problem(index: ReferenceIndex, reference: ObjectReference) -> str:
    """Why the reference cannot load ("" if it can, as far as reading the module tells): its
    module does not exist, or the module does not bind the attribute's first name at its top
    level (a def, class, assignment or import), nor has a submodule of that name. Later parts
    of a dotted attribute (``Class.factory``) may be inherited, so they are not checked."""
    module = reference.module
    if module not in index.module_files:
        nearest, _ = index.resolve(module)
        return f"no module {module}" + (f"; the nearest module is {nearest}" if nearest else "")
    if not reference.attr:
        return ""
    first = reference.attr.split(".")[0]
    if f"{module}.{first}" in index.module_files:
        return ""
    if index.sources.tree(index.module_files[module]) is None:
        return ""  # unreadable or a syntax error: reported as such (BND902/BND903)
    defined = index.defined_in(module)
    if first in defined or "*" in defined or "__getattr__" in defined:
        return ""  # a star import or a module __getattr__ may provide it: not knowable statically
    return f"{module} defines no {first}"


def outline(spec: ReferencesSpec, graph: grimp.ImportGraph) -> Diagram:
    """No declared nodes: a diagram draws the modules the violations name."""
    return Diagram()
