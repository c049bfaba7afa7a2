"""Find root packages on disk as Python's import system would, without importing anything.

With ``source_roots`` configured, only those directories are searched. Without, the search path
is where the project's own Python would find its packages, in this order:

1. the configuration file's directory (the project root: first on ``sys.path`` when the
   project's code, tests or tools run from there);
2. ``src/`` beside it (the src layout);
3. the package directories the project's build configuration declares (``build_config``);
4. the working directory, which import-linter puts first on ``sys.path`` (so does
   ``python -m``): a file of import-linter's given with ``--config`` from elsewhere still finds
   the packages it found;
5. the directories of ``PYTHONPATH``;
6. the running interpreter's ``sys.path`` (site-packages and what ``.pth`` files add), without
   its first entry, which is the directory of the script being run (ours, not the project's);
7. editable installs whose import hook maps a package to its directory (setuptools'
   ``__editable___*_finder.py``, the ``editables`` redirector), read as text from the ``.pth``
   files of the site directories, as ``site`` would run them.

Project locations come first, so an installed copy of the project never shadows its own code.
Along that path a package is found as Python's path finder finds one: the first place holding
``NAME/__init__.py`` (or a module ``NAME.py``, which is an error here: root packages must be
packages) wins; if no place does, every ``NAME/`` directory found is a portion of one namespace
package. A dotted name is looked for inside its parent's directories, as Python does. The path
is read lazily: a package found in the project needs neither the build configuration nor the
interpreter's path.
"""

from __future__ import annotations

import itertools
import os
import re
import site
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from importlib.machinery import all_suffixes
from pathlib import Path

from boundary_lint.errors import UserError

CONFIG_DIRECTORY = "the configuration's directory"
SOURCE_ROOTS = "source_roots"


class PackageNotFound(UserError):
    def __init__(self, package: str, message: str) -> None:
        self.package = package
        super().__init__(message)


@dataclass(frozen=True)
class Place:
    """One place on the search path: a directory that holds packages, or (``package`` set) the
    directory of one package, mapped there by the build configuration or an editable install."""

    directory: Path
    origin: str
    package: str | None = None
    in_project: bool = True  # the project's own places, not PYTHONPATH's or the interpreter's


@dataclass(frozen=True)
class Portion:
    """A directory of a located package, and why it was searched."""

    directory: Path
    origin: str


@dataclass(frozen=True)
class LocatedPackage:
    name: str
    portions: tuple[Portion, ...]  # one for a regular package; a namespace package's all
    namespace: bool

    @property
    def directories(self) -> tuple[Path, ...]:
        return tuple(portion.directory for portion in self.portions)

    @property
    def import_roots(self) -> tuple[Path, ...]:
        """The directories that, on ``sys.path``, make Python import this package from here
        (none for a directory an editable install or ``package-dir`` maps under another name)."""
        parts = tuple(self.name.split("."))
        return tuple(
            portion.directory.parents[len(parts) - 1]
            for portion in self.portions
            if portion.directory.parts[-len(parts) :] == parts
        )

    def describe(self, root: Path) -> str:
        """Where it was found, as ``--verbose`` says it."""
        where = ", ".join(f"{show(p.directory, root)} ({p.origin})" for p in self.portions)
        kind = "namespace package, portions in " if self.namespace else ""
        return f"root package {self.name!r}: {kind}{where}"


def show(path: Path, root: Path) -> str:
    """A path as messages show it: relative to the project root when inside it."""
    try:
        relative = path.relative_to(root)
    except ValueError:
        return str(path)
    return relative.as_posix() if relative.parts else "."


@dataclass(frozen=True)
class _Found:
    """One step of the search: what the places say about one name."""

    portions: tuple[Portion, ...]
    regular: bool  # a regular package (the first of the portions)
    module: Path | None = None  # a module file of that name came first


