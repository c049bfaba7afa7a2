"""Baselines: record today's violations, then fail only on new ones.

An entry is a contract id, a code and what the violation is about: the chain's modules for an
import chain, the module and the name it refers to for a finding without a chain (a moved path,
a dead reference). No line numbers, so edits elsewhere in a file do not churn it. An entry holds
a count, for one chain begun by several statements; if more statements begin it than the
baseline knows, all of them are reported (which one is new cannot be told without line numbers).
The file is JSON, sorted, one entry per line.

The baseline is read from the checked repository, so it is validated as strictly as a
configuration file: a fixed shape, bounded size and nesting, no NaN or Infinity, no duplicate
keys or entries; anything else is one message naming the file (exit 2)."""

from __future__ import annotations

import dataclasses
import json
import os
import re
import stat
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

from boundary_lint.codes import FIXED_BASELINE_ENTRY, FORBIDDEN_DIRECT
from boundary_lint.errors import UserError
from boundary_lint.report import FixedEntry, Problem, Report, Violation

FORMAT_KEY = "boundary_lint_baseline"
MAX_BYTES = 64 * 1024 * 1024  # a million-violation baseline is about 200 MB; 64 MB is ~300,000 entries
MAX_DEPTH = 4  # {"violations": [{"chain": [...]}]}: what the shape check accepts
ENTRY_KEYS = frozenset({"contract", "code", "chain", "count"})
_CODE = re.compile(r"^BND\d{3}$")
Key = tuple[str, str, tuple[str, ...]]


class BaselineError(UserError):
    pass


@dataclass(frozen=True)
class Baseline:
    path: Path
    counts: Counter[Key]
    lines: dict[Key, int]  # each entry's line in the file


def key_of(violation: Violation) -> Key:
    if violation.chain:
        about = (violation.importer, *(hop.imported for hop in violation.chain))
    elif violation.imported != violation.importer:  # a moved path, a dead reference: the name matters
        about = (violation.importer, violation.imported)
    else:  # a module, not an import (a layer missing from an exhaustive contract)
        about = (violation.importer,)
    return violation.contract, violation.code, about


def _counts(report: Report) -> Counter[Key]:
    return Counter(key_of(v) for c in report.contracts for v in c.violations if not v.suppressed)


def render_baseline(report: Report, earlier: Baseline | None = None) -> str:
    """Today's violations; with ``earlier`` (the file being rewritten, when only some contracts
    were checked), also its entries for the contracts this run did not check."""
    counts = _counts(report)
    if earlier is not None:
        checked = {c.id for c in report.contracts}
        counts.update({key: n for key, n in earlier.counts.items() if key[0] not in checked})
    entries = [
        json.dumps({"contract": contract, "code": code, "chain": list(chain), "count": count}, sort_keys=True)
        for (contract, code, chain), count in sorted(counts.items())
    ]
    body = ",\n".join(f"    {entry}" for entry in entries)
    return (
        f'{{\n  "{FORMAT_KEY}": 1,\n  "violations": [\n{body}\n  ]\n}}\n'
        if entries
        else (f'{{\n  "{FORMAT_KEY}": 1,\n  "violations": []\n}}\n')
    )


def read_baseline(path: Path) -> Baseline:
    text = _read_text(path)
    data = _parse(path, text)
    if not isinstance(data, dict) or set(data) != {FORMAT_KEY, "violations"} or not _is_int(data[FORMAT_KEY]):
        _invalid(path, f'not a boundary-lint baseline (an object with "{FORMAT_KEY}": 1 and "violations")')
    if data[FORMAT_KEY] != 1:
        _invalid(
            path, f'"{FORMAT_KEY}": {data[FORMAT_KEY]} is a format this version cannot read (it reads 1)'
        )
    if not isinstance(data["violations"], list):
        _invalid(path, '"violations" must be a list')
    counts: Counter[Key] = Counter()
    for number, entry in enumerate(data["violations"], start=1):
        key, count = _entry(path, number, entry)
        if key in counts:
            _invalid(path, f"entry {number} repeats an earlier entry ({_shown(key)})")
        counts[key] = count
    return Baseline(path, counts, _entry_lines(text))


def _read_text(path: Path) -> str:
    """The file's text: a regular file (never a FIFO, which would block), of bounded size, UTF-8."""
    try:
        status = os.stat(path)
        if not stat.S_ISREG(status.st_mode):
            raise BaselineError(f"{path}: the baseline is not a regular file")
        if status.st_size > MAX_BYTES:
            raise BaselineError(f"{path}: the baseline is larger than {MAX_BYTES // (1024 * 1024)} MB")
        data = path.read_bytes()[: MAX_BYTES + 1]
    except FileNotFoundError:
        raise BaselineError(f"{path}: baseline file not found") from None
    except OSError as error:
        raise BaselineError(f"{path}: cannot read the baseline: {error.strerror}") from None
    if len(data) > MAX_BYTES:  # grew since stat
        raise BaselineError(f"{path}: the baseline is larger than {MAX_BYTES // (1024 * 1024)} MB")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        _invalid(path, f"not valid utf-8 text ({error.reason} at byte {error.start})")


