"""Turn raw options into the validated model, naming the file, contract and key of each error."""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from boundary_lint.config.errors import ConfigError
from boundary_lint.config.model import (
    AlertLevel,
    Config,
    ContractSpec,
    CustomContractSpec,
    LayerModule,
    LayerSpec,
    Move,
    OptionValue,
    options_of,
)
from boundary_lint.config.registry import ContractType, contract_type, contract_types
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
    "instructions",
    "broken_contract_guidance",
}
# What to do when the contract is broken: ``instructions`` is ours (on every contract type);
# import-linter's ``broken_contract_guidance`` (its layers and independence types) is read as
# the same thing, under its own name, in either dialect.
INSTRUCTIONS_KEYS = ("instructions", "broken_contract_guidance")
# Keys of ours that import-linter's own files cannot contain. ``source_roots`` they can: our
# documented extension (import-linter ignores it), for packages Python would not find.
NATIVE_ONLY_SESSION_KEYS = {"dynamic_imports", "string_imports"}
NATIVE_ONLY_CONTRACT_KEYS = {"instructions"}


def contract_keys(kind: ContractType) -> set[str]:
    """The keys a contract of this type may have besides the common ones."""
    return {f.name for f in options_of(kind.spec)}


def native_only_keys() -> set[str]:
    """The keys refused in import-linter's own files."""
    native = {f.name for kind in contract_types() for f in options_of(kind.spec) if f.metadata["native_only"]}
    return native | NATIVE_ONLY_SESSION_KEYS | NATIVE_ONLY_CONTRACT_KEYS


_MODULE_EXPRESSION = re.compile(r"^(\*\*|\*|[A-Za-z_][A-Za-z0-9_]*)(\.(\*\*|\*|[A-Za-z_][A-Za-z0-9_]*))*$")
_CONTRACT_ID = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$")


class Reader:
    """Reads typed values out of one table of raw options."""

    def __init__(self, raw: RawConfig, table: dict[str, Any], contract: str | None) -> None:
        self.raw = raw
        self.table = table
        self.contract = contract

    def error(self, key: str | None, message: str) -> ConfigError:
        return ConfigError(message, path=self.raw.path, contract=self.contract, key=key)

    def get(self, key: str, convert: Callable[[str, Any], T], default: Any) -> T:
        if key not in self.table:
            return default  # type: ignore[no-any-return]  # a default of any shape: () for a tuple
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
            if not arrow or not all(_MODULE_EXPRESSION.match(part.strip()) for part in (importer, imported)):
                raise self.error(key, f"{item!r} is not of the form 'importer -> imported'")
        return tuple(" -> ".join(p.strip() for p in item.split("->")) for item in items)

    def alert_level(self, key: str, value: Any) -> AlertLevel:
        try:
            return AlertLevel(str(value).lower())
        except ValueError:
            raise self.error(key, f"must be one of none, warn, error, not {value!r}") from None

    def layer_lines(self, key: str, value: Any) -> tuple[LayerSpec, ...]:
        """A layers contract's lines; which are closed comes from ``closed_layers``."""
        lines = self.strings(key, value)
        if not lines:
            raise self.error(key, "must list at least one layer")
        closed: set[str] = set(self.get("closed_layers", self.modules, ()))
        return tuple(self._layer(key, line, closed) for line in lines)

    def _layer(self, key: str, line: str, closed: set[str]) -> LayerSpec:
        if "|" in line and ":" in line:
            raise self.error(key, f"{line!r} mixes '|' and ':' siblings")
        separator = "|" if "|" in line else ":"
        modules = []
        for part in (p.strip() for p in line.split(separator)):
            optional = part.startswith("(") and part.endswith(")")
            tail = part[1:-1].strip() if optional else part
            if not _MODULE_EXPRESSION.match(tail) or "*" in tail:
                raise self.error(key, f"{part!r} in {line!r} is not a module name")
            modules.append(LayerModule(tail, optional))
        tails = [m.tail for m in modules]
        if len(set(tails)) != len(tails):
            raise self.error(key, f"{line!r} repeats a module")
        return LayerSpec(
            modules=tuple(modules),
            independent=separator == "|" or len(modules) == 1,
            closed=any(tail in closed for tail in tails),
        )

    def moves(self, key: str, value: Any) -> tuple[Move, ...]:
        moves = []
        for entry in self.strings(key, value):
            old, arrow, new = (part.strip() for part in entry.partition("->"))
            if not arrow or not all(_MODULE_EXPRESSION.match(p) and "*" not in p for p in (old, new)):
                raise self.error(key, f"{entry!r} is not of the form 'old.module -> new.module'")
            if old == new:
                raise self.error(key, f"{entry!r} moves a module to itself")
            moves.append(Move(old, new))
        if not moves:
            raise self.error(key, "must list at least one move")
        return tuple(moves)

    def patterns(self, key: str, value: Any) -> tuple[str, ...]:
        """Glob patterns relative to the project root, inside it."""
        patterns = self.strings(key, value)
        for pattern in patterns:
            if pattern.startswith("/") or ".." in pattern.split("/"):
                raise self.error(key, f"{pattern!r}: patterns are relative to the project root, inside it")
        return patterns

    def check_keys(self, allowed: set[str]) -> None:
        if self.raw.dialect == IMPORTLINTER:
            allowed = allowed - native_only_keys()
        for key in self.table:
            if key not in allowed:
                raise self.error(key, f"unknown key (allowed: {', '.join(sorted(allowed))})")


