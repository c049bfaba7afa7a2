"""Fuzzing the configuration readers: whatever a configuration file holds, ``load_config``
returns a Config or raises ConfigError (one message naming the file); any other exception is a
bug. In-process, so thousands of texts take seconds; a few go through the real CLI as well,
which must exit 2 with one line on stderr and no traceback.

The texts: TOML (pyproject's [tool.boundary_lint] and [tool.importlinter], standalone files),
INI (setup.cfg / tox.ini's [boundary_lint], import-linter's [importlinter] in .importlinter and
setup.cfg), each with the real structure but random and wrongly typed values and random keys;
plus truncations, byte flips, garbage and bytes that are not UTF-8.
"""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path

import pytest
from cli_support import run_cli
from hypothesis import example, given
from hypothesis import strategies as st
from hypothesis_profiles import profile

from boundary_lint.config import Config, ConfigError, discover_config, load_config
from boundary_lint.config.registry import contract_types
from boundary_lint.config.validation import (
    COMMON_CONTRACT_KEYS,
    SESSION_KEYS,
    contract_keys,
    native_only_keys,
)

CONTRACT_TYPES = sorted(kind.name for kind in contract_types())
ALL_CONTRACT_KEYS = sorted(COMMON_CONTRACT_KEYS.union(*(contract_keys(kind) for kind in contract_types())))
NATIVE_ONLY_KEYS = native_only_keys()
FILE_NAMES = ("pyproject.toml", "contracts.toml", "setup.cfg", "tox.ini", ".importlinter")

# --- values -------------------------------------------------------------------------------

MODULE_LIKE = st.sampled_from(
    [
        "pkg",
        "pkg.a",
        "pkg.a.b",
        "pkg.*",
        "pkg.**",
        "pkg.*.b",
        "*",
        "**",
        "pkg..a",
        ".pkg",
        "pkg.",
        "pkg.a -> pkg.b",
        "pkg.* -> pkg.**",
        "->",
        "pkg -> ",
        "(pkg.a)",
        "pkg.a | pkg.b",
        "pkg.a : pkg.b",
        "pkg.a | pkg.b : pkg.c",
        "()",
        "(",
        "|",
        "1abc",
        "pkg-a",
        "pkg a",
        "true",
        "false",
        "none",
        "error",
        "warn",
        "0",
        "-1",
        "10",
        ".",
        "..",
        "src",
        "/",
        "\\",
        "",
        " ",
        "\t",
        "ü",
        "pkg.ü",
        "x" * 300,
    ]
)
SCALARS = st.one_of(
    MODULE_LIKE,
    st.text(max_size=30),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(
            st.sampled_from(ALL_CONTRACT_KEYS + ["x", "id"]) | st.text(max_size=8), inner, max_size=3
        ),
    ),
    max_leaves=8,
)
SESSION_KEY = (
    st.sampled_from(sorted(SESSION_KEYS)) | st.sampled_from(["root_packages"] * 3) | st.text(max_size=12)
)
CONTRACT_KEY = st.sampled_from(ALL_CONTRACT_KEYS) | st.text(max_size=12)


# A valid contract of each type (known to validation; a new type is fuzzed from random keys).
TEMPLATES: dict[str, dict] = {
    "forbidden": {"source_modules": ["pkg.a"], "forbidden_modules": ["pkg.b"], "as_packages": True},
    "layers": {
        "layers": ["pkg.a", "pkg.b | pkg.c", "(pkg.d)"],
        "containers": ["pkg"],
        "closed_layers": ["pkg.a"],
    },
    "independence": {"modules": ["pkg.a", "pkg.b"]},
    "protected": {"protected_modules": ["pkg.a"], "allowed_importers": ["pkg.b"]},
    "acyclic_siblings": {"ancestors": ["pkg"], "depth": 2, "skip_descendants": ["pkg.x"]},
    "moved": {"moves": ["pkg.old -> pkg.new"]},
    "references": {"strings": True},
}
SESSION_TEMPLATE = {"root_packages": ["pkg"], "source_roots": ["."], "cache_dir": False}


