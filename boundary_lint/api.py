"""The public Python API: load the configuration, check it, render the report.

Everything a program needs to run boundary-lint in process, and the only module such a program
should import; the flake8 plugin, the language server and the benchmarks use it too. Names not
listed in ``__all__`` are internal and may change in any release.

    from pathlib import Path
    from boundary_lint import api

    config = api.load_config(Path.cwd())            # as every front end finds it
    report = api.check(config)                      # plain data: contracts, violations, errors
    print(api.render(report, "concise"), end="")
    raise SystemExit(api.exit_code(report))

For an editor (text that is not on disk yet): build the graph once with ``load_graph``, then
``check_graph(config, graph.with_sources({module: text}), texts={path: text})`` for each change.
A ``SourceIndex`` passed as ``sources`` keeps the files it read (their lines and ``noqa``
comments) from one check to the next; ``forget`` a path when its file changes on disk.

Importing this module is cheap: the engine, the contract model and grimp load on first use.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from boundary_lint import exit_codes
from boundary_lint.config.errors import ConfigError
from boundary_lint.config.loading import find_config as _find_config
from boundary_lint.config.loading import flake8_option_path as _flake8_option_path
from boundary_lint.config.loading import load_config as _load_named
from boundary_lint.config.loading import require_config as _require_config
from boundary_lint.formatters import FORMATS, formatter
from boundary_lint.report import ContractResult, Hop, Problem, Report, Violation

if TYPE_CHECKING:
    from grimp.exceptions import SourceSyntaxError

    from boundary_lint.config.model import Config
    from boundary_lint.engine import CheckOptions
    from boundary_lint.graph.builder import ProjectGraph
    from boundary_lint.graph.discovery import ProjectFiles
    from boundary_lint.graph.source import SourceIndex
    from boundary_lint.rules.reuse import CheckMemo

# The exit codes of ``boundary-lint check`` (and of every command that reports findings).
EXIT_KEPT, EXIT_BROKEN, EXIT_ERROR = exit_codes.OK, exit_codes.FOUND, exit_codes.ERROR


def find_config(
    start: Path | None = None, path: Path | None = None, *, follow_flake8_pointer: bool = True
) -> Config | None:
    """The configuration as the command line finds it from ``start`` (default: the working
    directory): ``path`` if given, else flake8's pointer, else discovery upwards. None when
    there is none; raises ConfigError for one that cannot be used. The flake8 plugin passes
    ``follow_flake8_pointer=False``: flake8 has read its own configuration's pointer."""
    return _find_config(start or Path.cwd(), path, follow_pointer=follow_flake8_pointer)


def load_config(start: Path | None = None, path: Path | None = None) -> Config:
    """``find_config``, raising ConfigError when no configuration is found."""
    if path is not None and start is None:
        return _load_named(path)
    return _require_config(start or Path.cwd(), path)


def flake8_config_path(value: str, start: Path | None = None) -> Path:
    """The configuration file that flake8's ``--boundary-lint-config`` value names."""
    return _flake8_option_path(value, start or Path.cwd())


def project_files(config: Config) -> ProjectFiles:
    """The project's files as the contracts see them (``module_files``: module -> path)."""
    from boundary_lint.engine import discover

    return discover(config)


def check(config: Config, options: CheckOptions | None = None, files: ProjectFiles | None = None) -> Report:
    """Check the configuration's contracts (the caches answer when nothing changed); ``files``
    from ``project_files`` when the caller has them already."""
    from boundary_lint.engine import CheckOptions, check

    return check(config, options or CheckOptions(), files)


def load_graph(
    config: Config, options: CheckOptions | None = None, files: ProjectFiles | None = None
) -> ProjectGraph:
    """The project's import graph, for ``check_graph`` (which adds the dynamic and string
    imports the configuration turns on itself, as ``check`` does)."""
    from boundary_lint.engine import CheckOptions, load_graph

    return load_graph(config, options or CheckOptions(), files)


