"""Turn raw options into the validated model, naming the file, contract and key of each error."""

from __future__ import annotations

import os

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from boundary_lint.config.errors import ConfigError
from boundary_lint.config.model import (
    AcyclicSiblingsSpec,
    AlertLevel,
    Config,
    ContractSpec,
    CustomContractSpec,
    ForbiddenSpec,
    IndependenceSpec,
    LayerModule,
    LayerSpec,
    LayersSpec,
    Move,
    MovedSpec,
    OptionValue,
    ProtectedSpec,
    ReferencesSpec,
)
from boundary_lint.config.sources import IMPORTLINTER, RawConfig

T = TypeVar("T")

DEFAULT_CACHE_DIR = ".boundary_lint_cache"
SESSION_KEYS = {
    "root_packages",
    "root_package",
    "source_roots",
    "include_external_packages",
    "exclude_type_checking_imports",
    "cache_dir",
    "dynamic_imports",
    "string_imports",
}
COMMON_CONTRACT_KEYS = {
    "id",
    "name",
    "type",
    "ignore_imports",
    "unmatched_ignore_imports_alerting",
    "broken_contract_guidance",
}
CONTRACT_KEYS: dict[str, set[str]] = {
    "forbidden": {"source_modules", "forbidden_modules", "allow_indirect_imports", "as_packages"},
    "layers": {"layers", "containers", "exhaustive", "exhaustive_ignores", "closed_layers"},
    "independence": {"modules"},
    "protected": {"protected_modules", "allowed_importers", "as_packages"},
    "acyclic_siblings": {"ancestors", "depth", "skip_descendants"},
    "moved": {"moves", "include", "exclude"},
    "references": {"strings", "entry_points"},
}
# Keys of ours that import-linter's own files cannot contain. ``source_roots`` they can: our
# documented extension (import-linter ignores it), for packages Python would not find.
NATIVE_ONLY_KEYS = {
    "closed_layers", "dynamic_imports", "string_imports", "moves", "strings", "entry_points", "include", "exclude",
}
_MODULE_EXPRESSION = re.compile(r"^(\*\*|\*|[A-Za-z_][A-Za-z0-9_]*)(\.(\*\*|\*|[A-Za-z_][A-Za-z0-9_]*))*$")
_CONTRACT_ID = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$")


class _Reader:
    """Reads typed values out of one table of raw options."""

    def __init__(self, raw: RawConfig, table: dict[str, Any], contract: str | None) -> None:
        self.raw = raw
        self.table = table
        self.contract = contract

    def error(self, key: str | None, message: str) -> ConfigError:
        return ConfigError(message, path=self.raw.path, contract=self.contract, key=key)

    def get(self, key: str, convert: Callable[[str, Any], T], default: Any) -> T:
        if key not in self.table:
            return default  # type: ignore[no-any-return]
        return convert(key, self.table[key])

    def required(self, key: str, convert: Callable[[str, Any], T]) -> T:
        if key not in self.table:
            raise self.error(key, "is required")
        return convert(key, self.table[key])

    def boolean(self, key: str, value: Any) -> bool:
        if isinstance(value, bool):
            return value
        lenient = self.raw.from_ini or self.raw.dialect == IMPORTLINTER
        if lenient and isinstance(value, str) and value.lower() in ("true", "false"):
            return value.lower() == "true"
        raise self.error(key, f"must be true or false, not {value!r}")

    def integer(self, key: str, value: Any) -> int:
        if isinstance(value, str) and self.raw.from_ini and value.strip().isdigit():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise self.error(key, f"must be a whole number of 0 or more, not {value!r}")
        return value

    def text(self, key: str, value: Any) -> str:
        if isinstance(value, list) and self.raw.from_ini:
            return "\n".join(value)
        if not isinstance(value, str) or not value.strip():
            raise self.error(key, f"must be a non-empty string, not {value!r}")
        return value.strip()

    def strings(self, key: str, value: Any) -> tuple[str, ...]:
        """A list of strings; INI gives lines (or one comma-separated line)."""
        if isinstance(value, str) and (self.raw.from_ini or self.raw.dialect == IMPORTLINTER):
            value = [item for item in re.split(r"[\n,]", value)]
        if isinstance(value, list) and self.raw.from_ini:
            value = [item for line in value for item in line.split(",")]
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise self.error(key, f"must be a list of strings, not {value!r}")
        items = tuple(item.strip() for item in value if item.strip())
        return items

    def modules(self, key: str, value: Any) -> tuple[str, ...]:
        items = self.strings(key, value)
        for item in items:
            if not _MODULE_EXPRESSION.match(item):
                raise self.error(key, f"{item!r} is not a module name or wildcard expression")
        return items

    def non_empty_modules(self, key: str, value: Any) -> tuple[str, ...]:
        items = self.modules(key, value)
        if not items:
            raise self.error(key, "must name at least one module")
        return items

    def import_expressions(self, key: str, value: Any) -> tuple[str, ...]:
        items = self.strings(key, value)
        for item in items:
            importer, arrow, imported = item.partition("->")
            if not arrow or not all(
                _MODULE_EXPRESSION.match(part.strip()) for part in (importer, imported)
            ):
                raise self.error(key, f"{item!r} is not of the form 'importer -> imported'")
        return tuple(" -> ".join(p.strip() for p in item.split("->")) for item in items)

    def alert_level(self, key: str, value: Any) -> AlertLevel:
        try:
            return AlertLevel(str(value).lower())
        except ValueError:
            raise self.error(key, f"must be one of none, warn, error, not {value!r}") from None

    def check_keys(self, allowed: set[str]) -> None:
        if self.raw.dialect == IMPORTLINTER:
            allowed = allowed - NATIVE_ONLY_KEYS
        for key in self.table:
            if key not in allowed:
                raise self.error(key, f"unknown key (allowed: {', '.join(sorted(allowed))})")


