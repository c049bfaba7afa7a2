"""Compare boundary-lint with import-linter on the same contracts and the same tree.

    python benchmarks/compare_with_importlinter.py TREE_DIR IMPORTLINTER_CONFIG BOUNDARY_LINT_CONFIG

Runs import-linter (its Python API, in this process, with TREE_DIR on sys.path as lint-imports
would have it) and ``boundary-lint check --format json`` (a subprocess), then prints, per
contract: both verdicts, import-linter's chain count, our violation count and first-hop lines,
and whether every chain import-linter reports is found by us. "Found" means: the chain, cut to
begin at its last module on the contract's source side and end at its first forbidden module,
begins with an import that we report (as the first hop of one of our violations).

Handles forbidden, layers and independence contracts (the chain-reporting types).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any


def importlinter_results(tree: Path, config: Path) -> dict[str, tuple[bool, list[list[str]], Any]]:
    sys.path.insert(0, str(tree))
    os.chdir(tree)
    from importlinter.application import use_cases
    from importlinter.configuration import configure

    configure()
    options = use_cases.read_user_options(config_filename=str(config))
    use_cases._register_contract_types(options)  # what lint_imports() does before create_report
    report = use_cases.create_report(options, cache_dir=None)
    results = {}
    for contract, check in report.get_contracts_and_checks():
        results[contract.name] = (check.kept, list(_chains(check.metadata)), contract)
    return results


def _chains(metadata: dict[str, Any]) -> Iterator[tuple[list[str], tuple[int, ...]]]:
    """Each reported chain as modules, with the line numbers of its first import."""
    for entry in metadata.get("invalid_chains", []):  # forbidden: lists of links; independence: routes
        for chain in entry["chains"]:
            if isinstance(chain, dict):
                yield from _route_chains(chain)
            else:
                yield [chain[0]["importer"]] + [link["imported"] for link in chain], chain[0]["line_numbers"]
    for entry in metadata.get("invalid_dependencies", []):  # layers
        for route in entry["routes"]:
            yield from _route_chains(route)


def _route_chains(route: dict[str, Any]) -> Iterator[tuple[list[str], tuple[int, ...]]]:
    """A DetailedChain (a grimp Route: several heads and tails around one middle) as concrete chains."""
    links = route["chain"]
    heads = [(links[0]["importer"], links[0]["line_numbers"])]
    heads += [(extra["importer"], extra["line_numbers"]) for extra in route.get("extra_firsts", [])]
    tails = [links[-1]["imported"], *(extra["imported"] for extra in route.get("extra_lasts", []))]
    middle = [link["imported"] for link in links[:-1]]
    for head, line_numbers in heads:  # line_numbers: of the head's import (approximate with extra tails)
        for tail in tails:
            yield [head, *middle, tail], line_numbers


def trimmed_first_hop(chain: list[str], is_source: Any, is_target: Any) -> tuple[str, str]:
    start = max(i for i, m in enumerate(chain[:-1]) if is_source(m))
    return chain[start], chain[start + 1]


def in_package(module: str, expressions: list[str]) -> bool:
    """Whether module is one of the modules (import-linter expressions: `*` one part, `**` several), or below."""
    return any(re.fullmatch(_expression_pattern(e) + r"(\..+)?", module) for e in expressions)


def _expression_pattern(expression: str) -> str:
    parts = {"*": r"[^.]+", "**": r"[^.]+(\.[^.]+)*"}
    return r"\.".join(parts.get(part, re.escape(part)) for part in expression.split("."))


def main() -> int:
    tree, il_config, bl_config = (Path(a).resolve() for a in sys.argv[1:4])
    ours_run = subprocess.run(
        [
            sys.executable,
            "-m",
            "boundary_lint",
            "check",
            "--config",
            str(bl_config),
            "--format",
            "json",
            "--no-cache",
        ],
        capture_output=True,
        text=True,
        cwd=tree,
    )
    ours = {c["name"]: c for c in json.loads(ours_run.stdout)["contracts"]}
    theirs = importlinter_results(tree, il_config)
    all_agree = True
    for name, (kept, chains, contract) in sorted(theirs.items()):
        mine = ours[name]
        hops = {(v["importer"], v["chain"][0]["imported"]) for v in mine["violations"] if v["chain"]}
        sources = [str(m) for m in getattr(contract, "source_modules", [])]
        missing = []
        their_lines = {(chain[0], line) for chain, numbers in chains for line in numbers}
        for chain, _ in chains:
            if sources:
                first = trimmed_first_hop(chain, lambda m, sources=sources: in_package(m, sources), None)
            else:
                first = (chain[0], chain[1])
            if first not in hops:
                missing.append(chain)
        lines = {(v["path"], v["line"]) for v in mine["violations"]}
        agree = kept == mine["kept"] and not missing
        all_agree &= agree
        print(f"{name}:")
        print(
            f"  import-linter: {'kept' if kept else 'broken'}, {len(chains)} chains, "
            f"first hops on {len(their_lines)} import lines ({len({(c[0], c[1]) for c, _ in chains})} module pairs)"
        )
        print(
            f"  boundary-lint: {'kept' if mine['kept'] else 'broken'}, {len(mine['violations'])} violations "
            f"on {len(lines)} import lines ({len(hops)} module pairs)"
        )
        print(f"  same verdict: {kept == mine['kept']}; import-linter chains not found by us: {len(missing)}")
        for chain in missing[:5]:
            print("    missing:", " -> ".join(chain))
    return 0 if all_agree else 1


if __name__ == "__main__":
    raise SystemExit(main())