def validate(raw: RawConfig) -> Config:
    session = Reader(raw, raw.options, None)
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
        exclude_type_checking_imports=session.get("exclude_type_checking_imports", session.boolean, False),
        cache_dir=_cache_dir(session, base),
        contracts=contracts,
        dynamic_imports=session.get("dynamic_imports", session.boolean, False),
        string_imports=session.get("string_imports", session.boolean, False),
    )


def _source_roots(session: Reader, base: Path) -> tuple[Path, ...] | None:
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


def _root_packages(session: Reader) -> tuple[str, ...]:
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


def _cache_dir(session: Reader, base: Path) -> Path | None:
    value = session.table.get("cache_dir", DEFAULT_CACHE_DIR)
    if value is False or (isinstance(value, str) and value.lower() in ("false", "none", "")):
        return None
    if not isinstance(value, str):
        raise session.error("cache_dir", f"must be a directory path or false, not {value!r}")
    _path(session, "cache_dir", base, value)  # that it is a usable path
    # Absolute, but links not resolved: a cache directory that is a link is not followed.
    return Path(os.path.normpath(base / value))


def _path(session: Reader, key: str, base: Path, value: str) -> Path:
    """``value`` relative to ``base``, resolved; a value that cannot be a path (a NUL
    character, a name too long to resolve) is this key's error."""
    try:
        return (base / value).resolve()
    except (OSError, ValueError, RuntimeError) as error:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        raise session.error(key, f"{value!r} is not a usable path ({reason})") from None


_CONTRACT_TYPE = re.compile(
    r"^\s*([A-Za-z_][A-Za-z0-9_-]*)\s*:\s*([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)+)\s*$"
)


def _custom_types(session: Reader) -> dict[str, str]:
    """``contract_types``, as import-linter reads it: ``name: package.module.Class`` per line."""
    custom: dict[str, str] = {}
    for entry in session.get("contract_types", session.strings, ()):
        match = _CONTRACT_TYPE.match(entry)
        if match is None:
            raise session.error("contract_types", f"{entry!r} must be 'name: package.module.Class'")
        name, class_path = match.groups()
        if contract_type(name) is not None or name in custom:
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


def _contract(
    raw: RawConfig, table: dict[str, Any], index: int, custom_types: dict[str, str]
) -> ContractSpec:
    reader = Reader(raw, table, f"#{index}")
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
    kind = contract_type(type_name)
    if kind is None or kind.spec is CustomContractSpec:
        known = ", ".join(t.name for t in contract_types())
        raise reader.error("type", f"unknown contract type {type_name!r} (known: {known})")
    reader.check_keys(COMMON_CONTRACT_KEYS | contract_keys(kind))
    common: dict[str, Any] = {
        "id": contract_id,
        "name": reader.get("name", reader.text, contract_id),
        "ignore_imports": reader.get("ignore_imports", reader.import_expressions, ()),
        "unmatched_ignore_imports_alerting": reader.get(
            "unmatched_ignore_imports_alerting", reader.alert_level, AlertLevel.ERROR
        ),
        "instructions": _instructions(reader),
    }
    spec = kind.spec(**common, **_options(reader, kind))
    for key, message in spec.problems():
        raise reader.error(key, message)
    return spec


def _instructions(reader: Reader) -> str | None:
    given = [key for key in INSTRUCTIONS_KEYS if key in reader.table]
    if len(given) > 1:
        raise reader.error(given[1], f"the same as {given[0]!r}: give one of them")
    return reader.get(given[0], reader.text, None) if given else None


def _options(reader: Reader, kind: ContractType) -> dict[str, Any]:
    """The type's own keys, each read by the reader its field names (see config.model.option)."""
    values: dict[str, Any] = {}
    for option in options_of(kind.spec):
        read: Callable[[str, Any], Any] = getattr(reader, option.metadata["read"])
        if option.default is dataclasses.MISSING:
            values[option.name] = reader.required(option.name, read)
        else:
            values[option.name] = reader.get(option.name, read, option.default)
    return values


def _custom(reader: Reader, contract_id: str, type_name: str, class_path: str) -> ContractSpec:
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


def _frozen_options(reader: Reader, options: dict[str, Any]) -> tuple[tuple[str, OptionValue], ...]:
    frozen: list[tuple[str, OptionValue]] = []
    for key, value in sorted(options.items()):
        if isinstance(value, (str, bool, int)):
            frozen.append((key, value))
        elif isinstance(value, list) and all(isinstance(item, str) for item in value):
            frozen.append((key, tuple(value)))
        else:
            raise reader.error(key, "must be a string, a boolean, a number or a list of strings")
    return tuple(frozen)