class SearchPath:
    """The places to search, in order, made as they are needed and each made once."""

    def __init__(self, places: Iterable[Place], root: Path, explicit: bool) -> None:
        self._pending: Iterator[Place] | None = iter(places)
        self._places: list[Place] = []
        self._seen: set[tuple[Path, str | None]] = set()
        self.root = root
        self.explicit = explicit
        self._located: dict[str, _Found] = {}

    @classmethod
    def for_project(
        cls,
        root: Path,
        source_roots: Sequence[Path] | None,
        environ: Mapping[str, str] = os.environ,
        interpreter_path: Sequence[str] | None = None,
        site_directories: Sequence[str] | None = None,
        root_name: str = CONFIG_DIRECTORY,
        working_directory: Path | None = None,
    ) -> SearchPath:
        """``source_roots`` if given, else where the project's Python would look (see above).
        ``environ``, ``interpreter_path``, ``site_directories`` (those whose ``.pth`` files
        Python runs) and ``working_directory`` default to this process's; ``root_name`` says what
        ``root`` is, in messages."""
        root = root.resolve()
        if source_roots is not None:
            return cls((Place(path, SOURCE_ROOTS) for path in source_roots), root, explicit=True)
        if interpreter_path is None:
            interpreter_path = sys.path if sys.flags.safe_path else sys.path[1:]
        if site_directories is None:
            site_directories = _site_packages()
        places = _default_places(
            root, root_name, working_directory or Path.cwd(), environ, interpreter_path, site_directories
        )
        return cls(places, root, explicit=False)

    def places(self) -> Iterator[Place]:
        yield from self._places
        while self._pending is not None:
            place = next(self._pending, None)
            if place is None:
                self._pending = None
                return
            key = (place.directory, place.package)
            if key in self._seen:
                continue
            self._seen.add(key)
            self._places.append(place)
            yield place

    def explicit_roots(self) -> tuple[Path, ...]:
        """The configured source roots; empty when the search path is Python's."""
        return tuple(place.directory for place in self.places()) if self.explicit else ()

    def project_places(self) -> Iterator[Place]:
        """The places of the project itself: its directory, src/, its build configuration's."""
        for place in self.places():
            if not place.in_project:
                return
            yield place

    def locate(self, package: str) -> LocatedPackage:
        found = self._find(package)
        if not found.portions:
            raise PackageNotFound(package, self._not_found(package, found))
        return LocatedPackage(package, found.portions, namespace=not found.regular)

    def _find(self, name: str) -> _Found:
        """As Python's path finder: the first regular package or module wins; else all
        namespace portions."""
        if name not in self._located:
            self._located[name] = self._search(name)
        return self._located[name]

    def _search(self, name: str) -> _Found:
        parent, _, child = name.rpartition(".")
        candidates: Iterable[tuple[Path, str]]
        if parent:
            # Inside the parent's directories, then (as an editable install's hook, asked after
            # the path finder) a mapping of the dotted name itself; read only if still needed.
            above = self._find(parent).portions
            mapped = ((place.directory, place.origin) for place in self.places() if place.package == name)
            candidates = itertools.chain(((p.directory / child, p.origin) for p in above), mapped)
        else:
            candidates = self._candidates(name)
        portions: list[Portion] = []
        for candidate, origin in candidates:
            if _is(Path.is_file, candidate / "__init__.py"):
                return _Found((Portion(candidate, origin),), regular=True)
            module = _module_file(candidate)
            if module is not None:
                return _Found((), regular=False, module=module)
            if _is(Path.is_dir, candidate):
                portions.append(Portion(candidate, origin))
        return _Found(tuple(portions), regular=False)

    def _candidates(self, name: str) -> Iterator[tuple[Path, str]]:
        for place in self.places():
            if place.package is None:
                yield place.directory / name, place.origin
            elif place.package == name:
                yield place.directory, place.origin

    def _not_found(self, package: str, found: _Found) -> str:
        if found.module is not None:
            detail = (
                f": {show(found.module, self.root)} is a single module, and root packages must be packages"
            )
        else:
            detail = ""
        if self.explicit:
            roots = ", ".join(str(place.directory) for place in self.places())
            return f"root package {package!r} not found in the source roots ({roots}){detail}"
        if detail:
            return f"root package {package!r} not found{detail}"
        top = package.partition(".")[0]
        looked = [
            f"{show(place.directory, self.root)} ({place.origin})"
            for place in self.places()
            if place.package is None or place.package.partition(".")[0] == top
        ]
        return f"root package {package!r} not found; looked in (in this order): {'; '.join(looked)}"

    def empty(self, located: LocatedPackage) -> PackageNotFound:
        """The error for a package whose directories hold no Python module at all."""
        detail = ": its directory holds no Python modules"
        if self.explicit:
            roots = ", ".join(str(place.directory) for place in self.places())
            return PackageNotFound(
                located.name, f"root package {located.name!r} not found in the source roots ({roots}){detail}"
            )
        where = ", ".join(f"{show(p.directory, self.root)} ({p.origin})" for p in located.portions)
        return PackageNotFound(
            located.name, f"root package {located.name!r}: {where} holds no Python modules"
        )


