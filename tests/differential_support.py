"""Support for tests/test_differential.py: the oracles and an independent reference.

Three parts, kept apart on purpose:

* The **oracle runner**. This file is also a script: run with a job file, it checks contracts
  with import-linter 2.16's own Python API (its config reader, its graph builder, its contract
  classes) or, for closed layers, which import-linter lacks, with grimp's
  ``find_illegal_dependencies_for_layers``. It also dumps grimp's own import graph. It runs in a
  subprocess so that the trees' packages go on ``sys.path`` there and never in the test process.
* The **reference**: a small brute-force implementation of the rules in shared/PRODUCT.md over
  the graph's edges, in plain Python. It does not use ``boundary_lint.rules``; it shares nothing
  with our search but the contract model that ``load_config`` reads.
* Helpers that turn our report into comparable data.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
TREES = HERE / "trees"

# ---------------------------------------------------------------------------------------------
# The oracle runner (both sides: the launcher, used by the tests, and the script's main)
# ---------------------------------------------------------------------------------------------


def run_oracle(jobs: list[dict], hash_seed: str = "0") -> list[dict]:
    """Run the jobs in one subprocess; return one result per job, in order.

    ``hash_seed`` is the subprocess's PYTHONHASHSEED: import-linter's choice among equally
    short chains depends on it, so running with several seeds shows more of its choices.
    """
    with tempfile.TemporaryDirectory() as scratch:
        jobs_path = Path(scratch, "jobs.json")
        out_path = Path(scratch, "out.json")
        jobs_path.write_text(json.dumps(jobs), encoding="utf-8")
        env = dict(os.environ, PYTHONHASHSEED=hash_seed)
        env.pop("PYTHONPATH", None)
        completed = subprocess.run(
            [sys.executable, str(Path(__file__)), str(jobs_path), str(out_path)],
            cwd=scratch,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        if completed.returncode != 0:
            raise RuntimeError(f"oracle failed:\n{completed.stdout}\n{completed.stderr}")
        return json.loads(out_path.read_text(encoding="utf-8"))


def _oracle_main(jobs_path: str, out_path: str) -> None:
    # The script's own directory (tests/) must not shadow anything.
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
    from importlinter import configuration

    configuration.configure()
    jobs = json.loads(Path(jobs_path).read_text(encoding="utf-8"))
    results = [_run_job(job) for job in jobs]
    Path(out_path).write_text(json.dumps(results), encoding="utf-8")


def _run_job(job: dict) -> dict:
    directory = job["dir"]
    sys.path.insert(0, directory)
    os.chdir(directory)
    try:
        if job["mode"] == "importlinter":
            return _oracle_importlinter(job)
        elif job["mode"] == "grimp_layers":
            return _oracle_grimp_layers(job)
        else:  # pragma: no cover
            raise ValueError(job["mode"])
    finally:
        sys.path.remove(directory)


class OracleServer:
    """The oracle runner as one long-lived subprocess that takes jobs one at a time (a JSON
    line in, a JSON line out): import-linter's per-job cost without a process per job, for the
    property tests (tests/test_properties.py), which run hundreds of small jobs. As with
    ``run_oracle``, the trees' directories go on ``sys.path`` in the subprocess only, so every
    job must use a directory of its own (package names may repeat between jobs)."""

    def __init__(self, hash_seed: str = "0") -> None:
        self._scratch = tempfile.TemporaryDirectory()
        self._stderr = open(Path(self._scratch.name, "stderr.txt"), "w+", encoding="utf-8")
        env = dict(os.environ, PYTHONHASHSEED=hash_seed)
        env.pop("PYTHONPATH", None)
        self._process = subprocess.Popen(
            [sys.executable, str(Path(__file__)), "--serve"],
            cwd=self._scratch.name,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            text=True,
            encoding="utf-8",
        )

    def run(self, job: dict) -> dict:
        assert self._process.stdin is not None and self._process.stdout is not None
        try:
            self._process.stdin.write(json.dumps(job) + "\n")
            self._process.stdin.flush()
            line = self._process.stdout.readline()
        except BrokenPipeError:
            line = ""
        if not line:
            self._stderr.seek(0)
            raise RuntimeError(f"oracle server died:\n{self._stderr.read()[-5000:]}")
        answer = json.loads(line)
        if "exception" in answer:
            raise RuntimeError(f"oracle failed on {job}:\n{answer['exception']}")
        return answer["result"]

    def close(self) -> None:
        if self._process.stdin is not None:
            self._process.stdin.close()
        try:
            self._process.wait(timeout=30)
        except subprocess.TimeoutExpired:  # pragma: no cover
            self._process.kill()
            self._process.wait()
        if self._process.stdout is not None:
            self._process.stdout.close()
        self._stderr.close()
        self._scratch.cleanup()


def _oracle_serve() -> None:
    import importlib
    import traceback

    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
    from importlinter import configuration

    configuration.configure()
    # Answers go to the original stdout; anything else printed goes to stderr.
    answers = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    for line in sys.stdin:
        importlib.invalidate_caches()
        try:
            answer: dict[str, object] = {"result": _run_job(json.loads(line))}
        except Exception:  # reported to the test, which fails with it
            answer = {"exception": traceback.format_exc()}
        answers.write(json.dumps(answer) + "\n")
        answers.flush()


def _dump_graph(graph) -> dict:
    modules = sorted(graph.modules)
    edges = []
    for importer in modules:
        for imported in sorted(graph.find_modules_directly_imported_by(importer)):
            details = graph.get_import_details(importer=importer, imported=imported)
            edges.append([importer, imported, sorted({d["line_number"] for d in details})])
    return {
        "modules": modules,
        "squashed": sorted(m for m in modules if graph.is_module_squashed(m)),
        "edges": edges,
    }


def _modules_of_chain(links: list[dict]) -> list[str]:
    return [links[0]["importer"], *(link["imported"] for link in links)]


def _expand_detailed_chain(detailed: dict) -> list[list[str]]:
    """import-linter's DetailedChain (a grimp Route: heads, middle, tails) as concrete chains."""
    links = detailed["chain"]
    heads = [links[0]["importer"], *(extra["importer"] for extra in detailed["extra_firsts"])]
    tails = [links[-1]["imported"], *(extra["imported"] for extra in detailed["extra_lasts"])]
    middle = [link["imported"] for link in links[:-1]]
    return [[head, *middle, tail] for head in heads for tail in tails]


