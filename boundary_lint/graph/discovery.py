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
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from boundary_lint.codes import UNANALYSABLE_FILE
from boundary_lint.graph.cache import Stamp, stamp_of
from boundary_lint.graph.packages import PackageNotFound, SearchPath


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
    # Directories inside a regular package without __init__.py, and how many module files each
    # holds: Python imports them as namespace packages, grimp (and so import-linter) does not
    # look inside, and neither do we (see docs/contracts.md); listed by ``check --verbose``.
    unanalysed: tuple[tuple[str, int], ...] = ()


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

    def get(self, module: str, default: Path | None = None) -> Path | None:  # type: ignore[override]
        # Mapping.get goes through __getitem__ and a KeyError: a report asks for many paths.
        return self[module] if module in self._filenames else default

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
        return self.digest_with(lambda modules: _stamps_bytes([self.stamps[m] for m in modules]))

    def digest_with(self, per_module: Callable[[list[str]], bytes]) -> str:
        """A digest of the modules, their file names, the problems found and ``per_module``'s
        bytes for the modules in name order. Built by joining, not ``repr``: it is most of a
        warm run's own work at 50,000 modules (0.04 s against 0.10 s)."""
        modules = sorted(self.filenames)
        digest = hashlib.blake2b(digest_size=20)
        # NUL is in no module or file name: the 2n pieces split back unambiguously.
        names = "\0".join([*modules, *map(self.filenames.__getitem__, modules)])
        digest.update(names.encode("utf-8", "surrogateescape"))
        digest.update(b"\1")
        digest.update(per_module(modules))
        digest.update(repr(self.problems).encode())
        return digest.hexdigest()

    def unanalysed_directories(self) -> list[tuple[str, int]]:
        """Directories without __init__.py inside a package that hold module files, which
        are not analysed (as grimp does not), with how many module files each holds."""
        return sorted(entry for tree in self.found for entry in tree.unanalysed)

    def newest_change_ns(self) -> int:
        return max((max(s[0], s[1]) for s in self.stamps.values() if s), default=0)


_NO_STAMP = (-1, -1, -1, -1)  # no file has a negative size


def _stamps_bytes(stamps: list[Stamp | None]) -> bytes:
    flat = [value for stamp in stamps for value in (stamp or _NO_STAMP)]
    try:
        return array("q", flat).tobytes()
    except OverflowError:  # an inode number of 2**63 or more (some network file systems)
        return b"\2" + repr(flat).encode()


@functools.lru_cache(maxsize=65536)
def relative_path(path: Path, root: Path) -> str:
    """``path`` as reports show it: relative to the project root (with ``..`` when outside it)."""
    text, base = str(path), str(root)
    # What relative_to gives a path under the root, from the texts (both normalised by Path):
    # a report asks for tens of thousands of paths, and relative_to compares their parts.
    if os.sep == "/" and text.startswith(base) and text[len(base) : len(base) + 1] == "/" and base != "/":
        return text[len(base) + 1 :]
    directory, _, name = text.rpartition("/")
    if _by_directory(text, base, name):  # a directory's files share its answer
        found = _relative_directory(directory or "/", base)
        return name if found == "." else f"{found}/{name}"
    return _relative_path(path, root)


def _by_directory(text: str, base: str, name: str) -> bool:
    """Whether ``text`` relative to ``base`` is its directory's relative path and its name
    (``os.path.relpath`` costs 20 us a file where the root is not above them, as when the
    configuration lives elsewhere): when both are POSIX absolute paths without ``..`` (so
    relpath's normalising changes nothing) and ``text`` is not ``base`` or above it."""
    return (
        text.startswith("/")
        and base.startswith("/")
        and not text.startswith("//")  # "//a" keeps its two slashes in pathlib, not in relpath
        and not base.startswith("//")
        and name not in ("", "..")
        and "/.." not in text
        and "/.." not in base
        and not base.startswith(text)
    )


@functools.lru_cache(maxsize=16384)
def _relative_directory(directory: str, root: str) -> str:
    return _relative_path(Path(directory), Path(root))


