"""What must be deployed for a package to import: its modules, everything they reach through
static and literal dynamic imports, and the ``__init__.py`` of every package on the way."""

from __future__ import annotations

import re
import sys
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

from boundary_lint.errors import UserError
from boundary_lint.graph.builder import ProjectGraph


@dataclass
class Closure:
    modules: list[str]
    files: list[Path]
    external: list[str]  # top-level third-party packages reached (not the standard library)
    bytes: int
    # How each module was reached: module -> the module that imports it (None for a start).
    reached_from: dict[str, str | None] = field(default_factory=dict)
    ancestors_only: set[str] = field(default_factory=set)  # packages needed only for their __init__

    def why(self, module: str) -> list[str] | None:
        """The shortest chain of imports from the packages to ``module``."""
        if module not in self.reached_from:
            return None
        chain = [module]
        while (parent := self.reached_from[chain[-1]]) is not None:
            chain.append(parent)
        return list(reversed(chain))


class UnknownPackage(UserError):
    pass


def compute_closure(project: ProjectGraph, packages: list[str]) -> Closure:
    graph = project.graph
    start: set[str] = set()
    for package in packages:
        if package not in project.module_files and package not in graph.modules:
            raise UnknownPackage(f"{package!r} is not a module of the project")
        start |= {package} | graph.find_descendants(package)
    reached_from: dict[str, str | None] = {m: None for m in sorted(start)}
    queue = deque(sorted(start))
    external: set[str] = set()
    while queue:
        module = queue.popleft()
        for imported in sorted(graph.find_modules_directly_imported_by(module)):
            if graph.is_module_squashed(imported):
                top = imported.split(".")[0]
                if top not in sys.stdlib_module_names and top != "__future__":
                    external.add(top)
            elif imported not in reached_from:
                reached_from[imported] = module
                queue.append(imported)
    ancestors = {".".join(m.split(".")[:i]) for m in reached_from for i in range(1, m.count(".") + 1)} - set(
        reached_from
    )
    modules = sorted((set(reached_from) | ancestors) & set(project.module_files))
    files = [project.module_files[m] for m in modules]
    return Closure(
        modules=modules,
        files=files,
        external=sorted(external),
        bytes=sum(f.stat().st_size for f in files if f.exists()),
        reached_from=reached_from,
        ancestors_only=ancestors,
    )


class UnfilterablePath(UserError):
    """A path an rsync filter file cannot name (a line break in it)."""


# rsync treats a pattern holding any of these as a wildcard pattern, in which a backslash
# escapes the next character; a pattern without them is matched literally, backslashes included.
_RSYNC_WILDCARDS = frozenset("*?[")
_RSYNC_ESCAPED = re.compile(r"([*?\[\\])")


def rsync_pattern(path: str) -> str:
    """``path`` as an rsync filter pattern that matches it and nothing else."""
    if "\n" in path or "\r" in path:
        raise UnfilterablePath(f"{path!r}: an rsync filter file cannot name a path with a line break")
    if _RSYNC_WILDCARDS.isdisjoint(path):
        return path
    return _RSYNC_ESCAPED.sub(r"\\\1", path)


def rsync_filter(files: list[Path], root: Path) -> str:
    """An rsync filter file that copies exactly ``files`` (relative to ``root``): each
    directory on the way is included so rsync descends into it, everything else excluded.
    Raises UnfilterablePath for a path no filter line can name."""
    included: list[str] = []
    seen: set[str] = set()
    for path in files:
        parts = path.relative_to(root).parts
        for depth in range(1, len(parts)):
            directory = "/" + "/".join(parts[:depth]) + "/"
            if directory not in seen:
                seen.add(directory)
                included.append(directory)
        included.append("/" + "/".join(parts))
    return "".join(f"+ {rsync_pattern(entry)}\n" for entry in included) + "- *\n"
