"""Custom import-linter contract types (``contract_types``): run through import-linter's own API
on our graph, with their verdict and message in every format, and import-linter as the oracle."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from cli_support import clean_env, run_cli, write

# A contract type as a user writes one: "no module of the package imports <module> directly".
PLUGIN = """
from importlinter.domain import fields
from importlinter.domain.contract import Contract, ContractCheck
from importlinter.application import output


class NoDirectImports(Contract):
    package = fields.StringField()
    banned = fields.StringField()

    def check(self, graph, verbose):
        offenders = sorted(
            importer
            for importer in graph.find_modules_directly_imported_by(self.banned) | graph.find_modules_that_directly_import(self.banned)
            if importer.startswith(self.package + ".")
            and graph.direct_import_exists(importer=importer, imported=self.banned)
        )
        return ContractCheck(kept=not offenders, metadata={"offenders": offenders})

    def render_broken_contract(self, check):
        for offender in check.metadata["offenders"]:
            output.print_error(f"{offender} imports {self.banned}")
"""

CONFIG = """
[importlinter]
root_packages =
    shop
contract_types =
    no_direct: shopcontracts.NoDirectImports

[importlinter:contract:no-db-in-web]
name = The web layer never imports the database directly
type = no_direct
package = shop.web
banned = shop.db

[importlinter:contract:plain]
name = A built-in type beside the custom one
type = forbidden
source_modules = shop.db
forbidden_modules = shop.web
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    write(tmp_path / "shop" / "__init__.py", "")
    write(tmp_path / "shop" / "db.py", "ENGINE = None\n")
    write(tmp_path / "shop" / "web" / "__init__.py", "")
    write(tmp_path / "shop" / "web" / "views.py", "from shop.web import forms\n")
    write(tmp_path / "shop" / "web" / "forms.py", "X = 1\n")
    write(tmp_path / "shopcontracts.py", PLUGIN)
    write(tmp_path / ".importlinter", CONFIG)
    return tmp_path


def lint_imports(project: Path) -> subprocess.CompletedProcess[str]:
    """import-linter itself, from the project root (it finds the package there)."""
    command = shutil.which("lint-imports")
    assert command, "import-linter is a test dependency"
    return subprocess.run(
        [command, "--no-cache"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
        env=clean_env(PYTHONPATH=str(project)),
    )


def test_custom_contract_kept_as_import_linter_says(project: Path) -> None:
    result = run_cli("check", "--format", "json", cwd=project)
    assert result.returncode == 0, result
    contracts = {c["id"]: c for c in json.loads(result.stdout)["contracts"]}
    assert contracts["no-db-in-web"]["kept"] and contracts["no-db-in-web"]["type"] == "no_direct"
    assert contracts["no-db-in-web"]["findings"] == []
    assert lint_imports(project).returncode == 0


def test_custom_contract_broken_in_every_format(project: Path) -> None:
    write(project / "shop" / "web" / "views.py", "from shop.web import forms\nfrom shop import db\n")
    oracle = lint_imports(project)
    assert oracle.returncode == 1 and "shop.web.views imports shop.db" in oracle.stdout

    result = run_cli("check", "--format", "json", cwd=project)
    assert result.returncode == 1, result
    report = json.loads(result.stdout)
    contract = next(c for c in report["contracts"] if c["id"] == "no-db-in-web")
    assert not contract["kept"] and contract["violations"] == []
    [finding] = contract["findings"]
    assert finding["code"] == "BND191" and finding["path"] == ".importlinter" and finding["line"] == 7
    assert "shop.web.views imports shop.db" in finding["message"]
    assert report["summary"]["broken"] == 1  # the forbidden contract is kept

    concise = run_cli("check", "--format", "concise", cwd=project)
    assert concise.returncode == 1
    # at the contract's section, where a review comment about it belongs
    assert concise.stdout.startswith(
        ".importlinter:7:1: BND191 contract 'no-db-in-web' (type no_direct) is broken: "
    )
    text = run_cli("check", cwd=project)
    assert "BROKEN The web layer never imports the database directly [no-db-in-web, no_direct]" in text.stdout
    for fmt in ("sarif", "junit", "github", "gerrit", "zuul", "html"):
        rendered = run_cli("check", "--format", fmt, cwd=project)
        assert rendered.returncode == 1 and "shop.web.views imports shop.db" in rendered.stdout, fmt


def test_invalid_options_name_the_contract_and_exit_2(project: Path) -> None:
    write(project / ".importlinter", CONFIG.replace("banned = shop.db\n", ""))
    result = run_cli("check", cwd=project)
    assert result.returncode == 2, result
    assert (
        "no-db-in-web" in result.stdout + result.stderr
        and "banned: This is a required field." in result.stdout + result.stderr
    )


def test_without_import_linter_exit_2_says_what_to_install(
    project: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    # An importlinter that cannot be imported, first on the path: as if it were not installed.
    shadow = tmp_path_factory.mktemp("shadow")
    write(shadow / "importlinter" / "__init__.py", "raise ImportError('not installed')\n")
    result = run_cli("check", cwd=project, env=clean_env(PYTHONPATH=str(shadow)))
    assert result.returncode == 2, result
    assert "pip install import-linter" in result.stdout + result.stderr


def test_malformed_contract_types_entry_is_a_config_error(project: Path) -> None:
    write(
        project / ".importlinter",
        CONFIG.replace("no_direct: shopcontracts.NoDirectImports", "no_direct shopcontracts"),
    )
    result = run_cli("check", cwd=project)
    assert (
        result.returncode == 2
        and "contract_types" in result.stderr
        and "'name: package.module.Class'" in result.stderr
    ), result


def test_class_that_is_not_a_contract_is_a_config_error(project: Path) -> None:
    write(project / ".importlinter", CONFIG.replace("shopcontracts.NoDirectImports", "shopcontracts.fields"))
    result = run_cli("check", cwd=project)
    assert (
        result.returncode == 2 and "is not an import-linter Contract class" in result.stdout + result.stderr
    ), result


def test_native_toml_contract_is_located_at_its_id(project: Path) -> None:
    (project / ".importlinter").unlink()
    write(
        project / "pyproject.toml",
        """
        [tool.boundary_lint]
        root_packages = ["shop"]
        contract_types = ["no_direct: shopcontracts.NoDirectImports"]

        [[tool.boundary_lint.contracts]]
        id = "no-db-in-web"  # the custom one
        type = "no_direct"
        package = "shop.web"
        banned = "shop.db"
    """,
    )
    write(project / "shop" / "web" / "views.py", "from shop import db\n")
    result = run_cli("check", "--format", "concise", cwd=project)
    assert result.returncode == 1, result
    assert result.stdout.startswith(
        "pyproject.toml:6:1: BND191 contract 'no-db-in-web' (type no_direct) is broken: "
    ), result
