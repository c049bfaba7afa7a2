"""The real ``boundary-lint`` CLI, run as a subprocess on real package trees (tests/trees/cli_*),
with configuration files of every supported kind written per test into a temporary copy."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from cli_support import (
    ANSI,
    BND_CODE,
    BOUNDARY_LINT,
    CONCISE_LINE,
    INI_IMPORTLINTER,
    INI_NATIVE,
    INI_NATIVE_ONE_CONTRACT,
    PYPROJECT_IMPORTLINTER,
    PYPROJECT_NATIVE,
    PYPROJECT_ONE_CONTRACT,
    SHOP_CONCISE,
    SHOP_SUPPRESSED,
    SHOP_TEXT,
    assert_config_error,
    check,
    clean_env,
    concise_lines,
    run_cli,
    run_on_tty,
    shop_project,
    standalone_toml,
    write,
)

from boundary_lint import __version__

SESSION_KEYS = (
    "cache_dir, contract_types, dynamic_imports, exclude_type_checking_imports, include_external_packages, "
    "root_package, root_packages, source_roots, string_imports"
)
FORBIDDEN_KEYS = (
    "allow_indirect_imports, as_packages, broken_contract_guidance, forbidden_modules, id, "
    "ignore_imports, instructions, name, source_modules, type, unmatched_ignore_imports_alerting"
)
NO_CONFIG_IN_FILE = (
    "holds no boundary-lint or import-linter configuration "
    "([tool.boundary_lint], [boundary_lint], [tool.importlinter] or [importlinter])"
)


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    """cli_shop with its three contracts in pyproject.toml [tool.boundary_lint]."""
    return shop_project(tmp_path / "project")


# --- formats ---------------------------------------------------------------------------------


def test_text_format_is_exact_and_plain_when_not_a_tty(shop: Path) -> None:
    result = check(cwd=shop)
    assert result.returncode == 1, result
    assert result.stdout == SHOP_TEXT
    assert not ANSI.search(result.stdout)
    assert result.stderr == ""
    # text is the default format
    assert check("--format", "text", cwd=shop).stdout_bytes == result.stdout_bytes


def _run_on_tty(args: list[str], cwd: Path, env: dict[str, str]) -> tuple[int, str]:
    """Run with stdout on a pseudo-terminal; return the exit code and what the terminal got."""
    code, shown, _ = run_on_tty(args, cwd, env, tty="stdout")
    return code, shown


def test_text_format_is_coloured_only_on_a_tty(shop: Path, tmp_path: Path) -> None:
    code, shown = _run_on_tty(["check"], shop, clean_env(TERM="xterm"))
    assert code == 1
    assert (
        "\x1b[31mBROKEN\x1b[0m \x1b[1mThe API never touches the database\x1b[0m [api-no-db, forbidden]"
        in shown
    )
    assert re.sub(r"\x1b\[[0-9;]*m", "", shown) == SHOP_TEXT
    # NO_COLOR and TERM=dumb turn colour off even on a terminal
    assert _run_on_tty(["check"], shop, clean_env(TERM="xterm", NO_COLOR="1"))[1] == SHOP_TEXT
    assert _run_on_tty(["check"], shop, clean_env(TERM="dumb"))[1] == SHOP_TEXT
    # a report written to a file has no colour, even when stdout is a terminal
    report = tmp_path / "report.txt"
    code, shown = _run_on_tty(["check", "--output", str(report)], shop, clean_env(TERM="xterm"))
    assert (code, shown) == (1, "")
    assert report.read_text(encoding="utf-8") == SHOP_TEXT


def test_concise_format_lines(shop: Path) -> None:
    result = check("--format", "concise", cwd=shop)
    assert result.returncode == 1, result
    assert result.stderr == ""
    lines = concise_lines(result)
    assert lines == SHOP_CONCISE
    assert result.stdout.endswith("\n")
    for line in lines:
        match = CONCISE_LINE.match(line)
        assert match, line
        path, row, column, message = match.groups()
        assert (shop / path).is_file()
        assert int(row) >= 1 and int(column) >= 1
        assert BND_CODE.match(message.split()[0]), line


def _assert_json_schema(data: dict, project: Path) -> None:
    """Every required key with its type; the invariants PRODUCT.md states."""
    assert set(data) >= {"schema_version", "tool", "kept", "contracts", "errors", "summary"}
    assert data["schema_version"] == 1 and type(data["schema_version"]) is int
    assert data["tool"] == {"name": "boundary-lint", "version": __version__}
    assert type(data["kept"]) is bool
    assert isinstance(data["contracts"], list) and isinstance(data["errors"], list)
    all_violations = []
    for contract in data["contracts"]:
        assert set(contract) >= {"id", "name", "type", "kept", "violations"}
        assert all(type(contract[k]) is str for k in ("id", "name", "type"))
        assert type(contract["kept"]) is bool
        for v in contract["violations"]:
            all_violations.append(v)
            assert set(v) >= {"code", "message", "importer", "imported", "path", "line", "column", "chain"}
            assert BND_CODE.match(v["code"])
            assert all(type(v[k]) is str for k in ("message", "importer", "imported", "path"))
            assert type(v["line"]) is int and v["line"] >= 1
            assert type(v["column"]) is int and v["column"] >= 1
            assert "\\" not in v["path"] and not Path(v["path"]).is_absolute()
            source = (project / v["path"]).read_text(encoding="utf-8").splitlines()
            # line and column (1-based) point at the import statement itself
            assert source[v["line"] - 1][v["column"] - 1 :].startswith(("import ", "from ")), v
            chain = v["chain"]
            assert isinstance(chain, list) and chain
            assert chain[0]["importer"] == v["importer"]
            assert chain[-1]["imported"] == v["imported"]
            assert (chain[0]["path"], chain[0]["line"]) == (v["path"], v["line"])
            for hop, following in zip(chain, chain[1:]):
                assert hop["imported"] == following["importer"]
            for hop in chain:
                assert set(hop) >= {"importer", "imported", "path", "line", "lines"}
                assert all(type(hop[k]) is str for k in ("importer", "imported", "path"))
                assert type(hop["line"]) is int and hop["line"] >= 1
                assert all(type(n) is int and n >= 1 for n in hop["lines"]) and hop["line"] in hop["lines"]
                assert "\\" not in hop["path"] and (project / hop["path"]).is_file()
        # a contract is kept exactly when it has no unsuppressed violation and no error
        active = [v for v in contract["violations"] if not v.get("suppressed") and not v.get("baselined")]
        assert contract["kept"] == (not active and not contract.get("errors"))
    for error in data["errors"]:
        assert set(error) >= {"code", "message", "path", "line"}
        assert BND_CODE.match(error["code"]) and type(error["message"]) is str
        assert error["path"] is None or (type(error["path"]) is str and "\\" not in error["path"])
        assert error["line"] is None or (type(error["line"]) is int and error["line"] >= 1)
    summary = data["summary"]
    assert set(summary) >= {"contracts", "broken", "violations", "suppressed"}
    assert all(type(summary[k]) is int for k in ("contracts", "broken", "violations", "suppressed"))
    assert summary["contracts"] == len(data["contracts"])
    assert summary["broken"] == sum(not c["kept"] for c in data["contracts"])
    assert summary["suppressed"] == sum(bool(v.get("suppressed")) for v in all_violations)
    assert summary["violations"] == sum(
        not v.get("suppressed") and not v.get("baselined") for v in all_violations
    )
    assert data["kept"] == (summary["broken"] == 0 and not data["errors"])


def _summary(data: dict) -> dict[str, int]:
    """The summary counts the schema requires (later versions may add more)."""
    return {k: data["summary"][k] for k in ("contracts", "broken", "violations", "suppressed")}


def _violation_rows(data: dict) -> list[tuple]:
    return [
        (
            c["id"],
            v["code"],
            v["path"],
            v["line"],
            v["column"],
            v["importer"],
            v["imported"],
            v.get("suppressed"),
            [(h["importer"], h["imported"], h["path"], h["lines"]) for h in v["chain"]],
        )
        for c in data["contracts"]
        for v in c["violations"]
    ]


SHOP_JSON_ROWS = [
    (
        "api-no-db",
        "BND102",
        "shop/api/views.py",
        3,
        1,
        "shop.api.views",
        "shop.db.models",
        False,
        [
            ("shop.api.views", "shop.services.orders", "shop/api/views.py", [3]),
            ("shop.services.orders", "shop.db.models", "shop/services/orders.py", [1]),
        ],
    ),
    (
        "api-no-db",
        "BND101",
        "shop/api/views.py",
        4,
        1,
        "shop.api.views",
        "shop.db.session",
        True,
        [("shop.api.views", "shop.db.session", "shop/api/views.py", [4])],
    ),
    (
        "api-no-db",
        "BND101",
        "shop/api/views.py",
        8,
        5,
        "shop.api.views",
        "shop.db.models",
        False,
        [("shop.api.views", "shop.db.models", "shop/api/views.py", [8])],
    ),
    (
        "shop-layers",
        "BND111",
        "shop/services/orders.py",
        2,
        1,
        "shop.services.orders",
        "shop.api.schemas",
        False,
        [("shop.services.orders", "shop.api.schemas", "shop/services/orders.py", [2])],
    ),
]


def test_json_format_schema_and_values(shop: Path) -> None:
    result = check("--format", "json", cwd=shop)
    assert result.returncode == 1, result
    assert result.stderr == ""
    data = json.loads(result.stdout)
    _assert_json_schema(data, shop)
    assert data["kept"] is False
    assert [(c["id"], c["name"], c["type"], c["kept"]) for c in data["contracts"]] == [
        ("api-no-db", "The API never touches the database", "forbidden", False),
        ("shop-layers", "api above services above db", "layers", False),
        ("util-alone", "util and db are independent", "independence", True),
    ]
    assert _violation_rows(data) == SHOP_JSON_ROWS
    # the same findings, with the same messages, as the concise format
    assert [
        f"{v['path']}:{v['line']}:{v['column']}: {v['code']} {v['message']}"
        for c in data["contracts"]
        for v in c["violations"]
        if not v["suppressed"]
    ] == SHOP_CONCISE
    assert data["errors"] == []
    assert _summary(data) == {"contracts": 3, "broken": 2, "violations": 3, "suppressed": 1}


def test_json_paths_are_relative_to_the_config_directory(tmp_path: Path) -> None:
    """A standalone contracts file in a subdirectory: paths are relative to *its* directory."""
    project = shop_project(tmp_path / "project", "contracts/shop.toml", standalone_toml(".."))
    result = check("--config", "contracts/shop.toml", "--format", "json", cwd=project)
    assert result.returncode == 1, result
    data = json.loads(result.stdout)
    _assert_json_schema(data, project / "contracts")
    assert [(row[2], row[3]) for row in _violation_rows(data)] == [
        ("../shop/api/views.py", 3),
        ("../shop/api/views.py", 4),
        ("../shop/api/views.py", 8),
        ("../shop/services/orders.py", 2),
    ]
    assert [h["path"] for h in data["contracts"][0]["violations"][0]["chain"]] == [
        "../shop/api/views.py",
        "../shop/services/orders.py",
    ]
    concise = check("--config", "contracts/shop.toml", "--format", "concise", cwd=project)
    assert concise_lines(concise) == ["../" + line for line in SHOP_CONCISE]


# --- exit codes ------------------------------------------------------------------------------


def test_exit_0_when_every_selected_contract_is_kept(shop: Path) -> None:
    text = check("--contract", "util-alone", cwd=shop)
    assert text.returncode == 0, text
    assert text.stdout == (
        "KEPT   util and db are independent [util-alone, independence]\n"
        "\n"
        "1 contract: 1 kept, 0 broken; 0 violations (0 suppressed); 0 errors\n"
    )
    concise = check("--contract", "util-alone", "--format", "concise", cwd=shop)
    assert (concise.returncode, concise.stdout, concise.stderr) == (0, "", "")
    data = json.loads(check("--contract", "util-alone", "--format", "json", cwd=shop).stdout)
    _assert_json_schema(data, shop)
    assert data["kept"] is True
    assert _summary(data) == {"contracts": 1, "broken": 0, "violations": 0, "suppressed": 0}


def test_exit_1_when_a_contract_is_broken(shop: Path) -> None:
    for fmt in ("text", "concise", "json"):
        result = check("--format", fmt, cwd=shop)
        assert result.returncode == 1, result
        assert result.stderr == ""


BROKEN_FILE = "import shop.db.models\n\n\ndef f(:\n    pass\n"


def test_syntax_error_gives_exit_1_and_bnd902_while_the_rest_is_checked(shop: Path) -> None:
    write(shop / "shop" / "api" / "broken.py", BROKEN_FILE)
    concise = check("--format", "concise", cwd=shop)
    assert concise.returncode == 1, concise
    assert "Traceback" not in concise.stderr
    assert concise_lines(concise) == [
        "shop/api/broken.py:4:1: BND902 syntax error: def f(:",
        *SHOP_CONCISE,
    ]
    data = json.loads(check("--format", "json", cwd=shop).stdout)
    _assert_json_schema(data, shop)
    assert data["errors"] == [
        {"code": "BND902", "message": "syntax error: def f(:", "path": "shop/api/broken.py", "line": 4}
    ]
    assert _violation_rows(data) == SHOP_JSON_ROWS
    assert data["kept"] is False
    text = check(cwd=shop)
    assert text.returncode == 1
    assert text.stdout == (
        "error BND902 shop/api/broken.py:4: syntax error: def f(:\n\n"
        + SHOP_TEXT.replace("0 errors", "1 error")
    )


def test_syntax_error_alone_gives_exit_1(shop: Path) -> None:
    """A file that cannot be analysed fails the check even when every contract is kept; the
    cache (warm on the second run) must not hide it."""
    write(shop / "shop" / "util.py", "def helper(:\n")
    for _ in range(2):
        result = check("--contract", "util-alone", "--format", "concise", cwd=shop)
        assert result.returncode == 1, result
        assert concise_lines(result) == ["shop/util.py:1:1: BND902 syntax error: def helper(:"]
    assert (shop / ".boundary_lint_cache").is_dir()


# --- configuration sources -------------------------------------------------------------------

SOURCES = {
    "pyproject-native": ("pyproject.toml", PYPROJECT_NATIVE),
    "standalone-toml": ("boundary-lint.toml", standalone_toml(".")),
    "setup.cfg-native": ("setup.cfg", INI_NATIVE),
    "tox.ini-native": ("tox.ini", INI_NATIVE),
    ".importlinter": (".importlinter", INI_IMPORTLINTER),
    "setup.cfg-importlinter": ("setup.cfg", INI_IMPORTLINTER),
    "pyproject-importlinter": ("pyproject.toml", PYPROJECT_IMPORTLINTER),
}


@pytest.mark.parametrize("source", SOURCES)
def test_every_config_source_gives_the_same_concise_output(tmp_path: Path, source: str) -> None:
    name, config = SOURCES[source]
    project = shop_project(tmp_path / "project", name, config)
    explicit = check("--config", name, "--format", "concise", cwd=project)
    assert explicit.returncode == 1, explicit
    assert concise_lines(explicit) == SHOP_CONCISE
    if source != "standalone-toml":  # a standalone file is only read when named
        discovered = check("--format", "concise", cwd=project)
        assert discovered.returncode == 1, discovered
        assert discovered.stdout_bytes == explicit.stdout_bytes, discovered
        # and from a subdirectory of the project: same paths, relative to the config's directory
        below = check("--format", "concise", cwd=project / "shop" / "api")
        assert below.stdout_bytes == explicit.stdout_bytes, below


def test_standalone_toml_is_not_discovered(tmp_path: Path) -> None:
    project = shop_project(tmp_path / "project", "boundary-lint.toml", standalone_toml("."))
    result = check(cwd=project)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("boundary-lint: error: no configuration found")


def test_discovery_from_a_subdirectory_skips_files_without_configuration(shop: Path) -> None:
    api = shop / "shop" / "api"
    write(api / "setup.cfg", "[flake8]\nmax-line-length = 100\n")
    write(api / "pyproject.toml", "[tool.black]\nline-length = 100\n")
    write(api / "tox.ini", "[tox]\nenvlist = py311\n")
    result = check("--format", "concise", cwd=api)
    assert result.returncode == 1, result
    assert concise_lines(result) == SHOP_CONCISE
    json_data = json.loads(check("--format", "json", cwd=api).stdout)
    _assert_json_schema(json_data, shop)
    assert _violation_rows(json_data) == SHOP_JSON_ROWS


def test_discovery_nearest_directory_wins(shop: Path) -> None:
    """shop/setup.cfg is nearer to shop/api than the project's pyproject.toml; its paths are
    relative to shop/."""
    write(
        shop / "shop" / "setup.cfg",
        """
        [boundary_lint]
        root_packages = shop
        source_roots = ..

        [boundary_lint:contract:shop-layers]
        type = layers
        layers = shop.api, shop.services, shop.db
    """,
    )
    result = check("--format", "concise", cwd=shop / "shop" / "api")
    assert result.returncode == 1, result
    assert concise_lines(result) == [
        'services/orders.py:2:1: BND111 shop.services.orders -> shop.api.schemas (l.2) breaks "shop-layers"'
    ]


@pytest.mark.parametrize(
    ("native_name", "native", "other_name", "other"),
    [
        ("setup.cfg", INI_NATIVE_ONE_CONTRACT, "pyproject.toml", PYPROJECT_IMPORTLINTER),
        ("tox.ini", INI_NATIVE_ONE_CONTRACT, ".importlinter", INI_IMPORTLINTER),
        ("pyproject.toml", PYPROJECT_ONE_CONTRACT, "setup.cfg", INI_IMPORTLINTER),
    ],
)
def test_discovery_prefers_native_sections(
    tmp_path: Path, native_name: str, native: str, other_name: str, other: str
) -> None:
    project = shop_project(tmp_path / "project", other_name, other)
    write(project / native_name, native)
    result = check("--format", "concise", cwd=project)
    assert result.returncode == 1, result
    assert concise_lines(result) == [SHOP_CONCISE[2]]  # only the native file's shop-layers


def test_no_configuration_found(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    assert_config_error(
        check(cwd=empty),
        "no configuration found: give --config, or add [tool.boundary_lint] to pyproject.toml or "
        "[boundary_lint] to setup.cfg / tox.ini (or point to a file with boundary-lint-config in [flake8])",
    )


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("pyproject.toml", "[tool.black]\nline-length = 100\n"),
        ("other.toml", "[server]\nport = 80\n"),
        ("setup.cfg", "[metadata]\nname = shop\n\n[flake8]\nmax-line-length = 100\n"),
        ("tox.ini", "[tox]\nenvlist = py311\n"),
        (".importlinter", ""),
    ],
)
def test_config_option_naming_a_file_without_configuration(shop: Path, name: str, content: str) -> None:
    write(shop / "conf" / name, content)
    assert_config_error(check("--config", f"conf/{name}", cwd=shop), f"conf/{name}: {NO_CONFIG_IN_FILE}")


def test_config_option_naming_a_missing_file(shop: Path) -> None:
    assert_config_error(
        check("--config", "nowhere.toml", cwd=shop), "nowhere.toml: configuration file not found"
    )


# --- validation errors: exit 2, one message naming file, contract and key -----------------

_FORBIDDEN_TOML = """
[[contracts]]
id = "api-no-db"
type = "forbidden"
source_modules = ["shop.api"]
forbidden_modules = ["shop.db"]
"""

TOML_ERRORS = {
    "unknown-session-key": (
        'root_packages = ["shop"]\ncolour = true\n' + _FORBIDDEN_TOML,
        f"bad.toml, key 'colour': unknown key (allowed: {SESSION_KEYS})",
    ),
    "unknown-contract-key": (
        'root_packages = ["shop"]\n' + _FORBIDDEN_TOML + "allow_indirect = true\n",
        f"bad.toml, contract 'api-no-db', key 'allow_indirect': unknown key (allowed: {FORBIDDEN_KEYS})",
    ),
    "unknown-contract-type": (
        'root_packages = ["shop"]\n' + _FORBIDDEN_TOML.replace('"forbidden"', '"forbiden"'),
        "bad.toml, contract 'api-no-db', key 'type': unknown contract type 'forbiden' "
        "(known: forbidden, layers, independence, protected, acyclic_siblings, moved, references)",
    ),
    "string-for-boolean-session": (
        'root_packages = ["shop"]\ninclude_external_packages = "true"\n' + _FORBIDDEN_TOML,
        "bad.toml, key 'include_external_packages': must be true or false, not 'true'",
    ),
    "string-for-boolean-contract": (
        'root_packages = ["shop"]\n' + _FORBIDDEN_TOML + 'allow_indirect_imports = "yes"\n',
        "bad.toml, contract 'api-no-db', key 'allow_indirect_imports': must be true or false, not 'yes'",
    ),
    "number-for-list-contract": (
        'root_packages = ["shop"]\n' + _FORBIDDEN_TOML.replace('["shop.api"]', "5"),
        "bad.toml, contract 'api-no-db', key 'source_modules': must be a list of strings, not 5",
    ),
    "number-for-list-session": (
        "root_packages = 7\n" + _FORBIDDEN_TOML,
        "bad.toml, key 'root_packages': must be a list of strings, not 7",
    ),
    "number-for-path": (
        'root_packages = ["shop"]\ncache_dir = 3\n' + _FORBIDDEN_TOML,
        "bad.toml, key 'cache_dir': must be a directory path or false, not 3",
    ),
    "duplicate-ids": (
        'root_packages = ["shop"]\n' + _FORBIDDEN_TOML + _FORBIDDEN_TOML,
        "bad.toml, contract 'api-no-db', key 'id': duplicate contract id",
    ),
    "no-contracts": (
        'root_packages = ["shop"]\n',
        "bad.toml, key 'contracts': no contracts are defined",
    ),
    "empty-contract-list": (
        'root_packages = ["shop"]\ncontracts = []\n',
        "bad.toml, key 'contracts': no contracts are defined",
    ),
    "contracts-not-tables": (
        'root_packages = ["shop"]\ncontracts = ["api-no-db"]\n',
        "bad.toml, key 'contracts': must be an array of tables ([[contracts]])",
    ),
    "missing-root-packages": (
        'source_roots = ["."]\n' + _FORBIDDEN_TOML,
        "bad.toml, key 'root_packages': is required",
    ),
    "empty-root-packages": (
        "root_packages = []\n" + _FORBIDDEN_TOML,
        "bad.toml, key 'root_packages': must name at least one package",
    ),
    "missing-contract-id": (
        'root_packages = ["shop"]\n' + _FORBIDDEN_TOML.replace('id = "api-no-db"', ""),
        "bad.toml, contract '#1', key 'id': is required",
    ),
    "missing-source-root": (
        'root_packages = ["shop"]\nsource_roots = ["src"]\n' + _FORBIDDEN_TOML,
        "bad.toml, key 'source_roots': 'src' is not a directory ({root}/src)",
    ),
    "bad-toml-syntax": (
        'root_packages = ["shop"\n' + _FORBIDDEN_TOML,
        "bad.toml: invalid TOML: Unclosed array (at line 3, column 1)",
    ),
}


@pytest.mark.parametrize("case", TOML_ERRORS)
def test_toml_validation_errors(shop: Path, case: str) -> None:
    config, message = TOML_ERRORS[case]
    write(shop / "bad.toml", config)
    assert_config_error(check("--config", "bad.toml", cwd=shop), message.format(root=shop.resolve()))


def test_config_error_goes_to_stderr_whatever_the_format_and_output(shop: Path) -> None:
    write(shop / "bad.toml", TOML_ERRORS["unknown-session-key"][0])
    message = TOML_ERRORS["unknown-session-key"][1]
    for fmt in ("concise", "json"):
        assert_config_error(check("--config", "bad.toml", "--format", fmt, cwd=shop), message)
    result = check("--config", "bad.toml", "--format", "json", "--output", "report.json", cwd=shop)
    assert_config_error(result, message)
    assert not (shop / "report.json").exists()


def test_missing_root_package_on_disk(shop: Path) -> None:
    write(shop / "bad.toml", 'root_packages = ["shop", "nopkg"]\nsource_roots = ["."]\n' + _FORBIDDEN_TOML)
    assert_config_error(
        check("--config", "bad.toml", cwd=shop),
        f"{shop.resolve()}/bad.toml, key 'root_packages': root package 'nopkg' not found in the "
        f"source roots ({shop.resolve()})",
    )


def test_errors_in_a_discovered_file_name_its_full_path(shop: Path) -> None:
    write(
        shop / "pyproject.toml",
        PYPROJECT_NATIVE.replace('root_packages = ["shop"]', 'root_packages = ["shop"]\ncache = false'),
    )
    message = f"{shop.resolve()}/pyproject.toml, key 'cache': unknown key (allowed: {SESSION_KEYS})"
    assert_config_error(check(cwd=shop), message)
    assert_config_error(check(cwd=shop / "shop" / "db"), message)


_INI_HEAD = """
[boundary_lint]
root_packages = shop

