"""Differential tests: boundary-lint against import-linter 2.16 (and grimp, for closed layers).

For every contract in the trees under tests/trees/diff_* and in generated random trees:

1. verdict: kept / broken / error exactly as import-linter says (error: import-linter stops
   on it, e.g. an unmatched ignore_imports entry with alerting "error");
2. coverage: every chain import-linter reports (under several hash seeds, since its choice
   among equally short chains varies from run to run), trimmed to start at its last module on
   the source side and end at its first module on the forbidden side, begins with the first
   hop of one of our violations, and our chain is no longer; protected: the same illegal links;
   acyclic_siblings: every cycle breaker it nominates is one of our violations' first hops;
   exhaustive layers: the same undeclared modules;
3. exactness: our first hops are exactly those of a brute-force reference of PRODUCT.md's rules
   (tests/differential_support.py), each reported once per import statement line, with the
   nearest end and the first shortest chain in name order;
4. determinism: two CLI runs (under different hash seeds) print byte-identical JSON;
5. closed layers, which import-linter 2.16 lacks: grimp's find_illegal_dependencies_for_layers
   with closed grimp.Layer objects is the oracle.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from pprint import pformat

import differential_support as support
import pytest

from boundary_lint.config import Config, LayersSpec, load_config
from boundary_lint.engine import CheckOptions, check, load_graph, locate
from boundary_lint.report import ContractResult, Report

TREES = support.TREES
HASH_SEEDS = ("0", "1", "2")
GENERATED_SEEDS = tuple(range(8))

# (case name, tree directory, configuration file name)
COMMITTED = [
    ("forbidden", "diff_forbidden", ".importlinter"),
    ("forbidden-typecheck", "diff_forbidden", "typecheck.importlinter"),
    ("layers", "diff_layers", ".importlinter"),
    ("independence", "diff_independence", ".importlinter"),
    ("protected", "diff_protected", ".importlinter"),
    ("acyclic", "diff_acyclic", ".importlinter"),
    ("external", "diff_external", ".importlinter"),
    ("external-typing", "diff_external", "with-typing.importlinter"),
]
COMMITTED_CLOSED = [("closed", "diff_closed", "pyproject.toml")]
GENERATED = [f"generated-{seed}" for seed in GENERATED_SEEDS]
# The repository's Trove example (real-code shaped), copied, with its contracts as import-linter's.
TROVE_EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "trove-split"
TROVE_IMPORTLINTER = """[importlinter]
root_packages =
    trove
    troveguest
    common

[importlinter:contract:guest-never-core]
name = The guest agent never imports Trove's core
type = forbidden
source_modules =
    troveguest
forbidden_modules =
    trove

[importlinter:contract:common-standalone]
name = common imports neither the guest agent nor Trove's core
type = forbidden
source_modules =
    common
forbidden_modules =
    trove
    troveguest

[importlinter:contract:split-layers]
name = trove above troveguest above common
type = layers
layers =
    trove
    troveguest
    common

[importlinter:contract:guest-independent]
name = the guest agent and trove's core are independent
type = independence
modules =
    trove
    troveguest
