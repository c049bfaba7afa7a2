"""Issue 260 on Home Assistant: two checkouts' ``check`` timed in alternating pairs.

    python benchmarks/paired_260.py TREE --before DIR --after DIR [--runs 5] [--phases cold,nocache,warm]
        [--format json]

TREE holds homeassistant/ (a copy: the cache goes into TREE/.bench-cache). DIR holds a
boundary_lint/ package (put first on PYTHONPATH). Each run is ``check --contract
integrations-independent --format FORMAT --output FILE`` (the full report, every chain), as
a child process; its wall time, CPU (user+sys) and peak RSS are from ``os.wait4``. Phases as in
run.py: ``cold`` removes the cache first (and writes it), ``nocache`` passes ``--no-cache``,
``warm`` runs again with nothing changed. Before and after alternate, each first on every other
run. Prints medians (min-max) and checks that both reports are the same bytes.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

CONTRACTS = Path(__file__).resolve().parent / "contracts" / "homeassistant.toml"


def timed(source: Path, tree: Path, phase: str, output: Path, fmt: str) -> tuple[float, float, float]:
    """(wall s, cpu s, peak RSS MB) of one check."""
    cache = tree / ".bench-cache" / source.name
    if phase == "cold":
        shutil.rmtree(cache, ignore_errors=True)
    command = [sys.executable, "-m", "boundary_lint", "check", "--config", str(tree / "homeassistant.toml")]
    command += ["--contract", "integrations-independent", "--format", fmt, "--output", str(output)]
    command += ["--no-cache"] if phase == "nocache" else ["--cache-dir", str(cache)]
    env = dict(os.environ, PYTHONPATH=str(source))
    started = time.perf_counter()
    child = subprocess.Popen(command, cwd=tree, env=env, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 1:  # the contract is broken
        raise SystemExit(f"{source}: exit {os.waitstatus_to_exitcode(status)}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("tree", type=Path)
    parser.add_argument("--before", type=Path, required=True)
    parser.add_argument("--after", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--phases", default="cold,nocache,warm")
    parser.add_argument("--format", default="json")
    args = parser.parse_args()
    tree = args.tree.resolve()
    shutil.copyfile(CONTRACTS, tree / "homeassistant.toml")
    sources = {"before": args.before.resolve(), "after": args.after.resolve()}
    outputs = {name: tree / f".bench-report-{name}.{args.format}" for name in sources}
    for phase in args.phases.split(","):
        results: dict[str, list[tuple[float, float, float]]] = {name: [] for name in sources}
        for run in range(args.runs):
            order = list(sources) if run % 2 == 0 else list(reversed(sources))
            for name in order:
                results[name].append(timed(sources[name], tree, phase, outputs[name], args.format))
        for name, rows in results.items():
            columns = [
                f"{label} {statistics.median(v):.2f} ({min(v):.2f}-{max(v):.2f})"
                for label, v in zip(("wall s", "cpu s", "peak MB"), zip(*rows))
            ]
            print(f"{phase:8} {name:6} " + ", ".join(columns), flush=True)
        same = outputs["before"].read_bytes() == outputs["after"].read_bytes()
        print(f"{phase:8} reports identical: {same}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
