"""Baselines: record today's violations, then fail only on new ones.

An entry is a contract id, a code and the chain's modules: no line numbers, so edits elsewhere in
a file do not churn it. An entry holds a count, for one chain begun by several statements; if
more statements begin it than the baseline knows, all of them are reported (which one is new
cannot be told without line numbers). The file is JSON, sorted, one entry per line."""

from __future__ import annotations

import dataclasses
import json
from collections import Counter
from pathlib import Path

from boundary_lint.report import Report, Violation

FORMAT_KEY = "boundary_lint_baseline"
Key = tuple[str, str, tuple[str, ...]]


class BaselineError(Exception):
    pass


def key_of(violation: Violation) -> Key:
    chain = (violation.importer, *(hop.imported for hop in violation.chain)) if violation.chain else (violation.importer,)
    return violation.contract, violation.code, chain


def _counts(report: Report) -> Counter[Key]:
    return Counter(key_of(v) for c in report.contracts for v in c.violations if not v.suppressed)


def render_baseline(report: Report) -> str:
    entries = [
        json.dumps({"contract": contract, "code": code, "chain": list(chain), "count": count}, sort_keys=True)
        for (contract, code, chain), count in sorted(_counts(report).items())
    ]
    body = ",\n".join(f"    {entry}" for entry in entries)
    return f'{{\n  "{FORMAT_KEY}": 1,\n  "violations": [\n{body}\n  ]\n}}\n' if entries else (
        f'{{\n  "{FORMAT_KEY}": 1,\n  "violations": []\n}}\n'
    )


def read_baseline(path: Path) -> Counter[Key]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get(FORMAT_KEY) != 1:
            raise BaselineError(f"{path}: not a boundary-lint baseline (no \"{FORMAT_KEY}\": 1)")
        return Counter({
            (entry["contract"], entry["code"], tuple(entry["chain"])): int(entry["count"])
            for entry in data["violations"]
        })
    except FileNotFoundError:
        raise BaselineError(f"{path}: baseline file not found") from None
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise BaselineError(f"{path}: not a valid baseline ({error})") from None


def apply_baseline(report: Report, known: Counter[Key]) -> None:
    """Mark violations the baseline knows; list entries no longer found as fixed."""
    current = _counts(report)
    for contract in report.contracts:
        contract.violations = [
            dataclasses.replace(v, baselined=current[key_of(v)] <= known.get(key_of(v), 0))
            if not v.suppressed else v
            for v in contract.violations
        ]
    report.fixed = [
        f"{contract}: {' -> '.join(chain)} ({code})"
        for (contract, code, chain), count in sorted(known.items())
        if current.get((contract, code, chain), 0) < count
    ]