def validate(raw: RawConfig) -> Config:
    session = _Reader(raw, raw.options, None)
    session.check_keys(SESSION_KEYS | {"contract_types"})
    root_packages = _root_packages(session)
    base = raw.path.parent
    source_roots = _source_roots(session, base)
    contracts = _contracts(raw, _custom_types(session))
    return Config(
        path=raw.path.resolve(),
        root_packages=root_packages,
        source_roots=source_roots,
        include_external_packages=session.get("include_external_packages", session.boolean, False),
        exclude_type_checking_imports=session.get(
            "exclude_type_checking_imports", session.boolean, False
        ),
        cache_dir=_cache_dir(session, base),
        contracts=contracts,
        dynamic_imports=session.get("dynamic_imports", session.boolean, False),
        string_imports=session.get("string_imports", session.boolean, False),
    )


def _source_roots(session: _Reader, base: Path) -> tuple[Path, ...] | None:
    """The configured directories, or None: the packages are then found as Python would."""
    roots: tuple[str, ...] | None = session.get("source_roots", session.strings, None)
    if roots is None:
        return None
    if not roots:
        raise session.error("source_roots", "must name at least one directory")
    source_roots = tuple(_path(session, "source_roots", base, root) for root in roots)
    for root, path in zip(roots, source_roots):
        try:
            is_dir = path.is_dir()
        except OSError as error:  # a name too long, say
            raise session.error("source_roots", f"{root!r} is not a directory ({error.strerror})") from None
        if not is_dir:
            raise session.error("source_roots", f"{root!r} is not a directory ({path})")
    return source_roots


def _root_packages(session: _Reader) -> tuple[str, ...]:
    if "root_package" in session.table and "root_packages" in session.table:
        raise session.error("root_package", "give root_packages or root_package, not both")
    if "root_package" in session.table:
        packages: tuple[str, ...] = (session.text("root_package", session.table["root_package"]),)
    else:
        packages = session.required("root_packages", session.strings)
    if not packages:
        raise session.error("root_packages", "must name at least one package")
    for package in packages:
        if "*" in package or not _MODULE_EXPRESSION.match(package):
            raise session.error("root_packages", f"{package!r} is not a package name")
    if len(set(packages)) != len(packages):
        raise session.error("root_packages", "lists a package twice")
    return packages


def _cache_dir(session: _Reader, base: Path) -> Path | None:
    value = session.table.get("cache_dir", DEFAULT_CACHE_DIR)
    if value is False or (isinstance(value, str) and value.lower() in ("false", "none", "")):
        return None
    if not isinstance(value, str):
        raise session.error("cache_dir", f"must be a directory path or false, not {value!r}")
    _path(session, "cache_dir", base, value)  # that it is a usable path
    # Absolute, but links not resolved: a cache directory that is a link is not followed.
    return Path(os.path.normpath(base / value))


def _path(session: _Reader, key: str, base: Path, value: str) -> Path:
    """``value`` relative to ``base``, resolved; a value that cannot be a path (a NUL
    character, a name too long to resolve) is this key's error."""
    try:
        return (base / value).resolve()
    except (OSError, ValueError, RuntimeError) as error:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        raise session.error(key, f"{value!r} is not a usable path ({reason})") from None


_CONTRACT_TYPE = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_-]*)\s*:\s*([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)+)\s*$")


def _custom_types(session: _Reader) -> dict[str, str]:
    """``contract_types``, as import-linter reads it: ``name: package.module.Class`` per line."""
    custom: dict[str, str] = {}
    for entry in session.get("contract_types", session.strings, ()):
        match = _CONTRACT_TYPE.match(entry)
        if match is None:
            raise session.error("contract_types", f"{entry!r} must be 'name: package.module.Class'")
        name, class_path = match.groups()
        if name in CONTRACT_KEYS or name in custom:
            raise session.error("contract_types", f"contract type {name!r} is already defined")
        custom[name] = class_path
    return custom