def _parse(path: Path, text: str) -> Any:
    try:
        return json.loads(
            text, parse_constant=_no_constant, parse_float=_no_float, object_pairs_hook=_no_duplicates
        )
    except ValueError as error:  # JSONDecodeError, and the hooks' refusals
        _invalid(path, str(error))
    except RecursionError:
        # The parser counts its depth against the interpreter's recursion limit and stops there,
        # at once (a file of a million "[" costs nothing); the shape check then allows MAX_DEPTH.
        _invalid(path, f"nested far deeper than a baseline's {MAX_DEPTH} levels")


def _no_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not a number a baseline can hold")


def _no_float(text: str) -> NoReturn:
    raise ValueError(f"{text}: counts are whole numbers")


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        repeated = min(key for key, count in Counter(key for key, _ in pairs).items() if count > 1)
        raise ValueError(f"key {repeated!r} appears twice in one object")
    return result


def _entry(path: Path, number: int, entry: object) -> tuple[Key, int]:
    def wrong(what: str) -> NoReturn:
        _invalid(path, f"entry {number}: {what}")

    if not isinstance(entry, dict):
        wrong("must be an object")
    if set(entry) != ENTRY_KEYS:
        wrong(f"must have exactly the keys {', '.join(sorted(ENTRY_KEYS))}")
    contract, code, chain, count = entry["contract"], entry["code"], entry["chain"], entry["count"]
    if not isinstance(contract, str) or not contract:
        wrong('"contract" must be a contract id')
    if not isinstance(code, str) or not _CODE.match(code):
        wrong(f'"code" must be a code such as "{FORBIDDEN_DIRECT}"')
    if not isinstance(chain, list) or not chain or not all(isinstance(m, str) and m for m in chain):
        wrong('"chain" must be a list of module names')
    if not _is_int(count) or not 1 <= count < 2**31:
        wrong('"count" must be a positive whole number')
    return (contract, code, tuple(chain)), count


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _entry_lines(text: str) -> dict[Key, int]:
    """Where each entry is, for pointing at the line to delete: the file is one entry per line
    as written; an entry that shares its line with others (edited by hand) is not found."""
    lines: dict[Key, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip().rstrip(",")
        if not (stripped.startswith("{") and stripped.endswith("}")):
            continue
        try:
            key, _ = _entry(
                Path(), 0, json.loads(stripped, parse_constant=_no_constant, parse_float=_no_float)
            )
        except (ValueError, BaselineError):
            continue
        lines.setdefault(key, number)
    return lines


def _shown(key: Key) -> str:
    contract, code, chain = key
    return f"{contract}: {' -> '.join(chain)} ({code})"


def _invalid(path: Path, problem: str) -> NoReturn:
    raise BaselineError(f"{path}: not a valid baseline: {problem}")


def with_baseline(report: Report, baseline: Baseline, *, every_contract: bool = True) -> Report:
    """The report with the violations the baseline knows marked, and the entries no longer
    found listed as fixed. Without ``every_contract`` (``--contract`` chose some), entries of
    contracts this run did not check are left alone: not checked is not fixed."""
    current = _counts(report)
    checked = {c.id for c in report.contracts}
    known = Counter({k: n for k, n in baseline.counts.items() if every_contract or k[0] in checked})
    contracts = [
        dataclasses.replace(
            contract,
            violations=[
                dataclasses.replace(v, baselined=current[key_of(v)] <= known.get(key_of(v), 0))
                if not v.suppressed
                else v
                for v in contract.violations
            ],
        )
        for contract in report.contracts
    ]
    shown = _shown_path(baseline.path, Path(report.root))
    fixed = [
        FixedEntry(contract, code, chain, shown, baseline.lines.get((contract, code, chain), 1))
        for (contract, code, chain), count in sorted(known.items())
        if current.get((contract, code, chain), 0) < count
    ]
    return dataclasses.replace(report, contracts=contracts, baseline=shown, fixed=fixed)


def with_fixed_entry_errors(report: Report) -> Report:
    """For ``--strict-baseline``: each fixed entry also an error at its line of the baseline,
    so that every format says why the check failed (and review tools comment on the line to
    delete)."""
    errors = [Problem(FIXED_BASELINE_ENTRY, entry.message, entry.path, entry.line) for entry in report.fixed]
    return dataclasses.replace(report, errors=[*report.errors, *errors])


def _shown_path(path: Path, root: Path) -> str:
    resolved = path.resolve()
    return resolved.relative_to(root).as_posix() if resolved.is_relative_to(root) else path.as_posix()
