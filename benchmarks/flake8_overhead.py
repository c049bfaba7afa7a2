"""What the flake8 plugin adds to a flake8 run.

    python benchmarks/flake8_overhead.py TREE CONTRACTS_TOML [--runs 5] [--jobs 2] [--file PATH]

Builds two virtual environments with the same flake8 (cached under $BENCH_VENVS, default
/tmp/boundary-lint-bench-venvs): one with flake8 only, one with flake8 and boundary-lint from
this checkout, installed as a wheel (reinstalled on every run of the script).
CONTRACTS_TOML is copied into TREE (as .boundary-lint-bench.toml) so paths and
cache live with the tree. Then, alternating, it times `flake8 --isolated -jN PACKAGE_DIRS`:

  plain      flake8 without the plugin installed
  idle       plugin installed, no contracts (nothing configured, nothing discovered)
  active     plugin installed and pointed at the contracts (warm import cache)

and prints medians, min-max, the median of the paired ratios against `plain` and the median
of the paired differences (what the plugin adds, in ms). `--file PATH` (relative to TREE) runs
flake8 on that one file instead of the packages: what an editor runs on save.
`--isolated` keeps the tree's own flake8 configuration (and its local plugins) out of it, so
all three runs do the same work apart from the plugin. One `active` run with an empty cache is
timed first (cold).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def venv(name: str, *packages: str) -> Path:
    base = Path(os.environ.get("BENCH_VENVS", "/tmp/boundary-lint-bench-venvs")) / name
    python = base / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(base)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", *packages], check=True)
    return python


def timed(command: list[str], cwd: Path) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("tree", type=Path)
    parser.add_argument("contracts", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--file", help="time flake8 on this one file (relative to TREE)")
    args = parser.parse_args()
    tree = args.tree.resolve()
    config = tree / ".boundary-lint-bench.toml"
    shutil.copy(args.contracts, config)
    packages = tomllib.loads(config.read_text())["root_packages"]
    flake8_version = subprocess.run(
        [sys.executable, "-c", "import flake8; print(flake8.__version__)"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    plain = venv(f"plain-flake8-{flake8_version}", f"flake8=={flake8_version}")
    plugged = venv(f"plugin-flake8-{flake8_version}", f"flake8=={flake8_version}", str(REPO))
    # Reinstall this checkout as users get it (a built wheel, bytecode compiled by pip), so
    # the runs time the plugin and not the compiling of its sources.
    subprocess.run(
        [str(plugged), "-m", "pip", "install", "-q", "--no-deps", "--force-reinstall", str(REPO)], check=True
    )
    # "idle" means nothing configured: a configuration found by discovery (an .importlinter
    # left in the tree, a [tool.importlinter] in its pyproject.toml) would make it a real check.
    found = subprocess.run(
        [
            str(plugged),
            "-c",
            "import pathlib, sys; from boundary_lint.config import discover_config; "
            "c = discover_config(pathlib.Path(sys.argv[1])); print(c.path if c else '')",
            str(tree),
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if found:
        print(
            f"error: {found} configures boundary-lint or import-linter, so the idle run would "
            "check contracts; remove it, or use a tree without one",
            file=sys.stderr,
        )
        return 2
    targets = [args.file] if args.file else packages
    base = ["-m", "flake8", "--isolated", f"-j{args.jobs}", *targets]
    commands = {
        "plain": [str(plain), *base],
        "idle": [str(plugged), *base],
        "active": [str(plugged), *base, f"--boundary-lint-config={config}"],
    }
    shutil.rmtree(tree / ".boundary_lint_cache", ignore_errors=True)
    cold = timed(commands["active"], tree)
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(args.runs):
        for name, command in commands.items():
            times[name].append(timed(command, tree))
    print(
        f"tree {tree} ({' '.join(targets)}), flake8 {flake8_version}, -j{args.jobs}, "
        f"{args.runs} runs each, alternating"
    )
    print(f"  active, cold cache (1 run): {cold:.2f} s")
    for name, values in times.items():
        ratios = [v / p for v, p in zip(values, times["plain"])]
        added = [1000 * (v - p) for v, p in zip(values, times["plain"])]
        print(
            f"  {name:<7} median {statistics.median(values):.3f} s  (min {min(values):.3f}, max {max(values):.3f})"
            f"  ratio to plain: median {statistics.median(ratios):.3f};"
            f" adds {statistics.median(added):.0f} ms (median of paired differences)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
