"""Differential property tests: hypothesis generates package trees and contracts; boundary-lint
must agree with import-linter 2.16 (and, for closed layers, which import-linter lacks, with
grimp's ``find_illegal_dependencies_for_layers``) and with the brute-force reference of
tests/differential_support.py.

Each example is a fresh tree in a temporary directory: one or two root packages, nested
subpackages, imports in every form (absolute, ``from``, relative at several levels, aliased,
parenthesised over several lines, star, attributes, several per statement, missing modules,
external packages), at module level, inside functions and classes, under ``if TYPE_CHECKING:``,
cycles included; and contracts of every type with every option (forbidden with as_packages,
allow_indirect_imports and wildcards; layers with containers, ``|`` and ``:`` siblings,
optional layers, exhaustive and exhaustive_ignores, closed_layers; independence; protected;
acyclic_siblings with depth and skip_descendants; ignore_imports with wildcards and every
alerting level), written as import-linter's own configuration file (closed layers: ours).

For every contract:

1. the verdict (kept / broken / error) is import-linter's (grimp's for closed layers), and so is
   the number of warnings about unmatched ignore_imports;
2. every chain the oracle reports is covered by one of our violations (the coverage rule of
   differential_support.uncovered_chains); protected: the same illegal links; acyclic siblings:
   every cycle breaker is one of ours; exhaustive layers: the same undeclared modules;
3. our first hops, chains, codes, lines and paths are exactly the brute-force reference's
   (differential_support.reference_problems);

and the import graph we build is grimp's.

import-linter runs in one long-lived subprocess (differential_support.OracleServer), so a job
costs what import-linter costs, and the trees' directories never go on this process's sys.path.

Profiles (tests/hypothesis_profiles.py): ``default`` (derandomized, CI) and ``long``:
``BOUNDARY_LINT_HYPOTHESIS_PROFILE=long python -m pytest tests/test_properties.py``.
"""

from __future__ import annotations

import itertools
import shutil
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from pprint import pformat

import differential_support as support
import pytest
from hypothesis import given, note
from hypothesis import strategies as st
from hypothesis_profiles import ENV_VAR, profile, profile_name

from boundary_lint.config import LayersSpec, load_config
from boundary_lint.engine import CheckOptions, check_graph, load_graph, locate
from boundary_lint.graph.builder import build_project_graph

DEFAULT_EXAMPLES = 1000
LONG_EXAMPLES = 10000

ROOTS = ("hypa", "hypb")
# Child names repeat across packages, so that layers in containers have something to match.
NAMES = ("a", "b", "c", "d", "e")
EXTERNALS = ("extone", "exttwo")
MAX_DEPTH = 3  # levels below a root package


# ---------------------------------------------------------------------------------------------
# Trees
# ---------------------------------------------------------------------------------------------


@dataclass
class Tree:
    roots: tuple[str, ...]
    modules: dict[str, bool]  # name -> is a package
    bodies: dict[str, list[str]] = field(default_factory=dict)
    include_external: bool = False
    exclude_type_checking: bool = False

    @property
    def names(self) -> list[str]:
        return sorted(self.modules)

    @property
    def packages(self) -> list[str]:
        return sorted(m for m, is_package in self.modules.items() if is_package)

    def path_of(self, module: str) -> str:
        parts = module.split(".")
        return "/".join(parts) + ("/__init__.py" if self.modules[module] else ".py")


def _parent(module: str) -> str:
    return module.rpartition(".")[0]


def _relative_forms(importer: str, is_package: bool, target: str) -> list[str]:
    """Every relative spelling of an import of ``target`` from ``importer``."""
    own = importer if is_package else _parent(importer)
    forms = []
    base = own
    level = 1
    while base:
        if target.startswith(base + "."):
            rest = target[len(base) + 1 :]
            head, _, last = rest.rpartition(".")
            forms.append(f"from {'.' * level}{head} import {last}")
            if head:
                forms.append(f"from {'.' * level}{rest} import VALUE")
        elif target == base and level > 1:
            # ``from .. import X`` names the package ``base`` when X is not a submodule.
            forms.append(f"from {'.' * level} import VALUE")
        base = _parent(base)
        level += 1
    return forms