[boundary_lint:contract:api-no-db]
type = forbidden
source_modules = shop.api
forbidden_modules = shop.db
"""

INI_ERRORS = {
    "unknown-session-key": (
        _INI_HEAD.replace("root_packages = shop", "root_packages = shop\ncolour = yes"),
        f"setup.cfg, key 'colour': unknown key (allowed: {SESSION_KEYS})",
    ),
    "unknown-contract-key": (
        _INI_HEAD + "allow_indirect = true\n",
        f"setup.cfg, contract 'api-no-db', key 'allow_indirect': unknown key (allowed: {FORBIDDEN_KEYS})",
    ),
    "unknown-contract-type": (
        _INI_HEAD.replace("type = forbidden", "type = forbid"),
        "setup.cfg, contract 'api-no-db', key 'type': unknown contract type 'forbid' "
        "(known: forbidden, layers, independence, protected, acyclic_siblings, moved, references)",
    ),
    "not-a-boolean": (
        _INI_HEAD.replace("root_packages = shop", "root_packages = shop\ninclude_external_packages = maybe"),
        "setup.cfg, key 'include_external_packages': must be true or false, not 'maybe'",
    ),
    "not-a-number": (
        _INI_HEAD
        + "\n[boundary_lint:contract:acyclic]\ntype = acyclic_siblings\nancestors = shop\ndepth = deep\n",
        "setup.cfg, contract 'acyclic', key 'depth': must be a whole number of 0 or more, not 'deep'",
    ),
    "unknown-section": (
        _INI_HEAD + "\n[boundary_lint:contracts:x]\ntype = layers\n",
        "setup.cfg: unknown section [boundary_lint:contracts:x]: expected [boundary_lint:contract:ID]",
    ),
    "duplicate-ids": (
        _INI_HEAD + _INI_HEAD.split("\n\n")[1],
        "setup.cfg, contract 'api-no-db', key 'id': duplicate contract id: "
        "section [boundary_lint:contract:api-no-db] again on line 8",
    ),
    "key-given-twice": (
        _INI_HEAD + "type = layers\n",
        "setup.cfg, contract 'api-no-db', key 'type': invalid INI: "
        "given twice in [boundary_lint:contract:api-no-db] (again on line 8)",
    ),
    "no-contracts": (
        "[boundary_lint]\nroot_packages = shop\n",
        "setup.cfg, key 'contracts': no contracts are defined",
    ),
    "missing-root-packages": (
        _INI_HEAD.replace("root_packages = shop", "source_roots = ."),
        "setup.cfg, key 'root_packages': is required",
    ),
    "bad-ini-syntax": (
        "[boundary_lint\nroot_packages = shop\n",
        "setup.cfg: invalid INI: line 1: '[boundary_lint' is not inside any [section]",
    ),
    "unparsable-line": (
        _INI_HEAD + "!!! not a key\n",
        "setup.cfg: invalid INI: line 8: cannot parse '!!! not a key'",
    ),
}


@pytest.mark.parametrize("case", INI_ERRORS)
def test_ini_validation_errors(shop: Path, case: str) -> None:
    config, message = INI_ERRORS[case]
    (shop / "pyproject.toml").unlink()
    write(shop / "setup.cfg", config)
    assert_config_error(check("--config", "setup.cfg", cwd=shop), message)
    # discovered: the same message, naming the file by its full path
    assert_config_error(check(cwd=shop), message.replace("setup.cfg", f"{shop.resolve()}/setup.cfg", 1))


def test_importlinter_custom_contract_class_that_cannot_be_imported_is_exit_2(shop: Path) -> None:
    """Custom contract types run through import-linter (tests/test_custom_contracts.py); a class
    that cannot be imported stops that contract as a configuration error naming it."""
    write(
        shop / ".importlinter",
        INI_IMPORTLINTER.replace(
            "root_package = shop",
            "root_package = shop\n    contract_types =\n        mine: shop.contracts.Mine",
        ).replace("type = forbidden", "type = mine", 1),
    )
    result = check("--config", ".importlinter", "--format", "concise", cwd=shop)
    assert result.returncode == 2, result
    assert "key 'contract_types': cannot import shop.contracts: ModuleNotFoundError" in result.stdout, result
    assert "Traceback" not in result.stdout + result.stderr


def test_module_that_does_not_exist_is_bnd901_and_exit_2(shop: Path) -> None:
    """Found while checking that contract: reported in the report as BND901 (naming file,
    contract and key), exit 2, and the other contracts are still checked."""
    write(
        shop / "pyproject.toml",
        PYPROJECT_NATIVE.replace('forbidden_modules = ["shop.db"]', 'forbidden_modules = ["shop.database"]'),
    )
    config = shop.resolve() / "pyproject.toml"
    message = (
        f"{config}, contract 'api-no-db', key 'forbidden_modules': module 'shop.database' does not exist"
    )
    concise = check("--format", "concise", cwd=shop)
    assert concise.returncode == 2, concise
    assert "Traceback" not in concise.stderr
    assert concise_lines(concise) == [f"pyproject.toml:1:1: BND901 {message}", SHOP_CONCISE[2]]
    data = json.loads(check("--format", "json", cwd=shop).stdout)
    _assert_json_schema(data, shop)
    assert data["errors"] == [{"code": "BND901", "message": message, "path": "pyproject.toml", "line": None}]
    assert [(c["id"], c["kept"]) for c in data["contracts"]] == [
        ("api-no-db", False),
        ("shop-layers", False),
        ("util-alone", True),
    ]
    text = check(cwd=shop)
    assert text.returncode == 2
    assert (
        f"BROKEN The API never touches the database [api-no-db, forbidden]\n  BND901 {message}\n"
        in text.stdout
    )


def test_unknown_contract_id(shop: Path) -> None:
    assert_config_error(
        check("--contract", "api-no-db", "--contract", "nope", cwd=shop),
        f"{shop.resolve()}/pyproject.toml: unknown contract id 'nope' "
        "(known: api-no-db, shop-layers, util-alone)",
    )


def test_usage_errors_exit_2_without_traceback(shop: Path) -> None:
    for args in (["check", "--format", "yaml"], ["check", "--bogus"], ["lint"], []):
        result = run_cli(*args, cwd=shop)
        assert result.returncode == 2, (args, result)
        assert result.stdout == ""
        assert "usage: boundary-lint" in result.stderr and "Traceback" not in result.stderr
    unwritable = check("--output", "no/such/dir/report.txt", cwd=shop)
    assert_config_error(unwritable, "no/such/dir/report.txt: cannot write: No such file or directory")


# --- options ---------------------------------------------------------------------------------


def test_contract_selection(shop: Path) -> None:
    one = check("--contract", "shop-layers", "--format", "concise", cwd=shop)
    assert one.returncode == 1
    assert concise_lines(one) == [SHOP_CONCISE[2]]
    # order of --contract does not matter: contracts run in configuration order
    two = check("--contract", "util-alone", "--contract", "api-no-db", "--format", "json", cwd=shop)
    data = json.loads(two.stdout)
    _assert_json_schema(data, shop)
    assert [c["id"] for c in data["contracts"]] == ["api-no-db", "util-alone"]
    assert _violation_rows(data) == SHOP_JSON_ROWS[:3]
    assert _summary(data) == {"contracts": 2, "broken": 1, "violations": 2, "suppressed": 1}


@pytest.mark.parametrize("fmt", ["text", "concise", "json"])
def test_output_file(shop: Path, fmt: str) -> None:
    to_stdout = check("--format", fmt, cwd=shop)
    to_file = check("--format", fmt, "--output", "report.txt", cwd=shop)
    assert to_file.returncode == to_stdout.returncode == 1
    assert (to_file.stdout, to_file.stderr) == ("", "")
    assert (shop / "report.txt").read_bytes() == to_stdout.stdout_bytes


def _cache_files(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir()) if directory.is_dir() else []


CACHE_KINDS = [".gitignore", "hashes", "imports", "report"]


def _cache_kinds(directory: Path) -> list[str]:
    """What the cache directory holds: its .gitignore and one file of each cache's kind."""
    names = _cache_files(directory)
    for name in names[1:]:
        assert re.fullmatch(r"(hashes|imports|report)-[0-9a-f]{32}\.json", name), names
    return [name.split("-")[0] for name in names]


