"""Find and load the configuration: the one place every front end (the CLI and its commands,
the pre-commit hooks, the flake8 plugin) learns where the contracts are.

In order, the first that applies:

1. a file named explicitly (``--config``; flake8's ``--boundary-lint-config``);
2. the pointer ``boundary-lint-config = PATH`` in flake8's own configuration: the ``[flake8]``
   section of ``setup.cfg``, ``tox.ini`` or ``.flake8``, found walking up from the working
   directory exactly as flake8 finds it; PATH is relative to the file that holds it;
3. discovery: walking up from the working directory, the nearest directory whose
   ``pyproject.toml``, ``setup.cfg``, ``tox.ini`` or ``.importlinter`` holds a configuration.
   In one directory, our own sections win over import-linter's (a warning names the ignored
   file); two files holding the same kind are refused, naming both.

A file that may hold a configuration but cannot be read or decoded is an error naming it, never
skipped (skipping it would check another directory's contracts instead).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from boundary_lint.config.errors import ConfigError
from boundary_lint.config.sources import (
    IMPORTLINTER,
    NATIVE,
    RawConfig,
    decode,
    parse_ini,
    parse_toml,
    raw_from_ini,
    raw_from_toml,
    read_bytes,
)
from boundary_lint.escaping import inert

if TYPE_CHECKING:
    import configparser

    from boundary_lint.config.model import Config

# Looked for in each directory.
DISCOVERY_FILES = ("pyproject.toml", "setup.cfg", "tox.ini", ".importlinter")
# flake8's configuration files, in flake8's order, and the option that points at ours (flake8
# accepts both spellings of an option in its configuration).
FLAKE8_FILES = ("setup.cfg", "tox.ini", ".flake8")
POINTER_OPTION = "boundary-lint-config"
_POINTER_KEYS = (POINTER_OPTION, POINTER_OPTION.replace("-", "_"))
# Files read as INI whatever their content; ``.toml`` files are TOML; any other file (a
# ``contracts.conf``) is read as whichever of the two holds a configuration.
_INI_NAMES = ("setup.cfg", "tox.ini", ".importlinter", ".flake8")
_INI_SUFFIXES = (".cfg", ".ini")

NO_CONFIG_FOUND = (
    "no configuration found: give --config, or add [tool.boundary_lint] to pyproject.toml or "
    "[boundary_lint] to setup.cfg / tox.ini (or point to a file with boundary-lint-config in "
    "[flake8])"
)

Warn = Callable[[str], None]


def warn_on_stderr(message: str) -> None:
    print(f"boundary-lint: warning: {inert(message)}", file=sys.stderr)


@dataclass(frozen=True)
class Pointer:
    """``boundary-lint-config = value`` in the ``[flake8]`` section of ``holder``."""

    holder: Path
    value: str

    @property
    def target(self) -> Path:
        return self.holder.parent / os.path.expanduser(self.value)


@dataclass(frozen=True)
class Located:
    """Where the configuration was found, and how (``--verbose`` says so)."""

    raw: RawConfig
    how: str
    ignored: tuple[Path, ...] = ()


def find_config(
    start: Path,
    explicit: Path | None = None,
    *,
    follow_pointer: bool = True,
    warn: Warn = warn_on_stderr,
) -> Config | None:
    """The configuration every front end uses (see the module's docstring), validated; None
    when there is none. ``follow_pointer=False`` for flake8, which reads its own configuration
    (and hands the pointer over as ``explicit``)."""
    located = locate_config(start, explicit, follow_pointer=follow_pointer)
    if located is None:
        return None
    for ignored in located.ignored:  # only ever import-linter's, beside ours
        warn(
            f"{ignored} is ignored: it holds import-linter configuration, and "
            f"{located.raw.path.name} beside it holds boundary-lint's, which is used"
        )
    return _validate(located.raw)


def require_config(start: Path, explicit: Path | None = None, *, warn: Warn = warn_on_stderr) -> Config:
    """``find_config``, for commands that cannot run without a configuration."""
    config = find_config(start, explicit, warn=warn)
    if config is None:
        raise ConfigError(NO_CONFIG_FOUND)
    return config


def locate_config(
    start: Path, explicit: Path | None = None, *, follow_pointer: bool = True
) -> Located | None:
    if explicit is not None:
        return Located(_read_named(explicit), "given with --config")
    if follow_pointer:
        pointer = find_pointer(start)
        if pointer is not None:
            return Located(_read_pointed(pointer), f"{POINTER_OPTION} in [flake8] of {pointer.holder}")
    for directory in (start.resolve(), *start.resolve().parents):
        located = _located_in(directory)
        if located is not None:
            return located
    return None


def load_config(path: Path) -> Config:
    """Load an explicitly named file; it must hold a configuration."""
    return _validate(_read_named(path))


def discover_config(start: Path) -> Config | None:
    """Discovery alone (step 3), for callers that know there is no pointer."""
    return find_config(start, follow_pointer=False)


def read_raw(path: Path) -> RawConfig | None:
    """Read whichever configuration the file holds, or None if it holds none."""
    return _raw_of(path, decode(path, read_bytes(path)))


def flake8_option_path(value: str, start: Path) -> Path:
    """The file that flake8's ``--boundary-lint-config`` value names. flake8 makes a value with
    a directory part absolute (relative to the file that holds it); a bare file name it leaves
    as written, relative to the working directory. When the bare name is the one in the
    configuration flake8 reads, it is taken relative to that file, as everywhere else."""
    path = Path(value)
    if path.is_absolute() or os.sep in value or (os.altsep and os.altsep in value):
        return path
    pointer = find_pointer(start)
    if pointer is not None and pointer.value == value:
        return pointer.target
    return path


def find_pointer(start: Path) -> Pointer | None:
    """flake8's configuration file, found as flake8 finds it (the first of setup.cfg, tox.ini
    and .flake8 with a ``[flake8]`` section, walking up from ``start`` and stopping below the
    home directory); its pointer to our configuration, if it has one. Files that flake8 would
    ignore (unreadable, not UTF-8, not valid INI) are ignored here too."""
    for directory in _flake8_directories(start):
        for name in FLAKE8_FILES:
            parser = _flake8_config(directory / name)
            if parser is None:
                continue
            if not parser.has_section("flake8"):
                return None  # flake8's configuration, with only [flake8:local-plugins]
            for key in _POINTER_KEYS:
                value = parser.get("flake8", key, fallback="").strip()
                if value:
                    return Pointer(directory / name, value)
            return None
    return None


def _flake8_directories(start: Path) -> Iterator[Path]:
    home = Path(os.path.expanduser("~"))
    directory = start.resolve()
    yield directory
    for parent in directory.parents:
        if home != Path("~") and parent == home.resolve():
            return
        yield parent


def _flake8_config(path: Path) -> configparser.RawConfigParser | None:
    """The file parsed, if flake8 takes it for its configuration."""
    if not path.is_file():
        return None
    try:
        data = read_bytes(path)
    except ConfigError:
        return None
    if b"flake8" not in data:  # most setup.cfg / tox.ini files need no parsing
        return None
    import configparser

    parser = configparser.RawConfigParser()
    try:
        parser.read_string(data.decode("utf-8"), source=str(path))
    except (UnicodeDecodeError, configparser.Error):
        return None
    if parser.has_section("flake8") or parser.has_section("flake8:local-plugins"):
        return parser
    return None


def _read_pointed(pointer: Pointer) -> RawConfig:
    if not pointer.target.exists():
        raise ConfigError(
            f"[flake8] {POINTER_OPTION} = {pointer.value}: {pointer.target} does not exist",
            path=pointer.holder,
        )
    return _read_named(pointer.target)


def _read_named(path: Path) -> RawConfig:
    raw = read_raw(path)
    if raw is None:
        raise ConfigError(
            "holds no boundary-lint or import-linter configuration "
            "([tool.boundary_lint], [boundary_lint], [tool.importlinter] or [importlinter])"
            + _format_note(path),
            path=path,
        )
    return raw


def _validate(raw: RawConfig) -> Config:
    # Imported here: the model and its validation cost more to import than a discovery that
    # finds nothing (the flake8 plugin with no contracts must cost next to nothing).
    from boundary_lint.config.validation import validate

    return validate(raw)


# --- which format a file is read as ---------------------------------------------------------


def _format_of(path: Path) -> str | None:
    """ "toml" or "ini" when the name decides, None when the content must."""
    if path.suffix == ".toml":
        return "toml"
    if path.name in _INI_NAMES or path.suffix in _INI_SUFFIXES:
        return "ini"
    return None


def _raw_of(path: Path, text: str) -> RawConfig | None:
    fmt = _format_of(path)
    if fmt == "toml":
        return raw_from_toml(path, parse_toml(path, text))
    if fmt == "ini":
        return raw_from_ini(path, parse_ini(path, text))
    # Neither name nor suffix says: TOML if it is TOML holding a configuration, else INI.
    try:
        as_toml = raw_from_toml(path, parse_toml(path, text))
    except ConfigError as toml_error:
        try:
            return raw_from_ini(path, parse_ini(path, text))
        except ConfigError as ini_error:
            raise ConfigError(
                f"is neither TOML nor INI: as TOML, {toml_error.message}; as INI, {ini_error.message}",
                path=path,
            ) from None
    if as_toml is not None:
        return as_toml
    try:
        return raw_from_ini(path, parse_ini(path, text))
    except ConfigError:
        return None  # valid TOML, and no configuration in it either way


def _format_note(path: Path) -> str:
    if _format_of(path) is None:
        return "; read as TOML and as INI (its name says neither: .toml is TOML, .cfg and .ini are INI)"
    return ""


# --- discovery --------------------------------------------------------------------------------


def _mentions_config(data: bytes) -> bool:
    """Whether the file names one of our sections at all: most projects' pyproject.toml,
    setup.cfg and tox.ini do not, and need no parsing. NUL bytes are dropped first, so that
    a UTF-16 or UTF-32 file holding a configuration is found (and refused), not skipped."""
    ascii_only = data.replace(b"\0", b"")
    return NATIVE.encode() in ascii_only or IMPORTLINTER.encode() in ascii_only


def _located_in(directory: Path) -> Located | None:
    """The directory's configuration. Every file that may hold one is read, and any that
    cannot be is an error: which file holds the contracts must never depend on what could be read."""
    found: list[RawConfig] = []
    for name in DISCOVERY_FILES:
        candidate = directory / name
        if not candidate.exists() or candidate.is_dir():  # a dangling symlink holds nothing
            continue
        data = read_bytes(candidate)
        if not _mentions_config(data):
            continue
        raw = _raw_of(candidate, decode(candidate, data))
        if raw is not None:
            found.append(raw)
    if not found:
        return None
    for dialect in (NATIVE, IMPORTLINTER):
        same = [raw.path.name for raw in found if raw.dialect == dialect]
        if len(same) > 1:
            raise ConfigError(
                f"{' and '.join(same)} both hold {_DIALECT_NAMES[dialect]} configuration: keep "
                "one, or choose one with --config (or boundary-lint-config in [flake8])",
                path=directory,
            )
    chosen = next((raw for raw in found if raw.dialect == NATIVE), found[0])
    ignored = tuple(raw.path for raw in found if raw is not chosen)
    return Located(chosen, "discovered", ignored)


_DIALECT_NAMES = {NATIVE: "boundary-lint", IMPORTLINTER: "import-linter"}