"""
IMPORTLINTER_CASES = [name for name, _, _ in COMMITTED] + ["trove-example"] + GENERATED
CLOSED_CASES = [name for name, _, _ in COMMITTED_CLOSED] + [f"{g}-closed" for g in GENERATED]

UNDECLARED = "BND115"


@dataclass
class Case:
    name: str
    config_path: Path
    config: Config
    report: Report
    our_graph: object  # grimp.ImportGraph built by boundary_lint.graph
    oracle_runs: list[dict]  # importlinter: one result per hash seed; closed: per contract id
    graph: support.RefGraph  # grimp's own graph, from the oracle subprocess

    def result(self, contract_id: str) -> ContractResult:
        return next(c for c in self.report.contracts if c.id == contract_id)

    @property
    def source_root(self) -> Path:
        [root] = {r for package in locate(self.config) for r in package.import_roots}
        return root


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> dict[str, Case]:
    generated_base = tmp_path_factory.mktemp("generated")
    configs: dict[str, tuple[Path, str]] = {}
    for name, tree, config_file in COMMITTED:
        configs[name] = (TREES / tree / config_file, "importlinter")
    for name, tree, config_file in COMMITTED_CLOSED:
        configs[name] = (TREES / tree / config_file, "closed")
    trove = generated_base / "trove-example"
    shutil.copytree(TROVE_EXAMPLE, trove, ignore=shutil.ignore_patterns("__pycache__", ".*cache*"))
    (trove / ".importlinter").write_text(TROVE_IMPORTLINTER, encoding="utf-8")
    configs["trove-example"] = (trove / ".importlinter", "importlinter")
    for seed in GENERATED_SEEDS:
        files = support.generate_tree(generated_base, seed)
        configs[f"generated-{seed}"] = (files["importlinter"], "importlinter")
        configs[f"generated-{seed}-closed"] = (files["closed"], "closed")

    loaded = {name: load_config(path) for name, (path, _) in configs.items()}
    jobs: list[dict] = []
    owners: list[tuple[str, str | None]] = []
    for name, (path, kind) in configs.items():
        config = loaded[name]
        if kind == "importlinter":
            jobs.append({"mode": "importlinter", "dir": str(path.parent), "config": str(path)})
            owners.append((name, None))
            continue
        for spec in config.contracts:
            assert isinstance(spec, LayersSpec)  # grimp's oracle checks closed layers only
            jobs.append(
                {
                    "mode": "grimp_layers",
                    "dir": str(path.parent),
                    "roots": list(config.root_packages),
                    "include_external_packages": config.include_external_packages,
                    "exclude_type_checking_imports": config.exclude_type_checking_imports,
                    "layers": [
                        {
                            "tails": [m.tail for m in layer.modules],
                            "independent": layer.independent,
                            "closed": layer.closed,
                        }
                        for layer in spec.layers
                    ],
                    "containers": sorted(spec.containers),  # plain names in these files
                    "ignore_imports": list(spec.ignore_imports),
                }
            )
            owners.append((name, spec.id))
    runs = [support.run_oracle(jobs, seed) for seed in HASH_SEEDS]

    cases = {}
    for name, (path, kind) in configs.items():
        config = loaded[name]
        indexes = [i for i, (owner, _) in enumerate(owners) if owner == name]
        if kind == "importlinter":
            [index] = indexes
            oracle_runs = [run[index] for run in runs]
        else:
            oracle_runs = [{owners[i][1]: run[i] for i in indexes} for run in runs]
        first = runs[0][indexes[0]]
        cases[name] = Case(
            name=name,
            config_path=path,
            config=config,
            report=check(config, CheckOptions(use_cache=False)),
            our_graph=load_graph(config, CheckOptions(use_cache=False)).graph,
            oracle_runs=oracle_runs,
            graph=support.RefGraph.from_dump(first["graph"]),
        )
    return cases


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


def our_status(result: ContractResult) -> str:
    if result.errors:
        return "error"
    return "broken" if result.active_violations else "kept"


def chain_violations(result: ContractResult):
    return [v for v in result.violations if v.code != UNDECLARED]


def first_hops(result: ContractResult) -> dict[tuple[str, str], list]:
    hops: dict[tuple[str, str], list] = {}
    for v in chain_violations(result):
        hops.setdefault((v.importer, v.chain[0].imported), []).append(v)
    return hops


def il_contracts(case: Case) -> dict[str, list[dict]]:
    """Each contract's import-linter result under every hash seed."""
    ids = case.oracle_runs[0]["contracts"].keys()
    return {cid: [run["contracts"][cid] for run in case.oracle_runs] for cid in ids}


def ref_graph_for(case: Case, spec) -> tuple[support.RefGraph, list[str]]:
    return case.graph.without(spec.ignore_imports)


