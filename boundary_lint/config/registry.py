"""The registry of contract types: the one place that lists them.

A contract type is a spec (a ``ContractSpec`` dataclass whose ``option`` fields are its keys)
and a rule module exporting ``check(spec, context) -> RuleOutcome`` and ``outline(spec, graph)
-> Diagram``. Validation, the engine, the outlines and the docs' index all read this registry;
adding a type is its spec, its rule module and one ``register`` call (docs/contributing.md).

The rule module is named, not imported: reading a configuration must not import grimp (the
configuration layer knows nothing of it, and a run answered from the report cache needs none).
"""

from __future__ import annotations

from dataclasses import dataclass

from boundary_lint.config.model import (
    AcyclicSiblingsSpec,
    ContractSpec,
    CustomContractSpec,
    ForbiddenSpec,
    IndependenceSpec,
    LayersSpec,
    MovedSpec,
    ProtectedSpec,
    ReferencesSpec,
)


@dataclass(frozen=True)
class ContractType:
    spec: type[ContractSpec]
    rules: str  # the rule module, importable by this name
    summary: str  # one line, for the docs' index and error messages
    # Whether the rule reads source files rather than the import graph alone: such a type
    # is checked without ignore_imports and without dynamic-import edges.
    reads_sources: bool = False

    @property
    def name(self) -> str:
        return self.spec.type_name


_TYPES: dict[str, ContractType] = {}


def register(contract_type: ContractType) -> None:
    """Add a type (a plugin's, a test's); its name must be new."""
    if not contract_type.name or contract_type.name in _TYPES:
        raise ValueError(f"contract type {contract_type.name!r} is empty or already registered")
    _TYPES[contract_type.name] = contract_type


def unregister(name: str) -> None:
    """Remove a type registered with ``register`` (a test's, once it is done)."""
    _TYPES.pop(name)


def contract_type(name: str) -> ContractType | None:
    return _TYPES.get(name)


def contract_type_of(spec: ContractSpec) -> ContractType:
    """The registered type of a validated spec (validation only makes registered ones)."""
    found = _TYPES.get(spec.type_name)
    if found is None or not isinstance(spec, found.spec):
        raise LookupError(f"{type(spec).__name__} is not a registered contract type's spec")
    return found


def contract_types(*, configurable: bool = True) -> list[ContractType]:
    """Every type in registration order; ``configurable``: only those a ``type`` key names
    (not ``custom``, which ``contract_types`` entries define)."""
    return [t for t in _TYPES.values() if not configurable or t.spec is not CustomContractSpec]


for _builtin in (
    ContractType(
        ForbiddenSpec, "boundary_lint.rules.forbidden", "Source modules never import forbidden modules."
    ),
    ContractType(LayersSpec, "boundary_lint.rules.layers", "Each layer imports only the layers below it."),
    ContractType(
        IndependenceSpec, "boundary_lint.rules.independence", "The modules never import each other."
    ),
    ContractType(
        ProtectedSpec,
        "boundary_lint.rules.protected",
        "Only the allowed importers import the protected modules.",
    ),
    ContractType(
        AcyclicSiblingsSpec,
        "boundary_lint.rules.acyclic_siblings",
        "Sibling packages form no dependency cycle.",
    ),
    ContractType(
        MovedSpec,
        "boundary_lint.rules.moved",
        "Nothing refers to a moved module by its old path.",
        reads_sources=True,
    ),
    ContractType(
        ReferencesSpec,
        "boundary_lint.rules.references",
        "Dynamic imports and class paths name code that exists.",
        reads_sources=True,
    ),
    ContractType(
        CustomContractSpec,
        "boundary_lint.rules.custom",
        "A custom import-linter contract type, run through its own class.",
    ),
):
    register(_builtin)