def _oracle_importlinter(job: dict) -> dict:
    from copy import deepcopy

    from importlinter.application import use_cases

    user_options = use_cases.read_user_options(config_filename=job["config"])
    use_cases._register_contract_types(user_options)
    graph = use_cases._build_graph(
        root_package_names=user_options.session_options["root_packages"],
        include_external_packages=use_cases._get_include_external_packages(user_options),
        exclude_type_checking_imports=use_cases._get_exclude_type_checking_imports(user_options),
        verbose=False,
        cache_dir=None,
    )
    contracts = {}
    for options in user_options.contracts_options:
        contract_id = options["id"]
        entry: dict = {"type": options["type"]}
        try:
            report = use_cases._build_report(
                graph=deepcopy(graph),
                graph_building_duration=0,
                user_options=user_options,
                limit_to_contracts=(contract_id,),
                show_timings=False,
                verbose=False,
            )
        except Exception as error:  # import-linter stops the whole run on these
            entry.update(status="error", error=f"{type(error).__name__}: {error}")
            contracts[contract_id] = entry
            continue
        if report.invalid_contract_options:
            entry.update(status="error", error=str(report.invalid_contract_options))
            contracts[contract_id] = entry
            continue
        [(contract, check)] = list(report.get_contracts_and_checks())
        entry["status"] = "kept" if check.kept else "broken"
        entry["warnings"] = list(check.warnings)
        metadata = check.metadata
        chains = []  # dicts: importer (package), imported (package), chain (module list)
        if entry["type"] == "forbidden":
            for data in metadata["invalid_chains"]:
                for links in data["chains"]:
                    chains.append(
                        {
                            "importer": data["downstream_module"],
                            "imported": data["upstream_module"],
                            "chain": _modules_of_chain(links),
                        }
                    )
        elif entry["type"] == "layers":
            for data in metadata["invalid_dependencies"]:
                for route in data["routes"]:
                    for chain in _expand_detailed_chain(route):
                        chains.append(
                            {"importer": data["importer"], "imported": data["imported"], "chain": chain}
                        )
            entry["undeclared"] = sorted(metadata["undeclared_modules"])
        elif entry["type"] == "independence":
            for data in metadata["invalid_chains"]:
                for route in data["chains"]:
                    for chain in _expand_detailed_chain(route):
                        chains.append(
                            {
                                "importer": data["downstream_module"],
                                "imported": data["upstream_module"],
                                "chain": chain,
                            }
                        )
        elif entry["type"] == "protected":
            entry["links"] = sorted(
                [link["importer"], link["imported"]]
                for data in metadata["illegal_imports"]
                for link in data.illegal_links
            )
        elif entry["type"] == "acyclic_siblings":
            entry["cycle_breakers"] = {
                package: sorted([list(pair) for pair in pairs])
                for package, pairs in metadata["cycle_breakers_by_package"].items()
            }
        entry["chains"] = chains
        contracts[contract_id] = entry
    return {"graph": _dump_graph(graph), "contracts": contracts}