# ---------------------------------------------------------------------------------------------
# The graph itself: ours is grimp's
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", IMPORTLINTER_CASES + CLOSED_CASES)
def test_our_graph_is_grimps(world, name):
    case = world[name]
    graph = case.our_graph
    ours = {
        (a, b): tuple(sorted({d["line_number"] for d in graph.get_import_details(importer=a, imported=b)}))
        for a in graph.modules
        for b in graph.find_modules_directly_imported_by(a)
    }
    assert set(graph.modules) == set(case.graph.modules)
    assert {m for m in graph.modules if graph.is_module_squashed(m)} == set(case.graph.squashed)
    assert ours == case.graph.edges
    assert case.graph.edges, "a tree without imports tests nothing"


# ---------------------------------------------------------------------------------------------
# 1. Verdicts
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", IMPORTLINTER_CASES)
def test_verdict_matches_import_linter(world, name):
    case = world[name]
    contracts = il_contracts(case)
    assert [c.id for c in case.config.contracts] == list(contracts)
    mismatches = []
    for cid, runs in contracts.items():
        statuses = {run["status"] for run in runs}
        assert len(statuses) == 1, f"import-linter's verdict on {cid} varies with the hash seed"
        [expected] = statuses
        result = case.result(cid)
        actual = our_status(result)
        if actual != expected:
            mismatches.append((cid, expected, actual, runs[0].get("error")))
        elif expected != "error":
            # Unmatched ignore_imports with alerting "warn": the same number of warnings.
            ours = [w for w in result.warnings if "matched no import" in w]
            if len(ours) != len(runs[0]["warnings"]):
                mismatches.append((cid, "warnings", runs[0]["warnings"], ours))
    assert not mismatches, pformat(mismatches)


@pytest.mark.parametrize("name", CLOSED_CASES)
def test_closed_layers_verdict_matches_grimp(world, name):
    case = world[name]
    mismatches = []
    for spec in case.config.contracts:
        statuses = {run[spec.id]["status"] for run in case.oracle_runs}
        assert len(statuses) == 1
        [expected] = statuses
        actual = our_status(case.result(spec.id))
        if actual != expected:
            mismatches.append((spec.id, expected, actual))
    assert not mismatches, pformat(mismatches)


# ---------------------------------------------------------------------------------------------
# 2. Coverage: every chain the oracle reports is found
# ---------------------------------------------------------------------------------------------


def _uncovered_chains(case: Case, spec, result: ContractResult, chains: list[dict]) -> list[support.Problem]:
    graph, _ = ref_graph_for(case, spec)
    ours = first_hops(result)
    uncovered: list[support.Problem] = []
    for item in chains:
        chain = item["chain"]
        if spec.type_name == "forbidden":
            source_side = support.forbidden_source_side(graph, spec, item["imported"])
            forbidden_side = graph.package(item["imported"]) if spec.as_packages else {item["imported"]}
        else:
            source_side = graph.package(item["importer"])
            forbidden_side = graph.package(item["imported"])
        trimmed = support.trim_chain(chain, source_side, forbidden_side)
        found = ours.get((trimmed[0], trimmed[1]))
        if not found:
            uncovered.append(("missing", chain, trimmed))
        elif any(len(support.our_chain(v)) > len(trimmed) for v in found):
            uncovered.append(("longer", chain, trimmed, support.our_chain(found[0])))
    return uncovered


