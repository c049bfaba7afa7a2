"""What a broken contract tells its reader, through the CLI and flake8: the contract's
``instructions`` (import-linter's ``broken_contract_guidance`` read as the same key) with every
violation, the contract named by its name, long chains shortened on one line and drawn whole in
text and JSON, and the root causes that gather several violations."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from cli_support import assert_config_error, check, write

# app.ui imports app.db directly; app.a1 reaches app.db through five imports; app.db imports
# app.ui back (a cycle, and a lower layer importing a higher one).
TREE = {
    "app/__init__.py": "",
    "app/ui.py": "import app.db\n",
    "app/db.py": "import app.ui\n",
    "app/a1.py": "import app.a2\n",
    "app/a2.py": "import app.a3\n",
    "app/a3.py": "import app.a4\n",
    "app/a4.py": "import app.a5\n",
    "app/a5.py": "import app.db\n",
}
CONTRACTS = {
    "forbidden": 'source_modules = ["app.ui"]\nforbidden_modules = ["app.db"]',
    "layers": 'layers = ["app.ui", "app.db"]',
    "independence": 'modules = ["app.ui", "app.db"]',
    "protected": 'protected_modules = ["app.db"]\nallowed_importers = ["app.a5"]',
    "acyclic_siblings": 'ancestors = ["app"]',
}
STEPS = "Go through app.api instead.\nSee https://example.org/adr/7 (the decision)."


def project(tmp_path: Path, contracts: str) -> Path:
    for name, text in TREE.items():
        write(tmp_path / name, text)
    write(tmp_path / "pyproject.toml", '[tool.boundary_lint]\nroot_packages = ["app"]\n' + contracts)
    return tmp_path


def contract(kind: str, extra: str = "", *, name: str = "The UI keeps off the database") -> str:
    return f'\n[[tool.boundary_lint.contracts]]\nid = "c"\nname = "{name}"\ntype = "{kind}"\n{CONTRACTS[kind]}\n{extra}\n'


def steps(key: str = "instructions") -> str:
    return f'{key} = """{STEPS}"""'


@pytest.mark.parametrize("kind", sorted(CONTRACTS))
def test_every_contract_type_shows_its_instructions(kind: str, tmp_path: Path) -> None:
    root = project(tmp_path, contract(kind, steps()))
    concise = check("--format", "concise", cwd=root)
    assert concise.returncode == 1, concise
    lines = concise.stdout.splitlines()
    assert lines, concise
    one_line = "; instructions: Go through app.api instead. See https://example.org/adr/7 (the decision)."
    assert all(line.endswith(one_line) and '"The UI keeps off the database" (c)' in line for line in lines)
    text = check(cwd=root).stdout
    assert (
        "  instructions: Go through app.api instead.\n  instructions: See https://example.org/adr/7" in text
    )
    data = json.loads(check("--format", "json", cwd=root).stdout)
    assert data["contracts"][0]["instructions"] == STEPS
    sarif = json.loads(check("--format", "sarif", cwd=root).stdout)
    properties = [r["properties"] for r in sarif["runs"][0]["results"]]
    # SARIF viewers show text as it is: a line break is escaped, as in every message.
    escaped = STEPS.replace("\n", "\\n")
    assert properties and all(p["instructions"] == escaped and p["contract"] == "c" for p in properties)


def test_import_linters_key_is_read_and_a_kept_contract_shows_nothing(tmp_path: Path) -> None:
    root = project(tmp_path, contract("independence", steps("broken_contract_guidance")))
    assert "instructions: Go through app.api instead." in check(cwd=root).stdout
    kept = project(
        tmp_path / "kept", contract("independence", steps()).replace('"app.ui", "app.db"', '"app.a1"')
    )
    result = check(cwd=kept)
    assert result.returncode == 0, result
    assert "instructions" not in result.stdout


def test_both_keys_are_one_error_naming_the_second(tmp_path: Path) -> None:
    root = project(tmp_path, contract("forbidden", steps() + "\n" + steps("broken_contract_guidance")))
    assert_config_error(
        check(cwd=root),
        f"{root / 'pyproject.toml'}, contract 'c', key 'broken_contract_guidance': the same as "
        "'instructions': give one of them",
    )


def test_instructions_is_ours_alone_in_import_linters_files(tmp_path: Path) -> None:
    for name, text in TREE.items():
        write(tmp_path / name, text)
    write(
        tmp_path / ".importlinter",
        "[importlinter]\nroot_package = app\n\n[importlinter:contract:c]\nname = n\ntype = forbidden\n"
        "source_modules = app.ui\nforbidden_modules = app.db\ninstructions = go\n",
    )
    result = check(cwd=tmp_path)
    assert result.returncode == 2, result
    assert "contract 'c', key 'instructions': unknown key" in result.stderr


def test_a_contract_without_a_name_is_named_by_its_id(tmp_path: Path) -> None:
    root = project(tmp_path, contract("forbidden").replace('name = "The UI keeps off the database"\n', ""))
    assert check("--format", "concise", cwd=root).stdout == (
        'app/ui.py:1:1: BND101 app.ui -> app.db (l.1) breaks "c"\n'
    )


def test_a_long_chain_is_shortened_on_one_line_and_whole_elsewhere(tmp_path: Path) -> None:
    root = project(tmp_path, contract("forbidden").replace('["app.ui"]', '["app.a1"]'))
    concise = check("--format", "concise", cwd=root).stdout
    assert concise == (
        "app/a1.py:1:1: BND102 app.a1 -> app.a2 (l.1) -> app.a3 (l.1) -> [2 more] -> app.a5 -> app.db (l.1) "
        'breaks "The UI keeps off the database" (c)\n'
    )
    chain = json.loads(check("--format", "json", cwd=root).stdout)["contracts"][0]["violations"][0]["chain"]
    assert [hop["importer"] for hop in chain] == ["app.a1", "app.a2", "app.a3", "app.a4", "app.a5"]
    text = check(cwd=root).stdout
    assert [line.split()[0] for line in text.splitlines() if line.startswith("      ")] == [
        "app.a1",
        "app.a2",
        "app.a3",
        "app.a4",
        "app.a5",
    ]


def test_flake8_shows_the_name_and_the_instructions(tmp_path: Path) -> None:
    root = project(tmp_path, contract("forbidden", steps()))
    done = subprocess.run(
        [sys.executable, "-m", "flake8", "--select=BND", "app/ui.py"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.stdout == (
        'app/ui.py:1:1: BND101 app.ui -> app.db (l.1) breaks "The UI keeps off the database" (c); '
        "instructions: Go through app.api instead. See https://example.org/adr/7 (the decision).\n"
    ), done


# A shared import: app.hub -> app.db is on the chains of three violations (app.v1..v3 import
# app.hub); app.ui imports app.db directly.
SHARED = {
    "app/__init__.py": "",
    "app/ui.py": "import app.db\n",
    "app/db.py": "",
    "app/hub.py": "x = 1\n\nimport app.db\n",
    "app/v1.py": "import app.hub\n",
    "app/v2.py": "import app.hub\n",
    "app/v3.py": "import app.hub\n",
}
SHARED_CONTRACT = """
[[tool.boundary_lint.contracts]]
id = "views-no-db"
type = "forbidden"
source_modules = ["app.v1", "app.v2", "app.v3", "app.ui"]
forbidden_modules = ["app.db"]
"""


def shared_project(tmp_path: Path) -> Path:
    for name, text in SHARED.items():
        write(tmp_path / name, text)
    write(tmp_path / "pyproject.toml", '[tool.boundary_lint]\nroot_packages = ["app"]\n' + SHARED_CONTRACT)
    return tmp_path


def test_root_causes_in_text_and_json(tmp_path: Path) -> None:
    root = shared_project(tmp_path)
    text = check(cwd=root).stdout
    section = text[text.index("  root causes") :].splitlines()
    assert section[1].split() == ["3", "violations", "app.hub", "->", "app.db", "app/hub.py:3"]
    assert not section[2].startswith("    "), "a root cause of one violation is not listed"
    data = json.loads(check("--format", "json", cwd=root).stdout)["contracts"][0]
    causes = data["root_causes"]
    assert [(c["importer"], c["imported"], c["path"], c["lines"]) for c in causes] == [
        ("app.hub", "app.db", "app/hub.py", [3]),
        ("app.ui", "app.db", "app/ui.py", [1]),
    ]
    grouped = [[data["violations"][i]["importer"] for i in c["violations"]] for c in causes]
    assert grouped == [["app.v1", "app.v2", "app.v3"], ["app.ui"]]


def test_html_groups_violations_by_root_cause_collapsed_and_names_no_machine_path(tmp_path: Path) -> None:
    root = shared_project(tmp_path)
    page = check("--format", "html", cwd=root).stdout
    groups = page.split('<details class="group">')[1:]
    assert len(groups) == 2
    assert "3 violations through" in groups[0] and groups[0].count('<tr class="violation') == 3
    assert "1 violation through" in groups[1] and groups[1].count('<tr class="violation') == 1
    assert "<details open" not in page
    assert str(root) not in page and str(root.parent) not in page
