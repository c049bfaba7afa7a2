"""config/edit.py: an ignore_imports entry added to a contract, the rest of the file as written."""

from __future__ import annotations

from pathlib import Path

import pytest

from boundary_lint.config.edit import with_ignored_import
from boundary_lint.config.sources import read_ini, read_toml

ENTRY = "app.low -> app.high"

TOML_HEAD = '[tool.boundary_lint]\nroot_packages = ["app"]\n\n'
TOML_CONTRACT = (
    "[[tool.boundary_lint.contracts]]\n"
    'id = "layers"  # the main one\n'
    'name = "Layers"\n'
    'type = "layers"\n'
    'layers = ["app.high", "app.low"]\n'
)
OTHER_TOML_CONTRACT = (
    "\n[[tool.boundary_lint.contracts]]\n"
    'id = "other"\n'
    'type = "forbidden"\n'
    'source_modules = ["app.low"]\n'
    'forbidden_modules = ["app.x"]\n'
)


def _ignored(path: Path, text: str, contract_id: str) -> list[str]:
    raw = read_toml(path, text) if path.suffix == ".toml" else read_ini(path, text)
    assert raw is not None
    (contract,) = [c for c in raw.contracts if c["id"] == contract_id]
    value = contract.get("ignore_imports", [])
    return [value] if isinstance(value, str) else list(value)


def test_toml_without_the_key_gets_it_below_the_id() -> None:
    path = Path("pyproject.toml")
    text = TOML_HEAD + TOML_CONTRACT + OTHER_TOML_CONTRACT
    edited = with_ignored_import(path, text, "layers", ENTRY)
    assert edited == text.replace(
        'id = "layers"  # the main one\n', f'id = "layers"  # the main one\nignore_imports = ["{ENTRY}"]\n'
    )
    assert _ignored(path, edited, "other") == []


@pytest.mark.parametrize(
    ("array", "before"),
    [
        ('ignore_imports = ["app.a -> app.b"]\n', ["app.a -> app.b"]),
        ("ignore_imports = []\n", []),
        (
            'ignore_imports = [\n    "app.a -> app.b",\n    "app.c -> app.d",\n]\n',
            ["app.a -> app.b", "app.c -> app.d"],
        ),
        ('ignore_imports = [\n    "app.a -> app.b"  # why\n]\n', ["app.a -> app.b"]),
    ],
    ids=["one-line", "empty", "multi-line", "no-trailing-comma"],
)
def test_toml_array_gains_the_entry(array: str, before: list[str]) -> None:
    path = Path("contracts.toml")
    text = (
        'root_packages = ["app"]\n\n'
        + TOML_CONTRACT.replace("[[tool.boundary_lint.contracts]]", "[[contracts]]")
        + array
    )
    edited = with_ignored_import(path, text, "layers", ENTRY)
    assert edited is not None
    assert _ignored(path, edited, "layers") == [*before, ENTRY]
    assert "# why" in edited or "# why" not in text


INI = (
    "[importlinter]\nroot_package = app\n\n"
    "[importlinter:contract:layers]\nname = Layers\ntype = layers\nlayers =\n    app.high\n    app.low\n"
)


def test_ini_without_the_key_gets_it_at_the_section_end() -> None:
    path = Path(".importlinter")
    text = (
        INI
        + "\n[importlinter:contract:other]\nname = Other\ntype = independence\nmodules =\n    app.a\n    app.b\n"
    )
    edited = with_ignored_import(path, text, "layers", ENTRY)
    assert edited == text.replace("    app.low\n", f"    app.low\nignore_imports =\n    {ENTRY}\n", 1)
    assert _ignored(path, edited, "other") == []


@pytest.mark.parametrize(
    ("key", "before"),
    [
        ("ignore_imports =\n    app.a -> app.b\n    app.c -> app.d\n", ["app.a -> app.b", "app.c -> app.d"]),
        ("ignore_imports = app.a -> app.b\n", ["app.a -> app.b"]),
    ],
    ids=["multi-line", "one-value"],
)
def test_ini_key_gains_the_entry(key: str, before: list[str]) -> None:
    path = Path("setup.cfg")
    text = INI.replace("type = layers\n", "type = layers\n" + key)
    edited = with_ignored_import(path, text, "layers", ENTRY)
    assert edited is not None
    assert _ignored(path, edited, "layers") == [*before, ENTRY]


def test_a_contract_that_cannot_be_found_gets_no_edit() -> None:
    assert with_ignored_import(Path(".importlinter"), INI, "nope", ENTRY) is None
    numbered = (
        'root_packages = ["app"]\n[[contracts]]\nname = "n"\ntype = "layers"\nlayers = ["app.a", "app.b"]\n'
    )
    assert with_ignored_import(Path("c.toml"), numbered, "1", ENTRY) is None