@pytest.mark.parametrize("name", IMPORTLINTER_CASES)
def test_every_import_linter_chain_is_found(world, name):
    case = world[name]
    checked = 0
    problems = {}
    for cid, runs in il_contracts(case).items():
        spec = case.config.contract(cid)
        result = case.result(cid)
        if runs[0]["status"] == "error":
            continue
        if spec.type_name in ("forbidden", "layers", "independence"):
            chains = [item for run in runs for item in run["chains"]]
            checked += len(chains)
            uncovered = _uncovered_chains(case, spec, result, chains)
            if uncovered:
                problems[cid] = uncovered
        if spec.type_name == "layers":
            undeclared = {v.importer for v in result.violations if v.code == UNDECLARED}
            for run in runs:
                if set(run["undeclared"]) != undeclared:
                    problems.setdefault(cid, []).append(("undeclared", run["undeclared"], sorted(undeclared)))
            checked += len(undeclared)
        if spec.type_name == "protected":
            ours = {(v.importer, v.chain[0].imported) for v in result.violations}
            for run in runs:
                if {tuple(link) for link in run["links"]} != ours:
                    problems.setdefault(cid, []).append(("links", run["links"], sorted(ours)))
            checked += len(ours)
        if spec.type_name == "acyclic_siblings":
            ours = set(first_hops(result))
            for run in runs:
                breakers = {tuple(pair) for pairs in run["cycle_breakers"].values() for pair in pairs}
                checked += len(breakers)
                if not breakers <= ours:
                    problems.setdefault(cid, []).append(("breakers", sorted(breakers - ours)))
    assert not problems, pformat(problems)
    assert checked, "no chain to compare: the tree tests nothing"


@pytest.mark.parametrize("name", CLOSED_CASES)
def test_every_grimp_closed_layer_chain_is_found(world, name):
    case = world[name]
    problems = {}
    for spec in case.config.contracts:
        chains = [item for run in case.oracle_runs for item in run[spec.id]["chains"]]
        uncovered = _uncovered_chains(case, spec, case.result(spec.id), chains)
        if uncovered:
            problems[spec.id] = uncovered
    assert not problems, pformat(problems)


# ---------------------------------------------------------------------------------------------
# 3. Exactness: the reference's first hops, once per import line, nearest end, first chain
# ---------------------------------------------------------------------------------------------


def _reference_problems(case: Case, spec, result: ContractResult) -> list[support.Problem]:
    graph, unmatched = ref_graph_for(case, spec)
    problems: list[support.Problem] = []
    if spec.type_name in ("forbidden", "layers", "independence"):
        if spec.type_name == "forbidden":
            parts = support.forbidden_parts(graph, spec, case.config.root_packages)
        elif spec.type_name == "layers":
            parts = support.layers_parts(graph, spec)
        else:
            parts = support.independence_parts(graph, spec)
        expected = support.reference_chain_violations(graph, parts)
        ours = first_hops(result)
        if set(ours) != set(expected):
            problems.append(
                ("first hops", sorted(set(expected) - set(ours)), sorted(set(ours) - set(expected)))
            )
        for hop in sorted(set(ours) & set(expected)):
            ref = expected[hop]
            for v in ours[hop]:
                if support.our_chain(v) != ref.chain or v.code != ref.code:
                    problems.append(("chain", hop, support.our_chain(v), v.code, ref.chain, ref.code))
            problems.extend(
                support.statement_problems(graph, hop, ours[hop], case.config.root, case.source_root)
            )
        if spec.type_name == "layers":
            undeclared = {v.importer for v in result.violations if v.code == UNDECLARED}
            if undeclared != support.undeclared_layers(graph, spec):
                problems.append(
                    ("undeclared", sorted(undeclared), sorted(support.undeclared_layers(graph, spec)))
                )
    elif spec.type_name == "protected":
        ours = first_hops(result)
        expected_links = support.protected_links(graph, spec)
        if set(ours) != expected_links:
            problems.append(("links", sorted(expected_links - set(ours)), sorted(set(ours) - expected_links)))
        for hop, violations in ours.items():
            problems.extend(
                support.statement_problems(graph, hop, violations, case.config.root, case.source_root)
            )
            problems.extend(("code", v.code) for v in violations if v.code != "BND131" or len(v.chain) != 1)
    elif spec.type_name == "acyclic_siblings":
        ours = first_hops(result)
        expected_cycles = support.acyclic_imports(graph, spec)
        if set(ours) != expected_cycles:
            problems.append(
                ("cycle imports", sorted(expected_cycles - set(ours)), sorted(set(ours) - expected_cycles))
            )
        for hop, violations in ours.items():
            problems.extend(
                support.statement_problems(graph, hop, violations, case.config.root, case.source_root)
            )
            problems.extend(("code", v.code) for v in violations if v.code != "BND141" or len(v.chain) != 1)
    # ignore_imports that match nothing: an error, a warning or nothing, as configured.
    level = spec.unmatched_ignore_imports_alerting.value
    errors = [e for e in result.errors if "matched no import" in e.message]
    warnings = [w for w in result.warnings if "matched no import" in w]
    expected_counts = {
        "error": (len(unmatched), 0),
        "warn": (0, len(unmatched)),
        "none": (0, 0),
    }[level]
    if (len(errors), len(warnings)) != expected_counts:
        problems.append(("unmatched", unmatched, level, errors, warnings))
    return problems