@st.composite
def raw_configs(draw, native: bool = True) -> tuple[dict, list[dict]]:
    """Session options and contract tables: a valid configuration, then a few mutations (a
    known key given a random value, a random key added, a key removed), so that every check
    of validation is reached; sometimes tables of random keys altogether."""
    if draw(st.integers(0, 9)) == 0:
        session = draw(st.dictionaries(SESSION_KEY, VALUES, max_size=6))
    else:
        session = dict(SESSION_TEMPLATE) if native else {"root_packages": ["pkg"]}
    contracts = []
    for index in range(draw(st.integers(0, 3))):
        kind = draw(st.sampled_from(CONTRACT_TYPES))
        table = {"id": f"c{index}", "type": kind, "name": "a contract", **TEMPLATES.get(kind, {})}
        if not native:  # import-linter's files cannot hold our own keys
            table = {k: v for k, v in table.items() if k not in NATIVE_ONLY_KEYS}
        if draw(st.integers(0, 3)) == 0:
            table["ignore_imports"] = ["pkg.a -> pkg.b"]
            table["unmatched_ignore_imports_alerting"] = draw(st.sampled_from(["none", "warn", "error"]))
        contracts.append(table)
    tables = [session, *contracts]
    for _ in range(draw(st.integers(0, 3))):
        table = draw(st.sampled_from(tables))
        keys = sorted(SESSION_KEYS) if table is session else ALL_CONTRACT_KEYS
        action = draw(st.integers(0, 9))
        if action <= 5:  # a known key, any value
            key = draw(
                st.sampled_from(sorted(table) or keys) if draw(st.booleans()) else st.sampled_from(keys)
            )
            table[key] = draw(st.one_of(MODULE_LIKE, st.lists(MODULE_LIKE, max_size=4), VALUES))
        elif action <= 7 and table:  # a key removed
            del table[draw(st.sampled_from(sorted(table)))]
        elif action == 8:  # an unknown key
            table[draw(st.text(max_size=12))] = draw(VALUES)
        else:  # a type changed under the same keys
            if table is not session:
                table["type"] = draw(st.sampled_from(CONTRACT_TYPES + ["Forbidden", "", "custom"]))
    return session, contracts


# --- TOML ---------------------------------------------------------------------------------


def toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # JSON's string escapes are TOML's
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return (
            "{"
            + ", ".join(
                f"{json.dumps(str(k), ensure_ascii=False)} = {toml_value(v)}" for k, v in value.items()
            )
            + "}"
        )
    raise TypeError(value)  # pragma: no cover


def toml_text(table_prefix: str, session: dict, contracts: list[dict]) -> str:
    lines = [f"[{table_prefix}]"] if table_prefix else []
    lines += [
        f"{json.dumps(str(k), ensure_ascii=False)} = {toml_value(v)}"
        for k, v in session.items()
        if k != "contracts"
    ]
    array = f"{table_prefix}.contracts" if table_prefix else "contracts"
    for table in contracts:
        lines += ["", f"[[{array}]]"]
        lines += [f"{json.dumps(str(k), ensure_ascii=False)} = {toml_value(v)}" for k, v in table.items()]
    return "\n".join(lines) + "\n"


# --- INI ----------------------------------------------------------------------------------


def ini_value(value: object) -> str:
    if isinstance(value, list):
        return "".join(f"\n    {ini_value(v)}" for v in value) if value else ""
    if isinstance(value, dict):
        return ", ".join(f"{k}={ini_value(v)}" for k, v in value.items())
    text = str(value)
    return text.replace("\n", "\n    ")  # keep continuation lines inside the value


def ini_text(dialect: str, session: dict, contracts: list[dict], style: int) -> str:
    lines = ["[metadata]", "name = fuzz", "", f"[{dialect}]"]
    lines += [f"{k} = {ini_value(v)}" for k, v in session.items()]
    for index, table in enumerate(contracts):
        contract_id = str(table.pop("id", f"c{index}"))  # the id is in the section name
        if style == 0:  # and, wrongly, also a key
            table["id"] = contract_id
        section = f"{dialect}:contract:{contract_id}" if style != 2 else f"{dialect}:{contract_id}"
        lines += ["", f"[{section}]"]
        lines += [f"{k} = {ini_value(v)}" for k, v in table.items()]
    return "\n".join(lines) + "\n"


