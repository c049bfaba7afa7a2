"""A contract type defined here, and nowhere else, works end to end: its keys are validated,
``check`` reports it (text, JSON, SARIF) and flake8 reports it on the import line.

The type is "leaf": each of ``modules`` imports nothing of the root packages. Registering it
is its spec, its rule functions (this module is its rule module) and two calls, one for the
type, one for its code: what docs/contributing.md says adding a contract type takes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import pytest
from flake8_support import env

from boundary_lint import codes
from boundary_lint.cli import main
from boundary_lint.config import registry
from boundary_lint.config.model import ContractSpec, option
from boundary_lint.report import Diagram
from boundary_lint.rules.common import Finding, RuleContext, RuleOutcome, resolve_expressions
from boundary_lint.rules.outlines import resolved, stacked

LEAF_IMPORTS = "BND190"
TESTS = Path(__file__).resolve().parent


@dataclass(frozen=True, kw_only=True)
class LeafSpec(ContractSpec):
    modules: tuple[str, ...] = option("non_empty_modules")
    allow_external: bool = option("boolean", True)

    type_name: ClassVar[str] = "leaf"


def check(spec: LeafSpec, context: RuleContext) -> RuleOutcome:
    graph, outcome = context.graph, RuleOutcome()
    for module in sorted(resolve_expressions(graph, spec.modules, "modules")):
        for imported in sorted(graph.find_modules_directly_imported_by(module)):
            if context.is_internal(imported) or not spec.allow_external:
                outcome.findings.append(Finding(LEAF_IMPORTS, (module, imported)))
    return outcome


def outline(spec: LeafSpec, graph: Any) -> Diagram:
    return stacked([resolved(graph, spec.modules)], ("leaves",), allowed=False)


def register() -> None:
    """What a plugin defining the type does once, before any configuration is read."""
    registry.register(registry.ContractType(LeafSpec, __name__, "The modules import nothing of the project."))
    codes.register(codes.Code(LEAF_IMPORTS, "LeafImportsProject", "A leaf module imports the project."))


@pytest.fixture
def leaf_type() -> Iterator[None]:
    register()
    try:
        yield
    finally:
        registry.unregister(LeafSpec.type_name)
        del codes.CODES[LEAF_IMPORTS]


CONFIG = """\
[tool.boundary_lint]
root_packages = ["shop"]
include_external_packages = true
cache_dir = false

[[tool.boundary_lint.contracts]]
id = "models-are-leaves"
name = "Models import nothing of the shop"
type = "leaf"
modules = ["shop.models"]
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    files = {
        "pyproject.toml": CONFIG,
        "shop/__init__.py": "",
        "shop/util.py": "",
        "shop/models.py": "import json\n\nfrom shop import util\n",
        "shop/views.py": "from shop import models\n",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    return tmp_path


def run_main(project: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    cwd = os.getcwd()
    os.chdir(project)
    try:
        status = main(["check", "--no-progress", *args])
    finally:
        os.chdir(cwd)
    out, err = capsys.readouterr()
    return status, out, err


def test_check_reports_the_toy_type_in_text_json_and_sarif(
    leaf_type: None, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run_main(project, capsys, "--format", "concise")
    assert (status, err) == (1, "")
    assert out.splitlines() == [
        f'shop/models.py:3:1: {LEAF_IMPORTS} shop.models -> shop.util (l.3) breaks "Models import nothing of the shop" (models-are-leaves)'
    ]
    status, out, _ = run_main(project, capsys, "--format", "json")
    (contract,) = json.loads(out)["contracts"]
    assert (status, contract["type"], contract["kept"]) == (1, "leaf", False)
    assert [(v["code"], v["importer"], v["imported"], v["line"]) for v in contract["violations"]] == [
        (LEAF_IMPORTS, "shop.models", "shop.util", 3)
    ]
    status, out, _ = run_main(project, capsys, "--format", "sarif")
    run = json.loads(out)["runs"][0]
    rules = {rule["id"]: rule for rule in run["tool"]["driver"]["rules"]}
    assert rules[LEAF_IMPORTS]["name"] == "LeafImportsProject"
    assert [r["ruleId"] for r in run["results"]] == [LEAF_IMPORTS]


def test_the_toy_type_keys_are_validated(
    leaf_type: None, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = project / "pyproject.toml"
    config.write_text(CONFIG + "allow_externals = false\n")
    status, _, err = run_main(project, capsys)
    assert status == 2 and "allow_externals" in err and "allow_external" in err
    config.write_text(CONFIG + "allow_external = false\n")
    status, out, _ = run_main(project, capsys, "--format", "concise")
    assert status == 1 and "shop.models -> json" in out


def test_an_unregistered_type_is_a_configuration_error(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _, err = run_main(project, capsys)
    assert status == 2 and "'leaf'" in err


def test_flake8_reports_the_toy_type_on_the_import_line(project: Path) -> None:
    # flake8 runs in its own process: the type is registered there first, as a plugin would.
    script = f"import {__name__}; {__name__}.register()\nfrom flake8.main.cli import main\nraise SystemExit(main())\n"
    done = subprocess.run(
        [sys.executable, "-c", script, "-j1", "--select", "BND", "shop"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
        env={**env(), "PYTHONPATH": str(TESTS)},
    )
    assert done.stdout.splitlines() == [
        f'shop/models.py:3:1: {LEAF_IMPORTS} shop.models -> shop.util (l.3) breaks "Models import nothing of the shop" (models-are-leaves)'
    ], done.stderr
    assert done.returncode == 1
