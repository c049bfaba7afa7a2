"""Profile one ``boundary-lint check`` run with cProfile, in a given cache state.

    python benchmarks/profile_check.py TREE CONFIG --state cold|warm|edit [--edit FILE:LINE]
        [--contract ID]... [--ours-src DIR] [--out PROFILE] [--top 25] [--format concise]

TREE is the directory holding the root packages; CONFIG our TOML. The cache lives in
``TREE/.bench-cache/profile``. ``cold``: the cache removed first; ``warm``: one unprofiled run
first, nothing changed since; ``edit``: one unprofiled run, then FILE (relative to TREE) gets
LINE appended, and is restored afterwards. Prints the wall time without the profiler (one run
in the same state), then the profile's top functions by own time and by cumulative time, and
peak RSS; the .prof file is kept for snakeviz or pstats. The report (``--format``, concise unless
told) is written to TREE/.bench-cache/profile-report.
"""

from __future__ import annotations

import argparse
import os
import pstats
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

# ``python -m cProfile -m boundary_lint`` writes nothing: the console entry point leaves with
# os._exit (no interpreter teardown), so the profile is taken around ``cli.main`` instead.
_PROFILED = """
import cProfile, sys
from boundary_lint.cli import main
out = sys.argv[1]
profile = cProfile.Profile()
try:
    profile.runcall(main, sys.argv[2:])
finally:
    profile.dump_stats(out)
"""


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("tree", type=Path)
    parser.add_argument("config", type=Path)
    parser.add_argument("--state", choices=("cold", "warm", "edit"), default="cold")
    parser.add_argument("--edit", help="FILE:LINE, for --state edit")
    parser.add_argument("--contract", action="append", default=[])
    parser.add_argument(
        "--ours-src", type=Path, help="directory holding boundary_lint/ (first on PYTHONPATH)"
    )
    parser.add_argument("--out", type=Path, default=Path("/tmp/boundary-lint.prof"))
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--format", default="concise")
    args = parser.parse_args()
    tree = args.tree.resolve()
    env = dict(os.environ)
    if args.ours_src:
        env["PYTHONPATH"] = str(args.ours_src.resolve())
    cache = tree / ".bench-cache" / "profile"
    check = [
        "-m",
        "boundary_lint",
        "check",
        "--config",
        str(args.config.resolve()),
        "--cache-dir",
        str(cache),
        "--format",
        args.format,
        "--output",
        str(tree / ".bench-cache" / "profile-report"),
        *[x for c in args.contract for x in ("--contract", c)],
    ]
    edit_path = original = None
    if args.state == "edit":
        if not args.edit:
            parser.error("--state edit needs --edit FILE:LINE")
        name, _, line = args.edit.partition(":")
        edit_path = tree / name
        original = edit_path.read_bytes()

    def prepare() -> None:
        if args.state == "cold":
            shutil.rmtree(cache, ignore_errors=True)
            return
        if edit_path is not None and original is not None:
            edit_path.write_bytes(original)
        subprocess.run([sys.executable, *check], cwd=tree, env=env, stdout=subprocess.DEVNULL, check=False)
        if edit_path is not None and original is not None:
            edit_path.write_bytes(original.rstrip(b"\n") + b"\n" + line.encode() + b"\n")

    try:
        prepare()
        started = time.perf_counter()
        subprocess.run([sys.executable, *check], cwd=tree, env=env, stdout=subprocess.DEVNULL, check=False)
        plain = time.perf_counter() - started
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        prepare()
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-c", _PROFILED, str(args.out), *check[2:]],
            cwd=tree,
            env=env,
            stdout=subprocess.DEVNULL,
            check=False,
        )
        profiled = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    finally:
        if edit_path is not None and original is not None:
            edit_path.write_bytes(original)
    print(
        f"{args.state}: {plain:.2f} s without the profiler, {profiled:.2f} s with it; "
        f"peak RSS of the children {peak / 1024:.0f} MB (before the profiled run {before / 1024:.0f} MB)"
    )
    stats = pstats.Stats(str(args.out))
    stats.sort_stats("tottime").print_stats(args.top)
    stats.sort_stats("cumulative").print_stats(args.top)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