def _contracts(raw: RawConfig, custom_types: dict[str, str]) -> tuple[ContractSpec, ...]:
    if not raw.contracts:
        raise ConfigError("no contracts are defined", path=raw.path, key="contracts")
    contracts: list[ContractSpec] = []
    seen: set[str] = set()
    for index, table in enumerate(raw.contracts, start=1):
        contract = _contract(raw, table, index, custom_types)
        if contract.id in seen:
            raise ConfigError("duplicate contract id", path=raw.path, contract=contract.id, key="id")
        seen.add(contract.id)
        contracts.append(contract)
    return tuple(contracts)


def _contract(raw: RawConfig, table: dict[str, Any], index: int, custom_types: dict[str, str]) -> ContractSpec:
    reader = _Reader(raw, table, f"#{index}")
    if raw.dialect == IMPORTLINTER and "id" not in table:
        contract_id = str(index)  # import-linter makes ids optional in TOML
    else:
        contract_id = reader.required("id", reader.text)
    if not _CONTRACT_ID.match(contract_id):
        raise reader.error("id", f"{contract_id!r} must be letters, digits, '_', '-' or '.'")
    reader.contract = contract_id
    type_name = reader.required("type", reader.text)
    if type_name in custom_types:
        return _custom(reader, contract_id, type_name, custom_types[type_name])
    if type_name not in CONTRACT_KEYS:
        raise reader.error(
            "type", f"unknown contract type {type_name!r} (known: {', '.join(CONTRACT_KEYS)})"
        )
    reader.check_keys(COMMON_CONTRACT_KEYS | CONTRACT_KEYS[type_name])
    common: dict[str, Any] = {
        "id": contract_id,
        "name": reader.get("name", reader.text, contract_id),
        "ignore_imports": reader.get("ignore_imports", reader.import_expressions, ()),
        "unmatched_ignore_imports_alerting": reader.get(
            "unmatched_ignore_imports_alerting", reader.alert_level, AlertLevel.ERROR
        ),
        "guidance": reader.get("broken_contract_guidance", reader.text, None),
    }
    return _BUILDERS[type_name](reader, common)


def _forbidden(reader: _Reader, common: dict[str, Any]) -> ContractSpec:
    return ForbiddenSpec(
        **common,
        source_modules=reader.required("source_modules", reader.non_empty_modules),
        forbidden_modules=reader.required("forbidden_modules", reader.non_empty_modules),
        allow_indirect_imports=reader.get("allow_indirect_imports", reader.boolean, False),
        as_packages=reader.get("as_packages", reader.boolean, True),
    )


def _layers(reader: _Reader, common: dict[str, Any]) -> ContractSpec:
    lines = reader.required("layers", reader.strings)
    if not lines:
        raise reader.error("layers", "must list at least one layer")
    closed: set[str] = set(reader.get("closed_layers", reader.modules, ()))
    layers = tuple(_layer(reader, line, closed) for line in lines)
    _check_layers_unique(reader, layers)
    unknown_closed = closed - {m.tail for layer in layers for m in layer.modules}
    if unknown_closed:
        raise reader.error("closed_layers", f"{sorted(unknown_closed)[0]!r} is not one of the layers")
    containers = reader.get("containers", reader.modules, ())
    exhaustive = reader.get("exhaustive", reader.boolean, False)
    if exhaustive and not containers:
        raise reader.error("exhaustive", "needs containers (as in import-linter)")
    return LayersSpec(
        **common,
        layers=layers,
        containers=containers,
        exhaustive=exhaustive,
        exhaustive_ignores=reader.get("exhaustive_ignores", reader.strings, ()),
    )


def _layer(reader: _Reader, line: str, closed: set[str]) -> LayerSpec:
    if "|" in line and ":" in line:
        raise reader.error("layers", f"{line!r} mixes '|' and ':' siblings")
    separator = "|" if "|" in line else ":"
    modules = []
    for part in (p.strip() for p in line.split(separator)):
        optional = part.startswith("(") and part.endswith(")")
        tail = part[1:-1].strip() if optional else part
        if not _MODULE_EXPRESSION.match(tail) or "*" in tail:
            raise reader.error("layers", f"{part!r} in {line!r} is not a module name")
        modules.append(LayerModule(tail, optional))
    tails = [m.tail for m in modules]
    if len(set(tails)) != len(tails):
        raise reader.error("layers", f"{line!r} repeats a module")
    return LayerSpec(
        modules=tuple(modules),
        independent=separator == "|" or len(modules) == 1,
        closed=any(tail in closed for tail in tails),
    )


