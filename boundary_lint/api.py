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
``check_graph(config, graph.with_sources({module: text}))`` for each change.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from boundary_lint import exit_codes
from boundary_lint.config.errors import ConfigError
from boundary_lint.config.loading import find_config as _find_config
from boundary_lint.config.loading import load_config as _load_named
from boundary_lint.config.loading import require_config as _require_config
from boundary_lint.config.model import Config
from boundary_lint.engine import CheckOptions
from boundary_lint.engine import check as _check
from boundary_lint.engine import check_graph as _check_graph
from boundary_lint.engine import load_checked_graph as _load_checked_graph
from boundary_lint.engine import select_contracts as _select_contracts
from boundary_lint.formatters import FORMATS, formatter
from boundary_lint.report import ContractResult, Hop, Problem, Report, Violation

if TYPE_CHECKING:
    from boundary_lint.graph.builder import ProjectGraph

# The exit codes of ``boundary-lint check`` (and of every command that reports findings).
EXIT_KEPT, EXIT_BROKEN, EXIT_ERROR = exit_codes.OK, exit_codes.FOUND, exit_codes.ERROR


def find_config(start: Path | None = None, path: Path | None = None) -> Config | None:
    """The configuration as the command line finds it from ``start`` (default: the working
    directory): ``path`` if given, else flake8's pointer, else discovery upwards. None when
    there is none; raises ConfigError for one that cannot be used."""
    return _find_config(start or Path.cwd(), path)


def load_config(start: Path | None = None, path: Path | None = None) -> Config:
    """``find_config``, raising ConfigError when no configuration is found."""
    if path is not None and start is None:
        return _load_named(path)
    return _require_config(start or Path.cwd(), path)


def check(config: Config, options: CheckOptions = CheckOptions()) -> Report:
    """Check the configuration's contracts (the caches answer when nothing changed)."""
    return _check(config, options)


def load_graph(config: Config, options: CheckOptions = CheckOptions()) -> ProjectGraph:
    """The project's import graph as the contracts are checked on it."""
    return _load_checked_graph(config, options)


def check_graph(config: Config, graph: ProjectGraph, options: CheckOptions = CheckOptions()) -> Report:
    """Check the contracts on a graph already built (one changed in memory, say)."""
    return _check_graph(config, graph, _select_contracts(config, options.contract_ids), options)


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


def __getattr__(name: str) -> object:
    # ProjectGraph is imported on first use: it brings grimp, which a run answered from the
    # report cache never needs.
    if name == "ProjectGraph":
        from boundary_lint.graph.builder import ProjectGraph

        return ProjectGraph
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "EXIT_BROKEN",
    "EXIT_ERROR",
    "EXIT_KEPT",
    "FORMATS",
    "CheckOptions",
    "Config",
    "ConfigError",
    "ContractResult",
    "Hop",
    "Problem",
    "ProjectGraph",
    "Report",
    "Violation",
    "check",
    "check_graph",
    "exit_code",
    "find_config",
    "load_config",
    "load_graph",
    "render",
    "violations",
]
