"""The runtime audit: import modules for real, in a fresh subprocess, and see which modules a
contract forbids them actually load. The only place boundary-lint runs project code, and only
when asked (``boundary-lint runtime``)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import grimp

from boundary_lint.config import Config, ContractSpec, ForbiddenSpec, IndependenceSpec, LayersSpec
from boundary_lint.rules.chains import ChainSearch
from boundary_lint.rules.common import as_package, resolve_expressions

# Runs in the child: import the modules, then report what loaded, how long and how much memory.
_CHILD = r"""
import importlib, json, resource, sys, time, traceback
names = json.loads(sys.argv[1])
before = set(sys.modules)
rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started = time.perf_counter()
try:
    for name in names:
        importlib.import_module(name)
except BaseException as error:
    print(json.dumps({"error": f"{type(error).__name__}: {error}", "module": name}))
    sys.exit(3)
print(json.dumps({
    "loaded": sorted(set(sys.modules) - before),
    "seconds": time.perf_counter() - started,
    "max_rss_kib_before": rss_before,
    "max_rss_kib_after": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
}))
"""


class ImportFailed(Exception):
    pass


@dataclass(frozen=True)
class Loaded:
    modules: list[str]
    seconds: float
    rss_growth_kib: int


@dataclass(frozen=True)
class ForbiddenLoad:
    importer: str  # the module asked for
    loaded: str  # a module it loaded that a contract forbids it
    contract: str
    static_chain: tuple[str, ...] | None  # the import chain in the static graph, if there is one


def import_in_subprocess(modules: list[str], source_roots: tuple[Path, ...], timeout: float = 300) -> Loaded:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([*map(str, source_roots), *filter(None, [env.get("PYTHONPATH")])])
    try:
        done = subprocess.run(
            [sys.executable, "-c", _CHILD, json.dumps(modules)],
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise ImportFailed(f"importing {', '.join(modules)} took more than {timeout:g} s") from None
    lines = done.stdout.strip().splitlines()
    try:
        result = json.loads(lines[-1]) if lines else {}
    except ValueError:
        result = {}
    if "error" in result:
        raise ImportFailed(f"importing {result['module']} failed: {result['error']}")
    if "loaded" not in result:
        detail = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise ImportFailed(f"the import subprocess failed (exit {done.returncode}): {detail}")
    growth = int(result["max_rss_kib_after"]) - int(result["max_rss_kib_before"])
    return Loaded(result["loaded"], float(result["seconds"]), growth)


def forbidden_for(spec: ContractSpec, module: str, graph: grimp.ImportGraph) -> set[str]:
    """The modules ``spec`` forbids ``module`` to import, directly or not."""

    def within(package: str) -> bool:
        return module == package or module.startswith(package + ".")

    targets: set[str] = set()
    if isinstance(spec, ForbiddenSpec):
        sources = resolve_expressions(graph, spec.source_modules, "source_modules")
        if any(within(s) for s in sources):
            for expression in spec.forbidden_modules:
                for target in graph.find_matching_modules(expression) if "*" in expression else {expression}:
                    if target in graph.modules and not within(target) and not module.startswith(target + "."):
                        targets |= as_package(graph, target)
    elif isinstance(spec, IndependenceSpec):
        listed = resolve_expressions(graph, spec.modules, "modules")
        if any(within(m) for m in listed):
            targets |= {t for m in listed if not within(m) for t in as_package(graph, m)}
    elif isinstance(spec, LayersSpec):
        targets |= _higher_layers(spec, module, graph)
    return targets


def _higher_layers(spec: LayersSpec, module: str, graph: grimp.ImportGraph) -> set[str]:
    containers = sorted(resolve_expressions(graph, spec.containers, "containers")) or [""]
    targets: set[str] = set()
    for container in containers:
        names = [
            [f"{container}.{m.tail}" if container else m.tail for m in layer.modules] for layer in spec.layers
        ]
        for index, layer in enumerate(names):
            own = [name for name in layer if module == name or module.startswith(name + ".")]
            if not own:
                continue
            for higher in names[:index]:
                targets |= {t for name in higher if name in graph.modules for t in as_package(graph, name)}
            if spec.layers[index].independent:
                targets |= {
                    t
                    for name in layer
                    if name not in own and name in graph.modules
                    for t in as_package(graph, name)
                }
    return targets


def audit(
    config: Config, graph: grimp.ImportGraph, requested: list[str], loaded: Loaded
) -> list[ForbiddenLoad]:
    found = []
    loaded_set = set(loaded.modules)
    for spec in config.contracts:
        if not isinstance(spec, (ForbiddenSpec, IndependenceSpec, LayersSpec)):
            continue
        for module in requested:
            for target in sorted(forbidden_for(spec, module, graph) & loaded_set):
                # A package loads with any module inside it: a chain to one of those explains it.
                ends = {target} | {m for m in loaded_set if m.startswith(target + ".")}
                found.append(ForbiddenLoad(module, target, spec.id, shortest_chain(graph, module, ends)))
    return found


def shortest_chain(graph: grimp.ImportGraph, start: str, ends: set[str]) -> tuple[str, ...] | None:
    """The shortest chain of imports from ``start`` to any of ``ends``, by the contracts' own
    chain search: to the nearest end, ties broken by name, so the same chain every time."""
    if start in ends:
        return (start,)
    search = ChainSearch(graph, {start}, ends)
    hops = list(search.first_hops())
    if not hops:
        return None
    return min((search.chain(*hop) for hop in hops), key=lambda chain: (len(chain), chain))
