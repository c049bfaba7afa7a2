"""Generate a layered Python package tree, with matching contracts, for benchmarks.

    python benchmarks/generate_tree.py OUT_DIR --modules 10000 [--seed 1] [--package bigapp]

Deterministic: the same arguments give byte-identical files (one ``random.Random(seed)``, no
clock, no hashing of ``set`` order). OUT_DIR is emptied first and must not be inside a git work
tree's tracked files (use /tmp or /work/bench-trees). It receives:

    OUT_DIR/<package>/...          the tree: about --modules modules (``__init__`` included)
    OUT_DIR/boundary-lint.toml     native contracts (root_packages, layers, forbidden, independence)
    OUT_DIR/.importlinter          the same contracts for lint-imports
    OUT_DIR/tree-info.json         sizes, seeded violations, and the file benchmarks/run.py edits

The shape (``bigapp`` standing for --package):

    bigapp.interface        layer 1 (highest)     may import everything below and the plugins
    bigapp.application      layer 2
    bigapp.domain           layer 3
    bigapp.infrastructure   layer 4
    bigapp.shared           layer 5 (lowest)
    bigapp.plugins.<name>   independent plugins: import application, domain, shared, compat
    bigapp.compat           in no contract: imports only shared and compat, except a few "leaky"
                            modules that import upwards; they make violations that are only
                            indirect (shared -> compat.leak_x -> interface)

Each section is a tree of nested subpackages (up to 4 levels). Imports are mostly downward, hub
modules are imported much more often than others (Pareto weights), and they come in every form
grimp handles: ``import a.b``, ``import a.b as c``, ``from a import b``, ``from a.b import Name``,
parenthesised multi-line ``from`` imports, relative ``from . import x`` / ``from ..p.q import Name``,
imports inside functions, and under ``if TYPE_CHECKING:``. A few violations are seeded on top:
direct upward imports (some inside functions), upward chains only through compat, core
modules importing plugins directly and indirectly, and plugins importing each other directly
and through compat.

Contracts (both files say the same):
    layers         interface > application > domain > infrastructure > shared (top-level layers
                   of the root package, given as full names; no containers)
    forbidden      sources domain, infrastructure, shared; forbidden plugins
    independence   bigapp.plugins.* (every plugin)
"""

from __future__ import annotations

import argparse
import bisect
import itertools
import json
import random
import shutil
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

LAYERS = ["interface", "application", "domain", "infrastructure", "shared"]  # high -> low
SHARES = {  # fraction of the modules in each section
    "interface": 0.12,
    "application": 0.15,
    "domain": 0.15,
    "infrastructure": 0.13,
    "shared": 0.10,
    "plugins": 0.30,
    "compat": 0.05,
}
PACKAGE_WORDS = (
    "accounts auth billing catalog checkout config core events export imports inventory "
    "jobs ledger mail media metrics notifications orders payments pricing reports search "
    "sessions shipping storage sync tasks tenants users webhooks workflows audit cache "
    "geo i18n quotas ratings recommendations refunds returns schedules subscriptions tags"
).split()
MODULE_WORDS = (
    "api base client commands constants converters decorators entities errors factories "
    "filters forms handlers helpers hooks managers mappers models parsers permissions "
    "policies queries registry repository resources schemas serializers services signals "
    "specs state tasks types utils validators views widgets adapters backends loaders"
).split()
STDLIB = [
    "import os",
    "import sys",
    "import json",
    "import logging",
    "import re",
    "import typing",
    "import functools",
    "import itertools",
    "from collections import defaultdict",
    "from dataclasses import dataclass",
    "from pathlib import Path",
    "import datetime",
]
THIRD_PARTY = ["import requests", "import sqlalchemy", "from pydantic import BaseModel", "import yaml"]


