"""The files of a repository: what the ``moved`` contract reads and ``fix`` may rewrite.

By default the files git tracks under the project root (``git ls-files -z``, run as a
subprocess with the file-system monitor turned off, so that no hook or configured command of
the checked repository runs); outside a git work tree, every file under the root except
virtual environments, version-control and tool directories and build output. Only regular
files: a symbolic link is never followed, so nothing outside the project is read or written
through one.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
import stat
import subprocess
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

# Directories a walk never enters (without git): tools' and version control's own, virtual
# environments (any directory holding pyvenv.cfg), build output and caches.
DEFAULT_EXCLUDED_DIRECTORIES = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        ".tox",
        ".nox",
        ".eggs",
        "build",
        "dist",
        "node_modules",
        "__pycache__",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        ".boundary_lint_cache",
    }
)
_GIT_TIMEOUT = 60


@dataclass(frozen=True)
class RepositoryFiles:
    root: Path
    paths: tuple[str, ...]  # POSIX paths relative to the root, sorted: regular files only
    source: str  # "git" or "walk": how they were listed
    skipped: tuple[str, ...] = ()  # symbolic links and the like, for --verbose

    def fingerprint(self) -> str:
        """Changes when a file is added, removed, or changes (stat data, as the import cache)."""
        digest = hashlib.blake2b(digest_size=20)
        for path in self.paths:
            try:
                st = os.lstat(self.root / path)
                digest.update(
                    f"{path}\0{st.st_mtime_ns}\0{st.st_ctime_ns}\0{st.st_size}\0{st.st_ino}\n".encode()
                )
            except OSError:
                digest.update(f"{path}\0-\n".encode())
        return digest.hexdigest()

    def newest_change_ns(self) -> int:
        newest = 0
        for path in self.paths:
            try:
                st = os.lstat(self.root / path)
            except OSError:
                continue
            newest = max(newest, st.st_mtime_ns, st.st_ctime_ns)
        return newest


_SNIFF = 8192


def read_file(path: Path) -> bytes:
    """The file's bytes, never through a symbolic link. A file with a NUL byte in its first
    8 KiB is binary: only that much is read (it is never decoded)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    with os.fdopen(fd, "rb") as handle:
        head = handle.read(_SNIFF)
        return head if b"\0" in head else head + handle.read()


def list_repository(root: Path, skip: Sequence[Path] = ()) -> RepositoryFiles:
    """The project's files: git's, else a walk (which does not enter the directories in
    ``skip``: a cache directory, whose files change with every run). Symbolic links are left
    out (and named in ``skipped``), as is anything that is not a regular file."""
    tracked = _git_files(root)
    source = "git" if tracked else "walk"
    candidates = tracked if tracked else _walk(root, {os.path.abspath(p) for p in skip})
    paths, skipped = [], []
    linked_directories: dict[str, bool] = {}
    for relative in candidates:
        try:
            mode = os.lstat(root / relative).st_mode
        except OSError:
            continue  # deleted but still in git's index
        if stat.S_ISLNK(mode):
            skipped.append(f"{relative}: a symbolic link, not followed")
        elif stat.S_ISREG(mode) and not _under_symlink(root, relative.rpartition("/")[0], linked_directories):
            paths.append(relative)
    return RepositoryFiles(root, tuple(sorted(paths)), source, tuple(skipped))


def _git_files(root: Path) -> list[str]:
    """Tracked files under ``root`` (relative to it), or [] when git is missing, ``root`` is
    not in a work tree git may read, or git tracks nothing there."""
    try:
        completed = subprocess.run(
            ["git", "-c", "core.fsmonitor=false", "ls-files", "-z", "--cached"],
            cwd=root,
            capture_output=True,
            timeout=_GIT_TIMEOUT,
            stdin=subprocess.DEVNULL,
            env={**os.environ, "GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C"},
        )
    except (OSError, subprocess.SubprocessError):
        return []
    if completed.returncode != 0:
        return []
    return [os.fsdecode(name) for name in completed.stdout.split(b"\0") if name]


def _walk(root: Path, skip: set[str]) -> list[str]:
    """Every file under ``root``, directories in name order; never follows directory links.
    Iterative: os.walk recurses on Python 3.11, and a tree 1,000 deep stopped the check."""
    found = []
    pending = [str(root)]
    while pending:
        directory = pending.pop()
        try:
            entries = sorted(os.scandir(directory), key=lambda entry: entry.name)
        except OSError:
            continue  # as os.walk: what cannot be listed is not the repository's to read
        relative = os.path.relpath(directory, root)
        subdirectories = []
        for entry in entries:
            try:
                is_directory = entry.is_dir()  # as os.walk: a link to a directory is neither
            except OSError:  # listed nor entered
                is_directory = False
            if not is_directory:
                found.append(entry.name if relative == "." else Path(relative, entry.name).as_posix())
            elif not entry.is_symlink():
                subdirectories.append(entry.name)
        pending.extend(
            os.path.join(directory, d)
            for d in reversed(subdirectories)
            if d not in DEFAULT_EXCLUDED_DIRECTORIES
            and os.path.abspath(os.path.join(directory, d)) not in skip
            and not d.endswith(".egg-info")
            and not os.path.exists(os.path.join(directory, d, "pyvenv.cfg"))
        )
    return found


