"""The public API (boundary_lint.api): what a program embedding boundary-lint calls."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

from boundary_lint import api
from boundary_lint.codes import DYNAMIC_DIRECT, DYNAMIC_INDIRECT

EXAMPLE = ROOT / "examples" / "trove-split"


def test_check_and_render_agree_with_the_command_line() -> None:
    config = api.load_config(EXAMPLE)
    report = api.check(config, api.CheckOptions(use_cache=False))
    command = subprocess.run(
        [sys.executable, "-m", "boundary_lint", "check", "--format", "json", "--no-cache"],
        cwd=EXAMPLE,
        capture_output=True,
        text=True,
        check=False,
    )
    ours, theirs = json.loads(api.render(report, "json")), json.loads(command.stdout)
    assert ours["contracts"] == theirs["contracts"] and ours["summary"] == theirs["summary"]
    assert api.exit_code(report) == command.returncode == api.EXIT_BROKEN


def test_violations_of_one_file() -> None:
    report = api.check(api.load_config(EXAMPLE), api.CheckOptions(use_cache=False))
    found = api.violations(report, "troveguest/api.py")
    assert {(v.contract, v.line, v.importer, v.imported) for v in found} == {
        ("guest-never-core", 4, "troveguest.api", "trove.instance.models"),
        ("split-layers", 4, "troveguest.api", "trove.instance.models"),
    }
    assert all(v.active for v in api.violations(report))


def test_a_graph_changed_in_memory_is_checked_without_touching_the_disk() -> None:
    config = api.load_config(EXAMPLE)
    options = api.CheckOptions(use_cache=False, contract_ids=["guest-never-core"])
    graph = api.load_graph(config, options)
    fixed = graph.with_sources({"troveguest.api": "import common\n"})
    before = {v.path for v in api.violations(api.check_graph(config, graph, options))}
    after = {v.path for v in api.violations(api.check_graph(config, fixed, options))}
    assert "troveguest/api.py" in before and before - after == {"troveguest/api.py"}


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("import trove.instance.models\n", 1),
        ("\n\n\nimport trove.instance.models\n", 4),
        ("def later():\n    import trove.instance.models\n", 2),
    ],
)
def test_an_unsaved_text_is_scanned_as_written(text: str, line: int) -> None:
    """Leading blank lines and an indented body survive the in-memory scan (grimp's fake file
    system would strip and dedent them)."""
    config = api.load_config(EXAMPLE)
    options = api.CheckOptions(use_cache=False, contract_ids=["guest-never-core"])
    changed = api.load_graph(config, options).with_sources({"troveguest.api": text})
    found = api.violations(api.check_graph(config, changed, options), "troveguest/api.py")
    assert [(v.line, v.imported) for v in found] == [(line, "trove.instance.models")]


def test_no_configuration_is_none_and_load_config_says_so(tmp_path: Path) -> None:
    assert api.find_config(tmp_path) is None
    with pytest.raises(api.ConfigError, match="no configuration found"):
        api.load_config(tmp_path)


def test_an_unknown_format_is_a_value_error() -> None:
    report = api.check(api.load_config(EXAMPLE), api.CheckOptions(use_cache=False))
    with pytest.raises(ValueError, match="unknown format 'xml'"):
        api.render(report, "xml")


def test_the_package_ships_its_type_hints() -> None:
    assert (Path(api.__file__).parent / "py.typed").is_file()
    assert isinstance(api.ProjectGraph, type)


@pytest.mark.parametrize(
    "tree", [EXAMPLE, ROOT / "tests" / "trees" / "moves"], ids=["example", "dynamic-imports"]
)
def test_check_graph_on_the_loaded_graph_is_check(tree: Path) -> None:
    # The moves tree turns dynamic imports on: check_graph adds them itself, once, so that the
    # violations found only through them keep their own codes.
    config = api.load_config(tree)
    options = api.CheckOptions(use_cache=False)
    whole = json.loads(api.render(api.check(config, options), "json"))
    graph = json.loads(api.render(api.check_graph(config, api.load_graph(config, options), options), "json"))
    assert graph["contracts"] == whole["contracts"] and graph["errors"] == whole["errors"]
    dynamic = {v["code"] for c in whole["contracts"] for v in c["violations"]} & {
        DYNAMIC_DIRECT,
        DYNAMIC_INDIRECT,
    }
    assert dynamic or tree == EXAMPLE


def test_importing_the_api_loads_neither_the_engine_nor_grimp() -> None:
    script = "import sys, boundary_lint.api; print(sorted(m for m in ('grimp', 'boundary_lint.engine', 'boundary_lint.config.model') if m in sys.modules))"
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip() == "[]"