@pytest.mark.parametrize("name", IMPORTLINTER_CASES + CLOSED_CASES)
def test_exactly_the_reference_violations(world, name):
    case = world[name]
    problems: dict[str, list[support.Problem]] = {}
    for spec in case.config.contracts:
        result = case.result(spec.id)
        if any("does not exist" in e.message or "not in the root" in e.message for e in result.errors):
            problems[spec.id] = [("contract error", [e.message for e in result.errors])]
            continue
        found = _reference_problems(case, spec, result)
        if found:
            problems[spec.id] = found
    assert not problems, pformat(problems)


def test_the_trees_exercise_every_contract_type_and_option(world):
    """Guard against trees that silently stop testing something: each option appears in a
    contract that import-linter (or grimp) finds broken, and in one it finds kept."""
    seen: dict[str, set[str]] = {}
    for case in world.values():
        for spec in case.config.contracts:
            result = case.result(spec.id)
            status = our_status(result)
            features = {spec.type_name}
            if spec.ignore_imports:
                features.add(f"ignore_imports:{spec.unmatched_ignore_imports_alerting.value}")
            if any("*" in i for i in spec.ignore_imports):
                features.add("ignore_imports wildcard")
            if spec.type_name == "forbidden":
                features |= {
                    f"as_packages={spec.as_packages}",
                    f"allow_indirect={spec.allow_indirect_imports}",
                }
                if any("*" in m for m in (*spec.source_modules, *spec.forbidden_modules)):
                    features.add("forbidden wildcard")
            if spec.type_name == "layers":
                if spec.containers:
                    features.add("containers")
                if spec.exhaustive:
                    features.add("exhaustive" + (" ignores" if spec.exhaustive_ignores else ""))
                if any(len(layer.modules) > 1 and layer.independent for layer in spec.layers):
                    features.add("| siblings")
                if any(not layer.independent for layer in spec.layers):
                    features.add(": siblings")
                if any(m.optional for layer in spec.layers for m in layer.modules):
                    features.add("optional layer")
                if any(layer.closed for layer in spec.layers):
                    features.add("closed_layers")
            if spec.type_name == "protected":
                features.add(f"protected as_packages={spec.as_packages}")
            if spec.type_name == "acyclic_siblings":
                if spec.skip_descendants:
                    features.add("skip_descendants")
                features.add(f"depth={spec.depth}")
            if case.config.include_external_packages:
                features.add("include_external_packages")
            if case.config.exclude_type_checking_imports:
                features.add("exclude_type_checking_imports")
            for feature in features:
                seen.setdefault(feature, set()).add(status)
    required = [
        "forbidden",
        "layers",
        "independence",
        "protected",
        "acyclic_siblings",
        "as_packages=False",
        "allow_indirect=True",
        "forbidden wildcard",
        "containers",
        "exhaustive",
        "exhaustive ignores",
        "| siblings",
        ": siblings",
        "optional layer",
        "closed_layers",
        "protected as_packages=False",
        "skip_descendants",
        "depth=0",
        "depth=1",
        "ignore_imports:error",
        "ignore_imports:warn",
        "ignore_imports:none",
        "ignore_imports wildcard",
        "include_external_packages",
        "exclude_type_checking_imports",
    ]
    missing = [f for f in required if "broken" not in seen.get(f, set())]
    assert not missing
    for kept_too in ("forbidden", "layers", "independence", "protected", "acyclic_siblings", "closed_layers"):
        assert "kept" in seen[kept_too], kept_too
    assert "error" in seen["ignore_imports:error"]


