"""Every name we use from grimp's private modules, in one place.

grimp's public API builds a graph from packages on disk; a linter also needs to scan one file's
text (an unsaved editor buffer), to scan in chunks that bound memory, and to probe a file on a
stack of its own. For that we call its scanner (the Rust extension) with its own value objects.
These names may move in any grimp release: pyproject.toml pins grimp to the minors tested, and
.ci/run checks the graph against the newest grimp too, so that a release that moves one shows
in our CI before it reaches a user.
"""

from grimp import _rustgrimp as rust  # type: ignore[attr-defined]
from grimp.adaptors.filesystem import FileSystem
from grimp.application.ports.modulefinder import FoundPackage, ModuleFile
from grimp.domain.valueobjects import Module

__all__ = ["FileSystem", "FoundPackage", "Module", "ModuleFile", "rust"]
