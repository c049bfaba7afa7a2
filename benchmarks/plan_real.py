"""``boundary-lint plan`` on real trees: the plan's size per contract, its largest root causes,
and the wall time of the whole command (graph from the cache after the first run).

    python benchmarks/plan_real.py [--runs N]

Runs the installed ``boundary-lint`` from each tree's root, as a user would. Not a test: it
reads /work/trees.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
CASES = [
    ("trove", Path("/work/trees/trove"), HERE.parent / "contracts" / "trove-today.toml", []),
    ("nova", Path("/work/trees/nova"), HERE / "contracts" / "nova.toml", []),
    (
        "home assistant, issue 260",
        Path("/work/trees/ha2025/unpacked"),
        HERE / "contracts" / "homeassistant.toml",
        ["--contract", "integrations-independent"],
    ),
]


def run(tree: Path, config: Path, extra: list[str]) -> tuple[float, dict[str, object]]:
    start = time.perf_counter()
    completed = subprocess.run(
        ["boundary-lint", "plan", "--config", str(config), "--format", "json", *extra],
        cwd=tree,
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    return time.perf_counter() - start, json.loads(completed.stdout)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    for label, tree, config, extra in CASES:
        times, plan = [], {}
        for _ in range(args.runs):
            seconds, plan = run(tree, config, extra)
            times.append(seconds)
        each = ", ".join(f"{t:.2f}" for t in times)
        print(f"== {label}: median {statistics.median(times):.2f} s of {args.runs} ({each})")
        for contract in plan["contracts"]:  # type: ignore[attr-defined]
            cut = contract["cut"]
            bound = "exact" if contract["exact"] else "upper bound"
            print(f"  {contract['id']}: {contract['violations']} violations, cut {len(cut)} ({bound})")
            for item in cut[:3]:
                where = ", ".join(f"{s['path']}:{s['line']}" for s in item["statements"][:2])
                causes = len(item["root_cause_of"])
                pair = f"{item['importer']} -> {item['imported']}"
                print(f"    {pair} ({where}): removes {item['removes']}, root cause of {causes}")


if __name__ == "__main__":
    main()