def _oracle_grimp_layers(job: dict) -> dict:
    import grimp

    graph = grimp.build_graph(
        *job["roots"],
        include_external_packages=job.get("include_external_packages", False),
        exclude_type_checking_imports=job.get("exclude_type_checking_imports", False),
        cache_dir=None,
    )
    dumped = _dump_graph(graph)
    for expression in job.get("ignore_imports", ()):
        for match in graph.find_matching_direct_imports(import_expression=expression):
            graph.remove_import(importer=match["importer"], imported=match["imported"])
    layers = [
        grimp.Layer(*layer["tails"], independent=layer["independent"], closed=layer["closed"])
        for layer in job["layers"]
    ]
    try:
        dependencies = graph.find_illegal_dependencies_for_layers(
            layers=layers, containers=set(job.get("containers", ()))
        )
    except ValueError as error:  # e.g. layers that share descendants: no verdict
        return {"graph": dumped, "status": "error", "error": str(error), "chains": []}
    chains = []
    for dependency in dependencies:
        for route in dependency.routes:
            for head in sorted(route.heads):
                for tail in sorted(route.tails):
                    chains.append(
                        {
                            "importer": dependency.importer,
                            "imported": dependency.imported,
                            "chain": [head, *route.middle, tail],
                        }
                    )
    return {"graph": dumped, "status": "broken" if dependencies else "kept", "chains": chains}


# ---------------------------------------------------------------------------------------------
# The reference: the rules of PRODUCT.md, brute force, over the edges of the graph
# ---------------------------------------------------------------------------------------------


def expression_regex(expression: str) -> re.Pattern[str]:
    """A module expression: ``*`` is one name, ``**`` one or more (as grimp documents)."""
    parts = []
    for part in expression.split("."):
        if part == "**":
            parts.append(r"[^.]+(?:\.[^.]+)*")
        elif part == "*":
            parts.append(r"[^.]+")
        else:
            parts.append(re.escape(part))
    return re.compile(r"\.".join(parts) + r"\Z")


@dataclass
class RefGraph:
    modules: frozenset[str]
    squashed: frozenset[str]
    edges: dict[tuple[str, str], tuple[int, ...]]
    _out: dict[str, set[str]] = field(default_factory=dict, repr=False)

    @classmethod
    def from_dump(cls, dump: dict) -> RefGraph:
        return cls(
            frozenset(dump["modules"]),
            frozenset(dump["squashed"]),
            {(a, b): tuple(lines) for a, b, lines in dump["edges"]},
        )

    def __post_init__(self) -> None:
        for a, b in self.edges:
            self._out.setdefault(a, set()).add(b)

    def imported_by(self, module: str) -> set[str]:
        return self._out.get(module, set())

    def match(self, expression: str) -> set[str]:
        if "*" not in expression:
            return {expression} if expression in self.modules else set()
        pattern = expression_regex(expression)
        return {m for m in self.modules if pattern.match(m)}

    def package(self, module: str) -> set[str]:
        if module in self.squashed:
            return {module}
        return {m for m in self.modules if m == module or m.startswith(module + ".")}

    def without(self, ignore_imports: Iterable[str]) -> tuple[RefGraph, list[str]]:
        """A copy without the ignored imports, and the expressions that matched nothing."""
        removed: set[tuple[str, str]] = set()
        unmatched = []
        for expression in ignore_imports:
            importer, _, imported = (p.strip() for p in expression.partition("->"))
            importer_re, imported_re = expression_regex(importer), expression_regex(imported)
            matched = {e for e in self.edges if importer_re.match(e[0]) and imported_re.match(e[1])}
            if not matched:
                unmatched.append(expression)
            removed |= matched
        edges = {e: lines for e, lines in self.edges.items() if e not in removed}
        return RefGraph(self.modules, self.squashed, edges), unmatched


@dataclass(frozen=True)
class Part:
    """One search of a chain contract: chains from ``sources`` to ``targets`` whose interior
    avoids sources, targets and ``blocked``."""

    sources: frozenset[str]
    targets: frozenset[str]
    blocked: frozenset[str]
    codes: tuple[str, str]  # (direct, indirect)
    direct_only: bool = False

    def passable(self, module: str) -> bool:
        return module not in self.sources and module not in self.targets and module not in self.blocked


