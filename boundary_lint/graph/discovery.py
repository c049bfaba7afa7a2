"""Find the project's module files on disk, without parsing or importing anything.

A warm run (nothing changed) needs only this: which files there are and their stamps, to
fingerprint the project and answer from the report cache. So it does not import grimp.

Modules are found as grimp's ``ModuleFinder`` finds them, so that both tools see the same
modules: a directory below a package that lacks ``__init__.py`` is not entered, directories
that are not identifiers are skipped, hidden files and ``some.module.py`` are not modules, and a
directory without ``__init__.py`` holding Python files somewhere below is a namespace package.
Two things differ, both for trees grimp cannot walk: a directory that is a symbolic link to one
of its own ancestors is not followed round the loop (and is reported), and a module file that
cannot be stat'ed is still found, to be reported as unreadable when it is parsed.
"""

from __future__ import annotations

import functools
import hashlib
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from boundary_lint.graph.cache import Stamp, stamp_of
from boundary_lint.graph.packages import PackageNotFound, locate_package


@dataclass(frozen=True)
class FileProblem:
    """A file that could not be analysed; its imports are missing from the graph."""

    path: Path
    line: int | None
    message: str
    code: str  # a BND9xx code


@dataclass(frozen=True)
class PackageTree:
    """One directory of a root package (a namespace package may have several)."""

    name: str
    directory: str
    module_files: tuple[tuple[str, str], ...]  # (module name, file name)
    namespace_packages: frozenset[str]


class ModulePaths(Mapping[str, Path]):
    """Module name -> its file's Path, each Path made when first asked for: a run on 50,000
    modules asks for few of them, and making them all would cost most of a second."""

    def __init__(self, filenames: Mapping[str, str]) -> None:
        self._filenames = filenames
        self._paths: dict[str, Path] = {}

    def __getitem__(self, module: str) -> Path:
        path = self._paths.get(module)
        if path is None:
            path = self._paths[module] = Path(self._filenames[module])
        return path

    def __contains__(self, module: object) -> bool:
        return module in self._filenames

    def __iter__(self) -> Iterator[str]:
        return iter(self._filenames)

    def __len__(self) -> int:
        return len(self._filenames)


@dataclass(frozen=True)
class ProjectFiles:
    """The project's modules on disk, and each file's stamp, before anything is parsed."""

    found: tuple[PackageTree, ...]
    filenames: dict[str, str]  # module -> file name (Paths are made only when needed)
    stamps: dict[str, Stamp | None]
    problems: tuple[FileProblem, ...] = ()  # directories not walked (symlink loops)

    @functools.cached_property
    def module_files(self) -> ModulePaths:
        return ModulePaths(self.filenames)

    def fingerprint(self) -> str:
        """Changes whenever a module is added, removed, renamed or its file changes."""
        modules = sorted(self.filenames)
        digest = hashlib.blake2b(digest_size=20)
        # repr, not marshal: marshal's output depends on which objects happen to be shared in
        # memory, so two processes could fingerprint the same files differently.
        digest.update(repr([(m, self.filenames[m], self.stamps[m]) for m in modules]).encode())
        digest.update(repr(self.problems).encode())
        return digest.hexdigest()

    def newest_change_ns(self) -> int:
        return max((max(s[0], s[1]) for s in self.stamps.values() if s), default=0)