@dataclass
class Module:
    name: str  # dotted
    index: int
    is_package: bool
    section: str
    weight: float
    imports: list[tuple[str, str]] = field(default_factory=list)  # (target, placement)
    extra_lines: list[str] = field(default_factory=list)  # seeded violation statements, verbatim


class Tree:
    def __init__(self, package: str, total: int, rng: random.Random) -> None:
        self.package = package
        self.rng = rng
        self.modules: list[Module] = []
        self.by_name: dict[str, Module] = {}
        self.sections: dict[str, list[Module]] = {}
        self.plugins: list[str] = []
        self._add(package, True, "root")
        budget = total - 3  # root, plugins/__init__, compat's share rounding
        for section, share in SHARES.items():
            count = max(4, round(budget * share))
            prefix = f"{package}.{section}"
            if section == "plugins":
                self._add(prefix, True, section)
                self._plugins(prefix, count - 1)
            else:
                self._subtree(prefix, count, 0, section)
        for section in SHARES:
            self.sections[section] = [m for m in self.modules if m.section == section]
        self._cumulative: dict[str, list[float]] = {
            section: list(itertools.accumulate(m.weight for m in members))
            for section, members in self.sections.items()
        }

    def _add(self, name: str, is_package: bool, section: str) -> Module:
        module = Module(name, len(self.modules), is_package, section, self.rng.paretovariate(1.3))
        self.modules.append(module)
        self.by_name[name] = module
        return module

    def _names(self, words: list[str], count: int, taken: list[str] = ()) -> list[str]:  # type: ignore[assignment]
        names: list[str] = []
        for i in range(count):
            word = words[self.rng.randrange(len(words))]
            names.append(word if word not in names and word not in taken else f"{word}_{i}")
        return names

    def _subtree(self, prefix: str, budget: int, depth: int, section: str) -> None:
        self._add(prefix, True, section)
        budget -= 1
        if budget <= 0:
            return
        if depth >= 3 or budget <= 14:
            leaves, subpackages = budget, 0
        else:
            leaves = min(budget, self.rng.randint(3, 12))
            subpackages = max(1, min(len(PACKAGE_WORDS), (budget - leaves) // 25))
        leaf_names = self._names(MODULE_WORDS, leaves)
        for name in leaf_names:
            self._add(f"{prefix}.{name}", False, section)
        if subpackages:
            remaining = budget - leaves
            cuts = sorted(self.rng.random() for _ in range(subpackages - 1))
            sizes = [round(b * remaining) - round(a * remaining) for a, b in zip([0.0, *cuts], [*cuts, 1.0])]
            for name, size in zip(
                self._names(PACKAGE_WORDS, subpackages, [n + "_p" for n in leaf_names] + leaf_names), sizes
            ):
                if size > 0:
                    self._subtree(f"{prefix}.{name}", size, depth + 1, section)

    def _plugins(self, prefix: str, budget: int) -> None:
        index = 0
        while budget > 0:
            size = min(budget, self.rng.randint(8, 60))
            name = f"{prefix}.{PACKAGE_WORDS[index % len(PACKAGE_WORDS)]}_{index:03d}"
            self.plugins.append(name)
            self._subtree(name, size, 2, "plugins")
            budget -= size
            index += 1

    def pick(self, section: str, exclude_prefix: str | None = None) -> Module:
        members, cumulative = self.sections[section], self._cumulative[section]
        for _ in range(20):
            chosen = members[bisect.bisect(cumulative, self.rng.random() * cumulative[-1])]
            if exclude_prefix is None or not _within(chosen.name, exclude_prefix):
                return chosen
        return members[0]

    def any(self, section: str, exclude_prefix: str | None = None) -> Module:
        """A module of ``section`` chosen uniformly (``pick`` prefers the popular ones)."""
        members = self.sections[section]
        for _ in range(20):
            chosen = members[self.rng.randrange(len(members))]
            if exclude_prefix is None or not _within(chosen.name, exclude_prefix):
                return chosen
        return members[0]

    def quiet(self, section: str, exclude_prefix: str | None = None) -> Module:
        """A module of ``section`` among its least popular fifth (rarely imported)."""
        members = sorted(
            (m for m in self.sections[section] if not m.is_package), key=lambda m: (m.weight, m.index)
        )
        members = members[: max(1, len(members) // 5)]
        for _ in range(20):
            chosen = members[self.rng.randrange(len(members))]
            if exclude_prefix is None or not _within(chosen.name, exclude_prefix):
                return chosen
        return members[0]

    def fresh(self, section: str, name: str) -> Module:
        """A new module that nothing imports, in a random package of ``section``."""
        packages = [m for m in self.sections[section] if m.is_package]
        package = packages[self.rng.randrange(len(packages))]
        return self._add(f"{package.name}.{name}", False, section)

    def plugin_of(self, module: str) -> str | None:
        prefix = f"{self.package}.plugins."
        if not module.startswith(prefix):
            return None
        return prefix + module[len(prefix) :].split(".")[0]

    def children(self, package: str) -> list[Module]:
        if not hasattr(self, "_children"):
            self._children: dict[str, list[Module]] = {}
            for m in self.modules:
                self._children.setdefault(_parent(m.name), []).append(m)
        return self._children.get(package, [])


def _within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def _parent(name: str) -> str:
    return name.rpartition(".")[0]


def plan_imports(tree: Tree) -> None:
    """Ordinary, legal imports: mostly downward, often to the same neighbourhood."""
    rng = tree.rng
    for module in tree.modules:
        if module.section == "root":
            continue
        count = rng.choice([1, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 8, 9, 11, 14])
        if module.is_package:
            count = rng.choice([0, 0, 1, 2])
        for _ in range(count):
            target = _legal_target(tree, module)
            if target is None or target.name == module.name:
                continue
            roll = rng.random()
            placement = "function" if roll < 0.10 else "type_checking" if roll < 0.13 else "top"
            module.imports.append((target.name, placement))


def _legal_target(tree: Tree, module: Module) -> Module | None:
    rng = tree.rng
    section = module.section
    roll = rng.random()
    if section == "plugins":
        plugin = tree.plugin_of(module.name)
        if plugin is None:  # the plugins package itself
            return None
        if roll < 0.45:  # inside the same plugin
            own = [m for m in _neighbourhood(tree, module) if _within(m.name, plugin)]
            return rng.choice(own) if own else None
        if roll < 0.55:
            return tree.pick("compat")
        return tree.pick(rng.choice(["application", "domain", "domain", "shared", "shared"]))
    if section == "compat":
        return tree.pick("compat") if roll < 0.3 else tree.pick("shared")
    if roll < 0.40:  # the same section, close by
        near = _neighbourhood(tree, module)
        return rng.choice(near) if near else None
    if roll < 0.47:
        return tree.pick("compat")
    if section == "interface" and roll < 0.55:
        return tree.pick("plugins")
    below = LAYERS[LAYERS.index(section) + 1 :]
    if not below:  # shared: only itself and compat
        return tree.pick("shared")
    # Prefer the next layer down, as layered code does.
    return tree.pick(below[min(int(rng.expovariate(1.2)), len(below) - 1)])


def _neighbourhood(tree: Tree, module: Module) -> list[Module]:
    """Modules in the same package as ``module`` or in its parent package's subtree."""
    package = module.name if module.is_package else _parent(module.name)
    scope = _parent(package) if tree.rng.random() < 0.3 and package.count(".") > 1 else package
    near = list(tree.children(scope))
    for child in tree.children(scope):
        if child.is_package:
            near.extend(tree.children(child.name))
    return [m for m in near if m.section == module.section and m.name != module.name][:200]


def seed_violations(tree: Tree, total: int) -> dict[str, list[str]]:
    """Add a few illegal imports; return them, described, by kind.

    Importers are rarely imported modules, or new modules that nothing imports, so that each
    seeded violation stays a handful of reported imports rather than making every plugin reach
    every other one through the core (which one upward import into a hub would do)."""
    rng = tree.rng
    seeded: dict[str, list[str]] = {
        "layers_direct": [],
        "layers_indirect_only": [],
        "forbidden_direct": [],
        "forbidden_indirect_only": [],
        "independence_direct": [],
        "independence_indirect_only": [],
    }
    # Upward imports, direct (a third of them inside a function), into application or domain
    # (not interface, which imports the plugins).
    for i in range(max(3, total // 1000)):
        low = rng.randrange(2, len(LAYERS))
        high = rng.randrange(1, low)
        importer, imported = tree.quiet(LAYERS[low]), tree.pick(LAYERS[high])
        importer.imports.append((imported.name, "function" if i % 3 == 0 else "top"))
        seeded["layers_direct"].append(f"{importer.name} -> {imported.name}")
    for i in range(2):  # into interface, from modules nothing imports
        importer = tree.fresh(LAYERS[rng.randrange(1, len(LAYERS))], f"legacy_{i}")
        imported = tree.pick("interface")
        importer.imports.append((imported.name, "top"))
        seeded["layers_direct"].append(f"{importer.name} -> {imported.name}")
    # Upward chains only through compat: a leaky compat module imports application and is
    # imported by one lower-layer module only.
    compat = tree.package + ".compat"
    for i in range(max(2, total // 2000)):
        leak = tree._add(f"{compat}.leak_{i:03d}", False, "compat")
        high = tree.pick("application")
        leak.imports.append((high.name, "top"))
        low = tree.quiet(LAYERS[rng.randrange(2, len(LAYERS))])
        low.imports.append((leak.name, "top"))
        seeded["layers_indirect_only"].append(f"{low.name} -> {leak.name} -> {high.name}")
    # Core (domain, infrastructure, shared) importing plugins: directly, and through compat.
    core = ["domain", "infrastructure", "shared"]
    for _ in range(max(2, total // 5000)):
        importer = tree.fresh(rng.choice(core), f"plugin_bridge_{i}")
        plugin_module = tree.pick("plugins")
        importer.imports.append((plugin_module.name, "function" if i % 2 else "top"))
        seeded["forbidden_direct"].append(f"{importer.name} -> {plugin_module.name}")
    for i in range(max(2, total // 5000)):
        leak = tree._add(f"{compat}.plugin_leak_{i:03d}", False, "compat")
        plugin_module = tree.pick("plugins")
        leak.imports.append((plugin_module.name, "top"))
        importer = tree.fresh(rng.choice(core), f"plugin_hook_{i}")
        importer.imports.append((leak.name, "top"))
        seeded["forbidden_indirect_only"].append(f"{importer.name} -> {leak.name} -> {plugin_module.name}")
        # And a plugin importing the same leak: an independence violation only through compat.
        other = tree.quiet("plugins", exclude_prefix=tree.plugin_of(plugin_module.name))
        other.imports.append((leak.name, "function"))
        seeded["independence_indirect_only"].append(f"{other.name} -> {leak.name} -> {plugin_module.name}")
    for _ in range(max(2, total // 5000)):
        a = tree.quiet("plugins")
        b = tree.pick("plugins", exclude_prefix=tree.plugin_of(a.name))
        a.imports.append((b.name, "top"))
        seeded["independence_direct"].append(f"{a.name} -> {b.name}")
    return seeded


# --- rendering -------------------------------------------------------------------------------


def _relative_from(importer: Module, target: str) -> tuple[str, str] | None:
    """(``from`` part, imported name) for a relative import of ``target``, if it is close."""
    base = importer.name if importer.is_package else _parent(importer.name)
    target_parent, _, last = target.rpartition(".")
    for level in (1, 2, 3):
        anchor = base
        for _ in range(level - 1):
            anchor = _parent(anchor)
        if not anchor:
            return None
        if _within(target_parent, anchor):
            rest = target_parent[len(anchor) + 1 :] if target_parent != anchor else ""
            return "." * level + rest, last
    return None


def import_statement(tree: Tree, importer: Module, target_name: str, rng: random.Random) -> list[str]:
    target = tree.by_name[target_name]
    symbol_c, symbol_f = f"C{target.index}", f"f{target.index}"
    parent, _, last = target_name.rpartition(".")
    same_section = target.section == importer.section
    roll = rng.random()
    if same_section and roll < 0.6:
        relative = _relative_from(importer, target_name)
        if relative is not None:
            frm, name = relative
            if rng.random() < 0.5 or frm.endswith("."):
                if frm.endswith("."):
                    return [f"from {frm} import {name}"]
                return [f"from {frm}.{name} import {symbol_c}"]
            return [f"from {frm}.{name} import {symbol_c}, {symbol_f}"]
    roll = rng.random()
    if roll < 0.15:
        return [f"import {target_name}"]
    if roll < 0.20:
        return [f"import {target_name} as _m{target.index}"]
    if roll < 0.45 and parent:
        return [f"from {parent} import {last}"]
    if roll < 0.85:
        return [f"from {target_name} import {symbol_c}"]
    return [f"from {target_name} import (", f"    {symbol_c},", f"    {symbol_f},", ")"]


FILLER_METHODS = [
    '''    def {name}(self, value, *, strict=False):
        """Return the value, checked."""
        if strict and value is None:
            raise ValueError("{name}: value required")
        result = []
        for item in value or ():
            if isinstance(item, str):
                result.append(item.strip())
            else:
                result.append(item)
        return result
''',
    """    def {name}(self):
        return {{key: getattr(self, key, None) for key in ("id", "name", "state")}}
""",
    '''    @property
    def {name}(self):
        """A derived attribute."""
        return self._state.get("{name}", 0) + len(self._items)
''',
    """    async def {name}(self, session, limit=100):
        rows = await session.fetch(limit=limit)
        return [row for row in rows if row.get("active")]
""",
]


def render(tree: Tree, module: Module, rng: random.Random) -> str:
    top: list[str] = []
    type_checking: list[str] = []
    lazy: list[list[str]] = []
    for target, placement in module.imports:
        statement = import_statement(tree, module, target, rng)
        if placement == "function":
            lazy.append(statement)
        elif placement == "type_checking":
            type_checking.extend(statement)
        else:
            top.extend(statement)
    lines = [f'"""{module.name} (generated by boundary-lint\'s benchmarks/generate_tree.py)."""', ""]
    lines.append("from __future__ import annotations")
    lines.append("")
    lines.extend(sorted(rng.sample(STDLIB, rng.randint(1, 4))))
    if rng.random() < 0.2:
        lines.append(rng.choice(THIRD_PARTY))
    if type_checking:
        lines.append("from typing import TYPE_CHECKING")
    lines.append("")
    lines.extend(top)
    if type_checking:
        lines.append("")
        lines.append("if TYPE_CHECKING:")
        lines.extend("    " + line for line in type_checking)
    lines.extend(["", f"LOG_NAME = {module.name!r}", f"DEFAULT_LIMIT = {rng.randint(1, 500)}", "", ""])
    lines.append(f"class C{module.index}:")
    lines.append(f'    """A generated class of {module.name}."""')
    lines.append("")
    lines.append("    def __init__(self, items=None):")
    lines.append("        self._items = list(items or ())")
    lines.append("        self._state = {}")
    lines.append("")
    for i in range(rng.randint(3, 14) if not module.is_package else rng.randint(0, 2)):
        lines.extend(rng.choice(FILLER_METHODS).format(name=f"op_{i}").splitlines())
        lines.append("")
    lines.append("")
    lines.append(f"def f{module.index}(*args, **kwargs):")
    lines.append('    """Entry point; some imports happen only when it runs."""')
    for statement in lazy:
        lines.extend("    " + line for line in statement)
    lines.append("    return C%d(args)" % module.index)
    lines.append("")
    return "\n".join(lines) + "\n"


def write_contracts(out: Path, package: str) -> None:
    layers = [f"{package}.{layer}" for layer in LAYERS]
    core = [f"{package}.domain", f"{package}.infrastructure", f"{package}.shared"]
    toml = textwrap.dedent(f"""\
        # Generated by benchmarks/generate_tree.py (the same contracts as .importlinter).
        root_packages = ["{package}"]
        cache_dir = ".boundary_lint_cache"

        [[contracts]]
        id = "layers"
        name = "Layers"
        type = "layers"
        layers = {json.dumps(layers)}

        [[contracts]]
        id = "core-not-plugins"
        name = "Core does not import plugins"
        type = "forbidden"
        source_modules = {json.dumps(core)}
        forbidden_modules = ["{package}.plugins"]

        [[contracts]]
        id = "plugins-independent"
        name = "Plugins are independent"
        type = "independence"
        modules = ["{package}.plugins.*"]
        """)
    (out / "boundary-lint.toml").write_text(toml)

    def listing(modules: list[str]) -> str:
        return "".join(f"    {m}\n" for m in modules)

    ini = (
        f"[importlinter]\nroot_packages =\n    {package}\n\n"
        f"[importlinter:contract:layers]\nname = Layers\ntype = layers\nlayers =\n{listing(layers)}\n"
        f"[importlinter:contract:core-not-plugins]\nname = Core does not import plugins\ntype = forbidden\n"
        f"source_modules =\n{listing(core)}forbidden_modules =\n{listing([package + '.plugins'])}\n"
        f"[importlinter:contract:plugins-independent]\nname = Plugins are independent\ntype = independence\n"
        f"modules =\n{listing([package + '.plugins.*'])}"
    )
    (out / ".importlinter").write_text(ini)


def generate(out: Path, total: int, seed: int, package: str) -> dict[str, object]:
    rng = random.Random(seed)
    tree = Tree(package, total, rng)
    plan_imports(tree)
    seeded = seed_violations(tree, total)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    edges = 0
    for module in tree.modules:
        parts = module.name.split(".")
        path = (
            out.joinpath(*parts, "__init__.py")
            if module.is_package
            else out.joinpath(*parts[:-1], parts[-1] + ".py")
        )
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render(tree, module, rng))
        edges += len(module.imports)
    write_contracts(out, package)
    # The file benchmarks/run.py edits: a domain module of middling popularity.
    domain = sorted((m for m in tree.sections["domain"] if not m.is_package), key=lambda m: m.weight)
    edit = domain[len(domain) // 2]
    target = tree.pick("shared")
    info = {
        "generator": "benchmarks/generate_tree.py",
        "seed": seed,
        "package": package,
        "modules": len(tree.modules),
        "planned_import_statements": edges,
        "plugins": len(tree.plugins),
        "modules_per_section": {s: len(m) for s, m in tree.sections.items()},
        "seeded_violations": seeded,
        "edit": {
            "path": str(Path(*edit.name.split(".")[:-1], edit.name.split(".")[-1] + ".py")),
            "line": f"from {target.name} import C{target.index}  # added by benchmarks/run.py",
        },
    }
    (out / "tree-info.json").write_text(json.dumps(info, indent=2) + "\n")
    return info


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="output directory (emptied first)")
    parser.add_argument("--modules", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--package", default="bigapp")
    args = parser.parse_args()
    if args.modules < 100:
        parser.error("--modules must be at least 100")
    info = generate(args.out.resolve(), args.modules, args.seed, args.package)
    print(
        f"{args.out}: {info['modules']} modules, {info['planned_import_statements']} import statements, "
        f"{info['plugins']} plugins; contracts in boundary-lint.toml and .importlinter"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
