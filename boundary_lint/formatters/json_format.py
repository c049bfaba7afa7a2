"""Machine-readable output, schema_version 1 (see docs/output.md).

``as_data`` is the report as JSON values. ``render`` writes the same text as
``json.dumps(as_data(report), indent=2)``, but spells the violations and root causes straight
from the report: a dict each would be 30,000 dicts and 100,000 lists for "no Home Assistant
integration imports another", made only to be encoded once."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from json.encoder import encode_basestring_ascii
from typing import Any

from boundary_lint.formatters.indented_json import (
    INDENT,
    Encoded,
    dict_template,
    dumps_pieces,
    list_text,
    scalar,
)
from boundary_lint.report import ContractResult, Hop, Problem, Report, RootCause, Violation

SCHEMA_VERSION = 1

# Each key's value is the field of that name (``lines``: a list; a violation's ``chain``: its hops).
HOP_KEYS = ("importer", "imported", "path", "line", "lines")
VIOLATION_KEYS = (
    "code",
    "message",
    "importer",
    "imported",
    "path",
    "line",
    "column",
    "suppressed",
    "baselined",
    "chain",
)
ROOT_CAUSE_KEYS = ("importer", "imported", "path", "lines", "violations")


def _hop(hop: Hop) -> dict[str, Any]:
    return {key: getattr(hop, key) for key in HOP_KEYS} | {"lines": list(hop.lines)}


def _violation(v: Violation, hops: dict[Hop, dict[str, Any]]) -> dict[str, Any]:
    """``hops``: each hop's data so far, shared by the chains it is on."""
    chain = [hops[h] if h in hops else hops.setdefault(h, _hop(h)) for h in v.chain]
    return {key: getattr(v, key) for key in VIOLATION_KEYS} | {"chain": chain}


def _root_causes(contract: ContractResult) -> list[dict[str, Any]]:
    """Each root cause with its violations as indices into the contract's ``violations``."""
    index = _indices(contract)
    return [
        {key: getattr(cause, key) for key in ROOT_CAUSE_KEYS}
        | {"lines": list(cause.lines), "violations": [index[id(v)] for v in cause.violations]}
        for cause in contract.root_causes()
    ]


def _indices(contract: ContractResult) -> dict[int, int]:
    return {id(v): number for number, v in enumerate(contract.violations)}


def _problem(p: Problem) -> dict[str, Any]:
    return {"code": p.code, "message": p.message, "path": p.path, "line": p.line}


def as_data(report: Report) -> dict[str, Any]:
    hops: dict[Hop, dict[str, Any]] = {}
    return _data(report, lambda c: [_violation(v, hops) for v in c.violations], lambda c: _root_causes(c))


def _data(
    report: Report,
    violations: Callable[[ContractResult], Any],
    root_causes: Callable[[ContractResult], Any],
) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "boundary-lint", "version": report.tool_version},
        "kept": report.kept,
        "contracts": [
            {
                "id": c.id,
                "name": c.name,
                "type": c.type,
                "kept": c.kept,
                "instructions": c.instructions,
                "violations": violations(c),
                "root_causes": root_causes(c),
                "findings": [_problem(f) for f in c.findings],
                "errors": [_problem(e) for e in c.errors],
                "warnings": list(c.warnings),
            }
            for c in report.contracts
        ],
        "errors": [_problem(e) for e in report.all_errors],
        "summary": report.summary(),
        "fixed": [str(entry) for entry in report.fixed],
    }


def render(report: Report, color: bool = False) -> str:
    return "".join(render_pieces(report, color))


def render_pieces(report: Report, color: bool = False) -> list[str]:
    """``render``'s text in pieces (a violation each): written one after the other, a large
    report is never one string."""
    hops = _HopTexts()
    data = _data(
        report,
        lambda c: Encoded(lambda newline, pieces: _write_violations(c.violations, hops, newline, pieces)),
        lambda c: Encoded(lambda newline, pieces: _write_root_causes(c, newline, pieces)),
    )
    pieces = dumps_pieces(data)
    pieces.append("\n")
    return pieces


class _HopTexts:
    """Each hop's text at a depth, made once: the later hops of many chains are the same."""

    def __init__(self) -> None:
        self._texts: dict[str, dict[int, str]] = {}  # newline -> id of the hop -> text

    def at(self, newline: str) -> Callable[[Hop], str]:
        """The function that spells a hop whose later lines begin with ``newline``."""
        texts = self._texts.setdefault(newline, {})
        template, lines_newline = dict_template(HOP_KEYS, newline), newline + INDENT

        def text(hop: Hop) -> str:
            found = texts.get(id(hop))
            if found is None:
                lines = list_text([scalar(line) for line in hop.lines], lines_newline)
                values = (*_strings(hop.importer, hop.imported, hop.path), scalar(hop.line), lines)
                found = texts[id(hop)] = template % values
            return found

        return text


def _strings(*values: Any) -> tuple[str, ...]:
    """``scalar`` of each value, faster for strings (what they all are but in a broken report)."""
    try:
        return tuple(map(encode_basestring_ascii, values))  # any str, as json.dumps spells it
    except TypeError:
        return tuple(map(scalar, values))


def _write_violations(
    violations: Sequence[Violation], hops: _HopTexts, newline: str, pieces: list[str]
) -> None:
    """The violations as ``_violation`` gives them, one piece each (the hops' texts shared)."""
    item = newline + INDENT
    template, chain_newline = dict_template(VIOLATION_KEYS, item), item + INDENT
    hop = hops.at(chain_newline + INDENT)
    _write_list(
        pieces,
        newline,
        (
            template
            % (
                *_strings(v.code, v.message, v.importer, v.imported, v.path),
                scalar(v.line),
                scalar(v.column),
                scalar(v.suppressed),
                scalar(v.baselined),
                list_text(list(map(hop, v.chain)), chain_newline),
            )
            for v in violations
        ),
    )


def _write_root_causes(contract: ContractResult, newline: str, pieces: list[str]) -> None:
    """The root causes as ``_root_causes`` gives them."""
    index = _indices(contract)
    item = newline + INDENT
    template, values_newline = dict_template(ROOT_CAUSE_KEYS, item), item + INDENT

    def text(cause: RootCause) -> str:
        lines = list_text([scalar(line) for line in cause.lines], values_newline)
        members = list_text([str(index[id(v)]) for v in cause.violations], values_newline)
        return template % (scalar(cause.importer), scalar(cause.imported), scalar(cause.path), lines, members)

    _write_list(pieces, newline, map(text, contract.root_causes()))


def _write_list(pieces: list[str], newline: str, items: Any) -> None:
    """A list of spelled items, each a piece of its own (a long report is joined once)."""
    inner = newline + INDENT
    start = len(pieces)
    for number, text in enumerate(items):
        pieces.append(("," + inner if number else "[" + inner) + text)
    pieces.append(newline + "]" if len(pieces) > start else "[]")