@st.composite
def import_statements(draw, tree: Tree, importer: str) -> str:
    internal = tree.names
    kind = draw(st.integers(0, 19))
    if kind <= 16:
        target = draw(st.sampled_from(internal))
    elif kind == 17:  # a module that does not exist
        target = f"{draw(st.sampled_from(tree.packages))}.zz"
    else:  # an external package (a squashed node with include_external_packages)
        target = draw(st.sampled_from(EXTERNALS + ("exttwo.sub", "typing")))
    parent, _, last = target.rpartition(".")
    forms = [f"import {target}", f"import {target} as alias_{last}", f"from {target} import VALUE"]
    if parent:
        forms += [
            f"from {parent} import {last}",
            f"from {parent} import {last} as other",
            f"from {parent} import (\n    {last},\n    VALUE,\n)",
            f"from {parent} import *",
        ]
    forms += [f"import {target}, {draw(st.sampled_from(internal))}"]
    if target in tree.modules:
        forms += _relative_forms(importer, tree.modules[importer], target) * 2
    return draw(st.sampled_from(forms))


def _place(statement: str, where: int) -> list[str]:
    indented = ["    " + line for line in statement.splitlines()]
    if where == 0:
        return statement.splitlines()
    if where == 1:
        return ["def late():", *indented, "    return None"]
    if where == 2:
        return ["from typing import TYPE_CHECKING", "", "if TYPE_CHECKING:", *indented]
    if where == 3:
        return ["import typing", "if typing.TYPE_CHECKING:", *indented, "else:", "    pass"]
    if where == 4:
        return ["try:", *indented, "except ImportError:", "    pass"]
    if where == 5:
        return ["class Holder:", *indented]
    return ["def outer():", "    def inner():", *["    " + line for line in indented], "    return inner"]


@st.composite
def trees(draw) -> Tree:
    roots = ROOTS[: draw(st.sampled_from([1, 1, 2]))]
    modules: dict[str, bool] = {root: True for root in roots}
    for _ in range(draw(st.integers(2, 13))):
        parents = [p for p, is_package in sorted(modules.items()) if is_package and p.count(".") < MAX_DEPTH]
        parent = draw(st.sampled_from(parents))
        free = [n for n in NAMES if f"{parent}.{n}" not in modules]
        if not free:
            continue
        modules[f"{parent}.{draw(st.sampled_from(free))}"] = draw(st.booleans())
    tree = Tree(
        roots,
        modules,
        include_external=draw(st.integers(0, 2)) == 0,
        exclude_type_checking=draw(st.integers(0, 3)) == 0,
    )
    for importer in tree.names:
        lines: list[str] = []
        if draw(st.integers(0, 4)) == 0:
            lines += ['"""A docstring', 'over two lines."""', ""]
        for _ in range(draw(st.sampled_from([0, 1, 2, 2, 3, 3, 4, 5]))):
            statement = draw(import_statements(tree, importer))
            lines += _place(statement, draw(st.sampled_from([0, 0, 0, 0, 1, 2, 3, 4, 5, 6])))
            if draw(st.integers(0, 9)) == 0:  # the same import again, further down
                lines += ["", statement]
        lines.append("VALUE = 1")
        tree.bodies[importer] = lines
    # Often a cycle between two siblings (for acyclic_siblings, and chains both ways).
    siblings = [(a, b) for a in tree.names for b in tree.names if a < b and _parent(a) == _parent(b) != ""]
    if siblings and draw(st.booleans()):
        a, b = draw(st.sampled_from(siblings))
        tree.bodies[a].insert(0, f"import {b}")
        tree.bodies[b].append(f"from {_parent(a)} import {a.rpartition('.')[2]}")
    return tree


# ---------------------------------------------------------------------------------------------
# Contracts
# ---------------------------------------------------------------------------------------------


@st.composite
def module_expressions(draw, tree: Tree, packages_only: bool = False) -> str:
    """A module name or a wildcard expression over the tree; rarely one that names nothing.
    Mostly below the root packages: a root overlaps every other module, which makes most
    contracts invalid (import-linter refuses modules that share descendants)."""
    names = tree.packages if packages_only else tree.names
    below = [n for n in names if "." in n]
    module = draw(st.sampled_from(below if below and draw(st.integers(0, 5)) else names))
    parts = module.split(".")
    kind = draw(st.integers(0, 29))
    if kind <= 19:
        return module
    if kind <= 21:
        return f"{module}.*"
    if kind == 22:
        return f"{module}.**"
    if kind <= 25 and len(parts) > 1:  # a middle or the last part as a wildcard
        index = draw(st.integers(1, len(parts) - 1))
        return ".".join(parts[:index] + [draw(st.sampled_from(["*", "**"]))] + parts[index + 1 :])
    if kind <= 27 and len(parts) > 1:
        return f"{parts[0]}.**.{parts[-1]}"
    if kind == 28:
        return f"{module}.zz"  # does not exist
    return f"{module}.*"