# ---------------------------------------------------------------------------------------------
# Both command lines, and determinism
# ---------------------------------------------------------------------------------------------


CLI_CASES = [(tree, config) for _, tree, config in COMMITTED + COMMITTED_CLOSED]


def _boundary_lint(config: Path, hash_seed: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONHASHSEED=hash_seed)
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "boundary_lint",
            "check",
            "--config",
            str(config),
            "--format",
            "json",
            "--no-cache",
        ],
        cwd=config.parent,
        env=env,
        capture_output=True,
        timeout=120,
    )


@pytest.mark.parametrize("tree,config", CLI_CASES)
def test_cli_json_is_deterministic_and_matches_the_engine(world, tree, config):
    path = TREES / tree / config
    first, second = _boundary_lint(path, "1"), _boundary_lint(path, "2")
    assert first.returncode in (0, 1), first.stderr.decode()
    assert (first.returncode, first.stdout) == (second.returncode, second.stdout)
    data = json.loads(first.stdout)
    [case] = [c for c in world.values() if c.config_path == path]
    report = case.report
    assert first.returncode == (0 if report.kept else 1)
    assert data["kept"] == report.kept
    expected = [
        (
            c.id,
            c.kept,
            [
                (
                    v.code,
                    v.importer,
                    v.imported,
                    v.path,
                    v.line,
                    v.column,
                    [(h.importer, h.imported, h.path, h.line, list(h.lines)) for h in v.chain],
                )
                for v in c.violations
            ],
        )
        for c in report.contracts
    ]
    actual = [
        (
            c["id"],
            c["kept"],
            [
                (
                    v["code"],
                    v["importer"],
                    v["imported"],
                    v["path"],
                    v["line"],
                    v["column"],
                    [(h["importer"], h["imported"], h["path"], h["line"], h["lines"]) for h in v["chain"]],
                )
                for v in c["violations"]
            ],
        )
        for c in data["contracts"]
    ]
    assert actual == expected
    assert any(c["violations"] for c in data["contracts"])


def _lint_imports_command() -> list[str]:
    found = shutil.which("lint-imports")
    if found:
        return [found]
    return [
        sys.executable,
        "-c",
        "import sys; from importlinter.cli import lint_imports_command as c; sys.exit(c())",
    ]


@pytest.mark.parametrize("tree,config", [(t, c) for _, t, c in COMMITTED])
def test_lint_imports_command_line_agrees(world, tree, config):
    """The lint-imports command itself (not only its API): the same overall exit status, and,
    where it gets as far as listing contracts, the same KEPT / BROKEN for each."""
    path = TREES / tree / config
    env = dict(os.environ, COLUMNS="400", NO_COLOR="1")
    completed = subprocess.run(
        [*_lint_imports_command(), "--config", str(path), "--no-cache", "--no-logo"],
        cwd=path.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    [case] = [c for c in world.values() if c.config_path == path]
    assert completed.returncode in (0, 1), completed.stderr
    assert (completed.returncode == 0) == case.report.kept
    listed = dict(re.findall(r"^(.+?) (KEPT|BROKEN)\b", completed.stdout, flags=re.MULTILINE))
    statuses = {c.name: our_status(c) for c in case.report.contracts}
    if "error" in statuses.values():
        assert not listed  # import-linter stops at the first error, before listing anything
        return
    assert listed == {name: status.upper() for name, status in statuses.items()}