def test_cache_written_by_default_in_the_config_directory(shop: Path) -> None:
    first = check("--format", "concise", cwd=shop / "shop")
    assert _cache_kinds(shop / ".boundary_lint_cache") == CACHE_KINDS
    second = check("--format", "concise", cwd=shop)
    assert second.stdout_bytes == first.stdout_bytes
    assert concise_lines(second) == SHOP_CONCISE


def test_no_cache_writes_nothing(shop: Path) -> None:
    result = check("--no-cache", "--format", "concise", cwd=shop)
    assert concise_lines(result) == SHOP_CONCISE
    assert not (shop / ".boundary_lint_cache").exists()


def test_cache_dir_option(shop: Path, tmp_path: Path) -> None:
    cache = tmp_path / "elsewhere" / "cache"
    result = check("--cache-dir", cache, "--format", "concise", cwd=shop)
    assert concise_lines(result) == SHOP_CONCISE
    assert not (shop / ".boundary_lint_cache").exists()
    assert _cache_kinds(cache) == CACHE_KINDS
    # relative to the working directory
    check("--cache-dir", "rel-cache", cwd=shop / "shop")
    assert _cache_kinds(shop / "shop" / "rel-cache") == CACHE_KINDS
    # --no-cache wins over --cache-dir
    check("--no-cache", "--cache-dir", tmp_path / "unused", cwd=shop)
    assert not (tmp_path / "unused").exists()