def _shortest_chains(graph: RefGraph, part: Part, source: str, first: str) -> list[tuple[str, ...]]:
    """Every shortest illegal chain that begins with the import ``source -> first``."""
    if first in part.targets:
        return [(source, first)]
    if part.direct_only or not part.passable(first):
        return []
    # Breadth-first from ``first`` through passable modules; keep every predecessor.
    parents: dict[str, set[str]] = {first: set()}
    level = [first]
    while level:
        reached_targets: set[str] = set()
        following: dict[str, set[str]] = {}
        for module in level:
            for nxt in graph.imported_by(module):
                if nxt in part.targets:
                    reached_targets.add(nxt)
                    following.setdefault(nxt, set()).add(module)
                elif part.passable(nxt) and nxt not in parents:
                    following.setdefault(nxt, set()).add(module)
        if reached_targets:
            chains: list[tuple[str, ...]] = []
            for end in reached_targets:
                chains.extend(_paths_back(end, following[end], parents))
            return [(source, *chain) for chain in chains]
        for module, preds in following.items():
            parents[module] = preds
        level = sorted(following)
    return []


def _paths_back(end: str, preds: set[str], parents: dict[str, set[str]]) -> list[tuple[str, ...]]:
    paths: list[tuple[str, ...]] = []
    for pred in preds:
        if not parents[pred]:
            paths.append((pred, end))
        else:
            paths.extend((*p, end) for p in _paths_back(pred, parents[pred], parents))
    return paths


@dataclass(frozen=True)
class RefViolation:
    importer: str
    first: str
    chain: tuple[str, ...]  # modules, importer first
    code: str
    lines: tuple[int, ...]


def reference_chain_violations(graph: RefGraph, parts: list[Part]) -> dict[tuple[str, str], RefViolation]:
    """Every first hop that begins an illegal chain, with its chain: the nearest end (ties by
    name) and, of the shortest chains to it, the first in name order."""
    best: dict[tuple[str, str], tuple[tuple, str]] = {}
    for part in parts:
        for source in part.sources:
            for first in graph.imported_by(source):
                for chain in _shortest_chains(graph, part, source, first):
                    key = (len(chain), chain[-1], chain)
                    code = part.codes[0] if len(chain) == 2 else part.codes[1]
                    known = best.get((source, first))
                    if known is None or key < known[0]:
                        best[(source, first)] = (key, code)
    return {
        hop: RefViolation(hop[0], hop[1], key[2], code, graph.edges[hop]) for hop, (key, code) in best.items()
    }


def _overlap(a: str, b: str, as_packages: bool) -> bool:
    if a == b:
        return True
    return as_packages and (a.startswith(b + ".") or b.startswith(a + "."))


def forbidden_parts(graph: RefGraph, spec, root_packages: Iterable[str]) -> list[Part]:
    def members(module: str) -> set[str]:
        return graph.package(module) if spec.as_packages else {module}

    sources = set().union(*(graph.match(e) for e in spec.source_modules))
    forbidden = set().union(*(graph.match(e) for e in spec.forbidden_modules))
    parts = []
    for target in sorted(forbidden):
        allowed = [s for s in sources if not _overlap(s, target, spec.as_packages)]
        source_modules = set().union(*(members(s) for s in allowed)) if allowed else set()
        if source_modules:
            parts.append(
                Part(
                    frozenset(source_modules),
                    frozenset(members(target)),
                    frozenset(),
                    ("BND101", "BND102"),
                    direct_only=spec.allow_indirect_imports,
                )
            )
    return parts


def forbidden_source_side(graph: RefGraph, spec, forbidden_module: str) -> set[str]:
    """The coverage rule's source side for one forbidden module: the source packages that do
    not overlap it."""
    members = graph.package if spec.as_packages else (lambda m: {m})
    sources = set().union(*(graph.match(e) for e in spec.source_modules))
    return set().union(
        set(), *(members(s) for s in sources if not _overlap(s, forbidden_module, spec.as_packages))
    )


def layer_pairs(spec, graph: RefGraph, container: str | None) -> tuple[list[tuple[str, str, str]], set[str]]:
    """(importer, imported, kind) for every forbidden direction between existing layer modules,
    kind 'up' or 'bypass'; and every existing layer module. A closed layer is closed whether or
    not its modules exist in this container (as in grimp)."""
    existing: list[list[str]] = []
    for layer in spec.layers:
        names = [f"{container}.{m.tail}" if container else m.tail for m in layer.modules]
        existing.append([n for n in names if n in graph.modules])
    pairs = []
    for i, higher in enumerate(existing):
        if spec.layers[i].independent:
            pairs += [(a, b, "up") for a in higher for b in higher if a != b]
        for j in range(i + 1, len(existing)):
            pairs += [(low, high, "up") for low in existing[j] for high in higher]
            if any(spec.layers[k].closed for k in range(i + 1, j)):
                pairs += [(high, low, "bypass") for high in higher for low in existing[j]]
    return pairs, {m for layer in existing for m in layer}


