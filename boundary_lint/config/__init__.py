"""Configuration: every source (TOML, INI, import-linter files) read into one validated model.

This layer knows nothing of grimp or of how contracts are checked.

The model is imported on first use (PEP 562): discovering that a project has no configuration,
as the flake8 plugin does on every run, must not pay for importing it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from boundary_lint.config.errors import ConfigError
from boundary_lint.config.loading import discover_config, find_config, load_config, require_config

if TYPE_CHECKING:
    from boundary_lint.config.model import (
        AcyclicSiblingsSpec,
        AlertLevel,
        Config,
        ContractSpec,
        CustomContractSpec,
        ForbiddenSpec,
        IndependenceSpec,
        LayerSpec,
        LayersSpec,
        Move,
        MovedSpec,
        ProtectedSpec,
        ReferencesSpec,
    )

_NOT_FROM_MODEL = frozenset(
    {"ConfigError", "discover_config", "find_config", "load_config", "require_config"}
)


def __getattr__(name: str) -> Any:
    if name in __all__ and name not in _NOT_FROM_MODEL:
        return getattr(importlib.import_module("boundary_lint.config.model"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "AcyclicSiblingsSpec",
    "AlertLevel",
    "Config",
    "ConfigError",
    "ContractSpec",
    "CustomContractSpec",
    "ForbiddenSpec",
    "IndependenceSpec",
    "LayerSpec",
    "LayersSpec",
    "Move",
    "MovedSpec",
    "ProtectedSpec",
    "ReferencesSpec",
    "discover_config",
    "find_config",
    "load_config",
    "require_config",
]
