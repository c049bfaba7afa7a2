"""Baselines through the CLI: what an entry is keyed on, --strict-baseline saying why in every
format, SARIF's baselineState and suppressions, and a hostile baseline file (the repository
supplies it) refused with one message naming it."""

from __future__ import annotations

import json
import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
from cli_support import Result, check, write
from conftest import ROOT

SARIF_SCHEMA = ROOT / "tests" / "schemas" / "sarif-schema-2.1.0.json"

MOVED = """
    [tool.boundary_lint]
    root_packages = ["app"]

    [[tool.boundary_lint.contracts]]
    id = "moved"
    type = "moved"
    moves = ["app.old -> app.new"]

    [[tool.boundary_lint.contracts]]
    id = "no-db"
    type = "forbidden"
    source_modules = ["app.web"]
    forbidden_modules = ["app.db"]
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    write(tmp_path / "pyproject.toml", MOVED)
    for module in ("__init__", "db", "web"):
        write(tmp_path / "app" / f"{module}.py", "")
    write(tmp_path / "app" / "m.py", 'A = "app.old.alpha"\n')
    write(tmp_path / "app" / "web.py", "from app import db\n")
    return tmp_path


def baseline_of(project: Path) -> Path:
    path = project / "baseline.json"
    assert check("--write-baseline", path, "--format", "concise", cwd=project).returncode == 0
    return path


def test_a_new_stale_reference_in_a_baselined_module_fails(project: Path) -> None:
    baseline = baseline_of(project)
    assert '"chain": ["app.m", "app.old.alpha"]' in baseline.read_text()  # the name is part of the key
    assert check("--baseline", baseline, cwd=project).returncode == 0
    # Same module, same code, same count: only the name it refers to differs.
    write(project / "app" / "m.py", 'A = "app.old.beta"\n')
    result = check("--baseline", baseline, "--format", "concise", cwd=project)
    assert result.returncode == 1, result
    assert result.stdout.splitlines() == [
        'app/m.py:1:5: BND203 app.m names in a string app.old.beta (now app.new.beta) breaks "moved"',
    ]


def fix_everything(project: Path) -> None:
    write(project / "app" / "m.py", "A = 1\n")
    write(project / "app" / "web.py", "")


STRICT_LINE = 4  # the file is one entry per line; line 4 is the first entry ("moved" < "no-db")


def test_strict_baseline_says_why_in_every_format(project: Path) -> None:
    baseline = baseline_of(project)
    fix_everything(project)
    assert check("--baseline", baseline, cwd=project).returncode == 0

    def strict(fmt: str) -> Result:
        result = check("--baseline", baseline, "--strict-baseline", "--format", fmt, cwd=project)
        assert result.returncode == 1, result
        return result

    concise = strict("concise").stdout.splitlines()
    assert concise == [
        f"baseline.json:{STRICT_LINE}:1: BND905 fixed, but still in the baseline: moved: app.m -> app.old.alpha "
        "(BND203) (delete the entry, or rewrite the baseline)",
        f"baseline.json:{STRICT_LINE + 1}:1: BND905 fixed, but still in the baseline: no-db: app.web -> app.db "
        "(BND101) (delete the entry, or rewrite the baseline)",
    ]
    assert (
        f"error BND905 baseline.json:{STRICT_LINE}: fixed, but still in the baseline" in strict("text").stdout
    )
    github = strict("github").stdout.splitlines()
    assert len(github) == 2 and all(line.startswith("::error file=baseline.json,line=") for line in github)
    zuul = json.loads(strict("zuul").stdout)
    assert [c["line"] for c in zuul["baseline.json"]] == [STRICT_LINE, STRICT_LINE + 1]
    gerrit = json.loads(strict("gerrit").stdout)
    assert "2 errors" in gerrit["message"] and len(gerrit["comments"]["baseline.json"]) == 2
    data = json.loads(strict("json").stdout)
    assert data["kept"] is False and [e["code"] for e in data["errors"]] == ["BND905", "BND905"]
    suite = ET.fromstring(strict("junit").stdout).find("testsuite")
    assert suite is not None and suite.get("failures") == "1"
    case = suite.find("testcase[@classname='boundary_lint.baseline']")
    assert case is not None and case.get("name") == "baseline.json"
    failure = case.find("failure")
    assert failure is not None and failure.get("type") == "BND905"
    assert "no-db: app.web -> app.db (BND101)" in (failure.text or "")
    sarif = json.loads(strict("sarif").stdout)
    jsonschema.Draft4Validator(json.loads(SARIF_SCHEMA.read_text())).validate(sarif)
    results = sarif["runs"][0]["results"]
    assert [(r["ruleId"], r["level"]) for r in results] == [("BND905", "error"), ("BND905", "error")]
    location = results[0]["locations"][0]["physicalLocation"]
    assert (
        location["artifactLocation"]["uri"] == "baseline.json"
        and location["region"]["startLine"] == STRICT_LINE
    )
    html = strict("html").stdout
    assert "BND905" in html and "no-db: app.web -&gt; app.db (BND101)" in html


def test_fixed_entries_without_strict_are_notes(project: Path) -> None:
    baseline = baseline_of(project)
    fix_everything(project)
    github = check("--baseline", baseline, "--format", "github", cwd=project)
    assert github.returncode == 0
    assert [line.split(" ", 1)[0] for line in github.stdout.splitlines()] == ["::notice", "::notice"]
    assert check("--baseline", baseline, "--format", "concise", cwd=project).stdout == ""
    junit = ET.fromstring(check("--baseline", baseline, "--format", "junit", cwd=project).stdout)
    assert junit.get("failures") == "0" and junit.get("errors") == "0"
    sarif = json.loads(check("--baseline", baseline, "--format", "sarif", cwd=project).stdout)
    assert [(r["ruleId"], r["level"]) for r in sarif["runs"][0]["results"]] == [("BND905", "note")] * 2
    text = check("--baseline", baseline, cwd=project).stdout
    assert f"note: baseline.json:{STRICT_LINE}: fixed, but still in the baseline: moved" in text


def test_strict_baseline_in_affected_mode_still_says_why(project: Path) -> None:
    baseline = baseline_of(project)
    fix_everything(project)
    result = check(
        "--baseline", baseline, "--strict-baseline", "--format", "concise", "app/m.py", cwd=project
    )
    assert result.returncode == 1
    assert [line.split(": ")[1].split()[0] for line in result.stdout.splitlines()] == ["BND905", "BND905"]


def test_sarif_marks_baselined_violations_unchanged_and_suppressed(project: Path) -> None:
    baseline = baseline_of(project)
    write(project / "app" / "web.py", "from app import db\nfrom app.db import x\n")  # one more statement
    write(project / "app" / "db.py", "x = 1\n")
    result = check("--baseline", baseline, "--format", "sarif", cwd=project)
    assert result.returncode == 1
    sarif = json.loads(result.stdout)
    jsonschema.Draft4Validator(json.loads(SARIF_SCHEMA.read_text())).validate(sarif)
    states = {
        (r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"]): (
            r["baselineState"],
            [s["kind"] for s in r.get("suppressions", [])],
        )
        for r in sarif["runs"][0]["results"]
    }
    # The entry counts one statement for app.web -> app.db; two begin it now, so both are new
    # (which one is new cannot be told); the moved reference is known.
    assert states == {
        ("BND101", 1): ("new", []),
        ("BND101", 2): ("new", []),
        ("BND203", 1): ("unchanged", ["external"]),
    }
    without = json.loads(check("--format", "sarif", cwd=project).stdout)
    assert all("baselineState" not in r for r in without["runs"][0]["results"])


HOSTILE_BASELINES = {
    "infinity": (
        '{"boundary_lint_baseline": 1, "violations": [{"contract": "moved", "code": "BND203", '
        '"chain": ["app.m"], "count": Infinity}]}',
        "Infinity is not a number a baseline can hold",
    ),
    "nan": ('{"boundary_lint_baseline": NaN, "violations": []}', "NaN is not a number a baseline can hold"),
    "float": (
        '{"boundary_lint_baseline": 1, "violations": [{"contract": "moved", "code": "BND203", '
        '"chain": ["app.m"], "count": 1e999}]}',
        "1e999: counts are whole numbers",
    ),
    "deep": ("[" * 100_000 + "]" * 100_000, "nested far deeper than a baseline's 4 levels"),
    "deep-unclosed": ('{"violations": ' + "[" * 500_000, "nested far deeper than a baseline's 4 levels"),
    "duplicate-key": (
        '{"boundary_lint_baseline": 1, "violations": [], "violations": []}',
        "key 'violations' appears twice in one object",
    ),
    "duplicate-entry": (
        '{"boundary_lint_baseline": 1, "violations": ['
        '{"contract": "c", "code": "BND101", "chain": ["a", "b"], "count": 1},'
        '{"contract": "c", "code": "BND101", "chain": ["a", "b"], "count": 2}]}',
        "entry 2 repeats an earlier entry (c: a -> b (BND101))",
    ),
    "many-duplicate-keys": (
        '{"boundary_lint_baseline": 1, "violations": [], '
        + ", ".join(f'"k{i % 150_000}": 1' for i in range(300_000))
        + "}",
        "key 'k0' appears twice in one object",
    ),  # in linear time: run_cli has a timeout
    "bool-count": (
        '{"boundary_lint_baseline": 1, "violations": [{"contract": "c", "code": "BND101", '
        '"chain": ["a"], "count": true}]}',
        'entry 1: "count" must be a positive whole number',
    ),
    "huge-count": (
        '{"boundary_lint_baseline": 1, "violations": [{"contract": "c", "code": "BND101", '
        '"chain": ["a"], "count": ' + "9" * 5000 + "}]}",
        "Exceeds the limit",
    ),
    "extra-key": (
        '{"boundary_lint_baseline": 1, "violations": [{"contract": "c", "code": "BND101", '
        '"chain": ["a"], "count": 1, "x": 1}]}',
        "entry 1: must have exactly the keys chain, code, contract, count",
    ),
    "empty-chain": (
        '{"boundary_lint_baseline": 1, "violations": [{"contract": "c", "code": "BND101", '
        '"chain": [], "count": 1}]}',
        'entry 1: "chain" must be a list of module names',
    ),
    "version-true": ('{"boundary_lint_baseline": true, "violations": []}', "not a boundary-lint baseline"),
    "version-2": ('{"boundary_lint_baseline": 2, "violations": []}', "is a format this version cannot read"),
    "not-an-object": ("[]", "not a boundary-lint baseline"),
    "empty": ("", "Expecting value: line 1 column 1 (char 0)"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE_BASELINES))
def test_a_hostile_baseline_is_one_clear_error(project: Path, name: str) -> None:
    text, problem = HOSTILE_BASELINES[name]
    baseline = project / "baseline.json"
    baseline.write_text(text, encoding="utf-8")
    assert_baseline_refused(check("--baseline", baseline, cwd=project), baseline, problem)


def assert_baseline_refused(result: Result, baseline: Path, problem: str) -> None:
    assert result.returncode == 2, result
    assert result.stdout == "", result
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr, result
    assert len(result.stderr.splitlines()) == 1, result
    assert result.stderr.startswith(f"boundary-lint: error: {baseline}: "), result
    assert problem in result.stderr, result


def test_a_baseline_that_is_not_utf8_is_refused(project: Path) -> None:
    baseline = project / "baseline.json"
    baseline.write_bytes(b'{"boundary_lint_baseline": 1, "violations": ["\xff"]}')
    assert_baseline_refused(
        check("--baseline", baseline, cwd=project),
        baseline,
        "not valid utf-8 text (invalid start byte at byte 46)",
    )


def test_a_baseline_with_a_bom_is_read(project: Path) -> None:
    baseline = baseline_of(project)
    baseline.write_bytes(b"\xef\xbb\xbf" + baseline.read_bytes())
    assert check("--baseline", baseline, cwd=project).returncode == 0


def test_a_fifo_baseline_is_refused_without_blocking(project: Path) -> None:
    baseline = project / "baseline.json"
    os.mkfifo(baseline)
    # run_cli has a 60 s timeout: a read that blocks fails the test instead of hanging it.
    assert_baseline_refused(
        check("--baseline", baseline, cwd=project), baseline, "the baseline is not a regular file"
    )


def test_an_oversized_baseline_is_refused_before_it_is_read(project: Path) -> None:
    baseline = project / "baseline.json"
    with baseline.open("wb") as handle:
        handle.truncate(65 * 1024 * 1024)  # sparse: costs no disk, and is never read
    assert_baseline_refused(
        check("--baseline", baseline, cwd=project), baseline, "the baseline is larger than 64 MB"
    )


def test_hostile_baseline_entries_are_escaped_when_reported_fixed(project: Path) -> None:
    baseline = project / "baseline.json"
    entry = {"contract": "x\nREADME:7:1: Approved", "code": "BND101", "chain": ["a\u202eb", "c"], "count": 1}
    baseline.write_text(json.dumps({"boundary_lint_baseline": 1, "violations": [entry]}), encoding="utf-8")
    fix_everything(project)
    result = check("--baseline", baseline, "--strict-baseline", "--format", "concise", cwd=project)
    assert result.returncode == 1
    [line] = result.stdout.splitlines()
    assert re.fullmatch(
        r"baseline\.json:1:1: BND905 fixed, but still in the baseline: "
        r"x\\nREADME\\x3a7\\x3a1: Approved: a\\u202eb -> c \(BND101\) .*",
        line,
    ), line


def test_contracts_not_checked_keep_their_entries(project: Path) -> None:
    """--contract checks some contracts: the others' entries are neither fixed nor dropped."""
    baseline = baseline_of(project)
    write(project / "app" / "m.py", "A = 1\n")  # the moved finding is fixed; no-db's is not
    only_db = check(
        "--baseline", baseline, "--strict-baseline", "--contract", "no-db", "--format", "concise", cwd=project
    )
    assert only_db.returncode == 0 and only_db.stdout == "", only_db
    only_moved = check(
        "--baseline", baseline, "--strict-baseline", "--contract", "moved", "--format", "concise", cwd=project
    )
    assert only_moved.returncode == 1 and "BND905" in only_moved.stdout and "no-db" not in only_moved.stdout
    # Rewriting the baseline for one contract keeps the other's entries as they were.
    write(project / "app" / "web.py", "from app import db\nimport app.db\n")
    assert (
        check(
            "--contract", "no-db", "--write-baseline", baseline, "--format", "concise", cwd=project
        ).returncode
        == 0
    )
    entries = [
        json.loads(line.strip().rstrip(","))
        for line in baseline.read_text().splitlines()
        if '"chain"' in line
    ]
    assert [(e["contract"], e["count"]) for e in entries] == [("moved", 1), ("no-db", 2)]