def _check_layers_unique(reader: _Reader, layers: tuple[LayerSpec, ...]) -> None:
    seen: set[str] = set()
    for layer in layers:
        for module in layer.modules:
            if module.tail in seen:
                raise reader.error("layers", f"{module.tail!r} is in more than one layer")
            seen.add(module.tail)


def _independence(reader: _Reader, common: dict[str, Any]) -> ContractSpec:
    return IndependenceSpec(**common, modules=reader.required("modules", reader.non_empty_modules))


def _protected(reader: _Reader, common: dict[str, Any]) -> ContractSpec:
    return ProtectedSpec(
        **common,
        protected_modules=reader.required("protected_modules", reader.non_empty_modules),
        allowed_importers=reader.get("allowed_importers", reader.modules, ()),
        as_packages=reader.get("as_packages", reader.boolean, True),
    )


def _acyclic_siblings(reader: _Reader, common: dict[str, Any]) -> ContractSpec:
    ancestors = reader.required("ancestors", reader.non_empty_modules)
    skipped = reader.get("skip_descendants", reader.modules, ())
    both = sorted(set(ancestors) & set(skipped))
    if both:
        raise reader.error("skip_descendants", f"{both[0]!r} is also an ancestor")
    return AcyclicSiblingsSpec(
        **common,
        ancestors=ancestors,
        depth=reader.get("depth", reader.integer, 10),
        skip_descendants=skipped,
    )


def _moved(reader: _Reader, common: dict[str, Any]) -> ContractSpec:
    moves = []
    for entry in reader.required("moves", reader.strings):
        old, arrow, new = (part.strip() for part in entry.partition("->"))
        if not arrow or not all(_MODULE_EXPRESSION.match(p) and "*" not in p for p in (old, new)):
            raise reader.error("moves", f"{entry!r} is not of the form 'old.module -> new.module'")
        if old == new:
            raise reader.error("moves", f"{entry!r} moves a module to itself")
        moves.append(Move(old, new))
    if not moves:
        raise reader.error("moves", "must list at least one move")
    olds = [m.old for m in moves]
    if len(set(olds)) != len(olds):
        raise reader.error("moves", "moves the same module twice")
    for move in moves:
        # A new path that still reads as an old one would be rewritten again by every fix.
        inside = next((m for m in moves if move.new == m.old or move.new.startswith(m.old + ".")), None)
        if inside is not None:
            raise reader.error("moves", f"'{move.old} -> {move.new}': the new path lies inside the old path "
                               f"{inside.old!r}, so it would still be a reference to a moved module")
    for key in ("include", "exclude"):
        for pattern in reader.get(key, reader.strings, ()):
            if pattern.startswith("/") or ".." in pattern.split("/"):
                raise reader.error(key, f"{pattern!r}: patterns are relative to the project root, inside it")
    return MovedSpec(
        **common,
        moves=tuple(moves),
        include=reader.get("include", reader.strings, ()),
        exclude=reader.get("exclude", reader.strings, ()),
    )


def _references(reader: _Reader, common: dict[str, Any]) -> ContractSpec:
    return ReferencesSpec(
        **common,
        strings=reader.get("strings", reader.boolean, False),
        entry_points=reader.get("entry_points", reader.boolean, True),
    )


_BUILDERS: dict[str, Callable[[_Reader, dict[str, Any]], ContractSpec]] = {
    "forbidden": _forbidden,
    "layers": _layers,
    "independence": _independence,
    "protected": _protected,
    "acyclic_siblings": _acyclic_siblings,
    "moved": _moved,
    "references": _references,
}


def _custom(reader: _Reader, contract_id: str, type_name: str, class_path: str) -> ContractSpec:
    """The options are the class's to validate (import-linter's fields), so none is checked here."""
    options = {key: value for key, value in reader.table.items() if key not in ("id", "type")}
    session = {key: value for key, value in reader.raw.options.items()}
    return CustomContractSpec(
        id=contract_id,
        name=reader.get("name", reader.text, contract_id),
        custom_type=type_name,
        class_path=class_path,
        options=_frozen_options(reader, options),
        session_options=_frozen_options(reader, session),
    )


def _frozen_options(reader: _Reader, options: dict[str, Any]) -> tuple[tuple[str, OptionValue], ...]:
    frozen: list[tuple[str, OptionValue]] = []
    for key, value in sorted(options.items()):
        if isinstance(value, (str, bool, int)):
            frozen.append((key, value))
        elif isinstance(value, list) and all(isinstance(item, str) for item in value):
            frozen.append((key, tuple(value)))
        else:
            raise reader.error(key, "must be a string, a boolean, a number or a list of strings")
    return tuple(frozen)