def test_cache_dir_setting(shop: Path) -> None:
    config = shop / "pyproject.toml"
    config.write_text(
        config.read_text().replace(
            'root_packages = ["shop"]', 'root_packages = ["shop"]\ncache_dir = "build/bl"'
        )
    )
    check(cwd=shop / "shop" / "db")
    assert _cache_kinds(shop / "build" / "bl") == CACHE_KINDS
    assert not (shop / ".boundary_lint_cache").exists()
    config.write_text(config.read_text().replace('cache_dir = "build/bl"', "cache_dir = false"))
    result = check("--format", "concise", cwd=shop)
    assert concise_lines(result) == SHOP_CONCISE
    assert not (shop / ".boundary_lint_cache").exists()
    # --cache-dir still turns it on for one run
    check("--cache-dir", "on-demand", cwd=shop)
    assert _cache_kinds(shop / "on-demand") == CACHE_KINDS


def test_warm_cache_sees_edits(shop: Path) -> None:
    assert concise_lines(check("--format", "concise", cwd=shop)) == SHOP_CONCISE
    orders = shop / "shop" / "services" / "orders.py"
    orders.write_text("from shop.db import models\n\nTABLES = [models]\n")
    stat = orders.stat()
    os.utime(orders, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))
    result = check("--format", "concise", cwd=shop)
    assert result.returncode == 1
    assert concise_lines(result) == SHOP_CONCISE[:2]


