"""The one configuration model every source is read into."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from pathlib import Path


class AlertLevel(str, enum.Enum):
    """How to treat an ``ignore_imports`` entry that matches no import (import-linter's levels)."""

    NONE = "none"
    WARN = "warn"
    ERROR = "error"


@dataclass(frozen=True, kw_only=True)
class ContractSpec:
    """What every contract type has."""

    id: str
    name: str
    ignore_imports: tuple[str, ...] = ()
    unmatched_ignore_imports_alerting: AlertLevel = AlertLevel.ERROR
    guidance: str | None = None

    type_name = ""


@dataclass(frozen=True, kw_only=True)
class ForbiddenSpec(ContractSpec):
    source_modules: tuple[str, ...]
    forbidden_modules: tuple[str, ...]
    allow_indirect_imports: bool = False
    as_packages: bool = True

    type_name = "forbidden"


@dataclass(frozen=True)
class LayerModule:
    tail: str
    optional: bool = False


@dataclass(frozen=True)
class LayerSpec:
    """One line of a layers contract: one module, or siblings joined by ``|`` or ``:``."""

    modules: tuple[LayerModule, ...]
    independent: bool = True
    closed: bool = False


@dataclass(frozen=True, kw_only=True)
class LayersSpec(ContractSpec):
    layers: tuple[LayerSpec, ...]
    containers: tuple[str, ...] = ()
    exhaustive: bool = False
    exhaustive_ignores: tuple[str, ...] = ()

    type_name = "layers"


@dataclass(frozen=True, kw_only=True)
class IndependenceSpec(ContractSpec):
    modules: tuple[str, ...]

    type_name = "independence"


@dataclass(frozen=True, kw_only=True)
class ProtectedSpec(ContractSpec):
    protected_modules: tuple[str, ...]
    allowed_importers: tuple[str, ...] = ()
    as_packages: bool = True

    type_name = "protected"


@dataclass(frozen=True, kw_only=True)
class AcyclicSiblingsSpec(ContractSpec):
    ancestors: tuple[str, ...]
    depth: int = 10
    skip_descendants: tuple[str, ...] = ()

    type_name = "acyclic_siblings"


@dataclass(frozen=True)
class Move:
    old: str
    new: str


@dataclass(frozen=True, kw_only=True)
class MovedSpec(ContractSpec):
    """Modules that moved: every reference to an old path is a violation (``fix`` rewrites them)."""

    moves: tuple[Move, ...]
    # Which files of the repository are read (glob patterns relative to the project root):
    # all that git tracks by default; ``include`` narrows, ``exclude`` removes.
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()

    type_name = "moved"


@dataclass(frozen=True, kw_only=True)
class ReferencesSpec(ContractSpec):
    """Dynamic imports (and, with ``strings``, any dotted string naming a module of the project)
    must name modules that exist; so must, with ``entry_points``, the ``module:attr`` entry
    points and factories of the project's configuration files."""

    strings: bool = False
    entry_points: bool = True

    type_name = "references"


OptionValue = str | bool | int | tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class CustomContractSpec(ContractSpec):
    """A contract of a custom import-linter contract type (``contract_types = name: module.Class``):
    checked by that class, through import-linter's own API, on our graph. Its options are kept
    as the file gave them, for the class to validate."""

    custom_type: str  # the name the configuration gives the type
    class_path: str  # "package.module.Class"
    options: tuple[tuple[str, OptionValue], ...] = ()
    session_options: tuple[tuple[str, OptionValue], ...] = ()

    type_name = "custom"


@dataclass(frozen=True)
class Config:
    """A validated configuration. Paths are absolute."""

    path: Path
    root_packages: tuple[str, ...]
    # The directories to find the root packages in; None: where Python would find them
    # (boundary_lint.graph.packages).
    source_roots: tuple[Path, ...] | None = None
    include_external_packages: bool = False
    exclude_type_checking_imports: bool = False
    cache_dir: Path | None = None
    contracts: tuple[ContractSpec, ...] = field(default=())
    # Literal dynamic imports (importlib, __import__, oslo importutils) as graph edges.
    dynamic_imports: bool = False
    # Any string naming a module of the project as a possible dynamic import.
    string_imports: bool = False

    @property
    def root(self) -> Path:
        """The project root: report paths are relative to it."""
        return self.path.parent

    def contract(self, contract_id: str) -> ContractSpec | None:
        return next((c for c in self.contracts if c.id == contract_id), None)
