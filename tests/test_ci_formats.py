"""CI formats, baselines and affected mode, through the real CLI on a copy of the example."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
from conftest import ROOT

from boundary_lint.escaping import github_data, github_property

EXAMPLE = ROOT / "examples" / "trove-split"
SARIF_SCHEMA = ROOT / "tests" / "schemas" / "sarif-schema-2.1.0.json"  # vendored: see its NOTICE.md
ZUUL_LINE = re.compile(r"^(.*):(\d+):(\d+): (.*)$")  # Zuul's tox role parser


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copytree(EXAMPLE, tmp_path / "project")
    return tmp_path / "project"


def run(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "boundary_lint", "check", *args],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )


def test_sarif_is_valid_against_the_schema(project: Path) -> None:
    result = run(project, "--format", "sarif")
    assert result.returncode == 1
    sarif = json.loads(result.stdout)
    schema = json.loads(SARIF_SCHEMA.read_text())
    jsonschema.Draft4Validator(schema).validate(sarif)
    run_ = sarif["runs"][0]
    rule_ids = [rule["id"] for rule in run_["tool"]["driver"]["rules"]]
    assert len(rule_ids) == len(set(rule_ids)) and "BND102" in rule_ids
    indirect = [r for r in run_["results"] if r["ruleId"] == "BND102"]
    assert [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in indirect] == [
        "troveguest/backup.py"
    ]
    flow = indirect[0]["codeFlows"][0]["threadFlows"][0]["locations"]
    assert [step["location"]["physicalLocation"]["artifactLocation"]["uri"] for step in flow] == [
        "troveguest/backup.py",
        "common/notification.py",
    ]
    suppressed = [r for r in run_["results"] if r.get("suppressions")]
    assert [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in suppressed] == [
        "troveguest/status.py"
    ]


def test_junit_has_a_testcase_per_contract(project: Path) -> None:
    result = run(project, "--format", "junit")
    suite = ET.fromstring(result.stdout).find("testsuite")
    assert suite is not None
    cases = {case.get("name"): case for case in suite.findall("testcase")}
    assert set(cases) == {"guest-never-core", "common-standalone", "split-layers"}
    failure = cases["guest-never-core"].find("failure")
    assert failure is not None and failure.get("message", "").endswith("4 violations")
    assert "troveguest/backup.py:3:1: BND102" in (failure.text or "")
    assert suite.get("tests") == "3" and suite.get("failures") == "3"


def test_junit_kept_contract_has_no_failure(project: Path) -> None:
    (project / "common" / "notification.py").write_text(
        "def send_start(context, action):\n    return context\n"
    )
    result = run(project, "--format", "junit", "--contract", "common-standalone")
    assert result.returncode == 0
    case = ET.fromstring(result.stdout).find("testsuite/testcase")
    assert case is not None and list(case) == []


def test_zuul_entries_have_only_allowed_keys(project: Path) -> None:
    comments = json.loads(run(project, "--format", "zuul").stdout)
    assert sorted(comments) == [
        "common/notification.py",
        "troveguest/api.py",
        "troveguest/backup.py",
        "troveguest/datastore/manager.py",
        "troveguest/service.py",
        "troveguest/status.py",
    ]
    for entries in comments.values():
        for entry in entries:
            assert set(entry) <= {"line", "message", "level", "range"}
            assert type(entry["line"]) is int and entry["message"].startswith("BND")
            assert all(type(v) is int for v in entry["range"].values())


def test_gerrit_review_input(project: Path) -> None:
    review = json.loads(run(project, "--format", "gerrit").stdout)
    assert review["message"].startswith("boundary-lint: 3 contracts: 0 kept, 3 broken")
    backup = review["comments"]["troveguest/backup.py"]
    assert backup[0]["line"] == 3 and backup[0]["message"].startswith(
        "BND102 troveguest.backup -> common.notification"
    )
    assert set(backup[0]["range"]) == {"start_line", "start_character", "end_line", "end_character"}


def test_concise_lines_match_zuuls_parser(project: Path) -> None:
    lines = run(project, "--format", "concise").stdout.splitlines()
    assert len(lines) == 10
    for line in lines:
        match = ZUUL_LINE.match(line)
        assert match is not None and match.group(4).startswith("BND")


def test_github_annotations(project: Path) -> None:
    lines = run(project, "--format", "github").stdout.splitlines()
    assert lines[0] == (
        "::error file=common/notification.py,line=3,col=1,title=BND101 common-standalone::"
        'common.notification -> trove.taskmanager.api (l.3) breaks "common imports neither the guest agent nor Trove\'s core" (common-standalone)'
    )


def test_github_escaping_follows_the_actions_toolkit() -> None:
    # Control characters are written visibly first, so the toolkit's CR/LF escapes never appear.
    assert github_data("100% a\nb\r") == "100%25 a\\nb\\r"
    assert github_property("a:b,c%\n") == "a%3Ab%2Cc%25\\n"


def test_baseline_ratchet_across_edits(project: Path) -> None:
    baseline = project / "baseline.json"
    assert run(project, "--write-baseline", str(baseline), "--format", "concise").returncode == 0
    first = baseline.read_text()
    # Known violations pass; unrelated edits (lines move) do not churn the baseline.
    (project / "troveguest" / "api.py").write_text(
        "# moved down\n\n" + (project / "troveguest" / "api.py").read_text()
    )
    assert run(project, "--baseline", str(baseline)).returncode == 0
    assert run(project, "--write-baseline", str(baseline), "--format", "concise").returncode == 0
    assert baseline.read_text() == first
    # A new violation fails, and only it is reported.
    (project / "troveguest" / "restore.py").write_text("from trove.instance import models\n")
    new = run(project, "--baseline", str(baseline), "--format", "concise")
    assert new.returncode == 1
    assert [line.split(": ")[1].split()[0] for line in new.stdout.splitlines()] == ["BND101", "BND111"]
    assert all(line.startswith("troveguest/restore.py:1:1:") for line in new.stdout.splitlines())
    (project / "troveguest" / "restore.py").unlink()
    # A fixed violation is listed; strict mode fails until the baseline is rewritten.
    (project / "common" / "notification.py").write_text(
        "def send_start(context, action):\n    return context\n"
    )
    fixed = run(project, "--baseline", str(baseline), "--format", "json")
    assert fixed.returncode == 0
    assert (
        "common-standalone: common.notification -> trove.taskmanager.api (BND101)"
        in json.loads(fixed.stdout)["fixed"]
    )
    assert run(project, "--baseline", str(baseline), "--strict-baseline").returncode == 1
    assert run(project, "--write-baseline", str(baseline), "--format", "concise").returncode == 0
    assert run(project, "--baseline", str(baseline), "--strict-baseline").returncode == 0


def test_affected_mode_reports_chain_through_a_changed_middle_module(project: Path) -> None:
    # common/notification.py is the middle of troveguest.backup's chain.
    result = run(project, "--format", "concise", "--contract", "guest-never-core", "common/notification.py")
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        'troveguest/backup.py:3:1: BND102 troveguest.backup -> common.notification (l.3) -> trove.taskmanager.api (l.3) breaks "The guest agent never imports Trove\'s core" (guest-never-core); instructions: Move what the guest agent needs into common, or ask Trove over RPC; see README.md (the blueprint).',
    ]


def test_affected_mode_with_an_untouched_file_is_kept(project: Path) -> None:
    result = run(project, "--format", "concise", "common/cfg.py")
    assert result.returncode == 0 and result.stdout == ""


def test_affected_mode_reports_a_new_forbidden_module_at_the_chain_end(project: Path) -> None:
    (project / "trove" / "backup.py").write_text("X = 1\n")
    (project / "troveguest" / "agent.py").write_text("from trove import backup\n")
    result = run(project, "--format", "concise", "--contract", "guest-never-core", "trove/backup.py")
    assert result.stdout.splitlines() == [
        'troveguest/agent.py:1:1: BND101 troveguest.agent -> trove.backup (l.1) breaks "The guest agent never imports Trove\'s core" (guest-never-core); instructions: Move what the guest agent needs into common, or ask Trove over RPC; see README.md (the blueprint).',
    ]