# --- the property ----------------------------------------------------------------------------


def load_outcome(path: Path) -> str:
    """'config' or 'error'; any other exception propagates and fails the test."""
    try:
        result = load_config(path)
    except ConfigError as error:
        message = error.describe()
        assert message and str(path) in message, message
        return "error"
    assert isinstance(result, Config)
    return "config"


def discovery_outcome(directory: Path) -> str:
    try:
        result = discover_config(directory)
    except ConfigError:
        return "error"
    assert result is None or isinstance(result, Config)
    return "config" if result else "none"


@st.composite
def config_files(draw) -> tuple[str, bytes]:
    """(file name, content): a structured configuration, perhaps damaged."""
    name = draw(st.sampled_from(FILE_NAMES))
    if name == "pyproject.toml":
        table = draw(st.sampled_from(["tool.boundary_lint", "tool.importlinter"]))
        session, contracts = draw(raw_configs(native=table == "tool.boundary_lint"))
        text = toml_text(table, session, contracts)
    elif name == "contracts.toml":
        text = toml_text("", *draw(raw_configs()))
    else:
        dialect = (
            "importlinter"
            if name == ".importlinter"
            else draw(st.sampled_from(["boundary_lint", "importlinter"]))
        )
        session, contracts = draw(raw_configs(native=dialect == "boundary_lint"))
        text = ini_text(dialect, session, contracts, draw(st.sampled_from([0, 1, 1, 1, 2])))
    data = text.encode("utf-8")
    damage = draw(st.integers(0, 12))
    if damage == 1 and data:  # truncated
        data = data[: draw(st.integers(0, len(data) - 1))]
    elif damage == 2 and data:  # a byte changed
        index = draw(st.integers(0, len(data) - 1))
        data = data[:index] + bytes([draw(st.integers(0, 255))]) + data[index + 1 :]
    elif damage == 3:  # a line duplicated
        lines = data.splitlines(keepends=True)
        if lines:
            index = draw(st.integers(0, len(lines) - 1))
            lines.insert(index, lines[index])
            data = b"".join(lines)
    elif damage == 4:  # garbage appended or prepended
        garbage = draw(st.binary(max_size=40))
        data = garbage + data if draw(st.booleans()) else data + garbage
    return name, data


GARBAGE = [
    b"",
    b"\x00",
    b"\xff\xfe\xfd",
    b"[",
    b"[[",
    b"[tool.boundary_lint",
    b"[boundary_lint]\nroot_packages",
    b"[boundary_lint]\n  indented = 1\n",
    b"root_packages = [\n",
    b'root_packages = ["a"]\n[[contracts]]\nid = \n',
    b"[importlinter]\nroot_package = a\n[importlinter:contract:]\ntype = layers\n",
    b"[boundary_lint]\nroot_packages = a\n[boundary_lint:contract:x]\n[boundary_lint:contract:x]\n",
    b"\xef\xbb\xbf[boundary_lint]\nroot_packages = a\n",
    b"%(x)s = %(y)s\n[boundary_lint]\nroot_packages = %(x)s\n",
    b"[tool]\nboundary_lint = 5\n",
    b'[tool.boundary_lint]\ncontracts = "x"\n',
    b"contracts = [1, 2]\n",
    b"[tool.importlinter]\ncontracts = [{}]\n",
    b'[tool.boundary_lint]\nroot_packages = ["a"]\n[[tool.boundary_lint.contracts]]\n',
]


@pytest.fixture(scope="module")
def fuzz_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("fuzz")
    (directory / "pkg").mkdir()
    (directory / "pkg" / "__init__.py").write_text("")
    (directory / "src").mkdir()
    return directory


