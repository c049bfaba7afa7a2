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
import dataclasses
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from boundary_lint import __version__
from boundary_lint.escaping import inert

if TYPE_CHECKING:
    from boundary_lint.config import Config
    from boundary_lint.graph.builder import ProjectGraph
    from boundary_lint.graph.discovery import ProjectFiles
    from boundary_lint.report import Problem, Report, Violation

Result = tuple[int, int, str, type]
CONFIG_ERROR = "BND901"


@dataclass
class _ProjectState:
    """One process's view of the project: configuration, graph and the report on disk files."""

    config: Config | None = None
    error: str | None = None
    files: ProjectFiles | None = None
    modules_by_path: dict[Path, str] = field(default_factory=dict)
    project: ProjectGraph | None = None  # built only for an unsaved buffer
    report: Report | None = None
    violations_by_path: dict[Path, list[Violation]] = field(default_factory=dict)
    problems_by_path: dict[Path, list[Problem]] = field(default_factory=dict)
    project_problems: list[Problem] = field(default_factory=list)
    disable_noqa: bool = False


def _load_state(config_option: str | None, disable_noqa: bool = False) -> _ProjectState:
    from boundary_lint.config import ConfigError, find_config
    from boundary_lint.config.loading import flake8_option_path

    state = _ProjectState(disable_noqa=disable_noqa)
    try:
        # As the CLI finds it; flake8 has read its own configuration's pointer (if any) for us.
        explicit = flake8_option_path(config_option, Path.cwd()) if config_option else None
        state.config = find_config(Path.cwd(), explicit, follow_pointer=False)
    except ConfigError as error:
        state.error = error.describe()
        return state
    if state.config is None:
        return state
    from boundary_lint.engine import CheckOptions, check, discover

    try:
        state.files = discover(state.config)
        # The report cache answers when nothing changed since the last run (flake8's or the CLI's).
        state.report = check(state.config, CheckOptions(disable_noqa=disable_noqa), state.files)
    except ConfigError as error:
        state.error = error.describe()
        return state
    state.modules_by_path = {path: module for module, path in state.files.module_files.items()}
    _index(state, state.report)
    return state


def _index(state: _ProjectState, report: Report) -> None:
    assert state.config is not None
    root = state.config.root
    for contract in report.contracts:
        for violation in contract.violations:
            if violation.suppressed:
                continue
            state.violations_by_path.setdefault(_absolute(root, violation.path), []).append(violation)
        state.project_problems.extend([*contract.findings, *contract.errors])
    for problem in report.errors:
        if not problem.path or problem.code == "BND902":  # flake8 reports syntax errors itself
            continue
        path = _absolute(root, problem.path)
        if path.is_dir():  # unreadable, a symlink loop: flake8 checks no directory, so said once
            state.project_problems.append(dataclasses.replace(problem, message=f"{problem.path}: {problem.message}"))
        else:
            state.problems_by_path.setdefault(path, []).append(problem)


def _absolute(root: Path, relative: str) -> Path:
    """A report path as the resolved path flake8's file name resolves to. Report paths are
    relative to the config file's directory and start with ``../`` when the packages live
    outside it (``source_roots = [".."]``), which ``root / path`` alone would keep."""
    return Path(os.path.realpath(root / relative))


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
        state = self._project_state()
        if state.error is not None:
            yield 1, 0, _text(CONFIG_ERROR, state.error), type(self)
            return
        if state.files is None or state.config is None:
            return
        path = Path(os.path.realpath(self.filename))
        module = state.modules_by_path.get(path)
        if module is None:
            # A file outside the root packages (a script, a migration): only the findings of
            # contracts that read every file of the repository (moved) concern it.
            if _same_as_on_disk(path, "".join(self.lines)):
                for violation in state.violations_by_path.get(path, []):
                    yield violation.line, violation.column - 1, _text(violation.code, violation.message), type(self)
            return
        if module == _first_root_module(state):
            for problem in state.project_problems:
                yield 1, 0, _text(problem.code, problem.message), type(self)
        for problem in state.problems_by_path.get(path, []):
            yield problem.line or 1, 0, _text(problem.code, problem.message), type(self)
        text = "".join(self.lines)
        if _same_as_on_disk(path, text):
            violations = state.violations_by_path.get(path, [])
        else:
            violations = _violations_for_buffer(state, module, path, text)
        for violation in violations:
            yield violation.line, violation.column - 1, _text(violation.code, violation.message), type(self)


def _text(code: str, message: str) -> str:
    """flake8 prints ``path:line:col: text`` as it is: the message (names from the repository,
    a configuration path) must stay one line and hold no location of its own (tox output is
    read by Zuul, flake8 output by editors)."""
    return f"{code} {inert(message)}"


def _first_root_module(state: _ProjectState) -> str | None:
    """Contract-level problems (a module that does not exist, ...) are reported once, on the
    first root package's ``__init__.py``, rather than on every file."""
    assert state.config is not None
    return state.config.root_packages[0]


def _same_as_on_disk(path: Path, text: str) -> bool:
    """Whether flake8's text is the file's: decoded as flake8 decodes it (UTF-8, else Latin-1)."""
    try:
        data = path.read_bytes()
    except OSError:
        return False
    try:
        return data.decode("utf-8") == text
    except UnicodeDecodeError:
        return data.decode("latin-1") == text


def _violations_for_buffer(state: _ProjectState, module: str, path: Path, text: str) -> list[Violation]:
    import grimp

    from boundary_lint.engine import CheckOptions, check_graph, load_graph
    from boundary_lint.graph.source import SourceIndex

    assert state.config is not None
    if state.project is None:
        state.project = load_graph(state.config, CheckOptions(), state.files)
    try:
        project = state.project.with_source(module, text)
    except grimp.exceptions.SourceSyntaxError:
        return []  # flake8 reports the syntax error (E999)
    sources = SourceIndex()
    sources.add(path, text)
    options = CheckOptions(disable_noqa=state.disable_noqa)
    report = check_graph(state.config, project, state.config.contracts, options, sources)
    root = state.config.root
    return [
        v for c in report.contracts for v in c.violations if not v.suppressed and _absolute(root, v.path) == path
    ]