def _relative_path(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return Path(os.path.relpath(path, root)).as_posix()


class PackageUnreadable(PackageNotFound):
    """A root package's directory is there but cannot be read: nothing in it can be checked."""

    def __init__(self, package: str, error: OSError) -> None:
        Exception.__init__(
            self, f"root package {package!r} cannot be read: {error.filename}: {error.strerror}"
        )
        self.package = package


def discover_project(root_packages: tuple[str, ...], search: SearchPath | tuple[Path, ...]) -> ProjectFiles:
    """Raises PackageNotFound if a root package is not on the search path (given as one, or
    as the source roots to search)."""
    if not isinstance(search, SearchPath):
        search = SearchPath.for_project(search[0] if search else Path.cwd(), search)
    problems: list[FileProblem] = []
    found: list[PackageTree] = []
    located_packages = [search.locate(package) for package in root_packages]
    inside = Inside([search.root, *(d for located in located_packages for d in located.directories)])
    for package, located in zip(root_packages, located_packages):
        try:
            portions = [find_package_tree(package, str(d), problems, inside) for d in located.directories]
        except OSError as error:
            raise PackageUnreadable(package, error) from None
        if not any(portion.module_files for portion in portions):
            # A directory without __init__.py and without any Python module below it: nothing
            # to check, and every contract naming it would fail with "does not exist".
            raise search.empty(located)
        found.extend(portions)
    filenames: dict[str, str] = {}
    for tree in found:
        for name, filename in tree.module_files:
            if name in filenames and not filename.endswith("__init__.py"):
                continue  # a package and a module of the same name: the package is imported
            filenames[name] = filename
    stamps = dict(zip(filenames, map(stamp_of, filenames.values())))
    problems.sort(key=lambda p: p.path.as_posix())
    return ProjectFiles(tuple(found), filenames, stamps, tuple(problems))


class Inside:
    """Whether a real path lies in the project: under its root or a root package's directory.
    A symbolic link planted in a package must not make us read a file elsewhere: its text would
    end up in the report (a syntax error quotes its line; /proc/self/environ is CI's secrets)."""

    def __init__(self, places: Iterable[str | os.PathLike[str]]) -> None:
        reals = {os.path.realpath(place) for place in places}
        self._prefixes = tuple(sorted(real.rstrip(os.sep) + os.sep for real in reals))

    def __call__(self, real: str) -> bool:
        return (real + os.sep).startswith(self._prefixes)


def _anywhere(real: str) -> bool:
    return True


def find_package_tree(
    package: str, directory: str, problems: list[FileProblem], inside: Callable[[str], bool] = _anywhere
) -> PackageTree:
    """The modules of one package directory, named and chosen as grimp's ModuleFinder does;
    symbolic links to a place that is not ``inside`` are reported, not followed."""
    python_files: list[str] = []
    modules: list[tuple[str, str]] = []
    candidate_namespaces: list[str] = []
    portions: set[str] = set()
    # Directories that are a portion or lie inside one by grimp's test (below): a child of one
    # of them lies inside too, so each directory needs only its parent looked up.
    covered: set[str] = set()
    unanalysed: list[tuple[str, int]] = []
    prefix_length = len(directory) + 1
    for dirpath, dirs, files, links in _walk(directory, problems, inside):
        # As grimp tests it: a plain prefix test, so a sibling sharing a portion's name as a
        # prefix counts as inside it. Kept, so that both tools find the same modules.
        if _inside_portion(dirpath, covered, portions):
            covered.add(dirpath)
            if "__init__.py" not in files:
                dirs.clear()  # no "orphan" packages below a package without __init__.py
                count = sum(map(_is_module_file, files))
                if count:
                    unanalysed.append((dirpath, count))
                continue
        elif "__init__.py" in files:
            portions.add(dirpath)
            covered.add(dirpath)
        else:
            candidate_namespaces.append(dirpath)
        dirs[:] = [d for d in dirs if d.isidentifier()]
        package_name = (
            ".".join([package, *dirpath[prefix_length:].split(os.sep)]) if dirpath != directory else package
        )
        # Joined by hand: os.path.join per file was a fifth of a warm run at 50,000 modules,
        # and no walked path ends with a separator (each is a join of names).
        base = dirpath + os.sep
        for name in files:
            if not _is_module_file(name):
                continue
            if not (name.isascii() or _is_utf8(name)):
                problems.append(_not_utf8_name(dirpath, name))
                continue
            path = base + name
            if name in links and not inside(os.path.realpath(path)):
                problems.append(
                    FileProblem(
                        Path(path),
                        None,
                        f"cannot analyse: a symbolic link to {_link_target(path)}, outside the project; not read",
                        UNANALYSABLE_FILE,
                    )
                )
                continue
            python_files.append(path)
            modules.append((package_name if name == "__init__.py" else f"{package_name}.{name[:-3]}", path))
    namespaces = _namespace_packages(package, directory, candidate_namespaces, python_files)
    return PackageTree(package, directory, tuple(modules), namespaces, tuple(sorted(unanalysed)))


def _inside_portion(dirpath: str, covered: set[str], portions: set[str]) -> bool:
    """``any(dirpath.startswith(p) for p in portions)`` for the portions walked so far, without
    testing each: the walk is top-down with siblings in name order, so a portion that is a
    prefix of ``dirpath`` is a prefix of its parent (then the parent is covered), the parent
    itself, or a sibling walked before it whose name is a prefix of its name."""
    parent, _, name = dirpath.rpartition(os.sep)
    if parent in covered:
        return True
    stem = parent + os.sep
    return any(stem + name[:length] in portions for length in range(1, len(name)))


def _is_module_file(filename: str) -> bool:
    return filename.endswith(".py") and not filename.startswith(".") and filename.count(".") == 1


def _is_utf8(name: str) -> bool:
    """False for a name holding bytes that are not UTF-8 (os.listdir hands them over as lone
    surrogates): no module name can hold it, and grimp's scanner panics on it."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _not_utf8_name(directory: str, name: str) -> FileProblem:
    shown = os.fsencode(name).decode("utf-8", "backslashreplace")
    return FileProblem(
        Path(directory), None, f"cannot analyse {shown}: its name is not valid UTF-8", UNANALYSABLE_FILE
    )


def _namespace_packages(
    package: str, directory: str, candidates: list[str], python_files: list[str]
) -> frozenset[str]:
    """Candidate directories (no __init__.py) with a Python file somewhere below them."""
    parent = directory[: -len(package)]
    names = set()
    for candidate in candidates:
        inside = candidate + os.sep
        if any(filename.startswith(inside) for filename in python_files):
            names.add(".".join(candidate[len(parent) :].split(os.sep)))
    return frozenset(names)


# How many times one directory is walked under other names than its own (through links).
# Links to a sibling can double the names at each level: 25 levels of two such links made
# 2**25 directories to walk, and the check never ended (grimp's walk does not end either).
MAX_ENTRIES = 8


def _walk(
    directory: str, problems: list[FileProblem], inside: Callable[[str], bool]
) -> Iterator[tuple[str, list[str], list[str], set[str]]]:
    """Top-down like ``os.walk(directory, followlinks=True)``, as grimp walks (the caller prunes
    ``dirs`` in place), with these differences:

    - it does not recurse, so packages nested thousands deep are walked (os.walk recurses on
      Python 3.11);
    - a directory that cannot be listed is reported, where os.walk skips it without a word;
    - a directory that is one of its own ancestors is reported and not entered (it would go
      round the loop until the path is too long), and so is a directory symbolic link to a
      place not ``inside`` the project, or to a directory already walked MAX_ENTRIES times
      through links (every directory is walked under its own name);
    - directories are walked in name order, so that what is found is the same on every machine;
    - each directory comes with the names in it that are symbolic links.
    """
    active: set[str] = set()  # real paths of the directory being walked and its ancestors
    linked: Counter[str] = Counter()  # how often each real directory was entered through a link
    # (path, real path, whether a symbolic link was followed on the way from ``directory``)
    stack: list[tuple[str, str, bool] | str] = [(directory, os.path.realpath(directory), False)]
    while stack:
        item = stack.pop()
        if isinstance(item, str):  # every directory below this one is done
            active.discard(item)
            continue
        path, real, through_link = item
        if through_link and linked[real] >= MAX_ENTRIES:
            if linked[real] == MAX_ENTRIES:  # said once for each directory
                linked[real] += 1
                problems.append(
                    FileProblem(
                        Path(path),
                        None,
                        f"symbolic links lead to {real} more than {MAX_ENTRIES} times: not entered again, so "
                        "the modules under it are not analysed under this name",
                        UNANALYSABLE_FILE,
                    )
                )
            continue
        try:
            dirs, files, links = _list_directory(path)
        except OSError as error:
            if path == directory:
                raise  # the package itself
            if os.path.basename(path) != "__pycache__":  # Python's own caches: never source
                problems.append(
                    FileProblem(
                        Path(path),
                        None,
                        f"cannot read directory: {error.strerror}; the modules under it are not analysed",
                        UNANALYSABLE_FILE,
                    )
                )
            continue
        yield path, dirs, files, links
        linked[real] += through_link
        active.add(real)
        stack.append(real)
        for name in reversed(dirs):
            child = os.path.join(path, name)
            child_real = os.path.realpath(child) if name in links else os.path.join(real, name)
            if child_real in active:
                problems.append(
                    FileProblem(
                        Path(child),
                        None,
                        f"symbolic link loop: points to {child_real}, a directory that contains it; "
                        "not followed, so the modules under it are not analysed",
                        UNANALYSABLE_FILE,
                    )
                )
            elif name in links and not inside(child_real):
                problems.append(
                    FileProblem(
                        Path(child),
                        None,
                        f"symbolic link to {_link_target(child)}, outside the project: not followed, so the "
                        "modules under it are not analysed",
                        UNANALYSABLE_FILE,
                    )
                )
            else:
                stack.append((child, child_real, through_link or name in links))


def _link_target(path: str) -> str:
    """A symbolic link's target as it is written (the same every run, unlike /proc/self)."""
    try:
        return os.readlink(path)
    except OSError:
        return os.path.realpath(path)


def _list_directory(path: str) -> tuple[list[str], list[str], set[str]]:
    """(directories, other entries, the entries that are symbolic links), as os.walk sorts
    them: an entry is a directory if it is one after following symbolic links, so a dangling
    link counts as a file (and is reported as unreadable if it is a module)."""
    dirs: list[str] = []
    files: list[str] = []
    links: set[str] = set()
    with os.scandir(path) as entries:
        for entry in entries:
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            (dirs if is_dir else files).append(entry.name)
            if entry.is_symlink():
                links.add(entry.name)
    dirs.sort()
    return dirs, files, links
