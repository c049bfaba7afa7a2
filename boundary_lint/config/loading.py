"""Find and load the configuration: an explicit file, or discovery walking up from a directory."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from boundary_lint.config.errors import ConfigError
from boundary_lint.config.sources import IMPORTLINTER, NATIVE, RawConfig, read_ini, read_toml

if TYPE_CHECKING:
    from boundary_lint.config.model import Config

# Looked for in each directory, in this order: our own sections first, import-linter's after.
DISCOVERY_FILES = ("pyproject.toml", "setup.cfg", "tox.ini", ".importlinter")


def read_raw(path: Path) -> RawConfig | None:
    """Read whichever configuration the file holds, or None if it holds none."""
    if path.suffix == ".toml":
        return read_toml(path)
    return read_ini(path)


def load_config(path: Path) -> Config:
    """Load an explicitly named file; it must hold a configuration."""
    raw = read_raw(path)
    if raw is None:
        raise ConfigError(
            "holds no boundary-lint or import-linter configuration "
            "([tool.boundary_lint], [boundary_lint], [tool.importlinter] or [importlinter])",
            path=path,
        )
    return _validate(raw)


def _validate(raw: RawConfig) -> Config:
    # Imported here: the model and its validation cost more to import than a discovery that
    # finds nothing (the flake8 plugin with no contracts must cost next to nothing).
    from boundary_lint.config.validation import validate

    return validate(raw)


def discover_config(start: Path) -> Config | None:
    """Walk up from ``start``; the nearest directory with a configuration wins."""
    for directory in (start.resolve(), *start.resolve().parents):
        raw = _raw_config_in(directory)
        if raw is not None:
            return _validate(raw)
    return None


def _may_hold_config(path: Path) -> bool:
    """Whether the file names one of our sections at all: most projects' pyproject.toml,
    setup.cfg and tox.ini do not, and need no parsing. A file that cannot be read is left to
    the reader, which says why."""
    try:
        data = path.read_bytes()
    except OSError:
        return True
    return NATIVE.encode() in data or IMPORTLINTER.encode() in data


def _raw_config_in(directory: Path) -> RawConfig | None:
    """Our own sections win over import-linter's. A file that cannot be read is an error only
    if no other file of the directory holds our configuration (a broken tox.ini must not stop
    a check configured in pyproject.toml, nor pass silently when it may hold the configuration)."""
    found: list[RawConfig] = []
    unreadable: list[ConfigError] = []
    for name in DISCOVERY_FILES:
        candidate = directory / name
        if not candidate.is_file() or not _may_hold_config(candidate):
            continue
        try:
            raw = read_raw(candidate)
        except ConfigError as error:
            unreadable.append(error)
            continue
        if raw is not None and raw.dialect == NATIVE:
            return raw
        if raw is not None:
            found.append(raw)
    if unreadable:
        raise unreadable[0]
    return found[0] if found else None