def _distinct(draw, strategy, low: int, high: int) -> list[str]:
    return draw(st.lists(strategy, min_size=low, max_size=high, unique=True))


@st.composite
def ignore_options(draw, tree: Tree, edges: list[tuple[str, str]]) -> dict:
    """ignore_imports: mostly imports that exist (as they are, or wildcarded), sometimes an
    expression that matches nothing; and an alerting level."""
    expressions = []
    for _ in range(draw(st.sampled_from([0, 0, 0, 1, 1, 2]))):
        kind = draw(st.integers(0, 9))
        if edges and kind <= 6:
            importer, imported = draw(st.sampled_from(edges))
            if kind >= 4:  # wildcard the last part of each side
                importer = _parent(importer) + ".*" if "." in importer else importer
                imported = _parent(imported) + ".**" if "." in imported else imported
            expressions.append(f"{importer} -> {imported}")
        elif kind <= 8:
            expressions.append(f"{draw(module_expressions(tree))} -> {draw(module_expressions(tree))}")
        else:
            expressions.append(f"{tree.roots[0]}.zz -> {tree.roots[0]}")  # matches nothing
    options: dict = {}
    if expressions:
        options["ignore_imports"] = sorted(set(expressions))
        level = draw(st.sampled_from([None, "none", "warn", "warn", "error"]))
        if level:
            options["unmatched_ignore_imports_alerting"] = level
    return options


@st.composite
def forbidden_contracts(draw, tree: Tree) -> dict:
    forbidden = _distinct(draw, module_expressions(tree), 1, 3)
    # External packages can be forbidden only with include_external_packages (else an error).
    if draw(st.integers(0, 2 if tree.include_external else 14)) == 0:
        forbidden.append(draw(st.sampled_from(EXTERNALS + EXTERNALS + ("typing", "extnever"))))
    options = {
        "type": "forbidden",
        "source_modules": _distinct(draw, module_expressions(tree), 1, 3),
        "forbidden_modules": sorted(set(forbidden)),
    }
    for key in ("as_packages", "allow_indirect_imports"):
        value = draw(st.sampled_from([None, True, False]))
        if value is not None:
            options[key] = value
    return options


def _layer_line(draw, names: list[str], existing: set[str]) -> str:
    parts = []
    for name in names:
        # A layer that does not exist is mostly optional (else the contract is an error).
        optional = draw(st.integers(0, 5)) == 0 or (name not in existing and draw(st.integers(0, 9)) > 0)
        parts.append(f"({name})" if optional else name)
    return f" {draw(st.sampled_from(['|', ':']))} ".join(parts)


