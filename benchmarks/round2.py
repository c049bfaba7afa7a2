"""Every measurement of performance round 2 (issue 19), in one command, against lint-imports.

    python benchmarks/round2.py --trove T --nova N --homeassistant H [--napari P] [--mlrun M]
        [--runs 3] [--work DIR] [--only STEP,...] [--dry-run]

Runs, one after the other (each prints its own table; ``run.py`` and ``flake8_overhead.py``
document what is timed and how):

    real      run.py trove nova ha-layers: cold, warm, one file edited, fresh clone
    growth    run.py gen10k gen50k gen100k (layers + forbidden): cold, no cache, warm, edit,
              fresh clone: time and peak memory as the tree grows
    ha-260    run.py ha-260: import-linter issue 260 on Home Assistant, the whole report
    acyclic   run.py on the acyclic_siblings suites (napari, mlrun when given; generated trees)
    flake8    flake8_overhead.py on Nova: one file (what an editor runs on save) and the tree

Trees that are not given are skipped (and said so). Nothing here is a test: the numbers depend
on the machine, so read the paired ratios, and the CPU times on a shared machine.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
GROWTH = "gen10k:layers,core-not-plugins gen50k:layers,core-not-plugins gen100k:layers,core-not-plugins"


def steps(args: argparse.Namespace) -> dict[str, list[list[str]]]:
    run = [sys.executable, str(HERE / "run.py"), "--runs", str(args.runs), "--work", str(args.work)]
    trees = {"trove": args.trove, "nova": args.nova, "ha-layers": args.homeassistant}
    real = [name for name, tree in trees.items() if tree]
    given = [
        *(["--trove", str(args.trove)] if args.trove else []),
        *(["--nova", str(args.nova)] if args.nova else []),
        *(["--homeassistant", str(args.homeassistant)] if args.homeassistant else []),
    ]
    acyclic = ["gen10k-acyclic"]
    acyclic_trees = []
    for name in ("napari", "mlrun"):
        tree = getattr(args, name)
        if tree:
            acyclic.append(name)
            acyclic_trees += [f"--{name}", str(tree)]
    plan: dict[str, list[list[str]]] = {
        "real": [[*run, *real, *given, "--phases", "cold,warm,edit,clone", "--cap", "300"]] if real else [],
        "growth": [[*run, *GROWTH.split(), "--phases", "cold,nocache,warm,edit,clone", "--cap", "600"]],
        "ha-260": [[*run, "ha-260", *given, "--phases", "cold,warm", "--cap", "300"]]
        if args.homeassistant
        else [],
        "acyclic": [[*run, *acyclic, *acyclic_trees, "--phases", "cold,nocache,warm", "--cap", "300"]],
        "flake8": [],
    }
    if args.nova:
        contracts = str(HERE / "contracts" / "nova.toml")
        flake8 = [sys.executable, str(HERE / "flake8_overhead.py"), str(args.nova), contracts]
        plan["flake8"] = [
            [*flake8, "--runs", "11", "--jobs", "1", "--file", "nova/virt/driver.py"],
            [*flake8, "--runs", str(args.runs)],
        ]
    return plan


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    for name in ("trove", "nova", "homeassistant", "napari", "mlrun"):
        parser.add_argument(f"--{name}", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", type=Path, default=Path("/tmp/boundary-lint-round2"))
    parser.add_argument("--only", help="comma-separated steps: real, growth, ha-260, acyclic, flake8")
    parser.add_argument("--dry-run", action="store_true", help="print the commands only")
    args = parser.parse_args()
    chosen = set(args.only.split(",")) if args.only else None
    failed = 0
    for name, commands in steps(args).items():
        if chosen is not None and name not in chosen:
            continue
        if not commands:
            print(f"== {name}: skipped (its tree was not given)", flush=True)
        for command in commands:
            print(f"== {name}: {' '.join(command)}", flush=True)
            if not args.dry_run:
                failed += subprocess.run(command, check=False).returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