def layers_parts(graph: RefGraph, spec) -> list[Part]:
    containers: Sequence[str | None] = sorted(set().union(set(), *(graph.match(c) for c in spec.containers)))
    parts = []
    for container in containers or [None]:
        pairs, listed = layer_pairs(spec, graph, container)
        listed_members = set().union(set(), *(graph.package(m) for m in listed))
        for importer, imported, kind in pairs:
            sources, targets = graph.package(importer), graph.package(imported)
            codes = ("BND111", "BND112") if kind == "up" else ("BND113", "BND114")
            parts.append(
                Part(
                    frozenset(sources),
                    frozenset(targets),
                    frozenset(listed_members - sources - targets),
                    codes,
                )
            )
    return parts


def independence_parts(graph: RefGraph, spec) -> list[Part]:
    modules = sorted(set().union(*(graph.match(e) for e in spec.modules)))
    listed_members = set().union(set(), *(graph.package(m) for m in modules))
    parts = []
    for importer in modules:
        for imported in modules:
            if importer != imported:
                sources, targets = graph.package(importer), graph.package(imported)
                parts.append(
                    Part(
                        frozenset(sources),
                        frozenset(targets),
                        frozenset(listed_members - sources - targets),
                        ("BND121", "BND122"),
                    )
                )
    return parts


def undeclared_layers(graph: RefGraph, spec) -> set[str]:
    if not spec.exhaustive:
        return set()
    declared = {m.tail for layer in spec.layers for m in layer.modules} | set(spec.exhaustive_ignores)
    containers = set().union(set(), *(graph.match(c) for c in spec.containers))
    return {
        m
        for container in containers
        for m in graph.modules
        if m.startswith(container + ".")
        and "." not in m[len(container) + 1 :]
        and m[len(container) + 1 :] not in declared
    }


def protected_links(graph: RefGraph, spec) -> set[tuple[str, str]]:
    allowed: set[str] = set()
    for expression in spec.allowed_importers:
        for module in graph.match(expression) or {expression}:
            allowed |= graph.package(module) if spec.as_packages else {module}
    links = set()
    for expression in spec.protected_modules:
        for top in graph.match(expression):
            protected = graph.package(top) if spec.as_packages else {top}
            for importer, imported in graph.edges:
                if imported in protected and importer not in allowed and importer not in protected:
                    links.add((importer, imported))
    return links


def acyclic_imports(graph: RefGraph, spec) -> set[tuple[str, str]]:
    """Every import between two children of a checked package whose dependency lies on a cycle
    of the children's dependency graph (the set import-linter nominates breakers from)."""
    ancestors = set().union(*(graph.match(e) for e in spec.ancestors))
    skipped = set().union(set(), *(graph.match(e) for e in spec.skip_descendants))
    result: set[tuple[str, str]] = set()

    def children(module: str) -> set[str]:
        depth = module.count(".") + 1
        return {m for m in graph.modules if m.startswith(module + ".") and m.count(".") == depth}

    def check(package: str, depth: int) -> None:
        kids = children(package)
        if len(kids) >= 2:
            prefix = package.count(".") + 2

            def child(m: str) -> str:
                return ".".join(m.split(".")[:prefix])

            between = [
                (a, b)
                for (a, b) in graph.edges
                if a.startswith(package + ".") and b.startswith(package + ".") and child(a) != child(b)
            ]
            child_edges: dict[str, set[str]] = {}
            for a, b in between:
                child_edges.setdefault(child(a), set()).add(child(b))

            def reaches(start: str, goal: str) -> bool:
                seen, queue = {start}, deque([start])
                while queue:
                    node = queue.popleft()
                    if node == goal:
                        return True
                    for nxt in child_edges.get(node, ()):
                        if nxt not in seen:
                            seen.add(nxt)
                            queue.append(nxt)
                return False

            result.update((a, b) for a, b in between if reaches(child(b), child(a)))
        if depth:
            for kid in sorted(kids - skipped):
                check(kid, depth - 1)

    for ancestor in sorted(ancestors):
        check(ancestor, spec.depth)
    return result


# ---------------------------------------------------------------------------------------------
# Our side, as data
# ---------------------------------------------------------------------------------------------


def module_path(module: str, root: Path, source_root: Path) -> str:
    """The POSIX path, relative to the project root, of a module's file."""
    base = source_root.joinpath(*module.split("."))
    path = base / "__init__.py" if (base / "__init__.py").is_file() else base.with_suffix(".py")
    return path.relative_to(root).as_posix()


def our_chain(violation) -> tuple[str, ...]:
    return (violation.importer, *(hop.imported for hop in violation.chain))


def trim_chain(chain: list[str], source_side: set[str], forbidden_side: set[str]) -> list[str]:
    """Start at the chain's last module on the source side, end at the first module after it on
    the forbidden side."""
    start = max(i for i, m in enumerate(chain) if m in source_side)
    end = next(j for j in range(start + 1, len(chain)) if chain[j] in forbidden_side)
    return chain[start : end + 1]


