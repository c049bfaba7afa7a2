"""Find and load the configuration: an explicit file, or discovery walking up from a directory."""

from __future__ import annotations

from pathlib import Path

from boundary_lint.config.errors import ConfigError
from boundary_lint.config.model import Config
from boundary_lint.config.sources import NATIVE, RawConfig, read_ini, read_toml
from boundary_lint.config.validation import validate

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
    return validate(raw)


def discover_config(start: Path) -> Config | None:
    """Walk up from ``start``; the nearest directory with a configuration wins."""
    for directory in (start.resolve(), *start.resolve().parents):
        found = [raw for raw in _raw_configs_in(directory)]
        if found:
            native = [raw for raw in found if raw.dialect == NATIVE]
            return validate((native or found)[0])
    return None


def _raw_configs_in(directory: Path) -> list[RawConfig]:
    found = []
    for name in DISCOVERY_FILES:
        candidate = directory / name
        if candidate.is_file():
            raw = read_raw(candidate)
            if raw is not None:
                found.append(raw)
    return found
