"""Save, then compare, what boundary-lint reports on a set of trees: behaviour unchanged.

    python benchmarks/compare_reports.py save DIR [--trove T] [--nova N] [--homeassistant H]
    python benchmarks/compare_reports.py compare DIR [same options]

Each run is ``boundary-lint check --format json --no-cache`` from the tree's root with one
configuration: the tests' trees with their own configurations, Trove with
contracts/trove-today.toml, Nova with benchmarks/contracts/nova.toml, Home Assistant (an
unpacked wheel) with benchmarks/contracts/homeassistant.toml; for all but Home Assistant, every
other output format as a digest of its output. ``save`` writes one normalised
JSON file per run into DIR; ``compare`` runs again and prints every difference (exit 1 if any).

Normalised means: the tool's version and timings dropped, everything else kept (the verdict,
every violation with its chain, every error, the summary), so a refactoring that changes what
a user sees shows up here.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TREES = REPO / "tests" / "trees"
DROPPED = {"tool", "timings", "notes"}
OTHER_FORMATS = ("text", "concise", "sarif", "junit", "github", "gerrit", "zuul", "html")


def runs(args: argparse.Namespace) -> list[tuple[str, Path, Path | None]]:
    """(name, working directory, configuration or None for discovery)."""
    found: list[tuple[str, Path, Path | None]] = []
    for tree in sorted(p for p in TREES.iterdir() if p.is_dir()):
        configs = sorted(
            {*tree.glob("*.importlinter"), *tree.glob(".importlinter"), *tree.glob("pyproject.toml")}
        )
        for config in configs:
            found.append((f"{tree.name}-{config.name}", tree, config))
    found.append(("example-trove-split", REPO / "examples" / "trove-split", None))
    if args.trove:
        found.append(("trove", args.trove, REPO / "contracts" / "trove-today.toml"))
    if args.nova:
        found.append(("nova", args.nova, REPO / "benchmarks" / "contracts" / "nova.toml"))
    if args.homeassistant:
        found.append(
            ("homeassistant", args.homeassistant, REPO / "benchmarks" / "contracts" / "homeassistant.toml")
        )
    return found


def report_of(cwd: Path, config: Path | None) -> dict[str, object]:
    command = [
        sys.executable,
        "-m",
        "boundary_lint",
        "check",
        "--format",
        "json",
        "--no-cache",
        "--no-progress",
    ]
    if config is not None and not config.is_relative_to(cwd):
        # Report paths are relative to the configuration's directory: a copy in one fixed place
        # makes them the same whichever checkout of this repository the script runs from.
        copied = Path(tempfile.gettempdir()) / "boundary-lint-compare-reports" / config.name
        copied.parent.mkdir(exist_ok=True)
        shutil.copyfile(config, copied)
        config = copied
    if config is not None:
        command += ["--config", str(config)]
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    try:
        report = json.loads(done.stdout)
    except json.JSONDecodeError:
        return {"exit": done.returncode, "stdout": done.stdout, "stderr": done.stderr}
    normalised = {key: value for key, value in report.items() if key not in DROPPED}
    normalised["exit"] = done.returncode
    if len(done.stdout) < 5_000_000:  # every other format too, as a digest (not Home Assistant's)
        normalised["formats"] = {name: _digest(command, name, cwd) for name in OTHER_FORMATS}
    return normalised


def _digest(command: list[str], format_name: str, cwd: Path) -> str:
    other = [
        *command[: command.index("--format") + 1],
        format_name,
        *command[command.index("--format") + 2 :],
    ]
    done = subprocess.run(other, cwd=cwd, capture_output=True, check=False)
    return f"exit {done.returncode} " + hashlib.sha256(done.stdout + b"\0" + done.stderr).hexdigest()


def differences(old: object, new: object, where: str = "") -> list[str]:
    if type(old) is not type(new):
        return [f"{where}: {old!r} -> {new!r}"]
    if isinstance(old, dict) and isinstance(new, dict):
        found = []
        for key in sorted(set(old) | set(new)):
            if key not in new:
                found.append(f"{where}.{key}: removed")
            elif key not in old:
                found.append(f"{where}.{key}: added ({json.dumps(new[key])[:200]})")
            else:
                found += differences(old[key], new[key], f"{where}.{key}")
        return found
    if isinstance(old, list) and isinstance(new, list):
        if len(old) != len(new):
            return [f"{where}: {len(old)} items -> {len(new)} items"]
        return [d for i, (a, b) in enumerate(zip(old, new)) for d in differences(a, b, f"{where}[{i}]")]
    return [] if old == new else [f"{where}: {old!r} -> {new!r}"]


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("action", choices=["save", "compare"])
    parser.add_argument("directory", type=Path)
    parser.add_argument("--trove", type=Path)
    parser.add_argument("--nova", type=Path)
    parser.add_argument("--homeassistant", type=Path)
    args = parser.parse_args()
    args.directory.mkdir(parents=True, exist_ok=True)
    changed = 0
    for name, cwd, config in runs(args):
        report = report_of(cwd.resolve(), config)
        saved = args.directory / f"{name}.json"
        if args.action == "save":
            if "stdout" in report:  # no JSON: the run itself failed, nothing worth saving
                print(
                    f"{name}: exit {report['exit']}, no report: {str(report['stderr'])[-500:]}",
                    file=sys.stderr,
                )
                return 2
            saved.write_text(json.dumps(report, indent=1, sort_keys=True) + "\n")
            summary = report.get("summary", report.get("exit"))
            print(f"saved {name}: {summary}")
            continue
        found = differences(json.loads(saved.read_text()), report)
        changed += bool(found)
        print(f"{name}: {'unchanged' if not found else f'{len(found)} differences'}")
        for line in found[:20]:
            print(f"    {line}")
    return 1 if changed else 0


if __name__ == "__main__":
    raise SystemExit(main())