# ---------------------------------------------------------------------------------------------
# Comparisons of one contract's result with the oracle and the reference (for the property
# tests; tests/test_differential.py applies the same definitions to its fixed trees)
# ---------------------------------------------------------------------------------------------

UNDECLARED = "BND115"
CHAIN_TYPES = ("forbidden", "layers", "independence")
# A difference found: a tuple whose first item names it, then what was expected and what was
# found; a test that finds any shows them all.
Problem = tuple[object, ...]


def our_status(result) -> str:
    """'error', 'broken' or 'kept', as the oracle runner reports import-linter's verdicts."""
    if result.errors:
        return "error"
    return "broken" if result.active_violations else "kept"


def first_hops(result) -> dict[tuple[str, str], list]:
    """Our violations with a chain, by first hop (importer, first imported module)."""
    hops: dict[tuple[str, str], list] = {}
    for v in result.violations:
        if v.code != UNDECLARED:
            hops.setdefault((v.importer, v.chain[0].imported), []).append(v)
    return hops


def uncovered_chains(graph: RefGraph, spec, result, chains: list[dict]) -> list[Problem]:
    """The oracle's chains (``{"importer", "imported", "chain"}``) that none of our violations
    covers: trimmed to start at its last module on the source side and end at its first module
    on the forbidden side, a chain must begin with the first hop of one of our violations, and
    our chain must be no longer. ``graph`` is the graph without the contract's ignored imports."""
    ours = first_hops(result)
    uncovered: list[Problem] = []
    for item in chains:
        chain = item["chain"]
        if spec.type_name == "forbidden":
            source_side = forbidden_source_side(graph, spec, item["imported"])
            forbidden_side = graph.package(item["imported"]) if spec.as_packages else {item["imported"]}
        else:
            source_side = graph.package(item["importer"])
            forbidden_side = graph.package(item["imported"])
        trimmed = trim_chain(chain, source_side, forbidden_side)
        found = ours.get((trimmed[0], trimmed[1]))
        if not found:
            uncovered.append(("missing", chain, trimmed))
        elif any(len(our_chain(v)) > len(trimmed) for v in found):
            uncovered.append(("longer", chain, trimmed, our_chain(found[0])))
    return uncovered


def importlinter_problems(graph: RefGraph, spec, result, entry: dict) -> list[Problem]:
    """What import-linter (one contract's oracle entry, not an error) finds that we do not:
    chains not covered; protected: different illegal links; acyclic_siblings: cycle breakers
    that are not our first hops; exhaustive layers: different undeclared modules."""
    problems: list[Problem] = []
    if spec.type_name in CHAIN_TYPES:
        problems.extend(uncovered_chains(graph, spec, result, entry["chains"]))
    if spec.type_name == "layers":
        undeclared = {v.importer for v in result.violations if v.code == UNDECLARED}
        if set(entry["undeclared"]) != undeclared:
            problems.append(("undeclared", entry["undeclared"], sorted(undeclared)))
    if spec.type_name == "protected":
        ours = {(v.importer, v.chain[0].imported) for v in result.violations}
        if {tuple(link) for link in entry["links"]} != ours:
            problems.append(("links", entry["links"], sorted(ours)))
    if spec.type_name == "acyclic_siblings":
        breakers = {tuple(pair) for pairs in entry["cycle_breakers"].values() for pair in pairs}
        if not breakers <= set(first_hops(result)):
            problems.append(("breakers", sorted(breakers - set(first_hops(result)))))
    return problems


