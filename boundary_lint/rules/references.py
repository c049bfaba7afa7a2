"""``references``: every literal dynamic import (importlib, ``__import__``, oslo.utils
importutils) names something that exists; with ``strings = true``, so does every dotted string
naming a module of the project. Nothing imports these names until run time, so nothing else
notices when the module they name is moved or deleted."""

from __future__ import annotations

from boundary_lint.config import ReferencesSpec
from boundary_lint.graph.references import DYNAMIC, STRING, Reference
from boundary_lint.rules.common import Finding, RuleContext, RuleOutcome

DEAD = "BND213"


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
            elif reference.kind == STRING and spec.strings and (reference.line, reference.name) not in dynamic_lines:
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
            outcome.findings.append(Finding(DEAD, (module,), detail, reference.line, reference.column, name))
    return outcome
