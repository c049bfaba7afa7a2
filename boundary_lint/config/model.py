"""The one configuration model every source is read into.

A contract type's keys are its spec's fields made with ``option``: the configuration key is the
field's name, ``read`` names the reader (``boundary_lint.config.validation.Reader``'s method)
that turns a raw value into the field's value, and a field without a default is required.
Checks that concern several keys are the spec's ``problems``.
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

_NO_DEFAULT: Any = dataclasses.MISSING


def option(read: str, default: Any = _NO_DEFAULT, *, native_only: bool = False) -> Any:
    """A configuration key of a contract type. ``native_only``: ours alone, refused in
    import-linter's own files (which import-linter would reject or ignore)."""
    metadata = {"read": read, "native_only": native_only}
    return field(default=default, metadata=metadata)


def options_of(spec: type[ContractSpec]) -> list[dataclasses.Field[Any]]:
    """The fields of ``spec`` that are configuration keys of its own type."""
    common = {f.name for f in dataclasses.fields(ContractSpec)}
    return [f for f in dataclasses.fields(spec) if "read" in f.metadata and f.name not in common]


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
    instructions: str | None = None  # what to do when it is broken (where to go instead, a link)

    type_name: ClassVar[str] = ""

    def problems(self) -> Iterator[tuple[str, str]]:
        """What is wrong with the values together: (key, message) pairs; none by default."""
        return iter(())


@dataclass(frozen=True, kw_only=True)
class ForbiddenSpec(ContractSpec):
    source_modules: tuple[str, ...] = option("non_empty_modules")
    forbidden_modules: tuple[str, ...] = option("non_empty_modules")
    allow_indirect_imports: bool = option("boolean", False)
    as_packages: bool = option("boolean", True)

    type_name: ClassVar[str] = "forbidden"


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
    layers: tuple[LayerSpec, ...] = option("layer_lines")  # reads closed_layers too
    closed_layers: tuple[str, ...] = option("modules", (), native_only=True)
    containers: tuple[str, ...] = option("modules", ())
    exhaustive: bool = option("boolean", False)
    exhaustive_ignores: tuple[str, ...] = option("strings", ())

    type_name: ClassVar[str] = "layers"

    def problems(self) -> Iterator[tuple[str, str]]:
        seen: set[str] = set()
        for module in (m.tail for layer in self.layers for m in layer.modules):
            if module in seen:
                yield "layers", f"{module!r} is in more than one layer"
            seen.add(module)
        unknown_closed = sorted(set(self.closed_layers) - seen)
        if unknown_closed:
            yield "closed_layers", f"{unknown_closed[0]!r} is not one of the layers"
        if self.exhaustive and not self.containers:
            yield "exhaustive", "needs containers (as in import-linter)"


@dataclass(frozen=True, kw_only=True)
class IndependenceSpec(ContractSpec):
    modules: tuple[str, ...] = option("non_empty_modules")

    type_name: ClassVar[str] = "independence"


@dataclass(frozen=True, kw_only=True)
class ProtectedSpec(ContractSpec):
    protected_modules: tuple[str, ...] = option("non_empty_modules")
    allowed_importers: tuple[str, ...] = option("modules", ())
    as_packages: bool = option("boolean", True)

    type_name: ClassVar[str] = "protected"


@dataclass(frozen=True, kw_only=True)
class AcyclicSiblingsSpec(ContractSpec):
    ancestors: tuple[str, ...] = option("non_empty_modules")
    depth: int = option("integer", 10)
    skip_descendants: tuple[str, ...] = option("modules", ())

    type_name: ClassVar[str] = "acyclic_siblings"

    def problems(self) -> Iterator[tuple[str, str]]:
        both = sorted(set(self.ancestors) & set(self.skip_descendants))
        if both:
            yield "skip_descendants", f"{both[0]!r} is also an ancestor"


@dataclass(frozen=True)
class Move:
    old: str
    new: str


@dataclass(frozen=True, kw_only=True)
class MovedSpec(ContractSpec):
    """Modules that moved: every reference to an old path is a violation (``fix`` rewrites them)."""

    moves: tuple[Move, ...] = option("moves", native_only=True)
    # Which files of the repository are read (glob patterns relative to the project root):
    # all that git tracks by default; ``include`` narrows, ``exclude`` removes.
    include: tuple[str, ...] = option("patterns", (), native_only=True)
    exclude: tuple[str, ...] = option("patterns", (), native_only=True)

    type_name: ClassVar[str] = "moved"

    def problems(self) -> Iterator[tuple[str, str]]:
        olds = [m.old for m in self.moves]
        if len(set(olds)) != len(olds):
            yield "moves", "moves the same module twice"
        for move in self.moves:
            # A new path that still reads as an old one would be rewritten again by every fix.
            inside = next(
                (m for m in self.moves if move.new == m.old or move.new.startswith(m.old + ".")), None
            )
            if inside is not None:
                yield (
                    "moves",
                    (
                        f"'{move.old} -> {move.new}': the new path lies inside the old path "
                        f"{inside.old!r}, so it would still be a reference to a moved module"
                    ),
                )


@dataclass(frozen=True, kw_only=True)
class ReferencesSpec(ContractSpec):
    """Dynamic imports (and, with ``strings``, any dotted string naming a module of the project)
    must name modules that exist; so must, with ``entry_points``, the ``module:attr`` entry
    points and factories of the project's configuration files."""

    strings: bool = option("boolean", False, native_only=True)
    entry_points: bool = option("boolean", True, native_only=True)

    type_name: ClassVar[str] = "references"


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

    type_name: ClassVar[str] = "custom"


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