def reference_problems(full_graph: RefGraph, spec, result, root: Path, source_root: Path) -> list[Problem]:
    """Differences between our result and the brute-force reference: the first hops, each
    reported once per import statement line, with the nearest end and the first shortest chain
    in name order, and the right code; each hop's path and lines; unmatched ignore_imports
    reported as configured. ``full_graph`` is grimp's graph with every import."""
    graph, unmatched = full_graph.without(spec.ignore_imports)
    problems: list[Problem] = []
    ours = first_hops(result)
    if spec.type_name in CHAIN_TYPES:
        if spec.type_name == "forbidden":
            parts = forbidden_parts(graph, spec, ())
        elif spec.type_name == "layers":
            parts = layers_parts(graph, spec)
        else:
            parts = independence_parts(graph, spec)
        expected = reference_chain_violations(graph, parts)
        if set(ours) != set(expected):
            problems.append(
                ("first hops", sorted(set(expected) - set(ours)), sorted(set(ours) - set(expected)))
            )
        for hop in sorted(set(ours) & set(expected)):
            ref = expected[hop]
            for v in ours[hop]:
                if our_chain(v) != ref.chain or v.code != ref.code:
                    problems.append(("chain", hop, our_chain(v), v.code, ref.chain, ref.code))
        if spec.type_name == "layers":
            undeclared = {v.importer for v in result.violations if v.code == UNDECLARED}
            if undeclared != undeclared_layers(graph, spec):
                problems.append(("undeclared", sorted(undeclared), sorted(undeclared_layers(graph, spec))))
    else:
        if spec.type_name == "protected":
            expected_hops, code = protected_links(graph, spec), "BND131"
        else:
            expected_hops, code = acyclic_imports(graph, spec), "BND141"
        if set(ours) != expected_hops:
            problems.append(("links", sorted(expected_hops - set(ours)), sorted(set(ours) - expected_hops)))
        problems.extend(
            ("code", v.code) for vs in ours.values() for v in vs if v.code != code or len(v.chain) != 1
        )
    for hop, violations in sorted(ours.items()):
        problems.extend(statement_problems(graph, hop, violations, root, source_root))
    level = spec.unmatched_ignore_imports_alerting.value
    errors = [e for e in result.errors if "matched no import" in e.message]
    warnings = [w for w in result.warnings if "matched no import" in w]
    expected_counts = {"error": (len(unmatched), 0), "warn": (0, len(unmatched)), "none": (0, 0)}[level]
    if (len(errors), len(warnings)) != expected_counts:
        problems.append(("unmatched", unmatched, level, errors, warnings))
    return problems


def statement_problems(
    graph: RefGraph, hop: tuple[str, str], violations: list, root: Path, source_root: Path
) -> list[Problem]:
    """One violation per import statement line of the first hop, each pointing at the file of
    the importer, with each hop's lines as in the graph."""
    problems: list[Problem] = []
    lines = sorted(v.line for v in violations)
    if lines != list(graph.edges.get(hop, ())):
        problems.append(("lines", hop, lines, graph.edges.get(hop)))
    path = module_path(hop[0], root, source_root)
    for v in violations:
        if v.path != path or v.chain[0].path != path:
            problems.append(("path", hop, v.path, path))
        if v.imported != v.chain[-1].imported or v.chain[0].importer != v.importer:
            problems.append(("ends", hop, v.importer, v.imported))
        for a, b in zip(v.chain, v.chain[1:]):
            if a.imported != b.importer:
                problems.append(("broken chain", hop, our_chain(v)))
        for h in v.chain:
            if h.lines != graph.edges.get((h.importer, h.imported)):
                problems.append(("hop lines", h.importer, h.imported, h.lines))
            if h.path != module_path(h.importer, root, source_root):
                problems.append(("hop path", h.importer, h.path))
    return problems


# ---------------------------------------------------------------------------------------------
# Generated trees: random packages, every import form, seeded so every run is the same
# ---------------------------------------------------------------------------------------------


def _import_statement(importer: str, importer_is_package: bool, imported: str, rng) -> str:
    own_package = importer if importer_is_package else importer.rpartition(".")[0]
    parent, _, last = imported.rpartition(".")
    forms = [f"import {imported}", f"from {parent} import {last}"]
    if parent == own_package:
        forms.append(f"from . import {last}")
    elif (
        not importer_is_package
        and parent.rpartition(".")[0] == own_package.rpartition(".")[0]
        and "." in parent
    ):
        forms.append(f"from ..{parent.rpartition('.')[2]} import {last}")
    return rng.choice(forms)


