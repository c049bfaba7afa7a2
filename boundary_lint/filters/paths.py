"""Path arguments (``boundary-lint check PATH...``): which project files they name, and the
report narrowed to what concerns those files.

A path names files: a file itself, a directory every project file under it. Paths that cover
the whole project (``check .`` at its root) are the whole project: nothing is narrowed. A
violation *concerns* a file when a module on its chain is that file: the importer where it
begins, a module it passes through, or the module it ends at. The graph stays whole-project,
so a change in the middle of a chain (common/notification.py) reports the violation where the
chain begins (troveguest/backup.py). docs/ci.md says why this catches every new violation a
change can make, and the one case it cannot see (deleting a module).

Narrowing never makes a broken contract look kept: a contract whose violations all lie
elsewhere is left out of the report (not listed as kept), and a note counts what was left
out. Contract-level errors and errors that belong to no file are always reported."""

from __future__ import annotations

import dataclasses
import functools
import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from boundary_lint.errors import UserError
from boundary_lint.report import ContractResult, Report, Violation


class PathError(UserError):
    """A path argument that cannot mean anything: it does not exist, or names no project file."""


def check_paths_exist(paths: Sequence[Path]) -> None:
    for path in paths:
        if not os.path.lexists(path):
            raise PathError(f"{path}: no such file or directory")


def named_files(
    paths: Sequence[Path], project_files: Iterable[Path], config_path: Path, describe_project: str
) -> set[Path] | None:
    """The project files (real paths) the paths name, or None for the whole project: no paths,
    paths that cover every project file, or the configuration file itself (a change to it can
    change any verdict). A directory that holds no project file is an error: nothing there
    could be checked. A file that is not a project file names nothing (pre-commit passes every
    staged Python file, setup.py included)."""
    if not paths:
        return None
    files = _ProjectFiles(project_files)
    named: set[Path] = set()
    for path in paths:
        real = os.path.realpath(path)
        if real == os.path.realpath(config_path):
            return None
        if os.path.isdir(real):
            under = files.under(real)
            if not under:
                raise PathError(f"{path}: holds no module of the project ({describe_project})")
            named |= under
        else:
            named |= files.same_file(real, os.path.basename(path))
    if len(named) == len(files.paths):
        return None
    return {file_key(f) for f in named}


def file_key(path: Path | str) -> Path:
    """How files are compared: the path with its directory's links resolved (the same file
    named through a symlinked package directory, ``troveguest -> src/troveguest``, is one
    file). Directories are resolved once each: a project's files share few of them."""
    directory, name = os.path.split(os.fspath(path))
    return Path(_real_directory(directory), name)


@functools.lru_cache(maxsize=65536)
def _real_directory(directory: str) -> str:
    return os.path.realpath(directory)


class _ProjectFiles:
    """The project's files, matched against named paths without resolving each file's links
    (at 50,000 modules, that costs seconds): each directory is resolved once, and only the
    files whose name matches a named file are resolved in full."""

    def __init__(self, paths: Iterable[Path]) -> None:
        self.paths = list(paths)
        self._real_directory: list[str] = []
        self._by_name: dict[str, list[Path]] = {}
        for path in self.paths:
            directory, name = os.path.split(os.fspath(path))
            self._real_directory.append(_real_directory(directory))
            self._by_name.setdefault(name, []).append(path)

    def under(self, directory: str) -> set[Path]:
        prefix = directory.rstrip(os.sep) + os.sep
        return {
            path
            for path, real in zip(self.paths, self._real_directory)
            if real == directory or real.startswith(prefix)
        }

    def same_file(self, real: str, name: str) -> set[Path]:
        """The project file that ``real`` is, looked for among the files of its name (or of the
        name it was given by, a link's)."""
        candidates = {*self._by_name.get(os.path.basename(real), []), *self._by_name.get(name, [])}
        return {path for path in candidates if os.path.realpath(path) == real}


def concerns(violation: Violation, root: Path, files: set[Path]) -> bool:
    on_chain = {violation.path, violation.imported_path, *(hop.path for hop in violation.chain)}
    return any(file_key(root / path) in files for path in on_chain if path)


def limit_to_files(report: Report, root: Path, files: set[Path]) -> Report:
    """The report with only the violations and file errors that concern ``files``."""
    narrowed = narrow(
        report,
        lambda v: concerns(v, root, files),
        "not concerning the named files",
        "run without paths to see them",
    )
    errors = [e for e in narrowed.errors if e.path is None or file_key(root / e.path) in files]
    left_out = len(narrowed.errors) - len(errors)
    notes = [*narrowed.notes]
    if left_out:
        notes.append(
            f"not shown: {_count(left_out, 'file error')} in files not named; run without paths to see them"
        )
    if not files:
        notes.append("no named path is a module of the project: no violation concerns them")
    return dataclasses.replace(narrowed, errors=errors, notes=notes)


def narrow(
    report: Report, keep: Callable[[Violation], bool], left_out_because: str, how_to_see: str
) -> Report:
    """Keep the violations ``keep`` accepts (and every suppressed or baselined one that it
    accepts); leave out contracts left with nothing to show but broken elsewhere; say so."""
    contracts: list[ContractResult] = []
    hidden_violations = hidden_contracts = 0
    for contract in report.contracts:
        kept = [v for v in contract.violations if keep(v)]
        hidden = sum(v.active for v in contract.violations) - sum(v.active for v in kept)
        hidden_violations += hidden
        if hidden and not any(v.active for v in kept) and not contract.errors:
            hidden_contracts += 1  # broken, but not by what is shown: neither kept nor broken here
            continue
        contracts.append(dataclasses.replace(contract, violations=kept))
    notes = [*report.notes]
    if hidden_violations:
        contracts_part = (
            f" ({_count(hidden_contracts, 'contract')} broken only by them)" if hidden_contracts else ""
        )
        notes.append(
            f"not shown: {_count(hidden_violations, 'violation')} {left_out_because}{contracts_part}; "
            f"{how_to_see}"
        )
    return dataclasses.replace(report, contracts=contracts, notes=notes)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
