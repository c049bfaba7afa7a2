"""Affected mode: keep only what concerns the named files.

A violation concerns a file when a module on its chain is that file: the chain's imports are
made in those modules' files, and a new module's file is named when it is added. The graph
stays whole-project, so a change in the middle of a chain (common/notification.py) reports the
violation where the chain begins (troveguest/backup.py). docs/ci.md says why this catches every
new violation a change can make, and the one case it cannot see (deleting a module)."""

from __future__ import annotations

import dataclasses

from boundary_lint.report import Report, Violation


def concerns(violation: Violation, paths: set[str]) -> bool:
    files = {violation.path, violation.imported_path, *(hop.path for hop in violation.chain)}
    return not files.isdisjoint(paths)


def limit_to_paths(report: Report, paths: set[str]) -> Report:
    """A report with only the violations whose chain touches ``paths`` (POSIX, relative to the
    project root) and the errors in those files; contract errors are always kept."""
    contracts = [
        dataclasses.replace(c, violations=[v for v in c.violations if concerns(v, paths)])
        for c in report.contracts
    ]
    errors = [e for e in report.errors if e.path in paths]
    return dataclasses.replace(report, contracts=contracts, errors=errors)