def _is(test: Callable[[Path], bool], path: Path) -> bool:
    """``path.is_file()`` or ``is_dir()``, false where it cannot be told (a directory that may
    not be searched: a package found there is reported unreadable when its files are listed)."""
    try:
        return test(path)
    except OSError:
        return False


def _module_file(candidate: Path) -> Path | None:
    """``candidate`` as a module file (any suffix Python imports), if there is one."""
    for suffix in all_suffixes():
        path = candidate.with_name(candidate.name + suffix)
        if _is(Path.is_file, path):
            return path
    return None


# ---- the default search path -------------------------------------------------------------

WORKING_DIRECTORY = "the working directory"
PYTHONPATH = "PYTHONPATH"
INTERPRETER = "sys.path"


def _default_places(
    root: Path,
    root_name: str,
    working_directory: Path,
    environ: Mapping[str, str],
    interpreter_path: Sequence[str],
    sites: Sequence[str],
) -> Iterator[Place]:
    yield Place(root, root_name)
    if (root / "src").is_dir():
        yield Place((root / "src").resolve(), f"src/ in {root_name}")
    # Imported (and the build configuration read) only when the first places did not answer.
    from boundary_lint.graph.build_config import declared_places

    yield from declared_places(root)
    yield from _directories([str(working_directory)], WORKING_DIRECTORY, {})
    python_path = [entry for entry in environ.get("PYTHONPATH", "").split(os.pathsep) if entry]
    yield from _directories(python_path, PYTHONPATH, {})
    pth_files = _pth_files(_site_directories(interpreter_path, sites))
    yield from _directories(interpreter_path, INTERPRETER, _pth_additions(pth_files))
    yield from _editable_mappings(pth_files)


def _directories(entries: Iterable[str], origin: str, added_by: Mapping[Path, str]) -> Iterator[Place]:
    """Path entries that are directories (zip files hold no project to analyse), absolute and
    resolved; a relative entry is relative to the working directory, as for Python."""
    for entry in entries:
        try:
            path = Path(entry or ".").resolve()
            is_dir = path.is_dir()
        except (OSError, ValueError, RuntimeError):
            continue
        if is_dir:
            pth = added_by.get(path)
            yield Place(path, f"{origin}, added by {pth}" if pth else origin, in_project=False)


def _site_packages() -> list[str]:
    """This interpreter's site directories: those whose ``.pth`` files Python ran at start-up."""
    try:
        sites = list(site.getsitepackages())
    except AttributeError:  # an old virtualenv's site module
        sites = []
    if site.ENABLE_USER_SITE:
        sites.append(site.getusersitepackages())
    return sites


def _site_directories(interpreter_path: Sequence[str], sites: Sequence[str]) -> list[Path]:
    """The site directories on the path, in its order (Python reads no other ``.pth`` files)."""
    resolved = set()
    for entry in sites:
        try:
            resolved.add(Path(entry).resolve())
        except (OSError, ValueError, RuntimeError):
            continue
    directories = []
    for entry in interpreter_path:
        try:
            path = Path(entry or ".").resolve()
        except (OSError, ValueError, RuntimeError):
            continue
        if path in resolved and path not in directories:
            directories.append(path)
    return directories


@dataclass(frozen=True)
class _PthFile:
    site_dir: Path
    name: str
    lines: tuple[str, ...]  # without comments and blank lines