def test_noqa_is_counted_and_disable_noqa_reports_it(shop: Path) -> None:
    default = json.loads(check("--format", "json", cwd=shop).stdout)
    assert _summary(default) == {"contracts": 3, "broken": 2, "violations": 3, "suppressed": 1}
    disabled = check("--disable-noqa", "--format", "json", cwd=shop)
    data = json.loads(disabled.stdout)
    _assert_json_schema(data, shop)
    assert _summary(data) == {"contracts": 3, "broken": 2, "violations": 4, "suppressed": 0}
    assert [row[7] for row in _violation_rows(data)] == [False] * 4
    concise = check("--disable-noqa", "--format", "concise", cwd=shop)
    assert concise_lines(concise) == [SHOP_CONCISE[0], SHOP_SUPPRESSED, *SHOP_CONCISE[1:]]
    text = check("--disable-noqa", cwd=shop)
    assert "suppressed by noqa" not in text.stdout
    assert text.stdout.endswith("3 contracts: 1 kept, 2 broken; 4 violations (0 suppressed); 0 errors\n")


def test_noqa_alone_keeps_a_contract(tmp_path: Path) -> None:
    """Only the suppressed import breaks this contract: kept (exit 0), one suppressed."""
    project = shop_project(
        tmp_path / "project",
        "pyproject.toml",
        """
        [tool.boundary_lint]
        root_packages = ["shop"]

        [[tool.boundary_lint.contracts]]
        id = "no-session"
        type = "forbidden"
        source_modules = ["shop.api"]
        forbidden_modules = ["shop.db.session"]
    """,
    )
    result = check("--format", "json", cwd=project)
    assert result.returncode == 0, result
    data = json.loads(result.stdout)
    assert data["kept"] is True and data["contracts"][0]["kept"] is True
    assert _summary(data) == {"contracts": 1, "broken": 0, "violations": 0, "suppressed": 1}
    disabled = check("--disable-noqa", "--format", "concise", cwd=project)
    assert disabled.returncode == 1
    unnamed = SHOP_SUPPRESSED.replace('"The API never touches the database" (api-no-db)', '"no-session"')
    assert concise_lines(disabled) == [unnamed]


