"""Custom import-linter contract types (``contract_types = name: package.module.Class``).

Such a contract is a class written against import-linter's API, so import-linter itself checks
it: the class is given the contract's options as import-linter would give them and checks a copy
of our grimp graph. Its verdict has no import line; a broken contract is reported at contract
level with the message the class renders. This is the one place where boundary-lint runs code
named by the configuration (the contract class, never the checked code), as import-linter does.
"""

from __future__ import annotations

import copy
import importlib
import io
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import grimp

from boundary_lint.config import CustomContractSpec
from boundary_lint.report import Diagram
from boundary_lint.rules.common import ContractError, RuleContext, RuleOutcome

INSTALL_HINT = "custom contract types run through import-linter: pip install import-linter"
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def check(spec: CustomContractSpec, context: RuleContext) -> RuleOutcome:
    contract = _instantiate(spec, context.project_root)
    result = contract.check(copy.deepcopy(context.graph), verbose=False)
    outcome = RuleOutcome(warnings=[str(w) for w in getattr(result, "warnings", [])])
    if not result.kept:
        outcome.broken.append(_rendered(contract, result) or f"contract {spec.name!r} is broken")
    return outcome


def _instantiate(spec: CustomContractSpec, project_root: Path | None) -> Any:
    try:
        from importlinter.domain.contract import Contract, InvalidContractOptions
    except ImportError:
        raise ContractError(
            "type", f"{spec.custom_type!r} is a custom contract type; {INSTALL_HINT}"
        ) from None
    contract_class = _load_class(spec, project_root)
    if not (isinstance(contract_class, type) and issubclass(contract_class, Contract)):
        raise ContractError("contract_types", f"{spec.class_path} is not an import-linter Contract class")
    try:
        return contract_class(
            name=spec.name,
            session_options=_options(spec.session_options),
            contract_options=_options(spec.options),
        )
    except InvalidContractOptions as error:
        problems = "; ".join(f"{key}: {message}" for key, message in sorted(error.errors.items()))
        raise ContractError("type", f"invalid options for {spec.custom_type!r}: {problems}") from None


def _load_class(spec: CustomContractSpec, project_root: Path | None) -> object:
    module_name, _, class_name = spec.class_path.rpartition(".")
    try:
        with _importable_from(project_root):
            module = importlib.import_module(module_name)
    except Exception as error:  # the class's module is the user's code: any failure is theirs
        raise ContractError(
            "contract_types", f"cannot import {module_name}: {type(error).__name__}: {error}"
        ) from None
    try:
        return getattr(module, class_name)
    except AttributeError:
        raise ContractError("contract_types", f"{module_name} has no {class_name}") from None


@contextmanager
def _importable_from(project_root: Path | None) -> Iterator[None]:
    """import-linter puts the working directory first on sys.path to find contract classes;
    the project root is that directory when it is run from the root, as is usual."""
    entry = str(project_root) if project_root is not None else None
    added = entry is not None and entry not in sys.path
    if added:
        sys.path.insert(0, str(entry))
    try:
        yield
    finally:
        if added:
            sys.path.remove(str(entry))


def _options(frozen: tuple[tuple[str, object], ...]) -> dict[str, Any]:
    """As import-linter's readers give them: lists for multi-valued options."""
    return {key: list(value) if isinstance(value, tuple) else value for key, value in frozen}


def _rendered(contract: Any, result: Any) -> str:
    """The class's own account of the broken contract, as import-linter would print it."""
    from importlinter.application import output
    from rich.console import Console

    buffer = io.StringIO()
    saved = output.console
    output.console = Console(file=buffer, highlight=False, color_system=None, width=200)
    try:
        contract.render_broken_contract(result)
    except Exception as error:  # the user's rendering code: its failure must not hide the verdict
        return f"(rendering failed: {type(error).__name__}: {error})"
    finally:
        output.console = saved
    # One line: every format (concise, github, review comments) carries it as one message.
    lines = (line.strip() for line in _ANSI.sub("", buffer.getvalue()).splitlines())
    return "; ".join(line for line in lines if line)


def outline(spec: CustomContractSpec, graph: grimp.ImportGraph) -> Diagram:
    """No declared nodes: a diagram draws the modules the violations name."""
    return Diagram()
