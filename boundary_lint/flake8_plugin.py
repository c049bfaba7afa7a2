"""The flake8 plugin: boundary violations as ``BNDxxx`` errors on the import line.

The whole-project work (graph and contracts) is done once per process, when flake8 parses its
options: before ``--jobs`` workers fork, so they inherit it; spawned workers parse options
again and find the import cache warm. Each file is then looked up in that report, unless its
text differs from the file on disk (an unsaved editor buffer on stdin), in which case its own
imports are taken from the text and its violations computed afresh.

Without a configuration the plugin costs next to nothing: grimp is never imported.
"""

from __future__ import annotations

import argparse
import ast
import os
import stat
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from boundary_lint import __version__
from boundary_lint.codes import CONFIG_ERROR, INTERNAL_ERROR, UNANALYSABLE_FILE
from boundary_lint.escaping import inert

if TYPE_CHECKING:
    from boundary_lint.api import Config, Problem, ProjectFiles, ProjectGraph, Report, Violation

Result = tuple[int, int, str, type]


@dataclass
class _ProjectState:
    """One process's view of the project: configuration, graph and the report on disk files.
    Files are keyed by their absolute path as the report names them (see _PathIndex)."""

    config: Config | None = None
    error: tuple[str, str] | None = None  # the check could not run: every file says so (code, message)
    files: ProjectFiles | None = None
    paths: _PathIndex | None = None
    modules_by_path: dict[str, str] = field(default_factory=dict)
    project: ProjectGraph | None = None  # built only for an unsaved buffer
    report: Report | None = None
    violations_by_path: dict[str, list[Violation]] = field(default_factory=dict)
    problems_by_path: dict[str, list[Problem]] = field(default_factory=dict)
    project_problems: list[Problem] = field(default_factory=list)
    anchor: str | None = None  # the file that shows project_problems
    disable_noqa: bool = False
    buffer: tuple[str, str, list[Result]] | None = None  # the last buffer checked: module, text, results


class _PathIndex:
    """Which of the report's files a file name given by flake8 is. Compared as given (made
    absolute) first, so that a module reached through a symlinked directory (``guest ->
    src/guest``) is found by either name; then resolved, when that names one file only."""

    def __init__(self, paths: Collection[str]) -> None:
        self.paths = paths
        self._by_real: dict[str, str | None] | None = None

    def key_of(self, filename: str) -> str | None:
        given = os.path.abspath(filename)
        if given in self.paths:
            return given
        if self._by_real is None:  # only for a name the report does not use
            self._by_real = {}
            for path in self.paths:
                real = os.path.realpath(path)
                self._by_real[real] = None if real in self._by_real else path  # ambiguous: neither
        return self._by_real.get(os.path.realpath(filename))


def _load_state(config_option: str | None, disable_noqa: bool = False) -> _ProjectState:
    from boundary_lint import api

    state = _ProjectState(disable_noqa=disable_noqa)
    try:
        # As the CLI finds it; flake8 has read its own configuration's pointer (if any) for us.
        explicit = api.flake8_config_path(config_option) if config_option else None
        state.config = api.find_config(Path.cwd(), explicit, follow_flake8_pointer=False)
    except api.ConfigError as error:
        state.error = (CONFIG_ERROR, error.describe())
        return state
    except Exception as error:  # noqa: BLE001 - a bug of ours: one message, never a traceback
        state.error = _internal_error(error)
        return state
    if state.config is None:
        return state
    try:
        _check_project(state)
    except api.ConfigError as error:
        state.error = (CONFIG_ERROR, error.describe())
    except OSError as error:  # a directory or file that cannot be read, as the CLI says it
        state.error = (UNANALYSABLE_FILE, str(error))
    except Exception as error:  # noqa: BLE001 - a bug of ours: one message, never a traceback
        state.error = _internal_error(error)
    return state


def _check_project(state: _ProjectState) -> None:
    from boundary_lint import api

    assert state.config is not None
    state.files = api.project_files(state.config)
    # The report cache answers when nothing changed since the last run (flake8's or the CLI's).
    state.report = api.check(state.config, api.CheckOptions(disable_noqa=state.disable_noqa), state.files)
    _index(state, state.report)


