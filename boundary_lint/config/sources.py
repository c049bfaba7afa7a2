"""Read each kind of configuration file into raw options, before validation.

A ``RawConfig`` keeps values as the file gave them: TOML values typed, INI values as strings
(or lists of lines). ``validation`` turns it into the model.
"""

from __future__ import annotations

import ast
import codecs
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from boundary_lint.config.errors import ConfigError

if TYPE_CHECKING:  # imported where an INI file is parsed: most runs read TOML alone
    import configparser

NATIVE = "boundary_lint"
IMPORTLINTER = "importlinter"


@dataclass
class RawConfig:
    path: Path
    dialect: str  # NATIVE or IMPORTLINTER
    from_ini: bool
    options: dict[str, Any]
    contracts: list[dict[str, Any]]


# Byte-order marks: a configuration file is UTF-8 without one (TOML forbids it; configparser,
# and so flake8 and import-linter, read it as part of the first line).
_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF8, "UTF-8 with a byte-order mark"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)


def read_bytes(path: Path) -> bytes:
    """The file's bytes; only a regular file is read. Opened without blocking, so that a FIFO
    (which would wait forever for a writer) or a device is refused rather than read."""
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise ConfigError("configuration file not found", path=path) from None
    except OSError as error:
        raise ConfigError(f"cannot read: {error.strerror}", path=path) from None
    mode = os.fstat(descriptor).st_mode
    if not stat.S_ISREG(mode):
        os.close(descriptor)
        raise ConfigError(f"cannot read: not a regular file ({_file_kind(mode)})", path=path)
    with os.fdopen(descriptor, "rb") as stream:
        try:
            return stream.read()
        except OSError as error:
            raise ConfigError(f"cannot read: {error.strerror}", path=path) from None


def _file_kind(mode: int) -> str:
    kinds = {
        stat.S_ISDIR: "a directory",
        stat.S_ISFIFO: "a FIFO",
        stat.S_ISSOCK: "a socket",
        stat.S_ISCHR: "a character device",
        stat.S_ISBLK: "a block device",
    }
    return next((kind for test, kind in kinds.items() if test(mode)), "not a file")