@st.composite
def layers_contracts(draw, tree: Tree, closed: bool = False) -> dict:
    def children(package: str) -> set[str]:
        return {m.rpartition(".")[2] for m in tree.modules if _parent(m) == package}

    parents = [p for p in tree.packages if len(children(p)) >= 2]
    containers: list[str] = []
    if parents and draw(st.booleans()):
        if closed:  # the grimp oracle takes container names, not expressions
            containers = _distinct(draw, st.sampled_from(parents), 1, 2)
        else:
            containers = _distinct(
                draw, st.one_of(st.sampled_from(parents), module_expressions(tree, True)), 1, 2
            )
        matched = [p for p in tree.packages if any(support.expression_regex(c).match(p) for c in containers)]
        present = set().union(set(), *(children(p) for p in matched))
        candidates = sorted(present) or list(NAMES)
        # A layer missing from a container must be optional, or the contract is an error.
        existing = {n for n in NAMES if matched and all(f"{p}.{n}" in tree.modules for p in matched)}
    else:
        candidates = [n for n in tree.names if "." in n] or tree.names
        if parents and draw(st.integers(0, 3)):  # mostly siblings (nested layers overlap: an error)
            parent = draw(st.sampled_from(parents))
            candidates = [n for n in tree.names if _parent(n) == parent]
        existing = set(tree.names)
    if draw(st.integers(0, 4)) == 0:
        candidates = candidates + ([f"{tree.roots[0]}.zz"] if not containers else ["zz"])
    chosen = draw(
        st.lists(st.sampled_from(candidates), min_size=min(2, len(candidates)), max_size=6, unique=True)
    )
    lines: list[list[str]] = []
    rest = list(chosen)
    while rest:
        size = draw(st.integers(1, min(3, len(rest) - 1 if len(rest) > 1 and not lines else len(rest))))
        lines.append(rest[:size])
        rest = rest[size:]
    options: dict = {"type": "layers", "layers": [_layer_line(draw, line, existing) for line in lines]}
    if containers:
        options["containers"] = containers
        if not closed and draw(st.booleans()):
            options["exhaustive"] = True
            ignores = draw(st.lists(st.sampled_from(NAMES), max_size=2, unique=True))
            if ignores:
                options["exhaustive_ignores"] = ignores
    if closed:
        tails = [n for line in lines for n in line]
        options["closed_layers"] = draw(st.lists(st.sampled_from(tails), min_size=1, max_size=2, unique=True))
    return options


@st.composite
def independence_contracts(draw, tree: Tree) -> dict:
    return {"type": "independence", "modules": _distinct(draw, module_expressions(tree), 1, 4)}


@st.composite
def protected_contracts(draw, tree: Tree) -> dict:
    options = {
        "type": "protected",
        "protected_modules": _distinct(draw, module_expressions(tree), 1, 2),
        "allowed_importers": _distinct(draw, module_expressions(tree), 1, 2),
    }
    value = draw(st.sampled_from([None, True, False]))
    if value is not None:
        options["as_packages"] = value
    return options


@st.composite
def acyclic_contracts(draw, tree: Tree) -> dict:
    parents = [p for p in tree.packages if sum(_parent(m) == p for m in tree.modules) >= 2]
    if draw(st.integers(0, 4)):
        ancestors = _distinct(draw, st.sampled_from(parents or tree.packages), 1, 2)
    else:
        ancestors = _distinct(draw, module_expressions(tree, packages_only=True), 1, 2)
    options: dict = {"type": "acyclic_siblings", "ancestors": ancestors}
    depth = draw(st.sampled_from([None, 0, 1, 2, 3]))
    if depth is not None:
        options["depth"] = depth
    deeper = [p for p in tree.packages if p.count(".") >= 1 and p not in ancestors]
    if deeper and draw(st.booleans()):
        options["skip_descendants"] = draw(
            st.lists(st.sampled_from(deeper), min_size=1, max_size=2, unique=True)
        )
    return options


@st.composite
def contract_sets(draw, tree: Tree, edges: list[tuple[str, str]]) -> tuple[list[dict], list[dict]]:
    """(import-linter contracts, closed-layers contracts); ``edges`` are the tree's imports."""
    kinds = {
        "forbidden": forbidden_contracts(tree),
        "layers": layers_contracts(tree),
        "independence": independence_contracts(tree),
        "protected": protected_contracts(tree),
        "acyclic_siblings": acyclic_contracts(tree),
    }
    chosen = draw(st.lists(st.sampled_from(sorted(kinds)), min_size=1, max_size=4))
    contracts = []
    for kind in chosen:
        options = draw(kinds[kind])
        options.update(draw(ignore_options(tree, edges)))
        contracts.append(options)
    closed = []
    if draw(st.integers(0, 2)) == 0:
        options = draw(layers_contracts(tree, closed=True))
        options.update(draw(ignore_options(tree, edges)))
        closed.append(options)
    return contracts, closed


# ---------------------------------------------------------------------------------------------
# Writing an example
# ---------------------------------------------------------------------------------------------


def _ini_value(value) -> str:
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, list):
        return "".join(f"\n    {item}" for item in value)
    return str(value)