def _under_symlink(root: Path, directory: str, known: dict[str, bool]) -> bool:
    """Whether ``directory`` (relative to the root) is, or lies below, a symbolic link (git
    never lists files below one and a walk never enters one: a guard for both)."""
    unknown = []  # from ``directory`` up to the nearest ancestor already known (not recursive:
    while directory and directory not in known:  # paths may be thousands of levels deep)
        unknown.append(directory)
        directory = directory.rpartition("/")[0]
    below_link = known.get(directory, False) if directory else False
    for path in reversed(unknown):
        below_link = below_link or os.path.islink(root / path)
        known[path] = below_link
    return below_link


def select(paths: Iterable[str], include: Sequence[str], exclude: Sequence[str]) -> list[str]:
    """The paths that match an ``include`` pattern (all, when there is none) and no
    ``exclude`` pattern."""
    return [p for p in paths if (not include or matches_any(p, include)) and not matches_any(p, exclude)]


def matches_any(path: str, patterns: Sequence[str]) -> bool:
    return any(_pattern(p).fullmatch(candidate) for p in patterns for candidate in _candidates(path, p))


def _candidates(path: str, pattern: str) -> list[str]:
    """What a pattern is matched against: the path and each of its directories (a pattern
    naming a directory covers what is below it); for a pattern without ``/``, also every
    trailing part (``*.rst`` matches at any depth, as in .gitignore)."""
    parts = path.split("/")
    prefixes = ["/".join(parts[:i]) for i in range(1, len(parts) + 1)]
    if "/" in pattern.rstrip("/"):
        return prefixes
    return parts


@functools.lru_cache(maxsize=256)
def _pattern(glob: str) -> re.Pattern[str]:
    """A glob as a regular expression: ``**`` any number of directories, ``*`` and ``?``
    within one path segment, ``[...]`` a character class."""
    glob = glob.strip().rstrip("/").removeprefix("./")
    out, i = [], 0
    while i < len(glob):
        if glob.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif glob.startswith("**", i):
            out.append(".*")
            i += 2
        elif glob[i] == "*":
            out.append("[^/]*")
            i += 1
        elif glob[i] == "?":
            out.append("[^/]")
            i += 1
        elif glob[i] == "[" and "]" in glob[i + 2 :]:
            end = glob.index("]", i + 2)
            body = glob[i + 1 : end]
            out.append("[" + ("^" + body[1:] if body.startswith("!") else body).replace("\\", "\\\\") + "]")
            i = end + 1
        else:
            out.append(re.escape(glob[i]))
            i += 1
    return re.compile("".join(out))


@dataclass(frozen=True)
class CoveredFile:
    path: Path  # absolute
    shown: str  # as reports show it: relative to the root
    module: str | None  # the module it is, when it is one of the root packages'


class _RealDirectories:
    """os.path.realpath of directories, each made from its parent's: realpath alone checks
    every component of every path (on a tree 1,000 deep, half a million lstat calls: 36 s)."""

    def __init__(self) -> None:
        self._known: dict[str, str] = {}

    def __call__(self, directory: str | os.PathLike[str]) -> str:
        if ".." in Path(directory).parts:  # resolved after the links before it, not lexically
            return os.path.realpath(directory)
        directory = os.path.abspath(directory)
        unknown = []
        while directory not in self._known:
            parent = os.path.dirname(directory)
            if parent == directory:  # the file system's root
                self._known[directory] = os.path.realpath(directory)
                break
            unknown.append(directory)
            directory = parent
        for path in reversed(unknown):
            parent = self._known[os.path.dirname(path)]
            joined = os.path.join(parent, os.path.basename(path))
            self._known[path] = os.path.realpath(joined) if os.path.islink(joined) else joined
        return self._known[directory if not unknown else unknown[0]]


def covered_files(
    repository: RepositoryFiles,
    include: Sequence[str],
    exclude: Sequence[str],
    module_files: Mapping[str, Path],
) -> list[CoveredFile]:
    """The repository's files that ``include``/``exclude`` select, and every module of the root
    packages (tracked or not, inside the root or not) that ``exclude`` does not name."""
    root = repository.root
    # By real path: a root package reached through a symbolic link is the same files as the
    # ones git tracks where the link points.
    real_directory = _RealDirectories()
    module_of = {
        Path(real_directory(os.path.dirname(path)), path.name): (module, path)
        for module, path in module_files.items()
    }
    covered: dict[Path, CoveredFile] = {}
    real_root = real_directory(root)
    for relative in select(repository.paths, include, exclude):
        path = root / relative
        real = Path(real_root, relative)  # listed files lie below no symbolic link
        covered[real] = CoveredFile(path, relative, module_of.get(real, (None, path))[0])
    for real, (module, path) in module_of.items():
        if real in covered:
            continue
        shown = (
            path.relative_to(root).as_posix() if path.is_relative_to(root) else os.path.relpath(path, root)
        )
        if path.is_relative_to(root) and (
            matches_any(shown, exclude) or (include and not matches_any(shown, include))
        ):
            continue
        covered[path] = CoveredFile(path, Path(shown).as_posix(), module)
    return sorted(covered.values(), key=lambda f: f.shown)
