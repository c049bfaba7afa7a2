"""The JSON format spells violations and root causes straight from the report: its text is
exactly ``json.dumps(as_data(report), indent=2)``, and written in pieces it is the same bytes.
Root causes are found as their definition says."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from hypothesis_profiles import profile

from boundary_lint.files import write_file
from boundary_lint.formatters.json_format import as_data, render, render_pieces
from boundary_lint.report import (
    ContractResult,
    FixedEntry,
    Hop,
    Problem,
    Report,
    RootCause,
    Violation,
    root_causes,
)

# Quotes, backslashes, %, control and non-ASCII characters: everything json.dumps escapes.
texts = st.text(alphabet=st.sampled_from('ab.%"\\\n\té\u2028\U0001f600'), max_size=6)
numbers = st.integers(min_value=0, max_value=10**6)

hops = st.builds(Hop, texts, texts, texts, numbers, st.lists(numbers, max_size=3).map(tuple))


@st.composite
def violations(draw: st.DrawFn, shared: list[Hop]) -> Violation:
    # Hops drawn from a shared pool: one hop object on several chains, as the engine makes them.
    chain = draw(st.lists(st.sampled_from(shared) | hops, max_size=4).map(tuple))
    return Violation(
        draw(texts),
        draw(texts),
        draw(texts),
        draw(texts),
        draw(texts),
        draw(texts),
        draw(numbers),
        draw(numbers),
        chain,
        suppressed=draw(st.booleans()),
        baselined=draw(st.booleans()),
    )


problems = st.builds(Problem, texts, texts, st.none() | texts, st.none() | numbers)


@st.composite
def reports(draw: st.DrawFn) -> Report:
    shared = draw(st.lists(hops, min_size=1, max_size=4))
    contracts = [
        ContractResult(
            draw(texts),
            draw(texts),
            draw(texts),
            violations=draw(st.lists(violations(shared), max_size=6)),
            errors=draw(st.lists(problems, max_size=2)),
            warnings=draw(st.lists(texts, max_size=2)),
            findings=draw(st.lists(problems, max_size=2)),
            instructions=draw(st.none() | texts),
        )
        for _ in range(draw(st.integers(0, 3)))
    ]
    fixed = draw(st.lists(st.builds(FixedEntry, texts, texts, st.lists(texts).map(tuple), texts, numbers)))
    return Report(draw(texts), draw(texts), contracts, draw(st.lists(problems, max_size=2)), fixed=fixed)


@profile(default_examples=300)
@given(reports())
def test_json_text_is_json_dumps_of_the_data(report: Report) -> None:
    expected = json.dumps(as_data(report), indent=2) + "\n"
    assert render(report) == expected
    assert "".join(render_pieces(report)) == expected


def test_written_in_pieces_is_the_same_bytes(tmp_path: Path) -> None:
    # Pieces larger and smaller than the chunks text is encoded in, and a character whose
    # UTF-8 takes four bytes at a chunk's end.
    pieces = ["a" * 10, "é" * (1 << 20) + "\U0001f600", "", "z" * (3 << 20), "end\n"]
    write_file(tmp_path / "pieces", pieces)
    write_file(tmp_path / "one", "".join(pieces))
    expected = "".join(pieces).encode("utf-8")
    assert (tmp_path / "pieces").read_bytes() == expected
    assert (tmp_path / "one").read_bytes() == expected


def defined_root_causes(violations: list[Violation]) -> list[RootCause]:
    """RootCause's definition, plainly: each chained violation under the import of its chain
    that the most chains are on (each chain counted once), the first of equals; the groups by
    size, then by import; each import's file and lines from the first violation grouped."""
    chained = [v for v in violations if v.chain]

    def on_chains(hop: Hop) -> int:
        return sum(
            (hop.importer, hop.imported) in {(h.importer, h.imported) for h in v.chain} for v in chained
        )

    groups: dict[tuple[str, str], list[tuple[Violation, Hop]]] = {}
    for violation in chained:
        most = max(map(on_chains, violation.chain))
        hop = next(h for h in violation.chain if on_chains(h) == most)
        groups.setdefault((hop.importer, hop.imported), []).append((violation, hop))
    return [
        RootCause(*edge, members[0][1].path, members[0][1].lines, tuple(v for v, _ in members))
        for edge, members in sorted(groups.items(), key=lambda item: (-len(item[1]), item[0]))
    ]


@st.composite
def violation_lists(draw: st.DrawFn) -> list[Violation]:
    # Few names: imports shared by many chains, and chains that make one import twice.
    names = st.sampled_from("abc")
    pool = draw(st.lists(st.builds(Hop, names, names, texts, numbers, st.just((1,))), min_size=1, max_size=5))
    return draw(st.lists(violations(pool), max_size=8))


@profile(default_examples=300)
@given(violation_lists())
def test_root_causes_as_defined(violations: list[Violation]) -> None:
    assert root_causes(violations) == defined_root_causes(violations)
