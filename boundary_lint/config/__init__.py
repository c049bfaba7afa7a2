"""Configuration: every source (TOML, INI, import-linter files) read into one validated model.

This layer knows nothing of grimp or of how contracts are checked.
"""

from boundary_lint.config.errors import ConfigError
from boundary_lint.config.loading import discover_config, load_config
from boundary_lint.config.model import (
    AcyclicSiblingsSpec,
    AlertLevel,
    Config,
    ContractSpec,
    ForbiddenSpec,
    IndependenceSpec,
    LayerSpec,
    LayersSpec,
    Move,
    MovedSpec,
    ProtectedSpec,
    ReferencesSpec,
)

__all__ = [
    "AcyclicSiblingsSpec",
    "AlertLevel",
    "Config",
    "ConfigError",
    "ContractSpec",
    "ForbiddenSpec",
    "IndependenceSpec",
    "LayerSpec",
    "LayersSpec",
    "Move",
    "MovedSpec",
    "ProtectedSpec",
    "ReferencesSpec",
    "discover_config",
    "load_config",
]
