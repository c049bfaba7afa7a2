"""What a project's build configuration declares about where its packages are, read as data.

pyproject.toml (setuptools, hatch, poetry, pdm, flit, maturin), setup.cfg (setuptools, pbr)
and setup.py (only literal ``package_dir=`` and ``find_packages("DIR")`` arguments, read from
its syntax tree: it is never run). A file that is missing or cannot be read declares nothing:
it is the build tool's to complain about, not ours.
"""

from __future__ import annotations

import ast
import configparser
from collections.abc import Iterator
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

from boundary_lint.graph.packages import Place


@dataclass
class Declared:
    """Directories that hold packages (or, ``Place.package`` set, one package's own
    directory), and the names of the packages the build ships when it lists them."""

    places: list[Place] = field(default_factory=list)
    packages: list[str] = field(default_factory=list)
    # setuptools' find patterns (fnmatch, on dotted names): which packages found it ships.
    include: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)

    def directory(self, root: Path, value: object, origin: str, package: str | None = None) -> None:
        if isinstance(value, str):
            try:
                self.places.append(Place((root / value).resolve(), origin, package or None))
            except (OSError, ValueError, RuntimeError):
                pass

    def ships(self, top: str) -> bool:
        """Whether setuptools' find, as configured, ships the top-level package ``top``: it, or a
        subpackage an include pattern names (``top.*``), is included and it is not excluded."""
        included = not self.include or any(
            fnmatchcase(top, pattern) or pattern.startswith(top + ".") for pattern in self.include
        )
        return included and not any(fnmatchcase(top, pattern) for pattern in self.exclude)

    def package(self, name: object) -> None:
        if isinstance(name, str):
            top = name.strip().partition(".")[0]
            if top.isidentifier() and top not in self.packages:
                self.packages.append(top)


def declared_places(root: Path) -> Iterator[Place]:
    yield from read_build_config(root).places


def read_build_config(root: Path) -> Declared:
    declared = Declared()
    _pyproject(root, declared)
    _setup_cfg(root, declared)
    _setup_py(root, declared)
    return declared


def _table(data: Any, *keys: str) -> dict[str, Any]:
    for key in keys:
        data = data.get(key) if isinstance(data, dict) else None
    return data if isinstance(data, dict) else {}


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


def _pyproject(root: Path, declared: Declared) -> None:
    import tomllib

    try:
        data = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return
    _setuptools(root, _table(data, "tool", "setuptools"), declared)
    hatch = _table(data, "tool", "hatch", "build")
    _hatch(root, _table(hatch, "targets", "wheel"), "[tool.hatch.build.targets.wheel]", declared)
    _hatch(root, hatch, "[tool.hatch.build]", declared)
    for entry in _table(data, "tool", "poetry").get("packages") or []:
        if isinstance(entry, dict):
            declared.directory(root, entry.get("from", "."), "pyproject.toml [tool.poetry] packages")
            include = entry.get("include")
            if isinstance(include, str) and not any(c in include for c in "*?["):
                declared.package(include.replace("/", ".").removesuffix(".py"))
    declared.directory(
        root,
        _table(data, "tool", "pdm", "build").get("package-dir"),
        "pyproject.toml [tool.pdm.build] package-dir",
    )
    declared.directory(
        root,
        _table(data, "tool", "maturin").get("python-source"),
        "pyproject.toml [tool.maturin] python-source",
    )
    declared.package(_table(data, "tool", "flit", "module").get("name"))  # flit looks in . and src/


def _setuptools(root: Path, table: dict[str, Any], declared: Declared) -> None:
    for name, directory in _table(table, "package-dir").items():
        declared.directory(root, directory, "pyproject.toml [tool.setuptools] package-dir", name)
    packages = table.get("packages")
    find = _table(packages, "find")
    for where in _strings(find.get("where")):
        declared.directory(root, where, "pyproject.toml [tool.setuptools.packages.find] where")
    declared.include += _strings(find.get("include"))
    declared.exclude += _strings(find.get("exclude"))
    for name in _strings(packages) if isinstance(packages, list) else []:
        declared.package(name)


def _hatch(root: Path, table: dict[str, Any], section: str, declared: Declared) -> None:
    for path in _strings(table.get("packages")):
        # "src/foo": package foo, shipped from src/ (hatch rewrites the path's parent away).
        parent, _, name = path.rstrip("/").rpartition("/")
        declared.directory(root, parent or ".", f"pyproject.toml {section} packages")
        declared.package(name)
    sources = table.get("sources")
    if isinstance(sources, list):
        for source in _strings(sources):
            declared.directory(root, source, f"pyproject.toml {section} sources")
    elif isinstance(sources, dict):
        for source, target in sources.items():
            if isinstance(target, str):
                # {"src" = ""}: src/ holds packages; {"lib/x" = "pkg"}: lib/x is package pkg.
                package = target.strip("/").replace("/", ".")
                declared.directory(root, source, f"pyproject.toml {section} sources", package or None)


def _setup_cfg(root: Path, declared: Declared) -> None:
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string((root / "setup.cfg").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, configparser.Error):
        return
    for line in parser.get("options", "package_dir", fallback="").splitlines():
        name, equals, directory = line.partition("=")
        if equals:
            declared.directory(root, directory.strip(), "setup.cfg [options] package_dir", name.strip())
    where = parser.get("options.packages.find", "where", fallback="").strip()
    if where:
        declared.directory(root, where, "setup.cfg [options.packages.find] where")
    for key, patterns in (("include", declared.include), ("exclude", declared.exclude)):
        value = parser.get("options.packages.find", key, fallback="")
        patterns.extend(item.strip() for item in value.replace(",", "\n").splitlines() if item.strip())
    packages_root = parser.get("files", "packages_root", fallback="").strip()  # pbr
    if packages_root:
        declared.directory(root, packages_root, "setup.cfg [files] packages_root")
    for option in (("options", "packages"), ("files", "packages")):
        value = parser.get(*option, fallback="")
        if not value.strip().startswith("find"):
            for name in value.replace(",", "\n").splitlines():
                declared.package(name)


def _setup_py(root: Path, declared: Declared) -> None:
    try:
        tree = ast.parse((root / "setup.py").read_bytes())
    except (OSError, SyntaxError, ValueError):
        return
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        for keyword in node.keywords:
            if keyword.arg == "package_dir":
                try:
                    mapping = ast.literal_eval(keyword.value)
                except (ValueError, SyntaxError, TypeError):
                    continue
                if isinstance(mapping, dict):
                    for name, directory in mapping.items():
                        if isinstance(name, str):
                            declared.directory(root, directory, "setup.py package_dir", name)
        name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        if name in ("find_packages", "find_namespace_packages"):
            where = (
                node.args[0]
                if node.args
                else next((k.value for k in node.keywords if k.arg == "where"), None)
            )
            if isinstance(where, ast.Constant):
                declared.directory(root, where.value, f"setup.py {name}()")