def importlinter_ini(tree: Tree, contracts: list[dict]) -> str:
    lines = ["[importlinter]", "root_packages =" + _ini_value(list(tree.roots))]
    if tree.include_external:
        lines.append("include_external_packages = True")
    if tree.exclude_type_checking:
        lines.append("exclude_type_checking_imports = True")
    for index, options in enumerate(contracts):
        lines += ["", f"[importlinter:contract:c{index}]", f"name = contract {index}"]
        lines += [f"{key} = {_ini_value(value)}" for key, value in options.items()]
    return "\n".join(lines) + "\n"


def _toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, int):
        return str(value)
    return '"' + str(value) + '"'


def closed_toml(tree: Tree, contracts: list[dict]) -> str:
    lines = [
        f"root_packages = {_toml_value(list(tree.roots))}",
        f"include_external_packages = {_toml_value(tree.include_external)}",
        f"exclude_type_checking_imports = {_toml_value(tree.exclude_type_checking)}",
        "cache_dir = false",
    ]
    for index, options in enumerate(contracts):
        lines += ["", "[[contracts]]", f'id = "closed{index}"']
        lines += [f"{key} = {_toml_value(value)}" for key, value in options.items()]
    return "\n".join(lines) + "\n"


def write_tree(directory: Path, tree: Tree) -> None:
    for module in tree.names:
        path = directory / tree.path_of(module)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(tree.bodies[module]) + "\n", encoding="utf-8")


def tree_edges(directory: Path, tree: Tree) -> list[tuple[str, str]]:
    """The tree's direct imports, from the graph (for ignore_imports that match something)."""
    project = build_project_graph(
        tree.roots,
        (directory,),
        include_external_packages=tree.include_external,
        exclude_type_checking_imports=tree.exclude_type_checking,
    )
    graph = project.graph
    return sorted((a, b) for a in graph.modules for b in graph.find_modules_directly_imported_by(a))


def write_configs(directory: Path, tree: Tree, contracts: list[dict], closed: list[dict]) -> dict[str, Path]:
    files = {"importlinter": directory / ".importlinter"}
    files["importlinter"].write_text(importlinter_ini(tree, contracts), encoding="utf-8")
    if closed:
        files["closed"] = directory / "closed.toml"
        files["closed"].write_text(closed_toml(tree, closed), encoding="utf-8")
    return files


def describe(directory: Path, files: dict[str, Path]) -> str:
    """The whole example as text, for the failure report."""
    out = []
    for path in sorted(directory.rglob("*")):
        if path.is_file():
            out.append(f"--- {path.relative_to(directory)}\n{path.read_text(encoding='utf-8')}")
    return "\n".join(out)


# ---------------------------------------------------------------------------------------------
# Checking an example
# ---------------------------------------------------------------------------------------------


FEATURES: dict[str, Counter[str]] = {}


def _record(spec, status: str, config) -> None:
    features = {spec.type_name}
    if spec.ignore_imports:
        features.add(f"ignore_imports:{spec.unmatched_ignore_imports_alerting.value}")
        if any("*" in i for i in spec.ignore_imports):
            features.add("ignore_imports wildcard")
    if spec.type_name == "forbidden":
        features |= {f"as_packages={spec.as_packages}", f"allow_indirect={spec.allow_indirect_imports}"}
        if any("*" in m for m in (*spec.source_modules, *spec.forbidden_modules)):
            features.add("forbidden wildcard")
        if any(m.split(".")[0] not in config.root_packages for m in spec.forbidden_modules):
            features.add("forbidden external")
    if spec.type_name == "layers":
        if spec.containers:
            features.add("containers")
        if spec.exhaustive:
            features.add("exhaustive")
        if spec.exhaustive_ignores:
            features.add("exhaustive_ignores")
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
        features.add(f"depth={spec.depth}")
        if spec.skip_descendants:
            features.add("skip_descendants")
    if config.include_external_packages:
        features.add("include_external_packages")
    if config.exclude_type_checking_imports:
        features.add("exclude_type_checking_imports")
    for feature in features:
        FEATURES.setdefault(feature, Counter())[status] += 1


