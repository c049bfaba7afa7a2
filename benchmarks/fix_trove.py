"""The blueprint's two stages on a copy of Trove, timed: ``git mv`` and ``boundary-lint fix``.

    python benchmarks/fix_trove.py TROVE_CHECKOUT [--runs 5] [--workdir DIR]

TROVE_CHECKOUT is a git checkout of openstack/trove (read only: it is cloned). Stage 1
(``git mv trove/guestagent troveguest`` + a moved contract + ``fix``) is done once and
committed; then, for each run, the stage-1 commit is checked out afresh, ``git mv trove/common
common`` (and trove/openstack/common -> common/openstack when present) and the contract's second
move are applied, and ``boundary-lint fix`` is timed (wall clock, the console script next to
this interpreter, as a user runs it). Prints the number of files fix changed, the median and
min-max of the runs, and checks after the last run that no tracked file outside the contract's
exclusions names an old path (``git grep``) and that every Python file compiles.
"""

from __future__ import annotations

import argparse
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SCRIPT = Path(sys.executable).with_name("boundary-lint")
GIT = ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.com", "-c", "core.fsmonitor=false"]
EXCLUDE = '["releasenotes/**"]'  # release notes are history

STAGE_1 = f"""\
# The blueprint "Move the Trove Guest Agent to its own module", as a boundary-lint contract.
root_packages = ["trove", "troveguest"]
cache_dir = false

[[contracts]]
id = "blueprint-moves"
name = "Trove's guest agent and common code moved to top-level packages"
type = "moved"
moves = ["trove.guestagent -> troveguest"]
exclude = {EXCLUDE}
"""


def git(cwd: Path, *args: str) -> str:
    return subprocess.run([*GIT, *args], cwd=cwd, check=True, capture_output=True, text=True).stdout


def fix(cwd: Path) -> tuple[float, float, subprocess.CompletedProcess[str]]:
    """Wall-clock and CPU (user + system) seconds of one ``boundary-lint fix``: on a shared
    machine the wall clock includes waiting for a core, the CPU time does not."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run(
        [str(SCRIPT), "fix", "--config", "boundary-lint.toml", "--verbose"],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        sys.exit(f"fix failed (exit {result.returncode}):\n{result.stderr}")
    return elapsed, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), result


def stage_2(tree: Path) -> list[str]:
    """Returns the old paths moved so far."""
    git(tree, "mv", "trove/common", "common")
    moves = '"trove.guestagent -> troveguest", "trove.common -> common"'
    roots = '"trove", "troveguest", "common"'
    if (tree / "trove" / "openstack" / "common").is_dir():
        git(tree, "mv", "trove/openstack/common", "common/openstack")
        moves += ', "trove.openstack.common -> common.openstack"'
    config = tree / "boundary-lint.toml"
    text = config.read_text().replace('["trove.guestagent -> troveguest"]', f"[{moves}]")
    config.write_text(text.replace('["trove", "troveguest"]', f"[{roots}]"))
    return re.findall(r'"([\w.]+) ->', moves)


def changed_files(result: subprocess.CompletedProcess[str]) -> int:
    return sum(": rewrote " in line for line in result.stderr.splitlines())


def leftovers(tree: Path, olds: list[str]) -> list[str]:
    """Tracked lines that still name an old path, dotted or as a file path, at name boundaries."""
    names = "|".join(re.escape(old).replace(r"\.", "[./]") for old in olds)
    found = subprocess.run(
        [
            *GIT,
            "grep",
            "-n",
            "-E",
            rf"(^|[^A-Za-z0-9_.-])({names})([^A-Za-z0-9_]|$)",
            "--",
            ".",
            ":!releasenotes",
            ":!boundary-lint.toml",
        ],
        cwd=tree,
        capture_output=True,
        text=True,
        check=False,
    )
    return found.stdout.splitlines()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("trove", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--workdir", type=Path)
    args = parser.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="fix-trove-"))
    base = workdir / "stage1"
    if base.exists():
        shutil.rmtree(base)
    subprocess.run([*GIT, "clone", "-q", str(args.trove.resolve()), str(base)], check=True)
    git(base, "mv", "trove/guestagent", "troveguest")
    (base / "boundary-lint.toml").write_text(STAGE_1)
    elapsed, cpu, result = fix(base)
    print(f"stage 1: fix changed {changed_files(result)} files in {elapsed:.2f} s ({cpu:.2f} s CPU)")
    git(base, "add", "-A")
    git(base, "commit", "-qm", "stage 1")
    times, cpus, changed, olds = [], [], 0, []
    for run in range(args.runs):
        tree = workdir / f"stage2-{run}"
        if tree.exists():
            shutil.rmtree(tree)
        subprocess.run([*GIT, "clone", "-q", str(base), str(tree)], check=True)
        olds = stage_2(tree)
        elapsed, cpu, result = fix(tree)
        times.append(elapsed)
        cpus.append(cpu)
        changed = changed_files(result)
        print(
            f"stage 2 run {run + 1}: fix changed {changed} files in {elapsed:.2f} s ({cpu:.2f} s CPU)",
            flush=True,
        )
        if run < args.runs - 1:
            shutil.rmtree(tree)
    print(
        f"stage 2: {changed} files; median {statistics.median(times):.2f} s "
        f"(min {min(times):.2f}, max {max(times):.2f}) "
        f"over {len(times)} runs; CPU median {statistics.median(cpus):.2f} s"
    )
    print(result.stderr.splitlines()[-2])  # fix --verbose: files covered, read, parsed with libcst
    left = leftovers(tree, olds)
    print(f"old paths left in tracked files (outside releasenotes/ and the contract): {len(left)}")
    for line in left[:20]:
        print(f"  {line}")
    compiled = subprocess.run(
        [sys.executable, "-m", "compileall", "-q", "-x", r"/\.", "."],
        cwd=tree,
        capture_output=True,
        text=True,
        check=False,
    )
    print(f"compileall: exit {compiled.returncode}")


if __name__ == "__main__":
    main()