def test_verbose_reports_timing_on_stderr(shop: Path) -> None:
    result = check("--verbose", "--format", "concise", cwd=shop)
    assert concise_lines(result) == SHOP_CONCISE
    assert re.fullmatch(
        re.escape(f"boundary-lint: configuration: {shop / 'pyproject.toml'}\n")
        + r"boundary-lint: 10 modules, 5 imports; checked 3 contracts in \d+\.\d{3}s\n"
        r"boundary-lint: root package 'shop': shop \(the configuration's directory\)\n",
        result.stderr,
    ), result


def test_version(tmp_path: Path) -> None:
    expected = f"boundary-lint {__version__}\n"
    script = run_cli("--version", cwd=tmp_path)
    module = run_cli("--version", cwd=tmp_path, command=[sys.executable, "-m", "boundary_lint"])
    for result in (script, module):
        assert (result.returncode, result.stdout, result.stderr) == (0, expected, "")


def test_python_dash_m_runs_the_same_check(shop: Path) -> None:
    result = run_cli(
        "check", "--format", "concise", cwd=shop, command=[sys.executable, "-m", "boundary_lint"]
    )
    assert result.returncode == 1
    assert concise_lines(result) == SHOP_CONCISE


# --- determinism -----------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["text", "concise", "json"])
def test_output_is_byte_identical_across_runs(shop: Path, fmt: str) -> None:
    write(shop / "shop" / "api" / "broken.py", BROKEN_FILE)
    cold = check("--format", fmt, cwd=shop)
    warm = check("--format", fmt, cwd=shop)
    uncached = [check("--format", fmt, "--no-cache", cwd=shop) for _ in range(2)]
    assert cold.returncode == warm.returncode == 1
    assert cold.stdout_bytes == warm.stdout_bytes == uncached[0].stdout_bytes == uncached[1].stdout_bytes
    assert cold.stdout_bytes  # not trivially equal


def test_a_reader_that_goes_away_is_not_an_error(tmp_path: Path) -> None:
    """``boundary-lint check | head -1``: the rest of the report has nowhere to go; the exit
    status still says the contracts are broken, and nothing but the report is printed."""
    project = shop_project(tmp_path / "project")
    for number in range(1500):  # a report (about 200 KB) longer than a pipe's buffer
        write(project / "shop" / "api" / f"extra_{number}.py", "import shop.db.models\n")
    process = subprocess.Popen(
        [BOUNDARY_LINT, "check", "--no-cache"],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        env=clean_env(),
    )
    assert process.stdout is not None and process.stderr is not None
    first = process.stdout.readline()
    process.stdout.close()
    code = process.wait(timeout=60)
    stderr = process.stderr.read()
    assert first.startswith(b"BROKEN ")
    assert (code, stderr) == (1, b"")