def check_example(oracle: support.OracleServer, files: dict[str, Path]) -> dict:
    """Every difference found, by contract id (empty: none)."""
    problems: dict = {}
    directory = files["importlinter"].parent
    config = load_config(files["importlinter"])
    options = CheckOptions(use_cache=False)
    project = load_graph(config, options)
    report = check_graph(config, project, config.contracts, options)
    answer = oracle.run({"mode": "importlinter", "dir": str(directory), "config": str(files["importlinter"])})
    graph = support.RefGraph.from_dump(answer["graph"])
    problems.update(_graph_problems(project.graph, graph))
    [source_root] = {root for package in locate(config) for root in package.import_roots}
    for spec in config.contracts:
        result = next(c for c in report.contracts if c.id == spec.id)
        entry = answer["contracts"][spec.id]
        status = support.our_status(result)
        _record(spec, status, config)
        found: list[support.Problem] = []
        if status != entry["status"]:
            found.append(
                ("verdict", entry["status"], status, entry.get("error"), [e.message for e in result.errors])
            )
        elif status != "error":
            ours = [w for w in result.warnings if "matched no import" in w]
            if len(ours) != len(entry["warnings"]):
                found.append(("warnings", entry["warnings"], ours))
            ignored, _ = graph.without(spec.ignore_imports)
            found += support.importlinter_problems(ignored, spec, result, entry)
            found += support.reference_problems(graph, spec, result, config.root, source_root)
        if found:
            problems[spec.id] = found
    if "closed" in files:
        closed_config = load_config(files["closed"])
        closed_report = check_graph(closed_config, project, closed_config.contracts, options)
        for spec in closed_config.contracts:
            result = next(c for c in closed_report.contracts if c.id == spec.id)
            status = support.our_status(result)
            _record(spec, status, closed_config)
            found = []
            if any("does not exist" in e.message for e in result.errors):
                # A required layer missing: import-linter would refuse the contract; grimp,
                # which does not validate, has no verdict to compare.
                continue
            assert isinstance(spec, LayersSpec)  # the closed files hold layers contracts only
            entry = oracle.run(
                {
                    "mode": "grimp_layers",
                    "dir": str(directory),
                    "roots": list(closed_config.root_packages),
                    "include_external_packages": closed_config.include_external_packages,
                    "exclude_type_checking_imports": closed_config.exclude_type_checking_imports,
                    "layers": [
                        {
                            "tails": [m.tail for m in layer.modules],
                            "independent": layer.independent,
                            "closed": layer.closed,
                        }
                        for layer in spec.layers
                    ],
                    "containers": sorted(spec.containers),
                    "ignore_imports": list(spec.ignore_imports),
                }
            )
            # grimp knows nothing of unmatched ignore_imports (reference_problems checks them).
            errors = [e.message for e in result.errors if "matched no import" not in e.message]
            if entry["status"] == "error" or errors:
                if not (entry["status"] == "error" and errors):
                    found.append(("verdict", entry["status"], errors, entry.get("error")))
            else:
                verdict = "broken" if result.active_violations else "kept"
                if verdict != entry["status"]:
                    found.append(("verdict", entry["status"], verdict))
                ignored, _ = graph.without(spec.ignore_imports)
                found += support.uncovered_chains(ignored, spec, result, entry["chains"])
                found += support.reference_problems(graph, spec, result, closed_config.root, source_root)
            if found:
                problems[spec.id] = found
    return problems


def _graph_problems(ours, theirs: support.RefGraph) -> dict[str, list[support.Problem]]:
    edges = {
        (a, b): tuple(sorted({d["line_number"] for d in ours.get_import_details(importer=a, imported=b)}))
        for a in ours.modules
        for b in ours.find_modules_directly_imported_by(a)
    }
    found: list[support.Problem] = []
    if set(ours.modules) != set(theirs.modules):
        found.append(("modules", sorted(set(ours.modules) ^ set(theirs.modules))))
    squashed = {m for m in ours.modules if ours.is_module_squashed(m)}
    if squashed != set(theirs.squashed):
        found.append(("squashed", sorted(squashed), sorted(theirs.squashed)))
    if edges != theirs.edges:
        found.append(("edges", sorted(set(edges.items()) ^ set(theirs.edges.items()))))
    return {"<graph>": found} if found else {}


# ---------------------------------------------------------------------------------------------
# The tests
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def oracle() -> Iterator[support.OracleServer]:
    server = support.OracleServer()
    yield server
    server.close()


