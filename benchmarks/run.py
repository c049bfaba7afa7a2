"""Time boundary-lint against import-linter (``lint-imports``) on the same contracts and trees.

    python benchmarks/run.py SUITE... [--runs 5] [--cap 600] [--json results.json] [--markdown]

Suites (a suite is a tree plus one contract file; the same contracts are written for
lint-imports as an INI file, converted from our TOML, so both tools check the same thing):

    trove           copy of --trove (default /work/trove), contracts/trove-today.toml
    nova            copy of --nova (default /work/nova), benchmarks/contracts/nova.toml
    ha              --homeassistant (an unpacked homeassistant wheel: the directory holding
                    homeassistant/), benchmarks/contracts/homeassistant.toml: a layers contract
                    and the import-linter issue 260 contract (no integration imports another,
                    as an independence contract over ``homeassistant.components.*``)
    ha-layers       the same tree, the layers contract only
    ha-260          the same tree, the issue 260 contract only
    ha-260-forbidden  the same tree, issue 260 as a forbidden contract with wildcards
                    (source and forbidden ``homeassistant.components.*``), as the issue asks
    gen10k, gen50k, gen100k  trees from benchmarks/generate_tree.py (seed 1), generated into --work if
                    absent, with their generated contracts (layers, forbidden, independence)
    genN            any other size, e.g. gen20000
    gen10k-acyclic, genN-acyclic  the same generated trees, benchmarks/contracts/generated-acyclic.toml
                    (acyclic_siblings over the generated root package)
    napari          copy of --napari (a napari checkout; its src/napari), benchmarks/contracts/napari-acyclic.toml
    mlrun           copy of --mlrun (an mlrun checkout; its mlrun and server), benchmarks/contracts/mlrun-acyclic.toml
                    (napari and mlrun: acyclic_siblings over their root packages, with their own graph options)

Real trees are copied (their root packages only) into --work (default /work/bench-trees) so the
edits and caches never touch the originals. Each tool writes its cache under
``<tree>/.bench-cache/<tool>`` (``--cache-dir`` for both).

Phases, each N runs per tool, the two tools alternating (ours first on even runs, theirs first
on odd ones, so neither always runs on a warmer machine):

    cold      both cache directories removed before each run (each tool writes its cache)
    nocache   ``--no-cache`` for both (nothing read or written)
    warm      nothing changed since the last run
    edit      one file edited (an import added at its end) since both caches were warmed; the
              file is restored and both tools re-warmed (untimed) before every run
    clone     a fresh clone in CI with the cache directory restored: before each pair of runs
              the root packages are copied anew in place (same bytes and paths; new mtimes,
              ctimes and inodes), the cache directories kept from the previous run
    version   ``boundary-lint --version`` and ``lint-imports --version`` (20 runs each)
    plugin    importing the flake8 plugin and parsing its options with no contracts configured
              (20 runs, timed inside the process)

For each phase: the median wall time, min-max, peak RSS of the child process (``os.wait4``'s
rusage, so exactly that child), and the median and min-max of the paired ratios ours/theirs
(run i of ours against run i of theirs). ``edit`` also gives ours after the edit against
lint-imports *warm* (the issue's target). A run over --cap seconds is killed and shown as
``>cap``; after one capped run, that tool's later runs in the same phase are skipped (also shown
as capped), so a ratio against it is an upper bound ("<"). Exit status of each run is checked:
both tools exit 1 when a contract is broken; anything else (2, a crash) is printed and fails
the run.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BENCH = REPO / "benchmarks"
PHASES = ("cold", "nocache", "warm", "edit", "clone")
DEFAULT_PHASES = "cold,nocache,warm,edit,clone,version,plugin"


# --- suites -----------------------------------------------------------------------------------


@dataclass
class Suite:
    name: str
    tree: Path  # the directory holding the root packages (and, here, both config files)
    contracts: Path  # our TOML
    contract_ids: tuple[str, ...] = ()  # only these contracts (both tools), default all
    edit_file: str = ""  # relative to tree
    edit_line: str = ""


def real_tree(source: Path, work: Path, name: str, packages: list[str]) -> Path:
    """Copy the root packages of ``source`` into ``work/name`` once (without __pycache__)."""
    target = work / name
    for package in packages:
        if not (target / package).exists():
            shutil.copytree(source / package, target / package, ignore=shutil.ignore_patterns("__pycache__"))
    return target


def make_suite(spec: str, args: argparse.Namespace) -> Suite:
    """``NAME`` or ``NAME:ID,ID`` (only those contracts, for both tools)."""
    name, _, ids = spec.partition(":")
    suite = _make_suite(name, args)
    if ids:
        suite.contract_ids = tuple(ids.split(","))
        suite.name = spec
    return suite


def _make_suite(name: str, args: argparse.Namespace) -> Suite:
    work = args.work
    if name == "trove":
        tree = real_tree(args.trove, work, "trove", ["trove"])
        return Suite(
            name,
            tree,
            REPO / "contracts" / "trove-today.toml",
            edit_file="trove/guestagent/datastore/manager.py",
            edit_line="import trove.common.exception",
        )
    if name == "nova":
        tree = real_tree(args.nova, work, "nova", ["nova"])
        return Suite(
            name,
            tree,
            BENCH / "contracts" / "nova.toml",
            edit_file="nova/compute/utils.py",
            edit_line="import nova.objects.base",
        )
    if name == "napari":
        tree = real_tree(args.napari / "src", work, "napari", ["napari"])
        return Suite(
            name,
            tree,
            BENCH / "contracts" / "napari-acyclic.toml",
            edit_file="napari/layers/base/base.py",
            edit_line="import napari.utils.events",
        )
    if name == "mlrun":
        tree = real_tree(args.mlrun, work, "mlrun", ["mlrun", "server"])
        return Suite(
            name,
            tree,
            BENCH / "contracts" / "mlrun-acyclic.toml",
            edit_file="mlrun/runtimes/base.py",
            edit_line="import mlrun.utils.helpers",
        )
    if name.startswith("ha"):
        if args.homeassistant is None:
            raise SystemExit(f"{name}: give --homeassistant DIR (an unpacked homeassistant wheel)")
        tree = args.homeassistant.resolve()
        edit = dict(
            edit_file="homeassistant/components/light/__init__.py",
            edit_line="import homeassistant.helpers.entity_registry",
        )
        if name == "ha":
            return Suite(name, tree, BENCH / "contracts" / "homeassistant.toml", **edit)
        if name == "ha-layers":
            return Suite(name, tree, BENCH / "contracts" / "homeassistant.toml", ("layers",), **edit)
        if name == "ha-260":
            return Suite(
                name, tree, BENCH / "contracts" / "homeassistant.toml", ("integrations-independent",), **edit
            )
        if name == "ha-260-forbidden":
            return Suite(name, tree, BENCH / "contracts" / "homeassistant-issue260-forbidden.toml", **edit)
    if name.startswith("gen"):
        name, acyclic, _ = name.partition("-acyclic")
        size = int(name[3:-1]) * 1000 if name.endswith("k") else int(name[3:])  # gen100k, gen20000
        tree = work / f"gen{size // 1000}k" if size % 1000 == 0 else work / name
        if not (tree / "tree-info.json").exists():
            subprocess.run(
                [
                    sys.executable,
                    str(BENCH / "generate_tree.py"),
                    str(tree),
                    "--modules",
                    str(size),
                    "--seed",
                    "1",
                ],
                check=True,
            )
        info = json.loads((tree / "tree-info.json").read_text())
        return Suite(
            name + acyclic,
            tree,
            BENCH / "contracts" / "generated-acyclic.toml" if acyclic else tree / "boundary-lint.toml",
            edit_file=info["edit"]["path"],
            edit_line=info["edit"]["line"],
        )
    raise SystemExit(f"unknown suite {name!r}")


IMPORTLINTER_TYPES = ("forbidden", "layers", "independence", "protected", "acyclic_siblings")
OURS_ONLY_KEYS = ("id", "closed_layers")


def comparable(config: dict) -> list[dict]:
    """The contracts import-linter can check too (our own types, such as ``references``, are
    left out of the comparison: both tools are then limited to the rest with --contract)."""
    return [c for c in config["contracts"] if c["type"] in IMPORTLINTER_TYPES and not c.get("closed_layers")]


def importlinter_ini(config: dict) -> str:
    """Our TOML contracts as an .importlinter INI file (the keys are import-linter's)."""

    def value(v: object) -> str:
        if isinstance(v, list):
            return "".join(f"\n    {item}" for item in v)
        if isinstance(v, bool):
            return "True" if v else "False"
        return str(v)

    lines = ["[importlinter]", f"root_packages ={value(list(config['root_packages']))}"]
    for key in ("include_external_packages", "exclude_type_checking_imports"):
        if key in config:
            lines.append(f"{key} = {value(config[key])}")
    for contract in comparable(config):
        lines += ["", f"[importlinter:contract:{contract['id']}]"]
        for key, v in contract.items():
            if key in OURS_ONLY_KEYS:
                continue
            lines.append(f"{key} = {value(v)}" if not isinstance(v, list) else f"{key} ={value(v)}")
    return "\n".join(lines) + "\n"


def prewarm_ini(config: dict) -> str:
    """A cheap contract on the same packages and graph options: lint-imports' cache (grimp's)
    holds only the imports, keyed by those, so running this warms it for the real contracts
    without paying for them (warm-ups are untimed, but the slow contracts take minutes)."""
    cheap = {
        "root_packages": config["root_packages"],
        "contracts": [
            {"id": "prewarm", "name": "prewarm", "type": "layers", "layers": [config["root_packages"][0]]}
        ],
    }
    for key in ("include_external_packages", "exclude_type_checking_imports"):
        if key in config:
            cheap[key] = config[key]
    return importlinter_ini(cheap)


def prepare(suite: Suite) -> tuple[Path, Path]:
    """Write both config files into the tree; return their paths."""
    config = tomllib.loads(suite.contracts.read_text())
    ours = suite.tree / ".bench-boundary-lint.toml"
    theirs = suite.tree / ".bench-importlinter.ini"
    text = suite.contracts.read_text()
    ours.write_text(text)
    theirs.write_text(importlinter_ini(config))
    (suite.tree / ".bench-importlinter-prewarm.ini").write_text(prewarm_ini(config))
    ids = [c["id"] for c in comparable(config)]
    if not suite.contract_ids and len(ids) < len(config["contracts"]):
        skipped = [c["id"] for c in config["contracts"] if c["id"] not in ids]
        print(f"  {suite.name}: not compared (import-linter has no such type): {', '.join(skipped)}")
        suite.contract_ids = tuple(ids)
    return ours, theirs


# --- running ----------------------------------------------------------------------------------


@dataclass
class Run:
    seconds: float | None  # None: killed at the cap (or skipped after a capped run)
    cpu: float = 0.0
    rss_mb: float = 0.0
    returncode: int | None = None


OURS_ENV: dict[str, str] = dict(os.environ)  # PYTHONPATH set to the snapshot in main()


def run_child(command: list[str], cwd: Path, cap: float, output: Path) -> Run:
    """Wall time, CPU time and peak RSS of exactly this child (os.wait4 rusage)."""
    with open(output, "wb") as out:
        started = time.perf_counter()
        process = subprocess.Popen(
            command, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, start_new_session=True, env=OURS_ENV
        )
        killed = threading.Event()

        def kill() -> None:
            killed.set()
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

        timer = threading.Timer(cap, kill)
        timer.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
        finally:
            timer.cancel()
        elapsed = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
    if killed.is_set():
        return Run(None, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, None)
    return Run(elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, process.returncode)


@dataclass
class Tool:
    name: str
    base: list[str]
    cache_dir: Path
    output: Path
    prewarm: list[str] = field(default_factory=list)  # untimed warm-up command, default base
    capped: bool = False  # in the current phase

    def command(self, phase: str) -> list[str]:
        if phase == "nocache":
            return [*self.base, "--no-cache"]
        if phase == "prewarm" and self.prewarm:
            return [*self.prewarm, "--cache-dir", str(self.cache_dir)]
        return [*self.base, "--cache-dir", str(self.cache_dir)]


def script(name: str) -> str:
    """The console script next to this Python (not a pyenv shim, which adds a bash and a
    pyenv process to every run)."""
    beside = Path(sys.executable).parent / name
    return str(beside) if beside.exists() else (shutil.which(name) or name)


def tools_for(suite: Suite, ours_config: Path, theirs_config: Path, out_dir: Path) -> tuple[Tool, Tool]:
    ours_base = [script("boundary-lint"), "check", "--config", str(ours_config)]
    theirs_base = [script("lint-imports"), "--config", str(theirs_config), "--no-logo"]
    for contract in suite.contract_ids:
        ours_base += ["--contract", contract]
        theirs_base += ["--contract", contract]
    theirs_prewarm = [
        theirs_base[0],
        "--config",
        str(suite.tree / ".bench-importlinter-prewarm.ini"),
        "--no-logo",
    ]
    cache = suite.tree / ".bench-cache"
    label = suite.name.replace(":", "_").replace(",", "+")
    return (
        Tool("boundary-lint", ours_base, cache / "boundary-lint", out_dir / f"{label}-ours.txt"),
        Tool(
            "lint-imports",
            theirs_base,
            cache / "import-linter",
            out_dir / f"{label}-theirs.txt",
            theirs_prewarm,
        ),
    )


def warm_up(tool: Tool, suite: Suite, cap: float) -> None:
    """Untimed: bring the tool's cache up to date with the tree (ours: the full command, as
    our cache also holds the last report; theirs: the cheap prewarm contract)."""
    run = run_child(tool.command("prewarm"), suite.tree, cap, tool.output)
    if run.seconds is not None and (run.returncode not in (0, 1) or not _completed(tool)):
        raise SystemExit(
            f"{tool.name} warm-up failed in {suite.name}:\n{tool.output.read_text(errors='replace')[-2000:]}"
        )


def timed(tool: Tool, phase: str, suite: Suite, cap: float) -> Run:
    if tool.capped:
        return Run(None)
    if phase == "cold":
        shutil.rmtree(tool.cache_dir, ignore_errors=True)
    run = run_child(tool.command(phase), suite.tree, cap, tool.output)
    if run.seconds is None:
        tool.capped = True
        print(f"    {tool.name}: killed at the {cap:.0f} s cap", flush=True)
    elif run.returncode not in (0, 1) or not _completed(tool):
        tail = tool.output.read_text(errors="replace")[-2000:]
        raise SystemExit(f"{tool.name} failed ({run.returncode}) in {suite.name}/{phase}:\n{tail}")
    return run


def _completed(tool: Tool) -> bool:
    """lint-imports exits 1 on a crash too (an unknown contract type prints just its name):
    its report must end with the contracts summary."""
    if tool.name != "lint-imports":
        return True
    return re.search(r"Contracts: \d+ kept, \d+ broken", tool.output.read_text(errors="replace")) is not None


class Edit:
    """Add one import at the end of a file; restore it afterwards (also on failure)."""

    def __init__(self, path: Path, line: str) -> None:
        self.path = path
        self.original = path.read_bytes()
        self.edited = self.original.rstrip(b"\n") + b"\n" + line.encode() + b"\n"

    def apply(self) -> None:
        self.path.write_bytes(self.edited)

    def restore(self) -> None:
        self.path.write_bytes(self.original)


def run_suite(suite: Suite, phases: list[str], runs: int, cap: float, out_dir: Path) -> dict:
    ours_config, theirs_config = prepare(suite)
    ours, theirs = tools_for(suite, ours_config, theirs_config, out_dir)
    results: dict[str, dict[str, list[Run]]] = {}
    edit = Edit(suite.tree / suite.edit_file, suite.edit_line) if "edit" in phases else None
    try:
        for phase in [p for p in PHASES if p in phases]:
            print(f"  {suite.name}: {phase}", flush=True)
            ours.capped = theirs.capped = False
            if phase in ("warm", "edit", "clone"):  # caches written by the tool itself, untimed
                for tool in (ours, theirs):
                    warm_up(tool, suite, cap)
            phase_runs: dict[str, list[Run]] = {ours.name: [], theirs.name: []}
            for i in range(runs):
                if phase == "edit":
                    assert edit is not None
                    edit.restore()
                    for tool in (ours, theirs):
                        if not tool.capped:
                            warm_up(tool, suite, cap)
                    edit.apply()
                if phase == "clone":
                    fresh_clone(suite, ours_config)
                order = (ours, theirs) if i % 2 == 0 else (theirs, ours)
                for tool in order:
                    phase_runs[tool.name].append(timed(tool, phase, suite, cap))
                print(
                    "    run %d: ours %s, theirs %s"
                    % (
                        i + 1,
                        _fmt(phase_runs[ours.name][-1].seconds, cap),
                        _fmt(phase_runs[theirs.name][-1].seconds, cap),
                    ),
                    flush=True,
                )
            results[phase] = phase_runs
    finally:
        if edit is not None:
            edit.restore()
    verdicts = {}
    for tool in (ours, theirs):
        rcs = {
            r.returncode for runs_ in results.values() for r in runs_[tool.name] if r.returncode is not None
        }
        verdicts[tool.name] = sorted(rcs)
    return {
        "suite": suite.name,
        "tree": str(suite.tree),
        "contracts": str(suite.contracts),
        "contract_ids": list(suite.contract_ids),
        "edit": f"{suite.edit_file}: {suite.edit_line}",
        "modules": _count_modules(suite, ours_config),
        "exit_codes": verdicts,
        "phases": {p: {t: [r.__dict__ for r in rs] for t, rs in v.items()} for p, v in results.items()},
    }


def fresh_clone(suite: Suite, config: Path) -> None:
    """Each root package copied anew where it was: what a fresh ``git clone`` gives CI."""
    for package in tomllib.loads(config.read_text())["root_packages"]:
        where = suite.tree / package
        old = where.with_name(f".{package}-before-clone")
        where.rename(old)
        shutil.copytree(old, where, copy_function=shutil.copyfile, symlinks=True)
        shutil.rmtree(old)


def _count_modules(suite: Suite, config: Path) -> int:
    packages = tomllib.loads(config.read_text())["root_packages"]
    return sum(1 for p in packages for _ in (suite.tree / p).rglob("*.py"))


def _fmt(seconds: float | None, cap: float) -> str:
    return f">{cap:.0f}s" if seconds is None else f"{seconds:.2f}s"


# --- startup ----------------------------------------------------------------------------------


def time_versions(runs: int) -> dict[str, list[float]]:
    commands = {
        "boundary-lint --version": [script("boundary-lint"), "--version"],
        "lint-imports --version": [script("lint-imports"), "--version"],
    }
    times: dict[str, list[float]] = {name: [] for name in commands}
    with tempfile.TemporaryDirectory() as empty:
        for i in range(runs):
            for name, command in commands.items() if i % 2 == 0 else reversed(list(commands.items())):
                run = run_child(command, Path(empty), 60, Path(empty) / "out.txt")
                times[name].append(run.seconds or 0.0)
    return times


# flake8 has loaded its own modules (and the stdlib ones they need) before it loads plugins,
# so they are imported before the clock starts: what is timed is what the plugin adds.
PLUGIN_PROBE = """
import time, argparse
import flake8.main.application, flake8.checker, flake8.style_guide
t = time.perf_counter()
from boundary_lint.flake8_plugin import BoundaryChecker
BoundaryChecker.parse_options(argparse.Namespace(boundary_lint_config=None, disable_noqa=False))
elapsed = time.perf_counter() - t
import sys
assert "grimp" not in sys.modules, "grimp imported with no contracts"
assert "boundary_lint.config.model" not in sys.modules, "contract model imported with no contracts"
print(elapsed)
"""


def time_plugin(runs: int) -> list[float]:
    """In-process time to import the plugin and parse its options, with nothing configured
    (run in an empty directory under /tmp: discovery walks up and finds nothing)."""
    times = []
    with tempfile.TemporaryDirectory() as empty:
        for _ in range(runs):
            out = subprocess.run(
                [sys.executable, "-c", PLUGIN_PROBE],
                cwd=empty,
                capture_output=True,
                text=True,
                check=True,
                env=OURS_ENV,
            )
            times.append(float(out.stdout))
    return times


# --- reporting --------------------------------------------------------------------------------


def summarize(result: dict, cap: float) -> list[dict]:
    rows = []
    phases = result["phases"]
    for phase, by_tool in phases.items():
        ours = [r["seconds"] for r in by_tool["boundary-lint"]]
        theirs = [r["seconds"] for r in by_tool["lint-imports"]]
        row = {
            "suite": result["suite"],
            "phase": phase,
            "ours": _stats(ours, cap),
            "theirs": _stats(theirs, cap),
            "ratio": _ratios(ours, theirs, cap),
            "ours_rss": max(r["rss_mb"] for r in by_tool["boundary-lint"]),
            "theirs_rss": max(r["rss_mb"] for r in by_tool["lint-imports"]),
            "ours_cpu": statistics.median(r["cpu"] for r in by_tool["boundary-lint"]),
            "theirs_cpu": statistics.median(r["cpu"] for r in by_tool["lint-imports"]),
        }
        if phase == "edit" and "warm" in phases:
            warm = [r["seconds"] for r in phases["warm"]["lint-imports"]]
            row["edit_vs_their_warm"] = _ratios(ours, warm, cap)
        rows.append(row)
    return rows


def _stats(values: list[float | None], cap: float) -> str:
    if all(v is None for v in values):
        return f">{cap:.0f}"
    known = [v for v in values if v is not None]
    if len(known) < len(values):
        return f"{statistics.median(known):.2f}* ({min(known):.2f}-{max(known):.2f}; {len(values) - len(known)} capped)"
    return f"{statistics.median(known):.2f} ({min(known):.2f}-{max(known):.2f})"


def _ratios(ours: list[float | None], theirs: list[float | None], cap: float) -> str:
    pairs = [(a, b) for a, b in zip(ours, theirs) if a is not None]
    if not pairs:
        return "n/a"
    bounded = any(b is None for _, b in pairs)
    values = sorted(a / (b if b is not None else cap) for a, b in pairs)
    prefix = "<" if bounded else ""
    return f"{prefix}{statistics.median(values):.3f} ({values[0]:.3f}-{values[-1]:.3f})"


def print_table(rows: list[dict], markdown: bool) -> None:
    header = [
        "suite",
        "phase",
        "boundary-lint s, median (min-max)",
        "lint-imports s, median (min-max)",
        "ratio ours/theirs, median (min-max)",
        "peak RSS MB ours / theirs",
    ]
    lines = []
    for row in rows:
        ratio = row["ratio"]
        if "edit_vs_their_warm" in row:
            ratio += f"; vs their warm {row['edit_vs_their_warm']}"
        lines.append(
            [
                row["suite"],
                row["phase"],
                row["ours"],
                row["theirs"],
                ratio,
                f"{row['ours_rss']:.0f} / {row['theirs_rss']:.0f}",
            ]
        )
    if markdown:
        print("| " + " | ".join(header) + " |")
        print("|" + "---|" * len(header))
        for line in lines:
            print("| " + " | ".join(line) + " |")
    else:
        widths = [max(len(str(x)) for x in col) for col in zip(header, *lines)]
        for line in [header, *lines]:
            print("  ".join(str(x).ljust(w) for x, w in zip(line, widths)))


def environment() -> dict[str, str]:
    def version(command: list[str]) -> str:
        try:
            return subprocess.run(command, capture_output=True, text=True, check=False).stdout.strip()
        except OSError:
            return "?"

    git = version(["git", "-C", str(REPO), "describe", "--always", "--dirty"])
    return {
        "boundary-lint source": OURS_ENV.get("PYTHONPATH", "installed"),
        "date": time.strftime("%Y-%m-%d %H:%M %Z"),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, {platform.platform()}",
        "python": sys.version.split()[0],
        "boundary-lint": version([script("boundary-lint"), "--version"]) + f" (checkout: git {git})",
        "lint-imports": version(
            [sys.executable, "-c", "import importlib.metadata as m; print(m.version('import-linter'))"]
        ),
        "grimp": version([sys.executable, "-c", "import grimp; print(grimp.__version__)"]),
        "load": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("suites", nargs="*", default=["trove", "nova", "gen10k"])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--cap", type=float, default=600.0, help="seconds; a run over it is killed (default 600)"
    )
    parser.add_argument(
        "--phases", default=DEFAULT_PHASES, help=f"comma-separated (default {DEFAULT_PHASES})"
    )
    parser.add_argument(
        "--work", type=Path, default=Path("/work/bench-trees"), help="where trees are copied or generated"
    )
    parser.add_argument("--trove", type=Path, default=Path("/work/trove"))
    parser.add_argument("--nova", type=Path, default=Path("/work/nova"))
    parser.add_argument("--napari", type=Path, default=Path("/work/trees/napari"), help="a napari checkout")
    parser.add_argument("--mlrun", type=Path, default=Path("/work/trees/mlrun"), help="an mlrun checkout")
    parser.add_argument(
        "--homeassistant", type=Path, help="an unpacked homeassistant wheel (holds homeassistant/)"
    )
    parser.add_argument("--json", type=Path, help="write raw results here")
    parser.add_argument(
        "--ours-src",
        type=Path,
        help="a directory holding a boundary_lint/ package to time "
        "(put first on PYTHONPATH); default: a snapshot of this checkout's, taken now, so that "
        "edits to the checkout during a long run do not mix versions",
    )
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    args = parser.parse_args()
    phases = [p.strip() for p in args.phases.split(",") if p.strip()]
    args.work.mkdir(parents=True, exist_ok=True)
    out_dir = Path(tempfile.mkdtemp(prefix="boundary-lint-bench-"))
    source = args.ours_src
    if source is None:
        source = out_dir / "ours-src"
        shutil.copytree(
            REPO / "boundary_lint", source / "boundary_lint", ignore=shutil.ignore_patterns("__pycache__")
        )
    # Byte-compiled, as pip installs it (and as import-linter and grimp are): with
    # PYTHONDONTWRITEBYTECODE set, an uncompiled copy would be compiled again on every run.
    compileall.compile_dir(str(source / "boundary_lint"), quiet=1)
    OURS_ENV["PYTHONPATH"] = str(source.resolve())
    env = environment()
    print("; ".join(f"{k}: {v}" for k, v in env.items()), flush=True)
    results = []
    rows: list[dict] = []
    for name in args.suites:
        suite = make_suite(name, args)
        print(
            f"suite {name}: {suite.tree}, {suite.contracts.name}"
            f"{' (' + ', '.join(suite.contract_ids) + ')' if suite.contract_ids else ''}",
            flush=True,
        )
        result = run_suite(suite, phases, args.runs, args.cap, out_dir)
        results.append(result)
        rows.extend(summarize(result, args.cap))
        print_table(summarize(result, args.cap), False)
    extra: dict[str, object] = {}
    if "version" in phases:
        versions = time_versions(20)
        extra["version"] = versions
        for name, values in versions.items():
            print(
                f"{name}: median {statistics.median(values) * 1000:.0f} ms "
                f"(min {min(values) * 1000:.0f}, max {max(values) * 1000:.0f}), 20 runs"
            )
    if "plugin" in phases:
        plugin = time_plugin(20)
        extra["plugin"] = plugin
        print(
            f"flake8 plugin import + parse_options, no contracts: median {statistics.median(plugin) * 1000:.1f} ms "
            f"(min {min(plugin) * 1000:.1f}, max {max(plugin) * 1000:.1f}), 20 runs"
        )
    print()
    print(f"{args.runs} runs per tool and phase, alternating; cap {args.cap:.0f} s; outputs in {out_dir}")
    print_table(rows, args.markdown)
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "environment": env,
                    "runs": args.runs,
                    "cap": args.cap,
                    "suites": results,
                    "rows": rows,
                    **extra,
                },
                indent=1,
            )
            + "\n"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