def check_graph(
    config: Config,
    graph: ProjectGraph,
    options: CheckOptions | None = None,
    texts: Mapping[Path, str] | None = None,
    sources: SourceIndex | None = None,
    memo: CheckMemo | None = None,
) -> Report:
    """Check the contracts on a graph already built (one changed in memory with
    ``graph.with_sources``, say); ``texts`` are the unsaved texts of files it was changed with
    (their ``noqa`` comments and lines are read from them, not from the disk). ``sources``:
    an index kept between checks, which ``texts`` are added to (a new one if None). ``memo``:
    kept between checks too; a contract that the changes since the last check's graph (made
    from it by ``with_sources``) cannot affect is not searched again."""
    from boundary_lint.engine import CheckOptions, check_graph, select_contracts
    from boundary_lint.graph.source import SourceIndex

    options = options or CheckOptions()
    sources = sources if sources is not None else SourceIndex()
    for path, text in (texts or {}).items():
        sources.add(path, text)
    return check_graph(config, graph, select_contracts(config, options.contract_ids), options, sources, memo)


def source_text(data: bytes) -> str:
    """A file's text as the checker (and flake8) reads it: its declared encoding, universal
    newlines, no byte order mark."""
    from boundary_lint.graph.source import read_text

    return read_text(data)


def read_source(path: Path) -> str:
    """A module file's text as the checker reads it (``source_text``); OSError if it cannot be
    read or is not a regular file (a FIFO is refused, not waited on)."""
    from boundary_lint.graph.source import read_module_file

    return source_text(read_module_file(path))


def report_path(config: Config, path: Path) -> str:
    """``path`` as reports name it: POSIX, relative to the configuration's directory."""
    from boundary_lint.graph.discovery import relative_path

    return relative_path(path, config.root)


def render(report: Report, format: str = "text", *, color: bool = False) -> str:
    """The report in one of ``FORMATS`` (``text`` is coloured only with ``color``)."""
    if format not in FORMATS:
        raise ValueError(f"unknown format {format!r} (known: {', '.join(FORMATS)})")
    return formatter(format)(report, color)


def exit_code(report: Report) -> int:
    """What ``boundary-lint check`` exits with for this report."""
    return exit_codes.of_report(report)


def violations(report: Report, path: str | None = None) -> Sequence[Violation]:
    """The active violations of every contract, in report order; only ``path``'s if given
    (POSIX, relative to the project root, as the report names files)."""
    found = [v for contract in report.contracts for v in contract.active_violations]
    return [v for v in found if v.path == path] if path is not None else found


def with_ignored_import(config_path: Path, text: str, contract_id: str, entry: str) -> str | None:
    """The configuration file's ``text`` with ``entry`` ("importer -> imported") added to the
    contract's ``ignore_imports``, the rest as written; None where that cannot be done safely."""
    from boundary_lint.config.edit import with_ignored_import

    return with_ignored_import(config_path, text, contract_id, entry)


def contract_line(text: str, contract_id: str) -> int | None:
    """The line of a configuration file's ``text`` that defines the contract, if spelled out."""
    from boundary_lint.config.sources import contract_line_in

    return contract_line_in(text, contract_id)


# Imported on first use (PEP 562): a front end that finds no configuration (the flake8
# plugin on most projects) must not pay for the contract model, the engine or grimp.
_LAZY = {
    "CheckOptions": "boundary_lint.engine",
    "Config": "boundary_lint.config.model",
    "ProjectFiles": "boundary_lint.graph.discovery",
    "ProjectGraph": "boundary_lint.graph.builder",
    "SourceIndex": "boundary_lint.graph.source",
    "CheckMemo": "boundary_lint.rules.reuse",
    "SourceSyntaxError": "grimp.exceptions",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "EXIT_BROKEN",
    "EXIT_ERROR",
    "EXIT_KEPT",
    "FORMATS",
    "CheckMemo",
    "CheckOptions",
    "Config",
    "ConfigError",
    "ContractResult",
    "Hop",
    "Problem",
    "ProjectFiles",
    "ProjectGraph",
    "Report",
    "SourceIndex",
    "SourceSyntaxError",
    "Violation",
    "check",
    "check_graph",
    "contract_line",
    "exit_code",
    "find_config",
    "flake8_config_path",
    "load_config",
    "load_graph",
    "project_files",
    "read_source",
    "render",
    "report_path",
    "source_text",
    "violations",
    "with_ignored_import",
]