def generate_tree(base: Path, seed: int) -> dict[str, Path]:
    """A random package ``gen<seed>`` (six subpackages of 2-4 modules, a few loose modules),
    random imports in every form, and configuration files exercising every contract type.
    Returns the configuration files by kind ('importlinter', 'closed')."""
    import random

    rng = random.Random(seed)
    package = f"gen{seed}"
    root = base / f"diff_generated_{seed}"
    subpackages = [f"{package}.s{i}" for i in range(6)]
    modules: dict[str, bool] = {package: True}  # name -> is a package
    for sub in subpackages:
        modules[sub] = True
        for i in range(rng.randint(2, 4)):
            modules[f"{sub}.m{i}"] = False
    for i in range(4):
        modules[f"{package}.u{i}"] = False
    names = sorted(modules)
    body: dict[str, list[str]] = {name: [] for name in names}
    # Odd seeds import mostly downwards (s0 over s1 over ... over the loose modules), so that
    # some contracts are kept; even seeds import anything.
    downward = seed % 2 == 1

    def rank(name: str) -> int:
        part = name.split(".")[1] if "." in name else ""
        return int(part[1:]) if part.startswith("s") else 9

    for importer in names:
        for _ in range(rng.choice([0, 1, 1, 1, 2, 3])):
            candidates = [n for n in names if n != importer and n != package]
            if downward and rng.random() > 0.04:
                candidates = [n for n in candidates if rank(n) > rank(importer)] or candidates
            imported = rng.choice(candidates)
            statement = _import_statement(importer, modules[importer], imported, rng)
            where = rng.random()
            lines = body[importer]
            if where < 0.15:
                lines += ["def late():", f"    {statement}", "    return None"]
            elif where < 0.25:
                lines += ["from typing import TYPE_CHECKING", "if TYPE_CHECKING:", f"    {statement}"]
            else:
                lines.append(statement)
            if rng.random() < 0.1:  # the same import again, on another line
                lines += ["", statement]
    for name, is_package in modules.items():
        path = root.joinpath(*name.split("."))
        path = path / "__init__.py" if is_package else path.with_suffix(".py")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(body[name]) + "\n", encoding="utf-8")
    some_edge_importer = rng.choice([n for n in names if body[n]])
    s = [sub.rpartition(".")[2] for sub in subpackages]
    p = package
    ini = f"""[importlinter]
root_package = {p}

[importlinter:contract:forbidden]
name = forbidden
type = forbidden
source_modules =
    {p}.{s[0]}
    {p}.{s[1]}
    {p}.u0
forbidden_modules =
    {p}.{s[4]}
    {p}.{s[5]}

[importlinter:contract:forbidden-direct]
name = forbidden, direct only
type = forbidden
source_modules =
    {p}.{s[0]}
forbidden_modules =
    {p}.{s[3]}
    {p}.u1
allow_indirect_imports = true

[importlinter:contract:forbidden-modules]
name = forbidden, modules not packages, wildcards
type = forbidden
source_modules =
    {p}.{s[0]}.*
    {p}.u0
    {p}.u1
forbidden_modules =
    {p}.{s[5]}.*
    {p}.{s[5]}
as_packages = false

[importlinter:contract:forbidden-overlap]
name = forbidden, overlapping wildcard
type = forbidden
source_modules =
    {p}.{s[2]}
forbidden_modules =
    {p}.*

[importlinter:contract:layers]
name = layers
type = layers
layers =
    {p}.{s[0]}
    {p}.{s[1]} | {p}.{s[2]}
    {p}.{s[3]} : {p}.{s[4]}
    ({p}.nope)
    {p}.{s[5]}

[importlinter:contract:layers-ignored]
name = layers with ignores
type = layers
layers =
    {p}.{s[0]} : {p}.u0
    {p}.{s[2]} | {p}.{s[3]} | {p}.{s[4]}
    {p}.{s[5]}
ignore_imports =
    {p}.{s[5]}.* -> {p}.**
    {some_edge_importer} -> {p}.**
unmatched_ignore_imports_alerting = none

[importlinter:contract:containers]
name = layers in containers
type = layers
containers =
    {p}.*
layers =
    (m0)
    (m1) | (m2)
    (m3)
exhaustive = true

[importlinter:contract:independence]
name = independence
type = independence
modules =
    {p}.{s[1]}
    {p}.{s[2]}
    {p}.{s[3]}
    {p}.u2

[importlinter:contract:protected]
name = protected
type = protected
protected_modules =
    {p}.{s[5]}
    {p}.u3
allowed_importers =
    {p}.{s[4]}

[importlinter:contract:acyclic]
name = acyclic siblings
type = acyclic_siblings
ancestors =
    {p}
"""
    (root / ".importlinter").write_text(ini, encoding="utf-8")
    closed = f"""root_packages = ["{p}"]
cache_dir = false

[[contracts]]
id = "closed"
name = "closed layers"
type = "layers"
layers = ["{p}.{s[0]}", "{p}.{s[1]} : {p}.{s[2]}", "{p}.{s[3]}", "{p}.{s[4]}", "{p}.{s[5]}"]
closed_layers = ["{p}.{s[1]}", "{p}.{s[4]}"]

[[contracts]]
id = "closed-containers"
name = "closed layers in containers"
type = "layers"
containers = ["{p}.{s[0]}", "{p}.{s[1]}", "{p}.{s[2]}", "{p}.{s[3]}", "{p}.{s[4]}", "{p}.{s[5]}"]
layers = ["m0", "(m3)", "m1", "(m2)"]
closed_layers = ["m3"]
"""
    (root / "closed.toml").write_text(closed, encoding="utf-8")
    return {"importlinter": root / ".importlinter", "closed": root / "closed.toml"}


if __name__ == "__main__":
    if sys.argv[1:] == ["--serve"]:
        _oracle_serve()
    else:
        _oracle_main(sys.argv[1], sys.argv[2])