def _internal_error(error: BaseException) -> tuple[str, str]:
    """What the command line says of a bug of ours, as one flake8 error rather than a traceback."""
    if os.environ.get("BOUNDARY_LINT_DEBUG"):
        raise error
    return INTERNAL_ERROR, (
        f"internal error: {type(error).__name__}: {error} "
        "(set BOUNDARY_LINT_DEBUG=1 for the traceback, and please report it)"
    )


def _index(state: _ProjectState, report: Report) -> None:
    from boundary_lint.api import Problem

    assert state.config is not None and state.files is not None
    root = state.config.root
    # From the file names, not module_files: a Path for each of the project's modules would
    # cost more than the rest of an editor's one-file run.
    state.modules_by_path = {
        os.path.normpath(filename): module for module, filename in state.files.filenames.items()
    }
    for contract in report.contracts:
        for violation in contract.violations:
            if not violation.suppressed:
                state.violations_by_path.setdefault(_absolute(root, violation.path), []).append(violation)
        state.project_problems.extend([*contract.findings, *contract.errors])
    anchor = _anchor(state.config.root_packages, state.files.module_files)
    state.anchor = os.path.normpath(anchor) if anchor else None
    for problem in report.errors:
        path = _absolute(root, problem.path) if problem.path else None
        if path is not None and _flake8_runs_plugins_on(Path(path)):
            state.problems_by_path.setdefault(path, []).append(problem)
        else:
            # flake8 runs no plugin on a file it cannot parse or read (it says E999 or E902):
            # the problem is shown where project-level problems are, naming the file.
            where = (
                f"{problem.path}{f', line {problem.line}' if problem.line else ''}: " if problem.path else ""
            )
            state.project_problems.append(Problem(problem.code, where + problem.message))
    state.paths = _PathIndex({*state.modules_by_path, *state.violations_by_path, *state.problems_by_path})


def _absolute(root: Path, relative: str) -> str:
    """A report path (relative to the config file's directory, ``../`` when the packages live
    outside it) as an absolute path, symlinks kept, as discovery named the file."""
    return os.path.normpath(root / relative)


def _anchor(root_packages: Sequence[str], module_files: Mapping[str, Path]) -> Path | None:
    """Where problems that concern no file flake8 can check are shown, once: the first root
    package's ``__init__.py``, or when that is missing (a namespace package) or does not parse,
    the next module, in the order of the root packages and then of module names."""
    for root in root_packages:
        members = sorted(m for m in module_files if m.startswith(root + "."))
        for module in ([root] if root in module_files else []) + members:
            if _flake8_runs_plugins_on(module_files[module]):
                return module_files[module]
    return None


def _flake8_runs_plugins_on(path: Path) -> bool:
    """Whether flake8 gets as far as running plugins on the file: it can read and parse it."""
    try:
        ast.parse(_flake8_text(path))
    except (OSError, SyntaxError, ValueError):
        return False
    return True


def _flake8_text(path: Path) -> str:
    """The file's text as flake8 reads it. Raises OSError, also for what is not a regular
    file: reading a FIFO would block forever."""
    from boundary_lint.api import source_text

    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(descriptor, "rb") as file:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise OSError(f"{path}: not a regular file")
        return source_text(file.read())