@functools.lru_cache(maxsize=65536)
def relative_path(path: Path, root: Path) -> str:
    """``path`` as reports show it: relative to the project root (with ``..`` when outside it)."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return Path(os.path.relpath(path, root)).as_posix()


def discover_project(root_packages: tuple[str, ...], source_roots: tuple[Path, ...]) -> ProjectFiles:
    """Raises PackageNotFound if a root package is not in the source roots."""
    problems: list[FileProblem] = []
    found: list[PackageTree] = []
    for package in root_packages:
        portions = [find_package_tree(package, str(d), problems) for d in locate_package(package, source_roots)]
        if not any(portion.module_files for portion in portions):
            # A directory without __init__.py and without any Python module below it: nothing
            # to check, and every contract naming it would fail with "does not exist".
            raise PackageNotFound(package, source_roots, ": its directory holds no Python modules")
        found.extend(portions)
    filenames: dict[str, str] = {}
    stamps: dict[str, Stamp | None] = {}
    for tree in found:
        for name, filename in tree.module_files:
            if name in filenames and not filename.endswith("__init__.py"):
                continue  # a package and a module of the same name: the package is imported
            filenames[name] = filename
            stamps[name] = stamp_of(filename)
    problems.sort(key=lambda p: p.path.as_posix())
    return ProjectFiles(tuple(found), filenames, stamps, tuple(problems))


def find_package_tree(package: str, directory: str, problems: list[FileProblem]) -> PackageTree:
    """The modules of one package directory, named and chosen as grimp's ModuleFinder does."""
    python_files: list[str] = []
    candidate_namespaces: list[str] = []
    portions: list[str] = []
    for dirpath, dirs, files in _walk_without_loops(directory, problems):
        # As grimp tests it: a plain prefix test, so a sibling sharing a portion's name as a
        # prefix counts as inside it. Kept, so that both tools find the same modules.
        if any(dirpath.startswith(portion) for portion in portions):
            if "__init__.py" not in files:
                dirs.clear()  # no "orphan" packages below a package without __init__.py
                continue
        elif "__init__.py" in files:
            portions.append(dirpath)
        else:
            candidate_namespaces.append(dirpath)
        dirs[:] = [d for d in dirs if d.isidentifier()]
        python_files.extend(os.path.join(dirpath, f) for f in files if _is_module_file(f))
    prefix_length = len(directory) + 1
    modules = []
    for filename in python_files:
        parts = filename[prefix_length:-3].split(os.sep)
        if parts[-1] == "__init__":
            parts.pop()
        modules.append((".".join([package, *parts]), filename))
    namespaces = _namespace_packages(package, directory, candidate_namespaces, python_files)
    return PackageTree(package, directory, tuple(modules), namespaces)


def _is_module_file(filename: str) -> bool:
    return filename.endswith(".py") and not filename.startswith(".") and filename.count(".") == 1


def _namespace_packages(package: str, directory: str, candidates: list[str], python_files: list[str]) -> frozenset[str]:
    """Candidate directories (no __init__.py) with a Python file somewhere below them."""
    parent = directory[: -len(package)]
    names = set()
    for candidate in candidates:
        inside = candidate + os.sep
        if any(filename.startswith(inside) for filename in python_files):
            names.add(".".join(candidate[len(parent):].split(os.sep)))
    return frozenset(names)


def _walk_without_loops(directory: str, problems: list[FileProblem]) -> Iterator[tuple[str, list[str], list[str]]]:
    """``os.walk`` following symbolic links (as grimp walks), except into a directory that is
    one of its own ancestors, which would go round the loop until the path is too long."""
    real_paths: dict[str, str] = {}
    for dirpath, dirs, files in os.walk(directory, followlinks=True):
        parent = os.path.dirname(dirpath)
        if parent in real_paths and not os.path.islink(dirpath):
            real = os.path.join(real_paths[parent], os.path.basename(dirpath))
        else:
            real = os.path.realpath(dirpath)
        real_paths[dirpath] = real
        ancestor = parent
        while ancestor in real_paths and real_paths[ancestor] != real:
            ancestor = os.path.dirname(ancestor)
        if ancestor in real_paths:
            dirs.clear()
            problems.append(FileProblem(
                Path(dirpath), None,
                f"symbolic link loop: points to {real}, a directory that contains it; "
                "not followed, so the modules under it are not analysed",
                "BND903",
            ))
            continue
        yield dirpath, dirs, files