@pytest.mark.slow
def test_boundary_lint_agrees_with_import_linter_and_the_reference(oracle, tmp_path: Path) -> None:
    counter = itertools.count()
    FEATURES.clear()

    @profile(DEFAULT_EXAMPLES, LONG_EXAMPLES)
    @given(data=st.data())
    def agree(data) -> None:
        tree = data.draw(trees(), label="tree")
        directory = tmp_path / f"example{next(counter)}"
        directory.mkdir()
        try:
            write_tree(directory, tree)
            edges = tree_edges(directory, tree)
            contracts, closed = data.draw(contract_sets(tree, edges), label="contracts")
            files = write_configs(directory, tree, contracts, closed)
            problems = check_example(oracle, files)
            if problems:
                note(describe(directory, files))
            assert not problems, pformat(problems, width=120)
        finally:
            shutil.rmtree(directory)

    agree()
    # Guard against a generator that silently stops testing something: every contract type
    # and option was seen broken, and every type kept, in this run.
    required = [
        "forbidden",
        "layers",
        "independence",
        "protected",
        "acyclic_siblings",
        "as_packages=False",
        "as_packages=True",
        "allow_indirect=True",
        "forbidden wildcard",
        "forbidden external",
        "containers",
        "exhaustive",
        "exhaustive_ignores",
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
    seen = {feature: dict(sorted(counts.items())) for feature, counts in sorted(FEATURES.items())}
    missing = [f for f in required if not FEATURES.get(f, Counter())["broken"]]
    assert not missing, (missing, pformat(seen))
    for kept_too in ("forbidden", "layers", "independence", "protected", "acyclic_siblings", "closed_layers"):
        assert FEATURES[kept_too]["kept"], (kept_too, pformat(seen))
    assert FEATURES["ignore_imports:error"]["error"], pformat(seen)


def test_the_profile_is_chosen_by_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_VAR, "long")
    assert (profile().max_examples, profile().derandomize) == (5000, False)
    monkeypatch.delenv(ENV_VAR)
    assert (profile().max_examples, profile().derandomize) == (200, True)
    monkeypatch.setenv(ENV_VAR, "lng")  # a typo fails loudly rather than running the default
    with pytest.raises(ValueError, match="lng"):
        profile_name()


# ---------------------------------------------------------------------------------------------
# Disagreements the property test found, each as the smallest example (tests/test_properties.py
# shrinks to these): boundary-lint must give import-linter's verdict.
# ---------------------------------------------------------------------------------------------

SMALL_TREE = {
    "hypa/__init__.py": "",
    "hypa/a/__init__.py": "",
    "hypa/a/b.py": "import hypa.c\n",
    "hypa/c.py": "",
}


def _disagreements(oracle: support.OracleServer, directory: Path, contract: str) -> dict:
    for name, text in SMALL_TREE.items():
        path = directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    (directory / ".importlinter").write_text(
        "[importlinter]\nroot_package = hypa\n\n[importlinter:contract:c0]\nname = c0\n" + contract
    )
    return check_example(oracle, {"importlinter": directory / ".importlinter"})


def test_independent_modules_that_share_descendants_are_an_error(oracle, tmp_path: Path) -> None:
    """import-linter (grimp) refuses ``hypa.a`` and ``hypa.a.b`` as independent modules:
    "Modules have shared descendants"; boundary-lint checks the contract."""
    assert not _disagreements(oracle, tmp_path, "type = independence\nmodules =\n    hypa.a\n    hypa.a.b\n")


def test_layers_that_share_descendants_are_an_error(oracle, tmp_path: Path) -> None:
    assert not _disagreements(oracle, tmp_path, "type = layers\nlayers =\n    hypa.a\n    hypa.a.b\n")


def test_a_protected_contract_whose_allowed_importer_does_not_exist(oracle, tmp_path: Path) -> None:
    """import-linter 2.16 stops on an allowed importer that does not exist when as_packages is
    true (ModuleNotPresent); boundary-lint warns and checks the contract."""
    assert not _disagreements(
        oracle, tmp_path, "type = protected\nprotected_modules = hypa.c\nallowed_importers = hypa.zz\n"
    )


def test_layers_whose_containers_match_nothing(oracle, tmp_path: Path) -> None:
    """A containers wildcard that matches no module: import-linter checks the layers in no
    container and keeps the contract; boundary-lint reads the layers as top-level modules and
    reports "layer module 'b' does not exist"."""
    assert not _disagreements(
        oracle, tmp_path, "type = layers\ncontainers = hypa.c.*\nlayers =\n    b\n    c\n"
    )