def decode(path: Path, data: bytes) -> str:
    """The text of a configuration file, which must be UTF-8 without a byte-order mark."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            raise ConfigError(
                f"starts with a byte-order mark ({encoding}): save it as UTF-8 without one "
                "(TOML does not allow one, and configparser reads it as part of the first line)",
                path=path,
            )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ConfigError(f"not valid UTF-8 ({error.reason} at byte {error.start})", path=path) from None


def read_text(path: Path) -> str:
    return decode(path, read_bytes(path))


def parse_toml(path: Path, text: str) -> dict[str, Any]:
    # Imported here, not at the top: discovery mostly finds no TOML file of ours to parse.
    import tomllib

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"invalid TOML: {error}", path=path) from None


def read_toml(path: Path, text: str | None = None) -> RawConfig | None:
    """Read ``[tool.boundary_lint]``, ``[tool.importlinter]`` or a standalone contracts file."""
    return raw_from_toml(path, parse_toml(path, read_text(path) if text is None else text))


def raw_from_toml(path: Path, data: dict[str, Any]) -> RawConfig | None:
    tool = data.get("tool")
    if isinstance(tool, dict) and isinstance(tool.get(NATIVE), dict):
        return _raw_from_toml_table(path, NATIVE, tool[NATIVE])
    if isinstance(tool, dict) and isinstance(tool.get(IMPORTLINTER), dict):
        return _raw_from_toml_table(path, IMPORTLINTER, tool[IMPORTLINTER])
    if path.name != "pyproject.toml" and ("root_packages" in data or "contracts" in data):
        return _raw_from_toml_table(path, NATIVE, data)
    return None


def _raw_from_toml_table(path: Path, dialect: str, table: dict[str, Any]) -> RawConfig:
    options = dict(table)
    contracts = options.pop("contracts", [])
    if not isinstance(contracts, list) or not all(isinstance(c, dict) for c in contracts):
        raise ConfigError("must be an array of tables ([[contracts]])", path=path, key="contracts")
    return RawConfig(path, dialect, False, options, [dict(c) for c in contracts])


def read_ini(path: Path, text: str | None = None) -> RawConfig | None:
    """Read ``[boundary_lint]`` (+ ``[boundary_lint:contract:ID]``) or ``[importlinter]``."""
    return raw_from_ini(path, parse_ini(path, read_text(path) if text is None else text))


def parse_ini(path: Path, text: str) -> configparser.ConfigParser:
    import configparser

    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(text, source=str(path))
    except configparser.Error as error:
        raise _ini_error(path, error) from None
    return parser


def raw_from_ini(path: Path, parser: configparser.ConfigParser) -> RawConfig | None:
    for dialect in (NATIVE, IMPORTLINTER):
        if parser.has_section(dialect):
            return _raw_from_ini(path, dialect, parser)
    for dialect in (NATIVE, IMPORTLINTER):
        # Contracts without their top section (a misspelt [import-linter]): an error naming the
        # file, not "no configuration found" or, worse, a parent directory's contracts instead.
        orphan = next((s for s in parser.sections() if s.startswith(f"{dialect}:")), None)
        if orphan is not None:
            raise ConfigError(
                f"has a [{orphan}] section but no [{dialect}] section (which names the root packages)",
                path=path,
            )
    return None


def _ini_error(path: Path, error: configparser.Error) -> ConfigError:
    """configparser's messages repeat the file name and, for some errors, leave out the line:
    say which line, and name the contract and key where there is one."""
    import configparser

    if isinstance(error, configparser.DuplicateSectionError):
        contract = _contract_id_of_section(error.section)
        if contract is not None:
            return ConfigError(
                f"duplicate contract id: section [{error.section}] again on line {error.lineno}",
                path=path,
                contract=contract,
                key="id",
            )
        return ConfigError(f"invalid INI: section [{error.section}] again on line {error.lineno}", path=path)
    if isinstance(error, configparser.DuplicateOptionError):
        return ConfigError(
            f"invalid INI: given twice in [{error.section}] (again on line {error.lineno})",
            path=path,
            contract=_contract_id_of_section(error.section),
            key=error.option,
        )
    if isinstance(error, configparser.MissingSectionHeaderError):
        return ConfigError(
            f"invalid INI: line {error.lineno}: {error.line.strip()!r} is not inside any [section]",
            path=path,
        )
    if isinstance(error, configparser.ParsingError) and error.errors:
        lineno, line = error.errors[0]
        try:  # configparser keeps the line's repr
            text = str(ast.literal_eval(line)).strip()
        except (ValueError, SyntaxError):
            text = str(line).strip()
        return ConfigError(f"invalid INI: line {lineno}: cannot parse {text!r}", path=path)
    return ConfigError(f"invalid INI: {str(error).splitlines()[0]}", path=path)


def _contract_id_of_section(section: str) -> str | None:
    """The contract id a section defines, as ``_raw_from_ini`` reads it, or None."""
    if section.startswith(f"{NATIVE}:contract:"):
        return section[len(f"{NATIVE}:contract:") :]
    if section.startswith(f"{IMPORTLINTER}:"):
        return section.split(":")[-1]
    return None


def _raw_from_ini(path: Path, dialect: str, parser: configparser.ConfigParser) -> RawConfig:
    options = _ini_section(parser[dialect])
    contracts = []
    prefix = f"{dialect}:"
    for section in parser.sections():
        if not section.startswith(prefix):
            continue
        kind, _, contract_id = section[len(prefix) :].partition(":")
        if kind != "contract" and dialect == NATIVE:
            raise ConfigError(f"unknown section [{section}]: expected [{NATIVE}:contract:ID]", path=path)
        values = _ini_section(parser[section])
        if dialect == NATIVE and "id" in values:
            raise ConfigError(
                f"the id is the section name's last part ({contract_id!r}); remove the id key",
                path=path,
                contract=contract_id,
                key="id",
            )
        # import-linter takes the last ':'-part as the id; so do we for its files.
        contract = {"id": section.split(":")[-1] if dialect == IMPORTLINTER else contract_id}
        contract.update(values)
        contracts.append(contract)
    return RawConfig(path, dialect, True, options, contracts)


def _ini_section(section: configparser.SectionProxy) -> dict[str, Any]:
    """Multi-line values become lists of their non-blank lines, as import-linter reads them."""
    values: dict[str, Any] = {}
    for key, value in section.items():
        if "\n" in value.strip():
            values[key] = [line.strip() for line in value.strip().splitlines() if line.strip()]
        else:
            values[key] = value.strip()
    return values


def contract_line(path: Path, contract_id: str) -> int | None:
    """The line that defines a contract in its file (an INI section ``[...:ID]``, a TOML
    ``id = "ID"``), for findings that belong to the contract rather than to an import; None if
    the file cannot be read or the id is not spelled out (an import-linter TOML contract
    numbered by its position)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None
    return contract_line_in(text, contract_id)


def contract_line_in(text: str, contract_id: str) -> int | None:
    """``contract_line`` in a configuration file's text."""
    import re

    escaped = re.escape(contract_id)
    pattern = re.compile(
        rf"^\s*(\[(?:{NATIVE}|{IMPORTLINTER})(?::[^\]]*)?:{escaped}\]|id\s*=\s*([\"']){escaped}\2)\s*(?:#.*)?$"
    )
    for number, line in enumerate(text.splitlines(), start=1):
        if pattern.match(line):
            return number
    return None