def _fresh(directory: Path) -> Path:
    for name in FILE_NAMES:
        (directory / name).unlink(missing_ok=True)
    return directory


@pytest.mark.slow
def test_any_configuration_text_is_a_config_or_one_config_error(fuzz_dir: Path) -> None:
    @profile(default_examples=1500, long_examples=30000)
    @given(config_files())
    @example(
        (
            "pyproject.toml",
            b'[tool.boundary_lint]\nroot_packages = ["pkg"]\n[[tool.boundary_lint.contracts]]\nid = "c"\ntype = "layers"\nlayers = ["pkg"]\n',
        )
    )
    @example(
        (
            "contracts.toml",
            b'root_packages = ["pkg"]\n[[contracts]]\nid = "c"\ntype = "acyclic_siblings"\nancestors = ["pkg"]\ndepth = 1e400\n',
        )
    )
    # Found by the long profile: paths that cannot be resolved or stat'ed.
    @example(
        (
            "contracts.toml",
            b'root_packages = ["pkg"]\nsource_roots = ["a\\u0000b"]\n[[contracts]]\nid = "c"\ntype = "independence"\nmodules = ["pkg"]\n',
        )
    )
    @example(
        (
            "pyproject.toml",
            b'[tool.boundary_lint]\nroot_packages = ["pkg"]\nsource_roots = ["' + b"x" * 300 + b'"]\n',
        )
    )
    @example(
        (
            "setup.cfg",
            b"[boundary_lint]\nroot_packages = pkg\ncache_dir = "
            + b"y" * 300
            + b"/z\n[boundary_lint:contract:c]\ntype = independence\nmodules = pkg\n",
        )
    )
    def outcome(file: tuple[str, bytes]) -> None:
        name, data = file
        path = _fresh(fuzz_dir) / name
        path.write_bytes(data)
        load_outcome(path)
        discovery_outcome(fuzz_dir)

    outcome()


@pytest.mark.parametrize("data", GARBAGE)
@pytest.mark.parametrize("name", FILE_NAMES)
def test_known_garbage(fuzz_dir: Path, name: str, data: bytes) -> None:
    path = _fresh(fuzz_dir) / name
    path.write_bytes(data)
    load_outcome(path)
    discovery_outcome(fuzz_dir)


# --- through the CLI ----------------------------------------------------------------------


def _assert_cli_rejects(directory: Path, name: str) -> None:
    result = run_cli("check", "--config", name, "--no-cache", cwd=directory)
    assert "Traceback" not in result.stderr, result
    lines = result.stderr.splitlines()
    if result.returncode == 2 and lines and lines[0].startswith("boundary-lint: error: "):
        assert len(lines) == 1 and result.stdout == "", result
        return
    # A configuration that happened to be valid: checked, no crash.
    assert result.returncode in (0, 1, 2) and "internal error" not in result.stderr, result


@pytest.mark.parametrize("data", GARBAGE[:8])
def test_cli_on_garbage(tmp_path: Path, data: bytes) -> None:
    shutil.copytree(Path(__file__).parent / "trees" / "cli_shop", tmp_path, dirs_exist_ok=True)
    for name in FILE_NAMES:
        (tmp_path / name).write_bytes(data)
        result = run_cli("check", "--config", name, cwd=tmp_path)
        assert result.returncode == 2, result
        assert result.stdout == "" and "Traceback" not in result.stderr, result
        [line] = result.stderr.splitlines()
        assert line.startswith("boundary-lint: error: ") and name in line, result
        (tmp_path / name).unlink()


def test_cli_on_generated_configurations(tmp_path: Path) -> None:
    @profile(default_examples=12, long_examples=200)
    @given(config_files())
    def through_the_cli(file: tuple[str, bytes]) -> None:
        name, data = file
        directory = _fresh(tmp_path)
        (directory / "pkg").mkdir(exist_ok=True)
        (directory / "pkg" / "__init__.py").write_text("")
        (directory / name).write_bytes(data)
        _assert_cli_rejects(directory, name)

    through_the_cli()