class BoundaryChecker:
    name = "boundary-lint"
    version = __version__

    _config_option: str | None = None
    _disable_noqa: bool = False
    _state: _ProjectState | None = None

    def __init__(self, tree: ast.AST, filename: str, lines: Sequence[str]) -> None:
        self.tree = tree
        self.filename = filename
        self.lines = lines

    @classmethod
    def add_options(cls, option_manager: Any) -> None:
        option_manager.add_option(
            "--boundary-lint-config",
            parse_from_config=True,
            # In a config file, a path with a directory part is relative to that file's
            # directory (flake8 resolves it), so running flake8 from a subdirectory works.
            normalize_paths=True,
            default=None,
            help="boundary-lint configuration file (default: discovered upwards from the "
            "working directory, as `boundary-lint check` does)",
        )

    @classmethod
    def parse_options(cls, options: argparse.Namespace) -> None:
        config_option = getattr(options, "boundary_lint_config", None)
        # flake8 honours a ``# noqa`` on the reported line (the statement's first) itself; the
        # engine also honours one on any other line of a multi-line import statement, as
        # ``boundary-lint check`` does, so that both front ends report the same lines.
        disable_noqa = bool(getattr(options, "disable_noqa", False))
        if cls._state is None or (config_option, disable_noqa) != (cls._config_option, cls._disable_noqa):
            cls._config_option = config_option
            cls._disable_noqa = disable_noqa
            cls._state = _load_state(config_option, disable_noqa)

    @classmethod
    def _project_state(cls) -> _ProjectState:
        if cls._state is None:  # flake8 always calls parse_options first; the API may not
            cls._state = _load_state(cls._config_option, cls._disable_noqa)
        return cls._state

    def run(self) -> Iterator[Result]:
        try:
            results = list(self._results())
        except Exception as error:  # noqa: BLE001 - a bug of ours: one message, never a traceback
            results = [(1, 0, _text(*_internal_error(error)), type(self))]
        yield from results

    def _results(self) -> Iterator[Result]:
        state = self._project_state()
        if state.error is not None:
            yield 1, 0, _text(*state.error), type(self)
            return
        if state.paths is None:
            return
        path = state.paths.key_of(self.filename)
        if path is None:
            return
        if path == state.anchor:
            for problem in state.project_problems:
                yield 1, 0, _text(problem.code, problem.message), type(self)
        for problem in state.problems_by_path.get(path, []):
            yield problem.line or 1, 0, _text(problem.code, problem.message), type(self)
        text = "".join(self.lines)
        module = state.modules_by_path.get(path)
        if _same_as_on_disk(Path(path), text):
            for violation in state.violations_by_path.get(path, []):
                yield (
                    violation.line,
                    violation.column - 1,
                    _text(violation.code, violation.message),
                    type(self),
                )
        elif module is not None:
            yield from (
                (line, column, message, type(self))
                for line, column, message, _ in _buffer_results(state, module, text)
            )
        # else: a file outside the root packages, changed since the report (only contracts
        # that read every file of the repository, moved, report on such files): nothing to say.


def _text(code: str, message: str) -> str:
    """flake8 prints ``path:line:col: text`` as it is: the message (names from the repository,
    a configuration path) must stay one line and hold no location of its own (tox output is
    read by Zuul, flake8 output by editors)."""
    return f"{code} {inert(message)}"


def _same_as_on_disk(path: Path, text: str) -> bool:
    """Whether flake8's text is the file's, both read as flake8 reads a file: a CRLF file or
    one with a byte order mark is the same file, not an unsaved buffer."""
    try:
        return _flake8_text(path) == text.removeprefix("\ufeff")
    except OSError:
        return False


def _buffer_results(state: _ProjectState, module: str, text: str) -> list[Result]:
    """The errors of ``module`` if its text were ``text`` (an unsaved editor buffer on stdin,
    or a file changed since the report was made). Costs one check of the contracts on a copy of
    the graph, with this one file scanned by Python's parser; the graph is built once per
    process, and the same buffer twice is answered from memory."""
    if state.buffer is not None and state.buffer[:2] == (module, text):
        return state.buffer[2]
    from boundary_lint import api

    assert state.config is not None and state.files is not None
    if state.project is None:
        state.project = api.load_graph(state.config, files=state.files)
    try:
        project = state.project.with_source(module, text)
    except api.SourceSyntaxError:
        return []  # flake8 reports the syntax error (E999) and runs no plugin on such a text
    path = state.files.module_files[module]
    options = api.CheckOptions(disable_noqa=state.disable_noqa)
    report = api.check_graph(state.config, project, options, texts={path: text})
    own = api.report_path(state.config, path)
    results: list[Result] = [
        (p.line or 1, 0, _text(p.code, p.message), BoundaryChecker) for p in report.errors if p.path == own
    ]
    results.extend(
        (v.line, v.column - 1, _text(v.code, v.message), BoundaryChecker)
        for c in report.contracts
        for v in c.violations
        if not v.suppressed and v.importer == module
    )
    state.buffer = (module, text, results)
    return results