def _pth_files(site_dirs: Iterable[Path]) -> list[_PthFile]:
    """The ``.pth`` files of the site directories, in the order ``site`` reads them."""
    found = []
    for site_dir in site_dirs:
        try:
            names = sorted(name for name in os.listdir(site_dir) if name.endswith(".pth"))
        except OSError:
            continue
        for name in names:
            try:
                text = (site_dir / name).read_text(encoding="utf-8", errors="replace")
            except OSError:
                continue
            lines = tuple(
                line.rstrip() for line in text.splitlines() if line.strip() and not line.startswith("#")
            )
            found.append(_PthFile(site_dir, name, lines))
    return found


def _runs_code(line: str) -> bool:
    return line.startswith(("import ", "import\t"))  # as site.addpackage tells them apart


def _pth_additions(pth_files: Iterable[_PthFile]) -> dict[Path, str]:
    """Directory -> the ``.pth`` file that put it on ``sys.path`` (its path lines), to say so."""
    added: dict[Path, str] = {}
    for pth in pth_files:
        for line in pth.lines:
            if not _runs_code(line):
                try:
                    added.setdefault(Path(pth.site_dir, line).resolve(), pth.name)
                except (OSError, ValueError, RuntimeError):
                    continue
    return added


_IMPORTED = re.compile(r"\bimport\s+([A-Za-z_][\w]*)")


def _editable_mappings(pth_files: Iterable[_PthFile]) -> Iterator[Place]:
    """Packages that editable installs map to directories: a ``.pth`` line ``import M`` runs
    module ``M`` of the site directory, which installs an import hook; setuptools' keeps the
    mapping in a ``MAPPING`` dict literal, the ``editables`` redirector in ``map_module(name,
    path)`` calls. Read as text, never run."""
    for pth in pth_files:
        for line in filter(_runs_code, pth.lines):
            for module in _IMPORTED.findall(line):
                yield from _mappings_in(pth.site_dir / f"{module}.py", pth.name)


# setuptools writes ``MAPPING: dict[str, str] = {...}`` (``MAPPING = {...}`` before 66) on one
# line; the editables redirector ``F.map_module('name', '/path/name/__init__.py')``.
_MAPPING = re.compile(r"^MAPPING\s*(?::[^=\n]*)?=\s*(\{.*\})\s*$", re.MULTILINE)
_MAP_MODULE = re.compile(r"\.map_module\(\s*('[^'\n]*'|\"[^\"\n]*\")\s*,\s*('[^'\n]*'|\"[^\"\n]*\")\s*\)")


def _mappings_in(path: Path, pth: str) -> Iterator[Place]:
    """Only the literals are read (``ast.literal_eval``): a regular expression finds them,
    which costs far less than parsing the module (a venv with 30 editable installs)."""
    from ast import literal_eval

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return
    origin = f"editable install, {path.name} (run by {pth})"
    pairs: list[tuple[object, object]] = []
    for match in _MAPPING.finditer(text):
        try:
            mapping = literal_eval(match.group(1))
        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
            continue
        if isinstance(mapping, dict):
            pairs.extend(mapping.items())
    for match in _MAP_MODULE.finditer(text):
        try:
            name, module_file = literal_eval(match.group(1)), Path(literal_eval(match.group(2)))
        except (ValueError, SyntaxError, TypeError):
            continue
        # A package's __init__.py, or a module.
        pairs.append(
            (name, module_file.parent if module_file.stem == "__init__" else module_file.with_suffix(""))
        )
    for name, directory in pairs:
        if isinstance(name, str) and isinstance(directory, (str, Path)):
            try:
                yield Place(Path(directory).resolve(), origin, name, in_project=False)
            except (OSError, ValueError, RuntimeError):
                continue


def locate_package(package: str, source_roots: tuple[Path, ...]) -> list[Path]:
    """The directories of ``package`` in these source roots (raises PackageNotFound)."""
    search = SearchPath.for_project(source_roots[0] if source_roots else Path.cwd(), source_roots)
    return list(search.locate(package).directories)
