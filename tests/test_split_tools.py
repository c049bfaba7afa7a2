"""What the guest-agent split needs: the moved contract, fix, dynamic imports, dead references,
closure and the runtime audit, on tests/trees/moves (a tree just after `git mv`)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import grimp
import pytest
from conftest import TREES
from system_tools import require_tool

MOVES_TREE = TREES / "moves"

MOVED_LINES = [
    'trove/instance/models.py:1:22: BND201 trove.instance.models imports trove.common.cfg (now common.cfg) breaks "The blueprint\'s moves" (moved)',
    'trove/taskmanager/api.py:3:8: BND201 trove.taskmanager.api imports trove.guestagent.api (now troveguest.api) breaks "The blueprint\'s moves" (moved)',
    'trove/taskmanager/api.py:4:30: BND201 trove.taskmanager.api imports trove.guestagent.api (now troveguest.api) breaks "The blueprint\'s moves" (moved)',
    'trove/taskmanager/api.py:5:19: BND201 trove.taskmanager.api imports trove.guestagent (now troveguest) breaks "The blueprint\'s moves" (moved)',
    'trove/taskmanager/api.py:6:26: BND201 trove.taskmanager.api imports trove.common.cfg (now common.cfg) breaks "The blueprint\'s moves" (moved)',
    'trove/taskmanager/api.py:7:36: BND201 trove.taskmanager.api imports trove.openstack.common.log (now common.openstack.log) breaks "The blueprint\'s moves" (moved)',
    'trove/taskmanager/api.py:11:12: BND202 trove.taskmanager.api uses trove.guestagent.api.API (now troveguest.api.API) breaks "The blueprint\'s moves" (moved)',
    "troveguest/datastore/test_manager.py:4:13: BND203 troveguest.datastore.test_manager names in a string "
    'trove.guestagent.datastore.manager.report_status (now troveguest.datastore.manager.report_status) breaks "The blueprint\'s moves" (moved)',
]


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    shutil.copytree(MOVES_TREE, tmp_path / "tree")
    return tmp_path / "tree"


def run(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "boundary_lint", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def concise(cwd: Path, *contracts: str) -> list[str]:
    selection = [arg for contract in contracts for arg in ("--contract", contract)]
    return run(cwd, "check", "--format", "concise", *selection).stdout.splitlines()


def test_every_form_of_reference_to_an_old_path_is_reported(tree: Path) -> None:
    assert concise(tree, "moved") == MOVED_LINES


def test_moved_references_are_flake8_errors_too(tree: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "flake8", "--select", "BND2", "."],
        cwd=tree,
        capture_output=True,
        text=True,
        check=False,
    )
    flake8_lines = sorted(line.removeprefix("./") for line in result.stdout.splitlines())
    assert [line for line in flake8_lines if ": BND20" in line] == sorted(MOVED_LINES)


def test_fix_rewrites_every_reference_and_is_idempotent(tree: Path) -> None:
    before = (tree / "trove" / "taskmanager" / "api.py").read_text()
    first = run(tree, "fix")
    assert first.returncode == 0, first.stderr
    assert "trove/taskmanager/api.py: rewrote 6 references" in first.stderr
    assert concise(tree, "moved") == []
    after = (tree / "trove" / "taskmanager" / "api.py").read_text()
    assert after == before.replace("import trove.guestagent.api\n", "import troveguest.api\n").replace(
        "from trove.guestagent import api as guest_api\n", "from troveguest import api as guest_api\n"
    ).replace(
        "from trove import guestagent, instance\n",
        "from trove import instance\nimport troveguest as guestagent\n",
    ).replace(
        "from trove.common import cfg  # configuration\n", "from common import cfg  # configuration\n"
    ).replace(
        "from trove.openstack.common import log as logging\n", "from common.openstack import log as logging\n"
    ).replace("trove.guestagent.api.API()", "troveguest.api.API()")
    assert (
        (tree / "trove" / "instance" / "models.py")
        .read_text()
        .startswith("from common import cfg  # a relative import that resolves to an old path\n")
    )
    snapshot = {p: p.read_bytes() for p in tree.rglob("*.py")}
    second = run(tree, "fix")
    assert second.returncode == 0 and "0 files changed" in second.stderr
    assert {p: p.read_bytes() for p in tree.rglob("*.py")} == snapshot


def test_fix_diff_changes_nothing_and_exits_1(tree: Path) -> None:
    snapshot = {p: p.read_bytes() for p in tree.rglob("*.py")}
    result = run(tree, "fix", "--diff")
    assert result.returncode == 1
    assert (
        "\n-import trove.guestagent.api\n" in result.stdout and "\n+import troveguest.api\n" in result.stdout
    )
    assert {p: p.read_bytes() for p in tree.rglob("*.py")} == snapshot


def test_dynamic_imports_are_checked_against_contracts(tree: Path) -> None:
    assert concise(tree, "guest-never-core") == [
        # through a dynamic import later in the chain
        "troveguest/backup.py:1:1: BND212 troveguest.backup -> common.notification (l.1) -> trove.taskmanager.api (l.6) "
        'breaks "guest-never-core": through a dynamic import (contract code BND102)',
        # the dynamic import itself
        "troveguest/datastore/manager.py:13:5: BND211 troveguest.datastore.manager -> trove.instance.models (l.13) "
        'breaks "guest-never-core": through a dynamic import (contract code BND101)',
    ]


def test_dynamic_imports_are_off_by_default_as_in_import_linter(tree: Path) -> None:
    config = tree / "pyproject.toml"
    config.write_text(config.read_text().replace("dynamic_imports = true\n", ""))
    assert concise(tree, "guest-never-core") == []


def test_dead_references(tree: Path) -> None:
    assert concise(tree, "no-dead-references") == [
        "troveguest/datastore/manager.py:8:10: BND213 troveguest.datastore.manager: importutils.import_module() of "
        "'troveguest.strategies.backup.mysql_impl' names nothing that exists (the nearest module is "
        'troveguest.strategies) breaks "no-dead-references"',
    ]
    config = tree / "pyproject.toml"
    config.write_text(
        config.read_text().replace('type = "references"', 'type = "references"\nstrings = true')
    )
    lines = concise(tree, "no-dead-references")
    assert (
        "troveguest/datastore/manager.py:7:55: BND213 troveguest.datastore.manager: the string "
        "'troveguest.strategies.replication.mysql_gtid' names nothing that exists (the nearest module is "
        'troveguest.strategies.replication) breaks "no-dead-references"'
    ) in lines
    # the existing class named by import_class, and old-path strings (the moved contract's business), are not dead
    assert not any("mysql_binlog" in line for line in lines)
    assert len(lines) == 3  # plus the mock.patch target, whose old path no longer exists


def test_closure_is_the_upstream_modules_plus_their_packages(tree: Path) -> None:
    # Without dynamic imports, the closure is exactly what grimp says the package depends on.
    (tree / "troveguest" / "datastore" / "manager.py").write_text("from common import cfg\n")
    (tree / "common" / "notification.py").write_text("")
    data = json.loads(run(tree, "closure", "troveguest", "--format", "json").stdout)
    sys.path.insert(0, str(tree))
    try:
        graph = grimp.build_graph("trove", "troveguest", "common", cache_dir=None)
    finally:
        sys.path.remove(str(tree))
    own = {"troveguest"} | graph.find_descendants("troveguest")
    reached = own | graph.find_upstream_modules("troveguest", as_package=True)
    ancestors = {".".join(m.split(".")[:i]) for m in reached for i in range(1, m.count(".") + 1)}
    assert data["modules"] == sorted(reached | ancestors)
    assert data["files"] == sorted(data["files"], key=lambda f: data["files"].index(f))
    assert data["bytes"] == sum((tree / f).stat().st_size for f in data["files"])


def test_closure_follows_dynamic_imports_and_names_third_party_packages(tree: Path) -> None:
    data = json.loads(run(tree, "closure", "troveguest.datastore", "--format", "json").stdout)
    assert "trove.instance.models" in data["modules"]  # import_object("trove.instance.models.CONF")
    assert "trove" in data["modules"] and "trove.instance" in data["modules"]  # their __init__.py
    assert data["external"] == ["oslo_utils"]  # not unittest: the standard library is not deployed
    why = run(tree, "closure", "troveguest.datastore", "--why", "trove.instance.models")
    assert why.stdout == "troveguest.datastore.manager -> trove.instance.models\n"


def test_closure_rsync_filter_copies_exactly_the_files(tree: Path) -> None:
    result = run(tree, "closure", "troveguest.backup", "--format", "rsync")
    rules = result.stdout.splitlines()
    assert rules[-1] == "- *"
    files = run(tree, "closure", "troveguest.backup", "--format", "files").stdout.split()
    assert sorted(rule[3:] for rule in rules if rule.startswith("+ /") and rule.endswith(".py")) == sorted(
        files
    )
    # rsync itself, with the filter file: exactly those files are copied.
    rsync = require_tool("rsync", package="rsync")
    target = tree.parent / "deployed"
    (tree.parent / "filter").write_text(result.stdout)
    subprocess.run(
        [rsync, "-a", f"--filter=. {tree.parent / 'filter'}", f"{tree}/", f"{target}/"], check=True
    )
    copied = sorted(p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file())
    assert copied == sorted(files)


def test_runtime_audit_reports_forbidden_modules_that_load(tree: Path) -> None:
    (tree / "oslo_utils").mkdir()  # a stand-in for the third-party package, on the source root
    (tree / "oslo_utils" / "__init__.py").write_text("")
    (tree / "oslo_utils" / "importutils.py").write_text(
        "import importlib\n\n"
        "def import_class(path):\n    module, _, name = path.rpartition('.')\n"
        "    return getattr(importlib.import_module(module), name)\n\n"
        "import_object = import_class\n\n"
        "def import_module(name):\n    return None\n"
    )
    # Loads Trove's core by name when imported: no static import shows it.
    (tree / "troveguest" / "loader.py").write_text(
        "from oslo_utils import importutils\n\nCONF = importutils.import_object('trove.instance.models.CONF')\n"
    )
    assert run(tree, "fix").returncode == 0  # trove.instance.models still imports the old trove.common
    result = run(tree, "runtime", "troveguest.loader", "--format", "json")
    assert result.returncode == 1, result.stderr
    data = json.loads(result.stdout)
    assert data["loaded"] >= 5
    assert [(f["loaded"], f["contract"], f["static_chain"]) for f in data["forbidden"]] == [
        ("trove", "guest-never-core", ["troveguest.loader", "trove.instance.models"]),
        ("trove.instance", "guest-never-core", ["troveguest.loader", "trove.instance.models"]),
        ("trove.instance.models", "guest-never-core", ["troveguest.loader", "trove.instance.models"]),
    ]
    clean = run(tree, "runtime", "troveguest.api")
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert clean.stdout.endswith("0 forbidden\n")


def test_runtime_says_clearly_when_the_import_fails(tree: Path) -> None:
    result = run(tree, "runtime", "troveguest.datastore.manager")
    assert result.returncode == 2
    assert result.stderr == (
        "boundary-lint: error: importing troveguest.datastore.manager failed: "
        "ModuleNotFoundError: No module named 'oslo_utils'\n"
    )
